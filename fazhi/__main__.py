"""The ``fazhi`` command: Django's management utility with Fazhi's settings already set.

``fazhi migrate``, ``fazhi createsuperuser`` and ``fazhi runserver`` work from any directory,
beside the project's own commands (``fazhi demo``, ``fazhi import``, ``fazhi calendar``, …).
A broken configuration is reported in one line naming the setting, never as a traceback.
"""

from __future__ import annotations

import os
import sys


def _die(message: str) -> None:
    sys.stderr.write(f"fazhi: {message}\n")
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is a local, single-user installation: debug defaults are safe there.
        os.environ.setdefault("FAZHI_DEBUG", "1")

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
