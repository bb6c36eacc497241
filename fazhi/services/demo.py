"""Demo records of report part (一): business complaints and the help window.

The 2024 cohort reproduces the seed report: 12 business-environment complaints, 7 outside
the accepting scope, 5 accepted, 3 concluded and 2 still in hand at year end, every rated
one satisfied. The help window gets a year of requests; the current year gets open work.
"""

from __future__ import annotations

import datetime as dt
import random

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.procedures.demodata import DemoMatters, already_built, later, route, spread, unit
from fazhi.services import demo_registers

COMPLAINTS = [
    "企业开办登记材料反复要求补正",
    "工程款拖欠影响企业经营",
    "用水报装办理时间过长",
    "消防验收标准前后不一",
    "涉企检查频次过多",
    "惠企政策兑现不到位",
    "招投标设置不合理门槛",
    "供暖管网接入收费不透明",
    "不动产登记窗口推诿",
    "税费减免政策咨询无人答复",
    "道路施工影响商户经营",
    "市场主体变更登记办理慢",
]
HELP = [
    ("help", "异地医保备案不会办理"),
    ("consultation", "个体工商户年报如何填报"),
    ("complaint", "窗口工作人员态度生硬"),
    ("help", "老年人办理社保认证困难"),
    ("report", "违规收取办证费用"),
    ("consultation", "新生儿落户需要哪些材料"),
    ("help", "残疾人补贴申请材料不全"),
    ("complaint", "网上办事系统多次提交失败"),
]


def _complaints_2024(demo: DemoMatters, root: OrgUnit, year: int, rng: random.Random) -> int:
    office = unit(root, "区政数局")
    cutoff = dt.date(year, 12, 31)
    december = [dt.date(year, 12, 23), dt.date(year, 12, 26)]
    days = [*spread(rng, year, 10, last=dt.date(year, 11, 20)), *december]
    out_of_scope = {0, 1, 2, 4, 6, 7, 9}  # 7 outside the accepting scope; 10 and 11 are December
    for i, (subject, received) in enumerate(zip(COMPLAINTS, days, strict=True)):
        m = demo.add(
            "business_complaint",
            org=office,
            received_on=received,
            subject=subject,
            channel=rng.choice(["window", "phone", "web"]),
            party={
                "name": f"四平市某{['商贸', '建材', '食品', '物流'][i % 4]}有限公司",
                "kind": "organisation",
            },
            details={"content": f"{subject}，请求协调解决。"},
        )
        triage = later(received, rng, 1, 3, cutoff)
        if i in out_of_scope:
            m.step(
                "refuse",
                triage,
                reason="属于司法程序或其他法定途径处理的事项，已告知投诉人依法维权途径。",
            )
            continue
        m.step("accept", triage)
        if received.month == 12:
            continue  # the two accepted late in December are still in hand at year end
        done = later(triage, rng, 5, 14, cutoff)
        m.step("conclude", done, result="经协调相关部门，问题已解决，并向企业反馈办理结果。")
        m.step("rate", later(done, rng, 1, 5, cutoff), public=True, satisfaction="satisfied")
    return len(COMPLAINTS)


def _help_year(demo: DemoMatters, root: OrgUnit, year: int, rng: random.Random, count: int) -> int:
    office = unit(root, "区政数局")
    cutoff = dt.date(year, 12, 31)
    for received in spread(rng, year, count):
        kind, subject = rng.choice(HELP)
        m = demo.add(
            "help_request",
            org=office,
            received_on=received,
            subject=subject,
            channel=rng.choice(["window", "window", "phone", "web"]),
            party={
                "name": rng.choice(["王", "李", "张", "刘", "陈", "杨"])
                + rng.choice(["敏", "伟", "芳", "强", "丽"])
            },
            details={"kind": kind},
        )
        m.step("accept", later(received, rng, 0, 2, cutoff))
        done = later(received, rng, 2, 12, cutoff)
        m.step("conclude", done, result="已帮办完成。")
        rating = rng.choices(["satisfied", "basically_satisfied", "dissatisfied"], [85, 12, 3])[0]
        m.step("rate", later(done, rng, 0, 3, cutoff), public=True, satisfaction=rating)
    return count


def _service_requests(
    demo: DemoMatters, root: OrgUnit, year: int, rng: random.Random, count: int
) -> int:
    """A year of service requests at the hall: items of the register with their committed
    limits, served in and out of hours, the elderly and disabled given free assisted service."""
    cutoff = dt.date(year, 12, 31)
    items = demo_registers.ITEMS + demo_registers.ITEMS_MORE
    for received in spread(rng, year, count):
        organ, name, _category, _legal, committed = rng.choice(items)
        group = rng.choices(["general", "elderly", "disabled", "other_special"], [80, 13, 5, 2])[0]
        assisted = group != "general" and rng.random() < 0.8
        m = demo.add(
            "service_request",
            org=unit(root, organ),
            received_on=received,
            subject=name,
            channel="window",
            party={"name": rng.choice(["王", "李", "张", "刘"]) + rng.choice(["敏", "伟", "芳"])},
            details={
                "item": name,
                "committed_days": committed,
                "time_slot": rng.choices(
                    ["regular", "extended", "off_peak", "no_lunch_break", "weekend"],
                    [82, 8, 3, 6, 1],
                )[0],
                "assistance": rng.choice(["lead", "help", "proxy"]) if assisted else "none",
                "group": group,
                "free": assisted,
            },
        )
        if rng.random() < 0.02:
            m.step("refuse", received, reason="申请材料不齐全，已一次性告知需补齐的材料。")
            continue
        m.step("conclude", later(received, rng, 0, max(committed, 0), cutoff))
    return count


def _open_work(demo: DemoMatters, root: OrgUnit, rng: random.Random) -> int:
    """Current matters, so that the queue has warnings and overdue items to show."""
    office = unit(root, "区政数局")
    today = clock.today()
    made = 0
    for back, subject in [
        (1, "企业退税进度查询无果"),
        (6, "项目审批材料清单不明确"),
        (25, "园区道路照明长期损坏"),
    ]:
        received = today - dt.timedelta(days=back)
        m = demo.add(
            "business_complaint",
            org=office,
            received_on=received,
            subject=subject,
            channel="web",
            party={"name": "四平市某科技有限公司", "kind": "organisation"},
        )
        if back > 3:
            m.step("accept", received + dt.timedelta(days=1))
        made += 1
    for back, (kind, subject) in zip([0, 2, 4, 12], HELP, strict=False):
        received = today - dt.timedelta(days=back)
        m = demo.add(
            "help_request",
            org=office,
            received_on=received,
            subject=subject,
            channel="window",
            party={"name": "群众"},
            details={"kind": kind},
        )
        if back > 1:
            m.step("accept", received)
        made += 1
    return made


def build(root: OrgUnit, year: int) -> str:
    office = unit(root, "区政数局")
    route("business_complaint", office)
    route("help_request", office)
    registers = demo_registers.build(root, year)
    if already_built("business_complaint", year):
        return registers
    rng = random.Random(year)
    demo = DemoMatters()
    complaints = _complaints_2024(demo, root, year, rng)
    helps = _help_year(demo, root, year, rng, 60)
    served = _service_requests(demo, root, year, rng, 480)
    current = 0
    if clock.today().year != year and not already_built("help_request", clock.today().year):
        current = _open_work(demo, root, rng)
    demo.save("政务服务与营商环境")
    made = (
        f"{year}年营商环境投诉{complaints}件、求助{helps}件、政务服务办件{served}件；"
        f"当前在办{current}件"
    )
    return "；".join(p for p in (made, registers) if p)
