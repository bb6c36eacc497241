"""Demo registers of report part (一): service items, supervisors, commitments, service hours and
the duty lists of the townships and streets (two versions each).

The 2024 figures are the seed report's: service items in force on 31 December give
1 − Σ承诺 / Σ法定 = 85% (an item withdrawn in June and one that starts in 2025 are there to
be left out), and 24 business-environment supervisors hold an appointment.
"""

from __future__ import annotations

import datetime as dt

from fazhi.core.models import OrgKind, OrgUnit
from fazhi.core.registers import save_entry
from fazhi.procedures.demodata import unit
from fazhi.services import duties
from fazhi.services.duty_catalog import RURAL, URBAN, duties_for
from fazhi.services.models import (
    BusinessSupervisor,
    DutyItem,
    PublicCommitment,
    ServiceHours,
    ServiceItem,
)

# (organ, name, category, legal working days, committed working days)
ITEMS: tuple[tuple[str, str, str, int, int], ...] = (
    ("区市场监管局", "企业设立登记", "permit", 15, 1),
    ("区市场监管局", "个体工商户登记", "permit", 15, 1),
    ("区市场监管局", "食品经营许可", "permit", 20, 5),
    ("区市场监管局", "药品零售企业许可", "permit", 30, 5),
    ("区住建局", "建筑工程施工许可证核发", "permit", 15, 3),
    ("区住建局", "商品房预售许可", "permit", 20, 5),
    ("区城管执法局", "城市建筑垃圾处置核准", "permit", 20, 3),
    ("区城管执法局", "设置大型户外广告审批", "permit", 20, 3),
    ("区教育局", "民办学校办学许可", "permit", 30, 5),
    ("区民政局", "社会团体成立登记", "permit", 60, 8),
    ("区民政局", "最低生活保障审核确认", "payment", 30, 6),
    ("区卫健局", "医疗机构执业登记", "permit", 45, 5),
    ("区卫健局", "公共场所卫生许可", "permit", 20, 3),
    ("区文广旅局", "娱乐场所经营许可", "permit", 20, 3),
    ("区人社局", "人力资源服务许可", "permit", 20, 3),
    ("区人社局", "失业保险金申领", "payment", 10, 0),
    ("区农业农村局", "农药经营许可", "permit", 20, 4),
    ("区退役军人局", "退役士兵自主就业一次性经济补助", "payment", 20, 3),
    ("区应急局", "危险化学品经营许可", "permit", 30, 5),
)
# with the two below: Σ legal = 500, Σ committed = 75 → 1 − 75/500 = 85%
ITEMS_MORE: tuple[tuple[str, str, str, int, int], ...] = (
    ("区医保局", "医疗费用手工报销", "payment", 30, 3),
    ("区统计局", "统计调查项目审批", "other", 10, 1),
)


def _items(root: OrgUnit, year: int) -> int:
    start = dt.date(year - 1, 1, 1)
    made = 0
    for n, (organ, name, category, legal, committed) in enumerate(ITEMS + ITEMS_MORE, 1):
        save_entry(
            ServiceItem,
            {
                "org": unit(root, organ),
                "code": f"2203020{n:03d}",
                "name": name,
                "category": category,
                "legal_days": legal,
                "committed_days": committed,
                "valid_from": start,
            },
            by=None,
        )
        made += 1
    # withdrawn in June (not in force at year end): counting it would lower the figure
    save_entry(
        ServiceItem,
        {
            "org": unit(root, "区住建局"),
            "name": "建设工程竣工验收备案（旧）",
            "category": "other",
            "legal_days": 15,
            "committed_days": 15,
            "valid_from": start,
            "valid_to": dt.date(year, 6, 30),
        },
        by=None,
    )
    # in force from next year: not on the cut-off
    save_entry(
        ServiceItem,
        {
            "org": unit(root, "区市场监管局"),
            "name": "特种设备使用登记",
            "category": "permit",
            "legal_days": 15,
            "committed_days": 15,
            "valid_from": dt.date(year + 1, 1, 1),
        },
        by=None,
    )
    return made + 2


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢"
GIVEN = [
    "建国",
    "丽华",
    "志强",
    "秀英",
    "海燕",
    "文博",
    "春雷",
    "晓东",
    "玉兰",
    "德明",
    "红梅",
    "立新",
]
WORKPLACES = (
    "区工商联",
    "区个体私营企业协会",
    "四平市某律师事务所",
    "区人大代表",
    "某商贸有限公司",
)


