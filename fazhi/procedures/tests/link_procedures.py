"""A test-only confidential procedure that links: ``link_letter`` 关联测试信件.

A repeat letter names the earlier one in ``details.repeat_of`` (a link made at registration);
``divert`` opens a matter of the procedure ``channel`` names (the sample domain's
``sample_case``) for the unit ``to_org`` names, carrying ``category``; ``merge`` links into
another letter by its reference.
"""

from __future__ import annotations

from fazhi.procedures.declarations import Action, Field, FieldType, Link, Procedure, register

CODE = "link_letter"

LINK_LETTER = register(
    Procedure(
        code=CODE,
        label="关联测试信件",
        states={
            "received": "待受理",
            "accepted": "已受理",
            "diverted": "已导入",
            "merged": "已并入",
        },
        closed_states=frozenset({"diverted", "merged"}),
        actions=(
            Action("accept", "受理", frozenset({"received"}), "accepted"),
            Action(
                "divert",
                "导入法定途径",
                frozenset({"accepted"}),
                "diverted",
                fields=(
                    Field(
                        "channel",
                        "途径",
                        FieldType.CHOICE,
                        choices=(("sample_case", "示例事项"), ("arbitration", "仲裁")),
                    ),
                    Field("to_org", "承办单位", FieldType.ORG, required=False),
                    Field(
                        "category",
                        "事项类别",
                        FieldType.CHOICE,
                        required=False,
                        choices=(("goods", "商品"), ("service", "服务"), ("other", "其他")),
                    ),
                    Field("target_reference", "导入后的事项编号", required=False, max_length=64),
                ),
                link=Link(
                    "diverted_to",
                    reference="target_reference",
                    opens="=channel",
                    to_org="to_org",
                    carries=("category",),
                ),
            ),
            Action(
                "merge",
                "并入",
                frozenset({"received", "accepted"}),
                "merged",
                fields=(Field("into", "并入的信件编号", max_length=64),),
                link=Link("merged_into", reference="into"),
            ),
        ),
        details=(Field("repeat_of", "重复信件所指原件编号", required=False, max_length=64),),
        links=(Link("repeat_of", reference="repeat_of"),),
        confidential=True,
        reference_prefix="LL",
    )
)
