"""The words of the engine's codes in the audit log (``fazhi.core.words``): ``matter.accept``
→ 办理：受理, ``state=in_scope`` → 状态：办理中, a choice's code → its label, a declared field's
name → its label. Read from the declarations when asked (domains register after this app)."""

from __future__ import annotations

from functools import cache
from typing import Any

from fazhi.core.words import register_words

ACTIONS = {
    "matter.register": "登记事项",
    "matter.attach": "上传附件",
    "matter.attachment_download": "下载附件",
    "matter.export": "导出事项",
    "matter.import": "导入事项",
    "matter.import_interrupted": "导入中断",
    "activity.record": "登记工作活动",
    "matter.link": "关联事项",
}

KEYS = {
    "on": "生效日期",
    "from_org": "原承办单位",
    "to_org": "承办单位",
    "to_org_name": "承办单位",
    "org_name": "协办单位",
    "handler": "经办人",
    "handler_name": "经办人",
    "days": "延长期限",
    "target": "关联事项",
}

# ids stored beside the name that says the same (``to_org`` 12 beside ``to_org_name``).
HIDDEN = frozenset({"from_org", "to_org", "handler"})


Tables = tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, dict[str, str]]]


def _tables() -> Tables:
    """(action labels, state labels, field labels, choice labels per field) of every procedure,
    computed again when a procedure is registered."""
    from fazhi.procedures.declarations import all_procedures

    return _tables_of(tuple(p.code for p in all_procedures()))


@cache
def _tables_of(codes: tuple[str, ...]) -> Tables:
    from fazhi.procedures.declarations import all_procedures

    actions: dict[str, str] = {}
    states: dict[str, str] = {}
    fields: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for p in all_procedures():
        states.update({k: v for k, v in p.states.items() if k not in states})
        for a in p.all_actions():
            actions.setdefault(a.name, a.label)
            for f in a.fields:
                fields.setdefault(f.name, f.label)
                if f.choices:
                    choices.setdefault(f.name, {}).update(
                        {k: v for k, v in f.choices if k not in choices.get(f.name, {})}
                    )
        for f in p.details:
            fields.setdefault(f.name, f.label)
            if f.choices:
                choices.setdefault(f.name, {}).update(dict(f.choices))
    return actions, states, fields, choices


def _activity_words() -> tuple[dict[str, str], dict[str, str]]:
    """(activity kind labels, figure labels) of every declared activity kind."""
    from fazhi.procedures.activities import all_kinds

    kinds: dict[str, str] = {}
    figures: dict[str, str] = {}
    for k in all_kinds():
        kinds[k.code] = k.label
        for f in k.figures:
            figures.setdefault(f.name, f.label)
    return kinds, figures


def _procedure_labels() -> dict[str, str]:
    from fazhi.procedures.declarations import all_procedures

    return {p.code: p.label for p in all_procedures()}


def name_action(code: str) -> str | None:
    if not code.startswith("matter."):
        return None
    label = _tables()[0].get(code.removeprefix("matter."))
    return f"办理：{label}" if label else None


def name_value(key: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    _actions, states, _fields, choices = _tables()
    if key in ("state", "state_before", "state_after"):
        return states.get(value)
    if key == "procedure":
        return _procedure_labels().get(value)
    if key in choices and value in choices[key]:
        return choices[key][value]
    if key == "kind":
        from fazhi.procedures.models import LinkKind  # a link's kind (matter.link)

        links = {str(k): str(k.label) for k in LinkKind}
        return _activity_words()[0].get(value) or links.get(value)
    return None


def name_key(key: str) -> str | None:
    return _tables()[2].get(key) or _activity_words()[1].get(key)


def register() -> None:
    register_words(
        actions=ACTIONS,
        keys=KEYS,
        hidden=set(HIDDEN),
        action_namer=name_action,
        value_namer=name_value,
        key_namer=name_key,
    )
