"""Statutory time limits (法定期限) as data: the registry of ``shared/spec/time-limits.md``.

Each ``TimeLimit`` names its length, unit, the event it runs from, its legal basis (law and
article) and whether it may be extended. Procedure declarations refer to limits by code
(``reconsideration.decide``); ``get_limit`` applies a deployment's overrides to the limits that
are configuration rather than law (``configurable=True``), from the Django setting
``FAZHI_TIME_LIMIT_OVERRIDES = {"hotline_order.conclude": {"length": 3}}`` when Django is set up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from fazhi.workdays.calendar import Calendar, check_date
from fazhi.workdays.errors import ExtensionNotAllowedError, InvalidLengthError, UnknownLimitError
from fazhi.workdays.periods import Due, Pause, Unit, due_date, parse_unit


class LimitKind(StrEnum):
    """Whether the period is a deadline (act by) or a minimum (not before)."""

    DEADLINE = "deadline"  # 期限：最迟于该日
    MINIMUM = "minimum"  # 最短期间：不早于该日（征求意见期、合法性审查期）


@dataclass(frozen=True)
class TimeLimit:
    """One statutory (or configured) time limit."""

    code: str
    label: str
    length: int
    unit: Unit
    runs_from: str
    basis: str
    verified: str
    extension_max: int | None = None
    extension_needs_approval: bool = False
    kind: LimitKind = LimitKind.DEADLINE
    configurable: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", parse_unit(self.unit))
        if isinstance(self.length, bool) or not isinstance(self.length, int) or self.length < 1:
            msg = f"期限长度错误：{self.code} 的长度应为正整数，收到 {self.length!r}"
            raise InvalidLengthError(msg)

    @property
    def description(self) -> str:
        """``60日（自然日），行政复议法 第六十二条``."""
        return f"{self.unit.describe(self.length)}，{self.basis}"

    def due(
        self,
        start: date,
        cal: Calendar | None = None,
        *,
        paused: Iterable[Pause] = (),
        extension: int = 0,
        provisional: bool = False,
    ) -> Due:
        """The due date of this limit for an event on ``start``.

        A period without suspension or extension is memoised (``_plain_dues``): its due date is
        a pure function of the limit, the calendar, the start and ``provisional``, and a replay
        or a recomputation asks for the same few hundred start dates again and again.
        """
        if type(extension) is int and extension == 0 and not paused and type(start) is date:
            cal = cal if cal is not None else Calendar.default()
            if _plain_dues.calendar is not cal:  # another calendar: start over
                _plain_dues.calendar = cal
                _plain_dues.dues.clear()
            key = (id(self), start, provisional)
            hit = _plain_dues.dues.get(key)
            if hit is not None and hit[0] is self and hit[1] is cal:
                return hit[2]
            due = due_date(
                start, self.length, self.unit, cal=cal, provisional=provisional, rule=self
            )
            if len(_plain_dues.dues) >= _PLAIN_DUES_KEEP:
                _plain_dues.dues.clear()
            _plain_dues.dues[key] = (self, cal, due)
            return due
        check_date(start, "起算日")
        if extension:
            if self.extension_max is None:
                msg = f"{self.label}（{self.code}）不允许延长期限"
                raise ExtensionNotAllowedError(msg)
            if isinstance(extension, bool) or not isinstance(extension, int) or extension < 0:
                msg = f"期限长度错误：延长期限应为非负整数，收到 {extension!r}"
                raise InvalidLengthError(msg)
            if extension > self.extension_max:
                msg = (
                    f"{self.label}最多延长{self.unit.describe(self.extension_max)}，"
                    f"请求延长{self.unit.describe(extension)}"
                )
                raise ExtensionNotAllowedError(msg)
        return due_date(
            start,
            self.length,
            self.unit,
            cal=cal,
            paused=paused,
            extension=extension,
            provisional=provisional,
            rule=self,
        )


class _PlainDues:
    """The memo of ``TimeLimit.due`` for periods without suspension or extension: (id of a
    limit, start, provisional) → (that limit, the calendar, the due date). Limits and
    calendars are immutable (an override or a new notice makes new objects), the limit kept in
    the value pins its id, and a hit must be of the same limit and calendar objects, so it is
    always current — also when two threads use two calendars around a calendar change. The
    memo holds one calendar's dates: another calendar empties it."""

    def __init__(self) -> None:
        self.calendar: Calendar | None = None
        self.dues: dict[tuple[int, date, bool], tuple[TimeLimit, Calendar, Due]] = {}


