"""Registers (fazhi.core.registers, register_io): as-of queries, scope, the one change service
with its audit events, and the xlsx round trip. The register is the test-only sample domain's
``SampleServiceItem`` (fazhi/tests/sample)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from fazhi.core.models import AuditEvent
from fazhi.core.register_io import RegisterFileError, export_xlsx, import_xlsx
from fazhi.core.registers import (
    RegisterEntry,
    all_registers,
    delete_entry,
    get_register,
    register_of,
    register_register,
    save_entry,
)
from fazhi.tests.sample.models import SampleServiceItem

pytestmark = pytest.mark.django_db

D = dt.date
REGISTER = register_of(SampleServiceItem)


def item(org, name="企业设立登记", valid_from=None, valid_to=None, **kw):
    kw.setdefault("category", "permit")
    kw.setdefault("legal_days", 20)
    kw.setdefault("committed_days", 5)
    return SampleServiceItem.objects.create(
        org=org, name=name, valid_from=valid_from or D(2024, 1, 1), valid_to=valid_to, **kw
    )


def data(org, **kw):
    values = {
        "name": "建设工程规划许可",
        "category": "permit",
        "legal_days": 20,
        "committed_days": 10,
        "online": True,
        "org": org,
        "valid_from": D(2024, 3, 1),
        "valid_to": None,
    }
    values.update(kw)
    return values


# --- as-of queries and scope ----------------------------------------------------------------


def test_valid_on_includes_both_boundary_days_and_open_ended_entries(district):
    a = district["a"]
    closed = item(a, "到期事项", D(2024, 3, 1), D(2024, 6, 30))
    open_ended = item(a, "长期事项", D(2024, 6, 30))
    qs = SampleServiceItem.objects

    def on(day):
        return set(qs.valid_on(day).values_list("name", flat=True))

    assert on(D(2024, 2, 29)) == set()
    assert on(D(2024, 3, 1)) == {"到期事项"}  # the first day counts
    assert on(D(2024, 6, 29)) == {"到期事项"}
    assert on(D(2024, 6, 30)) == {"到期事项", "长期事项"}  # the last day counts too
    assert on(D(2024, 7, 1)) == {"长期事项"}
    assert on(D(2099, 1, 1)) == {"长期事项"}
    assert closed.is_valid_on(D(2024, 6, 30)) and not closed.is_valid_on(D(2024, 7, 1))
    assert open_ended.is_valid_on(D(2099, 1, 1)) and not open_ended.is_valid_on(D(2024, 6, 29))


def test_org_subtree_and_user_scope(district, users):
    item(district["a"], "司法局事项")
    item(district["a1"], "复议股事项")
    item(district["b"], "市场监管事项")
    qs = SampleServiceItem.objects

    def names(q):
        return set(q.values_list("name", flat=True))

    assert names(qs.for_org_subtree(district["a"])) == {"司法局事项", "复议股事项"}
    assert names(qs.for_org_subtree(district["root"])) == {
        "司法局事项",
        "复议股事项",
        "市场监管事项",
    }
    assert names(qs.for_user(users["staff_a"])) == {"司法局事项", "复议股事项"}
    assert names(qs.for_user(users["staff_b"])) == {"市场监管事项"}
    assert len(names(qs.for_user(users["leader"]))) == 3
    assert names(qs.for_user(None)) == set()
    # chained: in force on a day within a subtree
    assert names(qs.for_org_subtree(district["a"]).valid_on(D(2023, 12, 31))) == set()


def test_the_database_refuses_an_end_before_the_start(district):
    with pytest.raises(ValidationError) as info:
        save_entry(
            SampleServiceItem,
            data(district["a"], valid_from=D(2024, 5, 1), valid_to=D(2024, 4, 30)),
            by=None,
        )
    assert "有效期止不能早于有效期起" in str(info.value)


def test_the_registry(district):
    assert get_register("sample.sampleserviceitem") is REGISTER
    assert REGISTER in all_registers()
    assert REGISTER.columns == (
        "name", "category", "legal_days", "committed_days", "online", "org", "valid_from", "valid_to"
    )  # fmt: skip
    assert REGISTER.nav == "示例"
    with pytest.raises(ImproperlyConfigured):
        register_register(RegisterEntry)  # the abstract base is no register
    with pytest.raises(ImproperlyConfigured, match="没有字段 nope"):
        register_register(SampleServiceItem, fields=("nope",))
    assert get_register("sample.sampleserviceitem") is REGISTER  # a refused call changes nothing
    for f in SampleServiceItem._meta.concrete_fields:
        assert f.primary_key or f.help_text, f.name


# --- the change service and its audit events ------------------------------------------------


def test_create_update_delete_each_record_one_audit_event(district, users):
    staff = users["staff_a"]
    entry = save_entry(SampleServiceItem, data(district["a"]), by=staff)
    created = AuditEvent.objects.for_object(entry).get()
    assert created.action == "register.create"
    assert created.actor == staff
    assert created.org == district["a"]
    assert created.data["register"] == "sample.sampleserviceitem"
    assert created.data["valid_from"] == "2024-03-01"
    assert created.data["org"] == district["a"].pk

    save_entry(
        SampleServiceItem,
        {"committed_days": 8, "valid_to": D(2024, 12, 31)},
        by=staff,
        instance=entry,
    )
    update = AuditEvent.objects.for_object(entry).first()
    assert update is not None and update.action == "register.update"
    assert update.data["changes"] == {"committed_days": [10, 8], "valid_to": [None, "2024-12-31"]}

    # saving the same values again changes nothing and records nothing
    save_entry(SampleServiceItem, {"committed_days": 8}, by=staff, instance=entry)
    assert AuditEvent.objects.for_object(entry).count() == 2

    pk = entry.pk
    delete_entry(entry, by=staff)
    assert not SampleServiceItem.objects.filter(pk=pk).exists()
    deleted = AuditEvent.objects.filter(object_type="sample.sampleserviceitem", object_id=str(pk))
    assert [e.action for e in deleted] == ["register.delete", "register.update", "register.create"]
    assert deleted[0].data["committed_days"] == 8


def test_a_refused_change_saves_nothing_and_records_nothing(district, users):
    staff = users["staff_a"]
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        save_entry(SampleServiceItem, data(district["a"], committed_days=30), by=staff)
    assert info.value.message_dict == {"committed_days": ["承诺时限不能超过法定时限。"]}
    with pytest.raises(PermissionDenied, match="测试区市场监督管理局"):
        save_entry(SampleServiceItem, data(district["b"]), by=staff)  # another department
    with pytest.raises(PermissionDenied):
        save_entry(SampleServiceItem, data(district["a"]), by=users["leader"])  # leaders read
    assert not SampleServiceItem.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_entry_cannot_be_moved_from_or_into_a_unit_out_of_reach(district, users):
    theirs = item(district["b"], "市场监管事项")
    mine = item(district["a"], "司法局事项")
    with pytest.raises(PermissionDenied):
        save_entry(SampleServiceItem, {"org": district["a"]}, by=users["staff_a"], instance=theirs)
    with pytest.raises(PermissionDenied):
        save_entry(SampleServiceItem, {"org": district["b"]}, by=users["staff_a"], instance=mine)
    with pytest.raises(PermissionDenied):
        delete_entry(theirs, by=users["staff_a"])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.org, theirs.org) == (district["a"], district["b"])
    # the office acts everywhere
    save_entry(SampleServiceItem, {"org": district["a1"]}, by=users["office"], instance=theirs)
    theirs.refresh_from_db()
    assert theirs.org == district["a1"]


# --- xlsx -----------------------------------------------------------------------------------


def sheet(rows, header=None):
    book = Workbook()
    ws = book.active
    ws.append(header or ["编号", *(REGISTER.verbose(n) for n in REGISTER.columns)])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_xlsx_round_trip(district, users):
    item(district["a"], "企业设立登记", D(2024, 1, 1), D(2024, 12, 31), online=True)
    item(district["a1"], "复议申请受理", D(2024, 2, 1), legal_days=5, committed_days=3)
    body = export_xlsx(REGISTER, SampleServiceItem.objects.order_by("pk"))
    book = load_workbook(io.BytesIO(body))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("编号", "事项名称", "事项类型", "法定时限（工作日）", "承诺时限（工作日）",
                       "可网办", "所属机构", "有效期起", "有效期止")  # fmt: skip
    assert rows[1][1:7] == ("企业设立登记", "行政许可", 20, 5, "是", "测试区司法局")
    assert [cell.date() for cell in rows[1][7:]] == [D(2024, 1, 1), D(2024, 12, 31)]
    assert book["说明"]["A3"].value == "事项名称"

    # the export imported as is changes nothing
    report = import_xlsx(REGISTER, io.BytesIO(body), by=users["office"])
    assert report.committed and (report.rows, report.unchanged, report.created) == (2, 2, 0)

    # the export emptied of its ids and re-imported into a clean table gives the same entries
    before = [
        tuple(REGISTER.model.objects.filter(pk=r[0]).values_list(*REGISTER.columns).get())
        for r in rows[1:]
    ]
    SampleServiceItem.objects.all().delete()
    report = import_xlsx(REGISTER, sheet([(None, *r[1:]) for r in rows[1:]]), by=users["office"])
    assert report.committed and report.created == 2, report.errors
    after = list(SampleServiceItem.objects.order_by("pk").values_list(*REGISTER.columns))
    assert after == before
    assert AuditEvent.objects.filter(action="register.create").count() == 2


def test_xlsx_import_updates_by_id(district, users):
    entry = item(district["a"], "企业设立登记")
    row = [
        entry.pk,
        "企业设立登记",
        "行政许可",
        20,
        3,
        "否",
        "测试区司法局",
        "2024-01-01",
        "2025-06-30",
    ]
    report = import_xlsx(REGISTER, sheet([row]), by=users["staff_a"])
    assert report.committed and report.updated == 1
    entry.refresh_from_db()
    assert (entry.committed_days, entry.valid_to) == (3, D(2025, 6, 30))
    event = AuditEvent.objects.for_object(entry).get()
    assert event.data["changes"]["committed_days"] == [5, 3]


def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_saved(district, users):
    good = [None, "企业设立登记", "行政许可", 20, 5, "是", "测试区司法局", "2024-01-01", None]
    rows = [
        good,
        [None, "食品经营许可", "行政审批", 20, 5, "是", "测试区司法局", "2024-01-01", None],
        [None, "药品经营许可", "行政许可", 20, 25, "否", "测试区司法局", "2024-13-01", None],
        [None, "", "行政许可", 20, 30, "否", "测试区司法局", "2024-01-01", None],
        [None, "广告发布登记", "行政许可", 20, 5, "是", "测试区市场监督管理局", "2024-01-01", None],
        [None, "烟草专卖许可", "行政许可", 20, 30, "是", "测试区司法局", "2024-01-01", None],
        [None, "户外广告许可", "行政许可", 20, 5, "是", "不存在的局", "2024-01-01", None],
    ]
    report = import_xlsx(REGISTER, sheet(rows), by=users["staff_a"])
    assert not report.committed
    assert not SampleServiceItem.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="register.").exists()
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(3, "事项类型")] == "“行政审批”不是可选值，应为：行政许可、公共服务。"
    assert "不是有效日期" in found[(4, "有效期起")]
    assert found[(5, "事项名称")] == "必须填写。"
    assert "测试区市场监督管理局" in found[(6, "所属机构")]  # another department: refused
    assert found[(7, "承诺时限（工作日）")] == "承诺时限不能超过法定时限。"
    assert found[(8, "所属机构")] == "没有名为“不存在的局”的机构。"
    assert (2, "事项名称") not in found and report.rejected == 6
    assert str(report.errors[0]).startswith("第3行“事项类型”：")
    assert report.summary().endswith("拒绝6行。未导入任何记录。")


def test_an_unreadable_file_or_a_wrong_header_is_refused_as_a_whole(district, users):
    with pytest.raises(RegisterFileError, match="xlsx"):
        import_xlsx(REGISTER, io.BytesIO(b"not a spreadsheet"), by=users["office"])
    header = ["编号", "事项名称", "类别"]
    with pytest.raises(RegisterFileError, match="未知的列“类别”"):
        import_xlsx(REGISTER, sheet([], header=header), by=users["office"])
    with pytest.raises(RegisterFileError, match="缺少列“事项类型”"):
        import_xlsx(REGISTER, sheet([], header=["事项名称"]), by=users["office"])


def test_an_id_out_of_scope_is_refused(district, users):
    theirs = item(district["b"], "市场监管事项")
    row = [theirs.pk, "改名", "行政许可", 20, 5, "是", "测试区司法局", "2024-01-01", None]
    report = import_xlsx(REGISTER, sheet([row]), by=users["staff_a"])
    assert not report.committed
    assert report.errors[0].column == "编号"
    theirs.refresh_from_db()
    assert theirs.name == "市场监管事项"
