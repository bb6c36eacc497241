"""Indicators over the org tree itself (report part (一), 机构改革): internal bodies of a
township and of a street office. Declared here because ``core`` sits below ``indicators``."""

from __future__ import annotations

from fazhi.core.models import OrgKind
from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import InternalUnits, register


def register_builtin() -> None:
    register(
        from_catalog(
            "org.township_internal_units",
            "范围内每个乡（镇）直属的有效内设机构数：各乡相同时为该数，不同时取最大值；"
            "范围内没有乡（镇）时为“—”。",
            InternalUnits(OrgKind.TOWNSHIP),
        ),
        from_catalog(
            "org.street_internal_units",
            "范围内每个街道办事处直属的有效内设机构数：各街道相同时为该数，不同时取最大值；"
            "范围内没有街道时为“—”。",
            InternalUnits(OrgKind.STREET),
        ),
    )
