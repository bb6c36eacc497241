"""Every action of part 六's procedures through the workbench's own forms (registration and each
declared action, posted as staff post them), and each procedure's import template: the walks
together must take every action the declarations have, so a new action without a working form
fails here."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core import clock
from fazhi.procedures.activities import record_activity
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.models import Matter

pytestmark = pytest.mark.django_db

D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}
PROCEDURES = ("reconsideration", "litigation", "mediation", "dispute", "petition")
PARTY = {"party.name": "吴某", "party.id_number": "11010519491231002X"}


def register(client, procedure, org, on, details, party=True, subject="测试事项"):
    """Register through the workbench's form on the day of receipt; the new matter."""
    with clock.frozen(on):
        return _register(client, procedure, org, on, details, party, subject)


def _register(client, procedure, org, on, details, party, subject):
    form = client.get(reverse("workbench:matter-create"), {"procedure": procedure})
    assert form.status_code == 200
    for name in details:
        assert f'name="details.{name}"' in form.content.decode(), name
    post = {
        "procedure": procedure,
        "org": str(org.pk),
        "received_on": on.isoformat(),
        "subject": subject,
        "channel": "window",
        **(PARTY if party else {}),
        **{f"details.{k}": v for k, v in details.items()},
    }
    response = client.post(reverse("workbench:matter-create"), post)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Matter.objects.filter(procedure=procedure).order_by("-pk").first()


def walk(client, matter, *moves):
    """Post each (action, date, data, state) through the action's form on its day, as staff
    enter it, and check the state."""
    for action, on, data, state in moves:
        with clock.frozen(on):
            _move(client, matter, action, on, data, state)


def _move(client, matter, action, on, data, state):
    url = reverse("workbench:matter-act", args=[matter.pk, action])
    form = client.get(url, **HTMX).content.decode()
    assert "<form" in form, (action, form[:300])
    for name in data:
        assert f'name="{name}"' in form, (action, name)
    response = client.post(url, {"on": on.isoformat(), **data}, **HTMX)
    assert response.status_code == 200, (action, response.content.decode()[:3000])
    matter.refresh_from_db()
    assert matter.state == state, (action, matter.state)


