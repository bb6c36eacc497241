"""The NPC and CPPCC offices' assignment sheets (交办表) imported by their headers: the session
from a column or the title row, the lead and assisting units, the month limit from the
assignment date; a second import adds nothing; bad rows are named in Chinese."""

import datetime as dt

import pytest
from openpyxl import Workbook

from fazhi.oversight.suggestions.sheets import CPPCC_SHEET, NPC_SHEET, session_of
from fazhi.procedures.errors import InvalidTransition
from fazhi.procedures.importing import import_file
from fazhi.procedures.importing.layouts import match_layout
from fazhi.procedures.models import Matter, MatterAssistant
from fazhi.procedures.services import act

pytestmark = pytest.mark.django_db

D = dt.date
NPC_HEADER = [
    "序号",
    "建议编号",
    "领衔代表",
    "代表团",
    "建议题目",
    "主办单位",
    "会办单位",
    "交办日期",
]


def sheet(path, rows, title=None):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def npc(tmp_path, district):
    a, b, street = district["a"].name, district["b"].name, district["street"].name
    return sheet(
        tmp_path / "交办表.xlsx",
        [
            NPC_HEADER,
            [
                1,
                "001",
                "王建华",
                "北沟街道代表团",
                "关于加快老旧小区改造的建议",
                a,
                f"{b}、{street}",
                "2025-01-31",
            ],
            [2, 2, "李红", "城区代表团", "关于增设公交站点的建议", b, "", dt.datetime(2025, 2, 10)],  # noqa: DTZ001 an Excel cell has no zone
            [None, None, None, None, None, None, None, None],  # a blank row
        ],
        title="第十八届人大三次会议代表建议交办表",
    )


def test_the_npc_sheet_with_its_title_row(npc, district, users):
    report = import_file(npc)
    assert report.committed and report.rejected == 0, report.errors
    assert report.created == 2
    first = Matter.objects.get(procedure="npc_suggestion", reference="第十八届第三次会议-001")
    assert (first.org_id, first.received_on) == (district["a"].pk, D(2025, 1, 31))
    shown = {k: v for k, v in first.details.items() if not k.startswith("_")}
    assert shown == {"deputy": "王建华", "session": "第十八届第三次会议", "number": "001"}
    assert first.subject == "关于加快老旧小区改造的建议"
    assert first.due_on == D(2025, 4, 30)  # 3 months from 31 January by the month rule
    assisting = set(MatterAssistant.objects.filter(matter=first).values_list("org_id", flat=True))
    assert assisting == {district["b"].pk, district["street"].pk}
    second = Matter.objects.get(procedure="npc_suggestion", reference="第十八届第三次会议-2")
    assert (second.org_id, second.received_on) == (district["b"].pk, D(2025, 2, 10))
    assert not MatterAssistant.objects.filter(matter=second).exists()
    # the assisting units' opinions come before the lead's reply, as for any other
    with pytest.raises(InvalidTransition, match="2个会办单位未提出会办意见"):
        act(first, "reply", users["staff_a"], D(2025, 3, 3), today=D(2025, 3, 3), result="A")


def test_the_same_sheet_again_adds_nothing_and_a_changed_one_updates(npc, tmp_path, district):
    a, b, street, a1 = (district[k].name for k in ("a", "b", "street", "a1"))
    import_file(npc)
    again = import_file(npc)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    def row(subject, assisting):
        return [1, "001", "王建华", "", subject, a, assisting, "2025-01-31"]

    title = "第十八届人大三次会议代表建议交办表"
    # the office adds an assisting unit: the step is appended (the import updates progress; a
    # retyped title does not rewrite the registered matter: docs/import-format.md)
    changed = sheet(
        tmp_path / "交办表2.xlsx",
        [NPC_HEADER, row("改造老旧小区的建议", f"{b}、{street}、{a1}")],
        title,
    )
    report = import_file(changed)
    assert (report.created, report.updated, report.rejected) == (0, 1, 0), report.errors
    m = Matter.objects.get(reference="第十八届第三次会议-001")
    assert m.subject == "关于加快老旧小区改造的建议"
    assert MatterAssistant.objects.filter(matter=m).count() == 3
    # an assisting unit taken off the sheet cannot undo the step that added it: named, refused
    dropped = sheet(tmp_path / "交办表3.xlsx", [NPC_HEADER, row("改造老旧小区的建议", b)], title)
    report = import_file(dropped, skip_invalid=True)
    assert report.rejected == 1
    assert "已有记录只能追加后续步骤，不能改写" in str(report.errors[0])


