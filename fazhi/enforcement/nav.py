"""The enforcement domain's navigation: the public disclosure list, the staff's enforcement page."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(
    NavEntry("public", "执法公示", "enforcement:disclosure", order=90),
    NavEntry("staff", "行政执法", "enforcement:home", order=50),
)
