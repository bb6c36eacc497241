"""A public submission under load (#19 "Load without loss"): what it reads, and when.

Concurrent registrations wait on each other for the reference counter's row (until the
commit on PostgreSQL) and, on SQLite, for the one write lock (the whole write transaction);
so everything that only reads is done before the transaction, and the counter is its first
statement. These tests hold that shape and the count of statements.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from fazhi.portal.forms import submission_form
from fazhi.procedures.models import Matter, Notification

from .test_submit import help_data

pytestmark = pytest.mark.django_db


def _statements_by_depth(client, data):
    """(sql, atomic depth) of every statement of one POST /help/."""
    seen: list[tuple[str, int]] = []

    def spy(execute, sql, params, many, context):
        seen.append((sql, len(connection.atomic_blocks)))
        return execute(sql, params, many, context)

    base = len(connection.atomic_blocks)  # the test's own transaction
    with connection.execute_wrapper(spy):
        response = client.post(reverse("portal:submit-help-request"), data)
    assert response.status_code == 302
    return seen, base


def test_reads_come_before_the_registration_and_the_counter_first_within_it(
    client, intake, users, today
):
    seen, base = _statements_by_depth(client, help_data())
    before = [sql for sql, depth in seen if depth == base]
    inside = [sql for sql, depth in seen if depth > base and not sql.startswith("BEGIN")]
    assert any("core_staffprofile" in sql for sql in before)  # the unit's staff to notify
    assert any("workdays_calendarday" in sql for sql in before)  # the calendar's version
    assert not any("core_staffprofile" in sql or "workdays_" in sql for sql in inside)
    assert "procedures_referencecounter" in inside[0] and "ON CONFLICT" in inside[0]
    assert not any("portal_subscription" in sql for sql, _ in seen)  # a registration tells nothing
    matter = Matter.objects.get()
    # the unit's staff and head (users of district["a"]) were still notified, in the transaction
    assert set(Notification.objects.filter(matter=matter).values_list("recipient", flat=True)) == {
        users["staff_a"].pk,
        users["head_a"].pk,
    }


def test_one_submission_runs_at_most_twelve_statements(
    client, intake, today, django_assert_max_num_queries
):
    """20 before (#19, 2026-12-04): the counter in one statement instead of three, the audit
    event without its own savepoint, no subscription read at registration, the state tally
    from the registration's own step (no read of the matter's steps). A receiver added to
    ``step_recorded`` that reads or writes at every registration shows here. (PostgreSQL: one
    more, the rate-limit count's ``SET LOCAL synchronous_commit = off``.)"""
    client.post(reverse("portal:submit-help-request"), help_data())  # the year's counter row
    with django_assert_max_num_queries(12 + (connection.vendor == "postgresql")):
        response = client.post(reverse("portal:submit-help-request"), help_data())
    assert response.status_code == 302
    assert Matter.objects.count() == 2


def test_the_form_class_is_built_once_and_its_instances_share_no_state(client, intake, today):
    assert submission_form("help_request") is submission_form("help_request")
    refused = client.post(reverse("portal:submit-help-request"), help_data(subject=""))
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.content.decode()
    fresh = client.get(reverse("portal:submit-help-request")).content.decode()
    assert 'aria-invalid="true"' not in fresh  # the error of one request is not the next one's


def test_an_inactive_or_other_role_user_of_the_unit_is_not_notified(client, intake, users, today):
    users["head_a"].is_active = False
    users["head_a"].save()
    response = client.post(reverse("portal:submit-help-request"), help_data())
    assert response.status_code == 302
    notified = set(Notification.objects.values_list("recipient", flat=True))
    assert notified == {users["staff_a"].pk}  # not the inactive head, not the unit's law office
