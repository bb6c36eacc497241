"""The enforcement domain's navigation: the public disclosure list, the staff's enforcement page."""

from fazhi.core.nav import MatterTool, NavEntry, register_matter_tools, register_nav

register_nav(
    NavEntry("public", "执法公示", "enforcement:disclosure", order=90),
    NavEntry("staff", "行政执法", "enforcement:home", order=50),
    NavEntry(
        "open",
        "行政执法公示",
        "enforcement:disclosure",
        summary="本区行政许可、行政处罚等行政执法决定的公示，以及执法证件查验、行政执法统计年报。",
    ),
)

register_matter_tools(
    "enforcement_decision",
    MatterTool("执法全过程记录", "enforcement:case-file"),
    MatterTool("包容审慎监管核查", "enforcement:leniency-matter"),
    MatterTool(
        "一案三书（docx）",
        "enforcement:three-documents",
        when=lambda m: bool(m.details.get("leniency")),
    ),
)
