from fazhi.core import domains


class SampleConfig(domains.DomainConfig):
    """The test-only sample domain: its modules register on import (fazhi.core.domains)."""

    name = "fazhi.tests.sample"
    label = "sample"
    verbose_name = "示例领域（仅测试）"
