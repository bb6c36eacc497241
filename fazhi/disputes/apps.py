from fazhi.core import domains


class DisputesConfig(domains.DomainConfig):
    """A domain app: its limits, procedures and indicators register on import (core.domains)."""

    name = "fazhi.disputes"
    verbose_name = "矛盾纠纷化解"
    domain_modules = (*domains.DOMAIN_MODULES, *(f"petitions.{m}" for m in domains.DOMAIN_MODULES))
    url_modules = ("urls", "petitions.urls")  # petitions: fazhi/disputes/petitions/

    def ready(self) -> None:
        super().ready()
        from fazhi.disputes.petitions import sight
        from fazhi.procedures.reading import register_reading_scope
        from fazhi.procedures.signals import observe_imports, step_recorded

        # the petition office keeps sight of what it routed (petitions/sight.py)
        step_recorded.connect(sight.on_step_recorded, dispatch_uid="fazhi.disputes.sight")
        observe_imports(sight.RoutingImport)
        register_reading_scope(sight.matters_read_by)
