from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.api"
    verbose_name = "接口"

    def ready(self) -> None:
        from fazhi.api.errors import register_error_formats

        register_error_formats()
