"""The key task 重点任务 (spec/procedures.md, key_task): 清单式管理、跟踪式推动、销号式验收.

A task of the year's list is registered with its lead unit (the matter's unit), due date and
measure of done; assisting units are added with the generic ``add_assistant`` (会办). The lead
unit reports progress (repeats), applies for acceptance; the rule-of-law office accepts and
closes it (销号) or sends it back for more work (退回整改). The due date is the list's
(``Deadline.until``), answered by the application for acceptance; a rejection restarts it.
"""

from __future__ import annotations

from fazhi.procedures.declarations import Action, Deadline, Field, FieldType, Procedure, register

OFFICE = frozenset({"admin", "law_office"})

KEY_TASK = register(
    Procedure(
        code="key_task",
        label="重点任务",
        states={
            "in_progress": "推进中",
            "acceptance_requested": "待验收",
            "closed": "已销号",
        },
        closed_states=frozenset({"closed"}),
        initial_state="in_progress",
        actions=(
            Action(
                "report_progress",
                "报送进展",
                frozenset({"in_progress"}),
                None,
                fields=(
                    Field("percent", "完成进度（%）", FieldType.INT, min_value=0, max_value=100),
                    Field("text", "进展情况", FieldType.TEXT, max_length=5000),
                ),
                sets_details=("percent",),
                assisting="also",
            ),
            Action(
                "submit_acceptance",
                "申请销号",
                frozenset({"in_progress"}),
                "acceptance_requested",
                fields=(
                    Field("text", "完成情况", FieldType.TEXT, required=False, max_length=5000),
                ),
            ),
            Action(
                "accept",
                "验收销号",
                frozenset({"acceptance_requested"}),
                "closed",
                fields=(
                    Field("opinion", "验收意见", FieldType.TEXT, required=False, max_length=5000),
                ),
                roles=OFFICE,
                outcome="accepted",
            ),
            Action(
                "reject_acceptance",
                "退回整改",
                frozenset({"acceptance_requested"}),
                "in_progress",
                fields=(Field("reason", "退回理由", FieldType.TEXT, max_length=5000),),
                roles=OFFICE,
            ),
        ),
        deadlines=(
            Deadline(
                "key_task.due",
                frozenset({"in_progress"}),
                ("register", "reject_acceptance"),
                "完成",
                until="due_on",
            ),
        ),
        details=(
            Field(
                "task_list",
                "任务清单",
                FieldType.STR,
                max_length=300,
                help="所属年度任务清单的名称。",
            ),
            Field("number", "序号", FieldType.STR, required=False, max_length=20),
            Field("due_on", "完成时限", FieldType.DATE),
            Field("measure", "完成标准", FieldType.TEXT, max_length=5000, help="验收销号的标准。"),
            Field(
                "percent",
                "完成进度（%）",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=100,
            ),
        ),
        generic_actions=frozenset({"add_assistant", "opinion", "opinion_reply", "extend", "note"}),
        reference_prefix="RW",
        description="年度法治建设重点任务：清单式管理、跟踪式推动、销号式验收。",
    )
)
