"""Recording audit events. Every change in the platform calls ``record`` inside its transaction
(a bulk write builds its events with ``event`` and writes them with ``bulk_create``).

Data is scrubbed before it is stored: values under secret-looking keys become "***", and
resident IDs, bank cards and mobile numbers inside any string are masked (fazhi.core.pii).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.http import HttpRequest

from fazhi.core.addresses import client_ip
from fazhi.core.models import AuditEvent, OrgUnit
from fazhi.core.pii import mask_text

_SECRET_KEY = re.compile(r"(pass(word)?|secret|token|api_?key|csrf|verification|verify_code)", re.I)


def scrub(value: Any, key: str = "") -> Any:
    """A copy of ``value`` safe to keep in the audit log."""
    if key and _SECRET_KEY.search(key):
        return "***"
    if isinstance(value, Mapping):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask_text(str(value))


def actor_label(user: AbstractBaseUser | AnonymousUser | None) -> str:
    if user is None:
        return "系统"
    if not user.is_authenticated:
        return "公众"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


@dataclass(frozen=True)
class Subject:
    """What an event is about when there is no row to point at (a sign-in as an unknown name)."""

    object_type: str
    object_id: str
    object_repr: str


def event(
    action: str,
    obj: models.Model | Subject,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    data: Mapping[str, Any] | None = None,
    org: OrgUnit | None = None,
    request: HttpRequest | None = None,
    label: str | None = None,
) -> AuditEvent:
    """The audit event about ``obj``, not yet saved (``AuditEvent.objects.bulk_create`` many)."""
    if org is None:
        org = obj if isinstance(obj, OrgUnit) else getattr(obj, "org", None)
    user: Any = actor if actor is not None and actor.is_authenticated else None
    if isinstance(obj, Subject):
        object_type, object_id, shown = obj.object_type, obj.object_id, obj.object_repr
    else:
        object_type, object_id, shown = obj._meta.label_lower, str(obj.pk), str(obj)
    return AuditEvent(
        actor=user,
        actor_label=label or actor_label(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=mask_text(shown)[:200],
        org=org if isinstance(org, OrgUnit) else None,
        data=scrub(dict(data or {})),
        ip=client_ip(request),
    )


def record(
    action: str,
    obj: models.Model | Subject,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    data: Mapping[str, Any] | None = None,
    org: OrgUnit | None = None,
    request: HttpRequest | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one audit event about ``obj``. Call inside the change's transaction."""
    made = event(action, obj, actor=actor, data=data, org=org, request=request, label=label)
    made.save()
    return made
