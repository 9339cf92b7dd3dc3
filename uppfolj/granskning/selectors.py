"""Reads for the audit (GRANSKNING.md): which cases a selection holds, and its figures.

The definitions live in `uppfolj.domain.granskning`. Two paths give the same figures:

- on today's date (the default of the page, the exports and the command) the figures
  are aggregated in the database from the stored records and the stored bevakningar
  (`uppfolj.granskning.aggregat`);
- on a past date they are recomputed from the events: this module loads the cases and
  their events in a constant number of queries and runs the definitions (and the rules
  engine) per case, since the stored bevakningar are as of today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from uppfolj.arenden.models import Arende, Handelse, Verksamhetsomrade
from uppfolj.arenden.services import handelse_as_event, local_defaults
from uppfolj.domain.calendar import add_months
from uppfolj.domain.granskning import (
    Fall,
    Fallresultat,
    andel_i_tid_over_tid,
    berakna,
    besok_fran,
    fallresultat,
    forsta_beviljande_fran,
    sammanstall,
)
from uppfolj.domain.sortering import svensk_nyckel
from uppfolj.domain.tid import HELG, KVALL, Besokstid
from uppfolj.domain.timeline import BOENDESTOD, Event, Timeline, parse_event
from uppfolj.granskning import aggregat
from uppfolj.utforare.models import Besok, Daganteckning


def urval_arenden(
    *,
    user_or_none: Any,
    insats: str = BOENDESTOD,
    distrikt: str | None = None,
    verksamhetsomrade: str | None = None,
    utforare: str | None = None,
    kon: str | None = None,
    as_of: date,
    oppna_fran: date | None = None,
) -> QuerySet[Arende]:
    """Return the cases a selection may hold: visible to the user (every case for None),
    matching the given attributes (district and provider by name), with a decision by
    `as_of` and not closed by it (or by `oppna_fran`, for a series of dates up to
    `as_of`); the decision in force is checked by `granskning_berakna`.
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
    closed = Handelse.objects.filter(
        arende=OuterRef("pk"), typ="avslut", datum__lte=oppna_fran or as_of
    )
    return cases.filter(Exists(decided)).exclude(Exists(closed))


def granskning_berakna(
    *,
    cases_queryset: QuerySet[Arende],
    as_of: date,
    urval: dict[str, Any],
    progress: Callable[[int, int], None] | None = None,
    snabb: bool | None = None,
) -> dict[str, Any]:
    """Return the JSON object of GRANSKNING.md for the cases of `cases_queryset` on `as_of`.

    A constant number of queries whatever the size. `snabb` chooses the path: by
    database aggregation over stored records (`aggregat`) or by the engine per case
    (`fall_lista`); by default the first when `as_of` is today. `progress` is told
    (cases done, cases in all).
    """
    if anvand_aggregat(as_of, snabb):
        rows, valda = aggregat.rader(
            cases_queryset, as_of, lambda valda: _besok_per_arende(valda, as_of)
        )
        if progress is not None:
            progress(len(rows), len(rows))
        per_regel = aggregat.bevakningar_grupperade(valda, as_of).get(None, {})
        figures = aggregat.med_bevakningar(
            sammanstall([r.resultat for r in rows], omradesordning=Verksamhetsomrade.values),
            per_regel,
        )
        return {"as_of": as_of.isoformat(), "urval": urval, **figures}
    fall = [one for _, one in fall_lista(cases_queryset, as_of)]
    figures = berakna(
        fall,
        as_of,
        omradesordning=Verksamhetsomrade.values,
        defaults=local_defaults(),
        progress=(lambda done: progress(done, len(fall))) if progress else None,
    )
    return {"as_of": as_of.isoformat(), "urval": urval, **figures}


def anvand_aggregat(as_of: date, snabb: bool | None = None) -> bool:
    """Return whether the figures on `as_of` come from database aggregation: when asked,
    else when `as_of` is today (the stored bevakningar are as of today)."""
    return as_of == timezone.localdate() if snabb is None else snabb


