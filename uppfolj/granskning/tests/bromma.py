"""A test city: Bromma's boendestöd on 31 May 2018, built to give back 004's Bromma tables.

Seed 004 (Aktgranskning, Bromma) reviewed twenty case files: ten in socialpsykiatri
and ten in funktionsnedsättning, five women and five men in each, ten at the
municipal Boendestöd Bromma and ten at Sympati (five of each area, five women and
five men at each provider). The rows below are those twenty cases, with minutes
chosen so that each cell of Tabell 3 rounds to the report's figure, first decisions
that fill Tabell 4's buckets and latest decisions that fill Tabell 5. The rest
follows the report's text where it gives numbers: eight of ten uppdrag structured in
socialpsykiatri and three in funktionsnedsättning; a current plan in twelve cases
(five of the eight without one in socialpsykiatri; four women, four men; two at the
municipal unit, five at Sympati, and one where the uppdrag went out less than a month
ago); participation recorded in the municipal unit's plans and in two of Sympati's;
four parents of minor children, one investigation that considers the children; daily
notes at every visit at the municipal unit, sporadic at Sympati with a gap of a year
and a half, and one Sympati case without notes.

Beside them, cases the selection must leave out: the same person's earlier, closed
case; a case closed, one expired, one not yet begun, one refused, another insats and
another district.

Run as a script to write the case list: `python -m uppfolj.granskning.tests.bromma FILE`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from uppfolj.domain.calendar import add_months

AS_OF = date(2018, 5, 31)
DISTRIKT = "Bromma"
KOMMUNAL = "Boendestöd Bromma"
SYMPATI = "Sympati"
SP = "socialpsykiatri"
FN = "funktionsnedsattning"

# Two sets of gaps in the daily notes: every visit (fortnightly) at the municipal unit,
# and the longest at Sympati, from 1 September 2016 to 1 March 2018.
VARJE_BESOK = 14
GLAPP_FRAN, GLAPP_TILL = date(2016, 9, 1), date(2018, 3, 1)


@dataclass(frozen=True)
class Rad:
    """One reviewed case."""

    nr: int
    omrade: str
    kvinna: bool
    utforare: str
    minuter: int
    # The `from` date of the first decision granting boendestöd on this case.
    forsta: str
    # The decision in force on AS_OF.
    fran: str
    till: str
    strukturerat: bool
    # A plan within the twelve months before AS_OF, and whether it records participation.
    aktuell_plan: bool
    delaktighet: bool
    barn: int = 0
    barnperspektiv: bool = False
    # Days between daily notes; 0: none; -1: Sympati's gap of a year and a half.
    anteckningar: int = VARJE_BESOK
    # An older plan, outside the twelve months: (date, participation).
    gammal_plan: tuple[str, bool] | None = None
    utfall: str = "bifall"


RADER: tuple[Rad, ...] = (
    # Socialpsykiatri, Boendestöd Bromma: women 90, 150, 120; men 60, 90.
    Rad(1, SP, True, KOMMUNAL, 90, "2011-03-01", "2017-12-01", "2018-05-31", True, True, True,
        barn=1, barnperspektiv=True),
    Rad(2, SP, True, KOMMUNAL, 150, "2016-09-01", "2018-03-01", "2018-07-31", True, True, True,
        barn=1),
    Rad(3, SP, True, KOMMUNAL, 120, "2012-02-01", "2017-10-01", "2018-06-30", True, False, False,
        gammal_plan=("2016-11-01", True)),
    Rad(4, SP, False, KOMMUNAL, 60, "2017-08-01", "2018-02-01", "2018-07-31", True, True, True),
    Rad(5, SP, False, KOMMUNAL, 90, "2010-05-01", "2017-11-01", "2018-08-31", False, False, False,
        gammal_plan=("2017-04-01", False)),
    # Socialpsykiatri, Sympati: women 105, 130; men 75, 120, 70.
    Rad(6, SP, True, SYMPATI, 105, "2015-10-01", "2018-04-01", "2018-06-30", True, False, False,
        anteckningar=35),
    Rad(7, SP, True, SYMPATI, 130, "2013-01-15", "2018-01-01", "2018-09-30", True, True, False,
        anteckningar=42),
    Rad(8, SP, False, SYMPATI, 75, "2016-03-01", "2017-12-01", "2018-08-31", True, False, False,
        anteckningar=-1),
    Rad(9, SP, False, SYMPATI, 120, "2014-02-01", "2018-01-01", "2018-06-30", False, True, False,
        anteckningar=28),
    # The uppdrag went out less than a month ago: executed, no plan and no notes yet.
    Rad(10, SP, False, SYMPATI, 70, "2018-05-02", "2018-05-02", "2018-10-31", True, False, False,
        anteckningar=0),
    # Funktionsnedsättning, Boendestöd Bromma: women 120, 105; men 180, 120, 150.
    Rad(11, FN, True, KOMMUNAL, 120, "2012-09-01", "2017-09-01", "2018-08-31", True, True, True),
    Rad(12, FN, True, KOMMUNAL, 105, "2017-01-15", "2018-01-01", "2018-12-31", False, True, True,
        barn=1),
    # The person's first decision was on an earlier case (2009), closed in 2014.
    Rad(13, FN, False, KOMMUNAL, 180, "2016-01-01", "2017-06-01", "2018-05-31", False, True, True),
    Rad(14, FN, False, KOMMUNAL, 120, "2016-04-01", "2018-02-01", "2018-07-31", True, False, False,
        barn=1, gammal_plan=("2017-03-01", False)),
    Rad(15, FN, False, KOMMUNAL, 150, "2011-06-01", "2017-12-01", "2018-09-30", False, True, True),
    # Funktionsnedsättning, Sympati: women 90, 150, 115; men 165, 135.
    Rad(16, FN, True, SYMPATI, 90, "2016-11-01", "2017-11-01", "2018-10-31", False, True, True,
        anteckningar=49),
    Rad(17, FN, True, SYMPATI, 150, "2012-01-15", "2018-03-15", "2018-08-31", False, False, False,
        anteckningar=56),
    Rad(18, FN, True, SYMPATI, 115, "2014-08-01", "2018-01-01", "2018-09-30", False, False, False,
        anteckningar=63),
    Rad(19, FN, False, SYMPATI, 165, "2017-10-01", "2017-10-01", "2018-07-31", True, True, False,
        anteckningar=70),
    Rad(20, FN, False, SYMPATI, 135, "2010-02-01", "2018-01-01", "2018-06-30", False, True, True,
        anteckningar=84, utfall="delvis"),
)  # fmt: skip

# Case 13's person had boendestöd from 1 November 2009 on an earlier case.
TIDIGARE_FORSTA = date(2009, 11, 1)

# What the rows give for the figures GRANSKNING.md's example leaves out.
OVRIGA = {
    "antal_arenden": {
        SP: {"kvinnor": 5, "man": 5, "totalt": 10},
        FN: {"kvinnor": 5, "man": 5, "totalt": 10},
        "totalt": {"kvinnor": 10, "man": 10, "totalt": 20},
    },
    "aktuell_genomforandeplan": {"antal": 12, "av": 20, "andel": 0.6},
    "delaktighet_i_plan": {"antal": 9, "av": 12, "andel": 0.75},
    "uppfoljd_i_tid": {"antal": 20, "av": 20, "andel": 1.0},
    "strukturerat_uppdrag": {"antal": 11, "av": 20, "andel": 0.55},
    # Ten cases at 14 days, then 17 (case 10: executed 14 May, no note), 28, 35, … 84, 546.
    "langsta_glapp_daganteckningar": {"median": 15.5, "max": 546, "antal": 20},
    "barn_med_barnperspektiv": {"med_barn": 4, "med_barnperspektiv": 1},
    "ej_verkstallda": {"antal": 0, "overdue": 0, "reported": 0},
}


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def _person(nr: int, kvinna: bool, barn: int = 0, fodd: date | None = None) -> dict[str, Any]:
    # Imported here so that the script can set Django up first.
    from uppfolj.arenden.demo import make_personnummer

    born = fodd or date(1960 + nr, 1 + nr % 12, 1 + nr % 27)
    return {
        "personnummer": make_personnummer(born, 200 + 2 * nr, kvinna),
        "namn": f"{'Karin' if kvinna else 'Lars'} Bromma{nr:02d}",
        "kon": "kvinna" if kvinna else "man",
        "fodd": born.isoformat(),
        "minderariga_barn": barn,
    }


def _e(day: date, typ: str, **fields: Any) -> dict[str, Any]:
    return {"date": day.isoformat(), "type": typ, **fields}


def _beslut(
    dated: date, fran: date, till: date | None, minuter: int, utfall: str = "bifall"
) -> dict[str, Any]:
    return _e(
        dated,
        "beslut",
        utfall=utfall,
        **{"from": fran.isoformat(), "to": till.isoformat() if till else None},
        minuter_per_vecka=minuter,
        aterkallelseforbehall=False,
    )


def _start(
    forsta: date, minuter: int, rad: Rad | None, till: date | None, verkstallt: date | None = None
) -> list[dict[str, Any]]:
    """The first steps: investigation, decision, uppdrag, contact, execution, first plan."""
    verkstallt = verkstallt or forsta
    barn = rad is not None and rad.barn > 0
    events = [
        _e(
            forsta - timedelta(days=21),
            "utredning",
            barnperspektiv=bool(rad and rad.barnperspektiv),
        )
        if barn
        else _e(forsta - timedelta(days=21), "utredning"),
        _beslut(forsta - timedelta(days=7), forsta, till, minuter),
        _e(
            verkstallt - timedelta(days=7),
            "uppdrag_skickat",
            # Sympati's case 7 had its uppdrag restructured on the latest decision.
            strukturerat=bool(rad and rad.strukturerat and rad.nr != 7),
        ),
        _e(verkstallt - timedelta(days=6), "kontakt_tagen"),
        _e(verkstallt, "verkstallt", grad="helt"),
    ]
    return events


def _case(rad: Rad) -> dict[str, Any]:
    forsta, fran, till = d(rad.forsta), d(rad.fran), d(rad.till)
    verkstallt = date(2018, 5, 14) if rad.nr == 10 else forsta
    # Yearly decisions from the first up to the one in force, each made two weeks ahead.
    perioder = []
    start = forsta
    while start < fran:
        end = min(add_months(start, 12) - timedelta(days=1), fran - timedelta(days=1))
        perioder.append((start, end))
        start = end + timedelta(days=1)
    events = _start(forsta, rad.minuter, rad, perioder[0][1] if perioder else till, verkstallt)
    if rad.nr == 10:
        # Decided a week before it applies, sent to the provider less than a month ago.
        events[1] = _beslut(date(2018, 4, 25), fran, till, rad.minuter)
    for start, end in perioder[1:]:
        events.append(_beslut(start - timedelta(days=14), start, end, rad.minuter))
    if perioder:
        events.append(_beslut(fran - timedelta(days=14), fran, till, rad.minuter, rad.utfall))
    if rad.nr == 7:
        events.append(_e(fran, "uppdrag_skickat", strukturerat=True))
    if rad.nr == 15:
        # An application for more time, refused: the decision in force stands.
        events += [
            _e(date(2018, 2, 1), "ansokan"),
            _beslut(date(2018, 2, 15), date(2018, 2, 15), None, 240, "avslag"),
        ]

    if rad.nr != 10:
        first_plan = verkstallt + timedelta(days=14)
        current_is_first = first_plan >= add_months(AS_OF, -12)
        events.append(
            _e(
                first_plan,
                "genomforandeplan_klar",
                delaktighet=rad.delaktighet if current_is_first else rad.utforare == KOMMUNAL,
            )
        )
        if rad.gammal_plan:
            events.append(
                _e(
                    d(rad.gammal_plan[0]),
                    "genomforandeplan_reviderad",
                    delaktighet=rad.gammal_plan[1],
                )
            )
        if rad.aktuell_plan and not current_is_first:
            events.append(
                _e(date(2018, 1, 15), "genomforandeplan_reviderad", delaktighet=rad.delaktighet)
            )
    events += [_e(day, "daganteckning") for day in _anteckningar(rad.anteckningar, verkstallt)]
    return {
        "case_id": f"BROMMA-{rad.nr:02d}",
        "insats": "boendestod",
        "distrikt": DISTRIKT,
        "verksamhetsomrade": rad.omrade,
        "utforare": rad.utforare,
        "person": _person(rad.nr, rad.kvinna, rad.barn),
        "events": events,
    }


def _var(interval: int, start: date, end: date) -> list[date]:
    days = []
    day = start
    while day <= end:
        days.append(day)
        day += timedelta(days=interval)
    return days


def _anteckningar(interval: int, verkstallt: date) -> list[date]:
    if interval == 0:
        return []
    if interval == -1:
        before = _var(30, verkstallt, GLAPP_FRAN)
        if before[-1] != GLAPP_FRAN:
            before.append(GLAPP_FRAN)
        return [*before, *_var(30, GLAPP_TILL, AS_OF)]
    return _var(interval, verkstallt, AS_OF)


def _utanfor() -> list[dict[str, Any]]:
    """Cases in the city that the selection Bromma, boendestöd, 31 May 2018 leaves out."""

    def case(nr: int, events: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        return {
            "case_id": f"UTANFOR-{nr:02d}",
            "insats": "boendestod",
            "distrikt": DISTRIKT,
            "verksamhetsomrade": SP,
            "utforare": KOMMUNAL,
            "person": _person(40 + nr, nr % 2 == 0),
            "events": events,
            **extra,
        }

    rad13 = next(r for r in RADER if r.nr == 13)
    tidigare = {
        **case(0, []),
        "case_id": "BROMMA-13-TIDIGARE",
        "verksamhetsomrade": FN,
        "person": _person(13, False),
        "events": [
            *_start(TIDIGARE_FORSTA, 90, None, date(2014, 6, 30)),
            _e(TIDIGARE_FORSTA + timedelta(days=14), "genomforandeplan_klar"),
            _e(date(2014, 6, 30), "avslut"),
        ],
    }
    assert rad13.forsta > "2014-06-30"
    return [
        tidigare,
        # Closed a month before.
        case(1, [*_start(date(2017, 10, 1), 120, None, date(2018, 9, 30)),
                 _e(date(2018, 4, 30), "avslut")]),
        # The decision ran out on 31 March and was not renewed.
        case(2, _start(date(2017, 4, 1), 120, None, date(2018, 3, 31))),
        # Granted from 1 June: not in force on 31 May.
        case(3, [_e(date(2018, 5, 1), "ansokan"),
                 _beslut(date(2018, 5, 20), date(2018, 6, 1), date(2018, 11, 30), 120)]),
        # Refused.
        case(4, [_e(date(2018, 3, 1), "ansokan"),
                 _beslut(date(2018, 3, 20), date(2018, 4, 1), None, 120, "avslag")]),
        # Another insats.
        case(5, _start(date(2017, 11, 1), 0, None, date(2018, 10, 31)),
             insats="socialt_boende_med_stod", boendeform="lagenhetsboende"),
        # Another district.
        case(6, _start(date(2017, 11, 1), 120, None, date(2018, 10, 31)),
             distrikt="Hässelby-Vällingby"),
    ]  # fmt: skip


def bromma_cases() -> list[dict[str, Any]]:
    """Return the test city's cases in the format of TIMELINE.md."""
    return [*(_case(rad) for rad in RADER), *_utanfor()]


def write_bromma(path: Path) -> Path:
    """Write the test city's case list to `path` (JSON) and return the path."""
    path.write_text(json.dumps(bromma_cases(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppfolj.settings")
    django.setup()
    print(write_bromma(Path(sys.argv[1] if len(sys.argv) > 1 else "bromma.json")))
