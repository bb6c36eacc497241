"""The year's key-task list from the office's xlsx: every line or none, a report of the refused
lines in Chinese, the blank template, only the office imports."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.core import clock
from fazhi.keytasks.importing import (
    KeyTaskImportError,
    import_key_tasks,
    parse_due,
    template_xlsx,
)
from fazhi.procedures.models import Matter, MatterAssistant

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 1, 15)
LIST = "2024年度法治建设重点任务清单"
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限", "完成标准"]


def sheet(*rows, title=True, header=HEADER):
    book = Workbook()
    ws = book.active
    if title:
        ws.append(["测试区2024年度法治建设重点任务清单"])
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.fixture
def good(district):
    a, b, s = (district[k].name for k in ("a", "b", "street"))
    return sheet(
        ("1", "修订依法治区委员会工作规则", a, f"{b}、{s}", "6月底", "印发工作规则"),
        ("2", "开展行政执法案卷评查", a, "", D(2024, 11, 30), "形成评查通报"),
        ("3", "推进乡街综合执法赋权", s, b, "年底", "赋权清单公布"),
    )


def run(stream, users, district, who="office", task_list=LIST):
    with clock.frozen(TODAY):
        return import_key_tasks(
            stream,
            task_list=task_list,
            year=2024,
            listed_on=TODAY,
            by=users[who],
            root=district["root"],
        )


def test_a_good_list_is_registered_with_its_units_and_due_dates(good, users, district):
    report = run(good, users, district)
    assert report.committed and report.created == 3 and not report.errors
    tasks = {m.subject: m for m in Matter.objects.of("key_task")}
    first = tasks["修订依法治区委员会工作规则"]
    assert first.org == district["a"] and first.state == "in_progress"
    assert first.due_on == D(2024, 6, 30)
    assert first.details["task_list"] == LIST and first.details["measure"] == "印发工作规则"
    assert set(MatterAssistant.objects.filter(matter=first).values_list("org", flat=True)) == {
        district["b"].pk,
        district["street"].pk,
    }
    assert tasks["推进乡街综合执法赋权"].due_on == D(2024, 12, 31)
    assert tasks["开展行政执法案卷评查"].due_on == D(2024, 11, 30)


def test_one_bad_line_leaves_the_list_unimported_and_names_each_fault(users, district):
    a = district["a"].name
    stream = sheet(
        ("1", "修订工作规则", a, "", "6月底", "印发"),
        ("2", "开展评查", "不存在的局", "", "2024-13-01", "形成通报"),
        ("3", "编制目录", a, a, "9月底", ""),
        ("4", "修订工作规则", a, "", "2025-03-01", "印发"),
    )
    report = run(stream, users, district)
    assert not report.committed and report.created == 0
    assert not Matter.objects.of("key_task").exists()
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "没有名为“不存在的局”的单位" in messages[(4, "牵头单位")]
    assert "不是可识别的完成时限" in messages[(4, "完成时限")]
    assert messages[(5, "完成标准")] == "必须填写。"
    assert "已是牵头单位" in messages[(5, "配合单位")]
    assert "与第3行的任务重复" in messages[(6, "重点任务")]
    assert "不在2024年度内" in messages[(6, "完成时限")]
    assert report.rejected == 3
    assert "未导入任何任务" in report.summary()


def test_the_same_list_again_is_refused(good, users, district):
    assert run(good, users, district).committed
    good.seek(0)
    again = run(good, users, district)
    assert not again.committed
    assert Matter.objects.of("key_task").count() == 3
    assert all("已在“" in e.message for e in again.errors)


def test_only_the_office_imports(good, users, district):
    with pytest.raises(KeyTaskImportError, match="依法治区办"):
        run(good, users, district, who="staff_a")
    assert not Matter.objects.of("key_task").exists()


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2024年6月30日", D(2024, 6, 30)),
        ("6月30日", D(2024, 6, 30)),
        ("2月底", D(2024, 2, 29)),
        ("9月底前", D(2024, 9, 30)),
        ("年底前", D(2024, 12, 31)),
        ("2024/03/31", D(2024, 3, 31)),
    ],
)
def test_due_dates_as_the_office_writes_them(text, due):
    assert parse_due(text, 2024) == due


def test_the_template_has_the_columns_and_its_note_is_not_a_task(users, district):
    data = template_xlsx(2024)
    ws = load_workbook(BytesIO(data)).active
    assert [c.value for c in ws[2]] == HEADER
    # imported as it is, only the example line's unit (not in this district) is refused
    report = run(BytesIO(data), users, district)
    assert report.rows == 1
    assert [(e.row, e.column) for e in report.errors] == [(3, "牵头单位"), (3, "配合单位")]


# --- the screens ----------------------------------------------------------------------------


def upload(stream):
    return SimpleUploadedFile("清单.xlsx", stream.getvalue())


def test_the_import_page_imports_and_goes_to_the_board(client, good, users):
    client.force_login(users["office"])
    with clock.frozen(TODAY):
        assert "下载模板" in client.get(reverse("keytasks:import")).content.decode()
        r = client.post(
            reverse("keytasks:import"),
            {"task_list": LIST, "year": "2024", "listed_on": "2024-01-15", "file": upload(good)},
        )
    assert r.status_code == 302 and r["Location"].startswith(reverse("keytasks:board"))
    assert Matter.objects.of("key_task").count() == 3


def test_the_import_page_reports_refused_lines(client, users, district):
    client.force_login(users["office"])
    stream = sheet(("1", "修订工作规则", "不存在的局", "", "6月底", "印发"))
    with clock.frozen(TODAY):
        r = client.post(
            reverse("keytasks:import"),
            {"task_list": LIST, "year": "2024", "file": upload(stream)},
        )
    html = r.content.decode()
    assert r.status_code == 400 and 'data-testid="import-report"' in html
    assert "第3行" in html and "没有名为“不存在的局”的单位" in html


def test_a_file_that_is_not_xlsx_is_a_plain_message(client, users):
    client.force_login(users["office"])
    bad = SimpleUploadedFile("清单.xlsx", b"not a workbook")
    r = client.post(reverse("keytasks:import"), {"task_list": LIST, "file": bad})
    assert r.status_code == 400 and "无法读取文件" in r.content.decode()


def test_a_sheet_without_the_columns_is_a_plain_message(client, users):
    client.force_login(users["office"])
    stream = sheet(("1", "x"), header=["序号", "任务"])
    r = client.post(reverse("keytasks:import"), {"task_list": LIST, "file": upload(stream)})
    assert r.status_code == 400
    assert "缺少列“牵头单位”、“完成时限”、“完成标准”" in r.content.decode()


def test_a_unit_staff_member_may_not_import(client, good, users):
    client.force_login(users["staff_a"])
    r = client.post(reverse("keytasks:import"), {"task_list": LIST, "file": upload(good)})
    assert r.status_code == 400 and "只有依法治区办" in r.content.decode()
    assert not Matter.objects.of("key_task").exists()


def test_the_template_downloads(client, users):
    client.force_login(users["staff_a"])
    r = client.get(reverse("keytasks:template"), {"year": 2025})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert "2025年度" in str(load_workbook(BytesIO(r.content)).active["A1"].value)
