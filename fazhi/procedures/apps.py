from typing import Any

from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.procedures"
    verbose_name = "程序引擎"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from fazhi.procedures import words
        from fazhi.procedures.importing.stage import attach
        from fazhi.workdays.signals import calendar_changed

        connection_created.connect(attach, dispatch_uid="fazhi.procedures.stage")

        from django.db.models.signals import post_delete, post_save

        from fazhi.core.models import OrgUnit
        from fazhi.procedures.models import IntakeRoute
        from fazhi.procedures.services.inputs import forget_intake

        for model in (IntakeRoute, OrgUnit):
            for signal in (post_save, post_delete):
                signal.connect(forget_intake, sender=model, dispatch_uid=f"fazhi.intake.{model}")

        calendar_changed.connect(_recompute, dispatch_uid="fazhi.procedures.recompute")
        words.register()


def _recompute(sender: Any, years: set[int] | None = None, **kwargs: Any) -> None:
    """The calendar changed: recompute every open deadline in one bulk pass."""
    from fazhi.procedures.sweeps import recompute_open_deadlines

    recompute_open_deadlines()
