"""Generate a realistic JSONL import file (docs/import-format.md) for bench_import.py.

Half business complaints (register, accept, conclude, rate by the submitter), half
reconsiderations (register, accept, decide), received on working days of 2024-2025 across
the demo district's units (by division code or full name, as a real export would name them).
Deterministic for a seed. Usage: python bench/gen_import.py N OUT.jsonl [OPEN_SHARE]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys

# Checksummed resident IDs (GB 11643) built once, reused across lines.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def resident_id(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    body = f"220302{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    from fazhi.workdays import Calendar

    cal = Calendar.shipped()
    days = []
    d = first
    while d <= last:
        if cal.is_working_day(d):
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def generate(
    n: int, out_path: str, units: list[str], seed: int = 20250302, open_share: float = 0.0
) -> None:
    """``open_share``: the share of lines cut after their first step (accepted, still open, a
    due date to compute), chosen by line number so that the other lines stay the same."""
    rng = random.Random(seed)
    days = working_days(dt.date(2024, 1, 2), dt.date(2025, 9, 30))
    ids = [resident_id(rng) for _ in range(5000)]
    outcomes = ["upheld", "revoked", "altered", "confirmed_unlawful", "dismissed"]
    ratings = ["satisfied", "satisfied", "satisfied", "basically_satisfied", "dissatisfied"]
    with open(out_path, "w", encoding="utf-8") as out:
        for i in range(n):
            day = days[rng.randrange(len(days) - 40)]
            org = units[rng.randrange(len(units))]
            if i % 2 == 0:
                line = {
                    "procedure": "business_complaint",
                    "reference": f"YS-{day.year}-{i:07d}",
                    "org": org,
                    "received_on": day.isoformat(),
                    "subject": "企业反映审批时限过长",
                    "channel": "phone",
                    "party": {"name": "某科技有限公司", "phone": "13800000000"},
                    "details": {"enterprise": "某科技有限公司", "content": "审批超过承诺时限"},
                    "steps": [
                        {"action": "accept", "on": (day + dt.timedelta(days=1)).isoformat()},
                        {
                            "action": "conclude",
                            "on": (day + dt.timedelta(days=10)).isoformat(),
                            "data": {"result": "已督促审批部门办结"},
                        },
                        {
                            "action": "rate",
                            "on": (day + dt.timedelta(days=12)).isoformat(),
                            "data": {"satisfaction": ratings[i % 5]},
                            "by": "public",
                        },
                    ],
                }
            else:
                line = {
                    "procedure": "reconsideration",
                    "reference": f"FY-{day.year}-{i:07d}",
                    "org": org,
                    "received_on": day.isoformat(),
                    "subject": "不服行政处罚决定",
                    "channel": "window",
                    "party": {"name": "张三", "id_number": ids[i % len(ids)]},
                    "details": {"respondent": "某局", "contested_act": "罚款500元"},
                    "steps": [
                        {"action": "accept", "on": (day + dt.timedelta(days=3)).isoformat()},
                        {
                            "action": "decide",
                            "on": (day + dt.timedelta(days=30)).isoformat(),
                            "data": {"outcome": outcomes[i % 5]},
                        },
                    ],
                }
            if (i * 7919) % 1000 < open_share * 1000:
                line["steps"] = line["steps"][:1]
            out.write(json.dumps(line, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from fazhi.core.models import OrgUnit

    names = list(OrgUnit.objects.values_list("division_code", "name"))
    generate(
        int(sys.argv[1]),
        sys.argv[2],
        [code or name for code, name in names],
        open_share=float(sys.argv[3]) if len(sys.argv) > 3 else 0.0,
    )
