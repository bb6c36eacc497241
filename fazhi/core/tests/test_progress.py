"""Progress bars on the long commands (fazhi.core.progress): export, indicator rebuild, demo,
annual report rendering. Shown on a terminal; ``FAZHI_PROGRESS=always`` shows them here."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from fazhi.core.progress import NO_PROGRESS, progress_bar, shown
from fazhi.procedures.tests.test_import import complaint
from fazhi.reports.tests.test_assembly import complaints  # noqa: F401 a fixture


def _final(err: str, desc: str) -> str:
    """The bar's last state (tqdm redraws its line with carriage returns)."""
    lines = [x for x in err.replace("\r", "\n").splitlines() if x.startswith(desc)]
    assert lines, err
    return lines[-1]


def test_the_bar_shows_only_where_asked(monkeypatch, capsys):
    monkeypatch.setenv("FAZHI_PROGRESS", "never")
    assert not shown()
    with progress_bar("x", unit="件", total=2) as bar:
        assert bar is NO_PROGRESS
    monkeypatch.setenv("FAZHI_PROGRESS", "auto")
    assert not shown()  # pytest's stderr is not a terminal
    monkeypatch.setenv("FAZHI_PROGRESS", "always")
    assert shown() and not shown(quiet=True)
    with progress_bar("数一数", unit="件", total=3) as bar:
        bar.update(2)
        bar.note("第二步")
        bar.update(1)
    final = _final(capsys.readouterr().err, "数一数")
    assert "3/3" in final and "第二步" in final


@pytest.mark.django_db
def test_export_shows_the_matters_written(monkeypatch, capsys, district, tmp_path):
    from fazhi.procedures.importing import import_records

    records = iter([(i, complaint(f"YS-2025-{i:06d}"), None) for i in range(1, 5)])
    assert import_records(records).committed
    monkeypatch.setenv("FAZHI_PROGRESS", "always")
    target = tmp_path / "out.jsonl"
    call_command(
        "export", "--procedure", "business_complaint", "-o", str(target), stderr=io.StringIO()
    )
    assert len(target.read_text().splitlines()) == 4
    final = _final(capsys.readouterr().err, "导出 business_complaint")
    assert "4/4" in final
    call_command(
        "export",
        "--procedure",
        "business_complaint",
        "-o",
        str(target),
        "--quiet",
        stderr=io.StringIO(),
    )
    assert capsys.readouterr().err == ""


@pytest.mark.django_db
def test_rebuild_shows_the_matters_read(monkeypatch, capsys, complaints):  # noqa: F811
    monkeypatch.setenv("FAZHI_PROGRESS", "always")
    out = io.StringIO()
    call_command("indicators", "rebuild", stdout=out)
    assert "已重建指标计数表" in out.getvalue()
    final = _final(capsys.readouterr().err, "重建指标计数表")
    done, total = map(int, re.search(r"(\d+)/(\d+)", final).groups())
    assert done == total > 0


@pytest.mark.django_db
def test_report_rendering_shows_its_steps(monkeypatch, capsys, complaints, tmp_path):  # noqa: F811
    monkeypatch.setenv("FAZHI_PROGRESS", "always")
    args = ["--org", "220302", "--year", "2024", "--format", "json,md", "-o", str(tmp_path)]
    call_command("report", "annual", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert len(list(tmp_path.iterdir())) == 2
    assert "3/3" in _final(capsys.readouterr().err, "生成年度报告")
    # to standard output, no bar: it would be mixed with the report
    out = io.StringIO()
    call_command(
        "report", "annual", *args[:4], "--format", "json", stdout=out, stderr=io.StringIO()
    )
    assert out.getvalue().startswith("{")
    assert "生成年度报告" not in capsys.readouterr().err


@pytest.mark.django_db
def test_demo_shows_its_steps(monkeypatch, capsys):
    monkeypatch.setenv("FAZHI_PROGRESS", "always")
    call_command("demo", "--no-serve", "--no-records", stdout=io.StringIO())
    assert "3/3" in _final(capsys.readouterr().err, "建立演示数据")
