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

        calendar_changed.connect(_recompute, dispatch_uid="fazhi.procedures.recompute")
        words.register()


def _recompute(sender: Any, years: set[int] | None = None, **kwargs: Any) -> None:
    """The calendar changed: recompute every open deadline in one bulk pass."""
    from fazhi.procedures.sweeps import recompute_open_deadlines

    recompute_open_deadlines()
