"""The annual report's template (法治政府建设年度报告): its parts, headings and default texts.

A section's text is prose in paragraphs (separated by a blank line) with indicator
placeholders (``fazhi.reports.placeholders``): ``{{ reconsideration.received }}`` is replaced
by the figure computed from the records, ``{{ hotline_order.concluded|approx }}`` writes it in
the report's "余" style, ``{{ reconsideration.received|prev }}`` is last year's figure. A
figure whose procedure is not in the platform yet renders as 【待补：code】. Prose that people
write stands in the default texts as 【待撰写：…】 until someone replaces it; the pre-issue
check lists both.

The seven headings of part 一 are those of the 2024 Tiexi report (the seed); the figure
sentences follow its wording, so that a draft reads like the report the office writes now.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    """One section of the report: its key, heading, level (1: 一、 2: （一）), default text and
    the department that usually drafts it (short name; the office assigns it)."""

    key: str
    heading: str
    level: int
    default: str
    department: str = ""

    def heading_for(self, year: int) -> str:
        return self.heading.format(year=year, next_year=year + 1)


def _p(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


PART_ONE = SectionSpec("1", "一、{year}年法治政府建设基本情况", 1, "")

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "preamble",
        "",
        0,
        _p("【待撰写：本年度法治政府建设的总体情况（指导思想、总体成效）】现将有关情况报告如下："),
        "区司法局",
    ),
    PART_ONE,
    SectionSpec(
        "1.1",
        "（一）聚焦作用发挥，政府履职更加高效",
        2,
        _p(
            "【待撰写：机构职能调整、放管服改革、优化营商环境的主要举措】",
            "乡设置{{ org.township_internal_units }}个内设机构，"
            "街道设置{{ org.street_internal_units }}个内设机构。",
            "政务服务审批平均办理时限压缩至{{ services.time_limit_compression }}。"
            "聘任{{ services.business_supervisors }}名营商环境监督员。"
            "接到营商环境投诉举报案件{{ business_complaint.received }}件，"
            "区分非受理范围{{ business_complaint.out_of_scope }}件，"
            "受理范围{{ business_complaint.in_scope }}件，"
            "{{ business_complaint.concluded }}件已办结，"
            "{{ business_complaint.in_progress }}件办理中，"
            "满意率为{{ business_complaint.satisfaction_rate }}。",
        ),
        "区政数局",
    ),
    SectionSpec(
        "1.2",
        "（二）聚焦依法行政，制度体系更加完善",
        2,
        _p(
            "【待撰写：合法性审核、公平竞争审查、规范性文件管理的主要举措】",
            "本年度制定行政规范性文件{{ normative_document.enacted }}件，"
            "不报送{{ normative_document.not_filed }}件，"
            "超期报送{{ normative_document.filed_late }}件。",
        ),
        "区司法局",
    ),
    SectionSpec(
        "1.3",
        "（三）聚焦依法决策，法治意识更加牢固",
        2,
        _p(
            "【待撰写：重大行政决策程序的主要举措】",
            "公布并实施重大行政决策事项{{ major_decision.published }}项。",
        ),
        "区政府办",
    ),
    SectionSpec(
        "1.4",
        "（四）聚焦公正文明，行政执法更加规范",
        2,
        _p(
            "【待撰写：行政执法三项制度、执法体制改革、执法人员管理的主要举措】",
            "本年度作出行政执法决定{{ enforcement.decisions }}件，"
            "执法决定按时公示率为{{ enforcement.publicity_timely_rate }}。",
        ),
        "区司法局",
    ),
    SectionSpec(
        "1.5",
        "（五）聚焦安全生产，应急能力更加强劲",
        2,
        _p(
            "【待撰写：安全生产法治宣传和执法的主要举措】",
            "开展{{ safety.trainings }}次应对突发事件专题培训，"
            "培训{{ safety.training_attendance|approx }}人次。"
            "开展大规模专项行动{{ safety.campaigns }}次，"
            "派出执法检查人员{{ safety.inspector_person_times }}人次，"
            "检查各类生产经营单位{{ safety.units_inspected }}家次，"
            "查处各类安全隐患{{ safety.hazards_found }}处。",
        ),
        "区应急局",
    ),
    SectionSpec(
        "1.6",
        "（六）聚焦公平正义，矛盾化解更加精准",
        2,
        _p(
            "【待撰写：多元化解矛盾纠纷的主要举措】",
            "驻公安派出所调解室调解案件{{ mediation.police_station }}件，"
            "驻法院调解室调解案件{{ mediation.court }}件，"
            "司法确认{{ mediation.judicial_confirmation }}件。"
            "排查矛盾纠纷{{ dispute_screening.screenings }}次，"
            "发现矛盾{{ dispute_screening.found }}件，化解{{ dispute_screening.resolved }}件。"
            "收到行政复议申请{{ reconsideration.received }}件"
            "（上年{{ reconsideration.received|prev }}件），"
            "受理{{ reconsideration.accepted }}件，不予受理{{ reconsideration.rejected }}件，"
            "逾期未补正{{ reconsideration.not_corrected }}件，"
            "办结{{ reconsideration.concluded }}件。"
            "行政应诉案件{{ litigation.cases }}件，"
            "负责人出庭应诉率为{{ litigation.head_appearance_rate }}，"
            "上诉案件{{ litigation.appeals }}件，申诉案件{{ litigation.retrial_petitions }}件，"
            "未履行生效裁判{{ litigation.unperformed_judgments }}件。"
            "信访部门及时受理率为{{ petition.office_timely_rate }}，"
            "有权处理机关单位及时受理率为{{ petition.handler_timely_rate }}，"
            "申诉求决类导入行政复议程序{{ petition.to_reconsideration }}件，"
            "导入人民调解程序{{ petition.to_mediation }}件，"
            "“申诉求决类初次信访事项”一次性化解率{{ petition.first_resolution_rate }}。",
        ),
        "区司法局",
    ),
    SectionSpec(
        "1.7",
        "（七）聚焦规范透明，制约监督更加有力",
        2,
        _p(
            "办理市区两级人大代表建议{{ npc_suggestion.handled }}件、"
            "政协提案{{ cppcc_proposal.handled }}件，办复率、办结率"
            "{{ npc_suggestion.reply_rate, npc_suggestion.completion_rate, "
            "cppcc_proposal.reply_rate, cppcc_proposal.completion_rate|all:均为 }}。"
            "收到检察建议{{ procuratorial_suggestion.received }}件、"
            "司法建议{{ judicial_suggestion.received }}件，回复率"
            "{{ procuratorial_suggestion.reply_rate, judicial_suggestion.reply_rate|all:为 }}。"
            "收到“区长信箱”群众来信{{ mailbox_letter.received }}条，"
            "回复办结率为{{ mailbox_letter.reply_rate }}。"
            "办结“互联网+督查”、“接诉即办”等平台群众反映问题"
            "{{ hotline_order.concluded|approx }}件。",
            "【待撰写：审计、统计、督查监督的主要举措】"
            "开展实地督查{{ supervision.field_inspections|approx }}次。"
            "开展行政执法监督检查暨案卷评查{{ enforcement.case_file_reviews }}次。",
        ),
        "区政府办",
    ),
    SectionSpec(
        "2",
        "二、存在的问题和不足",
        1,
        "【待撰写：存在的问题和不足及其原因】",
        "区司法局",
    ),
    SectionSpec(
        "3",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        1,
        _p(
            "【待撰写：党政主要负责人履行第一责任人职责的情况】",
            "实现全区{{ accountability.law_reports }}名党政主要负责人述法评议全覆盖"
            "（覆盖率{{ accountability.law_report_coverage }}）。",
        ),
        "区司法局",
    ),
    SectionSpec(
        "4",
        "四、{next_year}年主要工作安排",
        1,
        "【待撰写：下一年度推进法治政府建设的主要安排】",
        "区司法局",
    ),
    SectionSpec(
        "5",
        "五、其他需要报告的情况",
        1,
        "【待撰写：其他需要报告的情况；没有的写“无”】",
        "区司法局",
    ),
)

SECTION_BY_KEY = {s.key: s for s in SECTIONS}
WRITABLE = tuple(s for s in SECTIONS if s.level != 1 or s.default)
"""The sections that carry text (part 一 itself is only a heading over its seven)."""


def title_lines(org_name: str, year: int) -> tuple[str, str]:
    """The title in two lines, as the seed writes it: the organ, then 关于…的报告."""
    return org_name, f"关于{year}年度法治政府建设情况的报告"


def section(key: str) -> SectionSpec:
    try:
        return SECTION_BY_KEY[key]
    except KeyError:
        known = "、".join(SECTION_BY_KEY)
        raise KeyError(f"报告没有“{key}”这一部分。已有的部分：{known}。") from None
