from fazhi.core import domains


class EnforcementConfig(domains.DomainConfig):
    """A domain app: administrative enforcement (report part 四), registered on import."""

    name = "fazhi.enforcement"
    verbose_name = "行政执法"
