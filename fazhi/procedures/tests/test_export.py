"""``fazhi export`` and templates: round trips that change nothing, and scoped downloads."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.procedures.declarations import all_procedures, get_procedure
from fazhi.procedures.importing import import_file, template_columns
from fazhi.procedures.models import Matter, Step
from fazhi.procedures.tests.test_import import ID, complaint, rows, write

pytestmark = pytest.mark.django_db

LINES: list[dict[str, Any]] = [
    complaint("YS-2025-000001"),
    complaint(
        "YS-2025-000002",
        steps=[
            {"action": "transfer", "on": "2025-03-04", "data": {"to_org": "测试区市场监督管理局", "reason": "职责"}},
            {"action": "accept", "on": "2025-03-05", "mailed_on": "2025-03-04"},
            {"action": "suspend", "on": "2025-03-06", "data": {"reason": "鉴定"}},
        ],
    ),
    {
        "procedure": "reconsideration",
        "reference": "FY-2025-000007",
        "org": "测试区司法局",
        "received_on": "2025-03-07",
        "subject": "不服罚款决定",
        "channel": "letter",
        "mailed_on": "2025-03-05",
        "party": {"name": "李四", "id_number": ID, "address": "四平市铁西区"},
        "details": {"respondent": "某局", "contested_act": "罚款500元"},
        "steps": [
            {"action": "accept", "on": "2025-03-10", "data": {"simplified": True}},
            {"action": "decide", "on": "2025-04-01", "data": {"outcome": "revoked", "document_number": "铁复决〔2025〕7号"}},
        ],
    },
    {
        "procedure": "help_request",
        "reference": "BC-2025-000003",
        "org": "220302",
        "received_on": "2025-05-06",
        "subject": "办证难",
        "details": {"kind": "help", "content": "跑了三次"},
        "steps": [{"action": "refuse", "on": "2025-05-07", "data": {"reason": "不属于受理范围"}}],
    },
    {
        "procedure": "mailbox_letter",
        "reference": "XX-2025-000009",
        "org": "测试街道办事处",
        "received_on": "2025-06-02",
        "subject": "路灯不亮",
        "channel": "web",
        "details": {"content": "路灯坏了", "consent_publish": True},
        "steps": [
            {"action": "reply", "on": "2025-06-10", "data": {"reply": "已修复"}},
            {"action": "rate", "on": "2025-06-12", "data": {"satisfaction": "basically_satisfied", "comment": "慢"}, "by": "public"},
        ],
    },
]  # fmt: skip


def export_all(tmp_path: Path, fmt: str) -> list[Path]:
    paths = []
    for code in ("business_complaint", "reconsideration", "help_request", "mailbox_letter"):
        path = tmp_path / f"{code}.{fmt}"
        call_command("export", procedure=code, year=2025, format=fmt, output=str(path))
        paths.append(path)
    return paths


def wipe() -> None:
    Step.objects.all().delete()
    Matter.objects.all().delete()


def test_jsonl_round_trip_changes_nothing(district, tmp_path):
    import_file(write(tmp_path, LINES))
    before = rows()
    assert len(before[0]) == 5
    paths = export_all(tmp_path, "jsonl")
    exported = [json.loads(x) for p in paths for x in p.read_text(encoding="utf-8").splitlines()]
    assert len(exported) == 5
    assert (
        next(r for r in exported if r["reference"] == "XX-2025-000009")["steps"][1]["by"]
        == "public"
    )
    for path in paths:  # re-importing into the same database is a no-op
        assert import_file(path).created == 0
    wipe()
    for path in paths:
        import_file(path)
    assert rows() == before  # matters and steps, field by field


def test_xlsx_and_csv_round_trip_for_matters_a_row_can_hold(district, tmp_path):
    import_file(write(tmp_path, LINES))
    before = rows()
    for fmt in ("xlsx", "csv"):
        paths = export_all(tmp_path, fmt)
        wipe()
        for path in paths:
            report = import_file(path)
            assert report.rejected == 0, report.errors
        after = rows()
        # the transferred-and-suspended complaint cannot be a template row: left out
        assert [m for m in before[0] if m[1] != "YS-2025-000002"] == after[0]
        assert [s for s in before[1] if s[1] != "YS-2025-000002"] == after[1]
        wipe()
        import_file(write(tmp_path, LINES))


def test_xlsx_export_names_what_it_left_out(district, tmp_path):
    import_file(write(tmp_path, LINES))
    path = tmp_path / "bc.xlsx"
    call_command("export", procedure="business_complaint", format="xlsx", output=str(path))
    wb = load_workbook(path)
    assert [c.value for c in wb["未导出"]["A"]][1:] == ["YS-2025-000002"]


@pytest.mark.parametrize(
    "code", ["business_complaint", "help_request", "reconsideration", "mailbox_letter"]
)
def test_template_for_every_procedure(district, tmp_path, code):
    assert code in {p.code for p in all_procedures()}
    procedure = get_procedure(code)
    path = tmp_path / "t.xlsx"
    call_command("import", "template", code, output=str(path))
    wb = load_workbook(path)
    sheet, guide = wb.worksheets[0], wb["说明"]
    columns = template_columns(procedure)
    assert [c.value for c in sheet[1]] == [c.code for c in columns]
    assert [c.value for c in sheet[2]] == [c.label for c in columns]
    codes = [c.code for c in columns]
    assert codes[:4] == ["reference", "org", "received_on", "subject"]
    own = [a.name for a in procedure.actions]
    assert [c.split(".")[0] for c in codes if c.endswith(".on") and "." in c] == own
    assert not any(c.startswith(("transfer.", "suspend.")) for c in codes)
    guide_codes = [r[0].value for r in guide.iter_rows(min_row=2) if r[0].value]
    assert guide_codes[: len(codes)] == codes
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"窗口,电话,信件,网站,移动端,12345热线,接口,导入,来访,其他事项转入,其他"' in lists


def _filled(code: str) -> dict[str, Any]:
    base = {
        "reference": f"T-{code}",
        "org": "220302",
        "received_on": "2025-03-03",
        "subject": "填表",
    }
    return {
        "business_complaint": {**base, "accept.on": "2025-03-04", "conclude.on": "2025-03-10",
                               "conclude.result": "已办结", "rate.on": "2025-03-12",
                               "rate.satisfaction": "不满意", "request_reopen.on": "2025-03-13",
                               "request_reopen.reason": "未解决"},
        "help_request": {**base, "details.kind": "咨询", "refuse.on": "2025-03-04",
                         "refuse.reason": "不属于"},
        "reconsideration": {**base, "party_name": "王五", "party_id_number": ID,
                            "details.respondent": "某局", "details.contested_act": "处罚",
                            "accept.on": "2025-03-05", "accept.simplified": "是",
                            "decide.on": "2025-03-20", "decide.outcome": "维持"},
        "mailbox_letter": {**base, "reply.on": "2025-03-05", "reply.reply": "已答复"},
    }[code]  # fmt: skip


@pytest.mark.parametrize(
    "code", ["business_complaint", "help_request", "reconsideration", "mailbox_letter"]
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_filled_template_imports(district, tmp_path, code, fmt):
    path = tmp_path / f"t.{fmt}"
    call_command("import", "template", code, output=str(path))
    columns = [c.code for c in template_columns(get_procedure(code))]
    values = _filled(code)
    row = [values.get(c, "") for c in columns]
    if fmt == "xlsx":
        wb = load_workbook(path)
        wb.worksheets[0].append(row)
        wb.save(path)
    else:
        with path.open("a", encoding="utf-8", newline="") as out:
            out.write(",".join(row) + "\r\n")
    report = import_file(path)
    assert report.rejected == 0, report.errors
    m = Matter.objects.get(reference=f"T-{code}")
    expected = {
        "business_complaint": ("in_scope", "dissatisfied"),
        "help_request": ("out_of_scope", ""),
        "reconsideration": ("decided", ""),
        "mailbox_letter": ("replied", ""),
    }[code]
    assert (m.state, m.satisfaction) == expected
    if code == "reconsideration":
        assert m.outcome == "upheld" and m.details["simplified"] is True
        assert m.due_on is None and m.party_kind == "person"
    if code == "business_complaint":
        assert m.steps.get(action="request_reopen").actor_label == "公众"


def test_template_row_errors_name_the_column(district, tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("import", "template", "reconsideration", output=str(path))
    columns = [c.code for c in template_columns(get_procedure("reconsideration"))]
    values = {**_filled("reconsideration"), "decide.outcome": "大概维持"}
    wb = load_workbook(path)
    wb.worksheets[0].append([values.get(c, "") for c in columns])
    wb.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="整个文件未导入"):
        call_command("import", str(path), quiet=True, stderr=err)
    assert "第3行，decide.outcome：“决定类型”的值 '大概维持' 不在可选范围内" in err.getvalue()
    assert not Matter.objects.exists()


def test_header_that_does_not_match_a_template(district, tmp_path):
    wb = Workbook()
    wb.active.append(["reference", "org", "received_on", "subject", "accept.on", "colour"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(CommandError, match=r"第1行表头与.*模板不符.*多出列：.*colour"):
        call_command("import", str(tmp_path / "x.xlsx"), quiet=True)


def test_export_command_scoped_to_an_org(district, tmp_path):
    import_file(write(tmp_path, LINES))
    out = tmp_path / "a.jsonl"
    call_command(
        "export", procedure="reconsideration", org="测试区司法局", output=str(out), format="jsonl"
    )
    assert [json.loads(x)["reference"] for x in out.read_text().splitlines()] == ["FY-2025-000007"]
    call_command("export", procedure="reconsideration", org="测试区市场监督管理局", output=str(out))
    assert out.read_text() == ""
    with pytest.raises(CommandError, match="未知的程序"):
        call_command("export", procedure="parking", output=str(out))


# --- workbench downloads ----------------------------------------------------------------------


def _download(client: Any, user: Any, url: str) -> bytes:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def test_department_staff_export_only_their_matters(district, users, client, tmp_path):
    import_file(write(tmp_path, LINES))
    url = reverse("procedures:export", args=["business_complaint"]) + "?format=jsonl&year=2025"
    # YS-2025-000002 was transferred to department b; YS-2025-000001 stayed at the district
    mine = _download(client, users["staff_b"], url).decode().splitlines()
    assert [json.loads(x)["reference"] for x in mine] == ["YS-2025-000002"]
    assert _download(client, users["staff_a"], url) == b""
    everything = _download(client, users["admin"], url).decode().splitlines()
    assert len(everything) == 2
    for fmt in ("csv", "xlsx"):
        body = _download(client, users["staff_a"], url.replace("jsonl", fmt))
        if fmt == "csv":
            assert body.decode("utf-8-sig").count("\n") == 2  # the two header rows only
        else:
            assert load_workbook(io.BytesIO(body)).worksheets[0].max_row == 2


def test_template_download_and_index(district, users, client):
    client.force_login(users["staff_a"])
    page = client.get(reverse("procedures:io"))
    assert page.status_code == 200 and "行政复议" in page.content.decode()
    body = _download(
        client, users["staff_a"], reverse("procedures:template", args=["reconsideration", "xlsx"])
    )
    assert load_workbook(io.BytesIO(body))["说明"]["A1"].value == "列代码"
    assert client.get(reverse("procedures:template", args=["nope", "xlsx"])).status_code == 404
    assert (
        client.get(reverse("procedures:template", args=["reconsideration", "pdf"])).status_code
        == 404
    )
    client.logout()
    assert client.get(reverse("procedures:io")).status_code == 302
