from fazhi.core import domains


class AccountabilityConfig(domains.DomainConfig):
    """A domain app: the heads' duties for the rule of law (report section 三)."""

    name = "fazhi.accountability"
    label = "accountability"
    verbose_name = "第一责任人职责"
