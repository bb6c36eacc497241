from fazhi.core import domains


class DisputesConfig(domains.DomainConfig):
    """A domain app: its limits, procedures and indicators register on import (core.domains)."""

    name = "fazhi.disputes"
    verbose_name = "矛盾纠纷化解"
    domain_modules = (*domains.DOMAIN_MODULES, *(f"petitions.{m}" for m in domains.DOMAIN_MODULES))
    url_modules = ("urls", "petitions.urls")  # petitions: fazhi/disputes/petitions/
