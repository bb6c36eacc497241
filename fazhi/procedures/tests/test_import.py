"""``fazhi import``: replay through the rules, idempotency, progress updates, refusals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.core.management import CommandError, call_command

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.procedures import signals
from fazhi.procedures.importing import import_file
from fazhi.procedures.models import ImportRun, Matter, Step
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
ID = "11010519491231002X"  # a valid resident ID (GB 11643 check digit X)

MATTER_FIELDS = (
    "procedure",
    "reference",
    "org_id",
    "received_on",
    "subject",
    "channel",
    "party_name",
    "party_kind",
    "party_id_number",
    "party_phone",
    "party_address",
    "state",
    "outcome",
    "due_on",
    "due_rule",
    "due_basis",
    "due_provisional",
    "due_paused",
    "closed_on",
    "satisfaction",
    "details",
)
STEP_FIELDS = (
    "seq",
    "action",
    "on",
    "mailed_on",
    "org_id",
    "state_before",
    "state_after",
    "data",
)


def complaint(ref: str = "YS-2025-000001", **extra: Any) -> dict[str, Any]:
    line = {
        "procedure": "business_complaint",
        "reference": ref,
        "org": "220302",
        "received_on": "2025-03-03",
        "subject": "施工噪音扰民",
        "channel": "phone",
        "party": {"name": "张三", "id_number": ID, "phone": "13800000000"},
        "details": {"enterprise": "某建筑公司"},
        "steps": [
            {"action": "accept", "on": "2025-03-05"},
            {"action": "conclude", "on": "2025-03-20", "data": {"result": "已责令整改"}},
            {"action": "rate", "on": "2025-03-25", "data": {"satisfaction": "satisfied"}, "by": "public"},
        ],
    }  # fmt: skip
    line.update(extra)
    return line


def by_hand(district: Any, users: Any, procedure: str, received_on: dt.date, **extra: Any) -> Any:
    """A matter registered through the engine by the administrator, to compare with."""
    extra.setdefault("subject", "施工噪音扰民")
    extra.setdefault("party", {"name": "张三", "id_number": ID})
    return register_matter(
        procedure, org=district["root"], received_on=received_on, by=users["admin"], **extra
    )


def write(tmp_path: Path, lines: list[Any], name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


class Recorder:
    """An import observer (signals.ImportObserver) that notes what the import tells it."""

    made: ClassVar[list[Recorder]] = []

    def __init__(self) -> None:
        self.pending: list[tuple[Any, ...]] = []
        self.merged: list[tuple[Any, ...]] = []
        self.finished = False
        Recorder.made.append(self)

    def replayed(self, matters: Any, sign: int) -> None:
        self.pending.extend(
            (
                sign,
                m.procedure,
                m.reference,
                m.org_id,
                m.received_on,
                m.new_from,
                tuple(
                    (s.seq, s.action, s.on, s.state_after, str(s.data), s.org_id) for s in m.steps
                ),
            )
            for m in matters
        )

    def partial(self, final: bool) -> Any:
        sent, self.pending = self.pending, []
        return sent or None

    def merge(self, partial: Any) -> None:
        self.merged.extend(partial)

    def finish(self) -> None:
        self.merge(self.partial(True) or [])
        self.finished = True

    def net(self) -> dict[tuple[Any, ...], int]:
        """Each matter seen, with the sum of its signs (those summing to nothing left out)."""
        sums: dict[tuple[Any, ...], int] = {}
        for sign, *matter in self.merged:
            sums[tuple(matter)] = sums.get(tuple(matter), 0) + sign
        return {m: n for m, n in sorted(sums.items()) if n}


@pytest.fixture
def recorder() -> Any:
    """Registers ``Recorder`` for the test; yields the observers the imports made."""
    Recorder.made = []
    signals.observe_imports(Recorder)
    try:
        yield Recorder.made
    finally:
        signals.import_observers.remove(Recorder)


def rows() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    matters = sorted(Matter.objects.values_list(*MATTER_FIELDS))
    steps = sorted(Step.objects.values_list("matter__procedure", "matter__reference", *STEP_FIELDS))
    return matters, steps


def test_jsonl_line_is_replayed_through_the_rules(district, tmp_path, recorder):
    call_command("import", str(write(tmp_path, [complaint()])), quiet=True)
    m = Matter.objects.get(reference="YS-2025-000001")
    assert (m.state, m.outcome, m.satisfaction) == ("concluded", "concluded", "satisfied")
    assert m.closed_on == D(2025, 3, 20)
    assert m.due_on is None and m.org == district["root"]
    assert m.party_kind == "person" and m.details == {
        "enterprise": "某建筑公司",
        "consent_publish": False,
    }
    assert len(m.verification_code) == 6
    steps = list(m.steps.order_by("seq"))
    assert [(s.seq, s.action, s.state_before, s.state_after) for s in steps] == [
        (1, "register", "", "received"),
        (2, "accept", "received", "in_scope"),
        (3, "conclude", "in_scope", "concluded"),
        (4, "rate", "concluded", "concluded"),
    ]
    assert [s.actor_label for s in steps] == ["导入", "导入", "导入", "公众"]
    assert steps[2].data == {"result": "已责令整改"}
    (observer,) = recorder
    assert observer.finished
    assert [(key[:2], key[4], len(key[5]), n) for key, n in observer.net().items()] == [
        (("business_complaint", "YS-2025-000001"), 0, 4, 1)
    ]
    run = ImportRun.objects.get()
    assert (run.status, run.created, run.steps, run.lines) == ("done", 1, 4, 1)
    event = AuditEvent.objects.get(action="matter.import")
    assert event.data["sha256"] == run.sha256 and event.data["created"] == 1
    assert not AuditEvent.objects.filter(action="matter.register").exists()


def test_the_command_records_the_user_it_is_told(district, users, tmp_path):
    call_command("import", str(write(tmp_path, [complaint()])), quiet=True, user="t_office")
    assert ImportRun.objects.get().created_by == users["office"]
    assert AuditEvent.objects.get(action="matter.import").actor == users["office"]
    with pytest.raises(CommandError, match="找不到有效的用户“nobody”"):
        call_command("import", str(write(tmp_path, [complaint()])), quiet=True, user="nobody")


def test_open_matter_gets_the_same_deadline_as_act(district, users, tmp_path):
    line = complaint(steps=[{"action": "accept", "on": "2025-03-05"}])
    call_command("import", str(write(tmp_path, [line])), quiet=True)
    imported = Matter.objects.get(reference="YS-2025-000001")
    mine = by_hand(district, users, "business_complaint", D(2025, 3, 3))
    act(mine, "accept", users["admin"], D(2025, 3, 5))
    assert mine.reference == "YS-2025-000002"  # the counter moved past the imported number
    assert imported.due_on == mine.due_on == D(2025, 3, 26)
    for name in ("state", "due_rule", "due_basis", "due_provisional", "due_paused"):
        assert getattr(imported, name) == getattr(mine, name), name


def test_org_changing_steps_mirror_act_exactly(district, users, tmp_path):
    """transfer, add_assistant, return and assign write what act() writes."""
    steps = [
        ("transfer", D(2025, 3, 4), {"to_org": district["b"].name, "reason": "职责"}),
        ("add_assistant", D(2025, 3, 5), {"org": str(district["street"].pk)}),
        ("return", D(2025, 3, 6), {"reason": "不属本单位"}),
        ("assign", D(2025, 3, 7), {"to_org": str(district["a"].pk)}),
        ("accept", D(2025, 3, 10), {}),
        ("suspend", D(2025, 3, 11), {"reason": "等待鉴定"}),
        ("resume", D(2025, 3, 17), {}),
    ]
    by_hand = register_matter(
        "business_complaint",
        org=district["root"],
        received_on=D(2025, 3, 3),
        subject="对照",
        by=users["admin"],
        reference="HAND-1",
    )
    for name, on, data in steps:
        act(by_hand, name, users["admin"], on, **dict(data))
    line = {
        "procedure": "business_complaint",
        "reference": "IMP-1",
        "org": "220302",
        "received_on": "2025-03-03",
        "subject": "对照",
        "steps": [{"action": n, "on": on.isoformat(), "data": d} for n, on, d in steps],
    }
    call_command("import", str(write(tmp_path, [line])), quiet=True)
    imported = Matter.objects.get(reference="IMP-1")
    by_hand.refresh_from_db()
    for name in MATTER_FIELDS:
        if name not in ("reference", "channel"):
            assert getattr(imported, name) == getattr(by_hand, name), name
    assert imported.org == district["a"]
    assert imported.details["_assistants"] == [district["street"].pk]
    mine = list(imported.steps.order_by("seq").values_list(*STEP_FIELDS))
    theirs = list(by_hand.steps.order_by("seq").values_list(*STEP_FIELDS))
    assert mine == theirs


def test_importing_the_same_file_twice_adds_nothing(district, tmp_path):
    path = write(tmp_path, [complaint("A-1"), complaint("A-2")])
    call_command("import", str(path), quiet=True)
    before = rows()
    report = import_file(path)
    assert (report.created, report.unchanged, report.updated) == (0, 2, 0)
    assert rows() == before


def test_longer_history_updates_progress_through_the_rules(district, tmp_path):
    short = complaint("A-1", steps=complaint()["steps"][:1])
    call_command("import", str(write(tmp_path, [short], "a.jsonl")), quiet=True)
    m = Matter.objects.get(reference="A-1")
    assert m.state == "in_scope" and m.due_on is not None
    report = import_file(write(tmp_path, [complaint("A-1")], "b.jsonl"))
    assert (report.created, report.updated, report.steps) == (0, 1, 2)
    m.refresh_from_db()
    assert (m.state, m.satisfaction, m.closed_on, m.due_on) == (
        "concluded",
        "satisfied",
        D(2025, 3, 20),
        None,
    )
    assert list(m.steps.values_list("seq", "action").order_by("seq")) == [
        (1, "register"),
        (2, "accept"),
        (3, "conclude"),
        (4, "rate"),
    ]


def test_different_history_is_a_conflict(district, tmp_path):
    call_command("import", str(write(tmp_path, [complaint("A-1")], "a.jsonl")), quiet=True)
    before = rows()
    other = complaint("A-1")
    other["steps"][1]["data"]["result"] = "另一个结果"
    with pytest.raises(CommandError, match="未导入"):
        call_command("import", str(write(tmp_path, [other], "b.jsonl")), quiet=True)
    run = ImportRun.objects.order_by("-pk").first()
    assert run is not None and run.status == "failed"
    assert "与已有记录冲突" in run.report[0]["message"] and run.report[0]["field"] == "steps[1]"
    assert rows() == before


BROKEN: dict[str, tuple[Any, str, str]] = {
    # issue 19, defect 9: each of these was a traceback or was stored
    "received before the calendar": (
        complaint("X", received_on="1900-01-01"),
        "received_on",
        "超出可计算范围",
    ),
    "mailed in the year 9999": (complaint("X", mailed_on="9999-12-31"), "mailed_on", "晚于今天"),
    "mailed after receipt": (complaint("X", mailed_on="2025-03-04"), "mailed_on", "晚于收到日期"),
    "step mailed in 9999": (
        complaint("X", steps=[{"action": "accept", "on": "2025-03-05", "mailed_on": "9999-12-31"}]),
        "steps[0].mailed_on",
        "晚于今天",
    ),
    "step before the calendar": (
        complaint("X", steps=[{"action": "accept", "on": "1900-03-05"}]),
        "steps[0].on",
        "超出可计算范围",
    ),
    "NUL byte in the subject": (
        complaint("X", subject="施工\x00噪音"),
        "subject",
        "空字符（U+0000）",
    ),
    "NUL byte in a party's name": (
        complaint("X", party={"name": "张\x00三", "id_number": ID}),
        "party.name",
        "空字符（U+0000）",
    ),
    "NUL byte in a step's data": (
        complaint("X", steps=[{"action": "accept", "on": "2025-03-05", "data": {"note": "\x00"}}]),
        "steps[0].data.note",
        "空字符（U+0000）",
    ),
    "deeply nested JSON": ("[" * 100_000 + "]" * 100_000, "", "嵌套层数过多"),
    "unknown action": (
        complaint("X", steps=[{"action": "approve", "on": "2025-03-05"}]),
        "steps[0].action",
        "没有“approve”这一操作",
    ),
    "step out of order": (
        complaint(
            "X", steps=[{"action": "conclude", "on": "2025-03-05", "data": {"result": "好"}}]
        ),
        "steps[0].action",
        "不能执行“办结”",
    ),
    "step before the previous": (
        complaint("X", steps=[{"action": "accept", "on": "2025-03-01"}]),
        "steps[0].on",
        "受理日期2025-03-01早于收到日期2025-03-03",
    ),
    "bad date": (complaint("X", received_on="2025-02-30"), "received_on", "日期无效"),
    "date in words": (
        complaint("X", steps=[{"action": "accept", "on": "3月5日"}]),
        "steps[0].on",
        "YYYY-MM-DD",
    ),
    "future date": (complaint("X", received_on="2099-01-01"), "received_on", "晚于今天"),
    "unknown org": (complaint("X", org="999999"), "org", "找不到机构"),
    "bad ID number": (
        complaint("X", party={"name": "张三", "id_number": "110105194912310021"}),
        "party.id_number",
        "",
    ),
    "malformed JSON": ('{"procedure": "business_complaint", "reference": ', "", "不是有效的 JSON"),
    "unknown procedure": (complaint("X", procedure="parking"), "procedure", "未知的程序"),
    "unknown key": ({**complaint("X"), "colour": "red"}, "colour", "colour"),
    "unknown step key": (
        complaint("X", steps=[{"action": "accept", "on": "2025-03-05", "who": "me"}]),
        "steps[0].who",
        "who",
    ),
    "unknown data key": (
        complaint("X", steps=[{"action": "accept", "on": "2025-03-05", "data": {"x": 1}}]),
        "steps[0].data.x",
        "不接受字段",
    ),
    "missing reference": ({**complaint("X"), "reference": ""}, "reference", "缺少编号"),
    "bad choice": (
        complaint("X", procedure="help_request", details={"kind": "praise"}),
        "details.kind",
        "不在可选范围",
    ),
    "public-only action without by": (
        complaint(
            "X",
            steps=[
                {"action": "accept", "on": "2025-03-05"},
                {"action": "conclude", "on": "2025-03-06", "data": {"result": "好"}},
                {
                    "action": "rate",
                    "on": "2025-03-07",
                    "data": {"satisfaction": "dissatisfied"},
                    "by": "public",
                },
                {"action": "request_reopen", "on": "2025-03-08", "data": {"reason": "没解决"}},
            ],
        ),
        "steps[3].action",
        "不能",
    ),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_line_refuses_the_whole_file(district, tmp_path, kind):
    broken, field, message = BROKEN[kind]
    call_command("import", str(write(tmp_path, [complaint("OLD")], "old.jsonl")), quiet=True)
    before = rows()
    path = write(tmp_path, [complaint("A-1"), complaint("A-2"), broken, complaint("A-3")])
    with pytest.raises(CommandError, match="整个文件未导入"):
        call_command("import", str(path), quiet=True)
    assert rows() == before
    run = ImportRun.objects.order_by("-pk").first()
    assert run is not None and run.status == "failed" and run.rejected == 1
    error = run.report[0]
    assert error["line"] == 3
    assert error["field"] == field
    assert message in error["message"]
    report = (tmp_path / "in.jsonl.rejected.csv").read_text(encoding="utf-8-sig")
    assert report.splitlines()[1].startswith(f"3,{field},")


def test_skip_invalid_imports_the_rest_and_reports(district, tmp_path):
    bad = complaint("B", org="不存在的单位")
    path = write(tmp_path, [complaint("A-1"), bad, "", "not json", complaint("A-2")])
    call_command("import", str(path), skip_invalid=True, quiet=True, report=str(tmp_path / "r.csv"))
    assert set(Matter.objects.values_list("reference", flat=True)) == {"A-1", "A-2"}
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "行号,字段,原因"
    assert lines[1].startswith("2,org,找不到机构“不存在的单位”")
    assert lines[2].startswith("4,,不是有效的 JSON")
    run = ImportRun.objects.get()
    assert (run.status, run.created, run.rejected, run.lines) == ("partial", 2, 2, 4)


def test_duplicate_reference_within_a_file(district, tmp_path):
    short = complaint("A-1", steps=complaint()["steps"][:1])
    report = import_file(write(tmp_path, [short, complaint("A-1"), complaint("A-1")]))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert Matter.objects.get().steps.count() == 4


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gbk.jsonl", '{"subject": "投诉"}\n'.encode("gbk"), "不是 UTF-8"),
        ("empty.jsonl", b"", "文件是空的"),
        ("fake.xlsx", b"this is not a zip file", "不是有效的 .xlsx"),
        ("gbk.csv", "编号,事由\n".encode("gbk"), "不是 UTF-8"),
        ("bad.csv", b"reference,org,colour\n", "表头与"),
        ("notes.txt", b"hello", "不支持的文件类型"),
    ],
)
def test_unreadable_files_are_refused_in_plain_chinese(district, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import", str(path), quiet=True)
    assert not Matter.objects.exists()


def test_oversize_line_is_rejected_without_reading_it_whole(district, tmp_path, monkeypatch):
    monkeypatch.setattr("fazhi.procedures.importing.formats.MAX_LINE_BYTES", 2000)
    big = complaint("BIG", subject="长" * 3000)
    path = write(tmp_path, [complaint("A-1"), big, complaint("A-2")])
    report = import_file(path, skip_invalid=True)
    assert report.created == 2
    assert report.errors[0].line == 2 and "超过" in report.errors[0].message


def test_missing_file(district, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import", str(tmp_path / "nope.jsonl"), quiet=True)


def test_provisional_and_paused_due_dates_are_stored_as_act_stores_them(district, users, tmp_path):
    """A period reaching a year whose holiday notice is not loaded (暂估) and a suspended one:
    the import stores the same due date and flags as ``act()``."""
    suspend = {"action": "suspend", "on": "2026-11-24", "data": {"reason": "等待鉴定"}}
    lines = [
        complaint(
            "YS-2026-000001",
            received_on="2026-11-20",
            steps=[{"action": "accept", "on": "2026-11-23"}, suspend],
        ),
        {
            "procedure": "reconsideration",
            "reference": "FY-2026-000001",
            "org": "220302",
            "received_on": "2026-11-20",
            "subject": "不服行政处罚决定",
            "party": {"name": "张三", "id_number": ID},
            "details": {"respondent": "某局", "contested_act": "罚款决定"},
            # the copy to the respondent and its reply done: the decision's 60 days (into
            # 2027, whose notice is not loaded) are the earliest running clock
            "steps": [
                {"action": "accept", "on": "2026-11-25"},
                {"action": "send_copy", "on": "2026-11-26"},
                {"action": "receive_reply", "on": "2026-11-27"},
            ],
        },
    ]
    with clock.frozen(D(2026, 11, 30)):
        call_command("import", str(write(tmp_path, lines)), quiet=True)
        paused = by_hand(district, users, "business_complaint", D(2026, 11, 20))
        act(paused, "accept", users["admin"], D(2026, 11, 23))
        act(paused, "suspend", users["admin"], D(2026, 11, 24), reason="等待鉴定")
        provisional = by_hand(
            district,
            users,
            "reconsideration",
            D(2026, 11, 20),
            subject="不服行政处罚决定",
            details={"respondent": "某局", "contested_act": "罚款决定"},
        )
        act(provisional, "accept", users["admin"], D(2026, 11, 25))
        act(provisional, "send_copy", users["admin"], D(2026, 11, 26))
        act(provisional, "receive_reply", users["admin"], D(2026, 11, 27))
    imported = {m.procedure: m for m in Matter.objects.filter(reference__endswith="-000001")}
    assert (imported["business_complaint"].due_paused, imported["business_complaint"].due_on) == (
        True,
        None,
    )
    assert imported["reconsideration"].due_provisional is True
    assert imported["reconsideration"].due_on is not None
    assert imported["reconsideration"].due_on.year == 2027
    for mine, theirs in (
        (imported["business_complaint"], paused),
        (imported["reconsideration"], provisional),
    ):
        for name in ("state", "due_on", "due_rule", "due_basis", "due_provisional", "due_paused"):
            assert getattr(mine, name) == getattr(theirs, name), name
