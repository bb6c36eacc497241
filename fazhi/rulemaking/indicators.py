"""Indicators of report parts (二) and (三): normative documents, major decisions and the
public's comments on draft decisions (spec/indicators.md)."""

from __future__ import annotations

from decimal import Decimal

from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import (
    Balance,
    Indicator,
    Matters,
    MatterSet,
    Timely,
    register,
    register_check,
    step,
)
from fazhi.rulemaking.procedures import SKIPS

ENACTED = Matters("normative_document", cohort="publish")  # published in Y, whenever drafted
FILE = frozenset({"file"})

register(
    from_catalog(
        "normative_document.enacted",
        "本年度公布的行政规范性文件（以公布日期计，不论何时起草）。",
        ENACTED,
    ),
    from_catalog(
        "normative_document.filed_late",
        "本年度公布、截止日前已报送备案但超过公布之日起30日备案期限的文件。",
        Timely(ENACTED, "normative_document.file", actions=FILE, only="late"),
    ),
    from_catalog(
        "normative_document.not_filed",
        "本年度公布、截止日仍未报送备案且备案期限已在截止日前届满的文件。",
        Timely(ENACTED, "normative_document.file", actions=FILE, only="overdue"),
    ),
)

register(
    Indicator(
        code="normative_document.due_for_cleanup",
        label="待清理的规范性文件",
        section="2",
        definition=(
            "本年度纳入清理、截止日前尚未作出本年度清理结论的文件；为0即本周期清理已完成。"
            "（指标目录之外的补充指标）"
        ),
        numerator=Matters(
            "normative_document",
            cohort="list_for_cleanup",
            where=(step("cleanup", negate=True, in_year=True),),
        ),
        target="0",
        target_max=Decimal(0),
        addition=True,
    ),
)

register(
    from_catalog(
        "major_decision.published",
        "本年度目录内的事项中，截止日前已作出决定并公布的（以列入目录日期计年度；"
        "公布后又经后评估的仍计入）。",
        MatterSet("major_decision", frozenset({"published", "evaluated"})),
    ),
    Indicator(
        code="major_decision.cataloged",
        label="重大行政决策目录事项",
        section="3",
        unit="项",
        definition="本年度列入重大行政决策事项目录的事项。（指标目录之外的补充指标）",
        numerator=MatterSet("major_decision"),
        addition=True,
    ),
    Indicator(
        code="major_decision.gate_skipped",
        label="未经全部法定环节的决策事项",
        section="3",
        unit="项",
        definition=(
            "本年度目录内的事项中，截止日前以记录的理由跳过公众参与、专家论证或风险评估的。"
            "未记录理由不能跳过任何环节（程序的顺序由系统保证）。（指标目录之外的补充指标）"
        ),
        numerator=Matters("major_decision", where=(step(*SKIPS),)),
        addition=True,
    ),
    Indicator(
        code="major_decision.consulted",
        label="公开征求意见的决策事项",
        section="3",
        unit="项",
        definition="本年度目录内的事项中，截止日前已公开征求意见的。（指标目录之外的补充指标）",
        numerator=Matters("major_decision", where=(step("open_consultation"),)),
        addition=True,
    ),
    Indicator(
        code="draft_comment.received",
        label="收到决策草案公众意见",
        section="3",
        unit="条",
        definition="本年度收到的公众对决策草案的意见。（指标目录之外的补充指标）",
        numerator=MatterSet("draft_comment"),
        addition=True,
    ),
    Indicator(
        code="decision_opinion.received",
        label="意见建议征集信箱来信",
        section="3",
        unit="条",
        definition="本年度重大行政决策意见建议征集信箱收到的意见建议。（指标目录之外的补充指标）",
        numerator=MatterSet("decision_opinion"),
        addition=True,
    ),
)

register_check(
    Balance(
        "normative_document.filing",
        "超期报送与不报送的文件不多于公布的文件",
        "normative_document.enacted",
        ("normative_document.filed_late", "normative_document.not_filed"),
    ),
    Balance(
        "major_decision.published_within_catalog",
        "公布的决策事项不多于目录事项",
        "major_decision.cataloged",
        ("major_decision.published",),
    ),
)