def fall_lista(cases_queryset: QuerySet[Arende], as_of: date) -> list[tuple[Arende, Fall]]:
    """Return each case of `cases_queryset` (by case id) with what the audit reads of it.

    Six queries whatever the size: the cases with their people, their events up to
    `as_of`, the decisions on every case of the same people (for `ar_med_insats`, which
    counts from the person's first decision granting the insats, on whichever case it
    was made), the cancellations, the visits of the window of `besok_fran` and the
    distinct staff per case in it (aggregated in the database).
    """
    cases = list(cases_queryset.select_related("person", "distrikt").order_by("arende_id"))
    pks = cases_queryset.values("pk")
    rows = (
        Handelse.objects.filter(arende__in=pks, datum__lte=as_of)
        .order_by("arende_id", "datum", "id")
        .only("arende", "typ", "datum", "data")
    )
    events: dict[int, list[Event]] = {
        arende_id: [handelse_as_event(h) for h in handelser]
        for arende_id, handelser in groupby(rows, key=lambda h: h.arende_id)
    }
    forsta = forsta_beviljande(cases_queryset, as_of)
    avbokningar: dict[int, list[date]] = defaultdict(list)
    for arende_id, datum in Daganteckning.objects.filter(
        arende__in=pks,
        typ=Daganteckning.Typ.AVBOKNING,
        felmarkerad__isnull=True,
        datum__lte=as_of,
    ).values_list("arende_id", "datum"):
        avbokningar[arende_id].append(datum)
    besok = _besok_per_arende(pks, as_of)
    return [
        (
            arende,
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
                avbokningar=tuple(avbokningar.get(arende.pk, ())),
                **besok.get(arende.pk, {}),
            ),
        )
        for arende in cases
    ]


def _besok_per_arende(pks: QuerySet[Any], as_of: date) -> dict[int, dict[str, int]]:
    """Return per case the visits of the window ending `as_of` (`besok_fran`): their
    number, those on weekday evenings and at weekends, and the distinct staff (counted
    in the database). Office hours are read in local wall-clock time."""
    tz = timezone.get_current_timezone()
    fran = datetime.combine(besok_fran(as_of), time.min, tzinfo=tz)
    till = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=tz)
    window = Besok.objects.filter(arende__in=aggregat.som_in(pks), start__gte=fran, start__lt=till)
    out: dict[int, dict[str, int]] = defaultdict(
        lambda: {"besok": 0, "besok_kvall": 0, "besok_helg": 0, "personal": 0}
    )
    for arende_id, personal in (
        window.order_by()
        .values("arende_id")
        .annotate(n=Count("personal", distinct=True))
        .values_list("arende_id", "n")
    ):
        out[arende_id]["personal"] = personal
    for arende_id, start, slut in window.values_list("arende_id", "start", "slut"):
        counts = out[arende_id]
        counts["besok"] += 1
        typ = Besokstid(
            start=timezone.localtime(start, tz).replace(tzinfo=None),
            slut=timezone.localtime(slut, tz).replace(tzinfo=None),
            personal=None,
        ).utanfor_kontorstid
        if typ == KVALL:
            counts["besok_kvall"] += 1
        elif typ == HELG:
            counts["besok_helg"] += 1
    return out


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


# --- The whole city, per district, over time ------------------------------------------


@dataclass(frozen=True)
class Rapportdata:
    """The figures the report page compares: the selection, the whole city for the same
    insats and date, and every district the user may see (for the same selection)."""

    urval: dict[str, Any]
    stad: dict[str, Any]
    per_distrikt: dict[str, dict[str, Any]]


def granskning_rapport(
    *,
    user_or_none: Any,
    insats: str = BOENDESTOD,
    as_of: date,
    distrikt: str | None = None,
    snabb: bool | None = None,
    **urval: Any,
) -> Rapportdata:
    """Return the selection's, the city's and each district's figures from one evaluation
    of the city's cases: a case counts in the selection and its district when
    `urval_arenden` for the user holds it.

    The city is every case of the insats (not only those the user may see): it is the
    yardstick of the quality areas, shown only as figures, never as cases. `snabb` as
    in `granskning_berakna`.
    """
    stad_qs = urval_arenden(user_or_none=None, insats=insats, as_of=as_of)
    synliga_qs = urval_arenden(user_or_none=user_or_none, insats=insats, as_of=as_of, **urval)
    fast = anvand_aggregat(as_of, snabb)
    alla: list[tuple[int, str, Fallresultat]]
    if fast:
        stad_rader, valda_stad = aggregat.rader(
            stad_qs, as_of, lambda valda: _besok_per_arende(valda, as_of)
        )
        alla = [(r.pk, r.distrikt, r.resultat) for r in stad_rader]
        stad_bev = aggregat.summera(
            aggregat.bevakningar_grupperade(valda_stad, as_of, per_distrikt=True).values()
        )
    else:
        alla = [(a.pk, _distrikt(a), r) for a, r in _resultat(stad_qs, as_of)]
    synliga = set(synliga_qs.values_list("pk", flat=True))
    if fast:
        synliga_bev = aggregat.bevakningar_grupperade(
            [pk for pk, _, _ in alla if pk in synliga], as_of, per_distrikt=True
        )
    grunddata = {"insats": insats, **{k: v for k, v in urval.items() if v is not None}}
    valda = [(namn, r) for pk, namn, r in alla if pk in synliga]
    per_distrikt: dict[str, list[Fallresultat]] = {
        namn: [] for namn in _synliga_distrikt(user_or_none, insats)
    }
    for namn, result in valda:
        per_distrikt.setdefault(namn, []).append(result)
    if distrikt is not None:
        valda = [(namn, r) for namn, r in valda if namn == distrikt]

    def json(
        resultat: list[Fallresultat], urval: dict[str, Any], distrikten: list[str] | None
    ) -> dict[str, Any]:
        figures = sammanstall(resultat, omradesordning=Verksamhetsomrade.values)
        if fast:
            per_regel = (
                stad_bev
                if distrikten is None
                else aggregat.summera(synliga_bev.get(namn, {}) for namn in distrikten)
            )
            figures = aggregat.med_bevakningar(figures, per_regel)
        return {"as_of": as_of.isoformat(), "urval": urval, **figures}

    return Rapportdata(
        urval=json(
            [r for _, r in valda],
            {**({"distrikt": distrikt} if distrikt else {}), **grunddata},
            [distrikt] if distrikt is not None else list(per_distrikt),
        ),
        stad=json([r for _, _, r in alla], {"insats": insats}, None),
        per_distrikt={
            namn: json(per_distrikt[namn], {"distrikt": namn, **grunddata}, [namn])
            for namn in sorted(per_distrikt, key=svensk_nyckel)
        },
    )


