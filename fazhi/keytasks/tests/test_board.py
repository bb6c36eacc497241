"""The key-task board (the office's and a unit's), the actions from the matter page (progress,
acceptance, rejection, closing) and the reminders the daily sweep sends before the due date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.keytasks import board as kb
from fazhi.procedures.models import Matter, Notification
from fazhi.procedures.services import act, register_matter
from fazhi.procedures.sweeps import sweep

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 6, 20)


def task(district, users, subject, org="a", due="2024-06-30", assisting=()):
    with clock.frozen(D(2024, 1, 15)):
        m = register_matter(
            "key_task",
            org=district[org],
            received_on=D(2024, 1, 15),
            subject=subject,
            by=users["office"],
            details={"task_list": "2024年清单", "due_on": due, "measure": "印发文件"},
        )
        for a in assisting:
            act(m, "add_assistant", users["office"], D(2024, 1, 15), org=district[a].pk)
    return m


@pytest.fixture
def tasks(district, users):
    late = task(district, users, "修订工作规则", due="2024-05-31", assisting=("b",))
    soon = task(district, users, "开展案卷评查", due="2024-07-10")
    later = task(district, users, "推进赋权", org="street", due="2024-11-30", assisting=("b",))
    done = task(district, users, "编制决策目录", org="b", due="2024-03-31")
    with clock.frozen(TODAY):
        act(done, "submit_acceptance", users["staff_b"], D(2024, 3, 25))
        act(done, "accept", users["office"], D(2024, 3, 28))
    return {"late": late, "soon": soon, "later": later, "done": done}


def test_the_figures_of_the_board(tasks):
    b = kb.board(Matter.objects.all(), 2024, TODAY)
    assert b.total == 4 and b.closed == 1 and b.completion_rate == "25%"
    assert {code: n for code, _, n in b.by_state} == {
        "in_progress": 3,
        "acceptance_requested": 0,
        "closed": 1,
    }
    assert (b.overdue, b.due_soon) == (1, 1)
    rows = {u.org.name: (u.lead, u.closed, u.overdue, u.assisting) for u in b.units}
    assert rows == {
        "测试区司法局": (2, 0, 1, 0),
        "测试区市场监督管理局": (1, 1, 0, 2),
        "测试街道办事处": (1, 0, 0, 0),
    }


def test_a_task_waiting_for_acceptance_is_not_overdue(tasks, users):
    with clock.frozen(TODAY):
        act(tasks["late"], "submit_acceptance", users["staff_a"], TODAY)
    assert kb.board(Matter.objects.all(), 2024, TODAY).overdue == 0


def board_page(client, user, **params):
    client.force_login(user)
    with clock.frozen(TODAY):
        r = client.get(reverse("keytasks:board"), {"year": 2024, **params})
    assert r.status_code == 200
    return r.content.decode()


def test_the_office_sees_every_task_and_the_units(client, users, tasks):
    html = board_page(client, users["office"])
    for subject in ("修订工作规则", "开展案卷评查", "推进赋权", "编制决策目录"):
        assert subject in html
    assert 'data-testid="by-unit"' in html and "导入年度任务清单" in html
    overdue = board_page(client, users["office"], show="overdue")
    assert "修订工作规则" in overdue and "开展案卷评查" not in overdue
    soon = board_page(client, users["office"], show="soon")
    assert "开展案卷评查" in soon and "修订工作规则" not in soon


def test_a_unit_sees_what_it_leads_and_what_it_assists(client, users, tasks):
    html = board_page(client, users["staff_b"])
    lead, assisting = html.split("配合的任务")
    assert "编制决策目录" in lead and "修订工作规则" not in lead
    assert "修订工作规则" in assisting and "推进赋权" in assisting
    assert "开展案卷评查" not in html  # neither led nor assisted by this unit
    assert "导入年度任务清单" not in html


def test_the_office_opens_one_units_board(client, users, tasks, district):
    html = board_page(client, users["office"], org=district["street"].pk)
    assert "推进赋权" in html and "修订工作规则" not in html


def test_a_unit_cannot_open_another_units_board(client, users, tasks, district):
    html = board_page(client, users["staff_b"], org=district["a"].pk)
    assert "开展案卷评查" not in html  # falls back to its own board


def test_the_board_stays_within_a_few_queries(client, users, tasks, django_assert_max_num_queries):
    client.force_login(users["office"])
    with clock.frozen(TODAY), django_assert_max_num_queries(25):
        client.get(reverse("keytasks:board"), {"year": 2024})


# --- from the matter page -------------------------------------------------------------------


def post(client, user, m, action, **data):
    client.force_login(user)
    with clock.frozen(TODAY):
        return client.post(
            reverse("workbench:matter-act", args=[m.pk, action]), {"on": TODAY.isoformat(), **data}
        )


def page(client, user, m):
    client.force_login(user)
    with clock.frozen(TODAY):
        return client.get(reverse("workbench:matter-detail", args=[m.pk]))


def test_progress_acceptance_rejection_and_closing_from_the_matter_page(client, users, tasks):
    m = tasks["soon"]
    assert "报送进展" in page(client, users["staff_a"], m).content.decode()
    assert post(client, users["staff_a"], m, "report_progress", percent="60", text="起草中")
    m.refresh_from_db()
    assert m.details["percent"] == 60
    post(client, users["staff_a"], m, "submit_acceptance", text="已印发")
    m.refresh_from_db()
    assert m.state == "acceptance_requested"
    # the lead unit cannot accept its own task; the office sees the buttons
    post(client, users["staff_a"], m, "accept")
    m.refresh_from_db()
    assert m.state == "acceptance_requested"
    html = page(client, users["office"], m).content.decode()
    assert "验收销号" in html and "退回整改" in html
    post(client, users["office"], m, "reject_acceptance", reason="未见印发文件")
    m.refresh_from_db()
    assert m.state == "in_progress"
    post(client, users["staff_a"], m, "submit_acceptance", text="已补充印发文件")
    post(client, users["office"], m, "accept", opinion="达到完成标准")
    m.refresh_from_db()
    assert m.state == "closed" and m.outcome == "accepted"
    actions = list(m.steps.order_by("seq").values_list("action", flat=True))
    assert actions[-5:] == [
        "report_progress",
        "submit_acceptance",
        "reject_acceptance",
        "submit_acceptance",
        "accept",
    ]


def test_an_assisting_unit_reports_progress_but_a_stranger_gets_404(client, users, tasks):
    m = tasks["late"]  # led by a, assisted by b
    post(client, users["staff_b"], m, "report_progress", percent="30", text="配合起草")
    assert m.steps.filter(action="report_progress").count() == 1
    other = tasks["soon"]  # b neither leads nor assists
    assert page(client, users["staff_b"], other).status_code == 404


# --- reminders ------------------------------------------------------------------------------


def test_the_daily_sweep_reminds_lead_and_assisting_units_a_month_ahead(district, users):
    m = task(district, users, "修订工作规则", due="2024-06-28", assisting=("b",))
    reminders = Notification.objects.filter(matter=m, kind__in=("warning", "overdue"))
    assert sweep(D(2024, 5, 20))["notifications"] == 0  # 39 days ahead: not yet
    assert not reminders.exists()
    counts = sweep(D(2024, 6, 1))  # within 30 days: the lead unit and the assisting unit
    got = set(reminders.values_list("recipient", "kind"))
    assert got == {
        (users["staff_a"].pk, "warning"),
        (users["head_a"].pk, "warning"),
        (users["staff_b"].pk, "warning"),
    }
    assert counts["notifications"] == 3
    assert sweep(D(2024, 6, 2))["notifications"] == 0  # once per person and due date
    sweep(D(2024, 6, 25))  # the engine's warning (3 working days): not repeated
    assert reminders.count() == 3
    m.refresh_from_db()
    assert m.warned_on == D(2024, 6, 25)
    sweep(D(2024, 7, 1))
    assert Notification.objects.filter(
        matter=m, kind="overdue", recipient=users["staff_a"]
    ).exists()


def test_no_reminder_for_a_task_waiting_for_acceptance(district, users):
    m = task(district, users, "修订工作规则", due="2024-06-28")
    with clock.frozen(D(2024, 6, 1)):
        act(m, "submit_acceptance", users["staff_a"], D(2024, 6, 1))
    sweep(D(2024, 6, 3))
    assert not Notification.objects.filter(matter=m, kind="warning").exists()


# --- entered by hand ------------------------------------------------------------------------


def test_the_office_enters_a_task_in_the_workbench_and_adds_an_assisting_unit(
    client, users, district
):
    client.force_login(users["office"])
    with clock.frozen(D(2024, 1, 15)):
        form = client.get(reverse("workbench:matter-create"), {"procedure": "key_task"})
        assert 'name="details.measure"' in form.content.decode()
        r = client.post(
            reverse("workbench:matter-create"),
            {
                "procedure": "key_task",
                "org": str(district["b"].pk),
                "received_on": "2024-01-15",
                "subject": "建立首违不罚清单",
                "channel": "other",
                "details.task_list": "2024年清单",
                "details.number": "5",
                "details.due_on": "2024-08-31",
                "details.measure": "清单印发并公布",
            },
        )
    m = Matter.objects.get(subject="建立首违不罚清单")
    assert r.status_code == 302 and m.org == district["b"] and m.due_on == D(2024, 8, 31)
    post(client, users["office"], m, "add_assistant", org=str(district["a"].pk))
    assert m.assistants.filter(org=district["a"]).exists()
    assert "建立首违不罚清单" in board_page(client, users["staff_a"])  # now also a's task
