"""Domain apps: one folder per domain, found through INSTALLED_APPS.

A domain app's ``AppConfig`` subclasses ``domains.DomainConfig`` (import the module, not the
class: Django picks the one AppConfig class named in ``apps.py``); its ``ready()`` imports the domain's
conventional modules, in this order, those that exist:

``limits``      its TimeLimits (``fazhi.workdays.register_limits``)
``procedures``  its procedure declarations (``fazhi.procedures.declarations.register``)
``indicators``  its catalog rows, indicators and checks (``fazhi.indicators.registry``)
``intake``      what the public may submit (``fazhi.procedures.intake.register_intake``)
``nav``         its navigation entries (``fazhi.core.nav.register_nav``)

and its ``urls.py`` (``app_name`` = its namespace) is included by the site's root URLconf
(``domain_urlpatterns``), with those of its subpackages that it names in ``url_modules``.

Each module registers itself when imported; nothing below the domain names it
(docs/architecture.md, "Adding a domain").
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import AppConfig, apps

DOMAIN_MODULES = ("limits", "procedures", "indicators", "intake", "nav")


class DomainConfig(AppConfig):
    """The AppConfig of a domain app (``fazhi/<domain>/apps.py``)."""

    default_auto_field = "django.db.models.BigAutoField"
    domain_modules: tuple[str, ...] = DOMAIN_MODULES
    # the URLconfs of the domain, relative to it (a subpackage's own: "hotline.urls")
    url_modules: tuple[str, ...] = ("urls",)

    def ready(self) -> None:
        for module in self.domain_modules:
            name = f"{self.name}.{module}"
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)


def domain_apps() -> list[DomainConfig]:
    """The installed domain apps, in INSTALLED_APPS order."""
    return [c for c in apps.get_app_configs() if isinstance(c, DomainConfig)]


def domain_urlpatterns() -> list[Any]:
    """Each domain's ``urls.py`` (if any), included at the site's root under its ``app_name``.

    A domain chooses its own paths (public ones at the root, staff ones under ``workbench/``)."""
    from django.urls import include, path

    patterns: list[Any] = []
    for config in domain_apps():
        for module in config.url_modules:
            name = f"{config.name}.{module}"
            if importlib.util.find_spec(name) is not None:
                patterns.append(path("", include(name)))
    return patterns