# each walk: (procedure, registering unit, received on, details, party?, moves); a move is
# (who, action, date, form data, state after); "{earlier}" is the reference of a refused petition
RECON = {"respondent": "某局", "contested_act": "罚款决定", "third_parties": "赵某"}
LIT = {"court": "铁西区人民法院", "case_number": "(2025)吉0302行初1号"}
PETITION = {"category": "claim", "first_time": "on", "office": "on"}
WALKS = [
    ("reconsideration", "a", D(2025, 3, 3), RECON, True, [
        ("staff_a", "request_correction", D(2025, 3, 4), {"items": "补交身份证明"}, "correction_requested"),
        ("staff_a", "receive_materials", D(2025, 3, 5), {"materials": "身份证复印件", "submitted_by": "applicant"}, "correction_requested"),
        ("staff_a", "supply_correction", D(2025, 3, 6), {"supplied": "身份证复印件"}, "received"),
        ("staff_a", "accept", D(2025, 3, 7), {"simplified": "on"}, "accepted"),
        ("staff_a", "send_copy", D(2025, 3, 10), {}, "accepted"),
        ("staff_a", "receive_reply", D(2025, 3, 14), {"evidence": "检查笔录"}, "accepted"),
        ("staff_a", "hear", D(2025, 3, 20), {"kind": "opinions", "record": "听取双方意见"}, "accepted"),
        ("staff_a", "decide", D(2025, 4, 1), {"outcome": "revoked", "document_number": "复决1号"}, "decided"),
        ("staff_a", "issue_opinion", D(2025, 4, 2), {"kind": "suggestion", "to_org": "某局", "document_number": "复建1号"}, "decided"),
        ("staff_a", "opinion_acted", D(2025, 5, 2), {"acted": "on", "response": "已整改", "document_number": "复建1号"}, "decided"),
    ]),
    ("reconsideration", "a", D(2025, 6, 2), RECON, True, [
        ("staff_a", "refuse", D(2025, 6, 3), {"reason": "超过申请期限"}, "rejected"),
    ]),
    ("reconsideration", "a", D(2025, 6, 2), RECON, True, [
        ("staff_a", "accept", D(2025, 6, 3), {}, "accepted"),
        ("staff_a", "terminate", D(2025, 6, 10), {"reason": "申请人撤回"}, "terminated"),
    ]),
    ("reconsideration", "a", D(2025, 6, 2), RECON, True, [
        ("staff_a", "accept", D(2025, 6, 3), {}, "accepted"),
        ("staff_a", "settle", D(2025, 6, 10), {}, "settled"),
    ]),
    ("reconsideration", "a", D(2025, 6, 2), RECON, True, [
        ("staff_a", "request_correction", D(2025, 6, 3), {"items": "补交材料"}, "correction_requested"),
        ("staff_a", "lapse", D(2025, 6, 30), {}, "not_corrected"),
    ]),
    ("litigation", "a", D(2025, 3, 3), LIT, False, [
        ("staff_a", "defend", D(2025, 3, 10), {"evidence": "答辩状及证据"}, "defended"),
        ("staff_a", "hear", D(2025, 4, 10), {"head_appeared": "on", "hearing_on": "2025-04-10"}, "defended"),
        ("staff_a", "judge", D(2025, 5, 10), {"outcome": "organ_lost", "effective": "on", "perform_days": "30"}, "judged"),
        ("staff_a", "perform", D(2025, 5, 20), {"result": "已重新作出决定"}, "performed"),
    ]),
    ("litigation", "a", D(2025, 3, 3), LIT, False, [
        ("staff_a", "defend", D(2025, 3, 10), {}, "defended"),
        ("staff_a", "judge", D(2025, 5, 10), {"outcome": "organ_won"}, "judged"),
        ("staff_a", "appeal", D(2025, 5, 20), {"appellant": "plaintiff"}, "appealed"),
        ("staff_a", "hear", D(2025, 7, 1), {"head_appeared": "on"}, "appealed"),
        ("staff_a", "judge", D(2025, 8, 1), {"outcome": "organ_won", "effective": "on"}, "judged"),
        ("staff_a", "petition_retrial", D(2025, 9, 1), {"petitioner": "plaintiff"}, "retrial_petitioned"),
        ("staff_a", "conclude", D(2025, 9, 2), {}, "concluded"),
    ]),
    ("mediation", "a", D(2025, 3, 3), {"venue": "police_station"}, False, [
        ("staff_a", "agree", D(2025, 3, 10), {"agreement": "赔偿2000元"}, "agreed"),
        ("staff_a", "confirm", D(2025, 3, 20), {"court": "铁西区人民法院"}, "confirmed"),
    ]),
    ("mediation", "a", D(2025, 3, 3), {"venue": "court"}, False, [
        ("staff_a", "fail", D(2025, 3, 10), {"guidance": "引导诉讼"}, "failed"),
    ]),
    ("dispute", "a", D(2025, 4, 2), {"screening": "PC-9"}, False, [
        ("staff_a", "resolve", D(2025, 4, 10), {"method": "调解"}, "resolved"),
    ]),
    ("dispute", "a", D(2025, 4, 2), {"screening": "PC-9"}, False, [
        ("staff_a", "escalate", D(2025, 4, 5), {"to": "区矛盾纠纷调处中心", "reason": "涉及多部门"}, "escalated"),
        ("staff_a", "resolve", D(2025, 4, 20), {}, "resolved"),
    ]),
    ("petition", "a", D(2025, 3, 3), PETITION, True, [
        ("staff_a", "confirm_repeat", D(2025, 3, 4), {"repeat_of": "{earlier}"}, "received"),
        ("staff_a", "route", D(2025, 3, 5), {"mode": "assigned", "to_org": "b"}, "routed"),
        ("staff_b", "accept", D(2025, 3, 10), {}, "accepted"),
        ("staff_b", "conclude", D(2025, 4, 10), {"opinion": "责成限期整改"}, "concluded"),
        ("staff_b", "request_review", D(2025, 4, 20), {}, "review_requested"),
        ("staff_b", "review_opinion", D(2025, 5, 10), {"opinion": "维持原处理意见"}, "reviewed"),
        ("staff_b", "request_rereview", D(2025, 5, 20), {}, "rereview_requested"),
        ("staff_b", "rereview_opinion", D(2025, 6, 10), {"opinion": "维持", "hearing": "on"}, "rereviewed"),
    ]),
    ("petition", "b", D(2025, 7, 1), {"category": "claim", "first_time": "on"}, True, [
        ("staff_b", "accept", D(2025, 7, 2), {}, "accepted"),
        ("staff_b", "divert", D(2025, 7, 3), {"channel": "mediation", "venue": "people"}, "diverted"),
    ]),
    ("petition", "a", D(2025, 2, 3), PETITION, True, [
        ("staff_a", "refuse", D(2025, 2, 10), {"reason": "已经诉讼程序处理"}, "refused"),
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("procedure", "unit", "received", "details", "party", "moves"),
    WALKS,
    ids=[f"{w[0]}-{i}" for i, w in enumerate(WALKS)],
)
def test_a_walk_through_the_forms(
    client, district, users, procedure, unit, received, details, party, moves
):
    who = moves[0][0]
    client.force_login(users[who])
    if procedure == "dispute":
        with clock.frozen(D(2025, 4, 1)):
            record_activity(
                "dispute_screening",
                org=district["a"],
                on=D(2025, 4, 1),
                title="排查",
                figures={"found": 2},
                reference="PC-9",
            )
    earlier = ""
    if any(m[1] == "confirm_repeat" for m in moves):
        first = register(client, procedure, district[unit], D(2025, 2, 3), details, party)
        earlier = first.reference
    m = register(client, procedure, district[unit], received, details, party)
    for user, action, on, data, state in moves:
        client.force_login(users[user])
        data = {
            k: (
                str(district[v].pk)
                if k == "to_org" and v in district
                else v.format(earlier=earlier)
            )
            for k, v in data.items()
        }
        walk(client, m, (action, on, data, state))
    if procedure == "petition" and moves[-1][1] == "divert":
        assert Matter.objects.of("mediation").filter(org=district["b"]).count() == 1


def test_the_walks_take_every_action():
    declared = {
        (code, a.name) for code in PROCEDURES for a in get_procedure(code).actions if not a.generic
    }
    walked = {(w[0], move[1]) for w in WALKS for move in w[5]}
    assert declared - walked == set()


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_the_import_template_has_a_column_group_for_every_action(client, users, procedure):
    client.force_login(users["staff_a"])
    url = reverse("procedures:template", args=[procedure, "xlsx"])
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response))).worksheets[0]
    header = " ".join(str(c.value or "") for row in sheet.iter_rows(max_row=3) for c in row)
    declaration = get_procedure(procedure)
    for action in declaration.actions:
        if not action.generic:
            assert f"{action.label}日期" in header, action.name
    for f in declaration.details:
        assert f.label in header, f.name


