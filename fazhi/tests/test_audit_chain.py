"""The audit log's hash chain (#19 "Audit integrity"): every way of writing an event chains it,
``fazhi audit verify`` names an edited, deleted or inserted row, writers at once never fork
the chain, and migration 0004 chains the rows written before it. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from fazhi.core import audit, audit_chain
from fazhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def verify(**kw):
    return audit_chain.verify(AuditEvent, **kw)


def run_verify(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def events(district, users):
    made = [
        audit.record("test.one", district["a"], actor=users["staff_a"], data={"n": 1}),
        audit.record("test.two", district["b"], data={"f": 2.0, "big": 1e20, "t": ("a", "b")}),
        audit.record("test.three", district["a"], data={"note": "身份证11010519491231002X"}),
        audit.record("test.four", district["root"], actor=users["admin"]),
        audit.record("test.five", district["a"], data={"nested": {"z": [1, {"y": None}]}}),
    ]
    return made


def without_guard():
    """Lift the UPDATE trigger for one test (rolled back with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent")


def test_every_event_is_chained_to_the_one_before(events):
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == ""
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.row_hash
    verdict = verify()
    assert verdict.ok and verdict.rows == len(rows)
    assert verdict.head_hash == rows[-1].row_hash


def test_bulk_writes_are_chained_in_order(district, users, events):
    from fazhi.procedures.activities import NewActivity, record_activities

    record_activities(
        [
            NewActivity(
                "dispute_screening",
                district["a"],
                dt.date(2025, 3, d),
                f"排查{d}",
                {"found": 3, "resolved": 2},
            )
            for d in (1, 2, 3)
        ],
        by=users["staff_a"],
        today=dt.date(2025, 6, 30),
    )
    assert AuditEvent.objects.filter(action="activity.record").count() == 3
    assert verify().ok


def test_the_hash_survives_the_database_round_trip(events):
    """What was hashed before the insert is what the database gives back (floats, tuples,
    moments, addresses)."""
    for row in AuditEvent.objects.order_by("seq"):
        assert audit_chain.row_hash(row.prev_hash, audit_chain.values_of(row)) == row.row_hash


def test_an_edited_row_is_named(events):
    target = AuditEvent.objects.get(action="test.three")
    without_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["某人", target.pk]
        )
    verdict = verify()
    assert [(p.kind, p.seq, p.pk) for p in verdict.problems] == [
        (audit_chain.EDITED, target.seq, target.pk)
    ]
    code, out, err = run_verify()
    assert code == 1 and "不完整" in out
    assert f"第{target.seq}条（编号{target.pk}" in err and "已被改动" in err


def test_a_rehashed_edit_is_named_at_the_next_row(events):
    """Editing a row and recomputing its hash still breaks the link to the next one."""
    target = AuditEvent.objects.get(action="test.two")
    values = audit_chain.values_of(target)
    values["action"] = "test.forged"
    forged = audit_chain.row_hash(target.prev_hash, values)
    without_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET action = %s, row_hash = %s WHERE id = %s",
            ["test.forged", forged, target.pk],
        )
    problems = verify().problems
    assert [(p.kind, p.seq) for p in problems] == [(audit_chain.INSERTED, target.seq + 1)]


def test_a_deleted_row_is_named(events):
    target = AuditEvent.objects.get(action="test.three")
    with connection.cursor() as cursor:  # DELETE is refused by the model, not the database
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [target.pk])
    problems = verify().problems
    assert [(p.kind, p.seq) for p in problems] == [(audit_chain.MISSING, target.seq + 1)]
    code, _, err = run_verify()
    assert code == 1 and f"第{target.seq + 1}条之前缺少第{target.seq}条" in err


