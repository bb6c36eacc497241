from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.reports"
    verbose_name = "法治政府建设年度报告"

    def ready(self) -> None:
        from fazhi.core.nav import NavEntry, register_nav

        register_nav(
            NavEntry("staff", "年度报告", "reports:list", order=20),
            NavEntry("public", "法治政府建设年度报告", "reports_public:list", order=90),
        )