def granskning_per_distrikt(
    *, user_or_none: Any, insats: str, as_of: date, **urval: Any
) -> dict[str, dict[str, Any]]:
    """Return every district's JSON object (every district the user may see a case of),
    for the same selection otherwise."""
    urval.pop("distrikt", None)
    return granskning_rapport(
        user_or_none=user_or_none, insats=insats, as_of=as_of, **urval
    ).per_distrikt


def granskning_stad(*, insats: str, as_of: date) -> dict[str, Any]:
    """Return the whole city's JSON object for the insats on `as_of`."""
    return granskning_berakna(
        cases_queryset=urval_arenden(user_or_none=None, insats=insats, as_of=as_of),
        as_of=as_of,
        urval={"insats": insats},
    )


UTAN_DISTRIKT = "Utan distrikt"


def _distrikt(arende: Arende) -> str:
    return arende.distrikt.namn if arende.distrikt else UTAN_DISTRIKT


def _synliga_distrikt(user_or_none: Any, insats: str) -> list[str]:
    cases = (
        Arende.objects.all() if user_or_none is None else Arende.objects.visible_to(user_or_none)
    )
    return list(cases.filter(insats=insats).values_list("distrikt__namn", flat=True).distinct())


def _resultat(cases_queryset: QuerySet[Arende], as_of: date) -> list[tuple[Arende, Fallresultat]]:
    defaults = local_defaults()
    out = []
    for arende, fall in fall_lista(cases_queryset, as_of):
        result = fallresultat(fall, as_of, defaults)
        if result is not None:
            out.append((arende, result))
    return out


def manadsslut(as_of: date, antal: int = 12) -> list[date]:
    """Return the last day of each of the `antal` months up to `as_of`'s, oldest first;
    the current month's point is `as_of` itself."""
    ends = []
    for back in range(antal - 1, 0, -1):
        first = add_months(as_of.replace(day=1), -back + 1)
        ends.append(first - timedelta(days=1))
    return [*ends, as_of]


def bevakningar_over_tid(
    *,
    user_or_none: Any,
    as_of: date,
    antal_manader: int = 12,
    snabb: bool | None = None,
    **urval: Any,
) -> tuple[list[date], dict[str, list[float | None]]]:
    """Return the month ends (`manadsslut`) and, per rule, a share of deadlines met on
    time for each of them, among the cases of the selection (`urval_arenden` with a
    decision by `as_of`, not closed before the first month end).

    On today's date (`anvand_aggregat`) the series come from the stored bevakningar,
    grouped by month, rule and status in the database: for each month, the instances
    that fell due in that month (from its first day to its end, or to `as_of` in the
    current month) and are decided as of today (met, met late, overdue, reported), and
    the share of them met by their due date (status met). On a past date each point is
    `bevakningar_i_tid`'s `andel` recomputed by the engine on that month end (every
    instance due by then, among the cases in the selection that day). None where no
    instance had fallen due.
    """
    datum = manadsslut(as_of, antal_manader)
    cases = urval_arenden(user_or_none=user_or_none, as_of=as_of, oppna_fran=datum[0], **urval)
    if not anvand_aggregat(as_of, snabb):
        fall = [one for _, one in fall_lista(cases, as_of)]
        return datum, andel_i_tid_over_tid(fall, datum, local_defaults())
    return datum, aggregat.i_tid_per_manad(cases.order_by().values("pk"), datum)
