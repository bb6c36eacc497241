"""Versions of a text (every draft and the published text, kept) and the difference between
any two, article by article, with the changed words marked within a changed article."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from fazhi.core import audit
from fazhi.core.scope import can_act_on
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.models import Matter
from fazhi.rulemaking.models import TextVersion

PROCEDURES = ("normative_document", "major_decision")
MAX_TEXT = 200_000


def add_version(matter: Matter, text: str, label: str, *, by: Any) -> TextVersion:
    """Keep a new version of ``matter``'s text (numbered on), with its audit event."""
    if matter.procedure not in PROCEDURES:
        raise InvalidData("只有规范性文件和重大行政决策事项保存文本版本。", field="matter")
    if by is not None and not can_act_on(by, matter.org):
        raise NotAllowed("您不能为该事项保存文本版本。", field="matter")
    text = (text or "").strip()
    label = (label or "").strip()
    if not text:
        raise InvalidData("文本不能为空。", field="text")
    if len(text) > MAX_TEXT:
        raise InvalidData(f"文本过长：最多 {MAX_TEXT} 字，实际 {len(text)} 字。", field="text")
    if not label:
        raise InvalidData("请填写版本说明（如“送审稿”“公布稿”）。", field="label")
    if len(label) > 100:
        raise InvalidData("版本说明最多100字。", field="label")
    with transaction.atomic():
        Matter.objects.select_for_update().filter(pk=matter.pk).first()  # numbers in order
        last = TextVersion.objects.filter(matter=matter).aggregate(n=Max("number"))["n"] or 0
        version = TextVersion.objects.create(
            matter=matter, number=last + 1, label=label, text=text, created_by=by
        )
        audit.record(
            "rulemaking.version",
            version,
            actor=by,
            org=matter.org,
            data={"matter": matter.reference, "number": version.number, "label": label},
        )
    return version


@dataclass(frozen=True)
class Line:
    """One row of a difference: ``op`` is equal, insert, delete or replace; for a replaced
    article, ``old_parts``/``new_parts`` are (text, changed) runs."""

    op: str
    old: str = ""
    new: str = ""
    old_parts: tuple[tuple[str, bool], ...] = ()
    new_parts: tuple[tuple[str, bool], ...] = ()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def _words(old: str, new: str) -> tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, bool], ...]]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    a: list[tuple[str, bool]] = []
    b: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            a.append((old[i1:i2], op != "equal"))
        if j2 > j1:
            b.append((new[j1:j2], op != "equal"))
    return tuple(a), tuple(b)


def diff(old: str, new: str) -> list[Line]:
    """The difference of two texts, paragraph (article) by paragraph."""
    a, b = _paragraphs(old), _paragraphs(new)
    out: list[Line] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(Line("equal", x, x) for x in a[i1:i2])
        elif op == "delete":
            out.extend(Line("delete", old=x) for x in a[i1:i2])
        elif op == "insert":
            out.extend(Line("insert", new=x) for x in b[j1:j2])
        else:
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                if k < len(olds) and k < len(news):
                    parts = _words(olds[k], news[k])
                    out.append(Line("replace", olds[k], news[k], *parts))
                elif k < len(olds):
                    out.append(Line("delete", old=olds[k]))
                else:
                    out.append(Line("insert", new=news[k]))
    return out
