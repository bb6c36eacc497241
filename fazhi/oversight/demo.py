"""Demo records of report part (七): the mayor's mailbox (16 letters in 2024, all replied),
supervision activities, and the suggestions and proposals (``suggestions.demo``)."""

from __future__ import annotations

import datetime as dt
import random

from fazhi.core.models import OrgUnit
from fazhi.oversight.hotline import demo as hotline_demo
from fazhi.procedures.demodata import (
    DemoMatters,
    already_built,
    demo_user,
    later,
    route,
    spread,
    unit,
)

LETTERS = [
    ("小区供暖温度不达标", "经核查，热力公司已对该小区管网进行调压，室温已达标。"),
    ("建议增设公交线路", "您的建议已转交交通部门研究，纳入明年线网优化方案。"),
    ("老旧小区改造进度", "该小区已列入明年改造计划，预计二季度开工。"),
    ("路灯损坏无人维修", "城管部门已于三日内完成维修。"),
    ("占道经营影响通行", "执法部门已加强巡查并规范摊点设置。"),
    ("学校周边交通拥堵", "已协调交警在上下学时段增派警力疏导。"),
]


def _field_supervision(office: OrgUnit, year: int, rng: random.Random) -> int:
    """Field supervision inspections on sanitation and projects (the report's "60余次")."""
    from fazhi.procedures.activities import NewActivity, record_activities
    from fazhi.procedures.models import Activity

    if Activity.objects.of("field_supervision").in_year(year).exists():
        return 0
    topics = ["环境卫生", "项目建设", "领导批示交办事项", "安全生产"]
    days = spread(rng, year, 63)
    inspections = [
        NewActivity(
            "field_supervision",
            org=office,
            on=day,
            title=f"{topics[i % len(topics)]}实地督查",
            figures={"issues_found": rng.randint(0, 4)},
        )
        for i, day in enumerate(days)
    ]
    return len(record_activities(inspections, by=demo_user("admin")))


def _audits_and_coordination(root: OrgUnit, year: int, rng: random.Random) -> int:
    """Audit projects (with their reports) and statistics-supervision coordination meetings."""
    from fazhi.oversight.supervision import record_supervision
    from fazhi.procedures.models import Activity

    if Activity.objects.of("audit", "statistics_supervision").in_year(year).exists():
        return 0
    admin = demo_user("admin")
    auditor, statistics = unit(root, "区审计局"), unit(root, "区统计局")
    audits = ["预算执行情况审计", "经济责任审计", "专项资金审计", "政府投资项目审计"]
    count = 0
    for i, day in enumerate(spread(rng, year, 8)):
        found = rng.randint(2, 9)
        report = f"{audits[i % len(audits)]}报告\n发现问题{found}个，已督促整改。\n".encode()
        record_supervision(
            "audit",
            org=auditor,
            on=day,
            title=audits[i % len(audits)],
            figures={"issues_found": found, "rectified": found, "amount": rng.randint(50, 900)},
            files=[(f"审计报告{i + 1}.txt", report)],
            by=admin,
        )
        count += 1
    meetings = ["统计监督与纪检监察监督贯通协同会商", "统计执法与专业统计联合检查"]
    for i, day in enumerate(spread(rng, year, 4)):
        record_supervision(
            "statistics_supervision",
            org=statistics,
            on=day,
            title=meetings[i % len(meetings)],
            figures={"clues_transferred": rng.randint(0, 3)},
            by=admin,
        )
        count += 1
    return count


def _release_consenting(year: int) -> None:
    """Staff release the consenting letters of the year (the portal's 信件公开 has some)."""
    from fazhi.procedures.models import Matter
    from fazhi.procedures.publicity import release_matter

    admin = demo_user("admin")
    letters = Matter.objects.filter(
        procedure="mailbox_letter",
        received_on__year=year,
        details__consent_publish=True,
        state="replied",
    ).select_related("org")
    for matter in letters:
        release_matter(matter, admin, reason="演示数据：审核公开")


def build(root: OrgUnit, year: int) -> str:
    hotline = hotline_demo.build(root, year)  # 12345 hotline orders: fazhi/oversight/hotline/
    office = unit(root, "区政府办")
    route("mailbox_letter", office)
    inspections = _field_supervision(office, year, random.Random(year * 17))
    _audits_and_coordination(root, year, random.Random(year * 19))
    from fazhi.oversight.suggestions import demo as suggestions

    suggestions.build(root, year)
    if already_built("mailbox_letter", year):
        return ""
    demo = DemoMatters()
    rng = random.Random(year * 13)
    cutoff = dt.date(year, 12, 31)
    days = spread(rng, year, 16, last=dt.date(year, 11, 30))
    for i, received in enumerate(days):
        subject, reply = LETTERS[i % len(LETTERS)]
        m = demo.add(
            "mailbox_letter",
            org=office,
            received_on=received,
            subject=subject,
            channel="web",
            party={
                "name": rng.choice("王李张刘陈杨") + rng.choice("女士先生"),
                "phone": f"139{rng.randrange(10**8):08d}",
            },
            details={
                "content": f"区长您好：{subject}，希望尽快解决。",
                "consent_publish": i % 3 != 0,
            },
        )
        m.step("reply", later(received, rng, 3, 12, cutoff), reply=reply)
    demo.save("制约监督")
    _release_consenting(year)
    return "、".join(
        filter(None, (f"{year}年区长信箱来信{len(days)}件、实地督查{inspections}次", hotline))
    )
