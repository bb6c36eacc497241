"""The demo key-task list of 2024: twelve tasks of 《…若干措施重点任务清单》, each with its lead
and assisting units, due date and measure of done; eleven accepted and closed (one after being
sent back once), one still in progress at the year's end."""

from __future__ import annotations

import datetime as dt

from fazhi.core.models import OrgUnit
from fazhi.procedures.demodata import DemoMatters, already_built, unit

LIST = "四平市铁西区落实吉林省贯彻落实《全面深化法治领域改革纲要（2023-2027）》若干措施重点任务清单"
TASKS = (
    ("修订区委全面依法治区委员会工作规则和办公室工作细则", "区司法局", ("区政府办",), (6, 30)),
    (
        "编制乡街基本履职事项清单、配合履职事项清单和上级部门收回事项清单",
        "区政府办",
        ("区司法局",),
        (9, 30),
    ),
    ("推进乡（街道）综合行政执法体制改革赋权工作", "区司法局", ("区城管执法局",), (10, 31)),
    ("建立行政执法公示平台并落实行政执法统计年报制度", "区司法局", ("区市场监管局",), (6, 30)),
    ("建立“首违不罚清单”，编制完善“四张清单”", "区市场监管局", ("区司法局",), (8, 31)),
    ("编制2024年重大行政决策事项目录并向社会公布", "区政府办", ("区司法局",), (3, 31)),
    ("设立“办不成事请找我”窗口并整合求助投诉举报咨询事项", "区政数局", (), (5, 31)),
    (
        "开展安全生产治本攻坚三年行动2024年度任务",
        "区应急局",
        ("区住建局", "区市场监管局"),
        (12, 20),
    ),
    ("实现党政主要负责人述法评议全覆盖", "区司法局", ("区政府办",), (12, 31)),
    ("开展行政执法监督检查暨案卷评查", "区司法局", (), (11, 30)),
    ("推进行政调解与人民调解、司法调解有效衔接", "区司法局", ("区信访局",), (11, 30)),
    ("构建“1+N”领导干部学法用法清单体系", "区司法局", ("区政府办",), (12, 31)),
)


def build(root: OrgUnit, year: int) -> str:
    if already_built("key_task", year):
        return ""
    demo = DemoMatters()
    listed = dt.date(year, 1, 15)
    for i, (task, lead, assisting, (month, day)) in enumerate(TASKS, start=1):
        due = dt.date(year, month, day)
        m = demo.add(
            "key_task",
            org=unit(root, lead),
            received_on=listed,
            subject=task,
            channel="other",
            details={
                "task_list": LIST,
                "number": str(i),
                "due_on": due,
                "measure": f"{task}，形成文件或工作台账并报依法治区办。",
            },
        )
        for a in assisting:
            m.step("add_assistant", listed, org=unit(root, a).name)
        half = listed + (due - listed) / 2
        m.step("report_progress", half, percent=50, text="按计划推进，已完成阶段性任务。")
        if i == len(TASKS):  # still in progress at the year's end
            m.step("report_progress", dt.date(year, 12, 20), percent=80, text="正在收尾。")
            continue
        asked = due - dt.timedelta(days=10)
        m.step("submit_acceptance", asked, text="已完成，申请销号。")
        if i == 3:  # sent back once
            m.step(
                "reject_acceptance", asked + dt.timedelta(days=3), reason="赋权事项清单尚未公布。"
            )
            m.step("submit_acceptance", due, text="清单已公布，再次申请销号。")
            asked = due
        m.step("accept", asked + dt.timedelta(days=5), opinion="经验收，达到完成标准，予以销号。")
    saved = demo.save("重点任务")
    return f"{saved}项重点任务"
