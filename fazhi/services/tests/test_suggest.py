"""The unit suggestion from the duty lists: what it ranks, which lists it reads, and its accuracy
on the labelled set of generated matters against the demo lists (target: top-3 above 80%)."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.demo import build_district
from fazhi.core.models import OrgKind
from fazhi.core.tests.factories import OrgUnitFactory
from fazhi.services import duties
from fazhi.services.demo_registers import _duty_lists
from fazhi.services.suggest import suggest_units
from fazhi.services.tests.evaluate import evaluate

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def lists(district):
    street = district["street"]
    other = OrgUnitFactory(
        name="另一街道办事处", short_name="另一街道", parent=district["root"], kind=OrgKind.STREET
    )
    for unit in (street, other):
        duties.publish_version(
            unit,
            "2023年版",
            D(2023, 1, 1),
            [{"kind": "basic", "name": "环境卫生整治", "keywords": "垃圾清运、卫生死角"}],
            by=None,
        )
        duties.publish_version(
            unit,
            "2024年版",
            D(2024, 7, 1),
            [
                {"kind": "basic", "name": "环境卫生整治", "keywords": "垃圾清运、卫生死角"},
                {
                    "kind": "cooperative",
                    "name": "食品安全协管",
                    "content": "配合检查小餐饮、食品摊贩",
                    "keywords": "过期食品、食物中毒",
                    "responsible": district["b"],
                },
            ],
            by=None,
        )
    return {"street": street, "other": other, "b": district["b"], "root": district["root"]}


def names(suggestions):
    return [s.unit.name for s in suggestions]


def test_a_cooperative_duty_suggests_its_leading_department(lists):
    got = suggest_units("超市卖过期食品，吃了拉肚子", lists["root"], on=D(2024, 8, 1))
    assert got[0].unit == lists["b"]
    assert "食品安全协管" in got[0].reason and "牵头" in got[0].reason
    assert got[0].score > 0


def test_the_list_in_force_on_the_day_is_read(lists):
    # the food duty is on the 2024 version only (from 1 July 2024)
    before = suggest_units("超市卖过期食品", lists["root"], on=D(2024, 6, 1))
    assert lists["b"] not in [s.unit for s in before]


def test_a_named_street_keeps_only_its_own_lists(lists):
    got = suggest_units("另一街道幸福小区垃圾好几天没清运", lists["root"], on=D(2024, 8, 1))
    assert names(got) == ["另一街道办事处"]
    unnamed = suggest_units("垃圾好几天没清运", lists["root"], on=D(2024, 8, 1))
    assert set(names(unnamed)) == {"另一街道办事处", "测试街道办事处"}
    assert "未识别所属乡街" in unnamed[0].reason


def test_a_township_root_reads_its_own_lists(lists):
    got = suggest_units("垃圾好几天没清运", lists["street"], on=D(2024, 8, 1))
    assert names(got) == ["测试街道办事处"]


def test_nothing_to_suggest(lists, district):
    assert suggest_units("", lists["root"]) == []
    assert suggest_units("天气不错", lists["root"], on=D(2024, 8, 1)) == []
    # a department has no duty lists under it or above it
    assert suggest_units("垃圾没清运", district["a"], on=D(2024, 8, 1)) == []


def test_top_three_accuracy_on_the_labelled_set_beats_the_baseline_and_80_percent(db):
    root = build_district()
    _duty_lists(root, 2024)
    acc = evaluate(root, D(2024, 12, 1))
    assert acc.n >= 200
    assert acc.rate(acc.top3) > 80, acc.misses[:10]
    assert acc.rate(acc.top3) > acc.rate(acc.baseline_top3) + 30
