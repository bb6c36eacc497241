from django.apps import AppConfig


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.oversight"
    verbose_name = "制约监督"

    def ready(self) -> None:
        import fazhi.oversight.indicators  # noqa: F401  registers the activities and indicators
        from fazhi.oversight import procedures  # noqa: F401  registers the declarations
