"""Time limits of administrative reconsideration 行政复议 (行政复议法)."""

from __future__ import annotations

from fazhi.workdays import TimeLimit, Unit, register_limits

N, W = Unit.NATURAL, Unit.WORKING

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "reconsideration.review",
        "审查复议申请（逾期视为受理）",
        5,
        W,
        "收到行政复议申请之日",
        "行政复议法 第三十条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.correction_notice",
        "书面通知补正",
        5,
        W,
        "收到行政复议申请之日",
        "行政复议法 第三十一条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.correction_supply",
        "申请人提交补正材料",
        10,
        W,
        "收到补正通知之日",
        "行政复议法 第三十一条、第八十八条",
        "yes",
        note="补正时间不计入审理期限；补正后重新审查",
    ),
    TimeLimit(
        "reconsideration.copy_to_respondent",
        "发送申请书副本给被申请人",
        7,
        W,
        "行政复议申请受理之日",
        "行政复议法 第四十八条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.respondent_reply",
        "被申请人提出书面答复",
        10,
        W,
        "收到申请书副本之日",
        "行政复议法 第四十八条、第八十八条",
        "yes",
    ),
    TimeLimit(
        "reconsideration.decide",
        "作出行政复议决定（普通程序）",
        60,
        N,
        "受理申请之日",
        "行政复议法 第六十二条",
        "yes",
        extension_max=30,
        extension_needs_approval=True,
        note="情况复杂的，经行政复议机构负责人批准可延长，最多30日",
    ),
    TimeLimit(
        "reconsideration.decide_simplified",
        "作出行政复议决定（简易程序）",
        30,
        N,
        "受理申请之日",
        "行政复议法 第六十二条",
        "yes",
    ),
)

register_limits(*LIMITS)

# --- 行政应诉 (行政诉讼法) ---------------------------------------------------------------------

LITIGATION_LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "litigation.defend",
        "提交答辩状和证据",
        15,
        N,
        "收到起诉状副本之日",
        "行政诉讼法 第六十七条",
        "yes",
    ),
    TimeLimit(
        "litigation.perform",
        "履行生效裁判",
        30,
        N,
        "裁判生效之日",
        "行政诉讼法 第九十四条、第九十五条（履行期限以裁判文书确定的为准）",
        "partly",
        note="期限长度取裁判确定的履行期限（日）；裁判未确定的，按30日提醒",
    ),
)

register_limits(*LITIGATION_LIMITS)
