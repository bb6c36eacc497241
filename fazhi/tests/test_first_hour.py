"""A newcomer's first hour: after ``fazhi demo`` the same directory is a working installation.

The real command (``python -m fazhi``) in a fresh temporary directory with no ``FAZHI_*``
variables: ``fazhi demo --no-serve`` (``--no-records``: the same path without the slow demo
records) writes ./var/local.json, then ``report``, ``import`` and ``export`` run there. Where
no local configuration exists and debug is off, the same commands still refuse to start.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

LINE = {
    "procedure": "reconsideration",
    "reference": "FY-2025-000007",
    "org": "220302",
    "received_on": "2025-03-07",
    "subject": "不服罚款决定",
    "channel": "letter",
    "mailed_on": "2025-03-05",
    "party": {"name": "李四", "kind": "person", "phone": "13800000000"},
    "details": {"respondent": "某局", "contested_act": "罚款500元"},
    "steps": [{"action": "accept", "on": "2025-03-10", "data": {"simplified": True}}],
}

REPORT = ("report", "indicators", "--org", "220302", "--year", "2025", "--format", "json")
IMPORT = ("import", "matters.jsonl")
EXPORT = ("export", "--procedure", "reconsideration", "--year", "2025", "--format", "jsonl")


def _fazhi(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FAZHI_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(  # noqa: S603 our own command with fixed arguments
        [sys.executable, "-m", "fazhi", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_the_demo_directory_is_a_working_installation(tmp_path):
    here = tmp_path / "demo"
    here.mkdir()
    (here / "matters.jsonl").write_text(json.dumps(LINE, ensure_ascii=False) + "\n")

    demo = _fazhi(here, "demo", "--no-serve", "--no-records")
    assert demo.returncode == 0, demo.stderr
    config = here / "var" / "local.json"
    data = json.loads(config.read_text())
    assert data["installation"] == "local-single-user"
    assert len(data["secret_key"]) >= 50 and "127.0.0.1" in data["allowed_hosts"]
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert "本地单用户安装" in demo.stdout

    report = _fazhi(here, *REPORT)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)
    imported = _fazhi(here, *IMPORT)
    assert imported.returncode == 0, imported.stderr
    assert "新增1件" in imported.stdout
    exported = _fazhi(here, *EXPORT, "-o", "out.jsonl")
    assert exported.returncode == 0, exported.stderr
    assert json.loads((here / "out.jsonl").read_text())["reference"] == "FY-2025-000007"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "matters.jsonl").write_text(json.dumps(LINE, ensure_ascii=False) + "\n")
    for args in (REPORT, IMPORT, EXPORT):
        refused = _fazhi(elsewhere, *args)
        assert refused.returncode == 2, args
        assert "FAZHI_SECRET_KEY" in refused.stderr and "Traceback" not in refused.stderr
    assert not (elsewhere / "var" / "local.json").exists()


def test_a_broken_local_configuration_is_named(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "local.json").write_text("{not json")
    result = _fazhi(tmp_path, "check")
    assert result.returncode == 2
    assert "local.json" in result.stderr and "Traceback" not in result.stderr
