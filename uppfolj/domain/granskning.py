"""The audit figures of GRANSKNING.md (seed 004's tables, computed live), in plain Python.

Every function names the GRANSKNING.md key it implements; the definitions there are
binding, and where they leave a choice the docstring says which reading is taken.
The caller passes the cases (their timelines and the few attributes the audit splits
by) and the evaluation date `as_of`; nothing here reads a clock or a database.
Events dated after `as_of` do not exist as of that date and are ignored throughout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

from .calendar import add_months
from .engine import MET, MET_LATE, OVERDUE, REPORTED, evaluate
from .rules import DEFAULTS, LocalDefaults
from .timeline import BEVILJANDE_UTFALL, Event, Timeline

# --- Keys and labels -------------------------------------------------------------------

KVINNOR = "kvinnor"
MAN = "man"
TOTALT = "totalt"
KOLUMNER = (KVINNOR, MAN, TOTALT)
# Person.kon (TIMELINE.md: kvinna | man) to the column of 004's tables.
KON_KOLUMN = {"kvinna": KVINNOR, "man": MAN}
# A case recorded without a verksamhetsområde.
EJ_ANGIVET = "ej_angivet"

AR_MED_INSATS_GRUPPER = ("<1", "1-2", "3-5", ">5")
BESLUTSTID_GRUPPER = ("<6", "6-11", "1ar", ">1ar", "tillsvidare")

PLANHANDELSER = frozenset({"genomforandeplan_klar", "genomforandeplan_reviderad"})
UPPFOLJNINGSREGLER = frozenset(
    {"SBMS-UPPF-3M", "VOB-UPPF-12M", "GEN-TAT-UPPF-3M", "GEN-BESLUT-UTGAR"}
)
EJ_VERKSTALLT_REGEL = "GEN-IVO-3M"
# The statuses that count in bevakningar_i_tid's denominator.
AVGJORDA_STATUSAR = (MET, MET_LATE, OVERDUE, REPORTED)

# Swedish labels for readable tables (004's wording).
KOLUMN_NAMN = {KVINNOR: "Kvinnor", MAN: "Män", TOTALT: "Totalt"}
AR_MED_INSATS_NAMN = {"<1": "< 1 år", "1-2": "1-2 år", "3-5": "3-5 år", ">5": "> 5 år"}
BESLUTSTID_NAMN = {
    "<6": "< 6 månader",
    "6-11": "6-11 månader",
    "1ar": "1 år",
    ">1ar": "> 1 år",
    "tillsvidare": "Tills vidare",
}

# --- Selection -------------------------------------------------------------------------


def _fran(beslut: Event) -> date:
    # A decision without `from` applies from the day it was made (as in the engine).
    return beslut.from_date or beslut.date


def beslut_i_kraft(events: Iterable[Event], as_of: date) -> Event | None:
    """Return the decision in force on `as_of` (GRANSKNING.md, Selection), or None.

    The latest `beslut` dated on or before `as_of` with outcome bifall or delvis
    whose period (`from` to `to`, both inclusive; no `to`: until further notice)
    contains `as_of`; None if there is none or an `avslut` is dated on or before
    `as_of`. Reading: "latest" is by decision date, then by the order of the
    events; a later avslag (a refused application for more time) leaves the
    decision in force alone, and a renewal made in advance for a period that has
    not begun does not displace the decision whose period contains `as_of`.
    """
    i_kraft = None
    for event in sorted(events, key=lambda e: e.date):
        if event.date > as_of:
            break
        if event.type == "avslut":
            return None
        if (
            event.type == "beslut"
            and event.utfall in BEVILJANDE_UTFALL
            and _fran(event) <= as_of
            and (event.to_date is None or as_of <= event.to_date)
        ):
            i_kraft = event
    return i_kraft


def i_urvalet(events: Iterable[Event], as_of: date) -> bool:
    """Return whether a case belongs to a selection on `as_of` (GRANSKNING.md, Selection)."""
    return beslut_i_kraft(events, as_of) is not None


# --- Numbers: rounding, shares, median ---------------------------------------------------


def avrunda(value: Fraction | Decimal | int, decimaler: int = 1) -> Decimal:
    """Return `value` rounded to `decimaler` decimals, half away from zero (8.25 → 8.3).

    `beviljad_tid_per_manad`: "rounded to one decimal, half away from zero". The
    value is carried exactly (a Fraction) until this point; a value exactly on a
    half has a finite decimal expansion, so the 60-digit division is exact there.
    """
    with localcontext() as context:
        context.prec = 60
        if isinstance(value, Fraction):
            exact = Decimal(value.numerator) / Decimal(value.denominator)
        else:
            exact = Decimal(value)
        return exact.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)


def andel(antal: int, av: int) -> Decimal | None:
    """Return the share `antal` / `av` as a fraction with three decimals; None when `av` is 0.

    GRANSKNING.md asks for "count and share" without fixing the form: the share is
    given as a fraction of 1 (0.667, not 66.7 %), rounded half away from zero.
    """
    if av == 0:
        return None
    return avrunda(Fraction(antal, av), 3)


def median(values: Iterable[int]) -> Fraction | None:
    """Return the median (`langsta_glapp_daganteckningar`); the mean of the middle two
    when the count is even; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