def test_an_inserted_row_is_named(events, district):
    last = AuditEvent.objects.order_by("-seq").first()
    row = AuditEvent(
        action="test.inserted",
        object_type="core.orgunit",
        object_id=str(district["a"].pk),
        object_repr="x",
        actor_label="某人",
        seq=last.seq + 1,
        prev_hash="0" * 64,
    )
    row.row_hash = audit_chain.row_hash(row.prev_hash, audit_chain.values_of(row))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id,"
            " object_repr, data, seq, prev_hash, row_hash) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                row.at,
                row.actor_label,
                row.action,
                row.object_type,
                row.object_id,
                row.object_repr,
                "{}",
                row.seq,
                row.prev_hash,
                row.row_hash,
            ],
        )
    problems = verify().problems
    assert [(p.kind, p.seq) for p in problems] == [(audit_chain.INSERTED, last.seq + 1)]


def test_the_same_place_cannot_be_taken_twice(events):
    from django.db import IntegrityError

    last = AuditEvent.objects.order_by("-seq").first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id,"
            " object_repr, data, seq, prev_hash, row_hash) VALUES"
            " (%s, '', 'x', 'x', '1', 'x', '{}', %s, '', '')",
            [last.at, last.seq],
        )


def test_rows_cut_from_the_end_are_seen_against_a_kept_head(events):
    code, out, _ = run_verify()
    assert code == 0 and "完整" in out
    verdict = verify()
    kept = f"{verdict.head_seq}:{verdict.head_hash}"
    assert kept in out
    last = AuditEvent.objects.order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    assert verify().ok  # the chain alone cannot tell …
    code, _, err = run_verify("--expect-head", kept)
    assert code == 1 and "末尾的记录已被删除" in err  # … the kept head can
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="格式"):
        run_verify("--expect-head", "nonsense")


def test_an_empty_log_verifies():
    code, out, _ = run_verify()
    assert code == 0 and "共 0 条" in out


WRITER = """
import sys
import django
django.setup()
from django.db import transaction
from fazhi.core import audit
n = sys.argv[1]
for i in range(25):
    with transaction.atomic():
        audit.record("test.process" + n, audit.Subject("test.thing", str(i), "x"), data={"i": i})
"""


def database_url(tmp_path) -> str:
    """A URL other processes can open onto this test's database (SQLite's in-memory test
    database is copied to a file with the online backup API first)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        path = tmp_path / "db.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_never_fork_the_chain(tmp_path):
    """4 processes, each writing 25 events in their own transactions at once: PostgreSQL's
    writers are serialised by the advisory lock, SQLite's by its write lock."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fazhi.settings_test",
        "DATABASE_URL": database_url(tmp_path),
    }
    procs = [
        subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", WRITER, str(n)], env=env, stderr=subprocess.PIPE
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]
    verify_run = subprocess.run(
        [sys.executable, "-m", "fazhi", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert verify_run.returncode == 0, verify_run.stdout + verify_run.stderr
    assert "审计日志完整：共 100 条" in verify_run.stdout
    if connection.vendor == "postgresql":  # the same database: read it here too
        assert verify().ok and AuditEvent.objects.count() == 100


@pytest.fixture
def all_migrations_after():
    """Going back to core 0003 unapplies every app's migrations that depend on a later core
    migration (their tables go); put the whole project back for the tests after this one."""
    yield
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("all_migrations_after")
def test_the_migration_chains_the_rows_written_before_it():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("core", "0003_job")], [("core", "0005_audit_chain_unique")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("core", "AuditEvent")
        for i in range(7):
            old.objects.create(
                action=f"test.old{i}",
                actor_label="系统",
                object_type="core.orgunit",
                object_id=str(i),
                object_repr="旧记录",
                data={"i": i, "x": 1.5},
            )
        with (  # 0002's guard holds before the chain
            connection.cursor() as cursor,
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
        ):
            cursor.execute("UPDATE core_auditevent SET action = 'x'")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.action for r in rows] == [f"test.old{i}" for i in range(7)]
    assert [r.seq for r in rows] == list(range(1, 8))
    assert verify().ok
    audit.record("test.new", audit.Subject("test.thing", "1", "新记录"))
    assert verify().ok and verify().rows == 8
    with (  # the guard is back
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET action = 'x'")
