"""Demo records of report part (四): the enforcement organs' powers, their officers and their
certificates, and a year of enforcement decisions with their publication (through the import).

Most decisions are published within their limit, a few late, a few not yet at the year's end;
decisions about minors are never published; a few are changed and withdrawn. Every figure the
dashboard shows is counted from these records.
"""

from __future__ import annotations

import datetime as dt
import random

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.pii import uscc_check_char
from fazhi.core.registers import save_entry
from fazhi.enforcement.models import (
    EnforcementOfficer,
    EnforcementPower,
    InspectionFiling,
    LeniencyItem,
    MajorDecisionRule,
    RequiredRecord,
    ReviewItem,
)
from fazhi.enforcement.types import action_type_label
from fazhi.procedures.demodata import (
    DemoMatters,
    already_built,
    later,
    spread,
    unit,
    working_day_on_or_after,
)

# organ → (decisions by type in a year), the district's enforcement organs
ORGANS: dict[str, dict[str, int]] = {
    "区市场监管局": {"license": 260, "penalty": 90, "inspection": 50},
    "区城管执法局": {"penalty": 120, "coercion": 15},
    "区应急局": {"penalty": 35, "inspection": 70},
    "区卫健局": {"license": 90, "penalty": 25},
    "区农业农村局": {"license": 30, "penalty": 15},
    "区文广旅局": {"license": 25, "penalty": 8},
    "区住建局": {"license": 50, "penalty": 15, "confirmation": 10},
    "区人社局": {"confirmation": 50, "payment": 30},
    "区民政局": {"payment": 40, "confirmation": 20},
}

BASES = {
    "license": ("《中华人民共和国行政许可法》第三十八条", "准予行政许可"),
    "penalty": ("《中华人民共和国行政处罚法》第二十八条", "警告并处罚款"),
    "coercion": ("《中华人民共和国行政强制法》第二十二条", "查封场所、设施"),
    "inspection": ("《中华人民共和国安全生产法》第六十五条", "责令限期整改"),
    "confirmation": ("《工伤保险条例》第二十条", "予以确认"),
    "payment": ("《社会救助暂行办法》第十一条", "给予最低生活保障"),
}
COMPANIES = ["商贸有限公司", "餐饮管理有限公司", "建筑工程有限公司", "物流有限公司", "药房"]
PLACES = ["铁西", "英雄", "仁兴", "北沟", "地直", "平西", "紫气", "站前"]
SURNAMES = "王李张刘陈杨赵黄周吴"


def _credit_code(rng: random.Random) -> str:
    first17 = "91220302" + "".join(rng.choice("0123456789") for _ in range(9))
    return first17 + uscc_check_char(first17)


def _person(rng: random.Random, minor: bool, year: int) -> dict[str, str]:
    from stdnum.cn import ric

    if minor:
        birth = dt.date(year - 16, 1, 1) + dt.timedelta(days=rng.randrange(700))
    else:
        birth = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(15000))
    first17 = f"220302{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return {
        "name": rng.choice(SURNAMES) + rng.choice(["建国", "秀英", "志强", "海燕", "明"]),
        "kind": "person",
        "id_number": first17 + ric.calc_check_digit(first17 + "0"),
        "phone": f"13{rng.randrange(10**9):09d}",
    }