# --- beviljad_tid_per_manad --------------------------------------------------------------


def timmar_per_manad(minuter_per_vecka: int | Fraction) -> Fraction:
    """Return granted hours per month, exactly: minutes per week × 52 / 12 / 60
    (`beviljad_tid_per_manad`)."""
    return Fraction(minuter_per_vecka) * 52 / 12 / 60


def medeltid_per_manad(minuter_per_vecka: Sequence[int]) -> Decimal | None:
    """Return the mean hours per month of a cell of cases, rounded to one decimal half
    away from zero; None for an empty cell (`beviljad_tid_per_manad`).

    Each case's hours are exact; only the mean is rounded.
    """
    if not minuter_per_vecka:
        return None
    return avrunda(timmar_per_manad(Fraction(sum(minuter_per_vecka), len(minuter_per_vecka))))


# --- Whole months and years -------------------------------------------------------------


def hela_manader(start: date, end: date) -> int:
    """Return the whole months from `start` to `end` (0 if `end` is before `start`).

    A month is counted as in RULES.md: the same day of month, clamped to the
    month's last day (31 January + 1 month = 28 February).
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def hela_ar(start: date, end: date) -> int:
    """Return the completed years from `start` to `end` (`ar_med_insats`)."""
    return hela_manader(start, end) // 12


# --- ar_med_insats -----------------------------------------------------------------------


def forsta_beviljande_fran(beslut: Iterable[Event], as_of: date) -> date | None:
    """Return the `from` date of the first decision granting the insats (`ar_med_insats`).

    `beslut` are the decisions of all the person's cases with this insats: the
    first is the earliest-dated decision with outcome bifall or delvis dated on or
    before `as_of`.
    """
    beviljande = [
        event
        for event in beslut
        if event.type == "beslut" and event.utfall in BEVILJANDE_UTFALL and event.date <= as_of
    ]
    if not beviljande:
        return None
    return _fran(min(beviljande, key=lambda e: e.date))


def ar_med_insats_grupp(ar: int) -> str:
    """Return the bucket of `ar_med_insats`: `<1` (0), `1-2` (1 or 2), `3-5` (3 or 4),
    `>5` (5 or more), as GRANSKNING.md defines them (004 Tabell 4)."""
    if ar < 1:
        return "<1"
    if ar <= 2:
        return "1-2"
    if ar <= 4:
        return "3-5"
    return ">5"


# --- beslutstid --------------------------------------------------------------------------


def beslutstid_manader(beslut: Event) -> int | None:
    """Return the whole months from `from` to the day after `to`; None without `to`
    (`beslutstid`)."""
    if beslut.to_date is None:
        return None
    return hela_manader(_fran(beslut), beslut.to_date + timedelta(days=1))


def beslutstid_grupp(beslut: Event) -> str:
    """Return the bucket of `beslutstid`: `<6`, `6-11`, `1ar` (exactly 12 whole months),
    `>1ar` (more than 12), `tillsvidare` (no `to`)."""
    months = beslutstid_manader(beslut)
    if months is None:
        return "tillsvidare"
    if months < 6:
        return "<6"
    if months < 12:
        return "6-11"
    if months == 12:
        return "1ar"
    return ">1ar"


# --- aktuell_genomforandeplan, delaktighet_i_plan ---------------------------------------


def aktuell_plan(events: Iterable[Event], as_of: date) -> Event | None:
    """Return the latest genomforandeplan_klar or _reviderad within the 12 months before
    `as_of`, or None (`aktuell_genomforandeplan`).

    Reading: the window is inclusive at both ends, from the same day twelve months
    earlier (a plan from 31 May 2017 is current on 31 May 2018) up to `as_of`.
    """
    earliest = add_months(as_of, -12)
    plans = [e for e in events if e.type in PLANHANDELSER and earliest <= e.date <= as_of]
    # Of two on one day, the one given last is the latest.
    return max(reversed(plans), key=lambda e: e.date) if plans else None


def plan_med_delaktighet(events: Iterable[Event], as_of: date) -> bool:
    """Return whether the case has a current plan whose latest version records the
    individual's participation (`delaktighet_i_plan`: `delaktighet` true).

    The latest plan of a case with a current plan is the current plan itself.
    """
    plan = aktuell_plan(events, as_of)
    return plan is not None and plan.delaktighet is True


# --- strukturerat_uppdrag ----------------------------------------------------------------


def strukturerat_uppdrag(events: Iterable[Event], as_of: date) -> bool | None:
    """Return whether the latest `uppdrag_skickat` has `strukturerat` true; None when no
    uppdrag has been sent (`strukturerat_uppdrag`)."""
    uppdrag = [e for e in events if e.type == "uppdrag_skickat" and e.date <= as_of]
    if not uppdrag:
        return None
    # Stable: of two on one day the one given last is the latest.
    return max(reversed(uppdrag), key=lambda e: e.date).strukturerat is True


# --- langsta_glapp_daganteckningar -------------------------------------------------------


def langsta_glapp(events: Iterable[Event], as_of: date) -> int | None:
    """Return the most days between consecutive daily notes since execution, and from
    the last to `as_of`; None if the insats is not executed (`langsta_glapp_daganteckningar`).

    Readings: "since execution" is from the first `verkstallt` on or before `as_of`,
    and counts the notes dated on or after it; as written, the days from the execution
    to the first note are not a gap. A case executed without any note since has
    one gap: from the execution to `as_of`.
    """
    events = list(events)
    executed = min(
        (e.date for e in events if e.type == "verkstallt" and e.date <= as_of), default=None
    )
    if executed is None:
        return None
    notes = sorted(
        e.date for e in events if e.type == "daganteckning" and executed <= e.date <= as_of
    )
    if not notes:
        return (as_of - executed).days
    return max((later - earlier).days for earlier, later in pairwise([*notes, as_of]))


# --- barn_med_barnperspektiv -------------------------------------------------------------


def har_barnperspektiv(events: Iterable[Event], as_of: date) -> bool:
    """Return whether an `utredning` on or before `as_of` has `barnperspektiv` true
    (`barn_med_barnperspektiv`); any of the case's investigations counts."""
    return any(
        e.type == "utredning" and e.barnperspektiv is True and e.date <= as_of for e in events
    )


