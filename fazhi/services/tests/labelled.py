"""A labelled set of realistic incoming matters for the unit suggestion (``suggest_units``).

Each matter is what a caller or a visitor to the help window says, in their own words — written
here by hand per duty of the demo lists (``fazhi.services.duty_catalog``), not made from the
lists' own names or keywords — with an address that names the street or township most of the
time, a community only or nothing the rest. Its label is the unit the demo's 2024 lists make
responsible: the township or street named by the address for a basic duty, the leading or
receiving department otherwise. ``generate`` draws ``n`` of them with a seed, so the set is
the same on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from fazhi.services.duty_catalog import DUTY_BY_KEY, RURAL, URBAN

# what people say, per duty (several wordings each)
SAYINGS: dict[str, tuple[str, ...]] = {
    "sanitation": (
        "楼后的垃圾一个多礼拜没人拉走了，夏天味道特别大，苍蝇到处飞",
        "路边垃圾桶早就满了，溢出来的垃圾散了一地",
        "胡同里有人长期倒建筑垃圾和生活垃圾，成了卫生死角",
        "门市房门前的人行道天天脏兮兮的，没人扫",
    ),
    "property": (
        "物业收了钱什么都不管，楼道灯坏了半年没人修",
        "我们楼是弃管楼，没有物业，下水道堵了不知道找谁",
        "想成立业主委员会换掉现在的物业公司，不知道怎么办",
        "物业费一下涨了一倍，也没开业主大会商量",
    ),
    "stairwell": (
        "邻居把旧家具和纸壳子堆在楼道里，着火了都跑不出去",
        "楼上住户从窗户拉电线给电瓶车充电，太危险了",
        "有人把电动车推进单元门里充电，楼道都被堵死了",
    ),
    "mediation": (
        "楼上邻居家卫生间漏水把我家顶棚泡坏了，协商不成",
        "和邻居因为院墙界线吵了好几次，想请人帮忙调解",
        "楼上每天半夜跺地、挪桌子，沟通好几回都没用，想找人调解一下",
    ),
    "subsistence": (
        "家里老伴重病，俩人都没收入，想申请低保",
        "孩子上学、丈夫瘫痪在床，生活实在过不下去了，能不能给点救助",
        "去年申请的低保一直没有消息，想问问进度",
    ),
    "disability": (
        "我父亲今年满八十了，高龄补贴怎么申请",
        "孩子是一级肢体残疾，重度残疾人护理补贴在哪办",
        "残疾证到期了要换证，需要带什么材料",
    ),
    "insurance": (
        "今年的居民医保在哪交，手机上交不上",
        "退休老人每年领养老金要做认证，老人不会用手机",
        "想给刚出生的孩子办居民医疗保险参保",
    ),
    "employment": (
        "下岗在家一年多了，想办失业登记，再找份工作",
        "听说有公益性岗位，我是就业困难人员能不能报名",
        "大学毕业回来了，想问问有没有招聘会和就业补贴",
    ),
    "veterans": (
        "我是退伍老兵，家里门上的光荣牌一直没给挂",
        "退役以后的优抚金好几个月没到账",
        "父亲是参战退役人员，生病住院想问问有什么帮扶",
    ),
    "elderly": (
        "家里老人八十多岁一个人住，子女在外地，想给他订社区的老年餐",
        "社区的老年食堂什么时候开，中午能不能送餐上门",
        "独居老人腿脚不便，能不能安排志愿者定期上门看看",
    ),
    "births": (
        "二胎出生了要做生育登记，在哪儿办",
        "我们是独生子女家庭，退休后的奖励金怎么领",
        "计划生育特别扶助金今年还没发",
    ),
    "flood": (
        "一下大雨这条路就淹了，雨水没过膝盖，车都过不去",
        "地下室又进水了，排水井堵了没人管",
        "河边那几户房子太低，汛期能不能安排人员转移",
    ),
    "fire_ban": (
        "村东头有人在地里点秸秆，浓烟滚滚呛得人睁不开眼",
        "有人上山烧荒，离林子很近，很危险",
        "晚上总有人在地头烧玉米秆，烟雾很大",
    ),
    "village": (
        "村里的旱厕改造说了好几年了还没动",
        "屯子里的路坑坑洼洼，边沟也堵了，一下雨全是泥",
        "村口柴草垃圾乱堆乱放，环境太差",
    ),
    "farmland": (
        "有人在基本农田上盖房子，还在往里拉土",
        "村外的耕地被人挖沙卖钱，挖了好几个大坑",
        "邻村的人把我们组的地推平了准备建厂房",
    ),
    "illegal_building": (
        "一楼住户在楼前私自接出一大间彩钢房，把过道都占了",
        "顶楼邻居在楼顶加盖了一层，楼板都压裂了",
        "小区绿地被人圈起来盖了个小房开店",
    ),
    "street_vendors": (
        "学校门口一放学就全是摆摊卖小吃的，把路都堵了",
        "菜市场外面的马路被早市占满了，车根本过不去",
        "饭店把桌子摆到人行道上，行人只能走机动车道",
    ),
    "signboards": (
        "楼下商铺的大广告牌被风刮得摇摇晃晃，怕砸到人",
        "单元门和电线杆上贴满了办证、开锁的小广告",
        "临街的横幅挂了好几个月都破了也没人摘",
    ),
    "fumes_noise": (
        "楼下烧烤店的油烟直接往我家窗户里灌，晚上十二点还在营业",
        "商店门口的大喇叭从早喊到晚，吵得人受不了",
        "饭店的排烟管道对着居民楼，屋里全是油烟味",
    ),
    "food_safety": (
        "在路边小饭店吃完饭全家上吐下泻，怀疑食物不干净",
        "超市卖过期的牛奶和面包，日期都被改过",
        "附近有个小作坊做豆腐，环境特别脏，也没有证",
    ),
    "consumers": (
        "在菜市场买的肉回家一称少了二两",
        "健身房办了年卡，没几个月就跑路了，想退钱",
        "药店宣传保健品能治高血压，老人花了好几千",
    ),
    "elevators": (
        "单元电梯三天两头坏，昨天还把老人关在里面半个小时",
        "电梯检验合格证早就过期了，还照常运行",
        "电梯运行时晃得厉害，还有异响，维保单位不来修",
    ),
    "work_safety": (
        "小区底商的饭店后厨放了好几个液化气罐，管子都老化了",
        "附近有个小加工厂偷偷存放油漆和稀料，怕出事",
        "仓库里私拉乱接电线，工人还在里面抽烟",
    ),
    "wages": (
        "在工地干了半年活，包工头一直拖着不给工钱",
        "公司拖欠我们三个月工资了，老板不接电话",
        "装修队干完活开发商不结账，农民工过年回不了家",
    ),
    "heating": (
        "家里暖气一点都不热，屋里才十二度，老人孩子都冻感冒了",
        "交了取暖费暖气还是凉的，热力公司一直说排队维修",
        "楼里供暖管道漏水，好几户都停暖了",
    ),
    "housing_safety": (
        "我们这栋老楼外墙裂了好几道大缝，担心是危房",
        "顶层楼顶防水坏了，一下雨屋里就漏，想用维修基金修",
        "阳台底下的水泥块往下掉，下面就是人行道",
    ),
    "animal_health": (
        "村里的河沟里扔了好几头死猪，没人处理",
        "家里养的牛需要打疫苗，防疫员一直没来",
        "邻居家的鸡一下死了好几十只，怕是有病",
    ),
    "schooling": (
        "孩子随父母回来上学，转学手续怎么办",
        "邻居家孩子初中没毕业就不上学了，在外面打工",
        "刚搬过来，孩子上小学的学位怎么申请",
    ),
    "tutoring": (
        "小区里有人在家里开补习班，十几个孩子挤一屋，也没有资质",
        "楼下新开了个辅导班，收了一年学费，老师天天换",
        "有个艺术培训班没有营业执照，出了事找不到人",
    ),
    "clinics": (
        "小区里有人开黑诊所给人打针输液，也没有执业证",
        "有个游医在广场上给老人看病卖药",
        "村里有人冒充医生给人针灸拔罐，把人治坏了",
    ),
    "culture_market": (
        "附近网吧让初中生进去上网，一玩就是通宵",
        "楼下歌厅半夜还在唱，还有未成年人进出",
        "游戏厅里全是小孩，有的还在里面赌币",
    ),
    "registration": (
        "想开个小超市，营业执照去哪办",
        "公司要变更法人，需要准备哪些材料",
        "个体户不干了，执照怎么注销",
    ),
    "construction_permit": (
        "厂房扩建要办施工许可证，找哪个部门",
        "我们项目开工前的审批手续还差哪些",
    ),
    "associations": (
        "我们几个老同志想成立一个书法协会，要去哪里登记",
        "商会换届后要变更登记，需要什么材料",
    ),
    "clinic_licence": (
        "我是退休医生，想开个中医诊所，需要办什么手续",
        "口腔诊所要办执业登记，材料怎么准备",
    ),
    "private_schools": (
        "想开一家民办幼儿园，需要什么审批",
        "培训学校办学许可证到期了怎么延续",
    ),
}

# (short name of the street or township, communities or villages in it)
PLACES: dict[str, tuple[str, ...]] = {
    "仁兴街道": ("站前社区", "仁兴社区", "铁西花园小区"),
    "英雄街道": ("英雄社区", "紫气社区", "英雄大路"),
    "北沟街道": ("北沟社区", "红旗社区", "北沟棚改小区"),
    "地直街道": ("地直社区", "南河社区", "地直家属楼"),
    "平西乡": ("平西村", "三道林子村", "东山村"),
}
OPENINGS = ("", "你好，", "我想反映个事，", "您好，我是这儿的居民，", "麻烦问一下，")
ENDINGS = ("", "，希望尽快给解决。", "，麻烦给协调一下。", "，打了好几次电话了。", "。", "，谢谢。")


@dataclass(frozen=True)
class LabelledMatter:
    text: str
    unit: str  # the responsible unit's short name
    duty: str  # the duty the matter is about (catalog key)
    named_place: bool  # the text names the street or township


def generate(n: int = 240, seed: int = 2024) -> list[LabelledMatter]:
    rng = random.Random(seed)
    keys = sorted(SAYINGS)
    out = []
    while len(out) < n:
        duty = DUTY_BY_KEY[rng.choice(keys)]
        places = [
            p for p in PLACES if duty.where == "both" or (duty.where == RURAL) == (p == "平西乡")
        ]
        assert duty.where in ("both", RURAL, URBAN)
        place = rng.choice(places)
        spot = rng.choice(PLACES[place])
        how = rng.random()
        if how < 0.6:
            address, named = f"{place}{spot}", True
        elif how < 0.85:
            address, named = spot, False
        else:
            address, named = "", False
        saying = rng.choice(SAYINGS[duty.key])
        where = f"我家住{address}，" if address and rng.random() < 0.5 else ""
        tail = f"（地址：{address}）" if address and not where else ""
        text = f"{rng.choice(OPENINGS)}{where}{saying}{rng.choice(ENDINGS)}{tail}"
        unit = place if duty.kind == "basic" else duty.unit
        out.append(LabelledMatter(text, unit, duty.key, named))
    return out
