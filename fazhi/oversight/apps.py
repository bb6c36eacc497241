from fazhi.core import domains

HOTLINE_MODULES = (*domains.DOMAIN_MODULES, "platform")  # 12345 hotline orders (its import sheet)
# suggestions and proposals: declarations, limits and indicators come through the domain's own
# modules (procedures.py, indicators.py import them); here their nav, panel and import sheets
SUGGESTION_MODULES = ("nav", "sheets")


class OversightConfig(domains.DomainConfig):
    """A domain app: its limits, procedures and indicators register on import (core.domains)."""

    name = "fazhi.oversight"
    verbose_name = "制约监督"
    domain_modules = (
        *domains.DOMAIN_MODULES,
        *(f"hotline.{m}" for m in HOTLINE_MODULES),
        *(f"suggestions.{m}" for m in SUGGESTION_MODULES),
    )
    # 12345 hotline orders: fazhi/oversight/hotline/; suggestions: fazhi/oversight/suggestions/
    url_modules = ("urls", "hotline.urls", "suggestions.urls")