# --- One case ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fall:
    """One case as the audit reads it: its timeline and what the tables split by."""

    timeline: Timeline
    # "" when the case has none.
    verksamhetsomrade: str
    # kvinna | man
    kon: str
    minderariga_barn: int
    # From the person's decisions on every case with this insats (None: this case's own).
    forsta_beviljande: date | None = None


@dataclass(frozen=True)
class Fallresultat:
    """One case's part in every figure on one date, so a figure can list its cases."""

    case_id: str
    omrade: str
    kolumn: str | None
    minuter_per_vecka: int | None
    ar_med_insats: str
    beslutstid: str
    aktuell_plan: bool
    delaktighet: bool
    uppfoljd_i_tid: bool
    # None: no uppdrag sent.
    strukturerat: bool | None
    langsta_glapp: int | None
    med_barn: bool
    barnperspektiv: bool
    # GEN-IVO-3M instances overdue or reported on as_of: their statuses.
    ej_verkstallda: tuple[str, ...]
    # (rule, status) of every deadline instance due on or before as_of.
    bevakningar: tuple[tuple[str, str], ...]


def fallresultat(
    fall: Fall, as_of: date, defaults: LocalDefaults = DEFAULTS
) -> Fallresultat | None:
    """Return one case's part in the figures on `as_of`; None if it is not in the selection.

    `uppfoljd_i_tid`, `ej_verkstallda` and `bevakningar_i_tid` read the engine's
    statuses as of `as_of` (not the stored bevakningar, which are as of today).
    """
    events = [e for e in fall.timeline.events if e.date <= as_of]
    beslut = beslut_i_kraft(events, as_of)
    if beslut is None:
        return None
    evaluation = evaluate(fall.timeline, as_of, defaults)
    forsta = fall.forsta_beviljande or forsta_beviljande_fran(events, as_of) or _fran(beslut)
    return Fallresultat(
        case_id=fall.timeline.case_id,
        omrade=fall.verksamhetsomrade or EJ_ANGIVET,
        kolumn=KON_KOLUMN.get(fall.kon),
        # The latest decision is the decision in force (the one that puts the case in
        # the selection).
        minuter_per_vecka=beslut.minuter_per_vecka,
        ar_med_insats=ar_med_insats_grupp(hela_ar(forsta, as_of)),
        beslutstid=beslutstid_grupp(beslut),
        aktuell_plan=aktuell_plan(events, as_of) is not None,
        delaktighet=plan_med_delaktighet(events, as_of),
        uppfoljd_i_tid=not any(
            b.rule in UPPFOLJNINGSREGLER and b.status == OVERDUE for b in evaluation.bevakningar
        ),
        strukturerat=strukturerat_uppdrag(events, as_of),
        langsta_glapp=langsta_glapp(events, as_of),
        med_barn=fall.minderariga_barn > 0,
        barnperspektiv=har_barnperspektiv(events, as_of),
        ej_verkstallda=tuple(
            b.status
            for b in evaluation.bevakningar
            if b.rule == EJ_VERKSTALLT_REGEL and b.status in (OVERDUE, REPORTED)
        ),
        bevakningar=tuple((b.rule, b.status) for b in evaluation.bevakningar if b.due <= as_of),
    )


