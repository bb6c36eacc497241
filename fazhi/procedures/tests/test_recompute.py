"""When the calendar changes, open deadlines are recomputed in one bulk pass."""

import datetime as dt
from pathlib import Path

import pytest

from fazhi.core import clock
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.procedures.sweeps import recompute_open_deadlines
from fazhi.procedures.tests.factories import make_matter
from fazhi.workdays.notices import parse_notice_file
from fazhi.workdays.services import import_notice

pytestmark = pytest.mark.django_db(transaction=True)  # the signal is sent on commit

NOTICE_2027 = (
    Path(__file__).parents[2] / "workdays" / "tests" / "data" / "notice_2027_TEST_ONLY.csv"
)


def test_importing_a_notice_recomputes_provisional_deadlines(district, users):
    # Accepted 2027-08-02: 60 natural days end on Friday 2027-10-01, computed as a plain week
    # (provisional) because the 2027 notice is not loaded. The (test) notice makes 10-01 to
    # 10-07 rest days, so once it is imported the deadline rolls forward to 2027-10-08.
    today = dt.date(2027, 8, 3)
    with clock.frozen(today):
        matter = make_matter(
            "reconsideration", district["a"], users["staff_a"], dt.date(2027, 7, 30)
        )
        act(matter, "accept", users["staff_a"], dt.date(2027, 8, 2), today=today)
        # the copy and the reply done: the decision's is the running clock
        act(matter, "send_copy", users["staff_a"], dt.date(2027, 8, 2), today=today)
        act(matter, "receive_reply", users["staff_a"], dt.date(2027, 8, 3), today=today)
    matter.refresh_from_db()
    assert (matter.due_on, matter.due_provisional) == (dt.date(2027, 10, 1), True)
    import_notice(parse_notice_file(NOTICE_2027))
    matter.refresh_from_db()
    assert (matter.due_on, matter.due_provisional) == (dt.date(2027, 10, 8), False)
    decide = matter.clocks.get(limit="reconsideration.decide")
    assert (decide.due_on, decide.provisional) == (dt.date(2027, 10, 8), False)


def test_recompute_changes_only_what_changed(district, users):
    today = dt.date(2025, 3, 20)
    with clock.frozen(today):
        matter = make_matter(
            "reconsideration", district["a"], users["staff_a"], dt.date(2025, 3, 7)
        )
    assert recompute_open_deadlines() == 0
    Matter.objects.filter(pk=matter.pk).update(due_on=dt.date(2025, 1, 1))
    assert recompute_open_deadlines() == 1
    matter.refresh_from_db()
    assert matter.due_on == dt.date(2025, 3, 14)
