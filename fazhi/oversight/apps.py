from fazhi.core import domains


class OversightConfig(domains.DomainConfig):
    """A domain app: its limits, procedures and indicators register on import (core.domains)."""

    name = "fazhi.oversight"
    verbose_name = "制约监督"
    domain_modules = (*domains.DOMAIN_MODULES, *(f"hotline.{m}" for m in domains.DOMAIN_MODULES))
    url_modules = ("urls", "hotline.urls")  # 12345 hotline orders: fazhi/oversight/hotline/
