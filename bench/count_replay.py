"""Instructions a line of the import's replay, counted by valgrind (docs/benchmarks.md).

    python bench/count_replay.py [--lines 10000] [--file bench/out/import_1000000.jsonl]
                                 [--no-receivers]

Seconds drift on the development machines by a quarter within minutes; instruction counts do
not. This runs what an import's worker does with each chunk of 2,000 lines — parse, replay
through the rules, rows, staging, the import observers (the indicators' tally) — in one
process under ``valgrind --tool=callgrind`` twice: once for a warm-up chunk only, once for the
warm-up and ``--lines`` more, and prints the difference a line. The collector is set as in a
worker. Compare two versions of the code by running this script from each checkout on the
same file (``bench_import.py`` makes it); run each checkout once before counting, so that
compiling the modules is not counted (PYTHONDONTWRITEBYTECODE is unset for the runs).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CHUNK = 2_000


def replay(path: Path, lines: int, receivers: bool) -> None:
    """The worker's path over a warm-up chunk, then ``lines`` more lines of ``path``."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    # the demo district's units, which the lines name: bench_import.py's database
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench_import.sqlite3'}")
    os.environ.setdefault("FAZHI_DEBUG", "1")
    import django

    django.setup()
    from fazhi.procedures import importing
    from fazhi.procedures.signals import import_observers

    with path.open("rb") as f:
        raw = list(itertools.islice(f, CHUNK + lines))
    replayer, writer = importing.Replayer(), importing.Writer()
    observers = [factory() for factory in import_observers] if receivers else []
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)  # as _fewer_collections sets it for a worker
    for start in range(0, len(raw), CHUNK):
        chunk = [
            (n, importing._parse_line(line, n), None)
            for n, line in enumerate(raw[start : start + CHUNK], start + 1)
        ]
        importing._replay_chunk(chunk, replayer, writer, observers)


def count(args: argparse.Namespace, lines: int) -> int:
    """Instructions of a run of this script's ``--run`` mode under callgrind."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--run",
        str(lines),
        "--file",
        str(args.file),
        *(["--no-receivers"] if args.no_receivers else []),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603 our interpreter and script
    found = re.search(r"Collected\s*:\s*([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--file", type=Path, default=OUT / "import_1000000.jsonl")
    parser.add_argument("--no-receivers", action="store_true")
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # the counted process
    args = parser.parse_args()
    if args.run is not None:
        replay(args.file, args.run, not args.no_receivers)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (Debian: apt-get install valgrind)")
    if not args.file.exists() or not (OUT / "bench_import.sqlite3").exists():
        raise SystemExit(f"{args.file} or its database is missing: run bench/bench_import.py")
    subprocess.run(  # noqa: S603 our interpreter and script; compiles the modules once, uncounted
        [sys.executable, __file__, "--run", "0", "--file", str(args.file)],
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        check=True,
    )
    base, total = count(args, 0), count(args, args.lines)
    print(
        f"{ROOT.name} ({args.file.name}, lines {CHUNK + 1:,}–{CHUNK + args.lines:,}"
        f"{', no receivers' if args.no_receivers else ''}): "
        f"{(total - base) / args.lines:,.0f} instructions a line"
    )


if __name__ == "__main__":
    main()
