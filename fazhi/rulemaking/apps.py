from fazhi.core import domains


class RulemakingConfig(domains.DomainConfig):
    """A domain app: normative documents and major administrative decisions (report parts
    二 and 三), registered on import."""

    name = "fazhi.rulemaking"
    verbose_name = "制度建设与依法决策"
