from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.procedures"
    verbose_name = "程序引擎"
