"""#19: the public-leak test over every procedure and every stage, with the names the system knows.

``test_public_leak`` seeds the public's intakes and ``test_public_leak_staff`` a path through the
published registers; here every declared procedure gets matters whose every text field — the
subject, each one-line and free-text detail and the data of every action taken — carries a
tag naming the field (``〈enforcement_decision.withdraw.reason〉``, left alone by the masking),
the numbers of defect 5 in every format, a home address and *bare* names: the party's, the
staff who act (their accounts carry names), an enforcement officer named by certificate and
the experts of a decision, with no word that introduces a name (``经查，欧阳娜娜…经办人赵铁柱``).

Each matter is walked through its procedure as far as it goes — three copies, each taking a
different branch where the procedure branches (an enforcement decision published, changed,
then withdrawn; another expired after its term; others published and kept, about a person and
about an organisation; a major decision consulted, argued, decided, published and
evaluated, another with its gates skipped; a help request refused, its reason public …) — and
released when it may be.
The registers the public reads (the decision standard and catalog, an officer, a direct
enterprise's inspection round) and the annual report (every section) are seeded likewise.

Then every public page reachable from ``/`` and from each published decision, each matter's
tracking page (by its number and code), every Open311 answer and the issued report's pdf are
read: the tags show which fields reached the public (``REACHED`` must be among them), and no
seeded value may appear anywhere.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fazhi.core import clock, ratelimit
from fazhi.core.pii import uscc_check_char
from fazhi.core.registers import save_entry
from fazhi.enforcement.models import EnforcementOfficer
from fazhi.procedures import publicity
from fazhi.procedures.activities import record_activity
from fazhi.procedures.declarations import FieldType, all_procedures, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter
from fazhi.reports import drafting
from fazhi.reports.models import ReportIssue
from fazhi.rulemaking.models import DecisionCatalog, DecisionStandard
from fazhi.safety.models import DirectEnterprise
from fazhi.tests.test_public_leak import ADDRESS, ADDRESS_PARTS, NAME, NUMBERS, crawl, open311

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2024, 9, 2)
CRAWL_ON = D(2024, 11, 29)

# the people the system knows, named bare in the texts (no 您好, 同志, 当事人 before or after)
STAFF = {"staff_b": "赵铁柱", "office": "钱多多", "admin": "孙丽华", "head_a": "周海燕"}
OFFICER = ("JL0003", "吴志刚")
EXPERTS = "郑晓红、冯德明（市法学会）"
PEOPLE = sorted({*STAFF.values(), OFFICER[1], "郑晓红", "冯德明"})
# the given names alone, which the masking hides too (娜娜、铁柱 …)
GIVEN = sorted({n[1:] for n in PEOPLE} | {NAME[2:]})
SEEDED = sorted(
    {typed for _l, typed, _s in NUMBERS}
    | {secret for _l, _t, secret in NUMBERS if len(secret) >= 8}
    | {NAME, *ADDRESS_PARTS, *PEOPLE}
)
ORG_NAME = "四平市铁西区某某商贸有限公司"

# Fields that must reach the public through this walk (their tag found, its seeds masked).
REACHED = {
    "enforcement_decision.details.decision_number",
    "enforcement_decision.details.facts",
    "enforcement_decision.details.legal_basis",
    "enforcement_decision.details.result",
    "enforcement_decision.withdraw.reason",
    "major_decision.subject",
    "major_decision.open_consultation.draft",
    "major_decision.close_consultation.adoption_note",
    "major_decision.skip_consultation.reason",
    "major_decision.publish.document_number",
    "normative_document.subject",
    "normative_document.publish.document_number",
    "mailbox_letter.subject",
    "mailbox_letter.details.content",
    "mailbox_letter.reply.reply",
    "help_request.conclude.result",
    "help_request.refuse.reason",  # a refusal's reason: the tracking page and Open311
    "business_complaint.conclude.result",
    "register.decision_standard.title",
    "register.decision_standard.text",
    "register.decision_catalog.title",
    "register.inspection.title",
    "register.officer.issuing_body",
    "report.section",
}
# values some fields must take (they name another record, or a register checks them)
SPECIAL: dict[str, Any] = {
    "handlers": OFFICER[0],
    "minor": False,  # a minor's decision is never published
    "first_time": True,
    "repeat_of": None,  # None: the field is left out
    "legal_review": None,
    "violation": None,
    "leniency": None,
    "inspection": "AJ-LEAK-1",
    "article": 1,
}
# ways out that end a matter's public life: taken only as a copy's branch
ENDS = {"lapse", "abandon", "withdraw", "expire", "terminate", "refuse"}
NEGATIVE = {"reopen", "request_reopen", "redo", "reject_acceptance", "fail_verification"}


def seeded(tag: str, i: int, *, person: bool = True, known: tuple[str, ...] = ()) -> str:
    """The tag, then a text with the address and three numbers that names, bare, the people
    the record knows (``known``: its registrar, the officer a decision names, the experts of
    a decision argued). The party is named bare when it is the person the record holds; else
    (an organisation's decision, a register entry) through a word (法定代表人), as no record
    holds that name."""
    a, b, c = (NUMBERS[(i * 3 + k) % len(NUMBERS)][1] for k in range(3))
    who = f"经查，{NAME}" if person else f"经查，法定代表人{NAME}"
    people = f"，经办人{'、'.join(known)}到场核实" if known else ""
    return f"〈{tag}〉{who}于本年在{ADDRESS}居住，证件{a}，电话{b}，账户{c}{people}。"


def fit(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters at a comma, never inside a number (a cut number is
    no longer one: the masking rightly leaves "6217 0000 0000" alone)."""
    if len(text) <= n:
        return text
    cut = max(text.rfind("，", 0, n), text.rfind("；", 0, n))
    return text[:cut] if cut > 0 else text[:n]


class Seeder:
    def __init__(self, district: Any, users: dict[str, Any]) -> None:
        self.district, self.users, self.i = district, users, 0
        self.plain: set[str] = set()  # fields that refused a seeded text (given a plain value)
        self.person = True  # the party of the matter being seeded is a natural person
        self.known: tuple[str, ...] = ()  # the people it records (named bare in its texts)
        self.refs: dict[str, Any] = {}
        self.known_for: dict[int, tuple[str, ...]] = {}

    def value(self, field: Any, tag: str, on: dt.date, later: bool) -> Any:
        self.i += 1
        if field.name in self.refs:
            return self.refs[field.name]
        if field.name in SPECIAL:
            return SPECIAL[field.name]
        kind = field.type
        if field.personal:
            return EXPERTS
        if field.name == "draft":  # a draft is read article by article
            return "\n".join(
                f"第{n}条 {seeded(tag, self.i + k, person=self.person, known=self.known)}"
                for k, n in enumerate("一二")
            )
        if kind in (FieldType.TEXT, FieldType.STR):
            return fit(seeded(tag, self.i, person=self.person, known=self.known), field.max_length)
        if kind == FieldType.BOOL:
            return True
        if kind == FieldType.CHOICE:
            return field.choices[0][0]
        if kind == FieldType.INT:
            return max(field.min_value or 1, 1)
        if kind == FieldType.DECIMAL:
            return Decimal("100")
        if kind == FieldType.DATE:
            return on + dt.timedelta(days=60) if later else on
        if kind == FieldType.ORG:
            return self.district["a"].pk
        if kind == FieldType.PERSON:
            return self.users["staff_b"].get_username()
        return None

    def data(self, fields: Any, prefix: str, on: dt.date, later: bool = True) -> dict[str, Any]:
        out = {}
        for f in fields:
            v = self.value(f, f"{prefix}.{f.name}", on, later)
            if v is not None:
                out[f.name] = v
            elif f.name in SPECIAL or f.name in self.refs:
                continue
        return out

    def attempt(self, call: Any, data: dict[str, Any], where: str) -> Any:
        """``call(data)``; a field refusing its seeded text gets a plain value (and is named)."""
        plain = []
        for _try in range(len(data) + 1):
            try:
                with transaction.atomic():
                    done = call(data)
                self.plain |= set(plain)
                return done
            except ProcedureError as exc:
                name = (exc.field or "").removeprefix("details.")
                if name not in data:  # a check of several fields (a register): one at a time
                    name = next((k for k, v in data.items() if "〈" in str(v)), "")
                if name not in data or data[name] == "某项":
                    raise
                data[name] = "某项"
                plain.append(f"{where}.{name}")
        raise AssertionError("unreachable")  # pragma: no cover

    def register(self, procedure: Any, copy: int, on: dt.date = START) -> Matter:
        org_party = procedure.code == "enforcement_decision" and copy == 2
        self.person = not org_party
        self.known = (STAFF["staff_b"],)  # who registers it: the first step's actor
        if procedure.code == "enforcement_decision":  # the officer its handlers name
            self.known += (OFFICER[1],)
        if procedure.code == "major_decision" and copy == 0:  # argued by these experts
            self.known += ("郑晓红", "冯德明")
        party: dict[str, Any] = {
            "name": NAME,
            "kind": "person",
            "phone": "13912345678",
            "id_number": "220302198512314561",
            "address": ADDRESS,
        }
        if org_party:
            code17 = "91220302MA1700001"
            party = {
                "name": ORG_NAME,
                "kind": "organisation",
                "id_number": code17 + uscc_check_char(code17),
                "phone": "0434-3216549",
                "address": ADDRESS,
            }
        details = self.data(procedure.details, f"{procedure.code}.details", on)

        def call(d: dict[str, Any]) -> Matter:
            return register_matter(
                procedure.code,
                org=self.district["b"],
                received_on=on,
                subject=fit(
                    seeded(
                        f"{procedure.code}.subject", self.i, person=self.person, known=self.known
                    ),
                    300,
                ),
                by=self.users["staff_b"],
                party=party,
                details=d,
                today=START,
            )

        matter = self.attempt(call, details, procedure.code)
        self.known_for[matter.pk] = self.known
        return matter

    def take(self, matter: Matter, action: Any, on: dt.date) -> dt.date | None:
        """Take ``action`` (as staff, else the office, else the administrator), on the day
        after ``on`` or later when a period must pass; the day taken, or None."""
        for days in (1, 45, 200, 1100):  # a period to pass: a consultation, a publicity term
            day = on + dt.timedelta(days=days)
            for later in (True, False):
                for who in ("staff_b", "office", "admin"):
                    data = self.data(action.fields, f"{matter.procedure}.{action.name}", day, later)

                    def call(d: dict[str, Any], who: str = who, day: dt.date = day) -> Any:
                        return act(matter, action.name, self.users[who], day, today=day, data=d)

                    try:
                        self.attempt(call, data, f"{matter.procedure}.{action.name}")
                    except ProcedureError:
                        continue
                    matter.refresh_from_db()
                    return day
        return None

    def walk(self, matter: Matter, copy: int) -> list[str]:
        """Through the procedure: at each state every action that stays in it once, then a way
        out to a state not yet visited; at the first state with several ways out, the
        ``copy``-th (none: the matter stays there), so that copies take different branches."""
        procedure = matter.declaration
        self.person = matter.party_kind != "organisation"
        self.known = self.known_for.get(matter.pk, ())
        taken: list[str] = []
        visited = {matter.state}
        branched = False
        on = START
        for _step in range(16):
            if matter.state in procedure.closed_states and not any(
                matter.state in a.sources for a in procedure.actions if a.name not in NEGATIVE
            ):
                break
            here = [
                a for a in procedure.actions if matter.state in a.sources and a.name not in NEGATIVE
            ]
            for a in here:
                if a.target is None and f"{matter.state}:{a.name}" not in taken:
                    day = self.take(matter, a, on)
                    taken.append(f"{matter.state}:{a.name}")
                    on = day or on
            ways = [a for a in here if a.target and a.target != matter.state]
            ways = [a for a in ways if a.target not in visited] or ways
            if not ways:
                break
            if len(ways) > 1 and not branched:
                branched = True
                if copy >= len(ways):
                    break
                ways = ways[copy:] + ways[:copy]
            elif branched:
                ways = [a for a in ways if a.name not in ENDS]
            for a in ways:
                state = matter.state
                day = self.take(matter, a, on)
                if day is not None:
                    taken.append(f"{state}:{a.name}")
                    visited.add(matter.state)
                    on = day
                    break
            else:
                break
        return taken


@pytest.fixture
def world(district, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for key, name in STAFF.items():
        users[key].first_name = name
        users[key].save(update_fields=["first_name"])
    seeder = Seeder(district, users)
    walked: dict[str, list[list[str]]] = {}
    matters: list[Matter] = []
    unregistered: dict[str, str] = {}
    with clock.frozen(START):
        save_entry(
            EnforcementOfficer,
            {
                "org": district["b"],
                "name": OFFICER[1],
                "certificate_number": OFFICER[0],
                "issuing_body": fit(
                    seeded("register.officer.issuing_body", 5, person=False, known=(OFFICER[1],)),
                    100,
                ),
                "valid_from": D(2020, 1, 1),
                "valid_to": D(2029, 12, 31),
            },
            by=None,
        )
        save_entry(
            DecisionStandard,
            {
                "org": district["root"],
                "title": fit(seeded("register.decision_standard.title", 1, person=False), 200),
                "text": seeded("register.decision_standard.text", 2, person=False),
                "published_on": D(2024, 1, 15),
                "valid_from": D(2024, 1, 15),
            },
            by=None,
        )
        save_entry(
            DecisionCatalog,
            {
                "org": district["root"],
                "year": 2024,
                "title": fit(seeded("register.decision_catalog.title", 3, person=False), 200),
                "published_on": D(2024, 2, 20),
                "valid_from": D(2024, 2, 20),
                "valid_to": D(2024, 12, 31),
            },
            by=None,
        )
        code17 = "91220302MA1700002"
        code = code17 + uscc_check_char(code17)
        save_entry(
            DirectEnterprise,
            {"org": district["b"], "name": ORG_NAME, "credit_code": code, "valid_from": START},
            by=None,
        )
        record_activity(
            "safety_inspection",
            org=district["b"],
            on=START,
            title=fit(
                seeded("register.inspection.title", 4, person=False, known=(STAFF["staff_b"],)),
                300,
            ),
            figures={"inspectors": 2, "units": 1, "hazards": 0, "enterprise": code, "public": True},
            reference="AJ-LEAK-1",
            by=users["staff_b"],
        )
    with clock.frozen(START):
        # the draft the public's comments name (their field "decision"), open for comment
        seeder.person = True
        opened = START - dt.timedelta(days=10)
        draft = seeder.register(get_procedure("major_decision"), 3, on=opened)
        seeder.take(draft, draft.declaration.action("open_consultation"), opened)
        seeder.refs["decision"] = draft.reference
    for procedure in all_procedures():
        for copy in range(4):
            with clock.frozen(START):
                try:
                    matter = seeder.register(procedure, copy)
                except ProcedureError as exc:  # it needs another record first: named, below
                    unregistered[procedure.code] = str(exc)
                    continue
            walked.setdefault(procedure.code, []).append(seeder.walk(matter, copy))
            matter.refresh_from_db()
            if publicity.why_not_publishable(matter) is None:
                publicity.release_matter(matter, users["staff_b"])
            matters.append(matter)
    with clock.frozen(CRAWL_ON):
        office = users["office"]
        report = drafting.create_report(district["root"], 2024, by=office)
        for n, section in enumerate(report.sections.order_by("key")):
            drafting.save_text(
                section, seeded("report.section", n, person=False, known=(STAFF["office"],)), office
            )
        issue = drafting.issue(report, office, issued_on=CRAWL_ON, reason="测试印发。")
    return {
        "matters": matters,
        "walked": walked,
        "plain": sorted(seeder.plain),
        "issue": issue,
        "office": users["office"],
        "unregistered": unregistered,
    }


def tracking_pages(matters: list[Matter]) -> dict[str, str]:
    """Each trackable matter's page as its number and code show it (a browser of its own)."""
    out = {}
    for m in matters:
        if not m.declaration.public_trackable:
            continue
        web = Client()
        ratelimit.clear()
        answer = web.post(
            reverse("portal:track"), {"reference": m.reference, "code": m.verification_code}
        )
        assert answer.status_code == 302, (m.reference, answer.status_code)
        page = web.get(reverse("portal:tracked"))
        assert page.status_code == 200
        out[f"track:{m.reference}"] = html.unescape(page.content.decode())
    return out


def report_pdf(issue: ReportIssue, user: Any) -> str:
    """The issued report's public pdf as text (the background job that renders it, run here);
    empty when LibreOffice is not installed (the page itself is crawled either way)."""
    from pypdf import PdfReader

    from fazhi.core.tasks import enqueue, run_pending
    from fazhi.reports.renderers.pdf import soffice

    if soffice() is None:  # pragma: no cover - CI has it
        return ""
    enqueue("reports.issue_pdf", label="PDF", params={"issue": issue.pk}, user=user)
    run_pending()
    answer = Client().get(reverse("reports_public:pdf", args=[issue.pk]))
    assert answer.status_code == 200
    data = b"".join(answer.streaming_content)
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_every_stage_of_every_procedure_with_the_names_it_records(world):
    matters: list[Matter] = world["matters"]
    web = Client()
    with clock.frozen(CRAWL_ON):
        pages = crawl(web)
        starts = [reverse("rulemaking:decisions") + "?year=2024"]
        starts += [
            reverse("rulemaking:decision", kwargs={"reference": m.reference})
            for m in matters
            if m.procedure == "major_decision"
        ]
        starts += [reverse("enforcement:certificate") + f"?number={OFFICER[0]}"]
        for start in starts:
            if start not in pages:
                pages.update({k: v for k, v in crawl(web, start).items() if k not in pages})
        pages.update(tracking_pages(matters))
        answers = open311(web, [m.reference for m in matters])
        api = web.get("/api/v1/matters/")
        assert api.status_code in (401, 403)
        answers["/api/v1/matters/"] = api.content.decode()
        answers["report.pdf"] = report_pdf(world["issue"], world["office"])
    texts = {**pages, **answers}
    public = "\n".join(texts.values())
    reached = {tag for tag in _tags(world) if f"〈{tag}〉" in public}
    missing = REACHED - reached
    assert not missing, (sorted(missing), world["walked"], world["plain"], world["unregistered"])
    pdf = answers["report.pdf"]
    assert not pdf or "〈report.section〉" in pdf, pdf[:500]  # the pdf's text was read
    leaks = [f"{where}: {v}" for where, text in texts.items() for v in SEEDED if v in text]
    given = [
        f"{where}: {g}"
        for where, text in texts.items()
        for g in GIVEN
        if any(f"〈{t}〉" in text for t in reached) and g in text
    ]
    assert not leaks, "\n".join(leaks[:40])
    assert not given, "\n".join(given[:40])
    print(
        f"{len(matters)} matters over {len(world['walked'])} procedures, "
        f"{sum(len(w) for ws in world['walked'].values() for w in ws)} actions taken; "
        f"crawled {len(pages)} public pages (tracking pages included) and {len(answers)} "
        f"answers (Open311, API, the report's pdf); {len(reached)} seeded fields reached "
        f"the public; {len(SEEDED) + len(GIVEN)} values sought; plain values: {world['plain']}"
    )
    print("reached:", ", ".join(sorted(reached)))
    print("not registered:", world["unregistered"])
    print("walked:", world["walked"])


def _tags(world: dict[str, Any]) -> set[str]:
    tags = set(REACHED)
    for procedure in all_procedures():
        tags.add(f"{procedure.code}.subject")
        tags |= {f"{procedure.code}.details.{f.name}" for f in procedure.details}
        tags |= {f"{procedure.code}.{a.name}.{f.name}" for a in procedure.actions for f in a.fields}
    return tags
