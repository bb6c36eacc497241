"""The demo year of report section 三: 43 heads of Party and government organs in office at the
year's end (one replaced in July: the predecessor, out of office, does not count), each with a
law report evaluated in December; the committee meeting, the half-yearly rule-of-law meetings,
the quarterly briefings, the centre group's study and the two lectures of the 2024 report."""

from __future__ import annotations

import datetime as dt
import random

from fazhi.accountability.models import Head
from fazhi.core.models import OrgKind, OrgUnit
from fazhi.core.registers import save_entry
from fazhi.procedures.activities import NewActivity, record_activities
from fazhi.procedures.demodata import DemoMatters, already_built, demo_user

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国志强海峰立新文华明辉振宇永红树林春雷德胜国庆晓东宏伟"
ROOT_POSTS = (
    ("中共四平市铁西区委员会", "区委书记", "party"),
    ("四平市铁西区人民政府", "区长", "government"),
    ("中共四平市铁西区纪律检查委员会", "区纪委书记、区监委主任", "party"),
    ("中共四平市铁西区委办公室", "主任", "party"),
    ("中共四平市铁西区委组织部", "部长", "party"),
    ("中共四平市铁西区委宣传部", "部长", "party"),
    ("中共四平市铁西区委统战部", "部长", "party"),
    ("中共四平市铁西区委政法委员会", "书记", "party"),
    ("中共四平市铁西区委社会工作部", "部长", "party"),
    ("中共四平市铁西区委机构编制委员会办公室", "主任", "party"),
    ("中共四平市铁西区委巡察工作领导小组办公室", "主任", "party"),
    ("中共四平市铁西区直属机关工作委员会", "书记", "party"),
)


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def _posts(root: OrgUnit) -> list[tuple[OrgUnit, str, str, str]]:
    """(unit, organ, post, organ kind) of every head in the demo district: 43."""
    posts = [(root, organ, post, kind) for organ, post, kind in ROOT_POSTS]
    for u in OrgUnit.objects.subtree_of(root).filter(parent=root).order_by("sort_order"):
        if u.kind in (OrgKind.DEPARTMENT, OrgKind.AGENCY):
            posts.append((u, u.name, "局长", "department"))
        elif u.kind == OrgKind.TOWNSHIP:
            posts.append((u, f"中共{u.name.removesuffix('人民政府')}委员会", "党委书记", "party"))
            posts.append((u, u.name, "乡长", "government"))
        elif u.kind == OrgKind.STREET:
            posts.append(
                (u, f"中共{u.name.removesuffix('办事处')}工作委员会", "党工委书记", "party")
            )
            posts.append((u, u.name, "主任", "government"))
    return posts


def build(root: OrgUnit, year: int) -> str:
    if already_built("law_report", year) or Head.objects.exists():
        return ""
    rng = random.Random(year * 7)
    used: set[str] = set()
    heads = []
    for i, (u, organ, post, kind) in enumerate(_posts(root)):
        start = dt.date(year - 1 - i % 3, 3, 1)
        if i == 20:  # replaced in July: the predecessor's term ends, the successor's begins
            save_entry(
                Head,
                {
                    "org": u,
                    "name": _name(rng, used),
                    "post": post,
                    "organ": organ,
                    "organ_kind": kind,
                    "valid_from": start,
                    "valid_to": dt.date(year, 6, 30),
                },
                by=None,
            )
            start = dt.date(year, 7, 1)
        values = {"org": u, "name": _name(rng, used), "post": post, "organ": organ}
        values.update(organ_kind=kind, valid_from=start)
        heads.append(save_entry(Head, values, by=None))
    demo = DemoMatters()
    for i, h in enumerate(heads):
        reported = dt.date(year, 12, 2 + i % 10)
        score = rng.randint(86, 98)
        demo.add(
            "law_report",
            org=h.org,
            received_on=reported,
            subject=f"{h.organ}{h.post}{h.name}{year}年度述法",
            channel="other",
            details={
                "head_name": h.name,
                "year": year,
                "form": "on_site" if i < 12 else "written",
            },
        ).step(
            "evaluate",
            dt.date(year, 12, 27),
            score=score,
            grade="excellent" if score >= 90 else "good",
            comments="履行推进法治建设第一责任人职责到位，述法内容全面。",
        )
    saved = demo.save("述法评议")
    staff = demo_user("fazhiban")
    items = [
        NewActivity(
            "law_committee_meeting",
            root,
            dt.date(year, 3, 22),
            "区委全面依法治区委员会会议",
            {"documents": "《区委全面依法治区委员会2024年工作要点》等"},
        ),
        *(
            NewActivity(
                "law_committee_meeting", root, dt.date(year, m, 18), f"{year}年法治工作会议（{h}）"
            )
            for m, h in ((6, "上半年"), (12, "下半年"))
        ),
        *(
            NewActivity(
                "law_briefing", root, dt.date(year, 3 * q, 26), f"听取第{q}季度法治工作汇报"
            )
            for q in (1, 2, 3, 4)
        ),
        NewActivity(
            "law_study",
            root,
            dt.date(year, 4, 16),
            "区委理论学习中心组专题学习习近平法治思想",
            {"attendees": 32},
        ),
        NewActivity(
            "law_lecture",
            root,
            dt.date(year, 5, 21),
            "《中华人民共和国行政复议法》法治专题讲座",
            {"attendees": 45, "law": "中华人民共和国行政复议法"},
        ),
        NewActivity(
            "law_lecture",
            root,
            dt.date(year, 9, 24),
            "《重大行政决策程序暂行条例》法治专题讲座",
            {"attendees": 41, "law": "重大行政决策程序暂行条例"},
        ),
    ]
    record_activities(items, by=staff)
    return f"{len(heads)}名在任负责人、{saved}份述法评议、{len(items)}次学法和会议"
