"""Links and assisting units of imported matters: the references their steps name, checked
before a batch is written and stored after it (``MatterLink``, ``MatterAssistant``).

A step names another matter by its reference (``Link.reference``: a repeat petition's
``repeat_of``, a merge's ``into``, a diversion's reference of the matter it opened). That
matter must be stored already or come earlier in the file; otherwise the line is rejected with
the reference named, so the result never depends on how the file is cut into batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.importing.replay import AssistRow, LinkRow, Replayed
from fazhi.procedures.importing.report import LineError
from fazhi.procedures.models import Matter, MatterAssistant, MatterLink, Step

Key = tuple[str, str]  # (procedure, reference)


class Pending(NamedTuple):
    """What a written line still owes: its links and assisting units (picklable)."""

    line: int
    place: int  # its place (rowid) in the staged batch; 0 outside one
    procedure: str
    reference: str
    links: tuple[LinkRow, ...]
    assists: tuple[AssistRow, ...]


def pending_of(r: Replayed, place: int = 0) -> Pending | None:
    if not r.links and not r.assists:
        return None
    return Pending(r.line, place, r.procedure, r.reference, tuple(r.links), tuple(r.assists))


def stored_keys(keys: Iterable[Key]) -> set[Key]:
    """Those of ``keys`` whose matter is stored."""
    return {
        (proc, ref)
        for qs in Matter.objects.with_keys(set(keys))
        for proc, ref in qs.values_list("procedure", "reference")
    }


def refused(link: LinkRow, line: int) -> LineError:
    label = get_procedure(link.procedure).label
    return LineError(
        line,
        link.field,
        f"找不到编号为“{link.reference}”的{label}：所关联的事项须已在系统中，或在本文件中先于本行出现。",
    )


def check(pendings: Sequence[Pending], earlier: Mapping[Key, int]) -> dict[int, LineError]:
    """The lines among ``pendings`` that name a matter neither stored nor ``earlier`` in the
    file (``earlier``: key → line of the matters about to be written with them). A line
    refused takes with it the later lines that name its matter."""
    targets = {(link.procedure, link.reference) for p in pendings for link in p.links}
    if not targets:
        return {}
    stored = stored_keys(targets)
    bad: dict[int, LineError] = {}
    changed = True
    while changed:
        changed = False
        for p in pendings:
            if p.line in bad:
                continue
            for link in p.links:
                key = (link.procedure, link.reference)
                if key in stored:
                    continue
                at = earlier.get(key)
                if at is not None and at < p.line and at not in bad:
                    continue
                bad[p.line] = refused(link, p.line)
                changed = True
                break
    return bad


def write(pendings: Sequence[Pending]) -> int:
    """Store the links and assisting units of written lines; returns the links stored."""
    if not pendings:
        return 0
    keys = {(p.procedure, p.reference) for p in pendings}
    keys |= {(link.procedure, link.reference) for p in pendings for link in p.links}
    ids: dict[Key, int] = {}
    for qs in Matter.objects.with_keys(keys):
        for pk, proc, ref in qs.values_list("pk", "procedure", "reference"):
            ids[(proc, ref)] = pk
    sources = [ids[(p.procedure, p.reference)] for p in pendings]
    steps: dict[tuple[int, int], int] = {}
    wanted = {link.seq for p in pendings for link in p.links}
    wanted |= {row.seq for p in pendings for row in p.assists}
    for start in range(0, len(sources), 900):
        for pk, matter_id, seq in Step.objects.filter(
            matter_id__in=sources[start : start + 900], seq__in=sorted(wanted)
        ).values_list("pk", "matter_id", "seq"):
            steps[(matter_id, seq)] = pk
    links = []
    assistants = []
    for p, source in zip(pendings, sources, strict=True):
        for link in p.links:
            links.append(
                MatterLink(
                    source_id=source,
                    target_id=ids[(link.procedure, link.reference)],
                    kind=link.kind,
                    created_on=link.on,
                    step_id=steps.get((source, link.seq)),
                )
            )
        for row in p.assists:
            assistants.append(
                MatterAssistant(
                    matter_id=source,
                    org_id=row.org_id,
                    added_on=row.on,
                    step_id=steps.get((source, row.seq)),
                )
            )
    MatterLink.objects.bulk_create(links, batch_size=500, ignore_conflicts=True)
    MatterAssistant.objects.bulk_create(assistants, batch_size=500, ignore_conflicts=True)
    return len(links)
