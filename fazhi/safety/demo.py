"""The safety domain's demo year (report part 五): 4 trainings with 800余 attendances, the four
campaigns the 2024 Tiexi report names, the inspection rounds (3498 inspector person-times,
8021 unit-inspections) and the 3703 hazards they found, each a matter of ``safety_hazard``
naming its round, rectified and verified through the rules; twelve directly supervised
enterprises, each inspected and its result made public."""

from __future__ import annotations

import datetime as dt
import random

from stdnum.cn import uscc

from fazhi.core.models import OrgKind, OrgUnit
from fazhi.core.registers import save_entry
from fazhi.procedures.activities import NewActivity, record_activities
from fazhi.procedures.demodata import DemoMatters, already_built, demo_user, later, spread, unit
from fazhi.procedures.models import Activity
from fazhi.safety.models import DirectEnterprise

TRAININGS = (
    ("安全生产及应急管理法治专题培训", 205),
    ("应对突发事件处置能力专题培训", 198),
    ("防汛抗旱应急预案专题培训", 216),
    ("危险化学品事故应急处置专题培训", 213),
)
CAMPAIGNS = (
    ("“稳开局保安全百日攻坚”专项整治", (1, 8), (4, 17)),
    ("安全生产全面排查和六个专项整治", (3, 1), (6, 30)),
    ("安全生产治本攻坚三年行动（2024年度）", (4, 10), (12, 20)),
    ("安全生产重点领域突出问题专项整治", (7, 1), (11, 30)),
)
INSPECTORS, UNITS_INSPECTED, HAZARDS, ROUNDS = 3498, 8021, 3703, 330
DEPARTMENTS = ("区应急局", "区市场监管局", "区住建局", "区城管执法局")
TRADES = ("商贸", "物流", "建材", "机械", "食品", "化工", "餐饮", "建筑工程", "仓储", "汽车维修")
PLACES = ("铁西", "英雄", "仁兴", "北沟", "地直", "平西", "紫气", "海丰", "南迎宾", "北门")
HAZARD_KINDS = (
    "消防通道堵塞",
    "灭火器过期未更换",
    "电气线路私拉乱接",
    "安全出口指示标志损坏",
    "危险化学品储存不规范",
    "特种作业人员无证上岗",
    "安全警示标志缺失",
    "有限空间作业未审批",
    "应急预案未演练",
    "燃气管道无泄漏报警装置",
)
DIRECT = 12


