"""The papers of a reconsideration in the official layout (GB/T 9704, ``core.officialdoc``),
written from its case file (``casefile.py``): the acceptance notice (行政复议受理通知书), the
correction notice (补正通知书) and the decision (行政复议决定书).

Each is addressed to the applicant and carries the applicant's own name and number, unmasked,
as a paper served on them does; only staff in the matter's scope can download one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from fazhi.core.officialdoc import (
    STYLE_TITLE,
    add_signature,
    chinese_date,
    official_document,
    to_bytes,
)
from fazhi.disputes.casefile import CaseFile, case_file
from fazhi.procedures.models import Matter
from fazhi.workdays import get_limit

LAW = "《中华人民共和国行政复议法》"


class DocumentUnavailableError(ValueError):
    """The case has not reached the step the paper records (no acceptance, no notice …)."""


# what each decision says, with its article of 行政复议法 (2023)
DECISION_TEXT: dict[str, tuple[str, str]] = {
    "upheld": (
        "第六十八条",
        "被申请人作出的行政行为认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当",
    ),
    "revoked": (
        "第六十四条",
        "被申请人作出的行政行为有主要事实不清、证据不足，违反法定程序，适用的依据不合法，"
        "或者超越职权、滥用职权等情形之一，应予撤销",
    ),
    "altered": ("第六十三条", "被申请人作出的行政行为内容不适当或者适用依据错误，应予变更"),
    "confirmed_unlawful": ("第六十五条", "被申请人作出的行政行为违法，但不具有可撤销内容"),
    "ordered_to_act": ("第六十六条", "被申请人不履行法定职责的情形成立"),
    "dismissed": ("第六十九条", "申请人的行政复议请求不能成立"),
    "compensation": ("第七十二条", "申请人的行政赔偿请求依法成立"),
}


def _decision_words(outcome: str, act: str) -> str:
    return {
        "upheld": f"维持被申请人作出的{act}",
        "revoked": f"撤销被申请人作出的{act}",
        "altered": f"变更被申请人作出的{act}",
        "confirmed_unlawful": f"确认被申请人作出的{act}违法",
        "ordered_to_act": "责令被申请人在法定期限内履行法定职责",
        "dismissed": "驳回申请人的行政复议请求",
        "compensation": "被申请人依法给予申请人赔偿",
    }[outcome]


def _start(file: CaseFile, title: str, number: str) -> Any:
    organ = file.matter.org.name
    doc = official_document(f"{number} {title}", organ)
    doc.add_paragraph(title, style=STYLE_TITLE)
    ref = doc.add_paragraph(number)  # 发文字号, centred under the title
    ref.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ref.paragraph_format.first_line_indent = 0
    return doc


def _salutation(doc: Any, file: CaseFile) -> None:
    p = doc.add_paragraph(f"{file.applicant}：")
    p.paragraph_format.first_line_indent = 0


def _application(file: CaseFile) -> str:
    act = file.contested_act or "行政行为"
    return (
        f"你（单位）不服{file.respondent}作出的{act}，"
        f"于{chinese_date(file.matter.received_on)}向本机关提出行政复议申请"
    )


def acceptance_notice(matter: Matter) -> bytes:
    """行政复议受理通知书 (行政复议法 §30): what was accepted, when, under which procedure, and
    by when the decision is due (§62)."""
    file = case_file(matter)
    if file.accepted_on is None:
        raise DocumentUnavailableError(f"{matter.reference}尚未受理，不能制作受理通知书。")
    doc = _start(file, "行政复议受理通知书", matter.reference)
    _salutation(doc, file)
    doc.add_paragraph(
        f"{_application(file)}。经审查，该申请符合{LAW}第三十条规定的受理条件，本机关决定自"
        f"{chinese_date(file.accepted_on)}起予以受理，适用{file.procedure_label}审理。"
    )
    days = "三十日" if file.simplified else "六十日"
    # the due date as it stood on acceptance (an extension later is notified on its own)
    limit = "reconsideration.decide_simplified" if file.simplified else "reconsideration.decide"
    due = get_limit(limit).due(file.accepted_on, provisional=True).on
    text = f"根据{LAW}第六十二条，本机关将自受理之日起{days}内作出行政复议决定"
    if due is not None:
        text += f"（至{chinese_date(due)}）"
    text += "。"
    if not file.simplified:
        text += "情况复杂、不能在规定期限内作出决定的，经本机关负责人批准，可以适当延长，但延长期限最多不超过三十日。"
    doc.add_paragraph(text)
    if file.third_parties:
        doc.add_paragraph(f"本案第三人：{'、'.join(file.third_parties)}。")
    doc.add_paragraph("特此通知。")
    add_signature(doc, matter.org.name, file.accepted_on)
    return to_bytes(doc)


def correction_notice(matter: Matter, index: int | None = None) -> bytes:
    """补正通知书 (行政复议法 §31): the items to supply, the 10 working days and what a silence
    means. ``index`` (0-based) picks a notice where there were several; the latest by default."""
    file = case_file(matter)
    if not file.corrections:
        raise DocumentUnavailableError(f"{matter.reference}没有通知补正，不能制作补正通知书。")
    if index is None:
        index = len(file.corrections) - 1
    if not 0 <= index < len(file.corrections):
        raise DocumentUnavailableError(
            f"{matter.reference}共有{len(file.corrections)}次补正通知，没有第{index + 1}次。"
        )
    correction = file.corrections[index]
    number = matter.reference if len(file.corrections) == 1 else f"{matter.reference}-{index + 1}"
    doc = _start(file, "行政复议申请补正通知书", number)
    _salutation(doc, file)
    doc.add_paragraph(
        f"{_application(file)}。经审查，你（单位）的申请材料不齐全或者表述不清楚，无法判断是否"
        f"符合受理条件。根据{LAW}第三十一条，请你（单位）自收到本通知之日起十个工作日内补正"
        "下列事项："
    )
    for i, item in enumerate([s for s in correction.items.splitlines() if s.strip()], 1):
        doc.add_paragraph(f"{i}．{item.strip()}")
    due = correction.due.due_on if correction.due else None
    if due is not None:
        doc.add_paragraph(f"补正期限至{chinese_date(due)}届满。")
    doc.add_paragraph(
        "无正当理由逾期不补正的，视为你（单位）放弃行政复议申请，并记录在案。"
        "补正申请材料所用时间不计入行政复议审理期限。"
    )
    doc.add_paragraph("特此通知。")
    add_signature(doc, matter.org.name, correction.notice.on)
    return to_bytes(doc)


def decision(matter: Matter) -> bytes:
    """行政复议决定书 (行政复议法 §63–§72, §75): the parties, the course of the case, the decision
    with its article, and the applicant's right to sue (行政诉讼法 §45)."""
    file = case_file(matter)
    c = file.conclusion
    if c is None or c.action != "decide":
        raise DocumentUnavailableError(f"{matter.reference}尚未作出行政复议决定，不能制作决定书。")
    outcome = str(matter.outcome)
    article, finding = DECISION_TEXT[outcome]
    doc = _start(file, "行政复议决定书", c.number or matter.reference)
    applicant = f"申请人：{file.applicant}"
    if file.applicant_id:
        applicant += f"（证件号码：{file.applicant_id}）"
    doc.add_paragraph(applicant)
    if file.applicant_address:
        doc.add_paragraph(f"住所或者联系地址：{file.applicant_address}")
    doc.add_paragraph(f"被申请人：{file.respondent}")
    if file.third_parties:
        doc.add_paragraph(f"第三人：{'、'.join(file.third_parties)}")
    act = file.contested_act or "行政行为"
    course = (
        f"申请人不服被申请人作出的{act}，于{chinese_date(matter.received_on)}向本机关申请行政复议"
    )
    if file.accepted_on is not None:
        course += (
            f"，本机关于{chinese_date(file.accepted_on)}依法受理，适用{file.procedure_label}审理"
        )
    course += "。"
    if file.reply is not None and file.reply.answered_on is not None:
        course += (
            f"被申请人于{chinese_date(file.reply.answered_on)}提交了书面答复和有关证据、依据。"
        )
    for h in file.hearings:
        course += f"本机关于{chinese_date(h.on)}{'举行听证' if h.kind == '听证' else '听取了当事人的意见'}。"
    doc.add_paragraph(course + "本案现已审理终结。")
    doc.add_paragraph(f"本机关认为，{finding}。")
    doc.add_paragraph(f"根据{LAW}{article}的规定，本机关决定：{_decision_words(outcome, act)}。")
    doc.add_paragraph(
        "申请人如不服本决定，可以自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。"
        "本决定书一经送达，即发生法律效力。"
    )
    add_signature(doc, matter.org.name, c.on)
    return to_bytes(doc)


# the papers a staff user can download from the matter's page: slug → (label, maker, available?)
DOCUMENTS: dict[str, tuple[str, Callable[[Matter], bytes], Callable[[CaseFile], bool]]] = {
    "acceptance": ("受理通知书", acceptance_notice, lambda f: f.accepted_on is not None),
    "correction": ("补正通知书", correction_notice, lambda f: bool(f.corrections)),
    "decision": (
        "行政复议决定书",
        decision,
        lambda f: f.conclusion is not None and f.conclusion.action == "decide",
    ),
}
