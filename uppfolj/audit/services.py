"""Writing the change and access logs; called by every service and every case read."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.db import connection, models
from django.utils import timezone

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
    """Record that `actor` read each of `arenden` (cases or their primary keys) in `view`
    (ACC-LOGG), or was refused."""
    roll = getattr(actor, "roll", "") or ""
    pks = [getattr(arende, "pk", arende) for arende in arenden]
    ids = _insert_many(actor.pk, pks, view=view, reason=reason, roll=roll, nekad=nekad)
    reads = _request_reads.get()
    if reads is not None:
        reads.extend(ids)


# Rows per INSERT: SQLite allows 32,766 parameters in a statement, seven per row here.
_RADER_PER_INSERT = 1000


def _insert_many(
    aktor_id: int, pks: list[int], *, view: str, reason: str, roll: str, nekad: bool
) -> list[int]:
    """Insert one access-log row per case of `pks` (the rows `bulk_create` would write)
    in one statement, and return their ids.

    A worklist logs its fifty cases on every view; `bulk_create` took five times as long
    as the database to build the rows, their timestamps and the statement (and wraps
    them in a transaction of its own: two more round trips), and a model's `save`
    twice as long for the one row of a case page.
    """
    if not pks:
        return []
    table = connection.ops.quote_name(AccessLog._meta.db_table)
    columns = "(tidpunkt, aktor_id, arende_id, arende_ref, roll, vy, skal, nekad)"
    tidpunkt = connection.ops.adapt_datetimefield_value(timezone.now())
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The array as its text: psycopg's dumping of a list costs more.
            array = "{" + ",".join(str(int(pk)) for pk in pks) + "}"
            cursor.execute(
                f"INSERT INTO {table} {columns} "
                "SELECT %s, %s, unnest(%s::bigint[]), '', %s, %s, %s, %s RETURNING id",
                [tidpunkt, aktor_id, array, roll, view, reason, nekad],
            )
            return [row[0] for row in cursor.fetchall()]
        for first in range(0, len(pks), _RADER_PER_INSERT):
            batch = pks[first : first + _RADER_PER_INSERT]
            values = ", ".join(["(%s, %s, %s, '', %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} {columns} VALUES {values} RETURNING id",
                [v for pk in batch for v in (tidpunkt, aktor_id, pk, roll, view, reason, nekad)],
            )
            ids += [row[0] for row in cursor.fetchall()]
    return ids


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
