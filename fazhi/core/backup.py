"""Backup and restore: the database and the uploaded files (MEDIA_ROOT) in one tar archive.

    fazhi backup [--output PATH]      →  var/backups/fazhi-backup-YYYYMMDD-HHMMSS.tar
    fazhi restore PATH [--noinput]

The archive holds ``manifest.json`` (format, vendor, the applied migrations, every table's row
count, every file with its size and SHA-256), the database (``database.sqlite3``, a copy made
by SQLite's online backup API, or ``database.pgdump``, ``pg_dump --format=custom``) and
``media/…``, the files.

Consistency. The database is copied first, in one read snapshot (SQLite's backup API in one
step; on PostgreSQL ``pg_dump --snapshot`` of a REPEATABLE READ transaction that also counts
the rows and reads the file names). A file is written before the row naming it commits
(``procedures.attachments``), so every file the copied database names is already on disk when
the files are copied after it; a file written later is copied as well and named by no row.
Files the database names but the disk lacks are listed (``missing``), never silently passed.

Neither runs inside a transaction of the caller: on SQLite the connection would hold the write
lock (``transaction_mode=IMMEDIATE``) and a restore into it would wait on itself.

Restore checks the whole archive first (manifest, vendor, migrations, every checksum), then
writes the files (added beside the present ones), replaces the database (SQLite: the backup
API into the live connection in one step; PostgreSQL: the schema dropped and the dump loaded by
``psql --single-transaction``, so it is all or nothing), checks every table's row count against
the manifest, moves files the backup does not hold aside (``<MEDIA_ROOT>.displaced-…``, never
deleted) and records an audit event. App servers and workers are stopped first
(docs/deployment.md, "Backup and restore").
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3

# pg_dump, pg_restore and psql, by absolute path, no shell
import subprocess  # nosec B404
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from fazhi.core import clock

FORMAT = "fazhi-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024
_SPOOL = 16 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is Chinese and says why."""


@dataclass
class Outcome:
    path: Path
    vendor: str
    tables: dict[str, int]
    files: int
    file_bytes: int
    missing: list[str] = field(default_factory=list)
    displaced: Path | None = None

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# --- shared ---------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _vendor(conn: BaseDatabaseWrapper) -> str:
    if conn.vendor not in DB_MEMBER:
        raise BackupError(f"不支持备份这种数据库：{conn.vendor}。")
    return str(conn.vendor)


def _outside_transaction(conn: BaseDatabaseWrapper, what: str) -> None:
    if conn.in_atomic_block:
        raise BackupError(
            f"{what}不能在数据库事务中进行（SQLite 的事务持有写锁，{what}会等待自己）。"
        )


def _survey(cursor: Any, vendor: str) -> tuple[dict[str, int], set[str], list[list[str]]]:
    """Every table's row count, the file names the rows hold, the applied migrations."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    names = sorted(row[0] for row in cursor.fetchall())
    tables: dict[str, int] = {}
    for name in names:
        # identifiers come from the catalogue just read, quoted; no value is interpolated
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608  # nosec B608
        tables[name] = int(cursor.fetchone()[0])
    refs: set[str] = set()
    for model in apps.get_models():
        table = model._meta.db_table
        if table not in tables:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                column = _quote(f.column)
                where = f"{column} IS NOT NULL AND {column} <> ''"
                sql = f"SELECT {column} FROM {_quote(table)} WHERE {where}"  # noqa: S608  # nosec B608
                cursor.execute(sql)
                refs.update(str(row[0]) for row in cursor.fetchall())
    migrations: list[list[str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[str(a), str(n)] for a, n in cursor.fetchall()]
    return tables, refs, migrations


def _pg_env(conn: BaseDatabaseWrapper) -> tuple[dict[str, str], str]:
    """The libpq environment for the connection's database (the password never on a command line)."""
    s = conn.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env, str(s["NAME"])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"找不到 PostgreSQL 的 {name} 命令：请安装 postgresql-client（版本不低于服务器），"
            "或把它加入 PATH。"
        )
    return path


