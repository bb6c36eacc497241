"""``fazhi import LIST.xlsx``: the office's key-task list through the page's own import —
the same parser, all or nothing, the same refused-lines report in Chinese, the audit."""

from __future__ import annotations

import csv
import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.keytasks.importing import import_key_tasks
from fazhi.keytasks.tests.test_import import HEADER, LIST, TODAY, sheet
from fazhi.procedures.models import ImportRun, Matter, MatterAssistant

pytestmark = pytest.mark.django_db

D = dt.date


def write(tmp_path, stream, name="重点任务清单.xlsx"):
    path = tmp_path / name
    path.write_bytes(stream.getvalue())
    return path


def command(path, **options):
    options = {"task_list": LIST, "user": "t_office", "year": "2024", **options}
    out, err = StringIO(), StringIO()
    with clock.frozen(TODAY):
        call_command("import", str(path), stdout=out, stderr=err, quiet=True, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good(district):
    a, b, s = (district[k].name for k in ("a", "b", "street"))
    return sheet(
        ("1", "修订依法治区委员会工作规则", a, f"{b}、{s}", "6月底", "印发工作规则"),
        ("2", "开展行政执法案卷评查", a, "", D(2024, 11, 30), "形成评查通报"),
        ("3", "推进乡街综合执法赋权", s, b, "年底", "赋权清单公布"),
    )


@pytest.fixture
def bad(district):
    a = district["a"].name
    return sheet(
        ("1", "修订工作规则", a, "", "6月底", "印发"),
        ("2", "开展评查", "不存在的局", "", "2024-13-01", "形成通报"),
        ("3", "编制目录", a, a, "9月底", ""),
    )


def test_the_list_is_recognised_by_its_header_and_registered_as_the_office(
    tmp_path, good, users, district
):
    out, _err = command(write(tmp_path, good), listed_on="2024-01-10")
    assert "年度重点任务清单：共3行：已列入清单3项重点任务。" in out
    tasks = {m.subject: m for m in Matter.objects.of("key_task")}
    assert set(tasks) == {
        "修订依法治区委员会工作规则",
        "开展行政执法案卷评查",
        "推进乡街综合执法赋权",
    }
    first = tasks["修订依法治区委员会工作规则"]
    assert first.org == district["a"] and first.due_on == D(2024, 6, 30)
    assert first.received_on == D(2024, 1, 10) and first.details["task_list"] == LIST
    assert set(MatterAssistant.objects.filter(matter=first).values_list("org", flat=True)) == {
        district["b"].pk,
        district["street"].pk,
    }
    # registered as the office member named, not as an anonymous import: the page's way
    registered = AuditEvent.objects.filter(action="matter.register")
    assert registered.count() == 3 and {e.actor for e in registered} == {users["office"]}
    (event,) = AuditEvent.objects.filter(action="keytasks.import")
    assert event.actor == users["office"]
    assert event.data["committed"] is True and event.data["created"] == 3
    assert event.data["file"] == "重点任务清单.xlsx" and event.data["task_list"] == LIST
    assert not ImportRun.objects.exists()  # not replayed as matters with steps


def test_one_bad_line_imports_nothing_and_reports_as_the_page_does(tmp_path, bad, users, district):
    path = write(tmp_path, bad)
    with pytest.raises(CommandError, match="3行：2行有误，未导入任何任务") as caught:
        command(path)
    assert str(caught.value).startswith("年度重点任务清单：")
    assert not Matter.objects.of("key_task").exists()
    # the page's report of the same file, line for line
    bad.seek(0)
    with clock.frozen(TODAY):
        page = import_key_tasks(
            bad,
            task_list=LIST,
            year=2024,
            listed_on=TODAY,
            by=users["office"],
            root=district["root"],
        )
    with (tmp_path / "重点任务清单.xlsx.rejected.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["行号", "列", "原因"]
    assert rows[1:] == [[str(e.row), e.column, e.message] for e in page.errors]
    assert [
        "4",
        "牵头单位",
        "没有名为“不存在的局”的单位（应为本区机构名录中的单位全称或简称）。",
    ] in rows
    assert ["5", "完成标准", "必须填写。"] in rows
    events = AuditEvent.objects.filter(action="keytasks.import")
    assert [e.data["committed"] for e in events] == [False, False]  # the command's, the page's
    assert events[0].data["rejected"] == 2


def test_the_refused_lines_are_also_written_to_stderr(tmp_path, bad, users):
    err = StringIO()
    with pytest.raises(CommandError), clock.frozen(TODAY):
        call_command(
            "import",
            str(write(tmp_path, bad)),
            task_list=LIST,
            user="t_office",
            year="2024",
            report=str(tmp_path / "r.csv"),
            stderr=err,
            stdout=StringIO(),
        )
    text = err.getvalue()
    assert "第5行“完成标准”：必须填写。" in text and "拒绝行报告：" in text
    assert (tmp_path / "r.csv").is_file()


def test_only_the_office_imports_and_someone_must_be_named(tmp_path, good, users):
    path = write(tmp_path, good)
    with pytest.raises(CommandError, match="--user"):
        command(path, user=None)
    with pytest.raises(CommandError, match="只有依法治区办"):
        command(path, user="t_staff_a")
    with pytest.raises(CommandError, match="找不到有效的用户“nobody”"):
        command(path, user="nobody")
    assert not Matter.objects.of("key_task").exists()


def test_the_form_fields_are_options_with_plain_messages(tmp_path, good, users):
    path = write(tmp_path, good)
    with pytest.raises(CommandError, match="--task-list"):
        command(path, task_list=None)
    with pytest.raises(CommandError, match="年度“24”不对"):
        command(path, year="24")
    with pytest.raises(CommandError, match="列入清单日期“1月10日”格式错误"):
        command(path, listed_on="1月10日")
    with pytest.raises(CommandError, match="只能整份导入"):
        command(path, skip_invalid=True)
    assert not Matter.objects.of("key_task").exists()


def test_the_same_list_again_is_refused(tmp_path, good, users):
    path = write(tmp_path, good)
    command(path)
    with pytest.raises(CommandError, match="未导入任何任务"):
        command(path)
    assert Matter.objects.of("key_task").count() == 3


def test_named_by_procedure_a_sheet_without_the_columns_says_which(tmp_path, users):
    path = write(tmp_path, sheet(("1", "x"), header=["序号", "重点任务"]))
    with pytest.raises(CommandError, match="缺少列“牵头单位”、“完成时限”、“完成标准”"):
        command(path, procedure="key_task")
    # without --procedure it is not taken for a key-task list: the templates' own refusal
    with pytest.raises(CommandError) as caught:
        command(path)
    assert "导入模板不符" in str(caught.value) and "缺少列“牵头单位”" not in str(caught.value)


def test_the_template_is_the_offices_blank_list(tmp_path, users):
    target = tmp_path / "任务清单.xlsx"
    with clock.frozen(TODAY):
        call_command("import", "template", "key_task", output=str(target), stdout=StringIO())
    ws = load_workbook(BytesIO(target.read_bytes())).active
    assert [c.value for c in ws[2]] == HEADER
    assert "2024年度" in str(ws["A1"].value)
