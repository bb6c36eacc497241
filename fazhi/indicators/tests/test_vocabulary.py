"""The conditional sources (registry: Matters, Steps, Timely, Entries, breakdowns) built from
hand-made records of a test-only procedure, each value checked with its drill-down."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.indicators.engine import Facts, evaluate, gather, period_of, source_records
from fazhi.indicators.registry import (
    Indicator,
    Linked,
    Matters,
    Party,
    Steps,
    breakdown,
    detail,
    step,
)
from fazhi.procedures.declarations import Action, Field, FieldType, Link, Procedure, register
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
Y = 2024
P = "vocab_case"
CATEGORIES = (("claim", "申诉求决"), ("suggestion", "建议意见"))

register(
    Procedure(
        code=P,
        label="词汇测试事项",
        states={
            "received": "待受理",
            "accepted": "已受理",
            "refused": "不予受理",
            "concluded": "已办结",
            "review_requested": "请求复查",
        },
        closed_states=frozenset({"refused", "concluded"}),
        actions=(
            Action("accept", "受理", frozenset({"received"}), "accepted"),
            Action("refuse", "不予受理", frozenset({"received"}), "refused"),
            Action(
                "divert",
                "导入",
                frozenset({"accepted"}),
                None,
                fields=(
                    Field(
                        "channel",
                        "途径",
                        FieldType.CHOICE,
                        choices=(("mediation", "调解"), ("reconsideration", "复议")),
                    ),
                ),
            ),
            Action(
                "hear",
                "开庭",
                frozenset({"accepted"}),
                None,
                fields=(Field("head_appeared", "负责人出庭", FieldType.BOOL, required=False),),
            ),
            Action("conclude", "办结", frozenset({"accepted"}), "concluded"),
            Action("request_review", "请求复查", frozenset({"concluded"}), "review_requested"),
        ),
        details=(
            Field("category", "类别", FieldType.CHOICE, choices=CATEGORIES),
            Field("first_time", "初次", FieldType.BOOL, required=False),
            Field("amount", "金额", FieldType.DECIMAL, required=False),
            Field("repeat_of", "重复所指原件编号", required=False, max_length=64),
        ),
        links=(Link("repeat_of", reference="repeat_of"),),
        reference_prefix="VC",
    )
)


def case(org, user, received, *steps, party=None, **details):
    details.setdefault("category", "claim")
    m = make_matter(P, org, user, received, today=TODAY, details=details, party=party)
    for action, on, *data in steps:
        act(m, action, user, on, today=TODAY, **(data[0] if data else {}))
    return m


def values(org, *indicators, as_of=None):
    period = period_of(Y, as_of)
    facts: Facts = gather(org, period, indicators)
    return evaluate(indicators, facts)


def records(src, org, as_of=None):
    return list(source_records(src, org, period_of(Y, as_of)))


def ind(code, num, den=None):
    return Indicator(code, code, "6", "", "%" if den else "件", numerator=num, denominator=den)


@pytest.fixture
def cases(district, users):
    a, s = district["a"], users["staff_a"]
    return {
        # first-time claim, diverted to mediation, concluded, no review
        "mediated": case(
            a,
            s,
            D(2024, 2, 1),
            ("accept", D(2024, 2, 3)),
            ("divert", D(2024, 2, 5), {"channel": "mediation"}),
            ("conclude", D(2024, 3, 1)),
            first_time=True,
            amount="100.50",
        ),
        # first-time claim, concluded, review requested (not resolved at first)
        "reviewed": case(
            a,
            s,
            D(2024, 3, 1),
            ("accept", D(2024, 3, 2)),
            ("hear", D(2024, 3, 5), {"head_appeared": True}),
            ("hear", D(2024, 3, 9), {"head_appeared": False}),
            ("conclude", D(2024, 4, 1)),
            ("request_review", D(2024, 4, 10)),
            first_time=True,
            amount="20",
        ),
        # a suggestion, diverted to reconsideration, concluded only after the cut-off
        "late": case(
            a,
            s,
            D(2024, 12, 20),
            ("accept", D(2024, 12, 23)),
            ("divert", D(2024, 12, 24), {"channel": "reconsideration"}),
            ("hear", D(2025, 1, 3), {"head_appeared": True}),
            ("conclude", D(2025, 1, 10)),
            category="suggestion",
        ),
        # received in 2023, concluded in 2024: in the conclusion cohort of 2024 only
        "old": case(
            a,
            s,
            D(2023, 12, 1),
            ("accept", D(2023, 12, 2)),
            ("conclude", D(2024, 1, 15)),
            party={"name": "某公司", "kind": "organisation", "id_number": ""},
        ),
        "refused": case(a, s, D(2024, 5, 1), ("refuse", D(2024, 5, 2)), first_time=False),
    }


def test_conditions_on_details(district, cases):
    claims = Matters(P, where=(detail("category", "claim"),))
    first = Matters(P, where=(detail("category", "claim"), detail("first_time", True)))
    not_first = Matters(P, where=(detail("first_time", True, negate=True),))
    got = values(district["root"], ind("c", claims), ind("f", first), ind("n", not_first))
    assert got == {"c": 3, "f": 2, "n": 2}  # not_first: "late" (absent) and "refused" (False)
    assert {m.pk for m in records(not_first, district["root"])} == {
        cases["late"].pk,
        cases["refused"].pk,
    }


def test_states_as_of_the_cut_off(district, cases):
    concluded = Matters(P, frozenset({"concluded", "review_requested"}))
    assert values(district["root"], ind("x", concluded)) == {"x": 2}
    # "late" concluded in 2025: counted when the cut-off is after that
    assert values(district["root"], ind("x", concluded), as_of=D(2025, 2, 1)) == {"x": 3}
    assert [m.pk for m in records(concluded, district["root"])] == [
        cases["mediated"].pk,
        cases["reviewed"].pk,
    ]


def test_has_step_with_data_and_its_negation(district, cases):
    mediated = Matters(P, where=(step("divert", channel="mediation"),))
    diverted = Matters(P, where=(step("divert"),))
    resolved_first = Matters(
        P,
        frozenset({"concluded", "review_requested"}),
        (detail("first_time", True), step("request_review", negate=True)),
    )
    got = values(district["root"], ind("m", mediated), ind("d", diverted), ind("r", resolved_first))
    assert got == {"m": 1, "d": 2, "r": 1}
    assert [m.pk for m in records(resolved_first, district["root"])] == [cases["mediated"].pk]


def test_a_step_after_the_cut_off_does_not_count(district, cases):
    reviewed_after = Matters(P, where=(step("request_review"),))
    assert values(district["root"], ind("x", reviewed_after), as_of=D(2024, 4, 9)) == {"x": 0}
    assert values(district["root"], ind("x", reviewed_after), as_of=D(2024, 4, 10)) == {"x": 1}


def test_cohort_by_a_steps_date(district, cases):
    concluded_in_year = Matters(P, cohort="conclude")
    assert values(district["root"], ind("x", concluded_in_year)) == {"x": 3}
    assert {m.pk for m in records(concluded_in_year, district["root"])} == {
        cases["mediated"].pk,
        cases["reviewed"].pk,
        cases["old"].pk,
    }


def test_a_step_in_the_year_and_the_latest_of_its_kind(district, cases):
    """``in_year``: a step dated in Y (a later cut-off sees steps after Y, which do not count);
    ``latest``: the latest step of the actions by the cut-off has the data (a later hearing
    without the head overrides an earlier one with him)."""
    root, later = district["root"], D(2025, 2, 1)
    concluded = Matters(P, where=(step("conclude"),))
    in_year = Matters(P, where=(step("conclude", in_year=True),))
    assert values(root, ind("c", concluded), ind("y", in_year)) == {"c": 2, "y": 2}
    assert values(root, ind("c", concluded), ind("y", in_year), as_of=later) == {"c": 3, "y": 2}
    assert {m.pk for m in records(in_year, root, later)} == {
        cases["mediated"].pk,
        cases["reviewed"].pk,
    }
    heard = Matters(P, where=(step("hear", head_appeared=True),))
    last = Matters(P, where=(step("hear", latest=True, head_appeared=True),))
    assert values(root, ind("h", heard), ind("l", last)) == {"h": 1, "l": 0}
    assert values(root, ind("h", heard), ind("l", last), as_of=later) == {"h": 2, "l": 1}
    assert [m.pk for m in records(last, root, later)] == [cases["late"].pk]


def test_party_kind(district, cases):
    organisations = Matters(P, cohort="conclude", where=(Party("organisation"),))
    assert values(district["root"], ind("x", organisations)) == {"x": 1}


def test_counts_of_steps_and_a_rate_over_them(district, cases):
    hearings = Steps(Matters(P), frozenset({"hear"}))
    with_head = Steps(Matters(P), frozenset({"hear"}), (("head_appeared", frozenset({True})),))
    got = values(district["root"], ind("h", hearings), ind("r", with_head, hearings))
    assert got == {"h": 2, "r": Decimal("50.00")}  # the 2025 hearing is after the cut-off
    assert [s.data["head_appeared"] for s in records(with_head, district["root"])] == [True]


def test_sum_of_a_number_in_details(district, cases):
    total = Matters(P, total="amount")
    assert values(district["root"], ind("x", total)) == {"x": Decimal("120.50")}
    assert len(records(total, district["root"])) == 2


def test_breakdown_by_a_field(district, cases):
    parts = breakdown(ind("cases", Matters(P)), "category", CATEGORIES)
    assert [i.code for i in parts] == ["cases", "cases.claim", "cases.suggestion"]
    assert parts[1].label == "cases（申诉求决）"
    got = values(district["root"], *parts)
    assert got == {"cases": 4, "cases.claim": 3, "cases.suggestion": 1}
    assert got["cases"] == got["cases.claim"] + got["cases.suggestion"]


def test_scope_and_units(district, users, cases):
    case(district["b"], users["staff_b"], D(2024, 6, 1))
    claims = ind("x", Matters(P, where=(detail("category", "claim"),)))
    assert values(district["root"], claims) == {"x": 4}
    assert values(district["a"], claims) == {"x": 3}
    assert values(district["b"], claims) == {"x": 1}
    assert len(records(claims.numerator, district["b"])) == 1


def test_one_query_per_family(district, cases, django_assert_max_num_queries):
    inds = [
        ind("a", Matters(P)),
        ind("b", Matters(P, frozenset({"concluded"}), (step("divert"),))),
        ind("c", Matters(P, where=(detail("first_time", True),)), Matters(P)),
        ind("d", Matters(P, cohort="conclude")),
        ind("e", Steps(Matters(P), frozenset({"hear"}))),
    ]
    # matters received in Y, matters concluded in Y, steps: three grouped queries (+ the
    # subtree's ids inside each)
    with django_assert_max_num_queries(3):
        values(district["root"], *inds)


def test_drill_down_pages_list_steps(district, users, cases, client, monkeypatch):
    from fazhi.indicators import registry

    hearings = ind("vocab.hearings", Steps(Matters(P), frozenset({"hear"})))
    monkeypatch.setitem(registry._INDICATORS, hearings.code, hearings)
    client.force_login(users["admin"])
    page = client.get(f"/workbench/indicators/vocab.hearings/?org={district['root'].pk}&year=2024")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("开庭") >= 2 and cases["reviewed"].reference in text
    csv = client.get(
        f"/workbench/indicators/vocab.hearings/?org={district['root'].pk}&year=2024&format=csv"
    )
    lines = b"".join(csv.streaming_content).decode().strip().splitlines()
    assert lines[0].lstrip("\ufeff") == "编号,操作,日期,承办机构"
    assert len(lines) == 3


def test_register_entries_valid_on_the_cut_off(district, users):
    from fazhi.indicators.registry import Entries
    from fazhi.tests.sample.models import SampleServiceItem

    a = district["a"]
    for name, start, end, legal, committed in (
        ("甲", D(2023, 1, 1), None, 20, 5),
        ("乙", D(2024, 6, 1), D(2024, 12, 31), 10, 5),
        ("丙", D(2024, 1, 1), D(2024, 12, 30), 10, 1),  # ended the day before the cut-off
    ):
        SampleServiceItem.objects.create(
            org=a,
            name=name,
            category=SampleServiceItem.Category.choices[0][0],
            legal_days=legal,
            committed_days=committed,
            valid_from=start,
            valid_to=end,
        )
    label = "sample.SampleServiceItem"
    saved = Entries(label, total="legal_days", minus="committed_days")
    legal = Entries(label, total="legal_days")
    got = values(district["root"], ind("n", Entries(label)), ind("r", saved, legal))
    assert got == {"n": 2, "r": Decimal("66.67")}  # (15 + 5) / (20 + 10)
    assert {e.name for e in records(Entries(label), district["root"])} == {"甲", "乙"}


def test_no_repeat_names_it_by_as_of(district, users, cases):
    """Linked: matters no repeat names by the cut-off (incoming, negated), and the repeats."""
    a, s = district["a"], users["staff_a"]
    repeat = case(a, s, D(2024, 6, 1), repeat_of=cases["mediated"].reference)
    case(a, s, D(2025, 1, 5), repeat_of=cases["reviewed"].reference)  # after the cut-off
    not_repeated = Matters(P, where=(Linked("repeat_of", negate=True),))
    repeats = Matters(P, where=(Linked("repeat_of", incoming=False),))
    got = values(district["root"], ind("n", not_repeated), ind("r", repeats))
    # the year's cohort: mediated, reviewed, late, refused and the in-year repeat
    assert got == {"n": 4, "r": 1}
    assert {m.pk for m in records(not_repeated, district["root"])} == {
        cases["reviewed"].pk,
        cases["late"].pk,
        cases["refused"].pk,
        repeat.pk,
    }
    assert [m.pk for m in records(repeats, district["root"])] == [repeat.pk]
    # by a later cut-off the 2025 repeat names "reviewed" too
    later = D(2025, 2, 1)
    assert values(district["root"], ind("n", not_repeated), as_of=later) == {"n": 3}
    assert cases["reviewed"].pk not in {
        m.pk for m in records(not_repeated, district["root"], as_of=later)
    }


def test_links_made_by_an_import_count_alike(district):
    from fazhi.procedures.importing import import_records

    def line(ref, received, **details):
        details.setdefault("category", "claim")
        return {"procedure": P, "reference": ref, "org": str(district["a"].pk),
                "received_on": received, "subject": "导入", "details": details}  # fmt: skip

    lines = [line("I-1", "2024-02-01"), line("I-2", "2024-03-01", repeat_of="I-1")]
    report = import_records(iter([(i, x, None) for i, x in enumerate(lines, 1)]), today=TODAY)
    assert report.committed
    repeated = Matters(P, where=(Linked("repeat_of"),))
    assert values(district["root"], ind("x", repeated)) == {"x": 1}
    assert [m.reference for m in records(repeated, district["root"])] == ["I-1"]
