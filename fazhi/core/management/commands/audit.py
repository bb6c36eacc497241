"""``fazhi audit verify``: check the audit log's hash chain (fazhi.core.audit_chain).

    fazhi audit verify [--expect-head SEQ:HASH]

Prints the number of rows and the head (``第N条 HASH``: keep it elsewhere and pass it as
``--expect-head`` later to notice rows cut from the end). Every edited, deleted or inserted row
is named on its own line; the exit status is then 1.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core import audit_chain
from fazhi.core.models import AuditEvent

_HEAD = re.compile(r"^\s*(\d+):([0-9a-fA-F]{64})\s*$")


class Command(BaseCommand):
    help = "审计日志：校验哈希链，指出被改动、删除或插入的记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验审计日志的哈希链")
        verify.add_argument(
            "--expect-head",
            default="",
            help="此前记下的链尾“序号:哈希”（如 1200:9f…），用于发现末尾被删除的记录",
        )
        verify.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args: Any, **options: Any) -> None:
        expect = None
        if options["expect_head"]:
            match = _HEAD.match(options["expect_head"])
            if not match:
                raise CommandError("--expect-head 格式应为 序号:64位十六进制哈希，如 1200:9f86d0…")
            expect = (int(match.group(1)), match.group(2).lower())
        verdict = audit_chain.verify(AuditEvent, options["database"], expect_head=expect)
        for problem in verdict.problems or []:
            self.stderr.write(problem.message)
        head = f"{verdict.head_seq}:{verdict.head_hash}" if verdict.rows else "（空）"
        if verdict.ok:
            self.stdout.write(f"审计日志完整：共 {verdict.rows} 条，链尾 {head}。")
            return
        self.stdout.write(
            f"审计日志不完整：共 {verdict.rows} 条，发现 {len(verdict.problems or [])} 处问题，"
            f"链尾 {head}。"
        )
        sys.exit(1)
