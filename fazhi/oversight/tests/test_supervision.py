"""Supervision activities with their files: recording (all or nothing, audited), adding files,
and the staff pages — the list and its filters, one activity, its files; another department
gets 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.models import AuditEvent, Role
from fazhi.core.tests.fixtures import staff_user
from fazhi.oversight.models import ActivityFile
from fazhi.oversight.supervision import add_activity_files, record_supervision
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.models import Activity

pytestmark = pytest.mark.django_db

D = dt.date
PDF = b"%PDF-1.4 audit report"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def audit(district, users):
    return record_supervision(
        "audit",
        org=district["a"],
        on=D(2024, 5, 6),
        title="2023年度预算执行审计",
        figures={"issues_found": 7, "amount": "120.5", "rectified": 5},
        files=[("审计报告.pdf", PDF)],
        by=users["staff_a"],
    )


def test_recording_with_files_is_one_audited_change(audit, users):
    assert audit.figures == {"issues_found": 7, "amount": "120.5", "rectified": 5}
    (item,) = ActivityFile.objects.filter(activity=audit)
    assert (item.name, item.size, item.content_type) == (
        "审计报告.pdf",
        len(PDF),
        "application/pdf",
    )
    actions = set(AuditEvent.objects.for_object(audit).values_list("action", flat=True))
    assert actions == {"activity.record", "activity.attach"}


def test_one_bad_file_records_nothing(district, users):
    with pytest.raises(InvalidData, match=r"内容与扩展名 \.pdf 不符"):
        record_supervision(
            "statistics_supervision",
            org=district["a"],
            on=D(2024, 6, 1),
            title="统计监督与审计监督会商",
            files=[("纪要.pdf", PDF), ("实施细则.pdf", b"not a pdf")],
            by=users["staff_a"],
        )
    assert not Activity.objects.filter(kind="statistics_supervision").exists()
    assert not ActivityFile.objects.exists()


def test_only_the_supervision_kinds_and_the_users_units(district, users):
    with pytest.raises(InvalidData, match="督查、审计或统计监督贯通协同"):
        record_supervision(
            "safety_training", org=district["a"], on=D(2024, 6, 1), title="x", by=None
        )
    with pytest.raises(NotAllowed):
        record_supervision(
            "field_supervision", org=district["a"], on=D(2024, 6, 1), title="x", by=users["staff_b"]
        )


def test_adding_files_is_all_or_nothing_and_scoped(audit, users):
    with pytest.raises(InvalidData, match="不是 UTF-8"):
        add_activity_files(
            audit, [("整改.txt", "整改情况".encode()), ("b.txt", b"\xff\xfe")], by=None
        )
    assert ActivityFile.objects.filter(activity=audit).count() == 1
    with pytest.raises(NotAllowed):
        add_activity_files(audit, [("a.txt", b"ok")], by=users["staff_b"])
    added = add_activity_files(audit, [("整改.txt", "整改情况".encode())], by=users["staff_a"])
    assert [f.name for f in added] == ["整改.txt"]


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def three(district, users, audit):
    field = record_supervision(
        "field_supervision",
        org=district["a"],
        on=D(2024, 3, 1),
        title="优化营商环境重点任务实地督查",
        figures={"issues_found": 3},
        by=users["staff_a"],
    )
    coordination = record_supervision(
        "statistics_supervision",
        org=district["b"],
        on=D(2025, 1, 10),
        title="统计监督与纪检监察贯通协同会商",
        figures={"clues_transferred": 2},
        files=[("会议纪要.txt", "会商纪要".encode())],
        by=users["staff_b"],
    )
    return {"audit": audit, "field": field, "coordination": coordination}


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("oversight:supervision"), params)
    assert response.status_code == 200
    return response, {r["a"].pk for r in response.context["rows"]}


def test_the_list_and_its_filters(client, users, district, three):
    office = users["office"]
    response, every = listed(client, office)
    assert every == {a.pk for a in three.values()}
    text = response.content.decode()
    assert "发现问题（个） 7" in text and "移送问题线索（条） 2" in text
    files = {r["a"].pk: r["a"].files for r in response.context["rows"]}
    assert files == {three["audit"].pk: 1, three["field"].pk: 0, three["coordination"].pk: 1}
    assert listed(client, office, kind="audit")[1] == {three["audit"].pk}
    assert listed(client, office, year=2025)[1] == {three["coordination"].pk}
    assert listed(client, office, unit=district["b"].pk)[1] == {three["coordination"].pk}
    bad, rows = listed(client, office, kind="x", year="20x4", unit="9999999")
    text = bad.content.decode()
    assert "类别“x”无效" in text and "年度“20x4”无效" in text and "组织单位无效" in text
    assert len(rows) == 3


def test_another_department_sees_its_own_only(client, users, district, three):
    assert listed(client, users["staff_b"])[1] == {three["coordination"].pk}
    client.force_login(users["staff_b"])
    detail = reverse("oversight:supervision-detail", args=[three["audit"].pk])
    assert client.get(detail).status_code == 404
    (item,) = ActivityFile.objects.filter(activity=three["audit"])
    assert client.get(reverse("oversight:supervision-file", args=[item.pk])).status_code == 404
    upload = SimpleUploadedFile("x.txt", b"x")
    assert client.post(detail, {"files": upload}).status_code == 404


def test_the_detail_its_files_and_an_upload(client, users, three):
    audit = three["audit"]
    client.force_login(users["staff_a"])
    url = reverse("oversight:supervision-detail", args=[audit.pk])
    text = client.get(url).content.decode()
    assert "2023年度预算执行审计" in text and "涉及金额（万元）" in text and "120.5" in text
    assert "审计报告.pdf" in text and "activity.attach" not in text  # the history in words
    (item,) = ActivityFile.objects.filter(activity=audit)
    download = client.get(reverse("oversight:supervision-file", args=[item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    bad = client.post(url, {"files": SimpleUploadedFile("a.pdf", b"nope")})
    assert bad.status_code == 422 and "内容与扩展名 .pdf 不符" in bad.content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 422 and "请选择要上传的文件" in empty.content.decode()
    ok = client.post(url, {"files": [SimpleUploadedFile("整改.txt", "已整改".encode())]})
    assert ok.status_code == 302
    assert ActivityFile.objects.filter(activity=audit).count() == 2


def test_recording_through_the_page(client, users, district):
    client.force_login(users["staff_a"])
    url = reverse("oversight:supervision-create")
    form = client.get(url, {"kind": "audit"})
    assert form.status_code == 200 and "涉及金额（万元）" in form.content.decode()
    data = {
        "kind": "audit",
        "org": district["a"].pk,
        "on": "2024-07-01",
        "title": "经济责任审计",
        "issues_found": "2",
        "amount": "abc",
        "files": SimpleUploadedFile("报告.pdf", PDF),
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and not Activity.objects.filter(kind="audit").exists()
    assert 'data-field="amount"' in refused.content.decode()
    data.update(amount="35.20", files=SimpleUploadedFile("报告.pdf", PDF))
    done = client.post(url, data)
    assert done.status_code == 302
    activity = Activity.objects.get(kind="audit")
    assert activity.figures["issues_found"] == 2 and activity.created_by == users["staff_a"]
    assert [f.name for f in activity.oversight_files.all()] == ["报告.pdf"]


def test_a_leader_reads_but_does_not_record(client, district, three):
    leader = staff_user(district["root"], Role.LEADER, "t_leader2")
    _response, rows = listed(client, leader)
    assert len(rows) == 3
    page = client.get(reverse("oversight:supervision-create"), {"kind": "audit"})
    assert "只能查看，不能登记" in page.content.decode()


def test_the_nav_has_the_page(client, users):
    client.force_login(users["staff_a"])
    page = client.get(reverse("workbench:home")).content.decode()
    assert reverse("oversight:supervision") in page and "督查审计" in page
