"""Demo records of report parts (二) and (三), as the 2024 Tiexi report states them.

(二) No normative document published in the year, none filed late or missing; documents of
earlier years evaluated after implementation and cleaned up in the year's campaign (one
repealed), and one new draft still under review at the year's end.
(三) The published standard, the year's catalog with two items: one walks every gate and is
published (the report's "公布并实施重大行政决策事项1项"), the other is still in its risk
assessment; the public's comments on the first draft, and letters to the opinion mailbox.
Every figure is counted from these records (through the bulk import, the same rules as act()).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.core.models import OrgUnit
from fazhi.core.registers import save_entry
from fazhi.procedures.demodata import DemoMatters, already_built, route, unit
from fazhi.rulemaking.models import CleanupCampaign, DecisionCatalog, DecisionStandard, TextVersion

D = dt.date

OLD_DOCUMENTS = (
    # (organ, title, number, drafted, published, filed, validity years)
    (
        "区住建局",
        "铁西区物业服务收费管理办法",
        "铁西政规〔2021〕1号",
        D(2021, 3, 1),
        D(2021, 5, 10),
        5,
    ),
    (
        "区人社局",
        "铁西区就业困难人员认定办法",
        "铁西政规〔2022〕1号",
        D(2022, 2, 14),
        D(2022, 4, 20),
        5,
    ),
    (
        "区市场监管局",
        "铁西区个体工商户登记服务规定",
        "铁西政规〔2023〕1号",
        D(2023, 3, 6),
        D(2023, 6, 1),
        5,
    ),
)
CLEANUP = {"铁西区物业服务收费管理办法": "repeal"}

ARTICLES = (
    "第一条 为推进本区老旧小区改造，改善居民居住条件，制定本方案。",
    "第二条 本方案适用于本区2000年以前建成、配套设施不完善的住宅小区。",
    "第三条 改造内容包括供水、供热、排水管网更新，楼道照明和屋面防水维修。",
    "第四条 改造项目实行居民自愿申请，经三分之二以上业主同意后列入年度计划。",
    "第五条 改造资金由区财政、产权单位和居民合理分担。",
    "第六条 本方案自公布之日起施行，有效期三年。",
)
COMMENTS = (
    (3, "建议增加加装电梯的内容，老年人上下楼太困难。"),
    (3, "希望改造内容包括加装电梯，方便老人出行。"),
    (4, "三分之二业主同意的门槛太高，建议降低。"),
    (4, "业主同意比例要求过高，很多小区达不到三分之二。"),
    (5, "居民分担资金的比例应当明确公布。"),
    (0, "整体方案很好，希望尽快实施。"),
    (3, "建议改造时同步增设停车位和充电桩。"),
    (0, "方案可行，支持尽快推进老旧小区改造。"),
)
PEOPLE = ("张", "王", "李", "赵", "刘", "陈", "杨", "黄")


def build(root: OrgUnit, year: int) -> str:
    if already_built("major_decision", year):
        return ""
    office = unit(root, "区司法局")
    gov = unit(root, "区政府办")
    route("draft_comment", gov)
    route("decision_opinion", gov)
    documents = _documents(root, office, year)
    decisions = _decisions(root, gov, year)
    return f"规范性文件{documents}件（{year}年公布0件）；{year}年重大行政决策目录事项{decisions}项"


def _documents(root: OrgUnit, office: OrgUnit, year: int) -> int:
    demo = DemoMatters()
    campaign = f"QL-{year}-01"
    for organ, title, number, drafted, published, years in OLD_DOCUMENTS:
        m = demo.add(
            "normative_document",
            org=unit(root, organ),
            received_on=drafted,
            subject=title,
            channel="other",
            details={"no_market_impact": organ != "区市场监管局"},
        )
        submitted = drafted + dt.timedelta(days=21)
        m.step("submit_review", submitted, materials="送审稿、起草说明、征求意见情况")
        m.step(
            "review_opinion",
            submitted + dt.timedelta(days=14),
            opinion="approve",
            text="经审核，制定主体合法，内容不违反上位法规定，程序符合要求，同意提交审议。",
        )
        if organ == "区市场监管局":
            m.step("fair_competition_review", submitted + dt.timedelta(days=15), passed=True)
        m.step("adopt", published - dt.timedelta(days=10), meeting="区政府常务会议")
        m.step("publish", published, document_number=number, validity_years=years)
        m.step("file", published + dt.timedelta(days=12), filed_with="四平市人民政府")
        if published.year < year - 1:
            m.step("post_evaluate", D(year, 5, 20), text="实施情况良好，达到预期目的。")
        m.step("list_for_cleanup", D(year, 9, 2), campaign=campaign)
        outcome = CLEANUP.get(title, "keep")
        reason = "上位法已修改，相关收费已纳入市场调节。" if outcome == "repeal" else ""
        m.step("cleanup", D(year, 10, 15), outcome=outcome, campaign=campaign, reason=reason)
    draft = demo.add(
        "normative_document",
        org=unit(root, "区民政局"),
        received_on=D(year, 11, 4),
        subject="铁西区临时救助实施办法",
        channel="other",
        details={"no_market_impact": True},
    )
    draft.step("submit_review", D(year, 12, 2), materials="送审稿、起草说明")
    created = demo.save("行政规范性文件")
    CleanupCampaign.objects.get_or_create(
        code=campaign,
        defaults={
            "title": f"{year}年度行政规范性文件清理",
            "org": office,
            "started_on": D(year, 9, 2),
            "closed_on": D(year, 10, 15),
            "scope": "区政府及其部门现行有效的行政规范性文件。",
        },
    )
    return created


def _decisions(root: OrgUnit, gov: OrgUnit, year: int) -> int:
    save_entry(
        DecisionStandard,
        {
            "org": root,
            "title": "《铁西区重大行政决策事项标准》",
            "text": (
                "一、制定有关公共服务、市场监管、社会管理、环境保护等方面的重大公共政策和措施；\n"
                "二、制定经济和社会发展等方面的重要规划；\n"
                "三、决定在本区实施的重大公共建设项目；\n"
                "四、决定对经济社会发展有重大影响、涉及重大公共利益或者社会公众切身利益的其他事项。"
            ),
            "published_on": D(year, 1, 15),
            "valid_from": D(year, 1, 15),
        },
        by=None,
    )
    save_entry(
        DecisionCatalog,
        {
            "org": root,
            "year": year,
            "title": f"《铁西区政府{year}年重大行政决策事项目录》",
            "published_on": D(year, 2, 20),
            "valid_from": D(year, 2, 20),
            "valid_to": D(year, 12, 31),
        },
        by=None,
    )
    demo = DemoMatters()
    first = demo.add(
        "major_decision",
        org=unit(root, "区住建局"),
        received_on=D(year, 2, 20),
        subject="铁西区老旧小区改造三年行动方案",
        channel="other",
        details={"catalog_year": year, "standard_item": "三、重大公共建设项目"},
    )
    draft = "\n".join(ARTICLES)
    (
        first.step(
            "open_consultation",
            D(year, 3, 15),
            closes_on=D(year, 4, 15),
            draft=draft,
            explanation="为改善老旧小区居民居住条件，区住建局起草了本方案。",
        )
        .step(
            "close_consultation",
            D(year, 4, 18),
            adoption_note=(
                "征求意见期间共收到意见8条。关于加装电梯的意见予以采纳，在第三条增加加装电梯内容；"
                "关于降低业主同意比例的意见，因涉及业主共同决定事项的法定比例，未予采纳。"
            ),
            comments=len(COMMENTS),
        )
        .step("expert_argument", D(year, 5, 10), experts="区城乡规划专家组", opinion="方案可行。")
        .step("risk_assessment", D(year, 5, 30), level="low", text="社会稳定风险等级为低。")
        .step("submit_legality_review", D(year, 6, 3))
        .step(
            "legality_review",
            D(year, 6, 14),
            opinion="approve",
            text="经审查，方案不违反法律、法规和规章规定，程序符合要求。",
        )
        .step("collective_decision", D(year, 6, 28), result="adopted", meeting="区政府常务会议")
        .step("publish", D(year, 7, 5), document_number=f"铁西政发〔{year}〕6号")
    )
    second = demo.add(
        "major_decision",
        org=unit(root, "区城管执法局"),
        received_on=D(year, 2, 20),
        subject="铁西区城区停车设施专项规划",
        channel="other",
        details={"catalog_year": year, "standard_item": "二、重要规划"},
    )
    (
        second.step(
            "open_consultation",
            D(year, 10, 8),
            closes_on=D(year, 11, 8),
            draft="第一条 为规范城区停车设施建设，制定本规划。\n第二条 本规划期限为五年。",
        )
        .step("close_consultation", D(year, 11, 12), adoption_note="共收到意见0条。", comments=0)
        .step(
            "skip_expert_argument",
            D(year, 11, 15),
            reason="规划已由市规划部门组织专家评审，区级不再重复论证。",
        )
    )
    created = demo.save("重大行政决策")
    _comments(root, gov, year)
    _versions(year)
    return created


def _comments(root: OrgUnit, gov: OrgUnit, year: int) -> None:
    from fazhi.procedures.models import Matter

    reference = Matter.objects.get(
        procedure="major_decision", subject="铁西区老旧小区改造三年行动方案", received_on__year=year
    ).reference
    demo = DemoMatters()
    for i, (article, text) in enumerate(COMMENTS):
        m = demo.add(
            "draft_comment",
            org=gov,
            received_on=D(year, 3, 18) + dt.timedelta(days=3 * i),
            subject=f"对《铁西区老旧小区改造三年行动方案》{_article(article)}的意见",
            channel="web",
            party={"name": f"{PEOPLE[i]}先生", "phone": f"1394434{i:04d}"},
            details={"decision": reference, "article": article, "text": text},
        )
        adoption = "adopted" if "电梯" in text else "not_adopted" if article == 4 else "noted"
        m.step("consider", D(year, 4, 17), adoption=adoption)
    for i, text in enumerate(
        ("建议将背街小巷路灯改造列入重大决策事项。", "希望公布老旧小区改造的进度安排。")
    ):
        letter = demo.add(
            "decision_opinion",
            org=gov,
            received_on=D(year, 5, 6 + 7 * i),
            subject="对重大行政决策的意见建议",
            channel="web",
            party={"name": f"{PEOPLE[-1 - i]}女士", "phone": f"1384434{i:04d}"},
            details={"text": text},
        )
        letter.step("reply", D(year, 5, 13 + 7 * i), text="感谢您的建议，已转相关部门研究。")
    demo.save("决策草案公众意见")


def _article(n: int) -> str:
    return "整体" if not n else f"第{'〇一二三四五六七八九'[n]}条"


@transaction.atomic
def _versions(year: int) -> None:
    from fazhi.procedures.models import Matter

    matter = Matter.objects.get(
        procedure="major_decision", subject="铁西区老旧小区改造三年行动方案", received_on__year=year
    )
    published = list(ARTICLES)
    published[2] = published[2].replace("屋面防水维修", "屋面防水维修，有条件的加装电梯")
    for number, (label, text) in enumerate(
        (("征求意见稿", "\n".join(ARTICLES)), ("公布稿", "\n".join(published))), start=1
    ):
        TextVersion.objects.get_or_create(
            matter=matter, number=number, defaults={"label": label, "text": text}
        )
