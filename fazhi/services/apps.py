from django.apps import AppConfig


class ServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.services"
    verbose_name = "政务服务与营商环境"

    def ready(self) -> None:
        import fazhi.services.indicators  # noqa: F401  registers the indicators
        from fazhi.services import procedures  # noqa: F401  registers the declarations
