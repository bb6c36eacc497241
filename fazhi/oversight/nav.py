"""The domain's entries in the public site's navigation (its channels' forms)."""

from fazhi.core.nav import NavEntry, register_nav

register_nav(
    NavEntry("public", "区长信箱", "portal:submit-mailbox-letter", order=30),
)
