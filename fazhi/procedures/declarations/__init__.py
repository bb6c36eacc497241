"""Procedure declarations: the data that describes a statutory procedure (DESIGN.md, "The engine").

A domain app declares its procedures with these dataclasses and registers them in its
``AppConfig.ready()``; the engine (rules.py, services.py) and every face read them. Nothing
here touches the database.
"""

from fazhi.procedures.declarations.actions import (
    LINK_KINDS,
    Action,
    Deadline,
    Guard,
    Link,
    RegisterCheck,
)
from fazhi.procedures.declarations.fields import (
    APPROVER_ROLES,
    PUBLIC,
    RESERVED_FIELD_NAMES,
    STAFF_ROLES,
    SYSTEM,
    Field,
    FieldType,
)
from fazhi.procedures.declarations.procedure import Procedure
from fazhi.procedures.declarations.ratings import (
    CALLBACK_SOURCES,
    RATINGS_PER_CONCLUSION,
    SATISFACTION_CHOICES,
    callback_action,
    rate_action,
    ratings_since_conclusion,
)
from fazhi.procedures.declarations.registry import (
    _REGISTRY,
    all_procedures,
    get_procedure,
    register,
)

__all__ = [
    "APPROVER_ROLES",
    "CALLBACK_SOURCES",
    "LINK_KINDS",
    "PUBLIC",
    "RATINGS_PER_CONCLUSION",
    "RESERVED_FIELD_NAMES",
    "SATISFACTION_CHOICES",
    "STAFF_ROLES",
    "SYSTEM",
    "_REGISTRY",
    "Action",
    "Deadline",
    "Field",
    "FieldType",
    "Guard",
    "Link",
    "Procedure",
    "RegisterCheck",
    "all_procedures",
    "callback_action",
    "get_procedure",
    "rate_action",
    "ratings_since_conclusion",
    "register",
]
