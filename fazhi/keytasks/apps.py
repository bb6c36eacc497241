from fazhi.core import domains


class KeytasksConfig(domains.DomainConfig):
    """A domain app: the year's key-task lists (report section 四), registered on import."""

    name = "fazhi.keytasks"
    label = "keytasks"
    verbose_name = "重点任务"
    # reminders.py connects the month-ahead reminder to the daily sweep; importing.py declares
    # the list sheet to ``fazhi import``
    domain_modules = (*domains.DOMAIN_MODULES, "reminders", "importing")
