"""The rulemaking domain's navigation: the public register and decisions, the staff's page,
and the links from a document's or a decision's page to its versions and comments."""

from fazhi.core.nav import MatterTool, NavEntry, register_matter_tools, register_nav

register_nav(
    NavEntry("public", "规范性文件", "rulemaking:register", order=80),
    NavEntry("public", "重大行政决策", "rulemaking:decisions", order=85),
    NavEntry("staff", "制度与决策", "rulemaking:home", order=45),
)

register_matter_tools("normative_document", MatterTool("文本版本与比对", "rulemaking:versions"))
register_matter_tools(
    "major_decision",
    MatterTool("文本版本与比对", "rulemaking:versions"),
    MatterTool(
        "公众意见归类与采纳情况",
        "rulemaking:comments",
        when=lambda m: m.state not in ("cataloged",),
    ),
)
