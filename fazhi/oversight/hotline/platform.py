"""The municipal 12345 platform's work-order export (工单导出) as an import layout.

Such a sheet has one order a row: 工单编号, 来电时间 (or 受理/派单时间), 来电渠道, 诉求分类,
诉求地址, 诉求内容, 来电人 (a name, sometimes with the number), 联系电话, 承办单位 (the unit the
order is dispatched to), sometimes 紧急程度. ``fazhi import 工单导出.xlsx`` recognises it by its
header (procedures/importing/layouts.py) and reads each row into a ``hotline_order`` line: the
platform's number is the reference (so a daily re-import of the same export adds nothing), the
time is ``received_on``/``received_at`` (the urgent tier's hours run from it), the content is
the subject (cut to its 300 characters), the caller the party. Steps come in the JSON Lines
export (docs/hotline.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fazhi.oversight.hotline.procedures import CODE
from fazhi.procedures.importing.layouts import SheetLayout, register_layout
from fazhi.procedures.importing.report import LineError

SUBJECT_MAX = 300

_MOMENT = re.compile(
    r"^\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?)?\s*秒?)?\s*$"
)
_PHONE = re.compile(r"(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})")

# the platform's channel words → Matter.channel
_CHANNELS = (
    (("电话", "热线", "12345", "来电", "语音"), "hotline"),
    (("网站", "网上", "网络", "门户", "邮箱", "网页"), "web"),
    (("微信", "app", "小程序", "移动", "客户端", "短信", "公众号", "政务服务网"), "mobile"),
    (("信件", "来信"), "letter"),
    (("来访", "现场", "窗口"), "visit"),
)
_URGENT = ("紧急", "特急", "加急", "急件")

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("order_number", ("工单编号", "工单号", "编号", "工单编码")),
    ("time", ("来电时间", "受理时间", "派单时间", "登记时间", "诉求时间")),
    ("channel", ("来电渠道", "渠道", "来源渠道", "诉求渠道", "来源")),
    ("category", ("诉求分类", "问题分类", "分类", "业务分类", "诉求类别")),
    ("address", ("诉求地址", "地址", "事发地址", "事发地点")),
    ("content", ("诉求内容", "来电内容", "工单内容", "问题描述", "内容")),
    ("caller", ("来电人", "来电人姓名", "诉求人", "姓名")),
    ("phone", ("联系电话", "来电号码", "联系方式", "电话")),
    ("unit", ("承办单位", "派单单位", "责任单位", "处置单位", "主办单位")),
    ("urgency", ("紧急程度", "工单类型", "缓急程度")),
)


def _moment(text: str, line: int) -> tuple[str, str]:
    """(received_on, received_at) from the platform's time; LineError naming it otherwise."""
    found = _MOMENT.match(text)
    if found is None:
        raise LineError(
            line, "time", f"来电时间“{text[:30]}”无法识别，应为“2024-03-15 22:30”这样的日期时间。"
        )
    y, mo, d, h, mi, s = found.groups()
    day = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if h is None:
        return day, ""
    if int(h) > 23 or int(mi) > 59 or int(s or 0) > 59:
        raise LineError(line, "time", f"来电时间“{text[:30]}”的时刻无效。")
    return day, f"{day}T{int(h):02d}:{int(mi):02d}:{int(s or 0):02d}"


def _channel(text: str) -> str:
    low = text.lower()
    if not low:
        return "hotline"
    for words, code in _CHANNELS:
        if any(w in low for w in words):
            return code
    return "other"


def _party(caller: str, phone: str) -> dict[str, str]:
    number = phone
    name = caller
    if not number:  # "王女士 13912345678": the number written with the name
        found = _PHONE.search(caller)
        if found is not None:
            number = found.group(1)
            name = (caller[: found.start()] + caller[found.end() :]).strip(" ，,;；()（）")
    party = {"name": name.strip()[:100]} if name.strip() else {}
    if number:
        party["phone"] = number
    return party


def to_record(row: Mapping[str, str], line: int) -> dict[str, Any]:
    """One row of the platform's export as a ``hotline_order`` line (docs/import-format.md)."""
    reference = row.get("order_number", "").strip()
    if not reference:
        raise LineError(line, "order_number", "缺少工单编号。")
    received_on, received_at = _moment(row.get("time", ""), line)
    content = " ".join(row.get("content", "").split())
    if not content:
        raise LineError(line, "content", "缺少诉求内容。")
    if len(content) > SUBJECT_MAX:
        content = content[: SUBJECT_MAX - 1] + "…"
    record: dict[str, Any] = {
        "procedure": CODE,
        "reference": reference,
        "org": row.get("unit", "").strip(),
        "received_on": received_on,
        "subject": content,
        "channel": _channel(row.get("channel", "").strip()),
    }
    if received_at:
        record["received_at"] = received_at
    party = _party(row.get("caller", "").strip(), row.get("phone", "").strip())
    if party:
        record["party"] = party
    urgency = row.get("urgency", "").strip()
    details = {
        "urgency": "urgent" if any(w in urgency for w in _URGENT) else "ordinary",
        "category": row.get("category", "").strip()[:100],
        "address": row.get("address", "").strip()[:300],
    }
    record["details"] = {k: v for k, v in details.items() if v}
    return record


PLATFORM_EXPORT = register_layout(
    SheetLayout(
        code="hotline_platform",
        label="12345平台工单导出",
        procedure=CODE,
        columns=COLUMNS,
        required=frozenset({"order_number", "time", "content", "unit"}),
        to_record=to_record,
    )
)
