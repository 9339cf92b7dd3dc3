"""Writing the change and access logs; called by every service and every case read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AccessLog, AuditLog


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    arende: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Record one change in the audit log."""
    return AuditLog.objects.create(
        aktor=actor if getattr(actor, "pk", None) else None,
        atgard=action,
        objekttyp=obj._meta.label,
        objekt_id=str(obj.pk),
        arende=arende,
        fore=before,
        efter=after,
    )


def access_record(*, actor: Any, arenden: Iterable[Any], view: str, reason: str = "") -> None:
    """Record that `actor` read each of `arenden` in `view` (ACC-LOGG)."""
    AccessLog.objects.bulk_create(
        AccessLog(aktor=actor, arende=arende, vy=view, skal=reason) for arende in arenden
    )
