"""The sample domain's entry in the public site's navigation."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(NavEntry("public", "示例事项", "portal:submit-sample-case", order=50))
