"""Links of a petition's page (its likely repeats, staff confirm one) and the staff's list of the
petitions their units routed."""

from fazhi.core.nav import MatterTool, NavEntry, register_matter_tools, register_nav
from fazhi.disputes.petitions.procedures import CLOSED, CODE

register_matter_tools(
    CODE,
    MatterTool("疑似重复信访", "petitions:repeats", when=lambda m: m.state not in CLOSED),
)

register_nav(NavEntry("staff", "信访转送交办", "petitions:routed", order=66))
