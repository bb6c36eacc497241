"""The staff's suggestions pages: the list and its filters, the per-unit statistics, the
matter page's block (lead and assisting units, opinions, 面商, replies, feedback) and the
assisting unit's path through its queue to its opinion; another department sees none of it."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.models import Role
from fazhi.core.tests.fixtures import staff_user
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
SESSION_3, SESSION_4 = "第十八届第三次会议", "第十八届第四次会议"


def deputy(proc, org, by, on, number, session=SESSION_4, **extra):
    who = {"deputy": f"代表{number}", "session": session, "number": number}
    return register_matter(
        proc,
        org=org,
        received_on=on,
        by=by,
        subject=f"关于第{number}号事项的建议",
        details={**who, **extra},
        today=TODAY,
    )


def do(matter, action, user, on, **data):
    return act(matter, action, user, on, today=TODAY, **data)


@pytest.fixture
def year(district, users):
    a, b = district["a"], district["b"]
    sa, sb = users["staff_a"], users["staff_b"]
    m = {}
    # s1: led by A, assisted by B (opinion given), consulted, replied A, satisfied, concluded
    m[1] = deputy("npc_suggestion", a, sa, D(2025, 1, 10), "001")
    do(m[1], "add_assistant", sa, D(2025, 1, 13), org=b.pk)
    do(m[1], "opinion", sb, D(2025, 2, 1), text="同意增设公交站点")
    do(m[1], "consult", sa, D(2025, 2, 10), form="face", text="与代表当面沟通站点位置")
    do(m[1], "reply", sa, D(2025, 3, 20), result="A", reply="已增设站点")
    do(m[1], "feedback", sa, D(2025, 3, 25), satisfaction="satisfied", comment="很满意")
    do(m[1], "conclude", sa, D(2025, 3, 26))
    # s2: led by A, assisted by B (no opinion yet), past its 3 months: overdue
    m[2] = deputy("npc_suggestion", a, sa, D(2025, 2, 20), "002")
    do(m[2], "add_assistant", sa, D(2025, 2, 21), org=b.pk)
    # s3: led by A, replied late (C), the deputy dissatisfied
    m[3] = deputy("npc_suggestion", a, sa, D(2025, 1, 2), "003", session=SESSION_3)
    do(m[3], "reply", sa, D(2025, 5, 6), result="C")
    do(m[3], "feedback", sa, D(2025, 5, 10), satisfaction="dissatisfied")
    # p1: a CPPCC proposal led by B, replied in time (B)
    m[4] = deputy("cppcc_proposal", b, sb, D(2025, 3, 3), "101")
    do(m[4], "reply", sb, D(2025, 4, 1), result="B")
    # j1: a procuratorial suggestion to A
    m[5] = register_matter(
        "procuratorial_suggestion",
        org=a,
        received_on=D(2025, 5, 5),
        by=sa,
        subject="关于加强食品安全监管的检察建议",
        details={"issuer": "铁西区人民检察院", "document_number": "铁检建〔2025〕3号"},
        today=TODAY,
    )
    return m


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(TODAY):
        yield


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("oversight-suggestions:list"), params)
    assert response.status_code == 200
    return response, {r["matter"].pk for r in response.context["rows"]}


def test_the_list_and_its_filters(client, users, year, district):
    m = year
    office = users["office"]
    _r, every = listed(client, office)
    assert every == {x.pk for x in m.values()}
    assert listed(client, office, kind="cppcc_proposal")[1] == {m[4].pk}
    assert listed(client, office, session=SESSION_3)[1] == {m[3].pk}
    assert listed(client, office, unit=district["b"].pk)[1] == {m[4].pk}
    assert listed(client, office, state="done")[1] == {m[1].pk}
    assert listed(client, office, state="replied")[1] == {m[3].pk, m[4].pk}
    assert listed(client, office, due="overdue")[1] == {m[2].pk}  # due 20 May
    both = listed(client, office, kind="npc_suggestion", state="received")[1]
    assert both == {m[2].pk}
    response, _ = listed(client, office, kind="npc_suggestion")
    text = response.content.decode()
    assert "代表001" in text and "第001号" in text and district["b"].name in text


def test_bad_filters_are_named_in_chinese(client, users, year):
    response, rows = listed(client, users["office"], kind="x", unit="abc", due="late", state="?")
    text = response.content.decode()
    for words in ("类别“x”无效", "承办单位无效", "期限“late”无效", "状态“?”无效"):
        assert words in text
    assert len(rows) == 5  # the list itself, unfiltered


def test_the_list_takes_a_fixed_number_of_queries(
    client, users, year, django_assert_max_num_queries
):
    client.force_login(users["office"])
    with django_assert_max_num_queries(14):
        client.get(reverse("oversight-suggestions:list"))


def test_another_department_sees_only_its_own_and_what_it_assists(client, users, district, year):
    m = year
    # B leads the proposal and assists s1 and s2; A's s3 and the procuratorial one are not its
    assert listed(client, users["staff_b"])[1] == {m[1].pk, m[2].pk, m[4].pk}
    street = staff_user(district["street"], Role.STAFF, "t_street")
    assert listed(client, street)[1] == set()
    client.force_login(street)
    page = client.get(reverse("workbench:matter-detail", args=[m[1].pk]))
    assert page.status_code == 404
    client.force_login(users["staff_b"])
    assert client.get(reverse("workbench:matter-detail", args=[m[3].pk])).status_code == 404


def test_the_matter_page_shows_units_opinions_consultations_replies_feedback(
    client, users, district, year
):
    client.force_login(users["staff_a"])
    page = client.get(reverse("workbench:matter-detail", args=[year[1].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    block = text[text.index('data-testid="suggestion-handling"') :]
    assert district["a"].name in block[: block.index("会办单位与会办意见")]
    for words in ("同意增设公交站点", "当面面商", "与代表当面沟通站点位置", "A类：已解决或采纳"):
        assert words in block
    assert "满意" in block and "很满意" in block
    waiting = client.get(reverse("workbench:matter-detail", args=[year[2].pk])).content.decode()
    assert "尚未提出会办意见" in waiting and 'data-testid="opinions-missing"' in waiting
    organ = client.get(reverse("workbench:matter-detail", args=[year[5].pk])).content.decode()
    assert 'data-testid="suggestion-handling"' in organ and "尚未答复" in organ


def test_the_assisting_unit_finds_it_in_its_queue_and_records_its_opinion(
    client, users, district, year
):
    s2 = year[2]
    client.force_login(users["staff_b"])
    queue = client.get(reverse("workbench:home"), {"procedure": "npc_suggestion"})
    assert queue.status_code == 200
    assert s2.reference in queue.content.decode()
    page = client.get(reverse("workbench:matter-detail", args=[s2.pk]))
    assert [b.name for b in page.context["actions"]] == ["opinion"]
    url = reverse("workbench:matter-act", args=[s2.pk, "opinion"])
    assert client.post(url, {"on": "2025-06-30", "text": "建议与交通局会商"}).status_code == 302
    # now the lead may reply; before, the reply was refused with the reason
    client.force_login(users["staff_a"])
    reply = reverse("workbench:matter-act", args=[s2.pk, "reply"])
    done = client.post(reply, {"on": "2025-06-30", "result": "B", "reply": "列入明年计划"})
    assert done.status_code == 302
    s2.refresh_from_db()
    assert s2.state == "replied" and s2.details["result"] == "B"


def test_the_reply_waits_for_the_opinion_on_the_page(client, users, year):
    client.force_login(users["staff_a"])
    url = reverse("workbench:matter-act", args=[year[2].pk, "reply"])
    response = client.post(url, {"on": "2025-06-30", "result": "A"})
    assert response.status_code == 200
    assert "会办意见送达主办单位后方可答复" in response.content.decode()
    year[2].refresh_from_db()
    assert year[2].state == "received"


def test_the_deputy_actions_through_the_generic_forms(client, users, year):
    s3 = year[3]
    client.force_login(users["staff_a"])
    url = lambda action: reverse("workbench:matter-act", args=[s3.pk, action])  # noqa: E731
    assert client.post(url("redo"), {"on": "2025-05-12", "reason": "代表不满意"}).status_code == 302
    assert (
        client.post(
            url("consult"), {"on": "2025-05-15", "form": "phone", "text": "电话沟通"}
        ).status_code
        == 302
    )
    assert client.post(url("reply"), {"on": "2025-05-30", "result": "A"}).status_code == 302
    assert (
        client.post(
            url("feedback"), {"on": "2025-06-02", "satisfaction": "basically_satisfied"}
        ).status_code
        == 302
    )
    assert client.post(url("conclude"), {"on": "2025-06-03"}).status_code == 302
    s3.refresh_from_db()
    assert s3.state == "concluded" and s3.details["result"] == "A"
    actions = list(s3.steps.values_list("action", flat=True))
    assert actions[-5:] == ["redo", "consult", "reply", "feedback", "conclude"]


def stats_page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("oversight-suggestions:statistics"), params)
    assert response.status_code == 200
    return response


def test_the_statistics_per_unit(client, users, district, year):
    response = stats_page(client, users["office"], kind="npc_suggestion", year=2025)
    rows = {r["unit"].pk: dict(r["cells"]) for r in response.context["rows"]}
    a = rows[district["a"].pk]
    assert a["npc_suggestion.handled"] == "3"
    # on time: s1 in time; s3 late (due 2 April); s2 waiting past 20 May: 1 of 3
    assert a["npc_suggestion.on_time_rate"] == "33.33%"
    assert (a["npc_suggestion.results.A"], a["npc_suggestion.results.C"]) == ("1", "1")
    assert a["npc_suggestion.results.B"] == "0"
    assert a["npc_suggestion.satisfaction_rate"] == "50%"  # s1 satisfied, s3 not
    assert district["b"].pk not in rows  # B leads no NPC suggestion (it only assists)
    cppcc = stats_page(client, users["office"], kind="cppcc_proposal", year=2025)
    b = {r["unit"].pk: dict(r["cells"]) for r in cppcc.context["rows"]}[district["b"].pk]
    assert (b["cppcc_proposal.handled"], b["cppcc_proposal.on_time_rate"]) == ("1", "100%")
    organ = stats_page(client, users["office"], kind="procuratorial_suggestion", year=2025)
    assert [r["unit"].pk for r in organ.context["rows"]] == [district["a"].pk]


def test_the_statistics_of_another_department_are_its_own(client, users, district, year):
    response = stats_page(client, users["staff_b"], kind="npc_suggestion", year=2025)
    assert response.context["rows"] == []
    response = stats_page(client, users["staff_b"], kind="cppcc_proposal", year=2025)
    assert [r["unit"].pk for r in response.context["rows"]] == [district["b"].pk]
    bad = stats_page(client, users["office"], kind="nope", year="20x5")
    text = bad.content.decode()
    assert "类别“nope”无效" in text and "年度“20x5”无效" in text


def test_the_nav_has_the_page(client, users):
    client.force_login(users["staff_a"])
    page = client.get(reverse("workbench:home")).content.decode()
    assert reverse("oversight-suggestions:list") in page and "建议提案" in page


def test_the_records_behind_the_figures(client, users, district, year):
    from fazhi.indicators.engine import drill_down

    m, a = year, district["a"]
    on_time = drill_down("npc_suggestion.on_time_rate", a, 2025, TODAY)
    base = drill_down("npc_suggestion.on_time_rate", a, 2025, TODAY, part="denominator")
    assert {x.pk for x in on_time} == {m[1].pk}
    assert {x.pk for x in base} == {m[1].pk, m[2].pk, m[3].pk}
    assert {x.pk for x in drill_down("npc_suggestion.results.C", a, 2025, TODAY)} == {m[3].pk}
    satisfied = drill_down("npc_suggestion.satisfaction_rate", a, 2025, TODAY)
    assert {x.pk for x in satisfied} == {m[1].pk}
    # the statistics page's links open the same records
    client.force_login(users["staff_a"])
    url = reverse("indicators:drill", args=["npc_suggestion.results.C"])
    page = client.get(url, {"org": a.pk, "year": 2025})
    assert page.status_code == 200
    assert f"/workbench/matters/{m[3].pk}/" in page.content.decode()
    assert f"/workbench/matters/{m[1].pk}/" not in page.content.decode()


def test_an_extension_requested_and_approved_on_the_page(client, users, year):
    s2 = year[2]  # due 20 May; today 30 June: overdue, extended by the head to 20 August
    client.force_login(users["staff_a"])
    url = lambda action: reverse("workbench:matter-act", args=[s2.pk, action])  # noqa: E731
    assert (
        client.post(
            url("request_extend"), {"on": "2025-05-06", "days": "3", "reason": "情况复杂"}
        ).status_code
        == 302
    )
    client.force_login(users["head_a"])
    page = client.get(reverse("workbench:matter-detail", args=[s2.pk])).content.decode()
    assert 'data-testid="extension-request"' in page
    too_long = client.post(url("extend"), {"on": "2025-05-07", "days": "4", "reason": "同意"})
    assert too_long.status_code == 200 and "最多可延长3个月" in too_long.content.decode()
    assert (
        client.post(url("extend"), {"on": "2025-05-07", "days": "3", "reason": "同意"}).status_code
        == 302
    )
    s2.refresh_from_db()
    assert s2.due_on == D(2025, 8, 20)


def test_a_procuratorial_reply_with_its_measures_on_the_page(client, users, year):
    j = year[5]
    client.force_login(users["staff_a"])
    url = reverse("workbench:matter-act", args=[j.pk, "reply"])
    missing = client.post(url, {"on": "2025-06-30"})
    assert missing.status_code == 200 and 'data-field="measures"' in missing.content.decode()
    done = client.post(url, {"on": "2025-06-30", "measures": "开展专项检查，建立长效机制"})
    assert done.status_code == 302
    page = client.get(reverse("workbench:matter-detail", args=[j.pk])).content.decode()
    block = page[page.index('data-testid="suggestion-handling"') :]
    assert "开展专项检查，建立长效机制" in block
