"""Benchmark of the demo build, ``fazhi demo --no-serve`` (not a test).

Run: python bench/bench_demo.py [--runs 3] [--extra 13000]

Each run builds the demo in a fresh SQLite file under a temporary ``FAZHI_VAR_DIR`` in this
process and times its phases: migrate, the district and its users, each domain's demo year
(as the ``demo`` command runs it: one transaction per domain). ``--extra N`` then adds N
matters of a year of the help window (register, accept, conclude, a public rating: four steps,
the shape of a hotline order) through the same path the domain demos use
(``procedures.demodata.DemoMatters``; ``--path act``: one ``register_matter`` / ``act()`` at a
time, as the demos did before): a stand-in for the 13,000 hotline orders of the full
demo year until that procedure is declared. Wall and CPU seconds are printed for each phase;
the machine and its speed (bench/machine.py) before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Phases:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []
        self.wall, self.cpu = time.monotonic(), cpu()

    def mark(self, name: str) -> None:
        wall, used = time.monotonic(), cpu()
        self.rows.append((name, wall - self.wall, used - self.cpu))
        self.wall, self.cpu = wall, used


def extra_by_act(root, year: int, count: int) -> int:  # type: ignore[no-untyped-def]
    """The same matters one register_matter / act() at a time (the demos' earlier path)."""
    from fazhi.procedures.demodata import demo_user, later, spread, unit
    from fazhi.procedures.services import act, register_matter

    rng = random.Random(year * 101)
    office = unit(root, "区政数局")
    staff = demo_user("jingban")
    cutoff = dt.date(year, 12, 31)
    for received in spread(rng, year, count):
        m = register_matter(
            "help_request",
            org=office,
            received_on=received,
            subject="市民热线来电求助",
            by=staff,
            channel="hotline",
            party={"name": "市民"},
            details={"kind": rng.choice(["help", "consultation", "complaint", "report"])},
        )
        act(m, "accept", staff, later(received, rng, 0, 1, cutoff))
        done = later(received, rng, 1, 10, cutoff)
        act(m, "conclude", staff, done, result="已答复来电人。")
        act(m, "rate", None, later(done, rng, 0, 3, cutoff), public=True, satisfaction="satisfied")
    return count


def extra_year(root, year: int, count: int) -> int:  # type: ignore[no-untyped-def]
    from fazhi.procedures.demodata import DemoMatters, later, spread, unit

    rng = random.Random(year * 101)
    office = unit(root, "区政数局")
    cutoff = dt.date(year, 12, 31)
    demo = DemoMatters()
    for received in spread(rng, year, count):
        m = demo.add(
            "help_request",
            org=office,
            received_on=received,
            subject="市民热线来电求助",
            channel="hotline",
            party={"name": "市民"},
            details={"kind": rng.choice(["help", "consultation", "complaint", "report"])},
        )
        m.step("accept", later(received, rng, 0, 1, cutoff))
        done = later(received, rng, 1, 10, cutoff)
        m.step("conclude", done, result="已答复来电人。")
        m.step("rate", later(done, rng, 0, 3, cutoff), public=True, satisfaction="satisfied")
    return demo.save("热线（基准）")


def one_run(extra: int, path: str) -> list[tuple[str, float, float]]:
    from django.core.management import call_command
    from django.db import transaction

    from fazhi.core import demo

    phases = Phases()
    call_command("migrate", interactive=False, verbosity=0)
    phases.mark("migrate")
    root = demo.build_district()
    demo.build_users(root)
    phases.mark("district + users")
    for name in ("fazhi.services", "fazhi.disputes", "fazhi.oversight"):
        module = importlib.import_module(f"{name}.demo")
        with transaction.atomic():
            module.build(root, 2024)
        phases.mark(name.removeprefix("fazhi.") + " demo")
    if extra:
        with transaction.atomic():
            (extra_by_act if path == "act" else extra_year)(root, 2023, extra)
        phases.mark(f"+{extra} matters ({path})")
    return phases.rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extra", type=int, default=0)
    parser.add_argument(
        "--path", choices=["import", "act"], default="import", help="how --extra is written"
    )
    args = parser.parse_args()
    os.environ["FAZHI_DEBUG"] = "1"
    os.environ["FAZHI_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-demo-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.db import connection

    print(machine.describe())
    print(f"speed before: {machine.loop_ns():.1f} ns/loop")
    runs = []
    for i in range(args.runs):
        connection.close()
        path = Path(os.environ["FAZHI_VAR_DIR"]) / "fazhi.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        rows = one_run(args.extra, args.path)
        runs.append(rows)
        total_wall = sum(r[1] for r in rows)
        total_cpu = sum(r[2] for r in rows)
        print(f"run {i + 1}: " + ", ".join(f"{n} {w:.2f}s" for n, w, _ in rows))
        print(f"        total {total_wall:.2f}s wall, {total_cpu:.2f}s CPU")
    print(f"speed after: {machine.loop_ns():.1f} ns/loop")
    names = [r[0] for r in runs[0]]
    print("median of the runs (wall / CPU seconds):")
    for j, name in enumerate(names):
        wall = statistics.median(run[j][1] for run in runs)
        used = statistics.median(run[j][2] for run in runs)
        print(f"  {name:<28} {wall:6.2f} {used:6.2f}")
    wall = statistics.median(sum(r[1] for r in run) for run in runs)
    used = statistics.median(sum(r[2] for r in run) for run in runs)
    print(f"  {'total':<28} {wall:6.2f} {used:6.2f}")


if __name__ == "__main__":
    main()
