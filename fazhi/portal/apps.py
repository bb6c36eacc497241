from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.portal"
    verbose_name = "公众门户"

    def ready(self) -> None:
        from fazhi.core.nav import (
            EVERY_PROCEDURE,
            MatterPanel,
            NavEntry,
            register_matter_panel,
            register_nav,
        )
        from fazhi.portal import notices
        from fazhi.procedures.signals import step_recorded

        step_recorded.connect(notices.on_step_recorded, dispatch_uid="fazhi.portal.notices")
        # the notices sent to the submitter, on every staff matter page
        register_matter_panel(
            EVERY_PROCEDURE, MatterPanel("portal/_staff_notices.html", notices.staff_panel)
        )

        # The portal's own pages; each domain adds its channels (its nav.py), between them.
        register_nav(
            NavEntry("public", "首页", "portal:home", order=0),
            NavEntry("public", "进度查询", "portal:track", order=80),
            NavEntry("public", "信件公开", "portal:replies", order=85),
        )