def _parts(rng: random.Random, total: int, n: int, minimum: int) -> list[int]:
    """``total`` split into ``n`` parts, each at least ``minimum``."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    spare = total - minimum * n
    parts = [minimum + int(spare * w / sum(weights)) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % n] += 1
    return parts


def _credit_code(i: int) -> str:
    first = f"91220302MA17{i:05d}"
    return first + uscc.calc_check_digit(first)


def _enterprise(rng: random.Random) -> str:
    return f"四平市{rng.choice(PLACES)}{rng.choice(TRADES)}有限公司"


def build(root: OrgUnit, year: int) -> str:
    if Activity.objects.of("safety_inspection").in_year(year).exists():
        return ""
    rng = random.Random(year * 5)
    staff = demo_user("fazhiban")
    emergency = unit(root, "区应急局")
    departments = [unit(root, name) for name in DEPARTMENTS]
    local = list(
        OrgUnit.objects.subtree_of(root).filter(kind__in=[OrgKind.TOWNSHIP, OrgKind.STREET])
    )
    inspecting = departments + local
    items: list[NewActivity] = []
    for i, (title, attendees) in enumerate(TRAININGS):
        day = dt.date(year, 3 + 2 * i, 12 + i)
        items.append(
            NewActivity(
                "safety_training",
                emergency,
                day,
                title,
                {"attendees": attendees, "topic": "应对突发事件"},
                reference=f"PX-{year}-{i + 1:03d}",
            )
        )
    for i, (title, start, end) in enumerate(CAMPAIGNS):
        items.append(
            NewActivity(
                "safety_campaign",
                root,
                dt.date(year, *start),
                title,
                {"ends_on": dt.date(year, *end).isoformat()},
                reference=f"ZX-{year}-{i + 1:03d}",
            )
        )
    enterprises = []
    for i in range(DIRECT):
        enterprises.append(
            save_entry(
                DirectEnterprise,
                {
                    "org": emergency,
                    "name": f"四平市铁西区{PLACES[i % len(PLACES)]}{TRADES[i % len(TRADES)]}"
                    f"有限责任公司{'一二'[i // 10] if i >= 10 else ''}",
                    "credit_code": _credit_code(i + 1),
                    "sector": ("危险化学品", "工贸", "建筑施工")[i % 3],
                    "valid_from": dt.date(year - 2, 1, 1),
                },
                by=None,
            )
        )
    days = spread(rng, year, ROUNDS, last=dt.date(year, 12, 10))
    inspectors = _parts(rng, INSPECTORS, ROUNDS, 2)
    units = _parts(rng, UNITS_INSPECTED, ROUNDS, 3)
    hazards = _parts(rng, HAZARDS, ROUNDS, 0)
    rounds = []
    for i, day in enumerate(days):
        figures: dict[str, object] = {
            "inspectors": inspectors[i],
            "units": units[i],
            "hazards": hazards[i],
        }
        campaign = next(
            (
                c
                for c, (_t, start, end) in enumerate(CAMPAIGNS)
                if dt.date(year, *start) <= day <= dt.date(year, *end)
            ),
            None,
        )
        if campaign is not None:
            figures["campaign"] = f"ZX-{year}-{campaign + 1:03d}"
        org = inspecting[i % len(inspecting)]
        if i < DIRECT:  # the direct enterprises, one round each, by the emergency bureau
            org = emergency
            figures["enterprise"] = enterprises[i].credit_code
            figures["public"] = True
        reference = f"AJ-{year}-{i + 1:04d}"
        title = (
            f"{enterprises[i].name}安全生产执法检查"
            if i < DIRECT
            else f"{org.short_name or org.name}安全生产执法检查（第{i + 1}次）"
        )
        items.append(
            NewActivity("safety_inspection", org, day, title, figures, reference=reference)
        )
        rounds.append((reference, org, day, hazards[i], enterprises[i].name if i < DIRECT else ""))
    record_activities(items, by=staff)
    if already_built("safety_hazard", year):
        return ""
    demo = DemoMatters()
    cap = dt.date(year, 12, 31)
    for reference, org, day, count, name in rounds:
        for h in range(count):
            kind = rng.choice(HAZARD_KINDS)
            major = rng.random() < 0.004
            matter = demo.add(
                "safety_hazard",
                org=org,
                received_on=day,
                subject=kind,
                channel="other",
                party={"name": name or _enterprise(rng), "kind": "organisation"},
                details={
                    "inspection": reference,
                    "level": "major" if major else "general",
                    "description": f"检查发现{kind}。",
                },
            )
            if not major and rng.random() < 0.45:  # removed on the spot
                done = day
                matter.step("rectify", day, result="当场整改完毕。")
            else:
                due = day + dt.timedelta(days=rng.choice((7, 15, 30)) * (2 if major else 1))
                matter.step(
                    "order_rectification",
                    day,
                    rectify_by=due,
                    measures=f"限期整改{kind}问题。",
                    order_number=f"（铁）应急责改〔{year}〕{h + 1}号",
                )
                done = later(day, rng, 2, max((due - day).days, 2), due)
                if rng.random() < 0.03:  # a few rectified late
                    done = later(due, rng, 1, 5, dt.date(year + 1, 1, 31))
                if done > cap:
                    continue  # still being rectified at the year's end
                matter.step("rectify", done, result="已按要求整改完毕并报送整改报告。")
            checked = later(done, rng, 1, 7, max(cap, done))
            matter.step("verify", checked, opinion="经复查，隐患已消除。")
    saved = demo.save("安全隐患整改")
    return (
        f"{len(TRAININGS)}期培训、{len(CAMPAIGNS)}次专项行动、{ROUNDS}次执法检查、"
        f"{saved}处隐患、{DIRECT}家直管企业"
    )
