"""The site's navigation as a registry: core's base templates read it, apps fill it.

An app registers its entries (``register_nav``) from its ``ready()`` or, for a domain app, its
``nav.py`` (imported by ``fazhi.core.domains.DomainConfig``). ``area`` is ``public`` (the
portal's header) or ``staff`` (the workbench's bar); ``order`` places an entry (lower first).
An entry links to a URL name; a ``soon`` entry is a section under construction (no link).
``perm`` shows a staff entry only to users with that permission (``superuser``: superusers).
The context processor ``fazhi.core.context_processors.site`` gives the templates
``nav_public`` and ``nav_staff``: the entries, their URLs and whether each is the current page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

AREAS = ("public", "staff", "open")  # open: 政务公开, the cards on the portal's home page


@dataclass(frozen=True)
class NavEntry:
    area: str
    label: str
    url_name: str = ""
    order: int = 100
    soon: bool = False
    perm: str = ""
    summary: str = ""  # a line under the label, where the area shows one (open)

    def __post_init__(self) -> None:
        if self.area not in AREAS:
            raise ValueError(f"nav entry {self.label}: unknown area {self.area!r}")
        if not self.url_name and not self.soon:
            raise ValueError(f"nav entry {self.label}: a link needs a url_name")


@dataclass(frozen=True)
class NavLink:
    """An entry as a template shows it."""

    label: str
    url: str
    current: bool
    soon: bool
    summary: str = ""


_ENTRIES: dict[tuple[str, str], NavEntry] = {}


def register_nav(*entries: NavEntry) -> None:
    """Add entries; the same (area, label) again replaces nothing unless it is identical."""
    for entry in entries:
        key = (entry.area, entry.label)
        existing = _ENTRIES.get(key)
        if existing is not None and existing != entry:
            raise ValueError(f"nav entry {entry.label} registered twice with different contents")
        _ENTRIES[key] = entry


def nav_entries(area: str) -> list[NavEntry]:
    return sorted((e for e in _ENTRIES.values() if e.area == area), key=lambda e: e.order)


def _allowed(entry: NavEntry, user: Any) -> bool:
    if not entry.perm:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if entry.perm == "superuser":
        return bool(user.is_superuser)
    return bool(user.has_perm(entry.perm))


def nav_links(area: str, current_path: str = "", user: Any = None) -> list[NavLink]:
    """The entries of ``area`` for one request: reversed URLs and the current page marked.

    An entry whose URL is not installed (an app left out of INSTALLED_APPS) is left out.
    """
    links = []
    for entry in nav_entries(area):
        if not _allowed(entry, user):
            continue
        url = ""
        if not entry.soon:
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
        current = bool(url) and url == current_path
        links.append(NavLink(entry.label, url, current, entry.soon, entry.summary))
    return links


# --- a matter's own pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class MatterTool:
    """A page of a domain about one matter (its case file, a check, its documents), linked from
    the matter's page: ``url_name`` takes the matter's pk; ``when`` (optional) says whether the
    link applies to this matter."""

    label: str
    url_name: str
    when: Any = None  # Callable[[Matter], bool] | None (core names no procedures model)


_TOOLS: dict[str, list[MatterTool]] = {}


def register_matter_tools(procedure: str, *tools: MatterTool) -> None:
    """Declare links from the pages of ``procedure``'s matters (from a domain's ``nav.py``)."""
    known = _TOOLS.setdefault(procedure, [])
    for tool in tools:
        if tool not in known:
            known.append(tool)


def matter_tools(matter: Any) -> list[NavLink]:
    """The links of ``matter``'s page to its domain's own pages."""
    links = []
    for tool in _TOOLS.get(matter.procedure, []):
        if tool.when is not None and not tool.when(matter):
            continue
        try:
            url = reverse(tool.url_name, args=[matter.pk])
        except NoReverseMatch:
            continue
        links.append(NavLink(tool.label, url, False, False))
    return links


# --- a matter's panels from its domain ---------------------------------------------------------


@dataclass(frozen=True)
class MatterPanel:
    """A block of a domain shown on the pages of a procedure's matters (e.g. the units its
    duty lists suggest): ``template`` is included with ``panel`` = ``context(matter, request)``;
    a context of None leaves the block out for that matter."""

    template: str
    context: Any  # Callable[[Matter, HttpRequest], dict | None] (core names no procedures model)


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict[str, Any]


_PANELS: dict[str, list[MatterPanel]] = {}

EVERY_PROCEDURE = "*"
"""``register_matter_panel(EVERY_PROCEDURE, …)``: a block on every matter's page (a face's,
e.g. the portal's notices to the submitter), shown before the procedure's own blocks."""


def register_matter_panel(procedure: str, *panels: MatterPanel) -> None:
    """Declare blocks of the pages of ``procedure``'s matters (from a domain's ``nav.py``), or
    of every matter's (``EVERY_PROCEDURE``)."""
    known = _PANELS.setdefault(procedure, [])
    for panel in panels:
        if panel not in known:
            known.append(panel)


def matter_panels(matter: Any, request: Any) -> list[ShownPanel]:
    """The domain blocks of ``matter``'s page for this request, in declaration order."""
    shown = []
    for panel in [*_PANELS.get(EVERY_PROCEDURE, []), *_PANELS.get(matter.procedure, [])]:
        context = panel.context(matter, request)
        if context is not None:
            shown.append(ShownPanel(panel.template, context))
    return shown
