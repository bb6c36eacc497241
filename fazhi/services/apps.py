from fazhi.core import domains


class ServicesConfig(domains.DomainConfig):
    """A domain app: its limits, procedures and indicators register on import (core.domains)."""

    name = "fazhi.services"
    verbose_name = "政务服务与营商环境"
