"""Benchmark of ``fazhi import``: N matters of JSONL into a fresh database (docs/benchmarks.md).

    python bench/bench_import.py [N] [--database-url URL | --sqlite PATH] [--no-receivers]
                                 [--in-process] [--profile] [--open-share 0.3]

Builds the demo district in a fresh SQLite database under bench/out/ (or the given
DATABASE_URL, whose tables are flushed), generates N matters (bench/gen_import.py), imports
them through ``import_file`` (the command's code path, progress bar off) and reports
matters/second, peak RSS (resource.getrusage) and RSS sampled every second by a separate
process (so that the import's process keeps a single thread, as the command's does) — the
import's process and, when the file is replayed in a worker process, the worker's.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(OUT.parent.parent))


def rss_mib(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# Run by a separate process: every second, "seconds main-MiB worker-MiB" (worker 0 when none).
SAMPLER = """
import os, sys, time
pid, out = sys.argv[1], open(sys.argv[2], "w")
page, start = os.sysconf("SC_PAGE_SIZE") / 2**20, time.perf_counter()
def rss(p):
    try:
        with open(f"/proc/{p}/statm") as f:
            return int(f.read().split()[1]) * page
    except OSError:
        return 0.0
while os.path.exists(f"/proc/{pid}"):
    time.sleep(1.0)
    try:
        kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        kids = []
    worker = sum(rss(k) for k in kids if k != str(os.getpid()))
    out.write(f"{time.perf_counter() - start:.0f} {rss(pid):.0f} {worker:.0f}\\n")
    out.flush()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--sqlite", help="SQLite file to use (default bench/out/bench_import.sqlite3)"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="replay in this process (no worker process), to compare",
    )
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--open-share",
        type=float,
        default=0.0,
        help="share of matters left open after their first step (a due date to compute)",
    )
    parser.add_argument("--workers", type=int, help="worker processes (default: the import's)")
    parser.add_argument("--batch-size", type=int, help="lines a batch (default: the import's)")
    parser.add_argument(
        "--no-receivers",
        action="store_true",
        help="no import observers (the indicators' tally): the import's own path",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = Path(args.sqlite) if args.sqlite else OUT / "bench_import.sqlite3"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_DEBUG", "0")
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    from fazhi.core.demo import build_district
    from fazhi.core.models import OrgUnit

    build_district()
    units = [code or name for code, name in OrgUnit.objects.values_list("division_code", "name")]
    suffix = f"_open{round(args.open_share * 100)}" if args.open_share else ""
    data = OUT / f"import_{args.n}{suffix}.jsonl"
    if not data.exists():
        sys.path.insert(0, str(OUT.parent))
        from gen_import import generate

        t = time.perf_counter()
        generate(args.n, str(data), units, open_share=args.open_share)
        print(
            f"generated {data.name}: {time.perf_counter() - t:.1f} s, "
            f"{data.stat().st_size / 2**20:.0f} MiB"
        )

    from fazhi.procedures.importing import import_file
    from fazhi.procedures.models import Matter, Step

    if args.no_receivers:
        from fazhi.procedures.signals import import_observers

        import_observers.clear()
    from machine import describe, loop_ns

    print(f"machine: {describe()}")
    speed_before = loop_ns()
    samples_file = db.with_suffix(".rss.txt")
    sampler = subprocess.Popen(  # noqa: S603 our own interpreter and script
        [sys.executable, "-c", SAMPLER, str(os.getpid()), str(samples_file)]
    )
    start = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_before = rss_mib()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    report = import_file(
        data,
        parallel=False if args.in_process else None,
        workers=args.workers,
        **({"batch_size": args.batch_size} if args.batch_size else {}),
    )
    elapsed = time.perf_counter() - start
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    sampler.terminate()
    sampler.wait()
    speed_after = loop_ns()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker (and the sampler)
    main_cpu = cpu.ru_utime + cpu.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    worker_cpu = (
        children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    )
    samples = [
        tuple(float(x) for x in line.split())
        for line in samples_file.read_text().splitlines()
        if len(line.split()) == 3
    ]
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report.summary())
    print(f"matters in db: {Matter.objects.count()}, steps: {Step.objects.count()}")
    print(f"elapsed: {elapsed:.1f} s → {report.created / elapsed:,.0f} matters/s")
    per = 1e6 / max(1, report.lines)
    main_sys = cpu.ru_stime - cpu_before.ru_stime
    worker_sys = children.ru_stime - children_before.ru_stime
    print(
        f"CPU: import process {main_cpu:.1f} s ({main_cpu * per:.0f} µs a line, "
        f"{main_sys:.1f} s of it in the kernel), "
        f"workers {worker_cpu:.1f} s ({worker_cpu * per:.0f} µs a line, "
        f"{worker_sys:.1f} s in the kernel)"
    )
    print(
        f"CPU speed (machine.loop_ns, lower is faster): {speed_before:.0f} ns an iteration "
        f"before the import, {speed_after:.0f} after"
    )
    print(f"RSS before import: {rss_before:.0f} MiB; peak (getrusage): {peak:.0f} MiB")
    step = max(1, len(samples) // 12)
    print(
        "RSS samples (s: main MiB + worker MiB): "
        + ", ".join(f"{t:.0f}: {m:.0f}+{w:.0f}" for t, m, w in samples[::step])
    )


if __name__ == "__main__":
    main()