def _run(args: list[str], env: dict[str, str], what: str, **kwargs: Any) -> None:
    # a PostgreSQL tool found by shutil.which, arguments built here, no shell
    done = subprocess.run(args, env=env, capture_output=True, check=False, **kwargs)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(f"{what}失败（{Path(args[0]).name} 退出码 {done.returncode}）：{detail}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under ``root`` (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _regular(stream: IO[bytes] | None) -> IO[bytes]:
    if stream is None:  # tarfile gives None for a member that is not a regular file
        raise BackupError("备份中有不是普通文件的内容，未恢复任何数据。")
    return stream


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(clock.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- backup ---------------------------------------------------------------------------------


def default_output() -> Path:
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"fazhi-backup-{stamp}.tar"


def _snapshot_sqlite(conn: BaseDatabaseWrapper, dest: Path) -> tuple[Any, ...]:
    conn.ensure_connection()
    raw = conn.connection
    if raw.in_transaction:
        raise BackupError("备份不能在数据库事务中进行：连接上有未提交的事务。")
    target = sqlite3.connect(dest)
    try:
        raw.backup(target)  # one step: the whole database in one read snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # a standalone file, no -wal beside it
        return _survey(target.cursor(), "sqlite")
    finally:
        target.close()


def _snapshot_postgresql(conn: BaseDatabaseWrapper, dest: Path) -> tuple[Any, ...]:
    env, name = _pg_env(conn)
    pg_dump = _tool("pg_dump")
    conn.ensure_connection()
    conn.set_autocommit(False)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # this session waits idle in its transaction while pg_dump runs
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            cursor.execute("SET LOCAL statement_timeout = 0")  # a role's web limit, not for this
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            survey = _survey(cursor, "postgresql")  # the same snapshot pg_dump copies
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}", name],
                env,
                "pg_dump 导出数据库",
            )
            return survey
    finally:
        conn.rollback()
        conn.set_autocommit(True)


def backup(output: Path | None = None, *, using: str = "default") -> Outcome:
    """Write the archive to ``output`` (a file, or a directory to put it in)."""
    conn = connections[using]
    vendor = _vendor(conn)
    _outside_transaction(conn, "备份")
    path = Path(output) if output else default_output()
    if path.is_dir():
        path = path / default_output().name
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    root = _media_root()
    with tempfile.TemporaryDirectory(prefix="fazhi-backup-", dir=path.parent) as tmp:
        db_file = Path(tmp) / DB_MEMBER[vendor]
        if vendor == "sqlite":
            tables, refs, migrations = _snapshot_sqlite(conn, db_file)
        else:
            tables, refs, migrations = _snapshot_postgresql(conn, db_file)
        with db_file.open("rb") as stream:
            db_sha = _sha256(stream)
        files: list[dict[str, Any]] = []
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                tar.add(db_file, arcname=DB_MEMBER[vendor], recursive=False)
                for rel, source in _media_files(root):
                    entry = _add_media(tar, rel, source, required=rel in refs)
                    if entry:
                        files.append(entry)
                copied = {f["path"] for f in files}
                missing = sorted(refs - copied)
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": clock.now().isoformat(),
                    "vendor": vendor,
                    "database": {"member": DB_MEMBER[vendor], "sha256": db_sha},
                    "tables": tables,
                    "migrations": migrations,
                    "media": files,
                    "missing": missing,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                _add_bytes(tar, MANIFEST, data)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return Outcome(
        path=path,
        vendor=vendor,
        tables=tables,
        files=len(files),
        file_bytes=sum(int(f["size"]) for f in files),
        missing=missing,
    )


def _add_media(
    tar: tarfile.TarFile, rel: str, source: Path, *, required: bool
) -> dict[str, Any] | None:
    """Copy one file into the archive through a spool (a file that changes or vanishes while it
    is read never leaves a torn member); a vanished file nobody names is skipped."""
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as spool:
        try:
            with source.open("rb") as stream:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
                    spool.write(chunk)
        except FileNotFoundError:
            if required:
                raise BackupError(f"文件“{rel}”在备份时消失。") from None
            return None
        size = spool.tell()
        spool.seek(0)
        info = tarfile.TarInfo(MEDIA_PREFIX + rel)
        info.size = size
        info.mtime = int(source.stat().st_mtime) if source.exists() else 0
        tar.addfile(info, spool)
    return {"path": rel, "size": size, "sha256": digest.hexdigest()}


