"""Demo records of report part (六): mediation, dispute screening, reconsideration, litigation.

The 2024 cohort reproduces the seed report: 145 mediations at police-station rooms and 63 at
court rooms, 4 agreements judicially confirmed; 2666 screening rounds finding 9 disputes, all
resolved; 19 reconsideration applications, 16 accepted (all concluded by year end), 2 not
accepted, 1 deemed abandoned after a correction notice went unanswered; 3 litigation cases,
the organ's head in court at every hearing, no appeal, no retrial petition, the one judgment
against an organ performed within its time.
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
DISPUTE_TYPES = ["邻里", "婚姻家庭", "物业服务", "劳动争议", "土地承包", "拖欠工资"]
MEDIATION_TYPES = ["治安纠纷", "邻里纠纷", "交通事故赔偿", "婚姻家庭", "民间借贷", "劳务合同"]
DEFENDANTS = ["区城管执法局", "区市场监管局", "区人社局"]


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
    days = spread(rng, year, 2666, last=dt.date(year, 11, 30))
    finding = set(rng.sample(range(len(days)), 9))
    rounds = []
    demo = DemoMatters()
    cutoff = dt.date(year, 12, 31)
    for i, day in enumerate(days):
        found = 1 if i in finding else 0
        org = units[i % len(units)]
        reference = f"PC-{year}-{i + 1:05d}"
        rounds.append(
            NewActivity(
                "dispute_screening",
                org=org,
                on=day,
                title=f"涉民生重点领域矛盾纠纷排查（第{i + 1}次）",
                figures={"found": found, "resolved": found},
                reference=reference,
            )
        )
        if found:  # the dispute the round found, registered that day and resolved later
            kind = rng.choice(DISPUTE_TYPES)
            demo.add(
                "dispute",
                org=org,
                received_on=day,
                subject=f"{kind}矛盾纠纷",
                channel="visit",
                party=_party(rng),
                details={"screening": reference, "dispute_type": kind},
            ).step(
                "resolve",
                later(day, rng, 3, 20, cutoff),
                method="司法所、人民调解员上门调解，双方达成谅解。",
            )
    recorded = len(record_activities(rounds, by=staff))
    demo.save("矛盾纠纷排查")
    return recorded


def _mediations(root: OrgUnit, year: int, rng: random.Random) -> int:
    """145 cases at the police-station rooms, 63 at the court rooms, 40 by the committees of
    the township and streets; 4 of the year's agreements judicially confirmed."""
    from fazhi.core.models import OrgKind

    if already_built("mediation", year):
        return 0
    office = unit(root, "区司法局")
    committees = list(
        OrgUnit.objects.subtree_of(root).filter(kind__in=[OrgKind.TOWNSHIP, OrgKind.STREET])
    )
    cutoff = dt.date(year, 12, 31)
    plan = ["police_station"] * 145 + ["court"] * 63 + ["people"] * 40
    days = spread(rng, year, len(plan), last=dt.date(year, 11, 30))
    rng.shuffle(plan)
    demo = DemoMatters()
    court_agreements = []
    for i, (received, venue) in enumerate(zip(days, plan, strict=True)):
        kind = MEDIATION_TYPES[i % len(MEDIATION_TYPES)]
        m = demo.add(
            "mediation",
            org=committees[i % len(committees)] if venue == "people" else office,
            received_on=received,
            subject=f"{kind}调解",
            channel="visit",
            party=_party(rng),
            details={"venue": venue, "dispute_type": kind, "mediator": "调解员" + str(i % 12 + 1)},
        )
        done = later(received, rng, 1, 15, cutoff)
        if i % 9 == 4:
            m.step("fail", done, guidance="告知当事人可以依法向人民法院提起诉讼。")
            continue
        m.step("agree", done, agreement="双方自愿达成调解协议，约定赔偿及履行方式。")
        if venue == "court":
            court_agreements.append((m, done))
    for m, agreed in court_agreements[:4]:
        m.step(
            "confirm",
            later(agreed, rng, 5, 15, cutoff),
            court="四平市铁西区人民法院",
            ruling_number=f"（{year}）吉0302民特{rng.randrange(10, 99)}号",
        )
    return demo.save("调解")


def _litigation(root: OrgUnit, year: int, rng: random.Random) -> int:
    """3 first-instance cases; a head in court at each hearing; one judgment against the organ,
    performed within the time it set; no appeal, no retrial petition."""
    if already_built("litigation", year):
        return 0
    demo = DemoMatters()
    served = [dt.date(year, 3, 11), dt.date(year, 6, 17), dt.date(year, 9, 9)]
    outcomes = ["organ_won", "withdrawn", "organ_lost"]
    causes = ["不服行政处罚决定", "不服行政强制措施", "不服工伤认定决定"]
    for i, (day, outcome) in enumerate(zip(served, outcomes, strict=True)):
        org = unit(root, DEFENDANTS[i])
        m = demo.add(
            "litigation",
            org=org,
            received_on=day,
            subject=f"{causes[i]}提起行政诉讼",
            channel="letter",
            party=_party(rng),
            details={
                "court": "四平市铁西区人民法院",
                "case_number": f"（{year}）吉0302行初{i + 1}号",
                "cause": causes[i],
                "instance": "first",
                "defendant": org.name,
            },
        )
        m.step("defend", day + dt.timedelta(days=10), evidence="答辩状、证据目录及证据材料。")
        hearing = day + dt.timedelta(days=40)
        m.step(
            "hear",
            hearing,
            head_appeared=True,
            hearing_on=hearing,
            appeared=f"{org.short_name}负责人",
        )
        judged = day + dt.timedelta(days=55)
        if outcome == "organ_lost":
            m.step(
                "judge",
                judged,
                outcome=outcome,
                effective=True,
                perform_days=30,
                document_number=f"（{year}）吉0302行初{i + 1}号",
            )
            m.step("perform", judged + dt.timedelta(days=20), result="已依判决重新作出行政行为。")
        else:
            m.step("judge", judged, outcome=outcome, effective=True)
            m.step("conclude", judged + dt.timedelta(days=16))
    return demo.save("行政应诉")


def build(root: OrgUnit, year: int) -> str:
    screenings = _screenings(root, year, random.Random(year * 3))
    mediations = _mediations(root, year, random.Random(year * 5))
    cases = _litigation(root, year, random.Random(year * 11))
    if already_built("reconsideration", year):
        return f"{year}年调解{mediations}件、行政应诉{cases}件、矛盾纠纷排查{screenings}次"
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
    return (
        f"{year}年行政复议申请{len(days)}件、调解{mediations}件、行政应诉{cases}件、"
        f"矛盾纠纷排查{screenings}次；当前在办{current}件"
    )


from fazhi.disputes.petitions import demo as _petitions  # noqa: E402  petitions follow

build = _petitions.after(build)