def _registers(organs: list[OrgUnit], year: int, rng: random.Random) -> list[list[str]]:
    """Powers and officers of each organ; the numbers of each organ's officers."""
    today = clock.today()
    numbers: list[list[str]] = []
    for i, org in enumerate(organs, start=1):
        for kind in ORGANS[org.short_name]:
            basis, _result = BASES[kind]
            save_entry(
                EnforcementPower,
                {
                    "org": org,
                    "name": f"{action_type_label(kind)}（{org.short_name}）",
                    "action_type": kind,
                    "legal_basis": basis,
                    "valid_from": dt.date(year - 3, 1, 1),
                },
                by=None,
            )
        mine: list[str] = []
        for j in range(1, rng.randint(6, 9) + 1):
            start = dt.date(year - rng.randint(1, 3), rng.randint(1, 12), 1)
            end = start.replace(year=start.year + 5) - dt.timedelta(days=1)
            if j == 1 and i % 3 == 0:  # due for renewal soon: the expiry alert has rows
                end = today + dt.timedelta(days=rng.randint(20, 80))
            number = f"JL22{i:02d}{j:04d}"
            save_entry(
                EnforcementOfficer,
                {
                    "org": org,
                    "name": rng.choice(SURNAMES) + rng.choice(["伟", "芳", "磊", "静", "军", "丽"]),
                    "certificate_number": number,
                    "issuing_body": "吉林省人民政府",
                    "exam_passed_on": start - dt.timedelta(days=60),
                    "training_hours": rng.randint(40, 72),
                    "valid_from": start,
                    "valid_to": end,
                },
                by=None,
            )
            mine.append(number)
        numbers.append(mine)
    return numbers


def build(root: OrgUnit, year: int) -> str:
    if already_built("enforcement_decision", year):
        return ""
    rng = random.Random(year * 41)
    organs = [unit(root, short) for short in ORGANS]
    numbers = _registers(organs, year, rng)
    _leniency(root, year)
    _catalog(root, year)
    demo = DemoMatters()
    cutoff = dt.date(year, 12, 31)
    made = published = 0
    reviews = DemoMatters()
    filings: list[tuple[OrgUnit, dict[str, str], dt.date, str]] = []
    for org, officers in zip(organs, numbers, strict=True):
        for kind, count in ORGANS[org.short_name].items():
            for n, day in enumerate(spread(rng, year, count, last=dt.date(year, 12, 28)), 1):
                minor = kind == "penalty" and rng.random() < 0.02
                if minor or (kind in ("payment", "confirmation") or rng.random() < 0.35):
                    party = _person(rng, minor, year)
                else:
                    name = rng.choice(PLACES) + rng.choice(COMPANIES)
                    party = {
                        "name": f"四平市{name}",
                        "kind": "organisation",
                        "id_number": _credit_code(rng),
                    }
                basis, result = BASES[kind]
                details = {
                    "action_type": kind,
                    "decision_number": f"铁{org.short_name[1:3]}决字〔{year}〕{n}号",
                    "legal_basis": basis,
                    "result": result,
                    "handlers": "、".join(rng.sample(officers, 2)),
                    "minor": minor,
                }
                if kind == "penalty":
                    code, what = rng.choice(VIOLATIONS)
                    details["violation"] = code
                    details["facts"] = f"经查，当事人{what}。"
                    if rng.random() < 0.08:  # first violation, slight harm, corrected: 首违不罚
                        details["leniency"] = "first_violation"
                        details["result"] = "不予行政处罚，责令改正"
                    else:
                        amount = rng.choice([500, 1000, 2000, 5000, 10000, 30000])
                        details["amount"] = str(amount)
                        if amount >= MAJOR_AMOUNT:  # a major decision: reviewed before it is made
                            details["legal_review"] = _review(reviews, org, party, day, amount, rng)
                if kind == "inspection" and rng.random() < 0.96:  # filed first, mostly
                    filings.append((org, party, day, str(details["handlers"])))
                m = demo.add(
                    "enforcement_decision",
                    org=org,
                    received_on=day,
                    subject=f"{party['name'][:20]}{dict(BASES)[kind][1]}",
                    channel="import",
                    party=party,
                    details=details,
                )
                made += 1
                if minor:
                    continue
                roll = rng.random()
                if roll < 0.03:  # late
                    on = later(day, rng, 12, 35, cutoff)
                elif roll < 0.97:
                    on = later(day, rng, 1, 6, cutoff)
                else:
                    continue
                if on <= day:
                    continue  # decided on the year's last days: published next year
                m.step("publish", on)
                published += 1
                if rng.random() < 0.006 and on < dt.date(year, 12, 20):
                    changed = later(on, rng, 5, 30, cutoff)
                    m.step("mark_changed", changed, change="revoked", basis="行政复议决定撤销")
                    m.step(
                        "withdraw",
                        later(changed, rng, 1, 2, cutoff),
                        reason="原决定已被行政复议决定撤销。",
                    )
    for n, (org, party, day, officers_) in enumerate(filings, start=1):
        start = day - dt.timedelta(days=rng.randint(0, 10))
        save_entry(
            InspectionFiling,
            {
                "org": org,
                "number": f"BA{year}{n:05d}",
                "target": party["name"],
                "target_code": party.get("id_number", "") if party["kind"] != "person" else "",
                "place": "铁西区",
                "legal_basis": BASES["inspection"][0],
                "officers": officers_,
                "filed_on": start - dt.timedelta(days=rng.randint(0, 5)),
                "valid_from": start,
                "valid_to": day + dt.timedelta(days=rng.randint(0, 20)),
            },
            by=None,
        )
    reviews.save("重大执法决定法制审核")  # first: the decisions' check reads their opinions
    demo.save("行政执法")
    _case_records(root, year, rng)
    rounds = _reviews(unit(root, "区司法局"), year, rng)
    return (
        f"{year}年行政执法决定{made}件，公示{published}件；执法人员{sum(map(len, numbers))}名；"
        f"案卷评查{rounds}次"
    )


