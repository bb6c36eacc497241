"""The bulk import's fast paths give exactly what the general paths give (speed only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core import clock, pii
from fazhi.procedures import importing, rules
from fazhi.procedures.declarations import Field, FieldType, get_procedure
from fazhi.procedures.errors import ProcedureError


class _Str(str):
    """A str subclass: ``Field.clean`` takes its general path for it."""

    __slots__ = ()


FIELDS = [
    Field("name", "名称"),
    Field("note", "备注", FieldType.TEXT, required=False, max_length=8),
    Field("kind", "类别", FieldType.CHOICE, choices=(("a", "甲"), ("b", "乙"))),
    Field("org", "机构", FieldType.ORG, required=False),
    Field("short", "简称", max_length=3),
    Field("checked", "核对", validator=lambda v: "不行" if v == "x" else None),
]


def _outcome(f: Field, value: object) -> tuple[str, object]:
    try:
        return "ok", f.clean(value)
    except ProcedureError as exc:
        return type(exc).__name__, (exc.message, exc.field)


@given(
    st.sampled_from(FIELDS),
    st.one_of(
        st.sampled_from(["", " ", "a", " b ", "c", "x", "abcd", "a\nb", "123456789", "甲"]),
        st.text(max_size=12),
    ),
)
def test_field_clean_fast_path_equals_the_general_path(f, text):
    assert _outcome(f, text) == _outcome(f, _Str(text))


@pytest.mark.django_db
def test_apply_builds_complete_snapshots():
    procedure = get_procedure("business_complaint")
    snap = rules.new_snapshot(procedure, dt.date(2025, 3, 3), {"enterprise": "某公司"})
    t = rules.apply(snap, "accept", role="admin", on=dt.date(2025, 3, 5), today=dt.date(2025, 6, 1))
    for obj in (t, t.snapshot, t.step, snap, snap.steps[0]):
        names = {f.name for f in dataclasses.fields(obj)}
        assert set(vars(obj)) == names
        assert obj == type(obj)(**{n: getattr(obj, n) for n in names})
    assert t.snapshot == dataclasses.replace(
        snap, state=t.snapshot.state, steps=(*snap.steps, t.step)
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.snapshot.state = "x"  # type: ignore[misc]


def test_resident_id_birth_date_memo_follows_the_clock():
    born = "20250610"
    body = f"220302{born}123"
    number = (
        body
        + pii._RIC_CHECK[sum(int(c) * w for c, w in zip(body, pii._RIC_WEIGHTS, strict=True)) % 11]
    )
    with clock.frozen(dt.date(2025, 6, 1)):
        assert "不在合理范围内" in (pii.resident_id_error(number) or "")
    with clock.frozen(dt.date(2025, 6, 20)):
        assert pii.resident_id_error(number) is None
    assert "不是有效日期" in (pii.resident_id_error("220302" + "20250230" + "1234") or "")


@pytest.mark.parametrize(
    ("value", "message"),
    [("2025-02-30", "日期无效"), ("2025-03-01\n", "日期无效"), ("3月5日", "YYYY-MM-DD")],
)
def test_date_cache_keeps_refusals(value, message):
    assert importing._date("2025-03-01", "on") == dt.date(2025, 3, 1)
    for _ in range(2):
        with pytest.raises(ProcedureError, match=message):
            importing._date(value, "on")


@pytest.mark.django_db(transaction=True)
def test_import_sqlite_settings_are_restored(district, tmp_path):
    from django.db import connection

    from fazhi.procedures.tests.test_import import complaint, write

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def settings() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (cache,) = cursor.fetchone()
            cursor.execute("PRAGMA temp_store")
            return cache, cursor.fetchone()[0]

    before = settings()
    seen: list[tuple[int, int]] = []
    importing.import_file(
        write(tmp_path, [complaint("A-1")]), progress=lambda n: seen.append(settings())
    )
    assert seen == [(-importing.SQLITE_IMPORT_CACHE_KIB, 2)]  # 2: temporary files in memory
    assert settings() == before


def _parsed_by_the_book(raw: bytes) -> object:
    """What a line means by the definition: UTF-8, blank or not, then ``json.loads``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return ("error", exc.msg, exc.colno)
    path = importing.nul_path(value)  # PostgreSQL cannot store U+0000: the line is refused
    return value if path is None else ("nul", path)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    st.one_of(
        _JSON.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")),
        _JSON.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=40),
        st.sampled_from([b"", b"  \n", b"\t\r\n", b'{"a": 1}\n', b'"\\ud800"', b"[1, 2"]),
    )
)
def test_a_line_parses_as_by_the_book(raw):
    """orjson first, the standard library for whatever it refuses: the same values, the same
    refusals (a line that is not UTF-8 refuses the file)."""
    expected = _parsed_by_the_book(raw)
    try:
        got = importing._parse_line(raw, 2)
    except importing.ImportFileError:
        got = "not UTF-8"
    if (
        isinstance(got, importing.LineError)
        and isinstance(expected, tuple)
        and expected[0] == "nul"
    ):
        assert got.field == expected[1] and "空字符（U+0000）" in got.message
    elif isinstance(got, importing.LineError):
        assert isinstance(expected, tuple) and expected[0] == "error"
        assert got.message == f"不是有效的 JSON：{expected[1]}（第{expected[2]}列）。"
    else:
        assert repr(got) == repr(expected)