def _supervisors(root: OrgUnit, year: int) -> int:
    office = unit(root, "区政数局")
    # an earlier term that ended before the year: not counted
    for i in range(3):
        save_entry(
            BusinessSupervisor,
            {
                "org": office,
                "name": SURNAMES[-1 - i] + GIVEN[-1 - i],
                "workplace": WORKPLACES[i],
                "certificate_number": f"YSJD{year - 3}{i + 1:03d}",
                "valid_from": dt.date(year - 3, 3, 1),
                "valid_to": dt.date(year - 1, 12, 31),
            },
            by=None,
        )
    for i in range(24):
        save_entry(
            BusinessSupervisor,
            {
                "org": office,
                "name": SURNAMES[i] + GIVEN[i % len(GIVEN)],
                "workplace": WORKPLACES[i % len(WORKPLACES)],
                "certificate_number": f"YSJD{year}{i + 1:03d}",
                "valid_from": dt.date(year, 3, 1),
                "valid_to": dt.date(year + 2, 2, 28),
            },
            by=None,
        )
    return 24


COMMITMENTS = (
    ("policies", "惠企政策“免申即享”，符合条件的企业无需申请直接兑现。"),
    ("streamlining", "清理规范涉企审批中介服务，不得以任何形式要求企业重复提交材料。"),
    (
        "services",
        "政务服务事项承诺时限在法定时限基础上平均压缩八成以上，推行“一窗受理、集成服务”。",
    ),
    ("enforcement", "对首次轻微违法行为依清单不予处罚，推行说理式执法。"),
    ("filing", "涉企行政检查一律事前备案，无备案不检查。"),
)

HOURS = (
    ("extended", "区政务服务中心综合受理窗口", "工作日 17:00—19:00 延时服务"),
    ("off_peak", "区政务服务中心社保医保窗口", "每月征缴高峰期提前至 8:00 开窗"),
    ("no_lunch_break", "区政务服务中心全部窗口", "工作日 11:30—13:00 不间断服务"),
    ("weekend", "区政务服务中心不动产登记窗口", "周六 9:00—15:00 预约服务"),
)


def _commitments_and_hours(root: OrgUnit, year: int) -> int:
    office = unit(root, "区政数局")
    for aspect, content in COMMITMENTS:
        save_entry(
            PublicCommitment,
            {
                "org": office,
                "aspect": aspect,
                "content": content,
                "published_on": dt.date(year, 3, 15),
                "valid_from": dt.date(year, 3, 15),
            },
            by=None,
        )
    for arrangement, place, hours in HOURS:
        save_entry(
            ServiceHours,
            {
                "org": office,
                "arrangement": arrangement,
                "place": place,
                "hours": hours,
                "valid_from": dt.date(year, 1, 1),
            },
            by=None,
        )
    return len(COMMITMENTS) + len(HOURS)


def duty_rows(root: OrgUnit, township: OrgUnit, version_2024: bool) -> list[dict[str, object]]:
    kind = RURAL if township.kind == OrgKind.TOWNSHIP else URBAN
    return [
        {
            "kind": d.kind,
            "name": d.name,
            "content": d.content,
            "keywords": d.keywords,
            "responsible": unit(root, d.unit) if d.unit else None,
        }
        for d in duties_for(kind, version_2024)
    ]


def _duty_lists(root: OrgUnit, year: int) -> int:
    made = 0
    units = OrgUnit.objects.subtree_of(root).filter(kind__in=[OrgKind.TOWNSHIP, OrgKind.STREET])
    for township in units.order_by("path"):
        for label, start, new in (
            (f"{year - 1}年版", dt.date(year - 1, 1, 1), False),
            (f"{year}年版", dt.date(year, 7, 1), True),
        ):
            made += len(
                duties.publish_version(
                    township, label, start, duty_rows(root, township, new), by=None
                )
            )
    return made


def build(root: OrgUnit, year: int) -> str:
    """The registers, once (a second run finds them and changes nothing)."""
    if ServiceItem.objects.for_org_subtree(root).exists():
        return ""
    items = _items(root, year)
    supervisors = _supervisors(root, year)
    other = _commitments_and_hours(root, year)
    duty = _duty_lists(root, year) if DutyItem.objects.count() == 0 else 0
    return f"政务服务事项{items}项、营商环境监督员{supervisors}名、承诺与服务安排{other}条、乡街履职事项{duty}项"
