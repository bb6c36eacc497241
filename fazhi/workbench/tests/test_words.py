"""Words instead of codes where staff look: the audit log, a matter's record and an activity
drill-down carry no raw action code, state code or ``key=value`` pair (issue #21)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.procedures.activities import record_activity
from fazhi.procedures.declarations import all_procedures
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 16)

KEY_VALUE = re.compile(r"\b[a-z_]+=[\w.-]+")
DOTTED_CODE = re.compile(r"\b(matter|activity|register|report|auth|admin)\.[a-z_]+\b")


def visible_text(html: str) -> str:
    """What a reader sees: the body without tags, scripts or attribute values."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def codes_of_states_and_choices() -> set[str]:
    """Every state code and choice code of every procedure that is not also a Chinese word."""
    codes: set[str] = set()
    for p in all_procedures():
        codes |= set(p.states)
        for a in p.all_actions():
            for f in a.fields:
                codes |= {k for k, _v in f.choices}
    return {c for c in codes if re.fullmatch(r"[a-z_]{3,}", c)}


def assert_in_words(html: str) -> None:
    text = visible_text(html)
    assert not KEY_VALUE.findall(text), KEY_VALUE.findall(text)
    assert not DOTTED_CODE.findall(text), DOTTED_CODE.findall(text)
    words = set(re.findall(r"\b[a-z_]{3,}\b", text))
    leaked = words & codes_of_states_and_choices()
    assert not leaked, leaked


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def test_audit_log_matter_record_and_drill_down_are_in_words(client, district, users):
    staff = users["staff_a"]
    m = make_matter(
        "help_request", district["a"], staff, D(2025, 6, 10), today=TODAY, subject="窗口求助"
    )
    act(m, "accept", staff, D(2025, 6, 11), today=TODAY)
    act(m, "conclude", staff, D(2025, 6, 12), today=TODAY, result="已办结")
    act(m, "rate", None, D(2025, 6, 13), public=True, today=TODAY, satisfaction="dissatisfied")
    act(m, "reopen", staff, D(2025, 6, 13), today=TODAY, reason="当事人不满意")
    record_activity(
        "dispute_screening",
        org=district["a"],
        on=D(2025, 3, 1),
        title="春季排查",
        figures={"found": 3, "resolved": 2},
        by=staff,
        today=TODAY,
    )
    client.force_login(users["office"])

    record = client.get(reverse("workbench:matter-detail", args=[m.pk])).content.decode()
    assert "不满意" in record and "办理：评价" in record and "状态：办理中" in record
    assert_in_words(record)

    log = client.get(reverse("core:audit-list")).content.decode()
    assert "登记事项" in log and "登记工作活动" in log and "发现矛盾（件）：3" in log
    assert_in_words(log)

    drill = client.get(
        reverse("indicators:drill", args=["dispute_screening.reported"]),
        {"org": district["a"].pk, "year": 2025},
    ).content.decode()
    assert "春季排查" in drill and "其中已化解（件）：2" in drill
    assert_in_words(drill)
