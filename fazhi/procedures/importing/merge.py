"""Writing a replayed batch against the stored matters: new matters in bulk, and those already
stored — unchanged (the same steps), an update (its steps extend the stored ones) or a
conflict.

A line replayed as new whose matter is stored is first compared in bulk (``_same_as_stored``):
its staged steps against the stored ones, a few queries a batch. Steps equal in every column
the comparison reads (seq, action, date, data) make the line unchanged, with no second replay
and no model objects; any other line, and every line repeating a matter of its batch, takes
the line-by-line path (replayed again, compared step by step, appended or refused), which
decides as it always did. A re-import of an unchanged file is then about as fast as the
first import (docs/benchmarks.md, "12345 hotline orders").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import orjson

from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.importing import linking
from fazhi.procedures.importing.batches import _Batch
from fazhi.procedures.importing.replay import (
    Replayed,
    Replayer,
    StepRow,
    _action_or_none,
    _step_key,
)
from fazhi.procedures.importing.report import ImportReport, LineError
from fazhi.procedures.importing.stage import Stage, StageBuilder
from fazhi.procedures.importing.writer import Writer
from fazhi.procedures.models import Clock, Matter, Step
from fazhi.procedures.services import snapshot_of
from fazhi.procedures.signals import ImportedMatter, ImportObserver

CONFLICT = "与已有记录冲突"
#: compare stored lines in bulk first; False: every stored line takes the line-by-line path
#: (the tests and the bench compare the two)
COMPARE_IN_BULK = True


def _existing(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Matter]:
    return {(m.procedure, m.reference): m for qs in Matter.objects.with_keys(keys) for m in qs}


def _store_batch(
    batch: _Batch,
    stage: Stage,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    report: ImportReport,
    reread: Callable[[int, int], Any] | None,
) -> None:
    """Write a replayed batch: its new matters in bulk, the rest line by line."""
    report.lines += batch.lines
    for error in batch.errors:
        report.reject(error)
    for observer, partial in zip(observers, batch.partials, strict=True):
        if partial is not None:
            observer.merge(partial)
    writer.merge_numbers(batch.numbers)
    slow = list(batch.deferred)
    taken_back: set[int] = set()
    if batch.rows is not None:
        stage.load(batch.rows)
        stored = stage.stored()
        if stored:  # replayed as new, but the matter is stored: unchanged, or line by line
            unchanged = _same_as_stored(stage, stored, observers) if COMPARE_IN_BULK else set()
            report.unchanged += len(unchanged)
            stage.drop([rowid for rowid, _ in stored])
            taken_back = {line for _, line in stored}
            slow.extend(taken_back - unchanged)
        pending = [p for p in batch.pending if p.line not in taken_back]
        refused = linking.check(pending, batch.new_keys)
        if refused:  # a line naming a matter neither stored nor earlier in the file
            stage.drop([p.place for p in pending if p.line in refused])
            _take_back(sorted(refused), batch, replayer, observers, reread)
            for error in refused.values():
                report.reject(error)
            pending = [p for p in pending if p.line not in refused]
        created, steps = stage.write()
        report.created += created
        report.steps += steps
        linking.write(pending)
    if not slow:
        return
    replays: list[tuple[int, Any, Replayed]] = []
    for line in sorted(slow):
        rec, r = _again(line, batch, replayer, reread)
        if line in taken_back:
            imported = [r]
            for observer in observers:
                observer.replayed(imported, -1)
        replays.append((line, rec, r))
    group: list[tuple[int, Any, Replayed]] = []
    keys: set[tuple[str, str]] = set()
    for item in replays:  # in groups without a repeated matter, each after the one before
        key = (item[2].procedure, item[2].reference)
        if key in keys:
            _store_lines(group, stage, replayer, writer, observers, report)
            group, keys = [], set()
        group.append(item)
        keys.add(key)
    _store_lines(group, stage, replayer, writer, observers, report)


class _Staged:
    """A matter as its batch staged it (``signals.ImportedMatter``): what the observers were
    told when the line was replayed as new, to take it back."""

    __slots__ = (
        "clocks",
        "details",
        "org_id",
        "party_kind",
        "procedure",
        "received_on",
        "reference",
        "steps",
    )
    new_from = 0
    before = None
    before_clocks = ()

    def __init__(
        self,
        procedure: str,
        reference: str,
        org_id: int,
        received_on: dt.date,
        steps: list[StepRow],
        details: Mapping[str, Any],
        party_kind: str,
        clocks: list[StagedClock],
    ) -> None:
        self.procedure, self.reference, self.org_id = procedure, reference, org_id
        self.received_on, self.steps = received_on, steps
        self.details, self.party_kind, self.clocks = details, party_kind, clocks


class StagedClock(NamedTuple):
    """A clock as its batch staged it (what the observers read of a clock)."""

    limit: str
    started_on: dt.date | None
    due_on: dt.date | None
    answered_on: dt.date | None
    in_time: bool | None
    answered_action: str


def _same_as_stored(
    stage: Stage, stored: list[tuple[int, int]], observers: list[ImportObserver]
) -> set[int]:
    """The lines among ``stored`` (staged rowid, line) whose staged steps are the stored
    matter's, column for column (seq, action, date, data): unchanged. The observers are told
    to take them back, as the line-by-line path tells them. Equal columns mean equal step keys
    (``_step_key`` reads the action, the date and declared data), so a line found here is one
    the line-by-line path finds unchanged too; the others are left to it."""
    matters, staged_steps, staged_clocks = stage.staged([rowid for rowid, _ in stored])
    days: dict[str, dt.date] = {}

    def day(text: str | None) -> dt.date | None:
        if text is None:
            return None
        hit = days.get(text)
        if hit is None:
            hit = days[text] = dt.date.fromisoformat(text)
        return hit

    mine: dict[int, list[StepRow]] = {}
    for rowid, seq, action, on, mailed_on, actor, org, before, after, data in staged_steps:
        mine.setdefault(rowid, []).append(
            StepRow(
                seq,
                action,
                day(on),  # type: ignore[arg-type]  # a step always has its date
                after,
                orjson.loads(data),
                org,
                day(mailed_on),
                actor,
                before,
            )
        )
    clocks: dict[int, list[StagedClock]] = {}
    for rowid, limit, started, due, answered, in_time, answered_action in staged_clocks:
        clocks.setdefault(rowid, []).append(
            StagedClock(
                limit,
                day(started),
                day(due),
                day(answered),
                None if in_time is None else bool(in_time),
                answered_action,
            )
        )
    by_key = {(proc, ref): rowid for rowid, _line, proc, ref, *_ in matters}
    ids: dict[int, int] = {}  # stored matter id → staged rowid
    for qs in Matter.objects.with_keys(by_key):
        for pk, proc, ref in qs.values_list("pk", "procedure", "reference"):
            ids[pk] = by_key[(proc, ref)]
    theirs: dict[int, list[tuple[Any, ...]]] = {}
    pks = sorted(ids)
    for start in range(0, len(pks), 900):
        for matter_id, seq, action, on, data in (
            Step.objects.filter(matter_id__in=pks[start : start + 900])
            .order_by("matter_id", "seq")
            .values_list("matter_id", "seq", "action", "on", "data")
        ):
            theirs.setdefault(ids[matter_id], []).append((seq, action, on, data))
    same: set[int] = set()
    gone: list[_Staged] = []
    for rowid, line, proc, ref, org, received_on, details, party_kind in matters:
        steps = mine.get(rowid, [])
        if [(s.seq, s.action, s.on, s.data) for s in steps] == theirs.get(rowid):
            same.add(line)
            gone.append(
                _Staged(
                    proc,
                    ref,
                    org,
                    day(received_on),  # type: ignore[arg-type]  # a matter always has its date
                    steps,
                    orjson.loads(details) if details else {},
                    party_kind,
                    clocks.get(rowid, []),
                )
            )
    if gone:
        for observer in observers:
            observer.replayed(gone, -1)
    return same


def _again(
    line: int, batch: _Batch, replayer: Replayer, reread: Callable[[int, int], Any] | None
) -> tuple[Any, Replayed]:
    """A line of the batch replayed again, here (it was accepted once already)."""
    source = batch.origin[line]
    rec = source if reread is None else reread(source, line)
    return rec, replayer.record(rec, line)


def _take_back(
    lines: Iterable[int],
    batch: _Batch,
    replayer: Replayer,
    observers: list[ImportObserver],
    reread: Callable[[int, int], Any] | None,
) -> None:
    """Tell the observers that these lines, replayed as new, are not written after all."""
    if not observers:
        return
    gone = [_again(line, batch, replayer, reread)[1] for line in lines]
    for observer in observers:
        observer.replayed(gone, -1)


def _store_lines(
    group: list[tuple[int, Any, Replayed]],
    stage: Stage,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    report: ImportReport,
) -> None:
    """Replayed lines (no two of one matter) against the stored matters: new, an update (its
    steps extend the stored ones), unchanged (the same steps) or a conflict."""
    stored = _existing((r.procedure, r.reference) for _, _, r in group)
    stored_steps: dict[int, list[Step]] = {}
    stored_clocks: dict[int, list[Clock]] = {}
    if stored:
        ids = [m.pk for m in stored.values()]
        for s in Step.objects.filter(matter_id__in=ids).order_by("matter_id", "seq"):
            stored_steps.setdefault(s.matter_id, []).append(s)
        for c in Clock.objects.filter(matter_id__in=ids).order_by("matter_id", "seq"):
            stored_clocks.setdefault(c.matter_id, []).append(c)
    builder = StageBuilder()
    updates: list[Replayed] = []
    written: list[ImportedMatter] = []
    owed: list[linking.Pending] = []
    new_keys: dict[tuple[str, str], int] = {}
    for line, rec, r in group:
        matter = stored.get((r.procedure, r.reference))
        if matter is None:
            pending = linking.pending_of(r)
            if pending is not None:
                refused = linking.check([pending], new_keys).get(line)
                if refused is not None:
                    report.reject(refused)
                    continue
                owed.append(pending)
            place = builder.next_place()
            builder.add(
                writer.matter_row(r), writer.step_rows(r, place), writer.clock_rows(r, place)
            )
            writer.note_reference(r.procedure, r.reference)
            new_keys[(r.procedure, r.reference)] = line
            written.append(r)
            continue
        outcome = _against_stored(
            r,
            rec.get("steps") or [],
            matter,
            stored_steps.get(matter.pk, []),
            replayer,
            tuple(stored_clocks.get(matter.pk, ())),
        )
        if isinstance(outcome, LineError):
            report.reject(outcome)
        elif outcome is None:
            report.unchanged += 1
        else:
            pending = linking.pending_of(outcome)
            if pending is not None:
                refused = linking.check([pending], new_keys).get(line)
                if refused is not None:
                    report.reject(refused)
                    continue
                owed.append(pending)
            updates.append(outcome)
            written.append(outcome)
    if len(builder):
        stage.load(builder.serialize())
        created, steps = stage.write()
        report.created += created
        report.steps += steps
    report.steps += writer.update(updates)
    report.updated += len(updates)
    linking.write(owed)
    for observer in observers:
        observer.replayed(written, 1)


def _against_stored(
    r: Replayed,
    steps_in: Sequence[Any],
    matter: Matter,
    steps: list[Step],
    replayer: Replayer,
    clocks: tuple[Clock, ...] = (),
) -> Replayed | LineError | None:
    """None when the line's steps equal the stored ones; an update when they extend them."""
    mine = replayer.step_keys(r)
    procedure = r.snap.procedure
    theirs = [
        _step_key(_action_or_none(procedure, s.action), s.action, s.on, s.data) for s in steps
    ]
    if mine == theirs:
        return None
    if len(theirs) >= len(mine) or mine[: len(theirs)] != theirs:
        first = next(
            (i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
            min(len(mine), len(theirs)),
        )
        where = "received_on" if first == 0 else f"steps[{first - 1}]"
        return LineError(
            r.line,
            where,
            f"{CONFLICT}：{procedure.label}“{r.reference}”已有{len(theirs)}个步骤，"
            f"本行有{len(mine)}个，第{first + 1}个步骤起不一致。"
            "已有记录只能追加后续步骤，不能改写。",
        )
    before = snapshot_of(matter, steps)
    update = Replayed(
        line=r.line,
        procedure=r.procedure,
        reference=r.reference,
        org_id=matter.org_id,
        received_on=matter.received_on,
        subject=matter.subject,
        channel=matter.channel,
        party={},
        snap=before,
        due=None,
        steps=[
            StepRow(
                seq=s.seq,
                action=s.action,
                on=s.on,
                state_after=s.state_after,
                data=dict(s.data),
                org_id=s.org_id or matter.org_id,
                mailed_on=s.mailed_on,
                actor_label=s.actor_label,
                state_before=s.state_before,
                at=s.occurred_at,
            )
            for s in steps
        ],
        matter_id=matter.pk,
        new_from=len(steps),
        before=before,
        before_clocks=clocks,
    )
    try:
        replayer.replay_steps(update, steps_in, len(steps) - 1)
    except ProcedureError as exc:
        return LineError(r.line, exc.field or "", exc.message)
    return update
