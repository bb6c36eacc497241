"""The domain's entries in the public site's navigation (its channels' forms)."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(
    NavEntry("public", "办不成事请找我", "portal:submit-help-request", order=10),
    NavEntry("public", "营商环境投诉", "portal:submit-business-complaint", order=20),
)
