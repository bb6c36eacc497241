"""Indicators of report part (六): mediation, dispute screening, reconsideration, litigation.

Definitions follow spec/indicators.md; the engine's vocabulary is fazhi.indicators.registry.

- Mediation: cases of Y by venue (``details.venue``; a mediation with no venue — opened by a
  petition's diversion into people's mediation — counts as people's mediation); judicial
  confirmation counts the mediations of Y whose agreement was confirmed by the cut-off.
- Screening: rounds are activities of kind ``dispute_screening``; the disputes they find are
  ``dispute`` matters naming their round (each registered in the round's year), resolved when
  a ``resolve`` step is taken by the cut-off. The figure a round's form reports
  (``found``) is kept beside them as ``dispute_screening.reported``.
- Reconsideration: states as of the cut-off; accepted covers every state an accepted
  application moves on to; concluded (办结) = decided, terminated or settled.
- Litigation: first-instance cases (``details.instance`` not second or retrial) received in Y;
  hearings held in Y in those cases; appeals and retrial petitions by the cut-off; effective
  judgments in those cases setting the organ a time to perform that passed unperformed by the
  cut-off (or was performed late).
"""

from __future__ import annotations

from fazhi.disputes import activities  # noqa: F401  the screening kind must exist first
from fazhi.disputes.procedures.mediation import VENUES
from fazhi.indicators.catalog import catalog_order, from_catalog
from fazhi.indicators.registry import (
    ActivityCount,
    ActivitySum,
    Balance,
    Indicator,
    Matters,
    MatterSet,
    Steps,
    Timely,
    detail,
    register,
    register_check,
    register_dashboard,
    step,
    timely,
)

ADDITION = "（指标目录之外的补充指标）"

# --- mediation ------------------------------------------------------------------------------

MEDIATIONS = Matters("mediation")
OTHER_VENUES = tuple(v for v, _ in VENUES if v != "people")


def _venue(value: str) -> Matters:
    if value == "people":  # people's mediation, or no venue recorded (a diverted petition)
        return Matters("mediation", where=(detail("venue", *OTHER_VENUES, negate=True),))
    return Matters("mediation", where=(detail("venue", value),))


_VENUE_LABELS = dict(VENUES)

register(
    Indicator(
        code="mediation.cases",
        order=catalog_order("mediation.police_station"),
        label="调解案件",
        section="6",
        definition="本年度受理的调解案件（各调解场所合计）。" + ADDITION,
        numerator=MEDIATIONS,
        addition=True,
    ),
    from_catalog(
        "mediation.police_station",
        "本年度驻公安派出所调解室受理的调解案件。",
        _venue("police_station"),
    ),
    from_catalog("mediation.court", "本年度驻法院调解室受理的调解案件。", _venue("court")),
    Indicator(
        code="mediation.people",
        order=catalog_order("mediation.court"),
        label="人民调解委员会调解案件",
        section="6",
        definition="本年度人民调解委员会受理的调解案件（含信访导入人民调解、未登记调解场所的）。"
        + ADDITION,
        numerator=_venue("people"),
        addition=True,
    ),
    Indicator(
        code="mediation.other",
        order=catalog_order("mediation.court"),
        label="其他场所调解案件",
        section="6",
        definition="本年度其他场所受理的调解案件。" + ADDITION,
        numerator=_venue("other"),
        addition=True,
    ),
    Indicator(
        code="mediation.agreed",
        order=catalog_order("mediation.judicial_confirmation"),
        label="调解成功",
        section="6",
        definition="本年度受理、截止日前达成调解协议的调解案件。" + ADDITION,
        numerator=Matters("mediation", where=(step("agree"),)),
        addition=True,
    ),
    from_catalog(
        "mediation.judicial_confirmation",
        "本年度受理的调解案件中，截止日前达成调解协议并经人民法院司法确认的。",
        Matters("mediation", where=(step("confirm"),)),
    ),
)

# --- dispute screening ----------------------------------------------------------------------

register(
    from_catalog(
        "dispute_screening.screenings",
        "本年度截止日前登记的排查矛盾纠纷活动次数（按活动日期）。",
        ActivityCount("dispute_screening"),
    ),
    from_catalog(
        "dispute_screening.found",
        "本年度排查发现、登记为矛盾纠纷事项的件数（每件注明发现它的排查活动，在排查当年登记）。",
        Matters("dispute"),
    ),
    from_catalog(
        "dispute_screening.resolved",
        "上述矛盾纠纷中截止日前已化解的。",
        Matters("dispute", frozenset({"resolved"})),
    ),
    Indicator(
        code="dispute_screening.reported",
        order=catalog_order("dispute_screening.found"),
        label="排查记录填报的发现矛盾",
        section="6",
        definition="本年度排查活动登记时填报的“发现矛盾”件数之和（与登记的矛盾纠纷事项相互印证）。"
        + ADDITION,
        numerator=ActivitySum("dispute_screening", "found"),
        addition=True,
    ),
)

# --- reconsideration ------------------------------------------------------------------------

