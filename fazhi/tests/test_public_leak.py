"""#19: the public-leak test — personal data seeded everywhere, found on no public page.

Every public procedure (every registered intake) gets submissions whose every text field —
subject, the details' free texts and one-line fields — carries resident IDs, mobiles and bank
cards in every format of defect 5 (``fazhi.core.tests.test_pii.NUMBER_FORMATS``), the
submitter's name and a home address; the party carries them too. Staff then take each matter
as far as its declaration goes (accept, reply, conclude) with answers that repeat them, and
release to the public whatever may be released. A confidential petition is seeded likewise.

Then every public page reachable from ``/`` is crawled (links followed, staff and admin paths
excluded), with every Open311 answer (services, the request list and each request, JSON and
XML): none of the seeded values, nor the petition's existence, may appear.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import deque
from decimal import Decimal
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from fazhi.core import clock, ratelimit
from fazhi.core.tests.test_pii import NUMBER_FORMATS
from fazhi.portal.services import submit_public
from fazhi.procedures import publicity
from fazhi.procedures.declarations import FieldType, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.intake import COMMON_FIELDS, all_intakes
from fazhi.procedures.models import IntakeRoute, Matter
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter
from fazhi.rulemaking.tests.test_views import open_decision

pytestmark = pytest.mark.django_db

NAME = "欧阳娜娜"
ADDRESS = "四平市铁西区幸福小区3栋501室"
ADDRESS_PARTS = ("幸福小区", "3栋501室")
NUMBERS = [(label, typed, secret) for label, typed, secret, _shown in NUMBER_FORMATS]
# what must never be read publicly: each typed number, what its masking hides, the name and
# the address (short generic pieces such as "1234" or "7777" are checked inside their number)
FORBIDDEN = sorted(
    {typed for _l, typed, _s in NUMBERS}
    | {secret for _l, _t, secret in NUMBERS if len(secret) >= 8}
    | {NAME, *ADDRESS_PARTS}
)
PETITION_SUBJECT = "反映征收补偿款长期未发放问题"
TODAY = dt.date(2024, 12, 31)  # the draft of rulemaking's tests is open for comment

SKIP_PREFIXES = ("/workbench/", "/admin/", "/accounts/", "/api/v1/", "/static/", "/media/")
MAX_PAGES = 400


def seeded_text(i: int) -> str:
    """A text with the name, the address and a few of the numbers (rotating through all)."""
    picks = [NUMBERS[(i * 3 + k) % len(NUMBERS)][1] for k in range(3)]
    return f"我是{NAME}，住{ADDRESS}，号码{picks[0]}，另{picks[1]}，卡{picks[2]}。"


def _value(field: Any, i: int) -> Any:
    kind = field.type
    if kind in (FieldType.TEXT, FieldType.STR):
        return seeded_text(i)
    if kind == FieldType.BOOL:
        return True  # consent to publish: the most that can become public
    if kind == FieldType.CHOICE:
        return field.choices[0][0] if isinstance(field.choices[0], tuple) else field.choices[0]
    if kind == FieldType.INT:
        return 1
    if kind == FieldType.DECIMAL:
        return Decimal("100")
    if kind == FieldType.DATE:
        return clock.today()
    return None


def _details(intake: Any, i: int, refs: dict[str, Any]) -> dict[str, Any]:
    procedure = get_procedure(intake.procedure)
    out: dict[str, Any] = {}
    for public in intake.fields:
        if public.name in COMMON_FIELDS:
            continue
        value = refs.get(public.name, _value(procedure.detail_field(public.name), i))
        if value is not None:
            out[public.name] = value
    return out


def _submit(intake: Any, i: int, refs: dict[str, Any]) -> tuple[Matter, list[str]]:
    """A submission with seeds in every text field but those naming another record
    (``refs``); a field that refuses them is given a plain value and named."""
    details = _details(intake, i, refs)
    party: dict[str, Any] = {"name": NAME, "phone": "13912345678"}
    if intake.asks_id_number:
        party["id_number"] = "220302198512314561"
    plain: list[str] = []
    for _attempt in range(len(details) + 1):
        try:
            matter = submit_public(
                intake.procedure, subject=seeded_text(i)[:60], party=party, details=details
            )
            return matter, plain
        except ProcedureError as exc:
            name = (exc.field or "").removeprefix("details.")
            if name not in details or name in plain:
                raise
            details[name] = "某项"
            plain.append(name)
    raise AssertionError("unreachable")


def _take_through(matter: Matter, by: Any, i: int) -> list[str]:
    """Act on ``matter`` as its declaration allows (forward actions, text fields seeded)."""
    taken: list[str] = []
    procedure = matter.declaration
    for _step in range(4):
        matter.refresh_from_db()
        if matter.state in procedure.closed_states:
            break
        forward = [
            a
            for a in procedure.actions
            if matter.state in a.sources
            and a.target
            and a.target != matter.state
            and a.name not in ("refuse", "reopen", "request_reopen", "transfer")
        ]
        for action in forward:
            data = {f.name: _value(f, i + len(taken)) for f in action.fields}
            try:
                act(matter, action.name, by, data={k: v for k, v in data.items() if v is not None})
            except ProcedureError:
                continue
            taken.append(action.name)
            break
        else:
            break
    return taken


@pytest.fixture
def seeded(district, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = users["staff_a"]
    for intake in all_intakes():
        IntakeRoute.objects.create(procedure=intake.procedure, org=district["a"])
    report: dict[str, dict[str, Any]] = {}
    i = 0
    with clock.frozen(TODAY):
        # a draft open for comment, which the public's comments name (field "decision")
        refs = {"decision": open_decision(district, users).reference, "article": 1}
        for intake in all_intakes():
            for _copy in range(2):  # one left as submitted, one taken through and released
                matter, plain = _submit(intake, i, refs)
                entry = report.setdefault(intake.procedure, {"matters": [], "plain": plain})
                entry["matters"].append(matter.reference)
                if _copy:
                    entry["actions"] = _take_through(matter, staff, i)
                    matter.refresh_from_db()
                    if publicity.why_not_publishable(matter) is None:
                        publicity.release_matter(matter, staff)
                        entry["released"] = True
                i += 1
        petition = make_matter(
            "petition",
            district["a"],
            staff,
            TODAY - dt.timedelta(days=3),
            subject=PETITION_SUBJECT,
            party={"name": NAME, "phone": "13711112222", "address": ADDRESS},
            details={"category": "claim", "first_time": True, "office": False},
        )
    return {"intakes": report, "petition": petition}


def close_quietly(response: Any) -> None:
    """Close a response's open file without ``request_finished``'s ``close_old_connections``
    (which, inside the test's transaction on PostgreSQL, would close the connection), as
    Django's test client itself does around a request."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def crawl(client: Client, start: str = "/") -> dict[str, str]:
    """Every public page reachable from ``start`` by links: path → text (unescaped)."""
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        ratelimit.clear()  # the public rate limits
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        close_quietly(response)
        text = html.unescape(body.decode("utf-8", "replace"))
        seen[url] = text
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"]+)"', body.decode("utf-8", "replace")):
            link = urldefrag(urljoin(url, html.unescape(href)))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or link in seen:
                continue
            queue.append(link)
    return seen


def open311(client: Client, references: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    paths = [f"/open311/v2/services.{f}" for f in ("json", "xml")]
    paths += [f"/open311/v2/requests.{f}" for f in ("json", "xml")]
    paths += [f"/open311/v2/requests/{r}.{f}" for r in references for f in ("json", "xml")]
    for path in paths:
        ratelimit.clear()
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        text = html.unescape(response.content.decode())
        if response.status_code == 404:  # "没有编号为“…”的公开诉求": the number asked, echoed
            text = text.replace(path.rsplit("/", 1)[-1].rsplit(".", 1)[0], "")
        out[path] = text
    return out


def test_no_seeded_personal_data_on_any_public_page_or_answer(seeded):
    intakes = seeded["intakes"]
    assert {i.procedure for i in all_intakes()} == set(intakes)
    released = [code for code, entry in intakes.items() if entry.get("released")]
    assert len(released) >= 3, intakes  # help requests, complaints, letters at least
    references = [ref for entry in intakes.values() for ref in entry["matters"]]
    petition = seeded["petition"]

    web = Client()
    pages = crawl(web)
    answers = open311(web, [*references, petition.reference])
    assert web.get(f"/open311/v2/requests/{petition.reference}.json").status_code == 404
    assert len(pages) >= 15, sorted(pages)
    leaks = [
        f"{where}: {value}"
        for where, text in {**pages, **answers}.items()
        for value in (*FORBIDDEN, PETITION_SUBJECT, petition.reference)
        if value in text
    ]
    assert not leaks, "\n".join(leaks[:40])
    # released matters are really public (the crawl reached them), masked
    public_text = "\n".join([*pages.values(), *answers.values()])
    shown = [ref for ref in references if ref in public_text]
    assert shown, "no released matter was found on the public side"
    print(
        f"crawled {len(pages)} public pages and {len(answers)} Open311 answers; "
        f"{len(references)} submissions over {len(intakes)} public procedures, "
        f"released {len(released)} ({', '.join(released)}); {len(FORBIDDEN)} values sought"
    )
