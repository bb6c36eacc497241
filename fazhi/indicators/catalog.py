"""The catalog of spec/indicators.md, in report order, as *pending* entries.

Each entry fixes the code, label, section, unit, target and the reason it is not computed yet
(its procedure or register does not exist). A domain app that registers the same code with a
source replaces the entry and keeps its place in the report (fazhi.indicators.registry).
"""

from __future__ import annotations

from decimal import Decimal

from fazhi.indicators.registry import Indicator, Source, register

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# (code, label, section, unit, target, pending reason, definition)
_CATALOG: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("org.township_internal_units", "乡内设机构", "1", "个", "", "", "乡设置的内设机构数"),
    ("org.street_internal_units", "街道内设机构", "1", "个", "", "", "街道设置的内设机构数"),
    (
        "services.business_supervisors",
        "营商环境监督员",
        "1",
        "名",
        "",
        "营商环境监督员名册",
        "截止日在聘的营商环境监督员人数",
    ),
    (
        "services.time_limit_compression",
        "审批时限压缩",
        "1",
        "%",
        "",
        "政务服务事项目录",
        "1 − Σ承诺时限 / Σ法定时限（在用服务事项）",
    ),
    ("business_complaint.received", "营商环境投诉举报案件", "1", "件", "", "", ""),
    ("business_complaint.out_of_scope", "非受理范围", "1", "件", "", "", ""),
    ("business_complaint.in_scope", "受理范围", "1", "件", "", "", ""),
    ("business_complaint.concluded", "已办结", "1", "件", "", "", ""),
    ("business_complaint.in_progress", "办理中", "1", "件", "", "", ""),
    ("business_complaint.satisfaction_rate", "满意率", "1", "%", "100%", "", ""),
    (
        "normative_document.enacted",
        "制定行政规范性文件",
        "2",
        "件",
        "",
        "行政规范性文件",
        "本年度公布的行政规范性文件",
    ),
    (
        "normative_document.filed_late",
        "超期报送",
        "2",
        "件",
        "0",
        "行政规范性文件",
        "本年度公布、超过30日报送备案的",
    ),
    (
        "normative_document.not_filed",
        "不报送",
        "2",
        "件",
        "0",
        "行政规范性文件",
        "本年度公布、报送期限已过截止日仍未报送备案的",
    ),
    (
        "major_decision.published",
        "公布并实施重大行政决策事项",
        "3",
        "项",
        "",
        "重大行政决策",
        "本年度目录内已决定并公布的事项",
    ),
    (
        "enforcement.decisions",
        "行政执法决定",
        "4",
        "件",
        "",
        "",
        "本年度作出的行政执法决定（按类型）",
    ),
    (
        "enforcement.publicity_timely_rate",
        "执法决定按时公示率",
        "4",
        "%",
        "100%",
        "",
        "按时公示的（许可、处罚7个工作日，其他20个工作日）/ 本年度决定",
    ),
    (
        "safety.trainings",
        "应对突发事件专题培训",
        "5",
        "次",
        "",
        "安全生产培训活动",
        "本年度举办的培训",
    ),
    (
        "safety.training_attendance",
        "培训人次",
        "5",
        "人次",
        "",
        "安全生产培训活动",
        "上述培训的参训人次合计",
    ),
    (
        "safety.campaigns",
        "大规模专项行动",
        "5",
        "次",
        "",
        "安全生产专项行动",
        "本年度开展的专项行动",
    ),
    (
        "safety.inspector_person_times",
        "派出执法检查人员人次",
        "5",
        "人次",
        "",
        "安全生产检查活动",
        "本年度检查派出的执法检查人员人次",
    ),
    (
        "safety.units_inspected",
        "检查生产经营单位家次",
        "5",
        "家次",
        "",
        "安全生产检查活动",
        "本年度检查的生产经营单位家次",
    ),
    ("safety.hazards_found", "查处安全隐患", "5", "处", "", "安全隐患登记", "本年度查处的安全隐患"),
    (
        "mediation.police_station",
        "驻公安派出所调解室调解案件",
        "6",
        "件",
        "",
        "调解",
        "本年度驻派出所调解室受理的调解案件",
    ),
    (
        "mediation.court",
        "驻法院调解室调解案件",
        "6",
        "件",
        "",
        "调解",
        "本年度驻法院调解室受理的调解案件",
    ),
    (
        "mediation.judicial_confirmation",
        "司法确认",
        "6",
        "件",
        "",
        "调解",
        "本年度调解协议截止日前经司法确认的",
    ),
    ("dispute_screening.screenings", "排查矛盾纠纷次数", "6", "次", "", "", ""),
    ("dispute_screening.found", "发现矛盾", "6", "件", "", "", ""),
    ("dispute_screening.resolved", "化解", "6", "件", "", "", ""),
    ("reconsideration.received", "收到行政复议申请", "6", "件", "", "", ""),
    ("reconsideration.accepted", "受理", "6", "件", "", "", ""),
    ("reconsideration.rejected", "不予受理", "6", "件", "", "", ""),
    ("reconsideration.not_corrected", "逾期未补正", "6", "件", "", "", ""),
    ("reconsideration.concluded", "办结", "6", "件", "", "", ""),
    (
        "litigation.cases",
        "行政应诉案件",
        "6",
        "件",
        "",
        "行政应诉",
        "本年度收到的以本区机关为被告的一审案件",
    ),
    (
        "litigation.head_appearance_rate",
        "负责人出庭应诉率",
        "6",
        "%",
        "100%",
        "行政应诉",
        "负责人出庭的庭审 / 本年度案件开庭的庭审",
    ),
    ("litigation.appeals", "上诉案件", "6", "件", "", "行政应诉", "本年度案件截止日前上诉的"),
    (
        "litigation.retrial_petitions",
        "申诉案件",
        "6",
        "件",
        "",
        "行政应诉",
        "本年度案件截止日前申诉的",
    ),
    (
        "litigation.unperformed_judgments",
        "未履行生效裁判",
        "6",
        "件",
        "0",
        "行政应诉",
        "未在期限内履行的生效裁判",
    ),
    (
        "petition.office_timely_rate",
        "信访部门及时受理率",
        "6",
        "%",
        "100%",
        "信访",
        "15日内处理（交办、转送或不予受理）的 / 信访部门本年度登记的",
    ),
    (
        "petition.handler_timely_rate",
        "有权处理机关单位及时受理率",
        "6",
        "%",
        "100%",
        "信访",
        "15日内告知受理或不予受理的 / 有权处理机关本年度收到的",
    ),
    (
        "petition.to_reconsideration",
        "导入行政复议程序",
        "6",
        "件",
        "",
        "信访",
        "本年度申诉求决类信访导入行政复议的",
    ),
    (
        "petition.to_mediation",
        "导入人民调解程序",
        "6",
        "件",
        "",
        "信访",
        "本年度申诉求决类信访导入人民调解的",
    ),
    (
        "petition.first_resolution_rate",
        "申诉求决类初次信访事项一次性化解率",
        "6",
        "%",
        "",
        "信访",
        "截止日前办结且无重复信访、复查、复核请求的 / 截止日前办结的本年度申诉求决类初次信访",
    ),
    ("npc_suggestion.handled", "人大代表建议", "7", "件", "", "人大代表建议", "本年度交办的建议"),
    (
        "npc_suggestion.reply_rate",
        "人大代表建议办复率",
        "7",
        "%",
        "100%",
        "人大代表建议",
        "截止日前正式答复的 / 交办的",
    ),
    (
        "npc_suggestion.completion_rate",
        "人大代表建议办结率",
        "7",
        "%",
        "100%",
        "人大代表建议",
        "截止日前办结的 / 交办的",
    ),
    ("cppcc_proposal.handled", "政协提案", "7", "件", "", "政协提案", "本年度交办的提案"),
    (
        "cppcc_proposal.reply_rate",
        "政协提案办复率",
        "7",
        "%",
        "100%",
        "政协提案",
        "截止日前正式答复的 / 交办的",
    ),
    (
        "cppcc_proposal.completion_rate",
        "政协提案办结率",
        "7",
        "%",
        "100%",
        "政协提案",
        "截止日前办结的 / 交办的",
    ),
    (
        "procuratorial_suggestion.received",
        "检察建议",
        "7",
        "件",
        "",
        "检察建议",
        "本年度收到的检察建议",
    ),
    (
        "procuratorial_suggestion.reply_rate",
        "检察建议回复率",
        "7",
        "%",
        "100%",
        "检察建议",
        "截止日前回复的 / 收到的",
    ),
    ("judicial_suggestion.received", "司法建议", "7", "件", "", "司法建议", "本年度收到的司法建议"),
    (
        "judicial_suggestion.reply_rate",
        "司法建议回复率",
        "7",
        "%",
        "100%",
        "司法建议",
        "截止日前回复的 / 收到的",
    ),
    ("mailbox_letter.received", "区长信箱群众来信", "7", "件", "", "", ""),
    ("mailbox_letter.reply_rate", "回复办结率", "7", "%", "100%", "", ""),
    (
        "hotline_order.concluded",
        "办结平台群众反映问题",
        "7",
        "件",
        "",
        "接诉即办工单",
        "本年度办结的热线和督查平台工单",
    ),
    ("hotline_order.received", "受理工单", "7", "件", "", "接诉即办工单", "本年度受理的工单"),
    ("hotline_order.response_rate", "响应率", "7", "%", "", "接诉即办工单", "按时签收的工单"),
    ("hotline_order.resolution_rate", "解决率", "7", "%", "", "接诉即办工单", "已解决的工单"),
    ("hotline_order.satisfaction_rate", "满意率", "7", "%", "", "接诉即办工单", "回访满意"),
    ("supervision.field_inspections", "实地督查", "7", "次", "", "", ""),
    (
        "enforcement.case_file_reviews",
        "行政执法监督检查暨案卷评查",
        "7",
        "次",
        "",
        "",
        "本年度开展的案卷评查",
    ),
    (
        "accountability.law_reports",
        "党政主要负责人述法评议",
        "duty",
        "名",
        "",
        "述法评议",
        "本年度述法并接受评议的负责人",
    ),
    (
        "accountability.law_report_coverage",
        "述法评议覆盖率",
        "duty",
        "%",
        "100%",
        "述法评议和负责人名册",
        "述法评议的 / 截止日在任的党政主要负责人",
    ),
    (
        "key_task.completion_rate",
        "重点任务销号率",
        "tasks",
        "%",
        "100%",
        "重点任务",
        "截止日前验收销号的 / 本年度清单任务",
    ),
)


