"""Key tasks (report section 四): progress reports, acceptance and closing, rejection back to
work with a new run of the due date, the due date from the list, the completion rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.errors import InvalidTransition, NotAllowed
from fazhi.procedures.models import Clock
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date


def _task(district, users, subject="修订工作规则", due="2024-06-30"):
    return register_matter(
        "key_task",
        org=district["a"],
        received_on=D(2024, 1, 15),
        subject=subject,
        by=users["office"],
        details={"task_list": "2024年重点任务清单", "due_on": due, "measure": "印发文件"},
    )


def test_a_task_is_due_on_its_lists_date(district, users):
    task = _task(district, users)
    assert task.state == "in_progress" and task.due_on == D(2024, 6, 30)


def test_progress_then_acceptance_closes_the_task(district, users):
    task = _task(district, users)
    s, office = users["staff_a"], users["office"]
    act(task, "report_progress", s, D(2024, 3, 1), percent=40, text="起草中")
    act(task, "report_progress", s, D(2024, 5, 1), percent=90, text="征求意见")
    task.refresh_from_db()
    assert task.details["percent"] == 90
    act(task, "submit_acceptance", s, D(2024, 6, 20))
    with pytest.raises(NotAllowed):  # the lead unit does not accept its own task
        act(task, "accept", s, D(2024, 6, 25))
    act(task, "accept", office, D(2024, 6, 25), opinion="达标")
    task.refresh_from_db()
    assert task.state == "closed" and task.outcome == "accepted"
    (clock,) = Clock.objects.filter(matter=task)
    assert clock.answered_action == "submit_acceptance" and clock.in_time is True


def test_a_rejected_acceptance_goes_back_to_work_and_restarts_the_due_date(district, users):
    task = _task(district, users)
    s, office = users["staff_a"], users["office"]
    act(task, "submit_acceptance", s, D(2024, 6, 20))
    with pytest.raises(InvalidTransition):  # no progress reports while waiting for acceptance
        act(task, "report_progress", s, D(2024, 6, 21), percent=100, text="x")
    act(task, "reject_acceptance", office, D(2024, 6, 24), reason="未印发")
    task.refresh_from_db()
    assert task.state == "in_progress" and task.due_on == D(2024, 6, 30)
    act(task, "submit_acceptance", s, D(2024, 7, 5))
    clocks = list(Clock.objects.filter(matter=task).order_by("seq"))
    assert [(c.answered_on, c.in_time) for c in clocks] == [
        (D(2024, 6, 20), True),
        (D(2024, 7, 5), False),
    ]


def test_the_completion_rate(district, users):
    done = _task(district, users, "甲")
    _task(district, users, "乙")
    act(done, "submit_acceptance", users["staff_a"], D(2024, 6, 20))
    act(done, "accept", users["office"], D(2024, 6, 25))
    values = compute_indicators(district["root"], 2024).values
    assert values["key_task.tasks"] == 2
    assert values["key_task.completion_rate"] == Decimal(50)
    assert compute_indicators(district["root"], 2024, D(2024, 6, 24)).values[
        "key_task.completion_rate"
    ] == Decimal(0)
