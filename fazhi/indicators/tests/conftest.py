"""Fixtures of the indicator tests."""

import pytest

from fazhi.indicators import registry
from fazhi.indicators.registry import SECTIONS, Indicator, all_indicators


@pytest.fixture
def pending_code(monkeypatch) -> str:
    """An indicator whose procedure is not built yet: the catalog's first such row or, once
    every domain is in, one registered for the test alone (removed after it)."""
    pending = [i.code for i in all_indicators() if i.is_pending]
    if pending:
        return pending[0]
    code = "test_only.pending"
    indicator = Indicator(
        code=code,
        label="测试用待补指标",
        section=SECTIONS[0][0],
        definition="仅供测试。",
        pending="尚未建立“测试”程序或名册，暂不计算。",
    )
    monkeypatch.setitem(registry._INDICATORS, code, indicator)
    return code
