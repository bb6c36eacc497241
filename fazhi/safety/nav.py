"""The safety domain's navigation: the public inspection list, the staff's safety page."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(
    NavEntry("public", "安全检查公示", "safety:public", order=92),
    NavEntry("staff", "安全生产", "safety:home", order=55),
)
