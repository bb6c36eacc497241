from fazhi.core import domains


class EnforcementConfig(domains.DomainConfig):
    """A domain app: administrative enforcement (report part 四), registered on import."""

    name = "fazhi.enforcement"
    verbose_name = "行政执法"
    # expiry.py connects the taking down of decisions whose publicity ended to the daily sweep
    domain_modules = (*domains.DOMAIN_MODULES, "expiry")

    def ready(self) -> None:
        super().ready()
        from fazhi.enforcement import search
        from fazhi.procedures.signals import observe_imports, step_recorded

        # the public disclosure index follows each decision's steps and every import
        step_recorded.connect(search.on_step_recorded, dispatch_uid="fazhi.enforcement.search")
        observe_imports(search.DisclosureImport)
