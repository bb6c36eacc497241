"""行政检查执法备案: an inspection (a decision of kind ``inspection``) must have been filed before
it took place — a filing of the same organ, for the same party (credit code, or name when the
filing has none), filed on or before the inspection's date, whose period covers that date.
Inspections without one are flagged for the legal office."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from fazhi.enforcement.models import InspectionFiling
from fazhi.procedures.models import Matter


def filing_for(ref: str = "pk") -> Exists:
    """True where the matter (by ``ref``) has a prior filing covering its date."""
    by_code = ~Q(target_code="") & Q(target_code=OuterRef("party_id_number"))
    by_name = Q(target_code="") & Q(target=OuterRef("party_name"))
    filings = InspectionFiling.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("received_on")),
        by_code | by_name,
        org=OuterRef("org_id"),
        filed_on__lte=OuterRef("received_on"),
        valid_from__lte=OuterRef("received_on"),
    )
    return Exists(filings)


def unfiled(matters: QuerySet[Matter]) -> QuerySet[Matter]:
    """The inspections among ``matters`` without a prior filing."""
    return (
        matters.filter(procedure="enforcement_decision", details__action_type="inspection")
        .annotate(filed=filing_for())
        .filter(filed=False)
    )
