"""What an import did: the file's errors (``ImportFileError``), a rejected line (``LineError``)
and the counts (``ImportReport``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPORT_KEEP = 1000  # rejected lines kept on the ImportRun row (the report file has them all)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, header). Plain Chinese message."""


@dataclass
class LineError(Exception):
    """One rejected line: its number in the file, the offending field and the reason."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"，{self.field}" if self.field else ""
        return f"第{self.line}行{where}：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ImportReport:
    """What an import did. ``created``/``updated``/``unchanged`` count matters."""

    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    steps: int = 0
    errors: list[LineError] = field(default_factory=list)
    rejected: int = 0
    committed: bool = False
    run_id: int | None = None

    def reject(self, error: LineError) -> None:
        self.rejected += 1
        if len(self.errors) < 100_000:
            self.errors.append(error)

    def summary(self) -> str:
        text = (
            f"共{self.lines}行：新增{self.created}件，更新进度{self.updated}件，"
            f"已存在{self.unchanged}件，拒绝{self.rejected}行；写入步骤{self.steps}个。"
        )
        return text if self.committed else text + "未导入任何事项。"

    def write_csv(self, path: Path) -> None:
        """The rejected lines as a CSV report (UTF-8 with BOM, opens in Excel)."""
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["行号", "字段", "原因"])
            for e in self.errors:
                writer.writerow([e.line, e.field, e.message])
