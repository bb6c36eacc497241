"""#19: the people a matter records (``publicity.known_names``), hidden in its public texts."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.core.models import Role
from fazhi.core.tests.factories import staff_user
from fazhi.procedures import publicity
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date


def name(user, first):
    user.first_name = first
    user.save(update_fields=["first_name"])
    return user


def test_the_registrar_the_actors_the_handler_and_a_personal_field(district, users):
    name(users["staff_a"], "孙丽华")
    clerk = name(staff_user(district["a"], Role.STAFF, "t_clerk"), "赵铁柱")
    m = make_matter("reconsideration", district["a"], users["staff_a"], D(2025, 3, 3))
    with clock.frozen(D(2025, 3, 20)):
        act(m, "accept", users["staff_a"], D(2025, 3, 10))
        act(m, "assign_handler", users["head_a"], D(2025, 3, 11), handler=clerk.pk)
        act(
            m,
            "hear",
            clerk,
            D(2025, 3, 12),
            kind="opinions",
            participants="李和平、何与同（律师）",
            record="听取意见。",
        )
    m.refresh_from_db()
    known = set(publicity.known_names(m))
    assert {"张三", "孙丽华", "赵铁柱", "李和平", "何与同"} <= known
    text = "经查，李和平与何与同到场，孙丽华记录，赵铁柱核实，铁柱签字；张三签收。"
    shown = publicity.mask_for_public(m, text)
    for who in ("李和平", "何与同", "孙丽华", "赵铁柱", "铁柱", "张三"):
        assert who not in shown, (who, shown)
    assert "到场" in shown and "签收" in shown


def test_an_organisation_party_is_not_a_person_to_hide(district, users):
    m = make_matter(
        "help_request",
        district["a"],
        users["staff_a"],
        D(2025, 3, 3),
        party={"name": "四平市某某商贸有限公司", "kind": "organisation"},
    )
    assert "四平市某某商贸有限公司" not in publicity.known_names(m)


def test_a_page_of_matters_finds_their_people_in_two_queries(
    district, users, django_assert_max_num_queries
):
    name(users["staff_a"], "孙丽华")
    matters = [
        make_matter("help_request", district["a"], users["staff_a"], D(2025, 3, 3))
        for _ in range(6)
    ]
    fresh = list(type(matters[0]).objects.filter(pk__in=[m.pk for m in matters]))
    with django_assert_max_num_queries(2):
        publicity.load_people(fresh)
        names = [publicity.known_names(m) for m in fresh]
    assert all("孙丽华" in n for n in names)
