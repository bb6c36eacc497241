"""A deadline due on a date the matter fixes (``Deadline.until``): a task list's due date, a
rectification order's date; the limit's own length without one; an extension moves the date;
a later order's date governs its own run only; the import replay gives the same clocks."""

import datetime as dt

import pytest

from fazhi.procedures.declarations import (
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    register,
)
from fazhi.procedures.importing import import_records
from fazhi.procedures.models import Clock, Matter
from fazhi.procedures.services import act, register_matter
from fazhi.workdays import TimeLimit, Unit, register_limits

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)

register_limits(
    TimeLimit(
        "until_case.finish",
        "完成",
        30,
        Unit.NATURAL,
        "交办之日",
        "测试清单",
        "—",
        extension_max=30,
    ),
)

DUE = Field("due_on", "完成时限", FieldType.DATE, required=False)

register(
    Procedure(
        code="until_case",
        label="日期期限测试",
        states={"received": "办理中", "done": "已完成"},
        closed_states=frozenset({"done"}),
        actions=(
            Action("finish", "完成", frozenset({"received"}), "done"),
            Action(
                "reorder",
                "重新限期",
                frozenset({"received"}),
                None,
                fields=(Field("due_on", "完成时限", FieldType.DATE),),
                sets_details=("due_on",),
            ),
        ),
        deadlines=(
            Deadline(
                "until_case.finish",
                frozenset({"received"}),
                ("register", "reorder"),
                "完成",
                until="due_on",
            ),
        ),
        details=(DUE,),
        reference_prefix="UC",
    )
)


def new(user, org, received_on, **details):
    return register_matter(
        "until_case",
        org=org,
        received_on=received_on,
        subject="日期期限",
        by=user,
        details=details,
        today=TODAY,
    )


def finish_clocks(matter):
    return list(Clock.objects.filter(matter=matter).order_by("seq"))


def test_the_clock_is_due_on_the_matters_date(district, users):
    m = new(users["staff_a"], district["a"], D(2025, 3, 3), due_on="2025-06-30")
    assert m.due_on == D(2025, 6, 30)  # a Monday; not 30 natural days
    act(m, "finish", users["staff_a"], D(2025, 7, 1), today=TODAY)
    (c,) = finish_clocks(m)
    assert c.due_on == D(2025, 6, 30) and c.in_time is False
    assert "测试清单" in c.basis


def test_without_a_date_the_limit_length_applies(district, users):
    m = new(users["staff_a"], district["a"], D(2025, 3, 3))
    assert m.due_on == D(2025, 4, 2)


def test_an_approved_extension_moves_the_date(district, users):
    m = new(users["office"], district["a"], D(2025, 3, 3), due_on="2025-06-30")
    act(m, "extend", users["office"], D(2025, 6, 20), today=TODAY, days=10, reason="需要延期")
    m.refresh_from_db()
    assert m.due_on == D(2025, 7, 10)


def test_a_new_date_governs_its_own_run_only(district, users):
    s = users["staff_a"]
    m = new(s, district["a"], D(2025, 3, 3), due_on="2025-04-30")
    act(m, "reorder", s, D(2025, 4, 10), today=TODAY, due_on="2025-05-31")
    m.refresh_from_db()
    assert m.due_on == D(2025, 5, 31)
    # the restarted clock is one run (a restart replaces the running one), due on the new date
    assert [c.due_on for c in finish_clocks(m)] == [D(2025, 5, 31)]


def test_until_must_name_a_date_field():
    with pytest.raises(ValueError, match="no date details field"):
        Procedure(
            code="until_bad",
            label="错误",
            states={"received": "办理中"},
            closed_states=frozenset(),
            actions=(),
            deadlines=(Deadline("until_case.finish", frozenset({"received"}), until="nope"),),
        )


def test_the_import_gives_the_same_clocks(district, users):
    line = {
        "procedure": "until_case",
        "reference": "UC-2025-900001",
        "org": district["a"].name,
        "received_on": "2025-03-03",
        "subject": "导入",
        "details": {"due_on": "2025-06-30"},
        "steps": [{"action": "finish", "on": "2025-06-28"}],
    }
    report = import_records([(1, line, None)], name="测试", fmt="jsonl")
    assert report.committed, report.errors
    m = Matter.objects.get(reference="UC-2025-900001")
    (c,) = finish_clocks(m)
    assert (c.due_on, c.in_time) == (D(2025, 6, 30), True)
