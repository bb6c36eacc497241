"""The key tasks' entry in the workbench's navigation."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(NavEntry("staff", "重点任务", "keytasks:board", order=40))
