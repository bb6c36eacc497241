"""Demo records of report part (七): 25 NPC suggestions and 49 CPPCC proposals assigned in the
year (city and district sessions), 6 procuratorial and 6 judicial suggestions — all replied
and concluded by the year's end, as the seed report says — written through the bulk import
(``DemoMatters``), so every figure of the report's paragraph is computed from them.

Their history is what an office records: assisting units' opinions before the reply, a
consultation with the deputy (面商), replies of class A/B/C, the deputy's feedback, a few
extensions approved for complex suggestions and a few redos after a dissatisfied feedback.
"""

from __future__ import annotations

import datetime as dt
import random

from fazhi.core.models import OrgUnit
from fazhi.procedures.demodata import DemoMatter, DemoMatters, already_built, later, spread, unit

LEADS = [
    "区住建局",
    "区教育局",
    "区卫健局",
    "区城管执法局",
    "区民政局",
    "区人社局",
    "区市场监管局",
    "区发改局",
    "区农业农村局",
    "区文广旅局",
]
TOPICS = [
    ("关于加快老旧小区改造的建议", "已将该小区纳入本年度改造计划并完成管网更新。"),
    ("关于增设社区养老服务站的建议", "已在两个社区新建养老服务站，明年继续扩面。"),
    ("关于规范校外培训机构的建议", "已开展专项检查，建立日常巡查机制。"),
    ("关于改善背街小巷照明的建议", "已完成路灯增设和维修。"),
    ("关于优化营商环境审批流程的建议", "已精简审批环节，推行一网通办。"),
    ("关于加强农贸市场食品安全监管的建议", "已增加抽检频次并公示结果。"),
    ("关于推进垃圾分类的建议", "已在试点街道推行，留作全区推广参考。"),
    ("关于扩大公共停车泊位的建议", "已列入明年城市更新计划。"),
]
SESSIONS = [
    "四平市第八届人民代表大会第四次会议",
    "铁西区第十八届人民代表大会第四次会议",
]
CPPCC_SESSIONS = [
    "政协四平市第八届委员会第四次会议",
    "政协铁西区第十届委员会第四次会议",
]
SURNAMES = "王李张刘陈杨赵黄周吴孙郑"
GIVEN = ["建华", "秀梅", "志刚", "海燕", "玉兰", "国强", "丽娟", "文博"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _handle(
    m: DemoMatter,
    assigned: dt.date,
    rng: random.Random,
    *,
    assistant: OrgUnit | None,
    result: str,
    extended: bool,
    redo: bool,
    reply: str,
    cutoff: dt.date,
) -> None:
    """One suggestion's history: opinions, consultation, reply, feedback, (redo), conclusion."""
    day = assigned
    if assistant is not None:
        m.step("add_assistant", assigned, org=assistant.name)
        day = later(assigned, rng, 15, 35, cutoff)
        m.step("opinion", day, org=assistant.name, text="同意主办单位办理意见，配合落实相关工作。")
    day = later(day, rng, 5, 20, cutoff)
    m.step(
        "consult",
        day,
        form=rng.choice(["face", "phone", "forum", "site"]),
        text="与代表委员沟通办理思路。",
    )
    if extended:
        day = max(day, later(assigned, rng, 60, 80, cutoff))
        m.step("extend", day, days=3, reason="涉及多个部门，情况复杂，经批准延期。")
        day = max(later(day, rng, 5, 20, cutoff), later(assigned, rng, 100, 140, cutoff))
    else:
        day = later(day, rng, 10, 30, cutoff)
    m.step("reply", day, result=result, reply=reply)
    day = later(day, rng, 5, 15, cutoff)
    if redo:
        m.step("feedback", day, satisfaction="dissatisfied", comment="措施不够具体。")
        day = later(day, rng, 2, 6, cutoff)
        m.step("redo", day, reason="代表委员对答复不满意，交承办单位再次办理。")
        day = later(day, rng, 10, 25, cutoff)
        m.step("reply", day, result="A" if result != "C" else "B", reply=reply + "（再次办理）")
        day = later(day, rng, 5, 15, cutoff)
    m.step("feedback", day, satisfaction=rng.choice(["satisfied"] * 4 + ["basically_satisfied"]))
    m.step("conclude", later(day, rng, 3, 10, cutoff))


def _deputy_matters(
    demo: DemoMatters,
    procedure: str,
    count: int,
    leads: list[OrgUnit],
    year: int,
    rng: random.Random,
    sessions: list[str],
) -> None:
    cutoff = dt.date(year, 12, 20)
    days = spread(rng, year, count, last=dt.date(year, 5, 31))
    results = ["A"] * (count // 2) + ["B"] * (count // 3)
    results += ["C"] * (count - len(results))
    rng.shuffle(results)
    for i, assigned in enumerate(days):
        subject, reply = TOPICS[i % len(TOPICS)]
        if procedure == "cppcc_proposal":
            subject = subject.replace("的建议", "的提案")
        lead = leads[i % len(leads)]
        other = leads[(i + 3) % len(leads)]
        m = demo.add(
            procedure,
            org=lead,
            received_on=assigned,
            subject=subject,
            channel="other",
            details={
                "deputy": _name(rng),
                "session": sessions[i % len(sessions)],
                "number": f"{i + 1:03d}",
            },
        )
        _handle(
            m,
            assigned,
            rng,
            assistant=other if i % 3 == 0 else None,
            result=results[i],
            extended=i % 9 == 4,
            redo=i % 11 == 7,
            reply=reply,
            cutoff=cutoff,
        )


ORGAN_MATTERS = {
    "procuratorial_suggestion": (
        "四平市铁西区人民检察院",
        "铁西检建",
        [
            ("关于加强校园周边食品安全监管的检察建议", "区市场监管局"),
            ("关于规范行政执法程序的检察建议", "区城管执法局"),
            ("关于整治河道非法排污的检察建议", "区住建局"),
            ("关于加强未成年人网吧管理的检察建议", "区文广旅局"),
            ("关于规范社会救助资金发放的检察建议", "区民政局"),
            ("关于消除燃气管道安全隐患的检察建议", "区应急局"),
        ],
    ),
    "judicial_suggestion": (
        "四平市铁西区人民法院",
        "铁西法建",
        [
            ("关于规范行政处罚告知程序的司法建议", "区市场监管局"),
            ("关于完善征收补偿程序的司法建议", "区住建局"),
            ("关于加强劳动保障监察的司法建议", "区人社局"),
            ("关于规范政府信息公开答复的司法建议", "区政数局"),
            ("关于加强医疗纠纷预防的司法建议", "区卫健局"),
            ("关于规范拆除违法建筑程序的司法建议", "区城管执法局"),
        ],
    ),
}


def _organ_matters(demo: DemoMatters, root: OrgUnit, year: int, rng: random.Random) -> None:
    cutoff = dt.date(year, 12, 20)
    for procedure, (issuer, prefix, items) in ORGAN_MATTERS.items():
        days = spread(rng, year, len(items), last=dt.date(year, 9, 30))
        for i, (received, (subject, short)) in enumerate(zip(days, items, strict=True)):
            details: dict[str, object] = {
                "issuer": issuer,
                "document_number": f"{prefix}〔{year}〕{i + 1}号",
                "content": subject.removeprefix("关于").rsplit("的", 1)[0] + "。",
            }
            if i == 2:
                details["reply_months"] = 1  # the suggestion sets its own, shorter limit
            m = demo.add(
                procedure,
                org=unit(root, short),
                received_on=received,
                subject=subject,
                channel="letter",
                details=details,
            )
            replied = later(received, rng, 15, 28 if i == 2 else 50, cutoff)
            m.step("reply", replied, measures="已制定整改方案，完成专项整治并建立长效机制。")
            m.step("close", later(replied, rng, 10, 40, cutoff))


def build(root: OrgUnit, year: int) -> str:
    """The year's suggestions, proposals and procuratorial/judicial suggestions (once)."""
    if already_built("npc_suggestion", year):
        return ""
    rng = random.Random(year * 31)
    leads = [unit(root, short) for short in LEADS]
    demo = DemoMatters()
    _deputy_matters(demo, "npc_suggestion", 25, leads, year, rng, SESSIONS)
    _deputy_matters(demo, "cppcc_proposal", 49, leads, year, rng, CPPCC_SESSIONS)
    _organ_matters(demo, root, year, rng)
    demo.save("建议提案")
    return f"{year}年人大代表建议25件、政协提案49件、检察建议6件、司法建议6件"
