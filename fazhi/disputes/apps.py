from django.apps import AppConfig


class DisputesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.disputes"
    verbose_name = "矛盾纠纷化解"

    def ready(self) -> None:
        import fazhi.disputes.indicators  # noqa: F401  registers the activities and indicators
        from fazhi.disputes import procedures  # noqa: F401  registers the declarations