# --- restore --------------------------------------------------------------------------------


def _safe_rel(name: str) -> str | None:
    """The media path of a member, or None when it would leave MEDIA_ROOT."""
    if not name.startswith(MEDIA_PREFIX):
        return None
    rel = name[len(MEDIA_PREFIX) :]
    norm = posixpath.normpath(rel)
    if not rel or norm != rel or norm.startswith(("/", "../")) or norm == ".." or "\x00" in rel:
        return None
    return rel


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r:*") as tar:
            member = tar.getmember(MANIFEST)
            stream = tar.extractfile(member)
            stream = _regular(stream)
            manifest: dict[str, Any] = json.loads(stream.read().decode())
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件“{path}”。") from None
    except KeyError:
        raise BackupError(f"“{path}”不是 Fazhi 的备份：缺少 {MANIFEST}。") from None
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(f"“{path}”不是可读的备份文件：{exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(
            f"“{path}”不是本版本可恢复的备份（格式 {manifest.get('format')} "
            f"版本 {manifest.get('version')}，应为 {FORMAT} 版本 {VERSION}）。"
        )
    return manifest


def verify(path: Path, manifest: dict[str, Any]) -> None:
    """Every member present, inside MEDIA_ROOT and matching its checksum; nothing else."""
    expected = {MEDIA_PREFIX + f["path"]: f["sha256"] for f in manifest["media"]}
    expected[manifest["database"]["member"]] = manifest["database"]["sha256"]
    seen: set[str] = set()
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if not member.isfile() or member.name not in expected:
                raise BackupError(f"备份中有不应有的内容“{member.name}”，未恢复任何数据。")
            if member.name.startswith(MEDIA_PREFIX) and _safe_rel(member.name) is None:
                raise BackupError(f"备份中的文件名“{member.name}”不安全，未恢复任何数据。")
            stream = tar.extractfile(member)
            if stream is None or _sha256(stream) != expected[member.name]:
                raise BackupError(f"备份已损坏：“{member.name}”的校验和不符，未恢复任何数据。")
            seen.add(member.name)
    absent = sorted(set(expected) - seen)
    if absent:
        raise BackupError(f"备份不完整：缺少“{absent[0]}”等 {len(absent)} 项，未恢复任何数据。")


def _check_migrations(manifest: dict[str, Any]) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in known]
    if unknown:
        raise BackupError(
            "备份来自更新的版本，本程序不认识它的数据库迁移 "
            f"{'、'.join(unknown[:3])}{' 等' if len(unknown) > 3 else ''}：请用同一版本或更新的版本恢复。"
        )


def _restore_media(tar: tarfile.TarFile, root: Path) -> None:
    """Write every file of the archive under ``root`` (each through a temporary name)."""
    for member in tar:
        rel = _safe_rel(member.name)
        if rel is None:
            continue
        target = root / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            stream = tar.extractfile(member)
            stream = _regular(stream)
            with tempfile.NamedTemporaryFile(
                dir=target.parent, prefix=".restore-", delete=False
            ) as out:
                shutil.copyfileobj(stream, out, _CHUNK)
            os.replace(out.name, target)
        except OSError as exc:
            raise BackupError(
                f"无法写入上传文件目录“{root}”（{exc.strerror or exc}）：数据库尚未改动。"
            ) from None


def _displace_extra(root: Path, keep: set[str]) -> Path | None:
    """Move the files the backup does not hold out of ``root``; the folder they went to."""
    extra = [(rel, path) for rel, path in _media_files(root) if rel not in keep]
    if not extra:
        return None
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
    aside = root.with_name(f"{root.name}.displaced-{stamp}")
    for rel, path in extra:
        dest = aside / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, dest)
    return aside


