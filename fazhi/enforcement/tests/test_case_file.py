"""执法全过程记录: records with their kind, length and retention; the case file lists what is
missing for its kind; the matter page links to the domain's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement.models import EnforcementOfficer, RequiredRecord
from fazhi.enforcement.records import add_record, case_file
from fazhi.procedures.errors import NotAllowed, ProcedureError
from fazhi.procedures.services import register_matter

pytestmark = pytest.mark.django_db

D = dt.date
PDF = b"%PDF-1.4 record"


@pytest.fixture
def decision(district, users):
    save_entry(
        EnforcementOfficer,
        {
            "org": district["b"],
            "name": "执法员",
            "certificate_number": "JL0001",
            "issuing_body": "吉林省人民政府",
            "valid_from": D(2020, 1, 1),
        },
        by=None,
    )
    for document, kind in (
        ("现场检查笔录", "written"),
        ("执法记录仪录像", "video"),
        ("送达回证", "written"),
    ):
        save_entry(
            RequiredRecord,
            {
                "org": district["root"],
                "action_type": "license",
                "document": document,
                "kind": kind,
                "valid_from": D(2024, 1, 1),
            },
            by=None,
        )
    with clock.frozen(D(2024, 12, 31)):
        return register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=D(2024, 4, 1),
            subject="许可",
            by=users["staff_b"],
            party={"name": "某公司", "kind": "organisation"},
            details={
                "action_type": "license",
                "decision_number": "许1",
                "legal_basis": "许可法",
                "result": "准予",
                "handlers": "JL0001",
                "leniency": "first_violation",
            },
        )


def test_the_case_file_lists_what_is_missing(decision, users):
    with clock.frozen(D(2024, 12, 31)):
        assert [r.document for r in case_file(decision).missing] == [
            "现场检查笔录",
            "执法记录仪录像",
            "送达回证",
        ]
        add_record(
            decision,
            document="现场检查笔录",
            kind="written",
            recorded_on=D(2024, 3, 28),
            by=users["staff_b"],
            file=("笔录.pdf", PDF),
        )
        video = add_record(
            decision,
            document="执法记录仪录像",
            kind="video",
            recorded_on=D(2024, 3, 28),
            by=users["staff_b"],
            storage_ref="DV-0012-20240328-01",
            duration_seconds=754,
        )
    got = case_file(decision)
    assert [r.document for r in got.missing] == ["送达回证"] and not got.complete
    assert video.retention_months == 6 and video.duration_seconds == 754
    assert got.records[0].retention_months == 360 and got.records[0].attachment is not None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"kind": "video", "storage_ref": "DV-1"}, "须填写时长"),
        ({"kind": "audio", "duration_seconds": 60}, "上传文件或填写执法记录仪存储编号"),
        ({"kind": "written"}, "须上传文件"),
        ({"kind": "hologram", "file": ("a.pdf", PDF)}, "记录形式应为"),
        ({"kind": "written", "file": ("a.exe", b"MZ")}, "类型不允许"),
        ({"kind": "written", "file": ("a.pdf", PDF), "recorded_on": D(2025, 1, 2)}, "晚于今天"),
    ],
)
def test_bad_records_are_refused_plainly(decision, users, kwargs, words):
    kwargs = {"document": "笔录", "recorded_on": D(2024, 3, 28), **kwargs}
    with clock.frozen(D(2024, 12, 31)), pytest.raises(ProcedureError) as exc:
        add_record(decision, by=users["staff_b"], **kwargs)
    assert words in exc.value.message


def test_another_department_may_not_add(decision, users):
    with clock.frozen(D(2024, 12, 31)), pytest.raises(NotAllowed):
        add_record(
            decision,
            document="笔录",
            kind="written",
            recorded_on=D(2024, 3, 28),
            by=users["staff_a"],
            file=("a.pdf", PDF),
        )


def test_the_page_and_the_matter_page_links(client, decision, users):
    client.force_login(users["staff_b"])
    with clock.frozen(D(2024, 12, 31)):
        detail = client.get(reverse("workbench:matter-detail", args=[decision.pk])).content.decode()
        assert reverse("enforcement:case-file", args=[decision.pk]) in detail
        assert reverse("enforcement:three-documents", args=[decision.pk]) in detail  # lenient
        url = reverse("enforcement:case-file", args=[decision.pk])
        ok = client.post(
            url,
            {
                "document": "送达回证",
                "kind": "written",
                "recorded_on": "2024-04-02",
                "file": SimpleUploadedFile("回证.pdf", PDF),
            },
        )
        assert ok.status_code == 302
        bad = client.post(
            url,
            {
                "document": "录像",
                "kind": "video",
                "recorded_on": "2024-04-02",
                "duration_seconds": "x",
            },
        )
        assert bad.status_code == 400 and "时长应为整数秒" in bad.content.decode()
        page = client.get(url).content.decode()
    assert "回证.pdf" in page and "尚缺 2 项" in page
    client.force_login(users["staff_a"])
    assert client.get(url).status_code == 404
