"""#19: the permission matrix — every role × every staff page, export and API endpoint.

The URL patterns under ``/workbench/`` and ``/api/v1/`` are collected from the resolver; each
must have a row in ``ROWS`` (a new staff page without one fails ``test_every_staff_url_has_a_row``).
A row names the URL and the rule it follows; the rule gives the expected answer for each of
eight callers: nobody signed in, a signed-in user with no staff profile, and the six roles of
the fixtures (admin, rule-of-law office, leader of the district; head and staff of department
a; staff of department b). Objects belong to department a, so department b must get 404 where
a gets the page — the same answer as for a missing object (STYLE.md: "another department gets
404"). Requests are GETs (POST-only views answer 405 to everyone allowed past the guards).

Confidential procedures (petitions) are checked against every public page and answer by the
crawler of the public-leak test (``fazhi/tests/test_public_leak.py``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from fazhi.core import clock
from fazhi.core.models import Job
from fazhi.core.registers import all_registers, save_entry
from fazhi.enforcement.models import EnforcementOfficer
from fazhi.oversight.models import ActivityFile
from fazhi.oversight.supervision import record_supervision
from fazhi.procedures.activities import record_activity
from fazhi.procedures.attachments import add_attachment
from fazhi.procedures.models import Notification
from fazhi.procedures.services import act, register_matter
from fazhi.procedures.tests.factories import make_matter
from fazhi.reports.drafting import assign, create_report, save_text
from fazhi.rulemaking.cleanup import open_campaign
from fazhi.services.models import ServiceItem

pytestmark = pytest.mark.django_db

CALLERS = ("anon", "nobody", "admin", "office", "leader", "head_a", "staff_a", "staff_b")
STAFF = CALLERS[2:]
PDF = b"%PDF-1.4\n%matrix\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MISSING = 987654  # a primary key no row has


def close_quietly(response: Any) -> None:
    """Close a response's open file without ``request_finished``'s ``close_old_connections``
    (which, inside the test's transaction on PostgreSQL, would close the connection), as
    Django's test client itself does around a request."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


# --- the rules -------------------------------------------------------------------------------
# Each maps a caller to the set of acceptable status codes.

LOGIN = {302}  # the workbench sends the anonymous to the login page
NO_PROFILE = {403}  # signed in, no unit and role: "尚未分配机构和角色"
API_ANON = {401}
API_NO_PROFILE = {403}


def rule(
    allowed: set[int],
    *,
    denied: set[int] | None = None,
    who: tuple[str, ...] = STAFF,
    api: bool = False,
) -> dict[str, set[int]]:
    """``who`` get ``allowed``, the other staff ``denied`` (404: as if it did not exist)."""
    out = {"anon": API_ANON if api else LOGIN, "nobody": API_NO_PROFILE if api else NO_PROFILE}
    for caller in STAFF:
        out[caller] = allowed if caller in who else (denied or {404})
    return out


EVERY_STAFF = rule({200})  # a list or form: every staff member, scoped to their unit
EVERY_STAFF_POST = rule({405})  # POST-only: past the guards, GET is not allowed
IN_UNIT_A = ("admin", "office", "leader", "head_a", "staff_a")  # who sees unit a's objects
OBJECT_OF_A = rule({200}, who=IN_UNIT_A)
OBJECT_OF_A_POST = rule({405}, who=IN_UNIT_A)
ABSENT = rule({404}, who=())  # a missing object: 404 for every staff member alike
API_EVERY_STAFF = rule({200}, api=True)
API_OBJECT_OF_A = rule({200}, who=IN_UNIT_A, api=True)
API_ABSENT = rule({404}, who=(), api=True)
# the API's schema and docs: staff only (docs/api.md, "Who may read the schema")
SCHEMA = {**rule({200}, api=True), "anon": {401, 403}}
ACTING_EVERYWHERE = ("admin", "office")  # core.scope.ALL_ACTING
IMPORTERS = rule({200}, denied={403}, who=ACTING_EVERYWHERE)  # "只有系统管理员和法治办可以导入"
# registers: leaders only read ("您的角色只能查看登记簿")
REGISTER_WRITE = rule({200}, denied={403}, who=("admin", "office", "head_a", "staff_a", "staff_b"))
# unit a's register entry: changed by those acting on unit a, the leader only reads it
ENTRY_WRITE = {**rule({200}, who=("admin", "office", "head_a", "staff_a")), "leader": {403}}
# staff_a's own job, and every job for those acting everywhere (core.tasks.jobs_for)
OWN_JOB = rule({200}, who=("admin", "office", "staff_a"))
# a reconsideration's documents before it is accepted: a Chinese refusal (400) in scope
DOCUMENT_NOT_YET = rule({400}, who=IN_UNIT_A)
# GET of an action: to the matter's page, where the action's form is
ACTION_OF_A = rule({302}, who=IN_UNIT_A)


@dataclass(frozen=True)
class Row:
    name: str  # the URL name
    rule: dict[str, set[int]]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda o: {}
    query: Callable[[dict[str, Any]], str] | str = ""
    why: str = ""


def _pk(key: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda o: {"pk": o[key]}


def _missing(**extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda o: {"pk": MISSING, **extra}


ROWS: list[Row] = [
    # the workbench
    Row("workbench:home", EVERY_STAFF),
    Row("workbench:matter-create", EVERY_STAFF),
    Row("workbench:matter-detail", OBJECT_OF_A, _pk("help")),
    Row("workbench:matter-act", ACTION_OF_A, lambda o: {"pk": o["help"], "action": "accept"}),
    Row("workbench:matter-release", OBJECT_OF_A, _pk("help")),
    Row("workbench:matter-attach", EVERY_STAFF_POST, _pk("help")),
    Row("workbench:attachment-download", OBJECT_OF_A, _pk("attachment")),
    Row("workbench:notifications", EVERY_STAFF),
    Row("workbench:notification-read", EVERY_STAFF_POST, _pk("notification")),
    Row("workbench:notifications-read-all", EVERY_STAFF_POST),
    Row("workbench:register-index", EVERY_STAFF),
    # registers: one row per declared register below (REGISTER_ROWS)
    Row("core:orgunit-list", EVERY_STAFF),
    Row("core:orgunit-export", EVERY_STAFF),
    Row("core:orgunit-detail", OBJECT_OF_A, _pk("unit_a")),
    Row("core:staff-list", EVERY_STAFF),
    Row("core:staff-export", EVERY_STAFF),
    Row("core:audit-list", EVERY_STAFF),
    Row("core:job-list", EVERY_STAFF),
    Row("core:job-detail", OWN_JOB, _pk("job")),
    Row("core:job-output", ABSENT, _missing()),
    Row("indicators:dashboard", EVERY_STAFF),
    Row("indicators:activity-list", EVERY_STAFF),
    Row("indicators:activity-create", EVERY_STAFF),
    Row("indicators:drill", EVERY_STAFF, lambda o: {"code": "help_request.received"}),
    Row(
        "indicators:drill",
        OBJECT_OF_A,
        lambda o: {"code": "help_request.received"},
        lambda o: f"org={o['unit_a']}&year={o['year']}",
    ),
    Row("reports:list", EVERY_STAFF),
    Row("reports:detail", OBJECT_OF_A, _pk("report")),
    Row("reports:detail", ABSENT, _missing()),
    Row("reports:draft-html", OBJECT_OF_A, _pk("report")),
    Row("reports:section", OBJECT_OF_A, lambda o: {"pk": o["report"], "key": o["section"]}),
    Row("reports:section", ABSENT, _missing(key="s1")),
    Row("reports:preview", EVERY_STAFF_POST, lambda o: {"pk": o["report"], "key": o["section"]}),
    Row(
        "reports:diff",
        OBJECT_OF_A,
        lambda o: {"pk": o["report"], "key": o["section"]},
        "a=1&b=2",
    ),
    Row("procedures:io", EVERY_STAFF),
    Row("procedures:import", IMPORTERS),
    Row("procedures:template", EVERY_STAFF, lambda o: {"procedure": "help_request", "fmt": "xlsx"}),
    Row("procedures:export", EVERY_STAFF, lambda o: {"procedure": "help_request"}, "year=2024"),
    Row("procedures:export-job", EVERY_STAFF_POST, lambda o: {"procedure": "help_request"}),
    # the domains' staff pages
    Row("services:home", EVERY_STAFF),
    Row("services:confirm-unit", EVERY_STAFF_POST, _pk("help")),
    Row("services:suggestions", EVERY_STAFF),
    Row("services:duty-lists", EVERY_STAFF),
    Row("disputes:reconsideration-acceptance", DOCUMENT_NOT_YET, _pk("reconsideration")),
    Row("disputes:reconsideration-correction", DOCUMENT_NOT_YET, _pk("reconsideration")),
    Row("disputes:reconsideration-decision", DOCUMENT_NOT_YET, _pk("reconsideration")),
    Row("petitions:repeats", OBJECT_OF_A, _pk("petition")),
    Row("petitions:routed", EVERY_STAFF),  # scoped to the units the user sees
    Row("oversight:supervision", EVERY_STAFF),
    Row("oversight:supervision-create", EVERY_STAFF),
    Row("oversight:supervision-detail", OBJECT_OF_A, _pk("supervision")),
    Row("oversight:supervision-detail", ABSENT, _missing()),
    Row("oversight:supervision-file", OBJECT_OF_A, _pk("supervision_file")),
    Row("oversight:supervision-file", ABSENT, _missing()),
    Row("oversight-hotline:home", EVERY_STAFF),
    Row("oversight-suggestions:list", EVERY_STAFF),
    Row("oversight-suggestions:statistics", EVERY_STAFF),
    Row("enforcement:home", EVERY_STAFF),
    Row("enforcement:leniency", EVERY_STAFF),
    Row("enforcement:leniency-matter", OBJECT_OF_A, lambda o: {"matter": o["decision"]}),
    Row("enforcement:leniency-matter", ABSENT, lambda o: {"matter": MISSING}),
    Row("enforcement:three-documents", OBJECT_OF_A, _pk("decision")),
    Row("enforcement:three-documents", ABSENT, _missing()),
    Row("enforcement:statistics", EVERY_STAFF),
    Row("enforcement:case-file", OBJECT_OF_A, _pk("decision")),
    Row("enforcement:case-file", ABSENT, _missing()),
    Row("enforcement:unfiled", EVERY_STAFF),
    Row("enforcement:expiring", EVERY_STAFF),
    Row("enforcement:reviews", EVERY_STAFF),
    Row("enforcement:review-detail", OBJECT_OF_A, _pk("review_round")),
    Row("enforcement:review-detail", ABSENT, _missing()),
    Row("rulemaking:home", EVERY_STAFF),
    Row("rulemaking:documents", EVERY_STAFF),
    Row("rulemaking:versions", OBJECT_OF_A, _pk("document")),
    Row("rulemaking:versions", ABSENT, _missing()),
    Row("rulemaking:comments", OBJECT_OF_A, _pk("major_decision")),
    Row("rulemaking:comments", ABSENT, _missing()),
    Row("rulemaking:campaigns", EVERY_STAFF),
    Row("rulemaking:campaign", OBJECT_OF_A, _pk("campaign")),
    Row("rulemaking:campaign", ABSENT, _missing()),
    Row("safety:home", EVERY_STAFF),
    Row("safety:inspection", OBJECT_OF_A, _pk("inspection")),
    Row("safety:inspection", ABSENT, _missing()),
    Row("accountability:home", EVERY_STAFF),
    Row("keytasks:board", EVERY_STAFF),
    Row("keytasks:import", EVERY_STAFF),
    Row("keytasks:template", EVERY_STAFF),
    # the staff API
    Row("api:schema", SCHEMA),
    Row("api:docs", SCHEMA),
    Row("api:redoc", SCHEMA),
    Row("api:indicators", API_EVERY_STAFF, query="year=2024"),  # one's own unit
    Row("api:indicators", API_OBJECT_OF_A, query=lambda o: f"org={o['unit_a']}&year=2024"),
    Row("api:me", API_EVERY_STAFF),
    Row("api:matter-list", API_EVERY_STAFF),
    Row("api:matter-detail", API_OBJECT_OF_A, _pk("help")),
    Row("api:matter-actions", API_OBJECT_OF_A, _pk("help")),
    Row("api:matter-attachments", API_OBJECT_OF_A, _pk("help")),
    Row(
        "api:matter-attachment-download",
        API_OBJECT_OF_A,
        lambda o: {"pk": o["help"], "attachment_id": o["attachment"]},
    ),
    Row("api:activity-list", API_EVERY_STAFF),
    Row("api:activity-detail", API_OBJECT_OF_A, _pk("supervision")),
    Row("api:activity-detail", API_ABSENT, _missing()),
    Row("api:procedure-list", API_EVERY_STAFF),
    Row("api:procedure-detail", API_EVERY_STAFF, lambda o: {"code": "help_request"}),
]

# The register screens are one set of views for every register: the list, the form, the xlsx
# export and import render each register's own fields, so they are asked for every register;
# an entry's pages (detail, edit, delete) run the same lookup for all: asked for an entry of unit a.
REGISTER_ROWS: list[Row] = [
    row
    for reg in all_registers()
    for row in (
        Row("workbench:register-list", EVERY_STAFF, lambda o, r=reg: _reg(r)),
        Row("workbench:register-create", REGISTER_WRITE, lambda o, r=reg: _reg(r)),
        Row("workbench:register-export", EVERY_STAFF, lambda o, r=reg: _reg(r)),
        Row("workbench:register-import", REGISTER_WRITE, lambda o, r=reg: _reg(r)),
    )
] + [
    Row("workbench:register-detail", OBJECT_OF_A, lambda o: _reg(ServiceItem, pk=o["entry"])),
    Row("workbench:register-detail", ABSENT, lambda o: _reg(ServiceItem, pk=MISSING)),
    Row("workbench:register-edit", ENTRY_WRITE, lambda o: _reg(ServiceItem, pk=o["entry"])),
    Row("workbench:register-edit", ABSENT, lambda o: _reg(ServiceItem, pk=MISSING)),
    Row(
        "workbench:register-delete",
        EVERY_STAFF_POST,
        lambda o: _reg(ServiceItem, pk=o["entry"]),
    ),
]


def _reg(reg: Any, **extra: Any) -> dict[str, Any]:
    meta = getattr(reg, "_meta", None)  # a register or its model
    if meta is not None:
        return {"app": meta.app_label, "model": meta.model_name, **extra}
    return {"app": reg.app_label, "model": reg.model_name, **extra}


# --- collecting the staff URLs -----------------------------------------------------------------


def _names(patterns: list[Any], prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += _names(
                p.url_patterns,
                prefix + str(p.pattern),
                ns + (f"{p.namespace}:" if p.namespace else ""),
            )
        elif isinstance(p, URLPattern) and p.name:
            out.append((prefix + str(p.pattern), ns + p.name))
    return out


def staff_url_names() -> set[str]:
    """Every named URL under /workbench/ and /api/v1/ (the staff side and its exports)."""
    return {
        name
        for route, name in _names(get_resolver().url_patterns)
        if route.startswith(("workbench/", "api/v1/"))
    }


def test_every_staff_url_has_a_row():
    covered = {row.name for row in ROWS + REGISTER_ROWS}
    assert staff_url_names() - covered == set(), "staff URLs without a row in the matrix"
    assert covered - staff_url_names() == set(), "rows naming no URL"
    assert len(REGISTER_ROWS) == 4 * len(all_registers()) + 5 > 5
    assert len({row.name for row in ROWS}) > 80


# --- the matrix ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def objects(district, users, media):
    today = clock.today()
    day = today - dt.timedelta(days=3)
    staff = users["staff_a"]
    help_ = make_matter("help_request", district["a"], staff, day, subject="矩阵测试求助")
    attachment = add_attachment(help_, "材料.pdf", PDF, by=staff)
    recon = make_matter("reconsideration", district["a"], staff, day)
    petition = make_matter(
        "petition",
        district["a"],
        staff,
        day,
        subject="矩阵测试信访",
        party={"name": "钱秘密", "phone": "13711112222"},
        details={"category": "claim", "first_time": True, "office": False},
    )
    with clock.frozen(today):
        act(petition, "accept", staff, today - dt.timedelta(days=2))
    job = Job.objects.create(kind="export", label="矩阵导出", org=district["a"], created_by=staff)
    return {
        **_domain_objects(district, users, day),
        "help": help_.pk,
        "attachment": attachment.pk,
        "reconsideration": recon.pk,
        "petition": petition.pk,
        "unit_a": district["a"].pk,
        "job": job.pk,
        "year": help_.received_on.year,
        "notification": Notification.objects.order_by("pk").values_list("pk", flat=True).first()
        or MISSING,
    }


def _domain_objects(
    district: dict[str, Any], users: dict[str, Any], day: dt.date
) -> dict[str, Any]:
    """One object of unit a of each kind the domains' staff pages show."""
    a, staff, office = district["a"], users["staff_a"], users["office"]
    # the office's report, one section of it assigned to unit a (whose staff then see it)
    report = create_report(district["root"], day.year, by=office)
    section = report.sections.order_by("pk")[0]
    assign(section, a, None, by=office)
    save_text(section, section.text + "\n矩阵补充。", by=staff)
    supervision = record_supervision(
        "audit", org=a, on=day, title="矩阵审计", files=[("审计报告.pdf", PDF)], by=staff
    )
    save_entry(
        EnforcementOfficer,
        {
            "org": a,
            "name": "执法员",
            "certificate_number": "JL9001",
            "issuing_body": "吉林省人民政府",
            "valid_from": dt.date(2020, 1, 1),
        },
        by=None,
    )
    decision = register_matter(
        "enforcement_decision",
        org=a,
        received_on=day,
        subject="矩阵许可",
        by=staff,
        party={"name": "某公司", "kind": "organisation"},
        details={
            "action_type": "license",
            "decision_number": "许矩1",
            "legal_basis": "许可法",
            "result": "准予",
            "handlers": "JL9001",
            "leniency": "first_violation",
        },
    )
    document = register_matter(
        "normative_document",
        org=a,
        received_on=day,
        subject="矩阵管理办法",
        by=staff,
        details={"no_market_impact": True},
    )
    major = register_matter(
        "major_decision",
        org=a,
        received_on=day,
        subject="矩阵改造方案",
        by=staff,
        details={"catalog_year": day.year},
    )
    review_round = record_activity(
        "case_file_review", org=a, on=day, title="矩阵案卷评查", by=office
    )
    inspection = record_activity(
        "safety_inspection",
        org=a,
        on=day,
        title="矩阵检查",
        figures={"inspectors": 2, "units": 3, "hazards": 0},
        reference="AJ-M1",
        by=staff,
    )
    campaign, _listed = open_campaign(
        code="QL-M1", title="矩阵清理", org=a, started_on=day, scope="", by=office
    )
    entry = save_entry(
        ServiceItem,
        {"org": a, "name": "矩阵事项", "legal_days": 20, "committed_days": 5, "valid_from": day},
        by=None,
    )
    return {
        "report": report.pk,
        "section": section.key,
        "supervision": supervision.pk,
        "supervision_file": ActivityFile.objects.get(activity=supervision).pk,
        "decision": decision.pk,
        "document": document.pk,
        "major_decision": major.pk,
        "review_round": review_round.pk,
        "inspection": inspection.pk,
        "campaign": campaign.pk,
        "entry": entry.pk,
    }


def _clients(users: dict[str, Any]) -> dict[str, tuple[Client, APIClient]]:
    nobody = get_user_model().objects.create_user("t_nobody", password="x")
    people = {**users, "nobody": nobody}
    out: dict[str, tuple[Client, APIClient]] = {}
    for caller in CALLERS:
        web, api = Client(), APIClient()
        if caller != "anon":
            web.force_login(people[caller])
            api.force_authenticate(people[caller])
        out[caller] = (web, api)
    return out


def test_every_role_on_every_staff_page(users, objects):
    clients = _clients(users)
    wrong: list[str] = []
    asked = 0
    took: dict[str, float] = {}
    for row in ROWS + REGISTER_ROWS:
        url = reverse(row.name, kwargs=row.kwargs(objects))
        query = row.query(objects) if callable(row.query) else row.query
        if query:
            url += "?" + query
        is_api = row.name.startswith("api:")
        started = time.perf_counter()
        for caller in CALLERS:
            web, api = clients[caller]
            response = (api if is_api else web).get(url)
            close_quietly(response)  # a download's open file
            status = response.status_code
            asked += 1
            if status not in row.rule[caller]:
                wrong.append(f"{caller:8} {url}: {status}, expected {sorted(row.rule[caller])}")
        took[url] = time.perf_counter() - started
    assert not wrong, "\n".join(wrong)
    assert asked >= 8 * 150
    slowest = sorted(took.items(), key=lambda kv: -kv[1])[:5]
    print(f"{asked} requests; slowest pages (8 callers each): {slowest}")
