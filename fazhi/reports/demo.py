"""The demo district's 2024 report draft: the prose of the 2024 Tiexi report (the seed), with
every figure the catalog defines written as a placeholder, so that the figures come from the
demo's records (or show 【待补：code】 where the platform has no such records yet).

Sentences whose figures the catalog does not define (机构改革, “四次大规模行动”, 专题 …) are
prose as the office wrote them.
"""

from __future__ import annotations

from django.db import transaction

from fazhi.core.models import OrgUnit
from fazhi.procedures.demodata import demo_user
from fazhi.reports.models import Report

TEXTS_2024: dict[str, str] = {
    "preamble": (
        "2024年，铁西区坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大和"
        "二十届二中、三中全会精神，全面贯彻落实习近平法治思想，在市委、市政府的坚强领导下，"
        "法治政府建设取得明显成效。现将有关情况报告如下："
    ),
    "1.1": (
        "调整行政部门职责权限，整合优化力量资源。将区乡村振兴局职责划入区农业农村局，"
        "将区政府办公室、区商务局承担的金融工作职责划入区财政局，将区政务服务局更名为"
        "区政务服务和数字化建设管理局，将民政局承担的指导城乡社区治理体系和治理能力建设、"
        "统筹推动基层民主政治建设等职责划入区委社会工作部，将区卫健局老龄工作职责划入区民政局，"
        "将区信访局由区委工作机关调整为区政府直属机构。\n\n"
        "完善乡（街道）机构和管理体制，乡设置{{ org.township_internal_units }}个内设机构，"
        "街道设置{{ org.street_internal_units }}个内设机构，乡街单独设置综合服务中心和应急管理"
        "办公室。编制乡街基本履职事项清单、配合履职事项清单、上级部门收回事项清单，形成事权清晰、"
        "责能相适、履职顺畅、保障有力的乡（街）权责体系。\n\n"
        "深入推进“放管服”改革，政务服务审批平均办理时限压缩至"
        "{{ services.time_limit_compression }}。推行延时、错峰、午间不间断等服务举措，"
        "面向老年人、残疾人等特殊群体，全程提供免费领办、帮办、代办服务。设置“办不成事请找我”"
        "窗口，整合各类求助、投诉、举报和咨询等事项，增强企业群众获得感，提升政务服务满意度。"
        "聘任{{ services.business_supervisors }}名营商环境监督员，开展“15分钟政务服务圈”体验官"
        "活动。加强行政检查执法备案工作，从落实惠企政策、深化简政放权、优化政务服务、彰显执法"
        "温度和深化执法备案改革五个方面做出公开承诺。接到营商环境投诉举报案件"
        "{{ business_complaint.received }}件，区分非受理范围{{ business_complaint.out_of_scope }}件，"
        "受理范围{{ business_complaint.in_scope }}件，{{ business_complaint.concluded }}件已办结，"
        "{{ business_complaint.in_progress }}件办理中，满意率为"
        "{{ business_complaint.satisfaction_rate }}。"
    ),
    "1.2": (
        "强化合法性审核与公平竞争审查的刚性约束，加强对行政规范性文件制定和管理工作的指导监督。"
        "严格落实后评估和定期清理制度，确保行政规范性文件始终符合法规政策要求，更好地服务经济"
        "社会发展和群众需求。本年度未制定行政规范性文件，未出现不报送或超期报送问题，周期内"
        "后评估和清理工作已完成。"
    ),
    "1.3": (
        "在区政府网站设立重大行政决策意见建议征集信箱，从源头上保障公众对政府重大行政决策的"
        "参与权、知情权、表达权和监督权。及时公开《铁西区重大行政决策事项标准》，科学编制"
        "《铁西区政府2024年重大行政决策事项目录》，公布并实施重大行政决策事项"
        "{{ major_decision.published }}项。"
    ),
    "1.4": (
        "健全完善行政执法统计年报制度，建立行政执法公示平台。执法机关、对象、类别、结论等信息在"
        "执法决定作出之日起20个工作日内向社会公布，行政许可、行政处罚的执法决定信息在执法决定"
        "作出之日起7个工作日内公开。完善包容审慎监管，建立“首违不罚清单”，编制完善“四张清单”，"
        "落实“一案三书”。有序推进提升行政执法质量三年行动，开展营商环境优化重点行动和行政执法"
        "领域重点问题专项整治。推进乡（街道）综合行政执法体制改革，赋权工作已完成，行政执法事项"
        "清理工作正在推进中。严格执行持证上岗、亮证执法制度，抓好资格考试、证件发放、学习培训"
        "等工作。"
    ),
    "1.5": (
        "加强安全生产及应急管理法治宣传教育，开展{{ safety.trainings }}次应对突发事件专题培训，"
        "培训{{ safety.training_attendance|approx }}人次。加大安全生产执法检查力度，直管企业"
        "检查率、公示率达100%。开展“稳开局保安全百日攻坚”专项整治、安全生产全面排查和六个专项"
        "整治、安全生产治本攻坚三年行动、安全生产重点领域突出问题专项整治等四次大规模行动，"
        "派出执法检查人员{{ safety.inspector_person_times }}人次，检查各类生产经营单位"
        "{{ safety.units_inspected }}家次，查处各类安全隐患{{ safety.hazards_found }}处。"
    ),
    "1.6": (
        "推进行政调解与人民调解、司法调解有效衔接。驻公安派出所调解室调解案件"
        "{{ mediation.police_station }}件，驻法院调解室调解案件{{ mediation.court }}件，司法确认"
        "{{ mediation.judicial_confirmation }}件。组织司法所、人民调解组织深入基层排查涉民生重点"
        "领域矛盾纠纷{{ dispute_screening.screenings }}次，发现矛盾{{ dispute_screening.found }}件，"
        "化解{{ dispute_screening.resolved }}件。收到行政复议申请{{ reconsideration.received }}件"
        "（上年{{ reconsideration.received|prev }}件），受理{{ reconsideration.accepted }}件，"
        "不予受理{{ reconsideration.rejected }}件，逾期未补正{{ reconsideration.not_corrected }}件，"
        "办结{{ reconsideration.concluded }}件。行政应诉案件{{ litigation.cases }}件，负责人出庭"
        "应诉率为{{ litigation.head_appearance_rate }}，上诉、申诉案件数"
        "{{ litigation.appeals, litigation.retrial_petitions|all:均为 }}，不存在未依法及时履行或"
        "拖延履行法院生效裁判问题。坚持“预防在前、调解优先、运用法治、就地解决”原则，推动实施"
        "“五个法治化”和“四个到位”。信访部门及时受理率为{{ petition.office_timely_rate }}，"
        "有权处理机关单位及时受理率为{{ petition.handler_timely_rate }}，申诉求决类导入行政复议"
        "程序{{ petition.to_reconsideration }}件，导入人民调解程序{{ petition.to_mediation }}件，"
        "“申诉求决类初次信访事项”一次性化解率{{ petition.first_resolution_rate }}。"
    ),
    "1.7": (
        "办理市区两级人大代表建议{{ npc_suggestion.handled }}件、政协提案"
        "{{ cppcc_proposal.handled }}件，办复率、办结率{{ npc_suggestion.reply_rate, "
        "npc_suggestion.completion_rate, cppcc_proposal.reply_rate, "
        "cppcc_proposal.completion_rate|all:均为 }}。收到检察建议"
        "{{ procuratorial_suggestion.received }}件、司法建议{{ judicial_suggestion.received }}件，"
        "回复率{{ procuratorial_suggestion.reply_rate, judicial_suggestion.reply_rate|all:为 }}。"
        "收到“区长信箱”群众来信{{ mailbox_letter.received }}条，回复办结率为"
        "{{ mailbox_letter.reply_rate }}。办结“互联网+督查”、“接诉即办”等平台群众反映问题"
        "{{ hotline_order.concluded|approx }}件。优化调整政府网站功能，探索网民互动新渠道，"
        "增设新专题2个，优化原有专题6个。\n\n"
        "推进依法审计实践与审计法治建设紧密结合，构建集中统一、全面覆盖、权威高效的审计监督体系。"
        "制定《统计监督与纪检监察监督、组织监督、巡察监督、审计监督贯通协同工作实施细则》"
        "《关于加强统计执法监督工作和专业统计工作贯通协作的办法》，切实提升统计监督效能。建立法治"
        "督察与纪检监察监督、巡察监督协作配合机制。围绕区委、区政府重大安排部署和领导批示交办"
        "事项，开展环境卫生、项目建设等实地督查{{ supervision.field_inspections|approx }}次。"
        "开展行政执法监督检查暨案卷评查{{ enforcement.case_file_reviews }}次，提高了行政执法"
        "案卷质量。"
    ),
    "2": (
        "2024年，铁西区法治政府建设取得了一定成绩，但与国家治理体系和治理能力现代化要求还有一定"
        "差距，主要表现在以下几个方面：一是整体建设水平有待提升。个别部门对承担的法治政府建设"
        "重点任务把握不准，工作缺乏前瞻性，出台方案和制定措施相对滞后，没有实现一体推进，导致"
        "整体发展不均衡。二是法治专业力量相对薄弱。全区法治人才储备不足，法治专门队伍常态化培训"
        "轮训不够，乡（街）综合行政执法队伍建设需要加强，“一支队伍管执法”没有达到预期效果。"
        "三是法律资源总量略显不足。法律服务资源城乡分布差异明显，乡村公共法律服务人员、基础设施"
        "等资源相对短缺，服务供给质量、效率以及信息化建设水平有待进一步提高。"
    ),
    "3": (
        "（一）提高政治站位，加强组织领导。把法治建设摆在更加突出、更加重要的位置，列入区委、"
        "区政府会议专门研究。把党的领导贯彻到法治建设的全过程和各方面，召开区委全面依法治区"
        "委员会会议，审议通过《区委全面依法治区委员会2024年工作要点》《四平市铁西区落实吉林省"
        "贯彻落实〈全面深化法治领域改革纲要（2023-2027）〉若干措施重点任务清单》等文件，修订"
        "区委全面依法治区委员会工作规则和办公室工作细则，调整依法治区委员会及办公室组成人员。\n\n"
        "（二）发挥头雁效应，激发群雁活力。切实履行法治建设重要组织者、推动者和实践者职责，每季度"
        "听取一次法治工作汇报，每半年召开一次法治工作会议，及时研究解决有关重大问题，确保法治建设"
        "真正落到实处。牢固树立“法律红线不能碰、法律底线不能破”观念，在重大疑难法律问题处理方面"
        "及时征求法律顾问的意见，促进党政机关依法决策、依法行政。督促领导班子其他成员和下级部门"
        "主要负责人依法办事，实现全区{{ accountability.law_reports }}名党政主要负责人述法评议"
        "全覆盖。\n\n"
        "（三）抓住关键少数，发挥关键作用。出台《铁西区贯彻落实〈关于进一步加强领导班子和领导干部"
        "学法用法若干措施〉任务清单》，构建“1+N”清单体系，建立“7个纳入”长效机制，持续抓好领导"
        "班子和领导干部学规学法。区委理论学习中心组专题学习习近平法治思想，政府领导班子举办"
        "《中华人民共和国行政复议法》《重大行政决策程序暂行条例》法治专题讲座，提升运用法治思维"
        "和法治方式深化改革、推动发展、化解矛盾、维护稳定的能力。"
    ),
    "4": (
        "（一）锚定目标再发力，纵深推进法治政府建设。贯彻落实《全面深化法治领域改革纲要"
        "（2023-2027）》，做好《法治政府建设实施纲要（2021-2025年）》各项工作任务的总结验收，"
        "谋划好“十五五”时期法治政府建设重点工作，推动法治铁西建设再上新台阶。\n\n"
        "（二）夯实责任再提速，着力推动整体水平提升。深入查找法治建设短板弱项，加强统筹调度，"
        "强化督查考评，实行清单式管理、跟踪式推动、销号式验收，进一步压实责任、细化措施、强化"
        "问责，有效解决突出问题，确保全面依法治国决策部署在我区落地生根。\n\n"
        "（三）强化督导再加劲，有效凝聚法治工作合力。坚持个案监督纠错与倒逼依法行政有机结合，"
        "强化对行政复议决定书以及行政复议意见书、建议书执行情况的监督考核。发挥行政执法监督作用，"
        "强化司法所“行政执法监督室”职能，推行行政执法监督新形式。\n\n"
        "（四）建设队伍再升级，持续提升依法行政水平。构建新时代法治人才培养体系，建设高素质法治"
        "队伍。开展行政执法人员能力提升行动，培养一专多能的行政执法专门人才。按照“谁主管谁负责”"
        "原则，采取网络培训、岗位练兵等方式提升法治人员的能力素养。"
    ),
    "5": "无。",
}

DEMO_YEAR = 2024


def build(root: OrgUnit, year: int) -> str:
    """The draft of ``root``'s report for the demo year (idempotent: an existing report stays)."""
    if year != DEMO_YEAR or Report.objects.filter(org=root, year=year).exists():
        return ""
    from fazhi.reports.drafting import create_report

    with transaction.atomic():
        report = create_report(root, year, by=demo_user("admin"), texts=TEXTS_2024)
    return f"{report.year}年度报告草稿（{report.sections.count()}个部分）"
