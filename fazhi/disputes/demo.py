"""Demo records of report part (六): administrative reconsideration.

The 2024 cohort reproduces the seed report: 19 applications, 16 accepted (all concluded
by year end), 2 not accepted, 1 deemed abandoned after a correction notice went unanswered.
"""

from __future__ import annotations

import datetime as dt
import random

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.procedures.demodata import DemoMatters, already_built, demo_user, later, spread, unit

RESPONDENTS = [
    "四平市铁西区市场监督管理局",
    "四平市铁西区城市管理行政执法局",
    "四平市铁西区人力资源和社会保障局",
    "四平市铁西区住房和城乡建设局",
    "四平市铁西区卫生健康局",
]
ACTS = [
    "行政处罚决定",
    "责令限期拆除通知",
    "工伤认定决定",
    "政府信息公开答复",
    "行政许可不予受理决定",
]
OUTCOMES = ["upheld"] * 8 + ["revoked"] * 2 + ["confirmed_unlawful", "altered", "dismissed"]
SURNAMES = "王李张刘陈杨赵黄周吴"


def _party(rng: random.Random) -> dict[str, str]:
    from stdnum.cn import ric

    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
    first17 = f"220302{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return {
        "name": rng.choice(SURNAMES) + rng.choice("建国秀英志强海燕"),
        "kind": "person",
        "id_number": first17 + ric.calc_check_digit(first17 + "0"),
        "phone": f"13{rng.randrange(10**9):09d}",
        "address": "吉林省四平市铁西区英雄大街" + str(rng.randrange(1, 300)) + "号",
    }


def _screenings(root: OrgUnit, year: int, rng: random.Random) -> int:
    """2666 screening rounds by the township and street offices; 9 disputes found, all resolved."""
    from fazhi.core.models import OrgKind
    from fazhi.procedures.activities import NewActivity, record_activities
    from fazhi.procedures.models import Activity

    if Activity.objects.of("dispute_screening").in_year(year).exists():
        return 0
    units = list(
        OrgUnit.objects.subtree_of(root).filter(kind__in=[OrgKind.TOWNSHIP, OrgKind.STREET])
    )
    staff = demo_user("fazhiban")
    days = spread(rng, year, 2666)
    finding = set(rng.sample(range(len(days)), 9))
    rounds = []
    for i, day in enumerate(days):
        found = 1 if i in finding else 0
        rounds.append(
            NewActivity(
                "dispute_screening",
                org=units[i % len(units)],
                on=day,
                title=f"涉民生重点领域矛盾纠纷排查（第{i + 1}次）",
                figures={"found": found, "resolved": found},
            )
        )
    return len(record_activities(rounds, by=staff))


def build(root: OrgUnit, year: int) -> str:
    screenings = _screenings(root, year, random.Random(year * 3))
    if already_built("reconsideration", year):
        return ""
    rng = random.Random(year * 7)
    demo = DemoMatters()
    head = unit(root, "区司法局")
    cutoff = dt.date(year, 12, 31)
    days = spread(rng, year, 19, last=dt.date(year, 10, 15))
    plan = ["accept"] * 16 + ["refuse", "refuse", "lapse"]
    rng.shuffle(plan)
    for i, (received, path) in enumerate(zip(days, plan, strict=True)):
        m = demo.add(
            "reconsideration",
            org=head,
            received_on=received,
            subject=f"不服{RESPONDENTS[i % 5][6:]}{ACTS[i % 5]}申请行政复议",
            channel=rng.choice(["window", "letter", "web"]),
            party=_party(rng),
            details={"respondent": RESPONDENTS[i % 5], "contested_act": ACTS[i % 5]},
        )
        review = later(received, rng, 1, 5, cutoff)
        if path == "refuse":
            m.step("refuse", review, reason="申请超过法定申请期限，不符合受理条件。")
        elif path == "lapse":
            m.step("request_correction", review, items="请补充提交被申请行为的书面材料。")
            m.step("lapse", later(review, rng, 20, 25, cutoff))
        else:
            simplified = rng.random() < 0.25
            m.step("accept", review, simplified=simplified)
            closing = later(review, rng, 20, 28 if simplified else 55, cutoff)
            if i % 8 == 3:
                m.step("terminate", closing, reason="申请人撤回行政复议申请。")
            elif i % 8 == 5:
                m.step("settle", closing)
            else:
                m.step(
                    "decide",
                    closing,
                    outcome=rng.choice(OUTCOMES),
                    document_number=f"铁西复决字〔{year}〕{i + 1}号",
                )
    current = 0
    today = clock.today()
    if today.year != year and not already_built("reconsideration", today.year):
        for back in (2, 9, 50):
            received = today - dt.timedelta(days=back)
            m = demo.add(
                "reconsideration",
                org=head,
                received_on=received,
                subject="不服行政处罚决定申请行政复议",
                party=_party(rng),
                details={"respondent": RESPONDENTS[0], "contested_act": ACTS[0]},
            )
            if back > 5:
                m.step("accept", received + dt.timedelta(days=3))
            current += 1
    demo.save("矛盾纠纷化解")
    return f"{year}年行政复议申请{len(days)}件、矛盾纠纷排查{screenings}次；当前在办{current}件"


from fazhi.disputes.petitions import demo as _petitions  # noqa: E402  petitions follow

build = _petitions.after(build)