_plain_dues = _PlainDues()
_PLAIN_DUES_KEEP = 100_000  # entries (≈ 20 MB at most); emptied when full


W, N, M = Unit.WORKING, Unit.NATURAL, Unit.MONTHS
_LOCAL = "本地规定（默认值见 spec/procedures.md，可配置）"

_LIMITS: tuple[TimeLimit, ...] = (
    # 行政复议 reconsideration
    TimeLimit(
        "reconsideration.review",
        "审查复议申请（逾期视为受理）",
        5,
        W,
        "收到行政复议申请之日",
        "行政复议法 第三十条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.correction_notice",
        "书面通知补正",
        5,
        W,
        "收到行政复议申请之日",
        "行政复议法 第三十一条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.correction_supply",
        "申请人提交补正材料",
        10,
        W,
        "收到补正通知之日",
        "行政复议法 第三十一条、第八十八条",
        "yes",
        note="补正时间不计入审理期限；补正后重新审查",
    ),
    TimeLimit(
        "reconsideration.copy_to_respondent",
        "发送申请书副本给被申请人",
        7,
        W,
        "行政复议申请受理之日",
        "行政复议法 第四十八条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.respondent_reply",
        "被申请人提出书面答复",
        10,
        W,
        "收到申请书副本之日",
        "行政复议法 第四十八条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.decide",
        "作出行政复议决定（普通程序）",
        60,
        N,
        "受理申请之日",
        "行政复议法 第六十二条",
        "yes",
        extension_max=30,
        extension_needs_approval=True,
        note="情况复杂的，经行政复议机构负责人批准可延长，最多30日",
    ),
    TimeLimit(
        "reconsideration.decide_simplified",
        "作出行政复议决定（简易程序）",
        30,
        N,
        "受理申请之日",
        "行政复议法 第六十二条",
        "yes",
    ),
    # 信访 petition
    TimeLimit(
        "petition.route",
        "登记并转送、交办或告知不予受理",
        15,
        N,
        "收到信访事项之日",
        "信访工作条例 第二十二条",
        "yes",
    ),
    TimeLimit(
        "petition.accept",
        "告知信访人是否受理",
        15,
        N,
        "收到信访事项之日",
        "信访工作条例 第二十三条",
        "yes",
    ),
    TimeLimit(
        "petition.conclude",
        "出具处理意见（申诉求决类）",
        60,
        N,
        "受理之日",
        "信访工作条例 第三十四条",
        "yes",
        extension_max=30,
        extension_needs_approval=True,
    ),
    TimeLimit(
        "petition.request_review",
        "请求复查",
        30,
        N,
        "收到处理意见之日",
        "信访工作条例 第三十五条",
        "yes",
    ),
    TimeLimit(
        "petition.review_opinion",
        "出具复查意见",
        30,
        N,
        "收到复查请求之日",
        "信访工作条例 第三十五条",
        "yes",
    ),
    TimeLimit(
        "petition.request_rereview",
        "请求复核",
        30,
        N,
        "收到复查意见之日",
        "信访工作条例 第三十六条",
        "yes",
    ),
    TimeLimit(
        "petition.rereview_opinion",
        "出具复核意见",
        30,
        N,
        "收到复核请求之日",
        "信访工作条例 第三十六条",
        "yes",
        note="听证时间不计入期限（作为中止期间录入）",
    ),
    # 建议提案 suggestions and proposals
    TimeLimit(
        "npc_suggestion.reply",
        "答复人大代表建议",
        3,
        M,
        "交办之日",
        "代表法 第五十一条",
        "yes",
        extension_max=3,
        note="情况复杂的，至迟不超过六个月",
    ),
    TimeLimit(
        "cppcc_proposal.reply",
        "答复政协提案",
        3,
        M,
        "交办之日",
        "政协提案工作条例（地方规定）",
        "partly",
        extension_max=3,
        configurable=True,
        note="各地规定不一，最长一般六个月",
    ),
    TimeLimit(
        "procuratorial_suggestion.reply",
        "书面回复检察建议",
        2,
        M,
        "收到检察建议之日",
        "人民检察院检察建议工作规定；最高人民法院、最高人民检察院关于检察公益诉讼案件"
        "适用法律若干问题的解释（2018）第二十一条",
        "partly",
    ),
    TimeLimit(
        "procuratorial_suggestion.reply_urgent",
        "书面回复检察建议（公益诉讼紧急情形）",
        15,
        N,
        "收到检察建议之日",
        "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释（2018）第二十一条",
        "partly",
    ),
    TimeLimit(
        "judicial_suggestion.reply",
        "书面回复司法建议",
        2,
        M,
        "收到司法建议之日",
        "法释〔2023〕11号 第八条",
        "yes",
        configurable=True,
        note="以司法建议书载明的期限为准，一般为两个月",
    ),
    # 行政执法公示 enforcement disclosure
    TimeLimit(
        "enforcement.publish_license_penalty",
        "公示行政许可、行政处罚决定",
        7,
        W,
        "作出决定之日",
        "国办发〔2018〕118号",
        "via secondary source",
    ),
    TimeLimit(
        "enforcement.publish_other",
        "公示其他行政执法决定",
        20,
        W,
        "作出决定之日",
        "国办发〔2018〕118号",
        "via secondary source",
    ),
    TimeLimit(
        "enforcement.withdraw",
        "撤回已公示的被变更、撤销或确认违法的决定",
        3,
        W,
        "决定被变更、撤销或确认违法之日",
        "行政处罚法 第四十八条、第八十五条",
        "yes",
    ),
    # 行政处罚 administrative penalty
    TimeLimit(
        "penalty.decide",
        "作出行政处罚决定",
        90,
        N,
        "立案之日",
        "行政处罚法 第六十条",
        "yes",
        configurable=True,
        note="法律、法规、规章另有规定的从其规定",
    ),
    TimeLimit(
        "penalty.hearing_request",
        "当事人要求听证",
        5,
        W,
        "收到行政处罚告知之日",
        "行政处罚法 第六十四条、第八十五条",
        "yes",
    ),
    TimeLimit(
        "penalty.hearing_notice",
        "听证通知（听证前）",
        7,
        W,
        "听证通知送达之日（至听证日）",
        "行政处罚法 第六十四条、第八十五条",
        "yes",
        kind=LimitKind.MINIMUM,
        note="听证的七日前通知：听证日不得早于该日",
    ),
    # 政府信息公开 information request
    TimeLimit(
        "info_request.reply",
        "答复政府信息公开申请",
        20,
        W,
        "收到申请之日",
        "政府信息公开条例 第三十三条",
        "yes",
        extension_max=20,
        extension_needs_approval=True,
        note="征求第三方意见等时间不计入（作为中止期间录入）",
    ),
    # 规范性文件 normative documents
    TimeLimit(
        "normative_document.legality_review",
        "规范性文件合法性审核",
        15,
        W,
        "收到送审材料之日",
        "国办发〔2018〕115号",
        "via secondary source",
        configurable=True,
        note="原则上不少于5个工作日、最长不超过15个工作日",
    ),
    TimeLimit(
        "normative_document.file",
        "公布后报送备案",
        30,
        N,
        "公布之日",
        "本省规范性文件备案规定",
        "partly",
        configurable=True,
    ),
    # 重大行政决策 major decisions
    TimeLimit(
        "major_decision.consultation",
        "公开征求意见期",
        30,
        N,
        "公开征求意见之日",
        "重大行政决策程序暂行条例 第十五条",
        "yes",
        kind=LimitKind.MINIMUM,
        note="一般不少于30日：截止日不得早于该日",
    ),
    TimeLimit(
        "major_decision.legality_review",
        "重大行政决策合法性审查",
        7,
        W,
        "收到送审材料之日",
        "重大行政决策程序暂行条例 第二十六条",
        "yes",
        kind=LimitKind.MINIMUM,
        note="一般不少于7个工作日",
    ),
    # 行政应诉 litigation
    TimeLimit(
        "litigation.defend",
        "提交答辩状和证据",
        15,
        N,
        "收到起诉状副本之日",
        "行政诉讼法 第六十七条",
        "yes",
    ),
    # configurable service channels (spec/procedures.md defaults)
    TimeLimit(
        "business_complaint.triage",
        "涉企投诉受理审查",
        3,
        W,
        "收到投诉之日",
        _LOCAL,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "business_complaint.conclude",
        "涉企投诉办结",
        15,
        W,
        "受理之日",
        _LOCAL,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "help_request.triage",
        "“办不成事”求助受理审查",
        3,
        W,
        "收到求助之日",
        _LOCAL,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "help_request.conclude",
        "“办不成事”求助办结",
        15,
        W,
        "受理之日",
        _LOCAL,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "mailbox_letter.reply",
        "答复领导信箱来信",
        15,
        W,
        "收到来信之日",
        _LOCAL,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "hotline_order.sign",
        "签收12345工单（普通）",
        1,
        W,
        "派单之日",
        _LOCAL,
        "—",
        configurable=True,
        note="紧急工单按小时计（如2小时），不在本日历计算范围",
    ),
    TimeLimit(
        "hotline_order.conclude",
        "办结12345工单（普通）",
        5,
        W,
        "签收之日",
        _LOCAL,
        "—",
        configurable=True,
    ),
)