CONCLUDED = frozenset({"decided", "terminated", "settled"})
ACCEPTED = CONCLUDED | {"accepted"}

register(
    from_catalog(
        "reconsideration.received", "本年度收到的行政复议申请。", MatterSet("reconsideration")
    ),
    from_catalog(
        "reconsideration.accepted",
        "其中截止日前经审查受理的（含已决定、终止、调解和解结案的）。",
        MatterSet("reconsideration", ACCEPTED),
    ),
    from_catalog(
        "reconsideration.rejected",
        "其中截止日前决定不予受理的。",
        MatterSet("reconsideration", frozenset({"rejected"})),
    ),
    from_catalog(
        "reconsideration.not_corrected",
        "其中通知补正后逾期未补正、视为放弃的。",
        MatterSet("reconsideration", frozenset({"not_corrected"})),
    ),
    from_catalog(
        "reconsideration.concluded",
        "受理的申请中截止日前已办结（作出决定、终止或调解和解结案）的。",
        MatterSet("reconsideration", CONCLUDED),
    ),
)

# --- litigation -----------------------------------------------------------------------------

CASES = Matters("litigation", where=(detail("instance", "second", "retrial", negate=True),))
HEARINGS = frozenset({"hear"})
_defence_on_time, _defences = timely(CASES, "litigation.defend")

register(
    from_catalog(
        "litigation.cases",
        "本年度收到起诉状副本、以本区行政机关为被告的一审行政诉讼案件。",
        CASES,
    ),
    from_catalog(
        "litigation.head_appearance_rate",
        "本年度案件在本年度开庭的庭审中，行政机关负责人出庭应诉的庭审次数 / 开庭的庭审次数。",
        Steps(CASES, HEARINGS, (("head_appeared", frozenset({True})),)),
        Steps(CASES, HEARINGS),
    ),
    from_catalog(
        "litigation.appeals",
        "本年度案件中截止日前上诉的（不论上诉人）。",
        Matters(CASES.procedure, where=(*CASES.where, step("appeal"))),
    ),
    from_catalog(
        "litigation.retrial_petitions",
        "本年度案件中截止日前申诉或申请再审的。",
        Matters(CASES.procedure, where=(*CASES.where, step("petition_retrial"))),
    ),
    from_catalog(
        "litigation.unperformed_judgments",
        "本年度案件的生效裁判中确定由本机关履行、截止日前超过裁判确定的履行期限仍未履行或逾期"
        "履行的。",
        Timely(
            CASES,
            "litigation.perform",
            actions=frozenset({"perform"}),
            only="missed",
        ),
    ),
    Indicator(
        code="litigation.hearings",
        order=catalog_order("litigation.head_appearance_rate"),
        label="开庭庭审",
        section="6",
        definition="本年度案件在本年度开庭的庭审次数。" + ADDITION,
        unit="次",
        numerator=Steps(CASES, HEARINGS),
        addition=True,
    ),
    Indicator(
        code="litigation.defence_timely_rate",
        order=catalog_order("litigation.cases"),
        label="按期答辩率",
        section="6",
        definition="本年度案件在收到起诉状副本之日起15日内提交答辩的 / 应答辩的（及时率通则）。"
        + ADDITION,
        unit="%",
        numerator=_defence_on_time,
        denominator=_defences,
        addition=True,
    ),
)

register_check(
    Balance(
        "reconsideration.review",
        "行政复议：收到 ≥ 受理 + 不予受理 + 逾期未补正",
        "reconsideration.received",
        ("reconsideration.accepted", "reconsideration.rejected", "reconsideration.not_corrected"),
        names=("收到", "受理", "不予受理", "逾期未补正"),
    ),
    Balance(
        "dispute_screening.resolved",
        "排查矛盾纠纷：化解 ≤ 发现（补充规则）",
        "dispute_screening.resolved",
        ("dispute_screening.found",),
        op="<=",
        names=("化解", "发现"),
    ),
    Balance(
        "dispute_screening.registered",
        "排查矛盾纠纷：登记的矛盾纠纷件数等于排查记录填报的发现件数（补充规则）",
        "dispute_screening.found",
        ("dispute_screening.reported",),
        op="==",
        names=("登记的矛盾纠纷", "排查记录填报"),
        note="（差额 {gap} 件：请逐件登记排查发现的矛盾纠纷，或更正排查记录）",
    ),
    Balance(
        "mediation.by_venue",
        "调解案件按调解场所分列之和等于总数（补充规则）",
        "mediation.cases",
        tuple(f"mediation.{v}" for v, _ in VENUES),
        op="==",
        names=("调解案件", *(_VENUE_LABELS[v] for v, _ in VENUES)),
    ),
    Balance(
        "litigation.appeals_within_cases",
        "行政应诉：上诉案件不多于案件数（补充规则）",
        "litigation.cases",
        ("litigation.appeals",),
        names=("案件", "上诉"),
    ),
)

register_dashboard(
    compare=(
        "reconsideration.received",
        "reconsideration.concluded",
        "dispute_screening.screenings",
    ),
    timely=("petition.handler_timely_rate", "petition.office_timely_rate"),
)
