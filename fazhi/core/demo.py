"""The demo district: 四平市铁西区人民政府 (220302), its departments, 乡 and 街道 and their
internal bodies, and one staff user per role. Idempotent: running it twice changes nothing.

Departments follow the 2024 report (机构改革 paragraph): 乡村振兴局 merged into 农业农村局,
政务服务局 renamed 政务服务和数字化建设管理局, 信访局 a government agency. A 乡 has 8
internal bodies, a 街道 6; both have a 综合服务中心 and an 应急管理办公室 of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from fazhi.core import audit
from fazhi.core.models import OrgKind, OrgUnit, Role, StaffProfile

DISTRICT = ("四平市铁西区人民政府", "铁西区政府", "220302")

DEPARTMENTS = [
    ("四平市铁西区人民政府办公室", "区政府办"),
    ("四平市铁西区发展和改革局", "区发改局"),
    ("四平市铁西区教育局", "区教育局"),
    ("四平市铁西区民政局", "区民政局"),
    ("四平市铁西区司法局", "区司法局"),
    ("四平市铁西区财政局", "区财政局"),
    ("四平市铁西区人力资源和社会保障局", "区人社局"),
    ("四平市铁西区住房和城乡建设局", "区住建局"),
    ("四平市铁西区农业农村局", "区农业农村局"),
    ("四平市铁西区商务局", "区商务局"),
    ("四平市铁西区文化广播电视和旅游局", "区文广旅局"),
    ("四平市铁西区卫生健康局", "区卫健局"),
    ("四平市铁西区退役军人事务局", "区退役军人局"),
    ("四平市铁西区应急管理局", "区应急局"),
    ("四平市铁西区审计局", "区审计局"),
    ("四平市铁西区市场监督管理局", "区市场监管局"),
    ("四平市铁西区统计局", "区统计局"),
    ("四平市铁西区医疗保障局", "区医保局"),
    ("四平市铁西区城市管理行政执法局", "区城管执法局"),
    ("四平市铁西区政务服务和数字化建设管理局", "区政数局"),
]
AGENCIES = [("四平市铁西区信访局", "区信访局")]

TOWNSHIPS = [("四平市铁西区平西乡人民政府", "平西乡")]
STREETS = [
    ("四平市铁西区仁兴街道办事处", "仁兴街道"),
    ("四平市铁西区英雄街道办事处", "英雄街道"),
    ("四平市铁西区北沟街道办事处", "北沟街道"),
    ("四平市铁西区地直街道办事处", "地直街道"),
]
TOWNSHIP_BODIES = [
    "党政综合办公室",
    "党建工作办公室",
    "经济发展办公室",
    "社会事务办公室",
    "平安建设办公室",
    "自然资源和生态环境办公室",
    "农业农村办公室",
    "公共服务办公室",
]
STREET_BODIES = [
    "党政综合办公室",
    "党建工作办公室",
    "社区建设办公室",
    "平安建设办公室",
    "城市管理办公室",
    "经济发展办公室",
]
SEPARATE_BODIES = ["综合服务中心", "应急管理办公室"]

DEMO_PASSWORD = "fazhi-demo-2024"  # noqa: S105 printed demo logins on a local demo only  # nosec B105


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    org_short: str
    role: Role
    position: str


USERS = [
    DemoUser("admin", "系统管理员", "铁西区政府", Role.ADMIN, "系统管理员"),
    DemoUser("fazhiban", "王依法", "区司法局", Role.LAW_OFFICE, "依法治区办副主任"),
    DemoUser("jingban", "李经办", "区政数局", Role.STAFF, "科员"),
    DemoUser("fuzeren", "赵负责", "区政数局", Role.HEAD, "局长"),
    DemoUser("fuyi", "陈复议", "区司法局", Role.STAFF, "行政复议股科员"),
    DemoUser("lingdao", "刘区长", "铁西区政府", Role.LEADER, "副区长"),
]


def _unit(
    name: str,
    short: str,
    kind: OrgKind,
    parent: OrgUnit | None,
    order: int,
    code: str | None = None,
) -> OrgUnit:
    unit, created = OrgUnit.objects.get_or_create(
        name=name,
        parent=parent,
        defaults={"short_name": short, "kind": kind, "division_code": code, "sort_order": order},
    )
    if created:
        audit.record("org.create", unit, label="系统（演示数据）")
    return unit


@transaction.atomic
def build_district() -> OrgUnit:
    """Create (or find) the demo district's org tree; return its root."""
    root = _unit(DISTRICT[0], DISTRICT[1], OrgKind.GOVERNMENT, None, 0, DISTRICT[2])
    order = 0
    for name, short in DEPARTMENTS:
        order += 1
        _unit(name, short, OrgKind.DEPARTMENT, root, order)
    for name, short in AGENCIES:
        order += 1
        _unit(name, short, OrgKind.AGENCY, root, order)
    for groups, kind, bodies in (
        (TOWNSHIPS, OrgKind.TOWNSHIP, TOWNSHIP_BODIES),
        (STREETS, OrgKind.STREET, STREET_BODIES),
    ):
        for name, short in groups:
            order += 1
            unit = _unit(name, short, kind, root, order)
            for i, body in enumerate(bodies, 1):
                _unit(f"{short}{body}", body, OrgKind.INTERNAL, unit, i)
            for j, body in enumerate(SEPARATE_BODIES, len(bodies) + 1):
                _unit(f"{short}{body}", body, OrgKind.AGENCY, unit, j)
    return root


@transaction.atomic
def build_users(root: OrgUnit) -> list[DemoUser]:
    """One staff user per role, password DEMO_PASSWORD."""
    user_model = get_user_model()
    by_short = {u.short_name: u for u in OrgUnit.objects.subtree_of(root)}
    hashed = ""
    for spec in USERS:
        user, created = user_model.objects.get_or_create(username=spec.username)
        if created:
            user.first_name = spec.full_name
            # one hash for the one printed demo password (hashing is slow by design)
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.is_staff = spec.role == Role.ADMIN
            user.is_superuser = spec.role == Role.ADMIN
            user.save()
            profile = StaffProfile.objects.create(
                user=user, org=by_short[spec.org_short], role=spec.role, position=spec.position
            )
            audit.record(
                "staff.create", profile, label="系统（演示数据）", data={"role": spec.role}
            )
    return USERS
