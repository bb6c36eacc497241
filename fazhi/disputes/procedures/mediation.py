"""Mediation 调解 (人民调解法) and disputes found by screening 矛盾纠纷.

``mediation``: a case mediated at a venue — the mediation rooms at police stations and at the
court, people's mediation committees — ending in an agreement or not; an agreement may then
be judicially confirmed by the court (人民调解法 §33). A petition diverted into people's
mediation opens one (``Link.opens``): every details field is optional, and a mediation
registered without a venue counts as people's mediation (fazhi/disputes/indicators.py).

``dispute``: a dispute found by a screening round (an activity of kind ``dispute_screening``,
named by its reference in ``details.screening``), then resolved or escalated.
"""

from __future__ import annotations

from fazhi.procedures.declarations import Action, Field, FieldType, Procedure, register

VENUES = (
    ("police_station", "驻公安派出所调解室"),
    ("court", "驻法院调解室"),
    ("people", "人民调解委员会"),
    ("other", "其他"),
)


MEDIATION = register(
    Procedure(
        code="mediation",
        label="调解",
        states={
            "received": "调解中",
            "agreed": "达成协议",
            "failed": "调解不成",
            "confirmed": "已司法确认",
        },
        closed_states=frozenset({"agreed", "failed", "confirmed"}),
        actions=(
            Action(
                "agree",
                "达成协议",
                frozenset({"received"}),
                "agreed",
                fields=(
                    Field("agreement", "协议内容", FieldType.TEXT, max_length=5000),
                    Field("oral", "口头协议", FieldType.BOOL, required=False),
                ),
                outcome="agreed",
            ),
            Action(
                "fail",
                "调解不成",
                frozenset({"received"}),
                "failed",
                fields=(
                    Field(
                        "guidance",
                        "告知的其他途径",
                        FieldType.TEXT,
                        required=False,
                        max_length=2000,
                        help="调解不成的，告知当事人可以依法通过仲裁、行政、司法等途径维护权利。",
                    ),
                ),
                outcome="failed",
            ),
            Action(
                "confirm",
                "司法确认",
                frozenset({"agreed"}),
                "confirmed",
                fields=(
                    Field("court", "确认法院", FieldType.STR, max_length=200),
                    Field(
                        "ruling_number",
                        "确认裁定书号",
                        FieldType.STR,
                        required=False,
                        max_length=100,
                    ),
                ),
                outcome="confirmed",
            ),
        ),
        details=(
            Field("venue", "调解场所", FieldType.CHOICE, choices=VENUES, required=False),
            Field("dispute_type", "纠纷类型", FieldType.STR, required=False, max_length=100),
            Field(
                "mediator", "调解员", FieldType.STR, required=False, max_length=100, personal=True
            ),
        ),
        reference_prefix="TJ",
        description=(
            "驻派出所调解室、驻法院调解室和人民调解委员会受理的调解案件，调解协议及其司法确认"
            "（人民调解法第二十八条、第三十三条）。"
        ),
    )
)
