"""Assembling the annual report from a few records built by hand; placeholders; the command."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter
from fazhi.reports import placeholders
from fazhi.reports.assembly import (
    Figure,
    ReportError,
    assemble,
    compute_figures,
    figures_from_json,
    figures_to_json,
)
from fazhi.reports.drafting import create_report, diff, save_text
from fazhi.reports.models import SectionVersion
from fazhi.reports.placeholders import PlaceholderError

D = dt.date
TODAY = D(2025, 6, 30)


def complaint(org, user, received, *steps):
    m = make_matter("business_complaint", org, user, received, today=TODAY)
    for action, on, data in steps:
        if action == "rate":  # the submitter's alone (#19 defect 2)
            act(m, action, None, on, public=True, today=TODAY, **data)
        else:
            act(m, action, user, on, today=TODAY, **data)
    return m


@pytest.fixture
def complaints(district, users):
    a, s = district["a"], users["staff_a"]
    complaint(a, s, D(2024, 1, 5), ("refuse", D(2024, 1, 8), {"reason": "不属于受理范围"}))
    complaint(
        a,
        s,
        D(2024, 2, 1),
        ("accept", D(2024, 2, 2), {}),
        ("conclude", D(2024, 2, 20), {"result": "已解决"}),
        ("rate", D(2024, 2, 25), {"satisfaction": "satisfied"}),
    )
    complaint(a, s, D(2024, 12, 20), ("accept", D(2024, 12, 23), {}))
    complaint(a, s, D(2023, 5, 6), ("accept", D(2023, 5, 8), {}))  # last year's
    return district


# --- placeholders ---------------------------------------------------------------------------


def fake_display(ind, year, approx):
    values = {
        ("reconsideration.received", 2024): "19",
        ("reconsideration.received", 2023): "15",
        ("mailbox_letter.reply_rate", 2024): "100%",
        ("business_complaint.satisfaction_rate", 2024): "100%",
        ("business_complaint.received", 2024): "13000余" if approx else "13456",
    }
    try:
        return values[(ind.code, year)]
    except KeyError:
        raise LookupError(ind.code) from None


def text_of(text):
    return ["".join(p.text for p in para) for para in placeholders.render(text, 2024, fake_display)]


def test_placeholders_render_figures_previous_year_approx_and_all():
    assert text_of(
        "收到{{ reconsideration.received }}件（上年{{reconsideration.received|prev}}件）。\n\n"
        "办结{{ business_complaint.received|approx }}件，{{ business_complaint.received }}。"
    ) == ["收到19件（上年15件）。", "办结13000余件，13456。"]
    assert text_of(
        "回复率{{ mailbox_letter.reply_rate, business_complaint.satisfaction_rate|all:均为 }}"
    ) == ["回复率均为100%"]
    # a figure not computed is a visible placeholder naming its code
    paragraphs = placeholders.render("调解{{ mediation.court }}件", 2024, fake_display)
    piece = paragraphs[0][1]
    assert piece.text == "【待补：mediation.court】"
    assert piece.pending == ("mediation.court",)
    assert placeholders.todos("【待撰写：主要举措】其他") == ["主要举措"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ reconsideration.recieved }}", "reconsideration.recieved”不是已知的指标代码"),
        ("{{ reconsideration.received|round }}", "过滤器“round”无效"),
        ("{{ reconsideration.received, mailbox_letter.received }}", "多个指标要用 |all"),
        ("收到{{ reconsideration.received 件", "不成对"),
        ("{{ }}", "没有写指标代码"),
    ],
)
def test_bad_placeholders_are_refused_naming_the_placeholder(text, message, db):
    with pytest.raises(PlaceholderError, match=message):
        placeholders.validate(text, "（六）")


# --- assembly ---------------------------------------------------------------------------------


def test_assembled_figures_come_from_the_records(complaints):
    root = complaints["root"]
    report = assemble(root, 2024)
    got = {c: report.figures[c].value for c in report.figures if c.startswith("business_")}
    assert got["business_complaint.received"] == 3
    assert got["business_complaint.out_of_scope"] == 1
    assert got["business_complaint.in_scope"] == 2
    assert got["business_complaint.concluded"] == 1
    assert got["business_complaint.in_progress"] == 1
    assert got["business_complaint.satisfaction_rate"] == Decimal(100)
    section = next(s for s in report.sections if s.key == "1.1")
    text = "".join(p.text for para in section.paragraphs for p in para)
    assert (
        "接到营商环境投诉举报案件3件，区分非受理范围1件，受理范围2件，1件已办结，1件办理中" in text
    )
    # the template's prose markers and the figures not in the platform are listed
    assert section.todos and section.is_missing
    # a figure whose procedure is not in the platform yet is listed and marked where it stands
    pending = sorted({p.code for p in report.placeholders})
    if pending:
        whole = "".join(p.text for s in report.sections for para in s.paragraphs for p in para)
        assert f"【待补：{pending[0]}】" in whole
    assert "services.business_supervisors" not in pending  # computed (from its register)
    assert report.failures == []
    data = report.as_json()
    fig = next(f for f in data["figures"] if f["code"] == "business_complaint.received")
    assert fig == {
        "code": "business_complaint.received",
        "label": "营商环境投诉举报案件",
        "definition": fig["definition"],
        "unit": "件",
        "year": 2024,
        "as_of": "2024-12-31",
        "status": "computed",
        "value": 3,
        "display": "3",
        "approx": "3",
    }
    # a figure whose procedure is not built yet (which ones are shrinks as domains are built)
    for pending in (f for f in data["figures"] if f["status"] == "pending"):
        assert pending["value"] is None and pending["reason"], pending["code"]


def test_previous_year_figure_beside_this_year(complaints):
    report = assemble(
        complaints["root"],
        2024,
        texts={
            "1.1": "收到{{ business_complaint.received }}件（上年{{ business_complaint.received|prev }}件）"
        },
    )
    section = next(s for s in report.sections if s.key == "1.1")
    assert placeholders.plain_text(section.paragraphs[0]) == "收到3件（上年1件）"
    assert report.as_json()["previous_year"][0]["value"] == 1


def test_cut_off_moves_the_figures(complaints):
    report = assemble(complaints["root"], 2024, D(2024, 1, 31))
    assert report.figures["business_complaint.received"].value == 1
    assert report.as_of == D(2024, 1, 31)
    with pytest.raises(ReportError, match="早于"):
        assemble(complaints["root"], 2024, D(2023, 1, 31))


def test_frozen_figures_round_trip(complaints):
    figures = compute_figures(complaints["root"], 2024)
    assert figures_from_json(json.loads(json.dumps(figures_to_json(figures)))) == figures
    assert isinstance(figures["business_complaint.satisfaction_rate"], Figure)


def test_bad_text_is_refused_on_save_and_versions_are_kept(complaints, users):
    report = create_report(complaints["root"], 2024, by=users["office"])
    section = report.sections.get(key="1.6")
    with pytest.raises(ReportError, match="不是已知的指标代码"):
        save_text(section, "收到{{ reconsideration.recieved }}件", users["office"])
    v2 = save_text(section, "收到{{ reconsideration.received }}件。", users["staff_a"], "起草")
    assert v2 is not None and v2.number == 2
    assert save_text(section, "收到{{ reconsideration.received }}件。", users["staff_a"]) is None
    v1 = SectionVersion.objects.get(section=section, number=1)
    lines = diff(v1.text, v2.text, "v1", "v2")
    assert "+收到{{ reconsideration.received }}件。" in lines
    with pytest.raises(ReportError, match="已经建立"):
        create_report(complaints["root"], 2024)


# --- the command ------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "annual", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_command_writes_each_format_and_refuses_bad_input(complaints, tmp_path, capsys):
    data = json.loads(run("--org", "220302", "--year", "2024", "--format", "json"))
    # every figure of the template may be computed by now: the list is there, possibly empty
    assert data["year"] == 2024 and isinstance(data["placeholders"], list)
    assert "已写入" in run(
        "--org", "220302", "--year", "2024", "--format", "json,md", "-o", str(tmp_path)
    )
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert md.startswith("# 测试区人民政府\n# 关于2024年度法治政府建设情况的报告")
    assert ("待补数字" in capsys.readouterr().err) == bool(data["placeholders"])
    with pytest.raises(CommandError, match="格式“odt”无效"):
        run("--org", "220302", "--year", "2024", "--format", "odt")
    with pytest.raises(CommandError, match="需要用 -o"):
        run("--org", "220302", "--year", "2024", "--format", "docx")
    with pytest.raises(CommandError, match="999999"):
        run("--org", "999999", "--year", "2024")
    with pytest.raises(CommandError, match="格式错误"):
        run("--org", "220302", "--year", "2024", "--as-of", "2024-13-01")
    with pytest.raises(CommandError, match="尚未印发"):
        run("--org", "220302", "--year", "2024", "--issued")
