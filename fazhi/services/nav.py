"""The domain's entries in the site's navigation, and its block on the help window's matters."""

from fazhi.core.nav import MatterPanel, NavEntry, register_matter_panel, register_nav
from fazhi.services import routing

register_nav(
    NavEntry("public", "办不成事请找我", "portal:submit-help-request", order=10),
    NavEntry("public", "营商环境投诉", "portal:submit-business-complaint", order=20),
    NavEntry("staff", "政务服务", "services:home", order=35),
)
for _procedure in routing.SUGGESTING:
    register_matter_panel(_procedure, MatterPanel("services/_unit_suggestion.html", routing.panel))