def test_import_verification_codes_are_uniform_over_the_alphabet():
    from collections import Counter

    from fazhi.procedures.services import CODE_ALPHABET

    codes = importing._Codes()
    drawn = [codes() for _ in range(31_000)]
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in drawn)
    for position in (0, 3, 5):  # each half of a code is its own draw
        seen = Counter(c[position] for c in drawn)
        assert set(seen) == set(CODE_ALPHABET)
        assert max(seen.values()) < 2 * min(seen.values())  # ~1,000 each, nothing skewed
    assert len(set(drawn)) > 30_900  # collisions only by chance (31^6 codes)


@pytest.mark.django_db
@pytest.mark.parametrize("steps", [0, 1, 3])  # open with a due date, open, closed
def test_staged_row_state_columns_equal_the_writers(district, steps):
    """``matter_row`` spells the state columns out inline: the same as ``_state_columns``."""
    from fazhi.procedures.tests.test_import import complaint

    line = complaint()
    line["steps"] = line["steps"][:steps]
    writer = importing.Writer()
    r = importing.Replayer(today=dt.date(2025, 6, 1)).record(line, 1)
    state = writer._state_columns(r, writer._staged)
    assert writer.matter_row(r)[-len(state) :] == state
    assert len(state) == len(importing.STATE_COLUMNS)


class _Undo(Exception):  # noqa: N818 control flow: leave the database as it was
    pass


def _import_and_undo(path, bulk, monkeypatch):
    """What importing ``path`` does (report, rows, tally) with or without the bulk comparison
    of stored lines, leaving the database as it was."""
    from django.db import transaction

    from fazhi.indicators.rollup import tally_differences
    from fazhi.procedures.importing import merge
    from fazhi.procedures.tests.test_import import rows

    monkeypatch.setattr(merge, "COMPARE_IN_BULK", bulk)
    try:
        with transaction.atomic():
            r = importing.import_file(path, skip_invalid=True, today=dt.date(2025, 6, 1))
            seen = (
                (r.lines, r.created, r.updated, r.unchanged, r.steps, r.rejected),
                [(e.line, e.field, e.message) for e in r.errors],
                rows(),
                tally_differences(),
            )
            raise _Undo
    except _Undo:
        pass
    return seen


@pytest.mark.django_db
def test_stored_lines_compared_in_bulk_give_what_the_line_by_line_path_gives(
    district, tmp_path, monkeypatch
):
    from fazhi.procedures.tests.test_import import complaint, write

    accept = {"action": "accept", "on": "2025-03-05"}
    conclude = {"action": "conclude", "on": "2025-03-20", "data": {"result": "已责令整改"}}
    first = [
        complaint("A-1"),
        complaint("A-2", steps=[accept]),
        complaint("A-3", steps=[accept]),
        complaint("A-4", steps=[accept, conclude]),
        complaint("A-5", steps=[accept]),
        complaint("A-6", steps=[accept, conclude]),
    ]
    report = importing.import_file(write(tmp_path, first, "first.jsonl"), today=dt.date(2025, 6, 1))
    assert report.created == 6
    later = {**conclude, "on": "2025-03-21"}
    second = [
        complaint("A-1"),  # unchanged
        complaint("A-2", steps=[accept]),  # unchanged
        complaint("A-3", steps=[accept, conclude]),  # one more step: an update
        complaint("A-4", steps=[accept, later]),  # another date: a conflict
        complaint("A-5", steps=[accept]),  # unchanged, twice in the file
        complaint("A-5", steps=[accept]),
        complaint("A-6", steps=[accept]),  # fewer steps: a conflict
        complaint("A-7", steps=[accept]),  # new
        complaint("A-2", steps=[accept, conclude]),  # after its unchanged line: an update
    ]
    path = write(tmp_path, second, "second.jsonl")
    bulk = _import_and_undo(path, True, monkeypatch)
    assert bulk == _import_and_undo(path, False, monkeypatch)
    counts, errors, _rows, tally = bulk
    assert counts == (9, 1, 2, 4, 4, 2)  # lines, created, updated, unchanged, steps, rejected
    assert [line for line, _f, _m in errors] == [4, 7]
    assert tally[1] == []  # the observers were told to take back every line replayed as new
    # a file of unchanged lines only: all found in bulk, the tally as before
    again = _import_and_undo(write(tmp_path, first, "again.jsonl"), True, monkeypatch)
    assert again[0] == (6, 0, 0, 6, 0, 0) and again[3][1] == []
