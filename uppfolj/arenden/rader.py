"""A case's rows read by queries compiled once (uppfolj/lib/kompilerad.py).

The case page reads a dozen kinds of rows of one case, each by the case's key; building
and compiling those queries cost Django more than the database took to answer them. Each
query is written once, as a function of the case (`fragan`), and compiled with a
stand-in case whose id and person are markers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db.models import QuerySet

from uppfolj.accounts.models import User
from uppfolj.lib.kompilerad import id_urval, objekt

from .access import synlighet, visible_q
from .models import Arende


def _standin(pk: int, person: int) -> Arende:
    """A case of which only the id and the person's id are known: reading any other field
    of it sends a query for a case that does not exist, so a query that depends on more
    than these fails to build instead of being kept for every case."""
    return Arende.from_db(None, ["id", "person_id"], [pk, person])


def arendets_rader(
    nyckel: Hashable,
    fragan: Callable[..., QuerySet[Any]],
    arende: Arende,
    *,
    kanda: str | None = "arende",
    **varden: Any,
) -> list[Any]:
    """Return the rows that `fragan(arende, **varden)` selects, as model instances.

    `fragan` may use the case's id and its person's id, and `varden` (ids and texts);
    anything else it depends on belongs in `nyckel`. `kanda` names the rows' foreign key
    to the case: it is set to `arende` on each row, as `arende.<related>` would.
    """
    return objekt(
        ("arende", nyckel),
        lambda pk, person, **markorer: fragan(_standin(pk, person), **markorer),
        {"pk": arende.pk, "person": arende.person_id, **varden},
        kanda={kanda: arende} if kanda else None,
    )


def senaste(rader: QuerySet[Any]) -> QuerySet[Any]:
    """Return `rader` as the one-row query of `rader.last()`."""
    return (rader.reverse() if rader.ordered else rader.order_by("-pk"))[:1]


def anvandare(ids: Iterable[int | None]) -> dict[int, User]:
    """Return the users of `ids` by id (a case's events' registering staff, say)."""
    wanted = sorted({pk for pk in ids if pk is not None})
    if not wanted:
        return {}
    (text,) = id_urval(wanted).params
    rows = objekt(
        ("anvandare",), lambda ids: User.objects.filter(pk__in=id_urval(ids)), {"ids": text}
    )
    return {user.pk: user for user in rows}


def synligt_arende(user: Any, arende_id: str) -> Arende | None:
    """Return the case `arende_id`, with its person, district, provider and social worker,
    if `user` may see it (`visible_q`), else None."""
    synlig = synlighet(user)

    def fragan(anvandare: int, distrikt: int, utforare: int, arende_id: str) -> QuerySet[Any]:
        return Arende.objects.filter(
            visible_q(synlig.med_ids(anvandare, distrikt, utforare)), arende_id=arende_id
        ).select_related("person", "distrikt", "utforare", "handlaggare")[:1]

    rows = objekt(("synligt_arende", synlig.form), fragan, {**synlig.ids, "arende_id": arende_id})
    return rows[0] if rows else None
