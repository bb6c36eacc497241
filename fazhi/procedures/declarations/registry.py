"""The registered declarations (a domain app registers its procedures in ``ready()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi.procedures.declarations.procedure import Procedure
from fazhi.procedures.errors import UnknownProcedure

if TYPE_CHECKING:
    pass


_REGISTRY: dict[str, Procedure] = {}


def register(procedure: Procedure) -> Procedure:
    """Register a declaration (called from a domain app's ``ready()``); idempotent per code."""
    existing = _REGISTRY.get(procedure.code)
    if existing is not None and existing is not procedure and existing != procedure:
        raise ValueError(f"procedure {procedure.code} registered twice with different contents")
    _REGISTRY[procedure.code] = procedure
    return procedure


def get_procedure(code: str) -> Procedure:
    try:
        return _REGISTRY[code]
    except KeyError:
        known = "、".join(sorted(_REGISTRY))
        raise UnknownProcedure(
            f"未知的程序“{code}”。已有的程序：{known}。", field="procedure"
        ) from None


def all_procedures() -> list[Procedure]:
    return sorted(_REGISTRY.values(), key=lambda p: p.code)
