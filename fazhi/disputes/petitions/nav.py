"""Links of a petition's page: its likely repeats (staff confirm one)."""

from fazhi.core.nav import MatterTool, register_matter_tools
from fazhi.disputes.petitions.procedures import CLOSED, CODE

register_matter_tools(
    CODE,
    MatterTool("疑似重复信访", "petitions:repeats", when=lambda m: m.state not in CLOSED),
)
