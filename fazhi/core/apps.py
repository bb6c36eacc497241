from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from fazhi.core import signals
        from fazhi.core.sqlite import register_adapters

        register_adapters()
        post_migrate.connect(signals.create_cache_table, sender=self)