# --- The figures over a selection --------------------------------------------------------


def _tal(value: Decimal | Fraction | None) -> int | float | None:
    """Return a JSON number: an integer when whole, else a float of the decimal shown."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return float(value)


def _andel(antal: int, av: int) -> dict[str, int | float | None]:
    return {"antal": antal, "av": av, "andel": _tal(andel(antal, av))}


def omraden_i_ordning(omraden: Iterable[str], ordning: Sequence[str] = ()) -> list[str]:
    """Return the verksamhetsområden present, in `ordning`, then the others by name,
    with `ej_angivet` last."""
    present = set(omraden)
    known = [o for o in ordning if o in present]
    rest = sorted(present - set(ordning) - {EJ_ANGIVET})
    return [*known, *rest, *([EJ_ANGIVET] if EJ_ANGIVET in present else [])]


def _celler(
    resultat: Sequence[Fallresultat], omraden: Sequence[str]
) -> Iterator[tuple[str, str, list[Fallresultat]]]:
    """Yield (row, column, cases) for each verksamhetsområde × {kvinnor, man, totalt}
    and `totalt` × the same."""
    for omrade in [*omraden, TOTALT]:
        rad = [r for r in resultat if omrade in (TOTALT, r.omrade)]
        for kolumn in KOLUMNER:
            yield omrade, kolumn, [r for r in rad if kolumn in (TOTALT, r.kolumn)]


def berakna(
    fall: Iterable[Fall],
    as_of: date,
    *,
    omradesordning: Sequence[str] = (),
    defaults: LocalDefaults = DEFAULTS,
    progress: Callable[[int], None] | None = None,
) -> dict[str, object]:
    """Return every figure of GRANSKNING.md over the cases of `fall` in the selection.

    The result holds the figure keys of GRANSKNING.md's table as JSON-ready values;
    the caller adds `as_of` and `urval`. `progress` is told how many cases are done.
    """
    resultat = []
    for done, one in enumerate(fall, start=1):
        result = fallresultat(one, as_of, defaults)
        if result is not None:
            resultat.append(result)
        if progress is not None:
            progress(done)
    return sammanstall(resultat, omradesordning=omradesordning)


def sammanstall(
    resultat: Sequence[Fallresultat], *, omradesordning: Sequence[str] = ()
) -> dict[str, object]:
    """Return the figures of GRANSKNING.md from the cases' results (see `berakna`).

    Shapes: `antal_arenden` and `beviljad_tid_per_manad` are {område: {kvinnor, man,
    totalt}} with a `totalt` row, only for the områden present (a mean over no case is
    null); `beslutstid` is {område: {bucket: count}} with a `totalt` row; the shares are
    {antal, av, andel}; `langsta_glapp_daganteckningar` is {median, max, antal} in days
    over the executed cases; `barn_med_barnperspektiv` is {med_barn, med_barnperspektiv};
    `ej_verkstallda` is {antal, overdue, reported} counted in instances;
    `bevakningar_i_tid` is {rule: {met, met_late, overdue, reported, andel}}.
    `ar_med_insats` counts cases (one per person and insats in practice).
    """
    omraden = omraden_i_ordning((r.omrade for r in resultat), omradesordning)

    antal: dict[str, dict[str, int]] = {}
    tid: dict[str, dict[str, float | None]] = {}
    for omrade, kolumn, cell in _celler(resultat, omraden):
        antal.setdefault(omrade, {})[kolumn] = len(cell)
        minutes = [r.minuter_per_vecka for r in cell if r.minuter_per_vecka is not None]
        tid.setdefault(omrade, {})[kolumn] = _tal(medeltid_per_manad(minutes))

    ar = Counter(r.ar_med_insats for r in resultat)
    beslutstid = {
        omrade: {
            grupp: sum(
                1 for r in resultat if omrade in (TOTALT, r.omrade) and r.beslutstid == grupp
            )
            for grupp in BESLUTSTID_GRUPPER
        }
        for omrade in [*omraden, TOTALT]
    }

    med_plan = [r for r in resultat if r.aktuell_plan]
    med_uppdrag = [r for r in resultat if r.strukturerat is not None]
    glapp = [r.langsta_glapp for r in resultat if r.langsta_glapp is not None]
    med_barn = [r for r in resultat if r.med_barn]
    ej_verkstallda = [status for r in resultat for status in r.ej_verkstallda]

    per_regel: dict[str, Counter[str]] = {}
    for r in resultat:
        for rule, status in r.bevakningar:
            per_regel.setdefault(rule, Counter())[status] += 1
    bevakningar_i_tid: dict[str, dict[str, int | float | None]] = {}
    for rule in sorted(per_regel):
        counts = per_regel[rule]
        row: dict[str, int | float | None] = {s: counts[s] for s in AVGJORDA_STATUSAR}
        row["andel"] = _tal(andel(counts[MET], sum(counts[s] for s in AVGJORDA_STATUSAR)))
        bevakningar_i_tid[rule] = row

    return {
        "antal_arenden": antal,
        "beviljad_tid_per_manad": tid,
        "ar_med_insats": {grupp: ar[grupp] for grupp in AR_MED_INSATS_GRUPPER},
        "beslutstid": beslutstid,
        "aktuell_genomforandeplan": _andel(len(med_plan), len(resultat)),
        "delaktighet_i_plan": _andel(sum(r.delaktighet for r in med_plan), len(med_plan)),
        "uppfoljd_i_tid": _andel(sum(r.uppfoljd_i_tid for r in resultat), len(resultat)),
        "strukturerat_uppdrag": _andel(
            sum(r.strukturerat is True for r in med_uppdrag), len(med_uppdrag)
        ),
        "langsta_glapp_daganteckningar": {
            "median": _tal(median(glapp)),
            "max": max(glapp, default=None),
            "antal": len(glapp),
        },
        "barn_med_barnperspektiv": {
            "med_barn": len(med_barn),
            "med_barnperspektiv": sum(r.barnperspektiv for r in med_barn),
        },
        "ej_verkstallda": {
            "antal": len(ej_verkstallda),
            OVERDUE: ej_verkstallda.count(OVERDUE),
            REPORTED: ej_verkstallda.count(REPORTED),
        },
        "bevakningar_i_tid": bevakningar_i_tid,
    }
