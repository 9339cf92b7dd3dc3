"""The audit figures of GRANSKNING.md (seed 004's tables, computed live), in plain Python.

Every function names the GRANSKNING.md key it implements; the definitions there are
binding, and where they leave a choice the docstring says which reading is taken.
The caller passes the cases (their timelines and the few attributes the audit splits
by) and the evaluation date `as_of`; nothing here reads a clock or a database.
Events dated after `as_of` do not exist as of that date and are ignored throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

from ..calendar import add_months
from ..engine import MET, MET_LATE, OVERDUE, REPORTED
from ..tid import kontinuitet_fran
from ..timeline import BEVILJANDE_UTFALL, Event

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


def beslut_fran(beslut: Event) -> date:
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
            and beslut_fran(event) <= as_of
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
    return beslut_fran(min(beviljande, key=lambda e: e.date))


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
    return hela_manader(beslut_fran(beslut), beslut.to_date + timedelta(days=1))


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


# --- andrat_uppdrag -----------------------------------------------------------------------


def uppdrag_andringar(events: Iterable[Event], beslut: Event, as_of: date) -> int:
    """Return the changes to the uppdrag during the decision in force (`andrat_uppdrag`).

    Definition (RULES.md names the indicator, GRANSKNING.md does not define it): counted
    from the day the decision in force was made up to `as_of`, every `uppdrag_skickat`
    after the first one sent in that time, and every `stodniva_bedomd` that set a level
    other than the one in force before it (the level of the latest earlier
    `uppdrag_skickat` or `stodniva_bedomd`, whenever dated; a first assessment with no
    level before it is not a change).
    """
    changes = 0
    sent_under_decision = False
    level: str | None = None
    for event in sorted(events, key=lambda e: e.date):
        if event.date > as_of:
            break
        under_decision = event.date >= beslut.date
        if event.type == "uppdrag_skickat" and under_decision:
            changes += sent_under_decision
            sent_under_decision = True
        elif event.type == "stodniva_bedomd" and under_decision:
            changes += level is not None and event.niva is not None and event.niva != level
        if event.assessed_level is not None:
            level = event.assessed_level
    return changes


# --- avbokningar -------------------------------------------------------------------------

# 004: "Om en enskild avbokat boendestödet tre gånger kontaktas handläggare."
AVBOKNINGAR_KONTAKT = 3


def avbokningar_under_beslutet(
    avbokningar: Iterable[date], beslut: Event, as_of: date
) -> list[date]:
    """Return the cancellations from the day the decision in force was made to `as_of`,
    oldest first (`avbokningar`)."""
    return sorted(d for d in avbokningar if beslut.date <= d <= as_of)


def handlaggare_kontaktad(
    events: Iterable[Event], avbokningar: Sequence[date], as_of: date
) -> bool | None:
    """Return whether the social worker was told of the cancellations: a
    `handlaggare_kontaktad` event on or after the day of the third cancellation (and by
    `as_of`); None when there are fewer than three (`avbokningar`)."""
    if len(avbokningar) < AVBOKNINGAR_KONTAKT:
        return None
    tredje = avbokningar[AVBOKNINGAR_KONTAKT - 1]
    return any(e.type == "handlaggare_kontaktad" and tredje <= e.date <= as_of for e in events)


# --- besok_utanfor_kontorstid, personal_per_individ -------------------------------------


def besok_fran(as_of: date) -> date:
    """Return the first day of the visits counted on `as_of` (`besok_utanfor_kontorstid`,
    `personal_per_individ`): the three months up to `as_of` that GEN-KONTINUITET counts
    staff over, so the figure and the case's continuity warning agree."""
    return kontinuitet_fran(as_of)
