from fazhi.core import domains


class SafetyConfig(domains.DomainConfig):
    """A domain app: work safety and emergency management (report part 五), registered on import."""

    name = "fazhi.safety"
    label = "safety"
    verbose_name = "安全生产"
