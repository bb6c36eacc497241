"""``fazhi sweep``: each crossing into warning and overdue is recorded and notified once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fazhi.core import clock
from fazhi.procedures.models import Matter, Notification
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date


def sweep(day, today=None):
    out = StringIO()
    with clock.frozen(today or day):
        call_command("sweep", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def matter(district, users):
    # Received Tuesday 2025-06-10: triage due Friday 06-13 (3 working days).
    return make_matter("business_complaint", district["a"], users["office"], D(2025, 6, 10))


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_warning_then_overdue_recorded_once(matter, users):
    Notification.objects.all().delete()  # the registration's "assigned" notices
    assert "新进入临期 0 件" in sweep(D(2025, 6, 6))  # before the window (due 06-13)
    out = sweep(D(2025, 6, 10))  # 06-13 is within 3 working days of 06-10
    assert "新进入临期 1 件" in out
    assert "新进入逾期 0 件" in out
    matter.refresh_from_db()
    assert matter.warned_on == D(2025, 6, 10)
    assert matter.overdue_on is None
    again = sweep(D(2025, 6, 10))
    assert "新进入临期 0 件" in again
    assert "发出提醒 0 条" in again
    assert kinds(users["staff_a"]) == ["warning"]
    out = sweep(D(2025, 6, 16))  # Monday after the Friday due date
    assert "新进入逾期 1 件" in out
    sweep(D(2025, 6, 17))
    matter.refresh_from_db()
    assert matter.overdue_on == D(2025, 6, 16)
    assert kinds(users["staff_a"]) == ["overdue", "warning"]


def test_notifies_the_units_staff_and_heads_only(matter, users):
    Notification.objects.all().delete()
    out = sweep(D(2025, 6, 16))
    assert "发出提醒 2 条" in out
    assert kinds(users["staff_a"]) == ["overdue"]
    assert kinds(users["head_a"]) == ["overdue"]
    for other in ("staff_b", "office", "leader", "admin"):
        assert kinds(users[other]) == [], other
    note = Notification.objects.get(recipient=users["staff_a"])
    assert (note.matter_id, note.due_on) == (matter.pk, D(2025, 6, 13))


def test_a_changed_due_date_resets_the_marks(matter, users):
    sweep(D(2025, 6, 16))
    matter.refresh_from_db()
    assert matter.overdue_on == D(2025, 6, 16)
    act(matter, "accept", users["staff_a"], D(2025, 6, 16), today=D(2025, 6, 16))
    matter.refresh_from_db()
    assert matter.due_on == D(2025, 7, 7)  # 15 working days from 06-16
    assert (matter.warned_on, matter.overdue_on) == (None, None)
    assert "新进入逾期 0 件" in sweep(D(2025, 6, 17))
    assert "新进入临期 1 件" in sweep(D(2025, 7, 2))  # 07-07 within 3 working days
    assert "新进入逾期 1 件" in sweep(D(2025, 7, 8))
    assert Notification.objects.filter(recipient=users["staff_a"], kind="overdue").count() == 2


def test_closed_and_paused_matters_are_left_alone(matter, users):
    act(matter, "refuse", users["staff_a"], D(2025, 6, 11), today=D(2025, 6, 11), reason="重复")
    other = make_matter(
        "business_complaint", users["staff_a"].profile.org, users["office"], D(2025, 6, 10)
    )
    act(other, "suspend", users["staff_a"], D(2025, 6, 11), today=D(2025, 6, 11), reason="待核实")
    out = sweep(D(2025, 6, 20))
    assert "新进入临期 0 件" in out
    assert "新进入逾期 0 件" in out
    assert not Matter.objects.exclude(overdue_on=None).exists()


@pytest.mark.parametrize("bad", ["2025-13-01", "明天", "2025/06/16"])
def test_bad_date_is_a_chinese_error(bad):
    with pytest.raises(CommandError, match="日期格式错误"):
        call_command("sweep", "--date", bad)


def test_future_date_is_refused(db):
    with clock.frozen(D(2025, 6, 16)), pytest.raises(CommandError, match="晚于今天"):
        call_command("sweep", "--date", "2025-06-17")


def test_without_date_uses_today(matter):
    out = StringIO()
    with clock.frozen(D(2025, 6, 16)):
        call_command("sweep", stdout=out)
    assert out.getvalue().startswith("2025-06-16 期限巡检完成")
