"""Benchmark of ``fazhi import``: N matters of JSONL into a fresh database (docs/benchmarks.md).

    python bench/bench_import.py [N] [--database-url URL] [--profile]

Builds the demo district in a fresh SQLite database under bench/out/ (or the given
DATABASE_URL, whose tables are flushed), generates N matters (bench/gen_import.py), imports
them through ``import_file`` (the command's code path, progress bar off) and reports
matters/second, peak RSS (resource.getrusage) and RSS sampled every second.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(OUT.parent.parent))


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--no-receivers",
        action="store_true",
        help="disconnect matters_imported receivers (measures the import's own path)",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / "bench_import.sqlite3"
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
    data = OUT / f"import_{args.n}.jsonl"
    if not data.exists():
        sys.path.insert(0, str(OUT.parent))
        from gen_import import generate

        t = time.perf_counter()
        generate(args.n, str(data), units)
        print(
            f"generated {data.name}: {time.perf_counter() - t:.1f} s, "
            f"{data.stat().st_size / 2**20:.0f} MiB"
        )

    from fazhi.procedures.importing import import_file
    from fazhi.procedures.models import Matter, Step

    if args.no_receivers:
        from fazhi.procedures.signals import matters_imported

        matters_imported.receivers.clear()
        matters_imported.sender_receivers_cache.clear()
    samples: list[tuple[float, float]] = []
    done = threading.Event()
    start = time.perf_counter()

    def sample() -> None:
        while not done.wait(1.0):
            samples.append((time.perf_counter() - start, rss_mib()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rss_before = rss_mib()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    report = import_file(data)
    elapsed = time.perf_counter() - start
    done.set()
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report.summary())
    print(f"matters in db: {Matter.objects.count()}, steps: {Step.objects.count()}")
    print(f"elapsed: {elapsed:.1f} s → {report.created / elapsed:,.0f} matters/s")
    print(f"RSS before import: {rss_before:.0f} MiB; peak (getrusage): {peak:.0f} MiB")
    step = max(1, len(samples) // 12)
    print("RSS samples (s, MiB): " + ", ".join(f"{t:.0f}:{m:.0f}" for t, m in samples[::step]))


if __name__ == "__main__":
    main()
