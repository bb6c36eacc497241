from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.reports"
    verbose_name = "法治政府建设年度报告"

    def ready(self) -> None:
        from fazhi.core.nav import NavEntry, register_nav
        from fazhi.core.words import register_words

        register_words(
            actions={
                "report.create": "新建年度报告",
                "report.approve": "审核通过年度报告",
                "report.due_dates": "调整年度报告期限",
                "report.issue": "印发年度报告",
                "report.section.assign": "分派报告章节",
                "report.section.save": "保存报告章节",
                "report.section.submit": "提交报告章节",
                "report.section.approve": "审核通过报告章节",
            },
            keys={
                "section": "章节",
                "version": "版本",
                "department": "部门",
                "due_on": "截止日期",
                "issue": "期次",
                "problems": "检查问题数",
                "sections_due_on": "各部门报送期限",
                "publish_due_on": "向社会公开期限",
            },
        )

        register_nav(
            NavEntry("staff", "年度报告", "reports:list", order=20),
            NavEntry("public", "法治政府建设年度报告", "reports_public:list", order=90),
        )