#: Every registered limit by code.
LIMITS: dict[str, TimeLimit] = {limit.code: limit for limit in _LIMITS}


@dataclass(frozen=True)
class AnnualDeadline:
    """A fixed date in the year after the reported year (annual reports)."""

    code: str
    label: str
    month: int
    day: int
    basis: str
    verified: str
    configurable: bool = False

    def due(self, reported_year: int) -> date:
        return date(reported_year + 1, self.month, self.day)


ANNUAL_DEADLINES: dict[str, AnnualDeadline] = {
    d.code: d
    for d in (
        AnnualDeadline(
            "annual_report.publish",
            "公开上一年度法治政府建设情况报告",
            4,
            1,
            "法治政府建设与责任落实督察工作规定",
            "via secondary source",
            configurable=True,
        ),
        AnnualDeadline(
            "enforcement_statistics.publish",
            "公开上一年度行政执法数据",
            1,
            31,
            "国办发〔2018〕118号",
            "via secondary source",
        ),
    )
}


def _overrides() -> dict[str, dict[str, Any]]:
    """``settings.FAZHI_TIME_LIMIT_OVERRIDES`` when Django is configured, else nothing."""
    if "django" not in sys.modules:
        return {}
    from django.conf import settings

    if not settings.configured:
        return {}
    value = getattr(settings, "FAZHI_TIME_LIMIT_OVERRIDES", {})
    return dict(value) if isinstance(value, dict) else {}


