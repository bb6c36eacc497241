from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.reports"
    verbose_name = "法治政府建设年度报告"
