"""Maintenance of the rollup (fazhi.indicators.models.MatterPeriod) from the engine's signals.

``on_step_recorded`` runs inside the transaction that wrote the step: the rollup is never
ahead of or behind a committed step. ``rebuild`` recomputes the rows of some (or all) matters
from their Step rows in bulk; ``differences`` lists matters whose rows disagree with the base
tables (``fazhi indicators verify``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from fazhi.indicators.models import MatterPeriod
from fazhi.procedures.declarations import all_procedures
from fazhi.procedures.models import Matter, Step


def rating_fields() -> dict[tuple[str, str], str]:
    """(procedure, action) → the data field holding the rating, for every rating action."""
    result: dict[tuple[str, str], str] = {}
    for proc in all_procedures():
        for action in proc.actions:
            if action.satisfaction:
                result[(proc.code, action.name)] = action.satisfaction
    return result


def on_step_recorded(sender: Any, matter: Matter, step: Step, **kwargs: Any) -> None:
    """Close the matter's open period at the step's date and open the next one."""
    rows = MatterPeriod.objects.filter(matter_id=matter.pk)
    rows.filter(until_on__isnull=True).update(until_on=step.on)
    rows.exclude(org_id=matter.org_id).update(org_id=matter.org_id)
    MatterPeriod.objects.create(
        matter_id=matter.pk,
        seq=step.seq,
        procedure=matter.procedure,
        org_id=matter.org_id,
        received_on=matter.received_on,
        on=step.on,
        until_on=None,
        state=step.state_after,
        satisfaction=matter.satisfaction or "",
    )


def on_matters_imported(sender: Any, matter_ids: Iterable[int], **kwargs: Any) -> None:
    rebuild(list(matter_ids))


def expected_periods(matter_ids: list[int] | None = None) -> Iterator[MatterPeriod]:
    """The rows the rollup should hold, computed from Matter and Step (ordered by matter, seq)."""
    ratings = rating_fields()
    matters = (
        Matter.objects.all() if matter_ids is None else Matter.objects.filter(pk__in=matter_ids)
    )
    heads = {
        pk: (procedure, org_id, received_on)
        for pk, procedure, org_id, received_on in matters.values_list(
            "pk", "procedure", "org_id", "received_on"
        ).iterator(chunk_size=5000)
    }
    steps = Step.objects.order_by("matter_id", "seq").values_list(
        "matter_id", "seq", "action", "on", "state_after", "data"
    )
    if matter_ids is not None:
        steps = steps.filter(matter_id__in=matter_ids)
    current: MatterPeriod | None = None
    satisfaction = ""
    for matter_id, seq, action, on, state_after, data in steps.iterator(chunk_size=5000):
        head = heads.get(matter_id)
        if head is None:
            continue
        if current is not None and current.matter_id == matter_id:
            current.until_on = on
            yield current
        else:
            if current is not None:
                yield current
            satisfaction = ""
        key = ratings.get((head[0], action))
        if key and isinstance(data, dict) and data.get(key):
            satisfaction = str(data[key])
        current = MatterPeriod(
            matter_id=matter_id,
            seq=seq,
            procedure=head[0],
            org_id=head[1],
            received_on=head[2],
            on=on,
            until_on=None,
            state=state_after,
            satisfaction=satisfaction,
        )
    if current is not None:
        yield current


def rebuild(matter_ids: list[int] | None = None, batch: int = 5000) -> int:
    """Recompute the rollup rows of ``matter_ids`` (None: every matter); returns rows written."""
    written = 0
    with transaction.atomic():
        if matter_ids is None:
            MatterPeriod.objects.all().delete()
        else:
            MatterPeriod.objects.filter(matter_id__in=matter_ids).delete()
        buffer: list[MatterPeriod] = []
        for row in expected_periods(matter_ids):
            buffer.append(row)
            if len(buffer) >= batch:
                MatterPeriod.objects.bulk_create(buffer)
                written += len(buffer)
                buffer = []
        if buffer:
            MatterPeriod.objects.bulk_create(buffer)
            written += len(buffer)
    return written


def _key(row: MatterPeriod) -> tuple[Any, ...]:
    return (
        row.matter_id,
        row.seq,
        row.procedure,
        row.org_id,
        row.received_on,
        row.on,
        row.until_on,
        row.state,
        row.satisfaction,
    )


def differences(limit: int = 20) -> tuple[int, list[int]]:
    """Compare the rollup with the base tables: (rows compared, first differing matter ids)."""
    fields = (
        "matter_id",
        "seq",
        "procedure",
        "org_id",
        "received_on",
        "on",
        "until_on",
        "state",
        "satisfaction",
    )
    actual = (
        MatterPeriod.objects.order_by("matter_id", "seq")
        .values_list(*fields)
        .iterator(chunk_size=5000)
    )
    expected = (_key(row) for row in expected_periods())
    bad: list[int] = []
    compared = 0
    sentinel = (float("inf"),)
    a = next(actual, sentinel)
    e = next(expected, sentinel)
    while a is not sentinel or e is not sentinel:
        compared += 1
        if a == e:
            a, e = next(actual, sentinel), next(expected, sentinel)
            continue
        ka, ke = a[:2], e[:2]
        culprit = ka[0] if ka <= ke else ke[0]
        if not bad or bad[-1] != culprit:
            bad.append(culprit)  # type: ignore[arg-type]
        if len(bad) >= limit:
            break
        if ka <= ke:
            a = next(actual, sentinel)
        if ke <= ka:
            e = next(expected, sentinel)
    return compared, bad


def build_if_missing(sender: Any, **kwargs: Any) -> None:
    """After ``migrate``: build the rollup when it does not cover the steps (first install)."""
    using = kwargs.get("using", "default")
    if using != "default":
        return
    if MatterPeriod.objects.count() != Step.objects.count():
        rebuild()
