"""The hotline's entry in the workbench's navigation."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(NavEntry("staff", "接诉即办", "oversight-hotline:home", order=70))
