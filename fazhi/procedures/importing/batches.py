"""A chunk of lines replayed into a ``_Batch``: its rejected lines, its new matters' rows
staged (stage.py) and the observers' partial sums — in the import's process or in a worker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fazhi.procedures.importing.formats import Record
from fazhi.procedures.importing.linking import Pending, pending_of
from fazhi.procedures.importing.replay import Replayer
from fazhi.procedures.importing.report import LineError
from fazhi.procedures.importing.stage import StageBuilder
from fazhi.procedures.importing.writer import Writer
from fazhi.procedures.signals import ImportedMatter, ImportObserver


@dataclass
class _Batch:
    """A chunk of lines replayed (here or in a worker), ready to be checked and written."""

    lines: int = 0  # the chunk's lines (blank ones left out)
    errors: list[LineError] = field(default_factory=list)
    rows: bytes | None = None  # the new matters' and steps' rows, staged (stage.py)
    # per accepted line: the record itself, or its byte offset when a worker replayed it
    # (read again only if its matter turns out to be stored)
    origin: dict[int, Any] = field(default_factory=dict)
    deferred: list[int] = field(default_factory=list)  # lines repeating an earlier line's matter
    partials: list[Any] = field(default_factory=list)  # per observer (None: nothing to merge)
    numbers: dict[tuple[str, int], int] = field(default_factory=dict)  # Writer.numbers
    pending: list[Pending] = field(default_factory=list)  # new lines' links, assisting units
    # key → line of the chunk's new matters, kept only when a line links (linking.check)
    new_keys: dict[tuple[str, str], int] = field(default_factory=dict)


def _chunks(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    """The records by chunk of ``size`` line numbers (as the workers cut them)."""
    chunk: list[Record] = []
    current = -1
    for item in records:
        index = (item[0] - 1) // size
        if index != current and chunk:
            yield chunk
            chunk = []
        current = index
        chunk.append(item)
    if chunk:
        yield chunk


def _map_field(error: LineError, sources: dict[int, str] | None) -> LineError:
    """In a template, name the column (``conclude.result``) rather than ``steps[1].data.result``."""
    if not sources or not error.field.startswith("steps["):
        return error
    m = re.match(r"steps\[(\d+)\](?:\.(?:data\.)?(.*))?$", error.field)
    if m is None or int(m.group(1)) not in sources:
        return error
    action, rest = sources[int(m.group(1))], m.group(2) or "on"
    if rest in ("action", "by", "mailed_on"):
        rest = "on"
    return LineError(error.line, f"{action}.{rest}", error.message)


def _replay_chunk(
    chunk: list[Record],
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    offsets: dict[int, int] | None = None,
) -> _Batch:
    """Replay a chunk: its rejected lines, and the staged rows of its new matters.

    A line whose matter (procedure and reference) an earlier line of the chunk has is
    deferred: it is checked against what that line wrote, once the chunk is written.
    """
    batch = _Batch(lines=len(chunk))
    builder = StageBuilder()
    seen: dict[tuple[str, str], int] = {}  # key → line
    replayed: list[ImportedMatter] = []
    for line, rec, sources in chunk:
        offset = offsets.pop(line, None) if offsets is not None else None
        if isinstance(rec, LineError):
            batch.errors.append(rec)
            continue
        try:
            r = replayer.record(rec, line)
        except LineError as exc:
            batch.errors.append(_map_field(exc, sources))
            continue
        batch.origin[line] = rec if offsets is None else offset
        key = (r.procedure, r.reference)
        if key in seen:
            batch.deferred.append(line)
            continue
        seen[key] = line
        place = builder.next_place()
        builder.add(writer.matter_row(r), writer.step_rows(r, place), writer.clock_rows(r, place))
        if r.links or r.assists:
            owed = pending_of(r, place)
            if owed is not None:
                batch.pending.append(owed)
        writer.note_reference(r.procedure, r.reference)
        if observers:
            replayed.append(r)
    if len(builder):
        batch.rows = builder.serialize()
    if any(p.links for p in batch.pending):
        batch.new_keys = seen
    for observer in observers:
        observer.replayed(replayed, 1)
    batch.partials = [observer.partial(False) for observer in observers]
    return batch


def _final(writer: Writer, observers: list[ImportObserver]) -> _Batch:
    """What a replaying process sends after its last chunk."""
    return _Batch(
        partials=[observer.partial(True) for observer in observers], numbers=dict(writer.numbers)
    )


def _replay_here(
    records: Iterator[Record],
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    size: int,
) -> Iterator[_Batch]:
    for chunk in _chunks(records, size):
        yield _replay_chunk(chunk, replayer, writer, observers)
    yield _final(writer, observers)
