"""The registers of part (一): the compression of time limits over the service items in force,
supervisors as of the cut-off, and the versioned duty lists of townships and streets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.models import AuditEvent, OrgKind
from fazhi.core.registers import save_entry
from fazhi.core.tests.factories import OrgUnitFactory
from fazhi.indicators.engine import compute_indicators, period_of, source_records
from fazhi.indicators.registry import get_indicator
from fazhi.services import duties
from fazhi.services.models import BusinessSupervisor, DutyItem, ServiceItem

pytestmark = pytest.mark.django_db

D = dt.date
Y = 2024


START = D(2023, 1, 1)


def item(org, legal, committed, start=START, end=None, name="事项", by=None):
    return save_entry(
        ServiceItem,
        {
            "org": org,
            "name": name,
            "legal_days": legal,
            "committed_days": committed,
            "valid_from": start,
            "valid_to": end,
        },
        by=by,
    )


def test_compression_is_over_the_items_in_force_on_the_cut_off(district):
    a, b = district["a"], district["b"]
    item(a, 20, 2)
    item(b, 30, 6)
    item(a, 10, 10, end=D(Y, 6, 30), name="已取消")  # withdrawn before the cut-off
    item(b, 50, 50, start=D(Y + 1, 1, 1), name="明年起")  # not yet in force
    values = compute_indicators(district["root"], Y).values
    # 1 − (2 + 6) / (20 + 30) = 84%
    assert values["services.time_limit_compression"] == Decimal(84)
    assert values["services.service_items"] == 2
    # as of mid-year the withdrawn item counts: 1 − 18 / 60 = 70%
    mid = compute_indicators(district["root"], Y, D(Y, 6, 1)).values
    assert mid["services.time_limit_compression"] == Decimal(70)
    # a department's figure is its own items only
    assert compute_indicators(a, Y).values["services.time_limit_compression"] == Decimal(90)


def test_compression_with_no_items_is_no_figure(district):
    assert compute_indicators(district["root"], Y).values["services.time_limit_compression"] is None


def test_compression_drills_down_to_the_items(district):
    item(district["a"], 20, 2, name="甲")
    item(district["a"], 10, 10, end=D(Y, 6, 30), name="乙")
    ind = get_indicator("services.time_limit_compression")
    names = {e.name for e in source_records(ind.denominator, district["root"], period_of(Y, None))}
    assert names == {"甲"}


def test_a_commitment_longer_than_the_law_is_refused(district):
    with pytest.raises(ValidationError) as exc:
        item(district["a"], 10, 12)
    assert "承诺时限不能超过法定时限" in str(exc.value)
    with pytest.raises(ValidationError):
        item(district["a"], 0, 0)
    assert ServiceItem.objects.count() == 0


def test_another_department_may_not_change_the_items(district, users):
    entry = item(district["a"], 20, 2)
    with pytest.raises(PermissionDenied):
        save_entry(ServiceItem, {"committed_days": 1}, by=users["staff_b"], instance=entry)
    save_entry(ServiceItem, {"committed_days": 1}, by=users["staff_a"], instance=entry)
    event = AuditEvent.objects.filter(action="register.update").latest("pk")
    assert event.data["changes"]["committed_days"] == [2, 1]


def test_supervisors_are_those_appointed_on_the_cut_off(district):
    for n, (start, end) in enumerate(
        [(D(Y, 3, 1), D(Y + 2, 2, 28)), (D(Y, 3, 1), None), (D(Y - 3, 1, 1), D(Y - 1, 12, 31))]
    ):
        save_entry(
            BusinessSupervisor,
            {"org": district["b"], "name": f"监督员{n}", "valid_from": start, "valid_to": end},
            by=None,
        )
    assert compute_indicators(district["root"], Y).values["services.business_supervisors"] == 2
    assert compute_indicators(district["root"], Y - 1).values["services.business_supervisors"] == 1


# --- duty lists -------------------------------------------------------------------------------


@pytest.fixture
def street(district):
    return district["street"]


def rows(*names, kind="basic", responsible=None):
    return [{"kind": kind, "name": n, "responsible": responsible} for n in names]


def test_a_new_version_ends_the_old_one_the_day_before(street, district):
    duties.publish_version(street, "2023年版", D(2023, 1, 1), rows("环境卫生", "物业指导"), by=None)
    duties.publish_version(
        street,
        "2024年版",
        D(2024, 7, 1),
        [
            *rows("环境卫生", "养老服务"),
            *rows("违法建设查处", kind="cooperative", responsible=district["b"]),
        ],
        by=None,
    )
    assert {i.name for i in duties.duty_list(street, D(2024, 6, 30))} == {"环境卫生", "物业指导"}
    assert {i.name for i in duties.duty_list(street, D(2024, 7, 1))} == {
        "环境卫生",
        "养老服务",
        "违法建设查处",
    }
    got = duties.versions(street)
    assert [(v.label, v.valid_from, v.valid_to, v.items) for v in got] == [
        ("2023年版", D(2023, 1, 1), D(2024, 6, 30), 2),
        ("2024年版", D(2024, 7, 1), None, 3),
    ]


def test_versions_may_not_overlap(street):
    duties.publish_version(street, "2023年版", D(2023, 1, 1), rows("环境卫生"), by=None)
    with pytest.raises(ValidationError) as exc:
        save_entry(
            DutyItem,
            {
                "org": street,
                "kind": "basic",
                "name": "插入",
                "version": "另一版",
                "valid_from": D(2024, 1, 1),
            },
            by=None,
        )
    assert "有效期重叠" in str(exc.value)
    # the same version may gain an item
    save_entry(
        DutyItem,
        {
            "org": street,
            "kind": "basic",
            "name": "补充",
            "version": "2023年版",
            "valid_from": D(2024, 1, 1),
        },
        by=None,
    )


def test_a_refused_item_leaves_the_old_version_in_force(street, district):
    duties.publish_version(street, "2023年版", D(2023, 1, 1), rows("环境卫生"), by=None)
    with pytest.raises(duties.DutyListError) as exc:
        duties.publish_version(
            street,
            "2024年版",
            D(2024, 7, 1),
            [*rows("养老服务"), *rows("违建", kind="cooperative")],  # no lead department
            by=None,
        )
    assert "第2个事项“违建”" in str(exc.value) and "责任部门" in str(exc.value)
    assert [v.label for v in duties.versions(street)] == ["2023年版"]
    assert duties.versions(street)[0].valid_to is None


def test_an_earlier_version_may_not_be_slipped_in(street):
    duties.publish_version(street, "2024年版", D(2024, 7, 1), rows("环境卫生"), by=None)
    with pytest.raises(duties.DutyListError, match="之后已有清单版本"):
        duties.publish_version(street, "2023年版", D(2023, 1, 1), rows("环境卫生"), by=None)
    with pytest.raises(duties.DutyListError, match="已有“2024年版”"):
        duties.publish_version(street, "2024年版", D(2025, 1, 1), rows("环境卫生"), by=None)


def test_duty_lists_belong_to_townships_and_streets_only(district):
    with pytest.raises(duties.DutyListError, match="乡（镇）或街道"):
        duties.publish_version(district["a"], "2024年版", D(2024, 1, 1), rows("x"), by=None)
    with pytest.raises(ValidationError, match="乡（镇）或街道"):
        save_entry(
            DutyItem,
            {
                "org": district["a"],
                "kind": "basic",
                "name": "x",
                "version": "v",
                "valid_from": D(2024, 1, 1),
            },
            by=None,
        )


def test_responsible_units_follow_the_kind_of_list(street, district):
    body = OrgUnitFactory(name="测试街道城市管理办公室", parent=street, kind=OrgKind.INTERNAL)
    ok = duties.publish_version(
        street,
        "v1",
        D(2024, 1, 1),
        [*rows("市容", responsible=body), *rows("卫生")],
        by=None,
    )
    assert [i.responsible_unit for i in ok] == [body, street]
    with pytest.raises(duties.DutyListError, match="本乡街或其内设机构"):
        duties.publish_version(
            street, "v2", D(2024, 2, 1), rows("市容", responsible=district["b"]), by=None
        )
    with pytest.raises(duties.DutyListError, match="本乡街以外"):
        duties.publish_version(
            street, "v2", D(2024, 2, 1), rows("x", kind="taken_back", responsible=body), by=None
        )


def test_a_department_may_not_publish_a_streets_list(street, users):
    with pytest.raises(PermissionDenied):
        duties.publish_version(street, "v1", D(2024, 1, 1), rows("卫生"), by=users["staff_b"])
    assert not DutyItem.objects.exists()
