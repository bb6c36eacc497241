"""The suggestions' entry in the workbench's navigation and their block on the matter page."""

from fazhi.core.nav import MatterPanel, NavEntry, register_matter_panel, register_nav
from fazhi.oversight.suggestions import panel
from fazhi.oversight.suggestions.stats import KINDS

register_nav(NavEntry("staff", "建议提案", "oversight-suggestions:list", order=72))
for _code, _label in KINDS:
    register_matter_panel(_code, MatterPanel("suggestions/_panel.html", panel.panel))
