"""The heads' duties entry in the workbench's navigation."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(NavEntry("staff", "第一责任人", "accountability:home", order=42))
