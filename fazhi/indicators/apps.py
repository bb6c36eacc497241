from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        from fazhi.core.nav import NavEntry, register_nav
        from fazhi.indicators import rollup
        from fazhi.indicators.builtin import register_builtin
        from fazhi.indicators.catalog import register_catalog
        from fazhi.procedures.models import Matter
        from fazhi.procedures.signals import observe_imports, step_recorded

        register_nav(NavEntry("staff", "指标", "indicators:dashboard", order=10))
        register_catalog()
        register_builtin()
        step_recorded.connect(rollup.on_step_recorded, dispatch_uid="fazhi.indicators.step")
        observe_imports(rollup.TallyImport)
        pre_delete.connect(rollup.on_matter_deleted, sender=Matter, dispatch_uid="fazhi.ind.del")
        post_migrate.connect(rollup.build_if_missing, sender=self)
