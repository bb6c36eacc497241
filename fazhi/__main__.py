"""The ``fazhi`` command: Django's management utility with Fazhi's settings already set.

``fazhi demo`` first makes its directory a local single-user installation (``./var/local.json``,
fazhi/localconfig.py) that every later command there reads; elsewhere the environment
configures the site (docs/configuration.md).
A broken configuration is reported in one line naming the setting, never as a traceback.
"""

from __future__ import annotations

import os
import sys


def _die(message: str) -> None:
    sys.stderr.write(f"fazhi: {message}\n")
    raise SystemExit(2)


def _local_installation() -> None:
    """The demo's directory becomes a local single-user installation (fazhi/localconfig.py),
    unless the environment configures this one (a key, debug mode, or the file switched off)."""
    if any(os.environ.get(k) for k in ("FAZHI_SECRET_KEY", "FAZHI_DEBUG")):
        return
    if os.environ.get("FAZHI_LOCAL_CONFIG") == "off":
        return
    from fazhi import localconfig

    try:
        path, written = localconfig.ensure(
            localconfig.var_dir(), database_url=os.environ.get("DATABASE_URL")
        )
    except (localconfig.LocalConfigError, OSError) as exc:
        _die(f"配置错误：{exc}")
    if written:
        sys.stderr.write(f"已生成本地单用户安装的配置：{path}（密钥、本机地址）。\n")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    if len(argv) > 1 and argv[1] == "demo":
        _local_installation()

    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        _die(f"配置错误：{exc}")
    except ModuleNotFoundError as exc:
        _die(f"配置错误：找不到模块 {exc.name}（DJANGO_SETTINGS_MODULE 或数据库驱动是否正确？）")

    from django.core.management import execute_from_command_line
    from django.db import DatabaseError
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except OperationalError as exc:
        from fazhi.core.dburl import describe_database

        _die(f"无法连接数据库 {describe_database()}：{exc}。请检查设置 DATABASE_URL。")
    except DatabaseError as exc:
        from fazhi.core.dburl import describe_database

        _die(f"数据库 {describe_database()} 出错：{exc}。请检查设置 DATABASE_URL。")
    except ImproperlyConfigured as exc:
        _die(f"配置错误：{exc}")


if __name__ == "__main__":
    main()
