"""Top-k accuracy of ``suggest_units`` on the labelled set (``labelled.generate``), beside the
baseline that always suggests the most frequent responsible units (shared by the test and
``bench/bench_unit_suggestion.py``)."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field

from fazhi.core.models import OrgUnit
from fazhi.services.suggest import suggest_units
from fazhi.services.tests.labelled import LabelledMatter, generate


@dataclass
class Accuracy:
    n: int = 0
    top1: int = 0
    top3: int = 0
    baseline_top3: int = 0
    baseline_top1: int = 0
    by_group: dict[str, list[int]] = field(default_factory=dict)  # group → [n, top3 hits]
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)
    seconds: float = 0.0

    def rate(self, hits: int) -> float:
        return 100 * hits / self.n if self.n else 0.0


def evaluate(root: OrgUnit, on: dt.date, matters: list[LabelledMatter] | None = None) -> Accuracy:
    matters = matters if matters is not None else generate()
    frequent = [u for u, _ in Counter(m.unit for m in matters).most_common(3)]
    acc = Accuracy()
    started = time.perf_counter()
    for m in matters:
        got = [s.unit.short_name for s in suggest_units(m.text, root, on=on)]
        acc.n += 1
        acc.top1 += bool(got) and got[0] == m.unit
        acc.top3 += m.unit in got[:3]
        acc.baseline_top1 += frequent[0] == m.unit
        acc.baseline_top3 += m.unit in frequent
        group = "named" if m.named_place else "unnamed"
        kind = "basic" if m.unit.endswith(("街道", "乡")) else "department"
        for g in (group, kind, f"{group}/{kind}"):
            acc.by_group.setdefault(g, [0, 0])
            acc.by_group[g][0] += 1
            acc.by_group[g][1] += m.unit in got[:3]
        if m.unit not in got[:3]:
            acc.misses.append((m.text, m.unit, got))
    acc.seconds = time.perf_counter() - started
    return acc
