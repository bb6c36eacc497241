"""An action whose target state follows a choice in its data (``Action.targets``): one
``cleanup`` with its outcome, rather than one action per outcome. Pure rules; the calendar comes from the database."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.procedures.clocks import clocks_of
from fazhi.procedures.declarations import Action, Deadline, Field, FieldType, Procedure
from fazhi.procedures.rules import apply, new_snapshot
from fazhi.workdays import TimeLimit, Unit, register_limits

D = dt.date
pytestmark = pytest.mark.django_db  # the calendar is read from the database

register_limits(TimeLimit("t_targets.wait", "等待", 10, Unit.NATURAL, "登记之日", "测试", "—"))

CHOICES = (("keep", "保留"), ("drop", "废止"), ("other", "其他"))

PROC = Procedure(
    code="t_targets",
    label="测试",
    states={"open": "有效", "kept": "保留", "dropped": "已废止"},
    closed_states=frozenset({"dropped"}),
    initial_state="open",
    actions=(
        Action(
            "decide",
            "决定",
            frozenset({"open", "kept"}),
            None,
            fields=(Field("outcome", "结果", FieldType.CHOICE, choices=CHOICES),),
            target_by="outcome",
            targets=(("keep", "kept"), ("drop", "dropped")),
            outcome="=outcome",
        ),
    ),
    deadlines=(Deadline("t_targets.wait", frozenset({"open"}), ("register",), "等待"),),
    generic_actions=frozenset(),
)


def step(snap, outcome, on):
    return apply(
        snap, "decide", role="staff", on=on, data={"outcome": outcome}, today=D(2024, 12, 31)
    )


def test_the_target_follows_the_choice():
    snap = new_snapshot(PROC, D(2024, 1, 2))
    kept = step(snap, "keep", D(2024, 1, 5)).snapshot
    assert kept.state == "kept" and kept.closed_on is None and kept.outcome == "keep"
    dropped = step(kept, "drop", D(2024, 1, 8)).snapshot
    assert dropped.state == "dropped" and dropped.closed_on == D(2024, 1, 8)
    # a value with no target keeps the state (``target`` is None)
    assert step(snap, "other", D(2024, 1, 5)).snapshot.state == "open"


def test_the_clocks_see_the_chosen_target():
    snap = new_snapshot(PROC, D(2024, 1, 2))
    (clock,) = clocks_of(step(snap, "keep", D(2024, 1, 5)).snapshot)
    assert clock.answered_on == D(2024, 1, 5) and clock.answered_action == "decide"
    (running,) = clocks_of(step(snap, "other", D(2024, 1, 5)).snapshot)
    assert running.is_open


def test_targets_are_checked_when_declared():
    with pytest.raises(ValueError, match="unknown state"):
        Procedure(
            code="t_bad",
            label="坏",
            states={"open": "开"},
            closed_states=frozenset(),
            initial_state="open",
            actions=(
                Action(
                    "decide",
                    "决定",
                    frozenset({"open"}),
                    fields=(Field("outcome", "结果", FieldType.CHOICE, choices=CHOICES),),
                    target_by="outcome",
                    targets=(("keep", "nowhere"),),
                ),
            ),
            generic_actions=frozenset(),
        )
    with pytest.raises(ValueError, match="target_by"):
        Procedure(
            code="t_bad2",
            label="坏",
            states={"open": "开", "kept": "留"},
            closed_states=frozenset(),
            initial_state="open",
            actions=(Action("decide", "决定", frozenset({"open"}), targets=(("keep", "kept"),)),),
            generic_actions=frozenset(),
        )
