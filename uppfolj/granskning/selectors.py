"""Reads for the audit (GRANSKNING.md): which cases a selection holds, and its figures.

The definitions live in `uppfolj.domain.granskning`; this module only loads the cases
and their events in a constant number of queries and hands them over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from itertools import groupby
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from uppfolj.arenden.models import Arende, Handelse, Verksamhetsomrade
from uppfolj.arenden.services import handelse_as_event, local_defaults
from uppfolj.domain.granskning import Fall, berakna, forsta_beviljande_fran
from uppfolj.domain.timeline import BOENDESTOD, Event, Timeline, parse_event


def urval_arenden(
    *,
    user_or_none: Any,
    insats: str = BOENDESTOD,
    distrikt: str | None = None,
    verksamhetsomrade: str | None = None,
    utforare: str | None = None,
    kon: str | None = None,
    as_of: date,
) -> QuerySet[Arende]:
    """Return the cases a selection may hold: visible to the user (every case for None),
    matching the given attributes (district and provider by name), with a decision by
    `as_of` and not closed by it; the decision in force is checked by `granskning_berakna`.
    """
    cases = (
        Arende.objects.all() if user_or_none is None else Arende.objects.visible_to(user_or_none)
    )
    cases = cases.filter(insats=insats)
    if distrikt is not None:
        cases = cases.filter(distrikt__namn=distrikt)
    if verksamhetsomrade is not None:
        cases = cases.filter(verksamhetsomrade=verksamhetsomrade)
    if utforare is not None:
        cases = cases.filter(utforare__namn=utforare)
    if kon is not None:
        cases = cases.filter(person__kon=kon)
    decided = Handelse.objects.filter(arende=OuterRef("pk"), typ="beslut", datum__lte=as_of)
    closed = Handelse.objects.filter(arende=OuterRef("pk"), typ="avslut", datum__lte=as_of)
    return cases.filter(Exists(decided)).exclude(Exists(closed))


def granskning_berakna(
    *,
    cases_queryset: QuerySet[Arende],
    as_of: date,
    urval: dict[str, Any],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Return the JSON object of GRANSKNING.md for the cases of `cases_queryset` on `as_of`.

    Three queries whatever the size: the cases with their people, their events up to
    `as_of`, and the decisions on every case of the same people (for `ar_med_insats`,
    which counts from the person's first decision granting the insats, on whichever
    case it was made). `progress` is told (cases done, cases in all).
    """
    cases = list(cases_queryset.select_related("person").order_by("pk"))
    rows = (
        Handelse.objects.filter(arende__in=cases_queryset.values("pk"), datum__lte=as_of)
        .order_by("arende_id", "datum", "id")
        .only("arende", "typ", "datum", "data")
    )
    events: dict[int, list[Event]] = {
        arende_id: [handelse_as_event(h) for h in handelser]
        for arende_id, handelser in groupby(rows, key=lambda h: h.arende_id)
    }
    forsta = forsta_beviljande(cases_queryset, as_of)

    fall = [
        Fall(
            timeline=Timeline(
                case_id=arende.arende_id,
                insats=arende.insats,
                events=tuple(events.get(arende.pk, ())),
                boendeform=arende.boendeform or None,
                tatare_uppfoljning=arende.tatare_uppfoljning,
            ),
            verksamhetsomrade=arende.verksamhetsomrade,
            kon=arende.person.kon,
            minderariga_barn=arende.person.minderariga_barn,
            forsta_beviljande=forsta.get((arende.person_id, arende.insats)),
        )
        for arende in cases
    ]
    figures = berakna(
        fall,
        as_of,
        omradesordning=Verksamhetsomrade.values,
        defaults=local_defaults(),
        progress=(lambda done: progress(done, len(fall))) if progress else None,
    )
    return {"as_of": as_of.isoformat(), "urval": urval, **figures}


def forsta_beviljande(cases_queryset: QuerySet[Arende], as_of: date) -> dict[tuple[int, str], date]:
    """Return, per (person, insats), the `from` date of the first granting decision."""
    rows = (
        Handelse.objects.filter(
            typ="beslut",
            datum__lte=as_of,
            arende__person__in=cases_queryset.values("person"),
        )
        .order_by("datum", "id")
        .values_list("arende__person_id", "arende__insats", "datum", "data")
    )
    beslut: dict[tuple[int, str], list[Event]] = defaultdict(list)
    for person_id, insats, datum, data in rows:
        beslut[(person_id, insats)].append(
            parse_event({**data, "date": datum.isoformat(), "type": "beslut"})
        )
    return {
        key: first
        for key, decisions in beslut.items()
        if (first := forsta_beviljande_fran(decisions, as_of)) is not None
    }
