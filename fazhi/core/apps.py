from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from fazhi.core import lockout, signals  # noqa: F401  (lockout: its signal receiver)
        from fazhi.core.nav import NavEntry, register_nav
        from fazhi.core.sqlite import register_adapters

        register_nav(
            NavEntry("staff", "机构", "core:orgunit-list", order=60),
            NavEntry("staff", "人员", "core:staff-list", order=70),
            NavEntry("staff", "审计日志", "core:audit-list", order=80),
            NavEntry("staff", "管理后台", "admin:index", order=90, perm="superuser"),
        )
        register_adapters()
        post_migrate.connect(signals.create_cache_table, sender=self)
        # after auth's create_permissions (connected when django.contrib.auth got ready)
        post_migrate.connect(
            signals.name_permissions_in_chinese, dispatch_uid="fazhi.core.permission_names"
        )
