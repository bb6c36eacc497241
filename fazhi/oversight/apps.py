from fazhi.core import domains


class OversightConfig(domains.DomainConfig):
    """A domain app: its limits, procedures and indicators register on import (core.domains)."""

    name = "fazhi.oversight"
    verbose_name = "制约监督"
