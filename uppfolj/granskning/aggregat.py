"""The audit's figures by database aggregation, from stored records (issues 6 and 8).

`selectors.granskning_berakna`, `granskning_rapport` and `bevakningar_over_tid` use
this path when `as_of` is today (the default of the page, the exports and the
command): the deadline figures are read from the stored `Bevakning` rows instead of
running the rules engine per case. A past `as_of` keeps the engine path (historical
dates recompute from the events), since stored rows say nothing of a deadline's
status on an earlier day.

What runs in the database (seven queries whatever the size, six of them in `rader`;
lists of ids go to PostgreSQL as one array parameter, `som_in`):

- the cases' attributes together with their stored audit facts (`Granskningsfakta`,
  read through the reverse one-to-one): per case the decision in force, the first
  execution, the longest gap between daily notes and the last such note, the latest
  current plan and uppdrag with their flags, the children's perspective, the level
  changes and the uppdrag sent under the decision, as `fakta._genomlopning` computes
  them from the events. A row is used when it is valid on `as_of` (`berakna_per <=
  as_of < giltig_till`); for the cases whose row is missing or not valid,
  `_genomlopning` walks their events (one more query), so the figures never depend on
  the table being complete or fresh: a missing or stale row only costs time. The
  services store the rows when a case's events change (`bevakningar_berakna`), the
  generator after writing a city, and `uppfolj omrakna` every night;
- the person's first granting decision, grouped per person and insats from the stored
  rows (`_forsta`; from the events for a person with a row not valid);
- the cancellations (few rows); the visits (`selectors._besok_per_arende`);
- `bevakningar_i_tid`, `ej_verkstallda` and `uppfoljd_i_tid`: the stored bevakningar,
  grouped by rule and effective status (an unmet instance is stored open and is overdue
  when `forfaller` < `as_of`) in the database (`bevakningar_grupperade`), and the chart
  over time grouped by month due (`i_tid_per_manad`).

The stored bevakningar are as of the last change to each case (the services recompute
them then): the engine returns the instances started by its date, so an instance that
started since a case last changed is missing until the case is recomputed. Equality
with the engine path holds when the rows were recomputed on `as_of` (as after
`uppfolj generate`, or `uppfolj omrakna` run nightly); the worklist
reads the same rows and has the same limit.

Python then only buckets each case's scalars with the same definitions
(`uppfolj.domain.granskning.matt`) and sums them with `sammanstall`, so both paths give
the same JSON (tests/test_aggregat.py proves it on the Bromma city and a generated one).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from uppfolj.arenden import fakta
from uppfolj.arenden.fakta import _datum, _iso, _med, _text
from uppfolj.arenden.models import Arende, Bevakning, Handelse
from uppfolj.domain.engine import MET, OPEN, OVERDUE, REPORTED
from uppfolj.domain.granskning import (
    AVBOKNINGAR_KONTAKT,
    AVGJORDA_STATUSAR,
    EJ_ANGIVET,
    EJ_VERKSTALLT_REGEL,
    KON_KOLUMN,
    UPPFOLJNINGSREGLER,
    Fallresultat,
    andel,
    ar_med_insats_grupp,
    hela_ar,
    hela_manader,
)
from uppfolj.domain.granskning.figurer import _tal
from uppfolj.domain.timeline import BEVILJANDE_UTFALL
from uppfolj.lib.kompilerad import id_urval
from uppfolj.utforare.models import Daganteckning

UTAN_DISTRIKT = "Utan distrikt"


@dataclass(frozen=True)
class Rad:
    """One case of the selection with its part in every figure (from `_rader`)."""

    pk: int
    distrikt: str
    resultat: Fallresultat


def _beslut_i_kraft(as_of: date) -> QuerySet[Handelse]:
    """The granting decisions whose period holds `as_of`, latest first (`beslut_i_kraft`:
    by decision date, then by the order of the events)."""
    iso = as_of.isoformat()
    return (
        Handelse.objects.filter(arende=OuterRef("pk"), typ="beslut", datum__lte=as_of)
        .annotate(
            b_utfall=_text("utfall"),
            b_from=Coalesce(_text("from"), _iso("datum"), output_field=TextField()),
            b_to=_text("to"),
        )
        .filter(b_utfall__in=sorted(BEVILJANDE_UTFALL), b_from__lte=iso)
        .filter(Q(b_to__isnull=True) | Q(b_to__gte=iso))
        .order_by("-datum", "-id")
    )


def i_kraft(cases_queryset: QuerySet[Arende], as_of: date) -> QuerySet[Arende]:
    """Return the cases of `cases_queryset` with a decision in force on `as_of` (the
    selection of GRANSKNING.md; `cases_queryset` already leaves out the closed)."""
    return cases_queryset.filter(Exists(_beslut_i_kraft(as_of)))


def _forsta(personer: Any, as_of: date) -> dict[tuple[int, str], date]:
    """Return `_forsta_beviljande` of `personer` from the stored facts of their cases
    (each case's first granting decision, grouped per person and insats); the persons
    with a case whose row is missing or not valid on `as_of` from the events."""
    ogiltig = fakta.ogiltig_q(as_of)
    out: dict[tuple[int, str], date] = {}
    fallback: set[int] = set()
    for person, insats, forsta, ogiltiga in (
        Arende.objects.filter(person__in=som_in(personer))
        .order_by()
        .values("person_id", "insats")
        .annotate(forsta=Min("granskningsfakta__forsta"), ogiltiga=Count("pk", filter=ogiltig))
        .values_list("person_id", "insats", "forsta", "ogiltiga")
    ):
        if ogiltiga:
            fallback.add(person)
        elif forsta is not None:
            out[(person, insats)] = date.fromisoformat(forsta.split("|")[2])
    if fallback:
        out.update(_forsta_beviljande(sorted(fallback) if som_lista(fallback) else personer, as_of))
    return out


def _forsta_beviljande(personer: Any, as_of: date) -> dict[tuple[int, str], date]:
    """Return per (person, insats) the `from` of the first decision granting the insats
    on any of the person's cases (`forsta_beviljande_fran`), grouped in the database."""
    rows = (
        Handelse.objects.filter(
            arende__person__in=som_in(personer),
            typ="beslut",
            datum__lte=as_of,
        )
        .alias(
            g_utfall=_text("utfall"),
            g_from=Coalesce(_text("from"), _iso("datum"), output_field=TextField()),
        )
        .filter(g_utfall__in=sorted(BEVILJANDE_UTFALL))
        .order_by()
        .values("arende__person_id", "arende__insats")
        .annotate(forsta=Min(_med(F("g_from"))))
        .values_list("arende__person_id", "arende__insats", "forsta")
    )
    out: dict[tuple[int, str], date] = {}
    for person, case_insats, forsta in rows:
        out[(person, case_insats)] = date.fromisoformat(forsta.split("|")[2])
    return out


# Many cases share their decision's dates: the calendar arithmetic is done once per pair.
@lru_cache(maxsize=65_536)
def _beslutstid(fran: date, till: date | None) -> str:
    """`beslutstid_grupp` of a decision from its `from` and `to`."""
    if till is None:
        return "tillsvidare"
    months = hela_manader(fran, till + timedelta(days=1))
    if months < 6:
        return "<6"
    if months < 12:
        return "6-11"
    if months == 12:
        return "1ar"
    return ">1ar"


def rader(
    cases_queryset: QuerySet[Arende],
    as_of: date,
    besok: Callable[[Any], dict[int, dict[str, int]]] | None = None,
) -> tuple[list[Rad], Any]:
    """Return one row per case of `cases_queryset` in the selection on `as_of`, with its
    `Fallresultat` (the deadline parts left empty: `bevakningar_grupperade` gives them),
    and the selection for `arende__in` lookups (`urval`).

    `besok` is told the selection and gives the visits per case
    (`selectors._besok_per_arende`).
    """
    per_arende, attribut = _fakta(cases_queryset, as_of)
    selection = urval(per_arende, cases_queryset, as_of)
    forsta = _forsta(
        sorted({row[6] for row in attribut.values()})
        if isinstance(selection, list)
        else cases_queryset.order_by().values("person"),
        as_of,
    )
    beslut_datum = {pk: date.fromisoformat(row[1][:10]) for pk, row in per_arende.items() if row[1]}
    avbokningar, kontaktad = _avbokningar(as_of, beslut_datum)
    # Overdue follow-ups (`uppfoljd_i_tid`), read for the whole city and kept for the
    # cases selected (a list of every selected case costs more than the rows).
    ej_uppfoljda = set(
        Bevakning.objects.filter(
            regel__in=sorted(UPPFOLJNINGSREGLER),
            forfaller__lt=as_of,
        )
        .filter(Q(status=OPEN) | Q(status=OVERDUE))
        .order_by()
        .values_list("arende_id", flat=True)
        .distinct()
    )
    visits_per_case = besok(selection) if besok is not None else {}
    out = []
    for pk, case_id, distrikt, omrade, kon, barn, person, insats in attribut.values():
        (_pk, beslut, verkstallt, glapp, sista, plan, uppdrag, barnp, byten, skickade) = per_arende[
            pk
        ]
        assert beslut is not None
        _b_datum, _b_id, b_from, b_to, b_minuter = beslut.split("|")
        fran = date.fromisoformat(b_from)
        langsta = None
        if verkstallt is not None:
            langsta = (as_of - (sista if sista is not None else verkstallt)).days
            if glapp is not None:
                langsta = max(langsta, glapp)
        visits = visits_per_case.get(pk, {})
        antal_besok = visits.get("besok", 0)
        result = Fallresultat(
            case_id=case_id,
            omrade=omrade or EJ_ANGIVET,
            kolumn=KON_KOLUMN.get(kon),
            minuter_per_vecka=int(b_minuter) if b_minuter else None,
            ar_med_insats=_ar_med_insats(forsta.get((person, insats)) or fran, as_of),
            beslutstid=_beslutstid(fran, date.fromisoformat(b_to) if b_to else None),
            aktuell_plan=plan is not None,
            delaktighet=plan is not None and plan.endswith("|1"),
            uppfoljd_i_tid=pk not in ej_uppfoljda,
            strukturerat=None if uppdrag is None else uppdrag.endswith("|1"),
            langsta_glapp=langsta,
            med_barn=barn > 0,
            barnperspektiv=bool(barnp),
            ej_verkstallda=(),
            bevakningar=(),
            uppdrag_andringar=int(byten) + max(int(skickade) - 1, 0),
            avbokningar=avbokningar.get(pk, 0),
            avbokningar_kontaktad=kontaktad.get(pk),
            besok=antal_besok,
            besok_kvall=visits.get("besok_kvall", 0),
            besok_helg=visits.get("besok_helg", 0),
            personal=visits.get("personal", 0) if antal_besok else None,
        )
        out.append(Rad(pk=pk, distrikt=distrikt or UTAN_DISTRIKT, resultat=result))
    out.sort(key=lambda r: r.resultat.case_id)
    return out, selection


_ATTRIBUT = (
    "pk",
    "arende_id",
    "distrikt__namn",
    "verksamhetsomrade",
    "person__kon",
    "person__minderariga_barn",
    "person_id",
    "insats",
)


@lru_cache(maxsize=65_536)
def _ar_med_insats(fran: date, as_of: date) -> str:
    return ar_med_insats_grupp(hela_ar(fran, as_of))


def _fakta(
    cases_queryset: QuerySet[Arende], as_of: date
) -> tuple[dict[int, fakta.Rad], dict[int, tuple[Any, ...]]]:
    """Return per case of `cases_queryset` with a decision in force on `as_of` its facts
    (`fakta.Rad`) and its attributes, in one query with the stored facts; the cases whose
    stored row is missing or not valid on `as_of` are computed from their events."""
    per_arende: dict[int, fakta.Rad] = {}
    attribut: dict[int, tuple[Any, ...]] = {}
    saknas: set[int] = set()
    stored = [f"granskningsfakta__{name}" for name in fakta.KOLUMNER]
    for row in cases_queryset.order_by().values_list(
        *_ATTRIBUT, *stored, "granskningsfakta__berakna_per", "granskningsfakta__giltig_till"
    ):
        pk = row[0]
        attribut[pk] = row[: len(_ATTRIBUT)]
        berakna_per, giltig = row[-2:]
        if not fakta.giltig(berakna_per, giltig, as_of):
            saknas.add(pk)
        elif row[len(_ATTRIBUT)] is not None:
            per_arende[pk] = (pk, *row[len(_ATTRIBUT) : -2])  # type: ignore[assignment]
    if saknas:
        # A missing or stale row only costs time: those cases are walked as before.
        scope = (
            Arende.objects.filter(pk__in=som_in(sorted(saknas)))
            if som_lista(saknas)
            else cases_queryset
        )
        for raw in fakta._genomlopning(scope, as_of):
            if raw[1] and raw[0] in saknas:
                per_arende[raw[0]] = fakta.normalisera(raw)
    return per_arende, {pk: row for pk, row in attribut.items() if pk in per_arende}


# Above this many cases the selection is passed to later queries as a subquery, not a
# list of ids (SQLite limits the parameters of a query; PostgreSQL's client-side
# binding does not).
URVAL_SOM_LISTA = 20_000


def som_lista(ids: Collection[int]) -> bool:
    """Return whether `ids` are passed to later queries as a list (`som_in`) rather than
    as the query that selected them."""
    return len(ids) <= URVAL_SOM_LISTA or connection.vendor == "postgresql"


def som_in(values: Any) -> Any:
    """Return `values` for an `__in` lookup: a list of ids as one array parameter on
    PostgreSQL (tens of thousands of placeholders take seconds to build and parse, in
    Django and in the driver), anything else as it is."""
    if isinstance(values, list) and connection.vendor == "postgresql":
        return id_urval(values)
    return values


def urval(per_arende: dict[int, Any], cases_queryset: QuerySet[Arende], as_of: date) -> Any:
    """Return the selected cases for an `arende__in` lookup: their ids, or the query."""
    if som_lista(per_arende):
        return sorted(per_arende)
    return i_kraft(cases_queryset, as_of).order_by().values("pk")


def _avbokningar(
    as_of: date, beslut_datum: dict[int, date]
) -> tuple[dict[int, int], dict[int, bool]]:
    """Return per case of `beslut_datum` the cancellations under the decision in force
    and, for those with three or more, whether a `handlaggare_kontaktad` followed the
    third (`avbokningar`). Cancellations are few in the whole city: they are read as
    (case, day) pairs without a list of the cases, and kept for the cases selected."""
    dagar: dict[int, list[date]] = defaultdict(list)
    for arende_id, datum in (
        Daganteckning.objects.filter(
            typ=Daganteckning.Typ.AVBOKNING,
            felmarkerad__isnull=True,
            datum__lte=as_of,
        )
        .order_by("datum")
        .values_list("arende_id", "datum")
    ):
        if arende_id in beslut_datum and datum >= beslut_datum[arende_id]:
            dagar[arende_id].append(datum)
    antal = {pk: len(days) for pk, days in dagar.items()}
    tredje = {
        pk: days[AVBOKNINGAR_KONTAKT - 1]
        for pk, days in dagar.items()
        if len(days) >= AVBOKNINGAR_KONTAKT
    }
    kontaktad = dict.fromkeys(tredje, False)
    if tredje:
        for arende_id, datum in Handelse.objects.filter(
            arende__in=list(tredje), typ="handlaggare_kontaktad", datum__lte=as_of
        ).values_list("arende_id", "datum"):
            if datum >= tredje[arende_id]:
                kontaktad[arende_id] = True
    return antal, kontaktad


# --- The deadline figures, grouped in the database -------------------------------------


def _effektiv_status(as_of: date) -> Case:
    return Case(
        When(status=OPEN, forfaller__lt=as_of, then=Value(OVERDUE)),
        default=F("status"),
        output_field=CharField(),
    )


def bevakningar_grupperade(
    selection: Any, as_of: date, *, per_distrikt: bool = False
) -> dict[str | None, dict[str, Counter[str]]]:
    """Return {district or None: {rule: Counter(effective status)}} of the stored
    bevakningar due on or before `as_of` of the cases in `selection` (case ids or a query
    of them), counted with GROUP BY in the database."""
    keys = ["arende__distrikt__namn", "regel", "s"] if per_distrikt else ["regel", "s"]
    rows = (
        Bevakning.objects.filter(arende__in=som_in(selection), forfaller__lte=as_of)
        .annotate(s=_effektiv_status(as_of))
        .order_by()
        .values(*keys)
        .annotate(n=Count("pk"))
        .values_list(*keys, "n")
    )
    out: dict[str | None, dict[str, Counter[str]]] = defaultdict(dict)
    for row in rows:
        if per_distrikt:
            distrikt, regel, status, n = row
            distrikt = distrikt or UTAN_DISTRIKT
        else:
            distrikt = None
            regel, status, n = row
        out[distrikt].setdefault(regel, Counter())[status] += n
    return dict(out)


def summera(per_regel: Iterable[dict[str, Counter[str]]]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for one in per_regel:
        for regel, counts in one.items():
            out.setdefault(regel, Counter()).update(counts)
    return out


def bevakningsfigurer(per_regel: dict[str, Counter[str]]) -> dict[str, Any]:
    """Return `bevakningar_i_tid` and `ej_verkstallda` from grouped counts (the same
    shapes as `sammanstall`)."""
    bevakningar_i_tid: dict[str, dict[str, int | float | None]] = {}
    for rule in sorted(per_regel):
        counts = per_regel[rule]
        row: dict[str, int | float | None] = {s: counts[s] for s in AVGJORDA_STATUSAR}
        row["andel"] = _tal(andel(counts[MET], sum(counts[s] for s in AVGJORDA_STATUSAR)))
        bevakningar_i_tid[rule] = row
    ivo = per_regel.get(EJ_VERKSTALLT_REGEL, Counter())
    return {
        "ej_verkstallda": {
            "antal": ivo[OVERDUE] + ivo[REPORTED],
            OVERDUE: ivo[OVERDUE],
            REPORTED: ivo[REPORTED],
        },
        "bevakningar_i_tid": bevakningar_i_tid,
    }


def med_bevakningar(figures: dict[str, Any], per_regel: dict[str, Counter[str]]) -> dict[str, Any]:
    """Return `figures` (from `sammanstall` over `rader`) with the deadline figures put
    in from the grouped stored bevakningar, keeping `sammanstall`'s key order."""
    return {**figures, **bevakningsfigurer(per_regel)}


def i_tid_per_manad(selection: Any, manadsslut: list[date]) -> dict[str, list[float | None]]:
    """Return per rule, for each month ending on one of `manadsslut` (the last is today),
    the share met on time of the stored bevakningar of `selection` that fell due in that
    month and are decided today: `met` of met, met late, overdue (open and due before
    today) and reported; None when there are none. Grouped by month, rule and effective
    status in the database."""
    as_of = manadsslut[-1]
    fran = manadsslut[0].replace(day=1)
    rows = (
        Bevakning.objects.filter(
            arende__in=som_in(selection), forfaller__gte=fran, forfaller__lte=as_of
        )
        .annotate(s=_effektiv_status(as_of), manad=TruncMonth("forfaller"))
        .order_by()
        .values("manad", "regel", "s")
        .annotate(n=Count("pk"))
        .values_list("manad", "regel", "s", "n")
    )
    per_manad: dict[tuple[int, int], dict[str, Counter[str]]] = defaultdict(dict)
    for manad, regel, status, n in rows:
        manad = _datum(manad) if not isinstance(manad, date) else manad
        per_manad[(manad.year, manad.month)].setdefault(regel, Counter())[status] += n
    regler = sorted({regel for per_regel in per_manad.values() for regel in per_regel})
    out: dict[str, list[float | None]] = {}
    for regel in regler:
        serie: list[float | None] = []
        for slut in manadsslut:
            counts = per_manad.get((slut.year, slut.month), {}).get(regel, Counter())
            value = _tal(andel(counts[MET], sum(counts[s] for s in AVGJORDA_STATUSAR)))
            serie.append(None if value is None else float(value))
        out[regel] = serie
    return out
