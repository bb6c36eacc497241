"""Versions and their difference; the public's comments grouped on a small Chinese corpus and
the adoption note drafted from the groups."""

from __future__ import annotations

import pytest

from fazhi.core.models import AuditEvent
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.rulemaking import versions
from fazhi.rulemaking.grouping import (
    BLANK,
    draft_adoption_note,
    group_comments,
    similarity,
    words,
)
from fazhi.rulemaking.models import TextVersion
from fazhi.rulemaking.tests.test_procedures import decision

CORPUS = [
    (3, "建议增加加装电梯的内容，老年人上下楼太困难。"),
    (3, "希望改造内容包括加装电梯，方便老人出行。"),
    (4, "三分之二业主同意的门槛太高，建议降低。"),
    (4, "业主同意比例要求过高，很多小区达不到三分之二。"),
    (5, "居民分担资金的比例应当明确公布。"),
    (0, "整体方案很好，希望尽快实施。"),
    (3, "建议改造时同步增设停车位和充电桩。"),
]


def test_words_drop_punctuation_and_function_words():
    assert words("建议增加加装电梯的内容，老年人上下楼太困难。") == [
        "增加",
        "加装",
        "电梯",
        "老年人",
        "下楼",
        "困难",
    ]


def test_similar_comments_score_higher_than_unrelated_ones():
    lift = similarity(CORPUS[0][1], CORPUS[1][1])
    assert lift > similarity(CORPUS[0][1], CORPUS[6][1])
    assert similarity(CORPUS[2][1], CORPUS[3][1]) > similarity(CORPUS[2][1], CORPUS[4][1])


def test_comments_group_by_article_then_by_content():
    groups = group_comments((a, t, i) for i, (a, t) in enumerate(CORPUS))
    assert [(g.article, sorted(g.items)) for g in groups] == [
        (3, [0, 1]),  # the two about a lift
        (3, [6]),  # parking, on the same article, apart
        (4, [2, 3]),  # the owners' consent threshold, in other words
        (5, [4]),
        (0, [5]),  # the whole draft last
    ]
    assert "电梯" in groups[0].keywords


def test_the_adoption_note_is_drafted_from_the_groups():
    groups = group_comments((a, t, i) for i, (a, t) in enumerate(CORPUS))
    decided = {0: "采纳", 1: "采纳", 2: "未采纳"}
    note = draft_adoption_note(groups, len(CORPUS), decided.get)
    lines = note.splitlines()
    assert lines[0] == "征求意见期间共收到意见7条，归纳为5类："
    assert lines[1].startswith("1. 关于第三条（2条，如“建议增加加装电梯的内容") and lines[
        1
    ].endswith("：采纳。")
    assert lines[3].endswith(BLANK)  # 第四条: one answered, one not: staff decide
    assert draft_adoption_note([], 0) == "征求意见期间未收到意见。"


def test_the_difference_of_two_versions_article_by_article():
    old = "第一条 目的。\n第二条 适用于住宅小区。\n第三条 资金由财政负担。"
    new = "第一条 目的。\n第二条 适用于老旧住宅小区。\n第四条 自公布之日起施行。"
    lines = versions.diff(old, new)
    assert [line.op for line in lines] == ["equal", "replace", "replace"]
    changed = [t for t, c in lines[1].new_parts if c]
    assert changed == ["老旧"]
    assert versions.diff(old, old + "\n第四条 新增。")[-1].op == "insert"
    assert versions.diff(old + "\n第四条 新增。", old)[-1].op == "delete"


@pytest.mark.django_db
def test_versions_are_kept_numbered_and_audited(district, users):
    m = decision(district, users)
    v1 = versions.add_version(m, "第一条 目的。", "征求意见稿", by=users["staff_b"])
    v2 = versions.add_version(m, "第一条 宗旨。", "公布稿", by=users["staff_b"])
    assert (v1.number, v2.number) == (1, 2)
    assert TextVersion.objects.get(pk=v1.pk).text == "第一条 目的。"  # never overwritten
    assert AuditEvent.objects.filter(action="rulemaking.version").count() == 2
    with pytest.raises(InvalidData, match="文本不能为空"):
        versions.add_version(m, "  ", "稿", by=users["staff_b"])
    with pytest.raises(NotAllowed):  # another department's matter
        versions.add_version(m, "第一条", "稿", by=users["staff_a"])
