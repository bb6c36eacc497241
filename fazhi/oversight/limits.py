"""Time limits of report part (七) (spec/time-limits.md): the mayor's mailbox (a local rule,
configurable), NPC suggestions and CPPCC proposals (3 months from assignment by the month
rule, 6 at most on extension), procuratorial and judicial suggestions (2 months, or the
suggestion's own limit; 15 days in urgent public-interest cases), and the reply after a redo
(再办理: a local rule, configurable — spec/procedures.md fixes no limit for it)."""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, TimeLimit, Unit, register_limits

W, N, M = Unit.WORKING, Unit.NATURAL, Unit.MONTHS

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "mailbox_letter.reply",
        "答复领导信箱来信",
        15,
        W,
        "收到来信之日",
        LOCAL_RULE,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "npc_suggestion.reply",
        "答复人大代表建议",
        3,
        M,
        "交办之日",
        "代表法 第五十一条",
        "yes",
        extension_max=3,
        extension_needs_approval=True,
        note="情况复杂的，经批准可延期，至迟不超过六个月",
    ),
    TimeLimit(
        "npc_suggestion.redo",
        "再办理并重新答复人大代表建议",
        1,
        M,
        "决定再办理之日",
        LOCAL_RULE,
        "—",
        configurable=True,
        note="代表对答复不满意、交由承办单位再次办理的",
    ),
    TimeLimit(
        "cppcc_proposal.reply",
        "答复政协提案",
        3,
        M,
        "交办之日",
        "政协提案工作条例（地方规定）",
        "partly",
        extension_max=3,
        extension_needs_approval=True,
        configurable=True,
        note="各地规定不一，最长一般六个月",
    ),
    TimeLimit(
        "cppcc_proposal.redo",
        "再办理并重新答复政协提案",
        1,
        M,
        "决定再办理之日",
        LOCAL_RULE,
        "—",
        configurable=True,
        note="提案者对答复不满意、交由承办单位再次办理的",
    ),
    TimeLimit(
        "procuratorial_suggestion.reply",
        "书面回复检察建议",
        2,
        M,
        "收到检察建议之日",
        "人民检察院检察建议工作规定；最高人民法院、最高人民检察院关于检察公益诉讼案件"
        "适用法律若干问题的解释（2018）第二十一条",
        "partly",
        note="检察建议书另定回复期限的，以其为准",
    ),
    TimeLimit(
        "procuratorial_suggestion.reply_urgent",
        "书面回复检察建议（公益诉讼紧急情形）",
        15,
        N,
        "收到检察建议之日",
        "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释（2018）第二十一条",
        "partly",
    ),
    TimeLimit(
        "judicial_suggestion.reply",
        "书面回复司法建议",
        2,
        M,
        "收到司法建议之日",
        "法释〔2023〕11号 第八条",
        "yes",
        configurable=True,
        note="以司法建议书载明的期限为准，一般为两个月",
    ),
)

register_limits(*LIMITS)
