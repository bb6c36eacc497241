"""The demo district's duty lists of townships and streets (乡街履职事项清单), as data.

Three lists per township and street (编制乡街基本履职事项清单、配合履职事项清单、上级部门收回事项清单):
basic duties the township answers for itself, cooperative duties led by a district department
with the township cooperating, and duties taken back by a higher department. ``URBAN`` items
are on the streets' lists only, ``RURAL`` ones on the township's (平西乡); the rest on every list.
The 2023 version had fewer items (``SINCE_2024``); the 2024 version is in force from 1 July 2024.
Keywords are what staff write on the list: the words people use for such a matter.
"""

from __future__ import annotations

from dataclasses import dataclass

BOTH, URBAN, RURAL = "both", "urban", "rural"


@dataclass(frozen=True)
class Duty:
    key: str
    kind: str  # basic, cooperative, taken_back
    name: str
    content: str
    keywords: str
    unit: str = ""  # the responsible department's short name ("" = the township itself)
    where: str = BOTH
    since_2024: bool = False


DUTIES: tuple[Duty, ...] = (
    # --- basic duties: the township or street itself -------------------------------------------
    Duty(
        "sanitation",
        "basic",
        "辖区环境卫生整治",
        "组织辖区公共区域清扫保洁和生活垃圾清运，清理卫生死角，督促沿街单位落实“门前三包”。",
        "垃圾清运、垃圾堆放、卫生死角、清扫保洁、门前三包、垃圾箱",
    ),
    Duty(
        "property",
        "basic",
        "居民小区物业服务指导监督",
        "指导监督辖区物业服务企业履行物业服务合同，协调处理物业服务纠纷，指导成立业主大会和业主委员会；"
        "无物业小区的兜底管理。",
        "物业公司、物业费、业主委员会、物业不作为、无物业小区、弃管楼",
        where=URBAN,
    ),
    Duty(
        "stairwell",
        "basic",
        "楼道及小区公共空间安全管理",
        "组织清理楼道堆物、占用消防通道，劝阻电动自行车入户、飞线充电。",
        "楼道杂物、楼道堆放、消防通道、飞线充电、电动车充电、私拉电线",
        where=URBAN,
    ),
    Duty(
        "mediation",
        "basic",
        "矛盾纠纷排查调解",
        "组织人民调解组织排查化解邻里、家庭、婚姻、宅基地等民间纠纷。",
        "邻里纠纷、邻居矛盾、家庭矛盾、调解、吵架、漏水纠纷",
    ),
    Duty(
        "subsistence",
        "basic",
        "最低生活保障和特困供养申请受理",
        "受理最低生活保障、特困人员供养、临时救助申请，开展入户调查、初审和公示。",
        "低保、特困、临时救助、救助申请、生活困难、困难补助",
    ),
    Duty(
        "disability",
        "basic",
        "高龄津贴和残疾人两项补贴受理",
        "受理高龄津贴、困难残疾人生活补贴和重度残疾人护理补贴申请并初审，协助办理残疾人证。",
        "高龄补贴、高龄津贴、残疾人补贴、护理补贴、残疾证",
    ),
    Duty(
        "insurance",
        "basic",
        "城乡居民养老和医疗保险参保服务",
        "办理辖区居民基本养老保险、居民医疗保险参保登记、缴费和待遇资格认证。",
        "居民医保、养老保险、参保、缴费、资格认证、社保认证",
    ),
    Duty(
        "employment",
        "basic",
        "就业创业服务",
        "办理就业登记、失业登记，开发和管理公益性岗位，推荐就业困难人员就业。",
        "失业登记、就业登记、找工作、公益岗位、就业困难、再就业",
    ),
    Duty(
        "veterans",
        "basic",
        "退役军人服务保障",
        "采集退役军人信息，走访慰问优抚对象，悬挂光荣牌，协助落实优抚待遇。",
        "退役军人、退伍军人、优抚、光荣牌、军属",
    ),
    Duty(
        "elderly",
        "basic",
        "居家和社区养老服务",
        "组织居家社区养老、老年助餐和独居、空巢老人探访关爱服务。",
        "老年食堂、助餐、居家养老、独居老人、空巢老人、养老服务",
        since_2024=True,
    ),
    Duty(
        "births",
        "basic",
        "生育服务和奖励扶助受理",
        "办理生育登记服务，受理独生子女父母奖励、计划生育家庭特别扶助申请。",
        "生育登记、独生子女、奖励扶助、计生",
    ),
    Duty(
        "flood",
        "basic",
        "基层应急和防汛",
        "组织辖区防汛排涝、低洼地带巡查和危险区域人员避险转移，突发事件先期处置。",
        "防汛、积水、内涝、排水、避险转移、下雨淹",
    ),
    Duty(
        "fire_ban",
        "basic",
        "森林草原防火和秸秆禁烧",
        "组织开展秸秆禁烧、野外用火管理和森林草原防火巡查。",
        "秸秆焚烧、烧秸秆、烧荒、野外用火、防火、冒烟",
        where=RURAL,
    ),
    Duty(
        "village",
        "basic",
        "农村人居环境整治",
        "组织村庄清洁行动、农村厕所改造和村内道路、边沟的日常维护。",
        "村屯环境、旱厕改造、厕所改造、村路、边沟、村里卫生",
        where=RURAL,
    ),
    Duty(
        "farmland",
        "basic",
        "耕地保护日常巡查",
        "开展耕地保护日常巡查，发现违法占用耕地建房、挖沙取土等行为及时制止并报告。",
        "占用耕地、毁坏耕地、农田建房、挖沙、取土",
        where=RURAL,
        since_2024=True,
    ),
    # --- cooperative duties: a department leads, the township cooperates -----------------------
    Duty(
        "illegal_building",
        "cooperative",
        "违法建设查处",
        "乡街发现、制止和报告违法建设，配合区城管执法局依法查处、拆除。",
        "违建、违章建筑、私搭乱建、私自加盖、彩钢房、圈占",
        "区城管执法局",
    ),
    Duty(
        "street_vendors",
        "cooperative",
        "占道经营和流动摊贩治理",
        "配合区城管执法局治理占道经营、店外经营、流动摊贩和马路市场。",
        "占道经营、流动摊贩、摆摊、马路市场、店外经营、早市",
        "区城管执法局",
        where=URBAN,
    ),
    Duty(
        "signboards",
        "cooperative",
        "户外广告和门头牌匾管理",
        "配合区城管执法局查处未经批准设置的户外广告、门头牌匾和乱贴乱画。",
        "广告牌、牌匾、横幅、小广告、乱贴乱画",
        "区城管执法局",
        where=URBAN,
    ),
    Duty(
        "fumes_noise",
        "cooperative",
        "餐饮油烟和社会生活噪声治理",
        "配合区城管执法局查处餐饮服务油烟直排、露天烧烤和商铺高音喇叭等社会生活噪声。",
        "油烟、烧烤、噪音、喇叭、扰民、排烟",
        "区城管执法局",
        where=URBAN,
    ),
    Duty(
        "food_safety",
        "cooperative",
        "食品安全协管",
        "配合区市场监管局检查小作坊、小餐饮、食品摊贩，报告食品安全隐患。",
        "食品安全、过期食品、变质、小饭店、小作坊、食物中毒、卫生条件差",
        "区市场监管局",
    ),
    Duty(
        "consumers",
        "cooperative",
        "消费维权和价格计量监督",
        "配合区市场监管局处理消费投诉，发现价格欺诈、缺斤短两、虚假宣传等行为及时报告。",
        "消费投诉、退款、缺斤短两、价格欺诈、虚假宣传、乱涨价、明码标价",
        "区市场监管局",
    ),
    Duty(
        "elevators",
        "cooperative",
        "电梯等特种设备安全协管",
        "配合区市场监管局排查住宅电梯等特种设备安全隐患，督促使用单位维保。",
        "电梯、电梯故障、电梯困人、电梯年检、维保",
        "区市场监管局",
        where=URBAN,
    ),
    Duty(
        "work_safety",
        "cooperative",
        "生产经营单位安全检查",
        "配合区应急局对辖区小微生产经营单位、“九小场所”开展安全检查，督促隐患整改。",
        "安全隐患、液化气罐、危险化学品、小作坊安全、九小场所、安全生产",
        "区应急局",
    ),
    Duty(
        "wages",
        "cooperative",
        "欠薪问题调处",
        "配合区人社局调处拖欠农民工工资问题，摸排在建项目用工情况。",
        "欠薪、拖欠工资、讨薪、不给工资、包工头、农民工工资",
        "区人社局",
    ),
    Duty(
        "heating",
        "cooperative",
        "供热保障",
        "配合区住建局处理居民供热投诉，协调供热企业入户测温和维修。",
        "暖气、供热、供暖、室温低、不热、采暖费",
        "区住建局",
        where=URBAN,
    ),
    Duty(
        "housing_safety",
        "cooperative",
        "房屋使用安全和专项维修资金",
        "配合区住建局排查危险房屋，协助业主申请使用住宅专项维修资金。",
        "危房、房屋裂缝、墙体开裂、维修资金、漏雨、楼顶漏水",
        "区住建局",
    ),
    Duty(
        "animal_health",
        "cooperative",
        "动物防疫协管",
        "配合区农业农村局开展动物强制免疫，报告病死畜禽，协助无害化处理。",
        "动物防疫、病死猪、死猪、病死畜禽、免疫、牲畜",
        "区农业农村局",
        where=RURAL,
    ),
    Duty(
        "schooling",
        "cooperative",
        "控辍保学和入学服务",
        "配合区教育局做好适龄儿童入学、控辍保学和学生资助政策宣传。",
        "辍学、失学、入学、上学、转学、学位",
        "区教育局",
        since_2024=True,
    ),
    Duty(
        "tutoring",
        "cooperative",
        "校外培训机构排查",
        "配合区教育局排查无证无照校外培训机构。",
        "补习班、课外辅导、培训班、无证办学",
        "区教育局",
        where=URBAN,
    ),
    Duty(
        "clinics",
        "cooperative",
        "非法行医排查",
        "配合区卫健局排查非法行医、无证诊所。",
        "非法行医、黑诊所、无证行医、假医生、游医",
        "区卫健局",
    ),
    Duty(
        "culture_market",
        "cooperative",
        "文化市场协管",
        "配合区文广旅局巡查网吧、歌厅等场所，报告接纳未成年人等违规行为。",
        "网吧、未成年人上网、歌厅、KTV、游戏厅",
        "区文广旅局",
        where=URBAN,
    ),
    # --- duties taken back by higher departments -------------------------------------------------
    Duty(
        "registration",
        "taken_back",
        "市场主体登记",
        "企业、个体工商户设立、变更、注销登记，由区市场监管局统一办理。",
        "营业执照、工商注册、个体户登记、执照变更、注销",
        "区市场监管局",
    ),
    Duty(
        "construction_permit",
        "taken_back",
        "建筑工程施工许可",
        "建筑工程施工许可证核发由区住建局办理。",
        "施工许可证、开工审批、施工许可",
        "区住建局",
    ),
    Duty(
        "associations",
        "taken_back",
        "社会团体和民办非企业单位登记",
        "社会组织成立、变更和注销登记由区民政局办理。",
        "成立协会、社团登记、社会组织、民办非企业",
        "区民政局",
        since_2024=True,
    ),
    Duty(
        "clinic_licence",
        "taken_back",
        "医疗机构执业登记",
        "诊所、门诊部等医疗机构设置审批和执业登记由区卫健局办理。",
        "开诊所、医疗机构执业许可、诊所备案",
        "区卫健局",
    ),
    Duty(
        "private_schools",
        "taken_back",
        "民办学校办学许可",
        "民办幼儿园、民办培训学校办学许可由区教育局办理。",
        "办学许可、民办幼儿园、办幼儿园",
        "区教育局",
    ),
)

DUTY_BY_KEY = {d.key: d for d in DUTIES}


def duties_for(kind_of_unit: str, version_2024: bool) -> list[Duty]:
    """The duties on a township's (``rural``) or street's (``urban``) list of one version."""
    return [
        d for d in DUTIES if d.where in (BOTH, kind_of_unit) and (version_2024 or not d.since_2024)
    ]