def test_the_cppcc_sheet_with_a_session_column(tmp_path, district):
    path = sheet(
        tmp_path / "提案交办.xlsx",
        [
            ["提案号", "提案人", "界别", "案由", "主办单位", "协办单位", "交办时间", "届次"],
            [
                "18-3-045",
                "张敏",
                "经济界",
                "关于优化营商环境的提案",
                district["b"].name,
                district["a"].name,
                "2025年3月3日",
                "十八届三次",
            ],
        ],
    )
    report = import_file(path)
    assert report.committed and report.created == 1, report.errors
    m = Matter.objects.get(procedure="cppcc_proposal")
    assert m.reference == "第十八届第三次会议-18-3-045"
    assert (m.details["deputy"], m.details["session"]) == ("张敏", "第十八届第三次会议")
    assert m.received_on == D(2025, 3, 3) and m.due_on == D(2025, 6, 3)
    assert list(MatterAssistant.objects.filter(matter=m).values_list("org_id", flat=True)) == [
        district["a"].pk
    ]


def test_bad_rows_are_named_in_chinese(tmp_path, district):
    a, b = district["a"].name, district["b"].name
    path = sheet(
        tmp_path / "bad.xlsx",
        [
            ["建议编号", "领衔代表", "建议题目", "主办单位", "会办单位", "交办日期", "届次"],
            ["001", "王建华", "题目一", f"{a}、{b}", "", "2025-01-31", "第十八届第三次会议"],
            ["002", "王建华", "题目二", a, "", "一月底", "第十八届第三次会议"],
            ["003", "王建华", "题目三", a, "", "2025-01-31", ""],
            ["004", "王建华", "题目四", "不存在的单位", "", "2025-01-31", "第十八届第三次会议"],
            ["005", "", "题目五", a, "", "2025-01-31", "第十八届第三次会议"],
        ],
    )
    report = import_file(path, skip_invalid=True)
    messages = {e.line: str(e) for e in report.errors}
    assert report.created == 0 and report.rejected == 5
    assert "主办单位只能有一个" in messages[2]
    assert "交办日期“一月底”无法识别" in messages[3]
    assert "缺少届次" in messages[4]
    assert "不存在的单位" in messages[5]
    assert "缺少代表姓名" in messages[6]


def test_each_office_has_its_own_layout():
    npc = ["建议编号", "领衔代表", "建议题目", "主办单位", "交办日期"]
    cppcc = ["提案号", "提案人", "案由", "主办单位", "交办日期"]
    assert match_layout(npc, None)[0] is NPC_SHEET
    assert match_layout(cppcc, None)[0] is CPPCC_SHEET
    assert match_layout(npc, "cppcc_proposal") is None
    assert match_layout(["建议编号", "领衔代表", "建议题目", "主办单位"], None) is None  # no date


@pytest.mark.parametrize(
    ("text", "session"),
    [
        ("第十八届人大三次会议代表建议交办表", "第十八届第三次会议"),
        ("政协铁西区第十届委员会第四次会议提案交办单", "第十届第四次会议"),
        ("18届3次", "第18届第3次会议"),
        ("2025年交办表", ""),
    ],
)
def test_the_session_from_a_title(text, session):
    assert session_of(text) == session


def test_a_title_above_an_unknown_header_is_still_refused_by_name(tmp_path):
    from fazhi.procedures.importing import ImportFileError

    path = sheet(tmp_path / "x.xlsx", [["甲", "乙"], ["1", "2"]], title="某某交办表")
    with pytest.raises(ImportFileError, match="第1行表头"):
        import_file(path)
