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
        from fazhi.indicators.sources import maintain
        from fazhi.procedures.models import Matter
        from fazhi.procedures.signals import (
            matters_changed,
            matters_changing,
            observe_imports,
            step_recorded,
            step_recording,
        )

        register_nav(NavEntry("staff", "指标", "indicators:dashboard", order=10))
        register_catalog()
        register_builtin()
        step_recorded.connect(rollup.on_step_recorded, dispatch_uid="fazhi.indicators.step")
        observe_imports(rollup.TallyImport)
        pre_delete.connect(rollup.on_matter_deleted, sender=Matter, dispatch_uid="fazhi.ind.del")
        post_migrate.connect(rollup.build_if_missing, sender=self)
        step_recording.connect(maintain.on_step_recording, dispatch_uid="fazhi.ind.src.before")
        step_recorded.connect(maintain.on_step_recorded, dispatch_uid="fazhi.ind.src.step")
        matters_changing.connect(maintain.on_matters_changing, dispatch_uid="fazhi.ind.src.pre")
        matters_changed.connect(maintain.on_matters_changed, dispatch_uid="fazhi.ind.src.post")
        observe_imports(maintain.SourceImport)
        pre_delete.connect(maintain.on_matter_deleted, sender=Matter, dispatch_uid="fazhi.ind.sd")
        post_migrate.connect(maintain.build_missing, sender=self)