def _restore_sqlite(conn: BaseDatabaseWrapper, db_file: Path) -> None:
    conn.ensure_connection()
    raw = conn.connection
    if raw.in_transaction:
        raise BackupError("恢复不能在数据库事务中进行：连接上有未提交的事务。")
    source = sqlite3.connect(db_file)
    try:
        source.backup(raw)  # one step: the live database replaced at once, or not at all
    except sqlite3.Error as exc:
        raise BackupError(
            f"恢复 SQLite 数据库失败（{exc}）：请先停止应用服务和后台任务。"
        ) from None
    finally:
        source.close()


def _restore_postgresql(conn: BaseDatabaseWrapper, db_file: Path) -> None:
    env, name = _pg_env(conn)
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = str(cursor.fetchone()[0])
    conn.close()  # this process holds nothing the drop waits for
    prelude = (
        "SET lock_timeout = '15s';"
        f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE; CREATE SCHEMA {_quote(schema)};"
    )
    # pg_restore by absolute path, no shell
    script = subprocess.run(  # noqa: S603  # nosec B603
        [pg_restore, "--no-owner", "--no-acl", "--file=-", str(db_file)],
        env=env,
        capture_output=True,
        check=False,
    )
    if script.returncode != 0:
        detail = script.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(f"pg_restore 读取备份失败：{detail}")
    _run(
        [
            psql,
            "-X",
            "-q",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            prelude,
            "-f",
            "-",
            name,
        ],
        env,
        "psql 载入数据库（已整体回滚，数据库未改动；如提示锁等待超时，请先停止应用服务和后台任务）",
        input=script.stdout,
    )


def restore(path: Path, *, using: str = "default") -> Outcome:
    """Replace the database and the files by the archive's; checked before anything changes."""
    conn = connections[using]
    vendor = _vendor(conn)
    _outside_transaction(conn, "恢复")
    path = Path(path)
    manifest = read_manifest(path)
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"备份来自 {manifest['vendor']} 数据库，当前数据库是 {vendor}：只能恢复到同一种数据库。"
        )
    _check_migrations(manifest)
    verify(path, manifest)
    root = _media_root()
    keep = {f["path"] for f in manifest["media"]}
    with tarfile.open(path, "r:*") as tar:
        _restore_media(tar, root)
        member = tar.getmember(manifest["database"]["member"])
        with tempfile.TemporaryDirectory(prefix="fazhi-restore-") as tmp:
            db_file = Path(tmp) / member.name
            stream = tar.extractfile(member)
            stream = _regular(stream)
            with db_file.open("wb") as out:
                shutil.copyfileobj(stream, out, _CHUNK)
            if vendor == "sqlite":
                _restore_sqlite(conn, db_file)
            else:
                _restore_postgresql(conn, db_file)
    with conn.cursor() as cursor:
        tables, _refs, _migrations = _survey(cursor, vendor)
    wrong = [t for t, n in manifest["tables"].items() if tables.get(t) != n]
    if wrong or set(tables) != set(manifest["tables"]):
        raise BackupError(
            f"恢复后的数据库与备份不符（{'、'.join(wrong[:3]) or '表的集合'}）：请检查后重新恢复。"
        )
    displaced = _displace_extra(root, keep)
    _record_restore(path, manifest, displaced)
    return Outcome(
        path=path,
        vendor=vendor,
        tables=tables,
        files=len(manifest["media"]),
        file_bytes=sum(int(f["size"]) for f in manifest["media"]),
        missing=list(manifest.get("missing") or []),
        displaced=displaced,
    )


def _record_restore(path: Path, manifest: dict[str, Any], displaced: Path | None) -> None:
    from fazhi.core import audit  # the models are loaded by now

    audit.record(
        "system.restore",
        audit.Subject("system.backup", path.name[:64], f"从备份恢复：{path.name}"[:200]),
        data={
            "archive": path.name,
            "created_at": manifest["created_at"],
            "rows": sum(manifest["tables"].values()),
            "files": len(manifest["media"]),
            "displaced": str(displaced or ""),
        },
    )
