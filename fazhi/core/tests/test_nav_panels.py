"""A domain's blocks on a matter's page (core.nav.register_matter_panel)."""

from types import SimpleNamespace

import pytest

from fazhi.core import nav
from fazhi.core.nav import EVERY_PROCEDURE, MatterPanel, matter_panels, register_matter_panel


@pytest.fixture(autouse=True)
def _own_panels(monkeypatch):
    """The registry of these tests alone (the installed apps' panels, e.g. the portal's on
    every procedure's page, read the database)."""
    monkeypatch.setattr(nav, "_PANELS", {})


def test_panels_of_the_procedure_only_and_none_leaves_a_block_out():
    register_matter_panel(
        "nav_test_proc",
        MatterPanel("a.html", lambda m, r: {"n": m.pk}),
        MatterPanel("b.html", lambda m, r: None if m.pk == 2 else {"n": 0}),
    )
    register_matter_panel("nav_test_proc", MatterPanel("a.html", lambda m, r: {}))  # another
    one = matter_panels(SimpleNamespace(procedure="nav_test_proc", pk=1), None)
    assert [(p.template, p.context) for p in one][:2] == [
        ("a.html", {"n": 1}),
        ("b.html", {"n": 0}),
    ]
    two = matter_panels(SimpleNamespace(procedure="nav_test_proc", pk=2), None)
    assert "b.html" not in [p.template for p in two]
    assert matter_panels(SimpleNamespace(procedure="other", pk=1), None) == []


def test_a_panel_of_every_procedure_comes_first():
    register_matter_panel("nav_test_proc", MatterPanel("own.html", lambda m, r: {}))
    register_matter_panel(EVERY_PROCEDURE, MatterPanel("every.html", lambda m, r: {}))
    shown = matter_panels(SimpleNamespace(procedure="nav_test_proc", pk=1), None)
    assert [p.template for p in shown] == ["every.html", "own.html"]
    other = matter_panels(SimpleNamespace(procedure="other", pk=1), None)
    assert [p.template for p in other] == ["every.html"]
