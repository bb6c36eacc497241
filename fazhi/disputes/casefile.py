"""The case file of one reconsideration (行政复议案卷), read from the matter, its steps and its
clocks: the parties (applicant, respondent organ, third parties), the contested act, the
materials received with their dates, each correction notice with what was supplied, the copy to
the respondent and its reply with their clocks, the simplified procedure, hearing records, the
decision with its outcome (or the termination or settlement), and the opinion and suggestion
letters (意见书/建议书) with whether they were acted on.

Nothing here is stored: the case file is the history (``Step`` rows are append-only) as one
reads it. The workbench shows it on the matter's page (``nav.py``) and the documents
(``documents.py``) are written from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from fazhi.disputes.procedures.reconsideration import DECISION_OUTCOMES, MATERIAL_SOURCES
from fazhi.procedures.models import Matter, Step

CODE = "reconsideration"
LETTER_KINDS = {"opinion": "意见书", "suggestion": "建议书"}
HEARING_KINDS = {"hearing": "听证", "opinions": "听取意见"}
SOURCES = dict(MATERIAL_SOURCES)
OUTCOMES = dict(DECISION_OUTCOMES)


@dataclass(frozen=True)
class ClockView:
    """One time limit of the case as the file shows it."""

    label: str
    started_on: dt.date
    due_on: dt.date | None
    basis: str
    answered_on: dt.date | None
    in_time: bool | None
    paused: bool


@dataclass(frozen=True)
class Material:
    on: dt.date
    what: str
    submitted_by: str  # 申请人, 被申请人, 第三人, 其他
    how: str  # the step that recorded it: 申请, 补正, 收到材料, 答复


@dataclass
class Correction:
    """A correction notice (补正通知书) and what became of it."""

    notice: Step
    items: str
    due: ClockView | None = None
    supplied_on: dt.date | None = None
    supplied: str = ""
    lapsed_on: dt.date | None = None

    @property
    def status(self) -> str:
        if self.supplied_on is not None:
            return "已补正"
        if self.lapsed_on is not None:
            return "逾期未补正，视为放弃"
        return "待补正"


@dataclass(frozen=True)
class Hearing:
    on: dt.date
    kind: str
    participants: str
    record: str


@dataclass
class Letter:
    """An opinion or suggestion letter (行政复议法 §76) and the answer on whether it was acted on."""

    step: Step
    kind: str
    to_org: str
    number: str
    acted: bool | None = None  # None: no answer recorded yet
    acted_on: dt.date | None = None
    response: str = ""

    @property
    def status(self) -> str:
        if self.acted is None:
            return "尚未反馈"
        return "已落实" if self.acted else "未落实"


@dataclass
class Conclusion:
    """How the case ended: a decision, a termination or a settlement."""

    action: str
    label: str  # 作出决定, 终止, 调解/和解
    on: dt.date
    outcome: str  # the outcome's label (决定类型, or 终止/调解和解)
    number: str = ""
    reason: str = ""


@dataclass
class CaseFile:
    matter: Matter
    applicant: str
    applicant_id: str
    applicant_address: str
    respondent: str
    contested_act: str
    third_parties: list[str]
    simplified: bool
    accepted_on: dt.date | None = None
    refused: Step | None = None
    materials: list[Material] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    copy: ClockView | None = None
    reply: ClockView | None = None
    reply_evidence: str = ""
    decision_clock: ClockView | None = None
    extensions: list[Step] = field(default_factory=list)
    hearings: list[Hearing] = field(default_factory=list)
    conclusion: Conclusion | None = None
    letters: list[Letter] = field(default_factory=list)

    @property
    def procedure_label(self) -> str:
        return "简易程序" if self.simplified else "普通程序"


def split_parties(text: str) -> list[str]:
    """The third parties as a list (the details key holds them in one line: 、，,；;)."""
    return [p.strip() for p in re.split(r"[、，,；;\n]+", text or "") if p.strip()]


def _clock(row: Any) -> ClockView:
    return ClockView(
        row.label,
        row.started_on,
        row.due_on,
        row.basis,
        row.answered_on,
        row.in_time,
        row.paused,
    )


def _text(step: Step, key: str) -> str:
    return str(step.data.get(key) or "").strip()


def case_file(matter: Matter) -> CaseFile:
    """The case file of ``matter`` (a reconsideration): two queries, its steps and its clocks."""
    if matter.procedure != CODE:
        raise ValueError(f"{matter.reference} 不是行政复议案件。")
    d = matter.details
    steps = list(matter.steps.order_by("seq"))
    clocks = list(matter.clocks.order_by("seq"))
    file = CaseFile(
        matter=matter,
        applicant=matter.party_name,
        applicant_id=matter.party_id_number,
        applicant_address=matter.party_address,
        respondent=str(d.get("respondent") or ""),
        contested_act=str(d.get("contested_act") or ""),
        third_parties=split_parties(str(d.get("third_parties") or "")),
        simplified=bool(d.get("simplified")),
    )
    file.materials.append(Material(matter.received_on, "行政复议申请书", "申请人", "申请"))
    by_limit: dict[str, list[ClockView]] = {}
    for row in clocks:
        by_limit.setdefault(row.limit, []).append(_clock(row))
    notices = iter(by_limit.get(f"{CODE}.correction_supply", []))
    letters_by_number: dict[str, Letter] = {}
    for step in steps:
        action = step.action
        if action == "accept":
            file.accepted_on = step.on
        elif action == "refuse":
            file.refused = step
        elif action == "request_correction":
            file.corrections.append(Correction(step, _text(step, "items"), next(notices, None)))
        elif action == "supply_correction" and file.corrections:
            last = file.corrections[-1]
            last.supplied_on, last.supplied = step.on, _text(step, "supplied")
            file.materials.append(Material(step.on, last.supplied or "补正材料", "申请人", "补正"))
        elif action == "lapse" and file.corrections:
            file.corrections[-1].lapsed_on = step.on
        elif action == "receive_materials":
            source = SOURCES.get(_text(step, "submitted_by"), _text(step, "submitted_by"))
            file.materials.append(Material(step.on, _text(step, "materials"), source, "收到材料"))
        elif action == "receive_reply":
            file.reply_evidence = _text(step, "evidence")
            file.materials.append(
                Material(step.on, file.reply_evidence or "书面答复", "被申请人", "答复")
            )
        elif action == "hear":
            kind = HEARING_KINDS.get(_text(step, "kind"), _text(step, "kind"))
            file.hearings.append(
                Hearing(step.on, kind, _text(step, "participants"), _text(step, "record"))
            )
        elif action == "extend":
            file.extensions.append(step)
        elif action == "decide":
            outcome = _text(step, "outcome")
            file.conclusion = Conclusion(
                action,
                "作出决定",
                step.on,
                OUTCOMES.get(outcome, outcome),
                number=_text(step, "document_number"),
            )
        elif action == "terminate":
            file.conclusion = Conclusion(
                action, "终止", step.on, "终止", reason=_text(step, "reason")
            )
        elif action == "settle":
            file.conclusion = Conclusion(action, "调解/和解", step.on, "调解/和解结案")
        elif action == "issue_opinion":
            letter = Letter(
                step,
                LETTER_KINDS.get(_text(step, "kind"), _text(step, "kind")),
                _text(step, "to_org"),
                _text(step, "document_number"),
            )
            file.letters.append(letter)
            if letter.number:
                letters_by_number[letter.number] = letter
        elif action == "opinion_acted" and file.letters:
            # the letter it names by number, else the latest one sent
            letter = letters_by_number.get(_text(step, "document_number"), file.letters[-1])
            letter.acted = bool(step.data.get("acted"))
            letter.acted_on, letter.response = step.on, _text(step, "response")
    for limit, attr in (("copy_to_respondent", "copy"), ("respondent_reply", "reply")):
        runs = by_limit.get(f"{CODE}.{limit}")
        if runs:
            setattr(file, attr, runs[-1])
    decisions = by_limit.get(f"{CODE}.decide_simplified") or by_limit.get(f"{CODE}.decide")
    if decisions:
        file.decision_clock = decisions[-1]
    return file
