"""The hostile-input corpus on ``fazhi import`` (issue 19, "Build and prove"): every line is
either imported as typed or rejected with a Chinese reason in the report; a file that cannot
be read is refused whole in Chinese; never a traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from fazhi.core.tests import hostile
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.importing import import_file, template_columns
from fazhi.procedures.models import ImportRun, Matter
from fazhi.procedures.tests.test_import import complaint, write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", hostile.INERT_TEXTS)
def test_markup_and_sql_are_imported_as_typed(district, tmp_path, value):
    line = complaint("H-1", subject=value, party={"name": value[:50]})
    report = import_file(write(tmp_path, [line]))
    assert report.created == 1, report.errors
    matter = Matter.objects.get()
    assert matter.subject == value.strip() and matter.party_name == value[:50].strip()


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        (complaint("X", received_on="2024-02-30"), "received_on", "日期无效"),
        (complaint("X", received_on="0001-01-01"), "received_on", "超出可计算范围"),
        (complaint("X", received_on=20240101), "received_on", "日期格式错误"),
        (complaint("X", subject=hostile.NUL), "subject", "空字符"),
        (complaint("X", details={"enterprise": hostile.NUL}), "details.enterprise", "空字符"),
        (
            complaint("X", party={"name": "张三", "id_number": "110105194912310021"}),
            "party.id_number",
            "",
        ),
        (complaint("X", reference="1" * 500), "reference", "编号过长"),
        (complaint("X", steps="drop table"), "steps", "列表"),
        (
            complaint("X", steps=[{"action": hostile.SCRIPT, "on": "2025-03-05"}]),
            "steps[0].action",
            "",
        ),
        (hostile.DEEP_JSON, "", "嵌套层数过多"),
        (hostile.DEEP_OBJECT, "", "嵌套层数过多"),
        ('{"procedure": NaN}', "procedure", "应为文字"),
        ("[1, 2", "", "不是有效的 JSON"),
        ('"just a string"', "", "JSON 对象"),
    ],
)
def test_hostile_lines_are_rejected_with_a_chinese_reason(
    district, tmp_path, line, field, fragment
):
    report = import_file(write(tmp_path, [complaint("OK-1"), line]), skip_invalid=True)
    assert report.created == 1
    [error] = report.errors
    assert error.line == 2 and error.field == field, error
    assert fragment in error.message and hostile.CHINESE.search(error.message), error


def test_a_nul_byte_in_a_csv_cell_rejects_its_line(district, tmp_path):
    columns = template_columns(get_procedure("business_complaint"))
    header = [c.code for c in columns]
    row = {c.code: "" for c in columns}
    row.update(reference="C-1", org="220302", received_on="2025-03-03", subject="施\x00工")
    good = {**row, "reference": "C-2", "subject": "施工"}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([row[c.code] for c in columns])
    writer.writerow([good[c.code] for c in columns])
    path = tmp_path / "in.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    report = import_file(path, procedure="business_complaint", skip_invalid=True)
    assert [(e.line, e.field) for e in report.errors] == [(2, "subject")]
    assert "空字符" in report.errors[0].message
    assert list(Matter.objects.values_list("reference", flat=True)) == ["C-2"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"PK\x03\x04 truncated", "不是有效的 .xlsx"),
        (b"", "文件是空的"),
        (b"<?xml version='1.0'?><workbook/>", "不是有效的 .xlsx"),
    ],
)
def test_broken_xlsx_files_are_refused_in_chinese(district, tmp_path, content, fragment):
    path = tmp_path / "in.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=fragment):
        call_command("import", str(path), quiet=True)
    assert not Matter.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(district, tmp_path, monkeypatch):
    """A sheet that packs 1,000-fold: refused from the archive's own sizes, never unpacked."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"0" * (40 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(CommandError, match="压缩炸弹"):
        call_command("import", str(path), quiet=True)
    assert opened == [] and not Matter.objects.exists()
    assert ImportRun.objects.filter(status="running").count() == 0


@pytest.mark.parametrize("name", ["../../etc/passwd", "in.jsonl\x00.txt", "in.exe"])
def test_odd_file_names_are_refused_in_chinese(district, tmp_path, name):
    with pytest.raises(CommandError) as caught:
        call_command("import", str(tmp_path / name), quiet=True)
    assert hostile.CHINESE.search(str(caught.value))
