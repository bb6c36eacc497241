"""一案三书: the three papers issued with a lenient decision, in the official layout — the
decision (不予行政处罚决定书, or 行政处罚决定书 where the penalty is lightened), the order to
correct (责令改正通知书) and the notice explaining the law (普法告知书)."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from fazhi.core.officialdoc import (
    STYLE_TITLE,
    add_signature,
    official_document,
    to_bytes,
)
from fazhi.enforcement.types import LENIENCY_LISTS
from fazhi.procedures.models import Matter, PartyKind

NOT_PUNISHED = frozenset({"first_violation", "no_penalty"})


class NotLenientError(ValueError):
    """The decision applied no leniency list: there are no three papers to issue."""


def _party(matter: Matter) -> str:
    kind = "统一社会信用代码" if matter.party_kind == PartyKind.ORGANISATION else "身份证号码"
    code = f"（{kind}：{matter.party_id_number}）" if matter.party_id_number else ""
    return f"当事人：{matter.party_name}{code}"


def three_documents(matter: Matter) -> bytes:
    """The .docx of the three papers of ``matter`` (a decision with ``details.leniency``)."""
    d = matter.details
    kind = str(d.get("leniency") or "")
    if matter.procedure != "enforcement_decision" or not kind:
        raise NotLenientError(f"{matter.reference}未适用从宽处罚清单，没有“一案三书”。")
    list_label = dict(LENIENCY_LISTS).get(kind, kind)
    number = str(d.get("decision_number", ""))
    organ = matter.org.name
    facts = str(d.get("facts") or "当事人的违法事实经调查属实。")
    basis = str(d.get("legal_basis", ""))
    first_title = "不予行政处罚决定书" if kind in NOT_PUNISHED else "行政处罚决定书"
    papers = [
        (
            first_title,
            [
                _party(matter),
                f"经查，{facts}",
                f"依据{basis}，并依照本机关“{list_label}”清单，鉴于当事人符合从宽处理的条件，"
                f"本机关决定：{d.get('result', '')}。",
                "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
                "或者在六个月内依法向人民法院提起行政诉讼。",
            ],
        ),
        (
            "责令改正通知书",
            [
                _party(matter),
                f"你（单位）存在的违法行为：{facts}",
                "现责令你（单位）立即改正上述违法行为，并在改正后书面报告本机关。"
                "逾期不改正的，本机关将依法处理。",
            ],
        ),
        (
            "普法告知书",
            [
                _party(matter),
                f"你（单位）的上述行为违反了{basis}的规定。本机关依法对你（单位）从宽处理，"
                "是为了教育引导当事人自觉守法，不是对违法行为的放任。",
                "请认真学习相关法律规定，建立健全内部管理制度，防止同类违法行为再次发生。"
                "再次违反的，将不再适用首次违法从宽的规定。",
            ],
        ),
    ]
    doc = official_document(f"{number} 一案三书", organ)
    for i, (title, paragraphs) in enumerate(papers):
        if i:
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        doc.add_paragraph(title, style=STYLE_TITLE)
        ref = doc.add_paragraph(number)  # 发文字号, centred under the title
        ref.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ref.paragraph_format.first_line_indent = 0
        for text in paragraphs:
            doc.add_paragraph(text)  # a paper to the party: their own name and number, unmasked
        add_signature(doc, organ, matter.received_on)
    return to_bytes(doc)
