"""The assignment sheets (交办表) the NPC standing committee's office and the CPPCC's office send,
as import layouts (procedures/importing/layouts.py).

One suggestion or proposal a row: its number (建议编号 / 提案号), title (案由), the deputy or
member who leads it (领衔代表 / 提案人), the lead unit (主办单位), the assisting units (会办单位,
several separated by 、，；), the assignment date (交办日期) and the session (届次) — a column, or
the sheet's title row above the header ("第十八届人大三次会议代表建议交办表"). ``fazhi import
交办表.xlsx`` (or the workbench's upload) recognises the sheet by its header. Each row becomes an
``npc_suggestion`` / ``cppcc_proposal`` line: the reference is the session and the number (a
second import of the same sheet adds nothing), each assisting unit an ``add_assistant`` step on
the assignment date — so the lead's reply waits for their opinions as for any other. A later
sheet that adds an assisting unit appends its step; one that drops a unit, or retypes a title,
does not rewrite what is registered (docs/import-format.md, "Existing references").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fazhi.procedures.importing.layouts import TITLE_KEY, SheetLayout, register_layout
from fazhi.procedures.importing.report import LineError

SUBJECT_MAX = 300
REFERENCE_MAX = 64

_DAY = re.compile(r"^\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?(?:[\sT].*)?$")
# 第十八届人大三次会议 / 十八届三次 / 第十八届第三次会议 (in a title or a cell)
_SESSION = re.compile(
    r"第?([一二三四五六七八九十百\d]+)届(?:[^第\d一二三四五六七八九十]*)第?([一二三四五六七八九十\d]+)次"
)
_SPLIT = re.compile(r"[、，,；;／/\s]+")

_COMMON: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("subject", ("案由", "标题", "题目", "内容摘要")),
    ("lead", ("主办单位", "承办单位", "办理单位", "主办")),
    ("assisting", ("会办单位", "协办单位", "会办", "协办", "协办单位（会办）")),
    ("day", ("交办日期", "交办时间", "交办日", "分办日期")),
    ("session", ("届次", "会议", "届次会议")),
)
NPC_COLUMNS = (
    ("number", ("建议编号", "建议号", "代表建议编号", "议案建议编号")),
    ("deputy", ("领衔代表", "代表姓名", "提出代表", "代表", "提出人")),
    ("subject", ("建议题目", "建议标题", "建议案由", "案由", "标题", "题目", "内容摘要")),
    *_COMMON[1:],
)
CPPCC_COLUMNS = (
    ("number", ("提案号", "提案编号", "案号", "提案序号")),
    ("deputy", ("提案人", "第一提案人", "提案者", "委员姓名", "提案单位")),
    ("subject", ("提案题目", "提案标题", "提案案由", "案由", "标题", "题目", "内容摘要")),
    *_COMMON[1:],
)
REQUIRED = frozenset({"number", "deputy", "subject", "lead", "day"})


def _day(text: str, line: int) -> str:
    found = _DAY.match(text)
    if found is None:
        raise LineError(line, "day", f"交办日期“{text[:30]}”无法识别，应为“2025-01-31”这样的日期。")
    y, m, d = (int(g) for g in found.groups())
    return f"{y:04d}-{m:02d}-{d:02d}"


def session_of(text: str) -> str:
    """The session as the declaration writes it (第十八届第三次会议), from a cell or a title;
    "" when the text names none."""
    found = _SESSION.search(text)
    if found is None:
        return ""
    return f"第{found.group(1)}届第{found.group(2)}次会议"


def _reader(procedure: str, who: str) -> Any:
    def to_record(row: Mapping[str, str], line: int) -> dict[str, Any]:
        number = row.get("number", "").strip()
        if not number:
            raise LineError(line, "number", "缺少编号。")
        cell = row.get("session", "").strip()
        session = session_of(cell) or cell or session_of(row.get(TITLE_KEY, ""))
        if not session:
            raise LineError(
                line,
                "session",
                "缺少届次：请在表中加“届次”列，或在表头上方的标题行写明"
                "（如“第十八届人大三次会议代表建议交办表”）。",
            )
        reference = f"{session}-{number}"
        if len(reference) > REFERENCE_MAX:
            raise LineError(line, "number", f"届次和编号合计过长（最多{REFERENCE_MAX}字）。")
        subject = " ".join(row.get("subject", "").split())
        if not subject:
            raise LineError(line, "subject", "缺少案由（建议或提案的题目）。")
        if len(subject) > SUBJECT_MAX:
            subject = subject[: SUBJECT_MAX - 1] + "…"
        deputy = row.get("deputy", "").strip()
        if not deputy:
            raise LineError(line, "deputy", f"缺少{who}姓名。")
        leads = [u for u in _SPLIT.split(row.get("lead", "").strip()) if u]
        if not leads:
            raise LineError(line, "lead", "缺少主办单位。")
        if len(leads) > 1:
            raise LineError(
                line,
                "lead",
                f"主办单位只能有一个（本行为“{'、'.join(leads)}”），其余请填入会办单位。",
            )
        day = _day(row.get("day", ""), line)
        assisting = [u for u in _SPLIT.split(row.get("assisting", "").strip()) if u]
        steps = [
            {"action": "add_assistant", "on": day, "data": {"org": unit}}
            for unit in dict.fromkeys(u for u in assisting if u != leads[0])
        ]
        return {
            "procedure": procedure,
            "reference": reference,
            "org": leads[0],
            "received_on": day,
            "subject": subject,
            "channel": "other",
            "details": {"deputy": deputy[:200], "session": session[:100], "number": number[:50]},
            "steps": steps,
        }

    return to_record


NPC_SHEET = register_layout(
    SheetLayout(
        code="npc_office_assignment",
        label="人大代表建议交办表",
        procedure="npc_suggestion",
        columns=NPC_COLUMNS,
        required=REQUIRED,
        to_record=_reader("npc_suggestion", "代表"),
    )
)
CPPCC_SHEET = register_layout(
    SheetLayout(
        code="cppcc_office_assignment",
        label="政协提案交办表",
        procedure="cppcc_proposal",
        columns=CPPCC_COLUMNS,
        required=REQUIRED,
        to_record=_reader("cppcc_proposal", "委员"),
    )
)