MAJOR_AMOUNT = 30000


def _review(
    reviews: DemoMatters,
    org: OrgUnit,
    party: dict[str, str],
    day: dt.date,
    amount: int,
    rng: random.Random,
) -> str:
    """The legal review of a major decision: submitted a week or two before, opinion after."""
    submitted = working_day_on_or_after(day - dt.timedelta(days=rng.randint(8, 14)))
    m = reviews.add(
        "legal_review",
        org=org,
        received_on=submitted,
        subject=f"{party['name'][:20]}拟作出较大数额罚款",
        channel="other",
        party=party,
        details={"action_type": "penalty", "proposal": f"罚款{amount}元", "amount": str(amount)},
    )
    m.step(
        "opinion",
        later(submitted, rng, 1, 4, day - dt.timedelta(days=1)),
        opinion="approve",
        text="经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意。",
    )
    return str(m.record["reference"])


def _catalog(root: OrgUnit, year: int) -> None:
    for kind, what, least, words in (
        ("penalty", "较大数额罚款", MAJOR_AMOUNT, ""),
        ("penalty", "吊销许可证件、责令停产停业", None, "吊销、责令停产停业"),
        ("coercion", "划拨存款汇款、拍卖财物", None, "划拨、拍卖"),
    ):
        save_entry(
            MajorDecisionRule,
            {
                "org": root,
                "action_type": kind,
                "description": what,
                "min_amount": least,
                "result_words": words,
                "valid_from": dt.date(year - 1, 1, 1),
            },
            by=None,
        )


VIOLATIONS = [
    ("SC-001", "未在住所醒目位置公示营业执照"),
    ("SC-002", "未按规定标明商品价格"),
    ("CG-001", "店外经营占用人行道"),
    ("YJ-001", "未按规定开展安全生产教育培训"),
]


def _leniency(root: OrgUnit, year: int) -> None:
    """The district's first-violation list: each violation above, a year's look-back."""
    for code, what in VIOLATIONS:
        save_entry(
            LeniencyItem,
            {
                "org": root,
                "list_kind": "first_violation",
                "violation": code,
                "description": what,
                "law": "《中华人民共和国行政处罚法》第三十三条第一款",
                "conditions": "首次违法、危害后果轻微并及时改正",
                "lookback_years": 1,
                "valid_from": dt.date(year - 1, 1, 1),
            },
            by=None,
        )


