"""Imports accept the words people use (issue #21): a choice's label or a documented synonym
as well as its code, in JSON Lines and in the templates; a step dated before the step it needs
is reported with the two dates and steps, not the state it met."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from fazhi.core import clock
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.importing import import_file, template_columns
from fazhi.procedures.models import Matter
from fazhi.procedures.services import register_matter
from fazhi.procedures.tests.test_import import ID, complaint, write

pytestmark = pytest.mark.django_db

CREDIT_CODE = "91350100M000100Y43"  # a widely published valid sample


def _rated(word: str) -> list[dict]:
    return [
        {"action": "accept", "on": "2025-03-05"},
        {"action": "conclude", "on": "2025-03-20", "data": {"result": "已整改"}},
        {"action": "rate", "on": "2025-03-25", "data": {"satisfaction": word}, "by": "public"},
    ]


def test_jsonl_reads_labels_and_synonyms_into_codes(district, tmp_path):
    lines = [
        complaint(
            "W-1",
            channel="窗口",
            party={"name": "张三", "kind": "个人", "id_number": ID},
            steps=_rated("满意"),
        ),
        complaint(
            "W-2",
            channel="12345热线",
            party={"name": "张三", "kind": "自然人", "id_number": ID},
            steps=_rated("比较满意"),
        ),
        complaint(
            "W-3",
            channel="ｐｈｏｎｅ",  # a code typed full-width
            party={"name": "某公司", "kind": "法人或其他组织", "id_number": CREDIT_CODE},
            steps=_rated("不满意"),
        ),
        complaint(
            "W-4",
            channel="来信",
            party={"name": "某公司", "kind": "企业或其他组织", "id_number": CREDIT_CODE},
            steps=_rated("dissatisfied"),
        ),
    ]
    report = import_file(write(tmp_path, lines))
    assert report.rejected == 0, report.errors
    got = {
        m.reference: (m.channel, m.party_kind, m.satisfaction)
        for m in Matter.objects.order_by("reference")
    }
    assert got == {
        "W-1": ("window", "person", "satisfied"),
        "W-2": ("hotline", "person", "basically_satisfied"),
        "W-3": ("phone", "organisation", "dissatisfied"),
        "W-4": ("letter", "organisation", "dissatisfied"),
    }
    rate = Matter.objects.get(reference="W-1").steps.get(action="rate")
    assert rate.data["satisfaction"] == "satisfied"  # stored as the code


def test_jsonl_detail_choice_by_label(district, tmp_path):
    line = complaint("H-1", procedure="help_request", details={"kind": "求助"}, steps=[])
    report = import_file(write(tmp_path, [line]))
    assert report.rejected == 0, report.errors
    assert Matter.objects.get(reference="H-1").details["kind"] == "help"


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (
            complaint("X", party={"name": "张三", "kind": "群众", "id_number": ID}),
            "party.kind",
            "当事人类别“群众”无效，应为“自然人”（个人）或“法人或其他组织”",
        ),
        (complaint("X", channel="飞鸽传书"), "channel", "渠道“飞鸽传书”无效，可选：窗口、电话"),
        (
            complaint("X", steps=_rated("还行")),
            "steps[2].data.satisfaction",
            "“满意度”的值 '还行' 不在可选范围内：满意（satisfied）、基本满意",
        ),
    ],
)
def test_words_that_mean_no_choice_are_refused_naming_the_labels(
    district, tmp_path, line, field, message
):
    report = import_file(write(tmp_path, [line]), skip_invalid=True)
    assert [(e.field, message in e.message) for e in report.errors] == [(field, True)], [
        e.message for e in report.errors
    ]


def test_register_matter_reads_the_words_too(district, users):
    m = register_matter(
        "business_complaint",
        org=district["a"],
        received_on=clock.today(),
        by=users["staff_a"],
        subject="施工噪音",
        channel="来访",
        party={"name": "李四", "kind": "个人"},
    )
    assert (m.channel, m.party_kind) == ("visit", "person")
    with pytest.raises(InvalidData, match="渠道“鸽子”无效"):
        register_matter(
            "business_complaint",
            org=district["a"],
            received_on=clock.today(),
            by=users["staff_a"],
            subject="施工噪音",
            channel="鸽子",
        )


def _template_row(tmp_path, code: str, values: dict[str, str]):
    path = tmp_path / "t.xlsx"
    call_command("import", "template", code, output=str(path))
    columns = [c.code for c in template_columns(get_procedure(code))]
    wb = load_workbook(path)
    wb.worksheets[0].append([values.get(c, "") for c in columns])
    wb.save(path)
    return path


BASE = {"reference": "T-1", "org": "220302", "received_on": "2025-03-03", "subject": "填表"}


def test_template_reads_the_public_forms_words(district, tmp_path):
    path = _template_row(
        tmp_path,
        "business_complaint",
        {
            **BASE,
            "channel": "现场",
            "party_name": "赵六",
            "party_kind": "个人",  # the public form's word (the dropdown says 自然人)
            "party_id_number": ID,
            "accept.on": "2025-03-04",
            "conclude.on": "2025-03-10",
            "conclude.result": "已办结",
            "rate.on": "2025-03-12",
            "rate.satisfaction": "非常满意",
        },
    )
    report = import_file(path)
    assert report.rejected == 0, report.errors
    m = Matter.objects.get(reference="T-1")
    assert (m.channel, m.party_kind, m.satisfaction) == ("window", "person", "satisfied")


def test_template_guide_lists_the_synonyms(district, tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("import", "template", "business_complaint", output=str(path))
    guide = load_workbook(path).worksheets[1]
    rows = {r[0]: r for r in guide.iter_rows(values_only=True) if r and r[0]}
    assert "自然人（person；也可填：个人" in rows["party_kind"][4]


# --- step order: the dates, not the state ----------------------------------------------------


def test_template_step_dated_before_the_step_it_needs_names_both_dates(district, tmp_path):
    path = _template_row(
        tmp_path,
        "business_complaint",
        {**BASE, "accept.on": "2025-03-06", "conclude.on": "2025-03-04", "conclude.result": "好"},
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="整个文件未导入"):
        call_command("import", str(path), quiet=True, stderr=err)
    text = err.getvalue()
    assert "第3行，conclude.on：办结日期2025-03-04早于受理日期2025-03-06" in text, text
    assert "当前状态" not in text
    assert not Matter.objects.exists()


def test_jsonl_steps_listed_in_either_order_name_both_dates(district, tmp_path):
    conclude = {"action": "conclude", "on": "2025-03-04", "data": {"result": "好"}}
    accept = {"action": "accept", "on": "2025-03-06"}
    lines = [complaint("A", steps=[conclude, accept]), complaint("B", steps=[accept, conclude])]
    report = import_file(write(tmp_path, lines), skip_invalid=True)
    got = [(e.line, e.field, e.message) for e in report.errors]
    assert got[0][:2] == (1, "steps[0].on")
    assert got[0][2].startswith("办结日期2025-03-04早于受理日期2025-03-06")
    assert got[1][:2] == (2, "steps[1].on")
    assert got[1][2].startswith("办结日期2025-03-04早于受理日期2025-03-06")


def test_a_step_with_nothing_before_it_still_names_the_state(district, tmp_path):
    line = complaint(
        "C", steps=[{"action": "conclude", "on": "2025-03-04", "data": {"result": "好"}}]
    )
    report = import_file(write(tmp_path, [line]), skip_invalid=True)
    assert "不能执行“办结”" in report.errors[0].message


def test_a_step_dated_before_the_receipt_names_it(district, tmp_path):
    line = complaint("D", steps=[{"action": "accept", "on": "2025-03-01"}])
    report = import_file(write(tmp_path, [line]), skip_invalid=True)
    assert report.errors[0].message.startswith("受理日期2025-03-01早于收到日期2025-03-03")


def test_template_dropdowns_warn_instead_of_refusing_a_synonym(district, tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("import", "template", "business_complaint", output=str(path))
    ws = load_workbook(path).worksheets[0]
    columns = [c.code for c in template_columns(get_procedure("business_complaint"))]
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[columns.index("party_kind")]
    (dv,) = [d for d in ws.data_validations.dataValidation if f"{letter}3" in str(d.sqref)]
    assert dv.errorStyle == "warning"  # Excel lets 个人 stand; the import reads it
    assert "自然人" in dv.formula1
