from fazhi.core import domains

HOTLINE_MODULES = (*domains.DOMAIN_MODULES, "platform")  # 12345 hotline orders (its import sheet)


class OversightConfig(domains.DomainConfig):
    """A domain app: its limits, procedures and indicators register on import (core.domains)."""

    name = "fazhi.oversight"
    verbose_name = "制约监督"
    domain_modules = (*domains.DOMAIN_MODULES, *(f"hotline.{m}" for m in HOTLINE_MODULES))
    url_modules = ("urls", "hotline.urls")  # 12345 hotline orders: fazhi/oversight/hotline/
