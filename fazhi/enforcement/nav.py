"""The enforcement domain's navigation: the public disclosure list, the staff's expiry alert."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(
    NavEntry("public", "执法公示", "enforcement:disclosure", order=90),
    NavEntry("staff", "执法证到期", "enforcement:expiring", order=75),
    NavEntry("staff", "案卷评查", "enforcement:reviews", order=76),
)
