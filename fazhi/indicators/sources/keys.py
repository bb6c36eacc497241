"""Which conditional sources the tally keeps, and the stable digest that names each.

A source is kept (*tallied*) when every condition of it is a fact of the matter itself —
details, party, steps, clocks. A condition across matters (``Linked``: no repeat petition names
it) changes when another matter is linked, so those sources keep reading the base tables
(the petitions' figures: a district's few thousand a year). Register entries (``Entries``)
are small tables and read them too.

The digest is of the declaration's canonical form (sets sorted, values typed), so it is the
same in every process and changes when the declaration does: a changed source is a new one,
read from the base tables until it is built.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from fazhi.indicators.registry import Linked, Matters, Steps, Timely

Tallied = Matters | Steps | Timely


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            type(value).__name__,
            {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)},
        ]
    if isinstance(value, frozenset | set):
        items = [_canonical(v) for v in value]
        return ["set", sorted(items, key=lambda v: json.dumps(v, sort_keys=True))]
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", value]
    return value  # str, None


def describe(src: Tallied) -> str:
    """The canonical form of a source's declaration (what ``SourceBuild`` records)."""
    return json.dumps(_canonical(src), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# id → (the source, its digest): by identity, not equality (``True == 1`` in Python, and a
# source declared with one is not the source declared with the other); the source is held so
# that its id is not reused
_KEYS: dict[int, tuple[Tallied, str]] = {}


def source_key(src: Tallied) -> str:
    """The digest naming ``src`` in the tally (16 hex digits)."""
    known = _KEYS.get(id(src))
    if known is not None and known[0] is src:
        return known[1]
    key = hashlib.sha256(describe(src).encode()).hexdigest()[:16]
    if len(_KEYS) > 10_000:
        _KEYS.clear()
    _KEYS[id(src)] = (src, key)
    return key


def _matters(src: Tallied) -> Matters:
    return src if isinstance(src, Matters) else src.matters


def is_tallied(src: Any) -> bool:
    """True for a source the tally keeps (its conditions are facts of the matter itself)."""
    if not isinstance(src, Matters | Steps | Timely):
        return False
    return not any(isinstance(c, Linked) for c in _matters(src).where)


def tallied_sources(sources: Iterable[Any]) -> list[Tallied]:
    """The kept sources among ``sources``, each once, in order."""
    out: list[Tallied] = []
    for src in sources:
        if is_tallied(src) and src not in out:
            out.append(src)
    return out


_DECLARED: tuple[tuple[int, ...], list[Tallied]] = ((), [])
_DECLARED_SET: tuple[object, frozenset[Tallied]] = (None, frozenset())


def declared_sources() -> list[Tallied]:
    """Every kept source of the computed indicators (memoised while the registry holds the
    same declarations)."""
    global _DECLARED
    from fazhi.indicators.registry import _INDICATORS, computed_indicators

    fingerprint = tuple(map(id, _INDICATORS.values()))
    seen, sources = _DECLARED
    if fingerprint != seen:
        sources = tallied_sources(
            s for ind in computed_indicators() for s in (ind.numerator, ind.denominator)
        )
        _DECLARED = (fingerprint, sources)
    return sources


def declared_set() -> frozenset[Tallied]:
    """``declared_sources`` as a set."""
    global _DECLARED_SET
    declared = declared_sources()
    seen, found = _DECLARED_SET
    if seen is not declared:
        found = frozenset(declared)
        _DECLARED_SET = (declared, found)
    return found
