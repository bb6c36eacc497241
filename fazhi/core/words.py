"""Words instead of codes where staff look: the audit log's actions and data in Chinese.

An audit event stores codes (``matter.accept``, ``state=in_scope``): they are what a machine
reads back and what ``fazhi audit verify`` hashes. Staff read them through this module:
``action_words(event.action)`` and ``data_words(event.data)`` give labels and values in words.

The core knows its own codes; an app above it (procedures, reports, registers …) adds the
words of its codes with ``register_words`` in its ``ready()`` — a table of action labels, a
table of key labels, and optionally a function that names an action code the table does not
(``matter.<any action of any procedure>``) and one that says a value in words
(``state=in_scope`` → 办理中). The core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ActionNamer = Callable[[str], str | None]
ValueNamer = Callable[[str, Any], str | None]
KeyNamer = Callable[[str], str | None]


@dataclass
class _Words:
    actions: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    action_namers: list[ActionNamer] = field(default_factory=list)
    key_namers: list[KeyNamer] = field(default_factory=list)
    value_namers: list[ValueNamer] = field(default_factory=list)


_WORDS = _Words()

CORE_ACTIONS = {
    "admin.add": "后台新增",
    "admin.change": "后台修改",
    "admin.delete": "后台删除",
    "api.client_key": "接口密钥变更",
    "api.token_issued": "签发接口令牌",
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.locked_out": "登录锁定",
    "job.enqueue": "提交后台任务",
    "org.create": "新建机构",
    "staff.create": "新建人员",
    "activity.record": "登记工作活动",
    "register.create": "新增登记",
    "register.update": "修改登记",
    "register.delete": "删除登记",
    "workdays.admin_add": "新增日历条目",
    "workdays.admin_change": "修改日历条目",
    "workdays.admin_delete": "删除日历条目",
    "workdays.import_notice": "导入放假安排",
}

CORE_KEYS = {
    "on": "日期",
    "state": "状态",
    "role": "角色",
    "username": "用户名",
    "minutes": "锁定分钟数",
    "changed": "修改的字段",
    "name": "名称",
    "size": "大小（字节）",
    "file": "文件",
    "kind": "类别",
    "params": "参数",
    "org": "机构",
    "year": "年度",
    "register": "登记簿",
    "changes": "变更",
    "reason": "理由",
    "reference": "编号",
    "subject": "事由",
    "procedure": "程序",
    "attachment": "附件编号",
    "pid": "进程号",
    "host": "主机",
    "count": "数量",
}

# Keys that carry a machine's detail, not a reader's: a digest, internal ids next to a name.
CORE_HIDDEN = {"sha256", "hash", "prev_hash"}

_ROLE_WORDS = {
    "admin": "系统管理员",
    "law_office": "依法治区办",
    "staff": "经办人",
    "head": "部门负责人",
    "leader": "领导",
}


def register_words(
    *,
    actions: Mapping[str, str] | None = None,
    keys: Mapping[str, str] | None = None,
    hidden: set[str] | frozenset[str] | None = None,
    action_namer: ActionNamer | None = None,
    value_namer: ValueNamer | None = None,
    key_namer: KeyNamer | None = None,
) -> None:
    """Add an app's words (call from its ``AppConfig.ready()``; calling twice is harmless)."""
    _WORDS.actions.update(actions or {})
    _WORDS.keys.update(keys or {})
    _WORDS.hidden.update(hidden or ())
    if action_namer is not None and action_namer not in _WORDS.action_namers:
        _WORDS.action_namers.append(action_namer)
    if value_namer is not None and value_namer not in _WORDS.value_namers:
        _WORDS.value_namers.append(value_namer)
    if key_namer is not None and key_namer not in _WORDS.key_namers:
        _WORDS.key_namers.append(key_namer)


def _register_key(key: str) -> str | None:
    """A register's column by its verbose name (registers live in the core too)."""
    from fazhi.core.registers import all_registers

    for register in all_registers():
        if key in register.columns:
            return register.verbose(key)
    return None


def _register_value(key: str, value: Any) -> str | None:
    if key != "register" or not isinstance(value, str):
        return None
    from fazhi.core.registers import get_register

    register = get_register(value)
    return register.label if register is not None else None


def action_words(code: str) -> str:
    """The action code of an audit event in words (the code itself only if nobody knows it)."""
    label = _WORDS.actions.get(code) or CORE_ACTIONS.get(code)
    if label:
        return label
    for namer in _WORDS.action_namers:
        named = namer(code)
        if named:
            return named
    return "其他操作"


def key_words(key: str) -> str:
    label = _WORDS.keys.get(key) or CORE_KEYS.get(key)
    if label:
        return label
    for namer in (*_WORDS.key_namers, _register_key):
        named = namer(key)
        if named:
            return named
    return "其他"


def value_words(key: str, value: Any) -> str:
    """A stored value in words: booleans as 是/否, lists joined, codes through the namers."""
    for namer in (*_WORDS.value_namers, _register_value):
        named = namer(key, value)
        if named is not None:
            return named
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if key == "role" and str(value) in _ROLE_WORDS:
        return _ROLE_WORDS[str(value)]
    if isinstance(value, list | tuple):
        return "、".join(value_words(key, v) for v in value) or "—"
    if isinstance(value, Mapping):
        return "；".join(f"{key_words(str(k))}：{value_words(str(k), v)}" for k, v in value.items())
    return str(value)


def data_words(data: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """An event's data as (label, value) pairs in words; machine-only keys left out."""
    rows = []
    for key, value in (data or {}).items():
        key = str(key)
        if key in CORE_HIDDEN or key in _WORDS.hidden or key.startswith("_"):
            continue
        rows.append((key_words(key), value_words(key, value)))
    return rows
