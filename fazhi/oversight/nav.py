"""The domain's entries in the site's navigation: the public's mailbox form, the staff's
supervision page (the hotline's and the suggestions' are in their subpackages' nav.py)."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(
    NavEntry("public", "区长信箱", "portal:submit-mailbox-letter", order=30),
    NavEntry("staff", "督查审计", "oversight:supervision", order=74),
)