# a row of each template as staff fill it in (one step per action, steps in date order)
FILLED = {
    "reconsideration": ({
        "details.respondent": "某局", "details.contested_act": "罚款决定", "details.third_parties": "赵某",
        "party_name": "吴某", "receive_materials.on": "2025-03-04", "receive_materials.materials": "现场照片",
        "receive_materials.submitted_by": "申请人", "accept.on": "2025-03-05", "send_copy.on": "2025-03-06",
        "receive_reply.on": "2025-03-12", "hear.on": "2025-03-20", "hear.kind": "听证", "hear.record": "笔录",
        "decide.on": "2025-04-01", "decide.outcome": "撤销", "issue_opinion.on": "2025-04-02",
        "issue_opinion.kind": "建议书", "issue_opinion.to_org": "某局", "opinion_acted.on": "2025-04-20",
        "opinion_acted.acted": "是",
    }, "decided"),
    "litigation": ({
        "details.court": "区法院", "defend.on": "2025-03-10", "hear.on": "2025-04-01",
        "hear.head_appeared": "是", "judge.on": "2025-05-01", "judge.outcome": "organ_lost",
        "judge.effective": "是", "judge.perform_days": "30", "perform.on": "2025-05-20",
    }, "performed"),
    "mediation": ({
        "details.venue": "驻公安派出所调解室", "agree.on": "2025-03-05", "agree.agreement": "赔偿",
        "confirm.on": "2025-03-20", "confirm.court": "区法院",
    }, "confirmed"),
    "dispute": ({"details.screening": "PC-T", "resolve.on": "2025-03-10"}, "resolved"),
    "petition": ({
        "party_name": "吴某", "details.category": "申诉求决", "details.first_time": "是",
        "details.office": "是", "route.on": "2025-03-04", "route.mode": "交办",
        "route.to_org": "测试区市场监督管理局", "accept.on": "2025-03-10", "conclude.on": "2025-04-01",
        "conclude.opinion": "限期整改",
    }, "concluded"),
}  # fmt: skip


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_a_filled_template_from_the_workbench_imports(client, district, users, tmp_path, procedure):
    from fazhi.procedures.importing import import_file, template_columns

    client.force_login(users["staff_a"])
    response = client.get(reverse("procedures:template", args=[procedure, "xlsx"]))
    path = tmp_path / f"{procedure}.xlsx"
    path.write_bytes(b"".join(response))
    if procedure == "dispute":
        with clock.frozen(D(2025, 3, 1)):
            record_activity(
                "dispute_screening", org=district["a"], on=D(2025, 3, 1), title="排查",
                figures={"found": 1}, reference="PC-T",
            )  # fmt: skip
    values, state = FILLED[procedure]
    base = {
        "reference": f"T-{procedure}",
        "org": "测试区司法局",
        "received_on": "2025-03-03",
        "subject": "模板导入",
    }
    columns = [c.code for c in template_columns(get_procedure(procedure))]
    wb = load_workbook(path)
    wb.worksheets[0].append([{**base, **values}.get(c, "") for c in columns])
    wb.save(path)
    with clock.frozen(D(2025, 6, 30)):
        report = import_file(path)
    assert report.rejected == 0, [str(e) for e in report.errors]
    m = Matter.objects.get(reference=f"T-{procedure}")
    assert m.state == state
    if procedure == "reconsideration":
        from fazhi.disputes.casefile import case_file

        f = case_file(m)
        assert [x.what for x in f.materials] == ["行政复议申请书", "现场照片", "书面答复"]
        assert f.third_parties == ["赵某"] and f.hearings[0].kind == "听证"
        assert (f.letters[0].kind, f.letters[0].status) == ("建议书", "已落实")
    if procedure == "petition":
        assert m.org == district["b"]
        assert Matter.objects.for_user(users["staff_a"]).filter(pk=m.pk).exists()  # the office
