"""行政检查执法备案: an inspection without a prior filing is flagged; the enforcement page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement.inspections import unfiled
from fazhi.enforcement.models import EnforcementOfficer, InspectionFiling
from fazhi.procedures.models import Matter
from fazhi.procedures.services import register_matter

pytestmark = pytest.mark.django_db

D = dt.date
CODE = "91350100M000100Y43"


@pytest.fixture
def officer(district):
    return save_entry(
        EnforcementOfficer,
        {
            "org": district["b"],
            "name": "执法员",
            "certificate_number": "JL0001",
            "issuing_body": "吉林省人民政府",
            "valid_from": D(2020, 1, 1),
        },
        by=None,
    )


def inspection(district, users, on, *, name="某某商贸有限公司", code=CODE):
    with clock.frozen(D(2024, 12, 31)):
        return register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=on,
            subject=f"检查{name}",
            by=users["staff_b"],
            party={"name": name, "kind": "organisation", "id_number": code},
            details={
                "action_type": "inspection",
                "decision_number": f"检{on:%m%d}",
                "legal_basis": "安全生产法",
                "result": "责令整改",
                "handlers": "JL0001",
            },
        )


def filing(
    district, number, *, filed_on, start, end, target="某某商贸有限公司", code=CODE, org=None
):
    return save_entry(
        InspectionFiling,
        {
            "org": org or district["b"],
            "number": number,
            "target": target,
            "target_code": code,
            "place": "铁西区",
            "legal_basis": "安全生产法",
            "officers": "JL0001",
            "filed_on": filed_on,
            "valid_from": start,
            "valid_to": end,
        },
        by=None,
    )


def test_an_inspection_without_a_prior_filing_is_flagged(district, users, officer):
    filing(district, "BA-1", filed_on=D(2024, 3, 1), start=D(2024, 3, 1), end=D(2024, 3, 31))
    filing(
        district,
        "BA-2",
        filed_on=D(2024, 5, 1),
        start=D(2024, 5, 1),
        end=D(2024, 5, 31),
        org=district["a"],
    )  # another organ's filing does not count
    filing(
        district,
        "BA-3",
        filed_on=D(2024, 7, 1),
        start=D(2024, 7, 1),
        end=D(2024, 7, 31),
        target="某个体户",
        code="",
    )  # no code: by name
    covered = inspection(district, users, D(2024, 3, 15))
    outside = inspection(district, users, D(2024, 4, 2))  # after the filed period
    other_organ = inspection(district, users, D(2024, 5, 10))
    by_name = inspection(district, users, D(2024, 7, 10), name="某个体户", code="")
    flagged = set(unfiled(Matter.objects.all()).values_list("pk", flat=True))
    assert flagged == {outside.pk, other_organ.pk}
    assert covered.pk not in flagged and by_name.pk not in flagged


def test_a_filing_after_the_inspection_began_is_refused(district):
    with pytest.raises(ValidationError) as exc:
        filing(district, "BA-9", filed_on=D(2024, 3, 5), start=D(2024, 3, 1), end=D(2024, 3, 9))
    assert "先备案后实施" in str(exc.value)
    with pytest.raises(ValidationError) as bad:
        filing(
            district,
            "BA-8",
            filed_on=D(2024, 3, 1),
            start=D(2024, 3, 1),
            end=D(2024, 3, 9),
            code="91350100M000100Y44",
        )
    assert "统一社会信用代码" in str(bad.value)


def test_the_enforcement_pages(client, district, users, officer):
    inspection(district, users, D(2024, 4, 2))
    client.force_login(users["staff_b"])
    with clock.frozen(D(2024, 12, 31)):
        home = client.get(reverse("enforcement:home")).content.decode()
        listing = client.get(reverse("enforcement:unfiled"), {"year": "2024"}).content.decode()
    assert "次2024年的行政检查未先备案" in home and "<strong>1</strong> 次" in home
    assert "某某商贸有限公司" in listing
    client.force_login(users["staff_a"])  # another department: not in its scope
    with clock.frozen(D(2024, 12, 31)):
        assert (
            "某某商贸有限公司"
            not in client.get(reverse("enforcement:unfiled"), {"year": "2024"}).content.decode()
        )