REQUIRED = {
    "penalty": [
        ("立案审批表", "written"),
        ("现场检查笔录", "written"),
        ("执法记录仪录像", "video"),
        ("行政处罚决定书", "written"),
        ("送达回证", "written"),
    ],
    "license": [("申请材料", "written"), ("准予行政许可决定书", "written")],
}
DEMO_PDF = b"%PDF-1.4\n% demo record\n"


def _case_records(root: OrgUnit, year: int, rng: random.Random) -> None:
    """The record lists for penalties and licences, and the records of some decisions: most
    complete, a few lacking their service receipt."""
    from fazhi.enforcement.records import add_record
    from fazhi.procedures.demodata import demo_user
    from fazhi.procedures.models import Matter

    clerk = demo_user("admin")  # attachments are added by a person (procedures.attachments)

    for kind, documents in REQUIRED.items():
        for document, form in documents:
            save_entry(
                RequiredRecord,
                {
                    "org": root,
                    "action_type": kind,
                    "document": document,
                    "kind": form,
                    "valid_from": dt.date(year - 1, 1, 1),
                },
                by=None,
            )
    decisions = list(
        Matter.objects.of("enforcement_decision")
        .received_in(year)
        .filter(details__action_type__in=list(REQUIRED))
        .order_by("pk")
    )
    for matter in rng.sample(decisions, 40):
        for document, form in REQUIRED[matter.details["action_type"]]:
            if document == "送达回证" and rng.random() < 0.2:
                continue
            if form == "video":
                add_record(
                    matter,
                    document=document,
                    kind=form,
                    recorded_on=matter.received_on,
                    by=clerk,
                    storage_ref=f"DV-{matter.pk:06d}-01",
                    duration_seconds=rng.randint(120, 1800),
                )
            else:
                add_record(
                    matter,
                    document=document,
                    kind=form,
                    recorded_on=matter.received_on,
                    by=clerk,
                    file=(f"{document}.pdf", DEMO_PDF),
                )


SHEET = [
    ("执法主体合法", 15, "执法机关和执法人员具备主体资格，持证执法。"),
    ("程序合法", 25, "立案、调查、告知、听证、决定、送达等程序完整。"),
    ("证据确凿", 20, "证据充分、来源合法、能证明违法事实。"),
    ("适用法律正确", 20, "定性准确，适用依据正确，裁量适当。"),
    ("文书规范", 10, "执法文书要素齐全、格式规范。"),
    ("归档完整", 10, "案卷材料齐全，全过程记录可回溯。"),
]


def _reviews(office: OrgUnit, year: int, rng: random.Random) -> int:
    """Two review rounds (the report's "案卷评查2次"), about 30 case files scored in each."""
    from fazhi.enforcement.reviews import KIND, score_case_file
    from fazhi.procedures.activities import record_activity
    from fazhi.procedures.models import Matter

    items = [
        save_entry(
            ReviewItem,
            {
                "org": office,
                "name": name,
                "points": points,
                "standard": standard,
                "order": i,
                "valid_from": dt.date(year - 1, 1, 1),
            },
            by=None,
        )
        for i, (name, points, standard) in enumerate(SHEET, start=1)
    ]
    files = list(
        Matter.objects.of("enforcement_decision")
        .received_in(year)
        .filter(details__action_type__in=["penalty", "license"])
        .order_by("pk")
    )
    for title, day in (
        ("上半年行政执法案卷评查", dt.date(year, 6, 20)),
        ("下半年行政执法监督检查暨案卷评查", dt.date(year, 11, 20)),
    ):
        round_ = record_activity(KIND, org=office, on=day, title=title)
        for matter in rng.sample([f for f in files if f.received_on < day], 30):
            scores = {
                str(item.pk): max(0, item.points - rng.choice([0, 0, 0, 1, 2, 3, 5]))
                for item in items
            }
            weak = [item.name for item in items if scores[str(item.pk)] < item.points - 2]
            findings = "、".join(weak) + "方面存在不足。" if weak else ""
            score_case_file(round_, matter, scores, findings, by=None)
    return 2
