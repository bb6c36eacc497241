"""``fazhi enforcement_index``: make the public disclosure index again from the decisions.

    fazhi enforcement_index

Needed once after upgrading to a version that brings the index (decisions published before it
have no entry), and after a change of the publicity periods (FAZHI_TIME_LIMIT_OVERRIDES). The
index is otherwise kept by each step and each import (``fazhi.enforcement.search``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from fazhi.enforcement import search


class Command(BaseCommand):
    help = "重建行政执法公示检索索引（升级后或公示期限调整后执行一次）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            shown = search.rebuild()
        self.stdout.write(f"行政执法公示索引已重建：公开的执法决定 {shown} 件。")