_OVERRIDABLE = {"length", "unit", "extension_max", "extension_needs_approval", "basis", "label"}


# code → (the overrides object it was computed from, the limit): a hot path of every replay.
_RESOLVED: dict[str, tuple[object, TimeLimit]] = {}


def _raw_overrides() -> object:
    if "django" not in sys.modules:
        return None
    from django.conf import settings

    if not settings.configured:
        return None
    return getattr(settings, "FAZHI_TIME_LIMIT_OVERRIDES", None)


def get_limit(code: str) -> TimeLimit:
    """The limit registered under ``code``, with the deployment's overrides if configurable.

    Memoised per code while the settings object holding the overrides stays the same object
    (``override_settings`` and a restart replace it, so a change is always seen).
    """
    raw = _raw_overrides()
    cached = _RESOLVED.get(code) if isinstance(code, str) else None
    if cached is not None and cached[0] is raw:
        return cached[1]
    limit = _resolve_limit(code)
    if isinstance(code, str):
        _RESOLVED[code] = (raw, limit)
    return limit


def _resolve_limit(code: str) -> TimeLimit:
    try:
        limit = LIMITS[code]
    except (KeyError, TypeError):
        msg = f"未登记的期限规则：{code!r}"
        raise UnknownLimitError(msg) from None
    override = _overrides().get(code)
    if override and limit.configurable:
        unknown = set(override) - _OVERRIDABLE
        if unknown:
            msg = f"期限配置错误：{code} 不能配置 {sorted(unknown)}"
            raise UnknownLimitError(msg)
        limit = replace(limit, **override)
    return limit