def target_bounds(target: str) -> tuple[Decimal | None, Decimal | None]:
    """ "100%" → at least 100; "0" → at most 0; "" → no target."""
    if not target:
        return None, None
    number = Decimal(target.rstrip("%"))
    if number == ZERO:
        return None, ZERO
    return number, None


def catalog_entry(code: str) -> tuple[str, str, str, str]:
    """(label, section, unit, target) of a catalog code, for the domain declarations."""
    for row in _CATALOG:
        if row[0] == code:
            return row[1], row[2], row[3], row[4]
    raise KeyError(code)


def catalog_order(code: str) -> int:
    return next(i for i, row in enumerate(_CATALOG, start=1) if row[0] == code)


def register_catalog() -> None:
    """Register every catalog code that names a pending reason (the rest come from domains)."""
    for order, (code, label, section, unit, target, reason, definition) in enumerate(
        _CATALOG, start=1
    ):
        if not reason:
            continue
        low, high = target_bounds(target)
        register(
            Indicator(
                code=code,
                label=label,
                section=section,
                unit=unit,
                definition=definition,
                target=target,
                target_min=low,
                target_max=high,
                pending=f"尚未建立“{reason}”程序或名册，暂不计算。",
                order=order,
            )
        )


def from_catalog(
    code: str,
    definition: str,
    numerator: Source,
    denominator: Source | None = None,
) -> Indicator:
    """A computed indicator whose label, section, unit and target come from the catalog."""
    label, section, unit, target = catalog_entry(code)
    low, high = target_bounds(target)
    return Indicator(
        code=code,
        label=label,
        section=section,
        unit=unit,
        definition=definition,
        numerator=numerator,
        denominator=denominator,
        target=target,
        target_min=low,
        target_max=high,
        order=catalog_order(code),
    )
