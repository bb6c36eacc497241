"""Bulk import of matters by replay through the engine's rules (DESIGN.md, "The engine").

A line of the canonical JSON Lines format (docs/import-format.md) is one matter with its steps.
Each line is replayed in memory through ``rules.new_snapshot`` and ``rules.apply`` — the same
pure rules ``act()`` applies, with the same date checks, data validation, guards and deadlines
— and the results are written in batches: a batch's new rows are staged in a private
in-memory SQLite database and copied in bulk (stage.py); a big JSONL file is replayed by
forked worker processes while this process writes. There is no back door: a step the rules
refuse is refused here with the engine's own message, and the database's own constraints
check every row written.

xlsx and csv files in the per-procedure template (``template_columns``) are read into the same
records first, so every format goes through one path.

The modules, each for one part of the way, in the order a line goes:

- ``formats``: reading a JSON Lines file into records; which format a file is;
- ``templates``: the xlsx and csv templates, read into the same records;
- ``layouts``: other systems' sheets (a platform's export) a domain declares, read likewise;
- ``lists``: a domain's own list sheet (the key-task list), handed to the domain's own import;
- ``replay``: a record replayed through the rules in memory (``Replayer``);
- ``batches``: a chunk of lines replayed into a batch of staged rows;
- ``parallel``: big files replayed by forked worker processes;
- ``writer`` and ``stage``: the rows, staged and written in bulk;
- ``merge``: a batch written against the stored matters (new, update, unchanged, conflict);
- ``report``: what the import did; ``run``: the import as a whole, in one transaction.

Public entry points: ``import_file`` (the ``fazhi import`` command) and ``import_records``
(tests, other callers). ``ImportReport`` holds the counts and the rejected lines. What an
import tells the layers above (its observers) is in ``fazhi.procedures.signals``.
"""

from __future__ import annotations

from fazhi.procedures.importing.batches import _Batch, _final, _replay_chunk, _replay_here
from fazhi.procedures.importing.formats import (
    FORMATS,
    MAX_LINE_BYTES,
    Record,
    _parse_line,
    file_format,
    nul_path,
    read_jsonl,
    sha256_of,
)
from fazhi.procedures.importing.layouts import SheetLayout, match_layout, register_layout
from fazhi.procedures.importing.merge import CONFLICT
from fazhi.procedures.importing.parallel import (
    _CAN_FORK,
    IMPORT_WORKERS,
    _may_fork,
    default_workers,
)
from fazhi.procedures.importing.replay import (
    IMPORT_LABEL,
    IMPORT_ROLE,
    LINE_KEYS,
    PUBLIC_LABEL,
    STEP_KEYS,
    OrgIndex,
    Replayed,
    Replayer,
    StepRow,
    _date,
)
from fazhi.procedures.importing.report import REPORT_KEEP, ImportFileError, ImportReport, LineError
from fazhi.procedures.importing.run import (
    BATCH_SIZE,
    PARALLEL_MIN_BYTES,
    SQLITE_IMPORT_CACHE_KIB,
    import_file,
    import_records,
)
from fazhi.procedures.importing.stage import STATE_COLUMNS, STEP_COLUMNS, Stage, StageBuilder
from fazhi.procedures.importing.templates import (
    Column,
    read_csv,
    read_xlsx,
    row_to_record,
    template_actions,
    template_columns,
    type_label,
)
from fazhi.procedures.importing.writer import Writer, _Codes
from fazhi.procedures.signals import ImportedMatter, ImportedStep

__all__ = [
    "BATCH_SIZE",
    "CONFLICT",
    "FORMATS",
    "IMPORT_LABEL",
    "IMPORT_ROLE",
    "IMPORT_WORKERS",
    "LINE_KEYS",
    "MAX_LINE_BYTES",
    "PARALLEL_MIN_BYTES",
    "PUBLIC_LABEL",
    "REPORT_KEEP",
    "SQLITE_IMPORT_CACHE_KIB",
    "STATE_COLUMNS",
    "STEP_COLUMNS",
    "STEP_KEYS",
    "_CAN_FORK",
    "Column",
    "ImportFileError",
    "ImportReport",
    "ImportedMatter",
    "ImportedStep",
    "LineError",
    "OrgIndex",
    "Record",
    "Replayed",
    "Replayer",
    "SheetLayout",
    "Stage",
    "StageBuilder",
    "StepRow",
    "Writer",
    "_Batch",
    "_Codes",
    "_date",
    "_final",
    "_may_fork",
    "_parse_line",
    "_replay_chunk",
    "_replay_here",
    "default_workers",
    "file_format",
    "import_file",
    "import_records",
    "match_layout",
    "nul_path",
    "read_csv",
    "read_jsonl",
    "read_xlsx",
    "register_layout",
    "row_to_record",
    "sha256_of",
    "template_actions",
    "template_columns",
    "type_label",
]
