"""The reconsideration case file (行政复议案卷) on the matter's page, and its papers as docx
(受理通知书, 补正通知书, 行政复议决定书) read back: in scope only, refused before their step."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from fazhi.core import clock
from fazhi.disputes.casefile import case_file
from fazhi.disputes.documents import DocumentUnavailableError, acceptance_notice, decision
from fazhi.procedures.errors import InvalidTransition
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
APPLICANT = {"name": "王五", "id_number": "11010519491231002X", "address": "铁西区北站路8号"}
DETAILS = {
    "respondent": "铁西区市场监督管理局",
    "contested_act": "铁市监罚〔2025〕12号行政处罚决定",
    "third_parties": "赵六、某某商贸有限公司",
}


def do(matter, action, user, on, **data):
    act(matter, action, user, on, today=TODAY, **data)
    matter.refresh_from_db()


@pytest.fixture
def received(district, users):
    # received Friday 2025-03-07
    return make_matter(
        "reconsideration",
        district["a"],
        users["staff_a"],
        D(2025, 3, 7),
        today=TODAY,
        party=APPLICANT,
        details=DETAILS,
    )


@pytest.fixture
def decided(received, users):
    s, head = users["staff_a"], users["head_a"]
    m = received
    do(m, "request_correction", s, D(2025, 3, 10), items="补交身份证明复印件\n说明具体复议请求")
    do(m, "supply_correction", s, D(2025, 3, 17), supplied="身份证复印件、复议请求说明")
    do(
        m,
        "receive_materials",
        s,
        D(2025, 3, 18),
        materials="现场照片12张",
        submitted_by="applicant",
    )
    do(m, "accept", s, D(2025, 3, 20))
    do(m, "send_copy", s, D(2025, 3, 24))
    do(m, "receive_reply", s, D(2025, 4, 2), evidence="现场检查笔录、询问笔录")
    do(
        m,
        "receive_materials",
        s,
        D(2025, 4, 3),
        materials="第三人陈述意见",
        submitted_by="third_party",
    )
    do(
        m,
        "hear",
        s,
        D(2025, 4, 15),
        kind="hearing",
        participants="申请人、被申请人",
        record="双方陈述",
    )
    do(m, "extend", head, D(2025, 5, 10), days=30, reason="案情复杂")
    do(m, "decide", s, D(2025, 6, 3), outcome="revoked", document_number="铁政复决字〔2025〕3号")
    do(
        m,
        "issue_opinion",
        s,
        D(2025, 6, 5),
        kind="opinion",
        to_org="铁西区市场监督管理局",
        document_number="铁政复意〔2025〕1号",
    )
    do(
        m,
        "issue_opinion",
        s,
        D(2025, 6, 6),
        kind="suggestion",
        to_org="铁西区司法局",
        document_number="铁政复建〔2025〕1号",
    )
    do(
        m,
        "opinion_acted",
        s,
        D(2025, 6, 20),
        acted=True,
        response="已整改",
        document_number="铁政复意〔2025〕1号",
    )
    return m


def text_of(body: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


def test_the_case_file_reads_every_part_of_the_history(decided):
    f = case_file(decided)
    assert (f.applicant, f.respondent) == ("王五", "铁西区市场监督管理局")
    assert f.third_parties == ["赵六", "某某商贸有限公司"]
    assert f.contested_act == DETAILS["contested_act"]
    assert not f.simplified and f.procedure_label == "普通程序"
    assert [(m.on, m.submitted_by, m.how) for m in f.materials] == [
        (D(2025, 3, 7), "申请人", "申请"),
        (D(2025, 3, 17), "申请人", "补正"),
        (D(2025, 3, 18), "申请人", "收到材料"),
        (D(2025, 4, 2), "被申请人", "答复"),
        (D(2025, 4, 3), "第三人", "收到材料"),
    ]
    (c,) = f.corrections
    assert c.items.startswith("补交身份证明") and c.supplied_on == D(2025, 3, 17)
    assert c.due.due_on == D(2025, 3, 24)  # 10 working days from Monday 03-10
    assert c.status == "已补正"
    # the copy: 7 working days from 03-20 → 03-31; the reply: 10 working days from 03-24 → 04-08
    assert (f.copy.due_on, f.copy.answered_on, f.copy.in_time) == (
        D(2025, 3, 31),
        D(2025, 3, 24),
        True,
    )
    assert (f.reply.due_on, f.reply.answered_on, f.reply.in_time) == (
        D(2025, 4, 8),
        D(2025, 4, 2),
        True,
    )
    assert f.reply_evidence == "现场检查笔录、询问笔录"
    # 60 natural days from 03-20 → 05-19, extended by 30 → 06-18; decided 06-03 in time
    assert f.decision_clock.due_on == D(2025, 6, 18) and f.decision_clock.in_time
    assert len(f.extensions) == 1
    assert [(h.on, h.kind) for h in f.hearings] == [(D(2025, 4, 15), "听证")]
    assert (f.conclusion.outcome, f.conclusion.number) == ("撤销", "铁政复决字〔2025〕3号")
    opinion, suggestion = f.letters
    assert (opinion.kind, opinion.status, opinion.response) == ("意见书", "已落实", "已整改")
    assert (suggestion.kind, suggestion.status) == ("建议书", "尚未反馈")


def test_a_lapsed_correction_and_a_refusal(received, users):
    s = users["staff_a"]
    do(received, "request_correction", s, D(2025, 3, 10), items="补交材料")
    do(received, "lapse", s, D(2025, 3, 25))
    (c,) = case_file(received).corrections
    assert (c.status, c.lapsed_on) == ("逾期未补正，视为放弃", D(2025, 3, 25))


def test_what_was_acted_on_names_a_letter_that_was_sent(decided, users):
    with pytest.raises(InvalidTransition, match="没有文号"):
        do(
            decided,
            "opinion_acted",
            users["staff_a"],
            D(2025, 6, 21),
            acted=False,
            document_number="无此文号",
        )
    # without a number the answer is about the latest letter
    do(decided, "opinion_acted", users["staff_a"], D(2025, 6, 22), acted=False, response="未采纳")
    assert case_file(decided).letters[1].status == "未落实"


def test_the_matter_page_shows_the_case_file(client, decided, users):
    client.force_login(users["staff_a"])
    with clock.frozen(TODAY):
        html = client.get(reverse("workbench:matter-detail", args=[decided.pk])).content.decode()
    assert 'data-testid="reconsideration-file"' in html
    for text in (
        "赵六、某某商贸有限公司",
        "现场照片12张",
        "身份证复印件、复议请求说明",
        "2025-04-08",  # the reply's due date
        "双方陈述",
        "铁政复决字〔2025〕3号",
        "铁西区司法局",
        "尚未反馈",
        "已落实",
    ):
        assert text in html, text
    for slug in ("acceptance", "correction", "decision"):
        assert reverse(f"disputes:reconsideration-{slug}", args=[decided.pk]) in html


def test_the_papers_read_back(client, decided, users):
    client.force_login(users["staff_a"])
    got = {}
    for slug in ("acceptance", "correction", "decision"):
        r = client.get(reverse(f"disputes:reconsideration-{slug}", args=[decided.pk]))
        assert r.status_code == 200, slug
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in r["Content-Disposition"]
        got[slug] = text_of(r.content)
    a = got["acceptance"]
    assert "行政复议受理通知书" in a and "王五：" in a
    assert "2025年3月20日起予以受理，适用普通程序" in a
    assert "六十日内作出行政复议决定（至2025年5月19日）" in a
    assert "本案第三人：赵六、某某商贸有限公司" in a
    c = got["correction"]
    assert "补正通知书" in c and "1．补交身份证明复印件" in c and "2．说明具体复议请求" in c
    assert "补正期限至2025年3月24日届满" in c and "视为你（单位）放弃行政复议申请" in c
    d = got["decision"]
    assert "行政复议决定书" in d and "铁政复决字〔2025〕3号" in d
    assert "申请人：王五（证件号码：11010519491231002X）" in d
    assert "被申请人：铁西区市场监督管理局" in d and "第三人：赵六、某某商贸有限公司" in d
    assert "于2025年4月2日提交了书面答复" in d and "2025年4月15日举行听证" in d
    assert "第六十四条" in d and "撤销被申请人作出的铁市监罚〔2025〕12号行政处罚决定" in d
    assert "十五日内" in d
    assert decided.org.name in d and "2025年6月3日" in d


def test_the_simplified_acceptance_notice(received, users):
    do(received, "accept", users["staff_a"], D(2025, 3, 10), simplified=True)
    text = text_of(acceptance_notice(received))
    assert "适用简易程序" in text and "三十日内作出行政复议决定（至2025年4月9日）" in text
    assert "延长" not in text


def test_a_paper_before_its_step_is_refused(client, received, users):
    with pytest.raises(DocumentUnavailableError, match="尚未作出"):
        decision(received)
    client.force_login(users["staff_a"])
    for slug in ("acceptance", "correction", "decision"):
        r = client.get(reverse(f"disputes:reconsideration-{slug}", args=[received.pk]))
        assert r.status_code == 400 and "不能制作" in r.content.decode()
    do(received, "request_correction", users["staff_a"], D(2025, 3, 10), items="补交材料")
    url = reverse("disputes:reconsideration-correction", args=[received.pk])
    assert client.get(url, {"n": "1"}).status_code == 200
    assert "没有第2次" in client.get(url, {"n": "2"}).content.decode()
    assert client.get(url, {"n": "x"}).status_code == 400


def test_another_department_gets_404_and_the_public_a_login(client, decided, district, users):
    urls = [
        reverse(f"disputes:reconsideration-{s}", args=[decided.pk])
        for s in ("acceptance", "decision")
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(users["staff_b"])
    for url in urls:
        assert client.get(url).status_code == 404
    # a matter of another procedure is no reconsideration
    other = make_matter(
        "help_request",
        district["a"],
        users["staff_a"],
        D(2025, 3, 7),
        today=TODAY,
    )
    client.force_login(users["staff_a"])
    assert (
        client.get(reverse("disputes:reconsideration-acceptance", args=[other.pk])).status_code
        == 404
    )
