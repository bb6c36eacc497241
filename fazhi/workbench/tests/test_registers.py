"""The registers' workbench screens (one URL set for every register) and their admin: the list
with its as-of filter, the entry with its audit history, the form, delete, xlsx export and
import, and who may do what (another department's entry is a 404)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.tests.sample.models import SampleServiceItem

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 16)
ARGS = ["sample", "sampleserviceitem"]


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def url(name, *extra):
    return reverse(f"workbench:register-{name}", args=[*ARGS, *extra])


def item(org, name, valid_from=None, valid_to=None, **kw):
    return SampleServiceItem.objects.create(
        org=org,
        name=name,
        category="permit",
        legal_days=kw.pop("legal_days", 20),
        committed_days=kw.pop("committed_days", 5),
        valid_from=valid_from or D(2024, 1, 1),
        valid_to=valid_to,
        **kw,
    )


def form_data(org, **kw):
    values = {
        "name": "建设工程规划许可",
        "category": "permit",
        "legal_days": "20",
        "committed_days": "10",
        "online": "on",
        "org": str(org.pk),
        "valid_from": "2025-01-01",
        "valid_to": "",
    }
    values.update(kw)
    return values


def test_index_and_list_with_the_as_of_filter(district, users, as_user):
    a = district["a"]
    item(a, "已到期事项", D(2024, 1, 1), D(2025, 6, 15))
    item(a, "在用事项", D(2024, 1, 1))
    item(a, "明日施行事项", D(2025, 6, 17))
    item(district["b"], "他局事项")
    c = as_user(users["staff_a"])
    index = c.get(reverse("workbench:register-index"))
    assert index.status_code == 200
    assert "示例政务服务事项" in index.content.decode()
    assert url("list") in index.content.decode()
    assert 'href="/workbench/registers/"' in index.content.decode()  # in the navigation

    page = c.get(url("list")).content.decode()  # today by default
    assert "在用事项" in page
    assert "已到期事项" not in page and "明日施行事项" not in page
    assert "他局事项" not in page  # another department's entries are not listed
    assert "2025-06-16 有效的记录" in page  # staff pages: dates as YYYY-MM-DD

    page = c.get(url("list"), {"on": "2025-06-15"}).content.decode()
    assert "已到期事项" in page and "明日施行事项" not in page
    page = c.get(url("list"), {"all": "1"}).content.decode()
    assert all(n in page for n in ("已到期事项", "在用事项", "明日施行事项"))
    assert "他局事项" not in page

    bad = c.get(url("list"), {"on": "2025-13-01"})
    assert bad.status_code == 200
    assert "日期“2025-13-01”格式错误" in bad.content.decode()

    assert c.get(reverse("workbench:register-list", args=["sample", "nothing"])).status_code == 404


def test_detail_shows_the_audit_history_and_another_department_gets_404(district, users, as_user):
    c = as_user(users["staff_a"])
    response = c.post(url("create"), form_data(district["a"]))
    entry = SampleServiceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", entry.pk)
    page = c.get(url("detail", entry.pk)).content.decode()
    assert "建设工程规划许可" in page and "新增登记" in page and "今日有效" in page
    assert "register.create" not in page

    assert as_user(users["staff_b"]).get(url("detail", entry.pk)).status_code == 404
    assert as_user(users["staff_b"]).get(url("edit", entry.pk)).status_code == 404
    assert as_user(users["staff_b"]).post(url("delete", entry.pk)).status_code == 404
    assert as_user(users["leader"]).get(url("detail", entry.pk)).status_code == 200
    assert SampleServiceItem.objects.count() == 1


def test_edit_form_goes_through_the_service(district, users, as_user):
    entry = item(district["a"], "企业设立登记")
    c = as_user(users["staff_a"])
    form = c.get(url("edit", entry.pk))
    assert form.status_code == 200 and "企业设立登记" in form.content.decode()
    refused = c.post(url("edit", entry.pk), form_data(district["a"], committed_days="30"))
    assert refused.status_code == 200
    assert "承诺时限不能超过法定时限。" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.committed_days == 5 and not AuditEvent.objects.for_object(entry).exists()

    done = c.post(url("edit", entry.pk), form_data(district["a"], valid_to="2025-12-31"))
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.valid_to == D(2025, 12, 31) and entry.name == "建设工程规划许可"
    event = AuditEvent.objects.for_object(entry).get()
    assert event.action == "register.update" and event.actor == users["staff_a"]
    assert event.data["changes"]["valid_to"] == [None, "2025-12-31"]


def test_the_form_offers_only_units_the_user_may_change(district, users, as_user):
    c = as_user(users["staff_a"])
    page = c.get(url("create")).content.decode()
    assert "测试区司法局" in page and "测试区市场监督管理局" not in page
    refused = c.post(url("create"), form_data(district["b"]))  # a forged choice
    assert refused.status_code == 200 and not SampleServiceItem.objects.exists()
    assert "errorlist" in refused.content.decode()
    # leaders read only
    assert as_user(users["leader"]).get(url("create")).status_code == 403
    assert as_user(users["leader"]).post(url("create"), form_data(district["a"])).status_code == 403
    assert not SampleServiceItem.objects.exists()


def test_delete_records_the_event(district, users, as_user):
    entry = item(district["a"], "作废事项")
    pk = entry.pk
    assert as_user(users["leader"]).post(url("delete", pk)).status_code == 403
    response = as_user(users["head_a"]).post(url("delete", pk))
    assert response.status_code == 302
    assert not SampleServiceItem.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="register.delete", object_id=str(pk))
    assert event.data["name"] == "作废事项" and event.actor == users["head_a"]


def test_export_and_import_through_the_workbench(district, users, as_user):
    item(district["a"], "企业设立登记")
    item(district["b"], "他局事项")
    c = as_user(users["staff_a"])
    response = c.get(url("export"), {"all": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert [r[1] for r in rows[1:]] == ["企业设立登记"]  # only what the user may see

    assert c.get(url("import")).status_code == 200
    book = Workbook()
    ws = book.active
    ws.append(rows[0])
    ws.append([None, "食品经营许可", "行政许可", 20, 5, "是", "测试区司法局", "2025-01-01", None])
    ws.append([None, "药品经营许可", "许可", 20, 5, "是", "测试区司法局", "2025-01-01", None])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "items.xlsx"
    refused = c.post(url("import"), {"file": out})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "未导入任何记录" in page and "“许可”不是可选值" in page and "<td>3</td>" in page
    assert SampleServiceItem.objects.count() == 2  # nothing of the file saved

    junk = io.BytesIO(b"plain text")
    junk.name = "items.xlsx"
    refused = c.post(url("import"), {"file": junk})
    assert refused.status_code == 422 and "无法读取文件" in refused.content.decode()
    assert as_user(users["leader"]).get(url("import")).status_code == 403


def test_admin_changes_go_through_the_service(district, users, client, admin_user):
    client.force_login(admin_user)
    add = reverse("admin:sample_sampleserviceitem_add")
    assert client.get(add).status_code == 200
    data = form_data(district["a"], valid_from="2025-01-01", online="on")
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = SampleServiceItem.objects.get()
    event = AuditEvent.objects.for_object(entry).get()
    assert event.action == "register.create" and event.actor == admin_user
    change = reverse("admin:sample_sampleserviceitem_change", args=[entry.pk])
    client.post(change, {**data, "committed_days": "7"})
    entry.refresh_from_db()
    assert entry.committed_days == 7
    assert AuditEvent.objects.for_object(entry).first().action == "register.update"
    client.post(reverse("admin:sample_sampleserviceitem_delete", args=[entry.pk]), {"post": "yes"})
    assert not SampleServiceItem.objects.exists()
    assert AuditEvent.objects.filter(action="register.delete").count() == 1
