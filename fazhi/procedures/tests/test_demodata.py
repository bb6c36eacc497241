"""DemoMatters: the demos' matters written by the bulk import, numbered as the platform numbers
them, refused as a whole when the rules refuse a line."""

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.procedures.demodata import DemoError, DemoMatters
from fazhi.procedures.models import Matter
from fazhi.procedures.services import register_matter

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(D(2025, 6, 30)):
        yield


def help_request(demo, org, received, kind="help"):
    return demo.add(
        "help_request",
        org=org,
        received_on=received,
        subject="老年人办理社保认证困难",
        party={"name": "王敏"},
        details={"kind": kind},
    )


def test_matters_are_replayed_by_the_rules_and_numbered_on(district, users):
    a = district["a"]
    first = register_matter(
        "help_request",
        org=a,
        received_on=D(2025, 3, 3),
        subject="求助",
        by=users["staff_a"],
        details={"kind": "help"},
    )
    demo = DemoMatters()
    m = help_request(demo, a, D(2025, 3, 4))
    m.step("accept", D(2025, 3, 4)).step("conclude", D(2025, 3, 6), result="已帮办完成。")
    m.step("rate", D(2025, 3, 7), public=True, satisfaction="satisfied")
    help_request(demo, a, D(2025, 6, 27))
    assert demo.save("测试") == 2
    done, waiting = Matter.objects.exclude(pk=first.pk).order_by("received_on")
    prefix = first.reference.rsplit("-", 1)[0]
    assert (done.reference, waiting.reference) == (f"{prefix}-000002", f"{prefix}-000003")
    assert (done.state, done.closed_on, done.satisfaction) == (
        "concluded",
        D(2025, 3, 6),
        "satisfied",
    )
    assert waiting.closed_on is None and waiting.due_on is not None
    assert [s.action for s in done.steps.order_by("seq")] == [
        "register",
        "accept",
        "conclude",
        "rate",
    ]
    # the numbering goes on after the imported references
    later = register_matter(
        "help_request",
        org=a,
        received_on=D(2025, 6, 30),
        subject="求助",
        by=users["staff_a"],
        details={"kind": "help"},
    )
    assert later.reference == f"{prefix}-000004"


def test_a_line_the_rules_refuse_writes_nothing(district):
    demo = DemoMatters()
    help_request(demo, district["a"], D(2025, 3, 4)).step("accept", D(2025, 3, 4))
    help_request(demo, district["a"], D(2025, 3, 4)).step("rate", D(2025, 3, 5), public=True)
    with pytest.raises(DemoError, match="有1行被拒绝：第2行"):
        demo.save("测试")
    assert not Matter.objects.exists()
