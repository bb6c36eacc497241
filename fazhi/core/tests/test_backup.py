"""``fazhi backup`` / ``fazhi restore`` (#19): a round trip that compares every table and file.

Runs on the suite's database, SQLite or PostgreSQL (CI runs both). The data is made through
the engine (matters, steps, attachments, audit events), then changed after the backup in every
way a restore must undo: rows added and edited, a file edited, one deleted, one added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fazhi.core import backup
from fazhi.core.models import AuditEvent
from fazhi.procedures.attachments import add_attachment
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

PDF = b"%PDF-1.4\n%backup\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = dt.date(2024, 6, 12)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def tables() -> dict[str, list[str]]:
    """Every table's rows, as sorted reprs (order-free, exact on every column)."""
    out: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608
            out[name] = sorted(repr(tuple(row)) for row in cursor.fetchall())
    return out


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def seed(users, district) -> list[Matter]:
    matters = []
    for i in range(3):
        m = make_matter("help_request", district["a"], users["staff_a"], DAY, subject=f"求助{i}")
        add_attachment(m, f"材料{i}.pdf", PDF + bytes([i]), by=users["staff_a"])
        matters.append(m)
    act(matters[0], "accept", users["staff_a"], DAY, today=DAY)
    return matters


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_table_and_file(users, district, media, tmp_path):
    matters = seed(users, district)
    (media / "jobs" / "out").mkdir(parents=True)
    (media / "jobs" / "out" / "导出.xlsx").write_bytes(b"PK\x03\x04 an export")
    before_rows, before_files = tables(), files(media)
    assert before_rows["procedures_attachment"] and len(before_files) == 4

    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    archive = next(tmp_path.glob("fazhi-backup-*.tar"))
    assert "已备份到" in out.getvalue() and "文件 4 个" in out.getvalue()
    manifest = backup.read_manifest(archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["missing"] == []
    assert {t: len(r) for t, r in before_rows.items()} == manifest["tables"]

    # after the backup: rows added and edited, a file edited, one deleted, one added
    extra = make_matter("help_request", district["b"], users["staff_b"], DAY, subject="之后")
    add_attachment(extra, "之后.pdf", PDF, by=users["staff_b"])
    Matter.objects.filter(pk=matters[1].pk).update(subject="改过")
    first = matters[0].attachments.get().file.path
    Path(first).write_bytes(b"%PDF-edited")
    Path(matters[2].attachments.get().file.path).unlink()
    assert tables() != before_rows

    out = io.StringIO()
    call_command("restore", str(archive), noinput=True, stdout=out)
    assert "逐表核对行数一致" in out.getvalue()

    after = tables()
    restored = list(AuditEvent.objects.filter(action="system.restore"))
    assert len(restored) == 1 and restored[0].data["archive"] == archive.name
    audit_table = AuditEvent._meta.db_table
    assert len(after[audit_table]) == len(before_rows[audit_table]) + 1
    assert set(before_rows[audit_table]) <= set(after[audit_table])
    after[audit_table] = before_rows[audit_table]
    assert after == before_rows  # every table, every row, every column
    assert files(media) == before_files
    displaced = next(tmp_path.glob("media.displaced-*"))
    assert [p.name.endswith("之后.pdf") for p in displaced.rglob("*.*")] == [True]

    # the restored database goes on: new rows get fresh keys (PostgreSQL's sequences too)
    again = make_matter("help_request", district["a"], users["staff_a"], DAY, subject="恢复后")
    assert again.pk > max(m.pk for m in matters)
    assert AuditEvent.objects.filter(action="system.restore").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_changes_nothing(users, district, media, tmp_path):
    seed(users, district)
    archive = tmp_path / "b.tar"
    backup.backup(archive)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + b"X"
            dst.addfile(member, io.BytesIO(data))
    make_matter("help_request", district["a"], users["staff_a"], DAY, subject="之后")
    before_rows, before_files = tables(), files(media)
    with pytest.raises(CommandError, match="校验和不符，未恢复任何数据"):
        call_command("restore", str(damaged), noinput=True)
    with pytest.raises(CommandError, match=r"不是可读的备份文件|不是 Fazhi 的备份"):
        call_command("restore", str(tmp_path / "media"), noinput=True)
    with pytest.raises(CommandError, match="加 --noinput"):
        call_command("restore", str(archive))  # no terminal on stdin: asks, does not replace
    assert tables() == before_rows and files(media) == before_files


@pytest.mark.django_db
def test_not_inside_a_transaction(media, tmp_path):
    """Inside an atomic block (this test's) the SQLite connection holds the write lock, and a
    restore would wait on itself: refused at once, not hung."""
    assert connection.in_atomic_block
    with pytest.raises(backup.BackupError, match="不能在数据库事务中"):
        backup.backup(tmp_path / "b.tar")
    with pytest.raises(backup.BackupError, match="不能在数据库事务中"):
        backup.restore(tmp_path / "b.tar")
    assert not list(tmp_path.glob("*.tar*"))
