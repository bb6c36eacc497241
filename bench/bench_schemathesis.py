"""A long schemathesis run over the whole API schema (issue 19; not a test).

Run: python bench/bench_schemathesis.py [--examples 200] [--random]

Builds a fresh SQLite database bench/out/schemathesis.sqlite3 with a small district (the test
fixtures' tree, one user per role) and two matters, then sends generated requests to every
operation of /api/v1/schema/ in-process through WSGI (fazhi/api/tests/fuzz.py, the suite's
code with more examples and, with --random, data that differs each run): positive and negative data, with a
staff token and without one. Fails (exit 1) on any 5xx or any answer the schema does not
document (status code, content type, body). Prints cases run per status code.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
DB = OUT / "schemathesis.sqlite3"

os.environ.setdefault("FAZHI_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("FAZHI_SECURE_COOKIES", "0")
os.environ["FAZHI_LOCAL_CONFIG"] = "off"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402 the environment above must be set before Django loads

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.machine import describe  # noqa: E402
from fazhi.api.tests.fuzz import fuzz_api  # noqa: E402
from fazhi.core import clock  # noqa: E402
from fazhi.core.models import OrgKind, Role  # noqa: E402
from fazhi.core.tests.factories import OrgUnitFactory, staff_user  # noqa: E402
from fazhi.procedures.tests.factories import make_matter  # noqa: E402


def build() -> tuple[str, int]:
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    root = OrgUnitFactory(name="测试区人民政府", kind=OrgKind.GOVERNMENT, division_code="220302")
    a = OrgUnitFactory(name="测试区司法局", parent=root)
    b = OrgUnitFactory(name="测试区市场监督管理局", parent=root)
    staff = staff_user(a, Role.STAFF, "t_staff_a")
    other = staff_user(b, Role.STAFF, "t_staff_b")
    today = clock.today()
    matter = make_matter(
        "help_request",
        a,
        staff,
        today - dt.timedelta(days=3),
        party={"name": "王小明", "phone": "13912345678"},
        details={"kind": "help", "content": "多次到窗口办理未果"},
    )
    make_matter("help_request", b, other, today - dt.timedelta(days=2))
    return Token.objects.create(user=staff).key, matter.pk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="cases per operation and mode")
    parser.add_argument("--random", action="store_true", help="random data (default: repeatable)")
    args = parser.parse_args()
    print(describe())
    token, pk = build()
    failures = 0
    for label, key in (("with a staff token", token), ("without a token", None)):
        result = fuzz_api(
            key,
            real_ids={"id": pk, "code": "help_request"},
            max_examples=args.examples,
            derandomize=not args.random,
        )
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(result.statuses.items()))
        print(
            f"{label}: {result.operations} operations, {result.cases} cases in "
            f"{result.seconds:.0f} s ({statuses}); failures: {len(result.failures)}"
        )
        for failure in result.failures[:20]:
            print("  " + failure)
        failures += len(result.failures)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
