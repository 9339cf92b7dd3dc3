"""Writing the change and access logs; called by every service and every case read."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.db import models

from .models import AccessLog, AuditLog

# The access-log rows written while the current request runs, so that a request
# refused after its view had already logged a read is marked as refused, not as read.
_request_reads: ContextVar[list[int] | None] = ContextVar("request_reads", default=None)


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


def access_record(
    *, actor: Any, arenden: Iterable[Any], view: str, reason: str = "", nekad: bool = False
) -> None:
    """Record that `actor` read each of `arenden` in `view` (ACC-LOGG), or was refused."""
    roll = getattr(actor, "roll", "") or ""
    rows = [
        AccessLog(aktor=actor, arende=arende, vy=view, skal=reason, roll=roll, nekad=nekad)
        for arende in arenden
    ]
    if len(rows) == 1:
        # One case (a case page): a plain INSERT. bulk_create would wrap it in a
        # transaction of its own, two more round trips on every page view.
        rows[0].save(force_insert=True)
    elif rows:
        AccessLog.objects.bulk_create(rows)
    reads = _request_reads.get()
    if reads is not None:
        reads.extend(row.pk for row in rows if row.pk is not None)


def access_refused(*, actor: Any, arende: Any, view: str) -> None:
    """Record that `actor` was refused a read of `arende` in `view` (ACC-LOGG)."""
    access_record(actor=actor, arenden=[arende], view=view, nekad=True)


def request_reads_start() -> Any:
    """Start collecting the access-log rows of one request; return the token to end it."""
    return _request_reads.set([])


def request_reads_end(token: Any) -> list[int]:
    """Stop collecting and return the ids of the rows written since `request_reads_start`."""
    reads = _request_reads.get() or []
    _request_reads.reset(token)
    return reads
