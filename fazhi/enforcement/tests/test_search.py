"""The public disclosure search (fazhi.enforcement.search) on the database in use (the suite
runs it on SQLite and on PostgreSQL): an imported set of decisions searched by the index,
checked against this test's own filter over the lines it generated; the index kept by
publish, withdraw and expiry; only masked fields in it."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement import search
from fazhi.enforcement.models import DisclosureEntry, EnforcementOfficer
from fazhi.enforcement.public import disclosed
from fazhi.procedures.importing import import_records
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 1)
PLACES = ["四平", "铁西", "长春", "吉林"]
SHOPS = ["鑫达", "华为", "永安", "福瑞", "ABC"]
TRADES = ["商贸", "餐饮", "建筑"]
# valid unified social credit codes (check digit computed by python-stdnum)
CODES = ["91350100M000100Y43", "91220300MA0Y5N3B71", "91220303MA14YBRE48"]


@pytest.fixture
def officer(district):
    return save_entry(
        EnforcementOfficer,
        {
            "org": district["b"],
            "name": "执法员甲",
            "certificate_number": "JL0001",
            "issuing_body": "吉林省人民政府",
            "valid_from": D(2020, 1, 1),
            "valid_to": D(2029, 12, 31),
        },
        by=None,
    )


@pytest.fixture
def officers(officer, district):
    return [
        officer,
        save_entry(
            EnforcementOfficer,
            {
                "org": district["b"],
                "name": "执法员乙",
                "certificate_number": "JL0002",
                "issuing_body": "吉林省人民政府",
                "valid_from": D(2020, 1, 1),
                "valid_to": D(2029, 12, 31),
            },
            by=None,
        ),
    ]


def generate(orgs, rng, n=90):
    """Lines of decisions and, for each, what the public list should show of it."""
    lines, shown = [], []
    for i in range(1, n + 1):
        person = rng.random() < 0.3
        minor = person and rng.random() < 0.2
        kind = rng.choice(["license", "penalty", "confirmation"])
        decided = D(2025, 1, 2) + dt.timedelta(days=rng.randrange(300))
        if person:
            party = {"name": rng.choice(["欧阳娜娜", "鑫达明", "华为民"]), "kind": "person"}
        else:
            name = f"{rng.choice(PLACES)}{rng.choice(SHOPS)}{rng.choice(TRADES)}有限公司"
            party = {"name": name, "kind": "organisation", "id_number": rng.choice(CODES)}
        number = f"四铁罚〔{decided.year}〕{i}号"
        org = rng.choice(orgs)
        steps = []
        published = rng.random() < 0.8 and not minor
        withdrawn = published and rng.random() < 0.2
        if published:
            steps.append({"action": "publish", "on": (decided + dt.timedelta(days=2)).isoformat()})
        if withdrawn:
            on = (decided + dt.timedelta(days=5)).isoformat()
            steps.append({"action": "mark_changed", "on": on, "data": {"change": "revoked"}})
            steps.append({"action": "withdraw", "on": on, "data": {"reason": "原决定已撤销"}})
        lines.append(
            {
                "procedure": "enforcement_decision",
                "reference": f"ZF-T{i:04d}",
                "org": org.pk,
                "received_on": decided.isoformat(),
                "subject": "执法决定",
                "party": party,
                "details": {
                    "action_type": kind,
                    "decision_number": number,
                    "legal_basis": "《行政许可法》",
                    "result": "准予",
                    "handlers": "JL0001" if kind != "penalty" else "JL0001、JL0002",
                    **({"minor": True} if minor else {}),
                },
                "steps": steps,
            }
        )
        if published:
            text = number if person else f"{party['name']} {number}"
            shown.append(
                {
                    "reference": f"ZF-T{i:04d}",
                    "text": text,
                    "code": "" if person else party["id_number"],
                    "organ": org.pk,
                    "type": kind,
                    "decided": decided,
                }
            )
    return lines, shown


def expected(shown, *, query="", organ=None, action_type="", date_from=None, date_to=None):
    out = []
    for s in shown:
        if query and len(query) == 18 and query.upper() in CODES:
            if s["code"] != query.upper():
                continue
        elif query and query.casefold() not in s["text"].casefold():
            continue
        if organ and s["organ"] != organ:
            continue
        if action_type and s["type"] != action_type:
            continue
        if date_from and s["decided"] < date_from:
            continue
        if date_to and s["decided"] > date_to:
            continue
        out.append(s["reference"])
    return sorted(out)


def test_the_index_answers_as_a_plain_filter_over_the_lines(district, officers):
    rng = random.Random(22)
    orgs = [district["a"], district["b"]]
    lines, shown = generate(orgs, rng)
    report = import_records(((i, line, None) for i, line in enumerate(lines, 1)), today=TODAY)
    assert report.committed, report.errors[:3]
    assert DisclosureEntry.objects.count() == len(shown)  # minors and unpublished: none
    queries = [
        {"query": "鑫达"},  # two characters: the pairs
        {"query": "华为"},
        {"query": "西鑫"},  # across the place and the shop's name
        {"query": "abc"},  # letters, either case
        {"query": "Abc商贸"},
        {"query": "四平永安餐饮有限公司"},
        {"query": "〔2025〕1"},  # a number's fragment, three characters and more
        {"query": "〔2"},  # a pair with a sign in it
        {"query": "罚〔2025〕17号"},
        {"query": "欧阳"},  # a person: never by name
        {"query": "鑫达明"},
        {"query": "100%"},  # the sign is a character, not a wildcard
        {"query": "a_c"},
        {"query": CODES[1]},
        {"query": CODES[0].lower()},
        {"organ": district["a"].pk},
        {"action_type": "penalty"},
        {"date_from": D(2025, 3, 1), "date_to": D(2025, 6, 30)},
        {"query": "有限公司", "organ": district["b"].pk, "action_type": "license"},
        {"query": "长春", "date_from": D(2025, 5, 1)},
        {"query": CODES[2], "action_type": "confirmation", "date_to": D(2025, 8, 1)},
    ]
    for q in queries:
        got = sorted(
            Matter.objects.filter(
                pk__in=search.find(today=TODAY, **q).values("matter_id")
            ).values_list("reference", flat=True)
        )
        assert got == expected(shown, **q), q
    nonempty = sum(bool(expected(shown, **q)) for q in queries)
    assert nonempty >= 15  # the data exercises the search, not only empty answers


def decide(district, users, on, *, party, kind="license", **extra):
    with clock.frozen(TODAY):
        return register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=on,
            subject="执法决定",
            by=users["staff_b"],
            party=party,
            details={
                "action_type": kind,
                "decision_number": f"四铁许〔{on.year}〕{on.toordinal() % 1000}号",
                "legal_basis": "《行政许可法》",
                "result": "准予许可",
                "handlers": "JL0001",
                **extra,
            },
        )


def do(matter, action, users, on, **data):
    return act(matter, action, users["staff_b"], on, today=TODAY, **data)


COMPANY = {"name": "四平鑫达商贸有限公司", "kind": "organisation", "id_number": CODES[0]}
PERSON = {"name": "欧阳娜娜", "kind": "person", "id_number": "11010519491231002X"}


def test_publish_withdraw_and_expiry_keep_the_index(district, users, officer):
    m = decide(district, users, D(2024, 3, 1), party=COMPANY)
    assert not DisclosureEntry.objects.filter(matter=m).exists()  # decided, not yet public
    do(m, "publish", users, D(2024, 3, 4))
    entry = DisclosureEntry.objects.get(matter=m)
    assert (entry.party, entry.credit_code, entry.withdrawn) == (COMPANY["name"], CODES[0], False)
    assert entry.shown_until == D(2029, 3, 5)  # an organisation: 5 years (03-04 a Sunday)
    assert [e.pk for e in disclosed(today=TODAY, query="鑫达")] == [m.pk]
    do(m, "mark_changed", users, D(2024, 9, 2), change="revoked")
    do(m, "withdraw", users, D(2024, 9, 3), reason="原决定已撤销。")
    assert DisclosureEntry.objects.get(matter=m).withdrawn  # shown as withdrawn, with reason

    person = decide(district, users, D(2024, 3, 1), party=PERSON)
    do(person, "publish", users, D(2024, 3, 4))
    entry = DisclosureEntry.objects.get(matter=person)
    assert entry.party == "欧***" and entry.credit_code == "" and entry.shown_until == D(2026, 3, 4)
    # past its period the list no longer shows it, even before anyone takes it down
    assert disclosed(today=D(2026, 3, 3)).filter(pk=person.pk).exists()
    assert not disclosed(today=D(2026, 3, 4)).filter(pk=person.pk).exists()
    do(person, "expire", users, D(2026, 3, 4))
    assert not DisclosureEntry.objects.filter(matter=person).exists()

    minor = decide(district, users, D(2024, 3, 1), party=PERSON, minor=True)
    assert not DisclosureEntry.objects.filter(matter=minor).exists()
    assert search.rebuild() == 1  # made again from the decisions: the same one entry
    assert list(DisclosureEntry.objects.values_list("matter_id", flat=True)) == [m.pk]


def test_the_page_uses_the_index_and_refuses_a_one_character_query(
    client, district, users, officer
):
    m = decide(district, users, D(2025, 3, 3), party=COMPANY)
    do(m, "publish", users, D(2025, 3, 4))
    url = reverse("enforcement:disclosure")
    with clock.frozen(TODAY):
        found = client.get(url, {"q": "达商"})
        short = client.get(url, {"q": "鑫"})
        swapped = client.get(url, {"from": "2025-06-01", "to": "2025-01-01"})
    assert found.context["total"] == 1 and COMPANY["name"] in found.content.decode()
    assert short.status_code == 200 and "请至少输入2个字" in short.content.decode()
    assert "起始日期晚于截止日期" in swapped.content.decode()
    DisclosureEntry.objects.all().delete()  # the page reads the index, not the decisions
    with clock.frozen(TODAY):
        assert client.get(url, {"q": "达商"}).context["total"] == 0


def test_the_database_has_its_substring_index():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'enforcement_disclosureentry'"
            )
            names = {r[0] for r in cursor.fetchall()}
            assert {"enf_disclosure_trgm", "enf_disclosure_bigram"} <= names
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
            assert "trigram" in cursor.fetchone()[0]


def test_decisions_imported_from_an_xlsx_sheet_are_on_the_list(district, officers, tmp_path):
    from fazhi.procedures.declarations import get_procedure
    from fazhi.procedures.exporting import write_table
    from fazhi.procedures.importing import import_file

    lines, shown = generate([district["b"]], random.Random(7), n=12)
    path = tmp_path / "decisions.xlsx"
    with path.open("wb") as out:
        written = write_table(get_procedure("enforcement_decision"), lines, out, "xlsx")
    assert written.written == len(lines), written.left_out
    report = import_file(path, today=TODAY)
    assert report.committed, report.errors[:3]
    assert Matter.objects.of("enforcement_decision").count() == len(lines)
    refs = Matter.objects.filter(pk__in=disclosed(today=TODAY).values("matter_id"))
    assert sorted(refs.values_list("reference", flat=True)) == sorted(s["reference"] for s in shown)


def test_the_list_counts_to_its_cap_and_then_asks_to_narrow(
    client, district, users, officer, monkeypatch
):
    for day in (3, 4):
        m = decide(district, users, D(2025, 3, day), party=COMPANY)
        do(m, "publish", users, D(2025, 3, 5))
    monkeypatch.setattr(search.DisclosurePaginator, "cap", 1)
    with clock.frozen(TODAY):
        page = client.get(reverse("enforcement:disclosure"))
    assert page.context["total"] == 1 and page.context["capped"]
    assert "符合条件的超过 1 条" in page.content.decode()
