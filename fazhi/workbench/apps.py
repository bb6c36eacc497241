from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        from fazhi.core.nav import NavEntry, register_nav
        from fazhi.core.registers import all_registers

        # the registers' page, once a domain lists a register (declared in its models.py,
        # so every one is known by now)
        if any(r.nav is not None for r in all_registers()):
            register_nav(NavEntry("staff", "登记簿", "workbench:register-index", order=20))
