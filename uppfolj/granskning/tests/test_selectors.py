"""Each figure of GRANSKNING.md on a hand-made set of cases with a known answer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from uppfolj.arenden.models import Arende, Behorighet
from uppfolj.granskning.selectors import granskning_berakna, urval_arenden

from .conftest import Importera, beslut, e, personnummer_for

pytestmark = pytest.mark.django_db

AS_OF = date(2018, 5, 31)


@pytest.fixture(autouse=True, params=["motor", "aggregat"])
def vag(request: pytest.FixtureRequest, time_machine: Any) -> str:
    """Run every test on both paths: with the clock on AS_OF the cases are imported (and
    their bevakningar stored) on that day and the figures come from database
    aggregation; otherwise AS_OF is a past date and they come from the engine."""
    if request.param == "aggregat":
        time_machine.move_to("2018-05-31 12:00 +02:00", tick=False)
    return str(request.param)


def figures(as_of: date = AS_OF, user: Any = None, **urval: Any) -> dict[str, Any]:
    cases = urval_arenden(user_or_none=user, as_of=as_of, **urval)
    return granskning_berakna(cases_queryset=cases, as_of=as_of, urval=urval)


def executed(start: str = "2018-01-08", **decision: Any) -> list[dict]:
    """A decision in force on AS_OF, its uppdrag, contact and execution the same week."""
    return [
        beslut(start, **decision),
        e(start, "uppdrag_skickat"),
        e(start, "kontakt_tagen"),
        e(start, "verkstallt", grad="helt"),
    ]


# --- Selection ---------------------------------------------------------------------------


def test_selection_decision_in_force_on_as_of(importera: Importera) -> None:
    in_force = importera(beslut("2017-12-20", "2018-01-01", "2018-05-31"))
    closed = importera(beslut("2017-12-20", "2018-01-01", "2018-12-31"), e("2018-05-31", "avslut"))
    expired = importera(beslut("2017-10-01", "2017-10-01", "2018-05-30"))
    not_begun = importera(beslut("2018-05-20", "2018-06-01", "2018-12-31"))
    refused = importera(beslut("2018-03-01", utfall="avslag"))
    later_refusal = importera(beslut("2017-01-01"), beslut("2018-03-01", utfall="avslag"))
    partly = importera(beslut("2018-03-01", utfall="delvis"))

    cases = urval_arenden(user_or_none=None, as_of=AS_OF)
    # The query leaves out what it can decide alone; the definition decides the rest.
    assert set(cases.values_list("arende_id", flat=True)) == {
        in_force,
        expired,
        not_begun,
        refused,
        later_refusal,
        partly,
    }
    result = granskning_berakna(cases_queryset=cases, as_of=AS_OF, urval={})
    assert result["antal_arenden"]["totalt"]["totalt"] == 3
    assert closed not in set(cases.values_list("arende_id", flat=True))


def test_selection_by_attributes(importera: Importera) -> None:
    importera(*executed(), kon="kvinna", omrade="socialpsykiatri")
    importera(*executed(), kon="man", omrade="funktionsnedsattning", utforare="Sympati")
    importera(*executed(), distrikt="Hässelby-Vällingby")
    importera(*executed(), insats="socialt_boende_med_stod", boendeform="lagenhetsboende")

    def antal(**urval: Any) -> int:
        return int(figures(**urval)["antal_arenden"]["totalt"]["totalt"])

    assert antal() == 3
    assert antal(distrikt="Bromma") == 2
    assert antal(verksamhetsomrade="funktionsnedsattning") == 1
    assert antal(utforare="Sympati") == 1
    assert antal(kon="kvinna") == 2
    assert antal(insats="socialt_boende_med_stod") == 1
    assert antal(distrikt="Bromma", kon="man", utforare="Boendestöd Bromma") == 0


def test_selection_starts_from_what_the_user_may_see(importera: Importera, cast: Any) -> None:
    importera(*executed())
    importera(*executed(), skyddad=True)
    granted = importera(*executed(), skyddad=True)
    importera(*executed(), distrikt="Hässelby-Vällingby")
    Behorighet.objects.create(
        arende=Arende.objects.get(arende_id=granted),
        anvandare=cast["inspektor"],
        beviljad_av=cast["enhetschef"],
    )

    def antal(user: Any) -> int:
        return int(figures(user=user)["antal_arenden"]["totalt"]["totalt"])

    assert antal(None) == 4
    # Every district, and of the protected cases only the one granted.
    assert antal(cast["inspektor"]) == 3
    assert antal(cast["socialsekreterare"]) == 1
    assert antal(cast["boendestodjare_annan"]) == 0
    assert antal(cast["administrator"]) == 0


# --- antal_arenden, beviljad_tid_per_manad -----------------------------------------------


def test_antal_and_beviljad_tid_per_area_and_sex(importera: Importera) -> None:
    importera(*executed(minuter_per_vecka=60), kon="kvinna", omrade="socialpsykiatri")
    importera(*executed(minuter_per_vecka=75), kon="kvinna", omrade="socialpsykiatri")
    importera(*executed(minuter_per_vecka=180), kon="man", omrade="funktionsnedsattning")
    importera(*executed(minuter_per_vecka=None), kon="man", omrade="funktionsnedsattning")
    importera(*executed(minuter_per_vecka=90), kon="man", omrade=None)
    result = figures()
    assert result["antal_arenden"] == {
        "socialpsykiatri": {"kvinnor": 2, "man": 0, "totalt": 2},
        "funktionsnedsattning": {"kvinnor": 0, "man": 2, "totalt": 2},
        "ej_angivet": {"kvinnor": 0, "man": 1, "totalt": 1},
        "totalt": {"kvinnor": 2, "man": 3, "totalt": 5},
    }
    # 60 and 75 min: 4.875 h → 4.9; 180 min: 13.0 (the case without minutes rests on none);
    # 90 min: 6.5; men 13.0 and 6.5: 9.75 → 9.8; all four: (60+75+180+90)·13/180/4 = 7.3125.
    assert result["beviljad_tid_per_manad"] == {
        "socialpsykiatri": {"kvinnor": 4.9, "man": None, "totalt": 4.9},
        "funktionsnedsattning": {"kvinnor": None, "man": 13.0, "totalt": 13.0},
        "ej_angivet": {"kvinnor": None, "man": 6.5, "totalt": 6.5},
        "totalt": {"kvinnor": 4.9, "man": 9.8, "totalt": 7.3},
    }


def test_beviljad_tid_reads_the_decision_in_force(importera: Importera) -> None:
    importera(
        beslut("2017-06-01", "2017-06-01", "2018-06-30", minuter_per_vecka=60),
        beslut("2018-03-01", "2018-03-01", "2018-08-31", minuter_per_vecka=180),
        # Decided in advance for the next period: not yet the decision in force.
        beslut("2018-05-15", "2018-09-01", "2019-02-28", minuter_per_vecka=30),
    )
    assert figures()["beviljad_tid_per_manad"]["totalt"]["totalt"] == 13.0


# --- ar_med_insats -----------------------------------------------------------------------


def test_ar_med_insats_from_the_person_first_decision_on_any_case(importera: Importera) -> None:
    person = personnummer_for(900, "man")
    importera(beslut("2010-01-01", "2010-01-01", "2013-12-31"), e("2013-12-31", "avslut"),
              personnummer=person, kon="man")  # fmt: skip
    importera(*executed("2016-02-01"), personnummer=person, kon="man")
    # Another insats of the same person does not count.
    other = personnummer_for(901)
    importera(beslut("2009-01-01"), personnummer=other, insats="socialt_boende_med_stod",
              boendeform="lagenhetsboende")  # fmt: skip
    importera(*executed("2017-06-01"), personnummer=other)
    importera(*executed("2018-01-08"))
    # Refused first: the years count from the first grant.
    importera(beslut("2012-01-01", utfall="avslag"), *executed("2015-06-01"))
    assert figures()["ar_med_insats"] == {"<1": 2, "1-2": 1, "3-5": 0, ">5": 1}


# --- beslutstid --------------------------------------------------------------------------


def test_beslutstid_of_the_decision_in_force(importera: Importera) -> None:
    importera(beslut("2017-12-20", "2018-01-01", "2018-12-31"))  # 12 months
    importera(beslut("2018-03-01", "2018-03-01", "2018-08-30"))  # 5 months 30 days
    importera(beslut("2017-12-20", "2018-01-01", "2018-06-30"), omrade="funktionsnedsattning")
    importera(beslut("2017-05-20", "2017-06-01", "2018-07-31"), omrade="funktionsnedsattning")
    importera(beslut("2016-01-01"), omrade="funktionsnedsattning")
    assert figures()["beslutstid"] == {
        "socialpsykiatri": {"<6": 1, "6-11": 0, "1ar": 1, ">1ar": 0, "tillsvidare": 0},
        "funktionsnedsattning": {"<6": 0, "6-11": 1, "1ar": 0, ">1ar": 1, "tillsvidare": 1},
        "totalt": {"<6": 1, "6-11": 1, "1ar": 1, ">1ar": 1, "tillsvidare": 1},
    }


# --- aktuell_genomforandeplan, delaktighet_i_plan ----------------------------------------


def test_aktuell_genomforandeplan_and_delaktighet(importera: Importera) -> None:
    start = executed("2016-01-11")
    importera(*start, e("2018-02-01", "genomforandeplan_reviderad", delaktighet=True))
    importera(*start, e("2017-05-31", "genomforandeplan_klar", delaktighet=False))
    importera(*start, e("2017-05-30", "genomforandeplan_klar", delaktighet=True))
    importera(*start)
    result = figures()
    assert result["aktuell_genomforandeplan"] == {"antal": 2, "av": 4, "andel": 0.5}
    assert result["delaktighet_i_plan"] == {"antal": 1, "av": 2, "andel": 0.5}
    # A year earlier the third plan was current too.
    earlier = figures(as_of=date(2017, 6, 1))
    assert earlier["aktuell_genomforandeplan"] == {"antal": 2, "av": 4, "andel": 0.5}
    assert earlier["delaktighet_i_plan"] == {"antal": 1, "av": 2, "andel": 0.5}


# --- uppfoljd_i_tid ----------------------------------------------------------------------


def test_uppfoljd_i_tid_SBMS_UPPF_3M_and_GEN_TAT_UPPF_3M(importera: Importera) -> None:
    sbms = {"insats": "socialt_boende_med_stod", "boendeform": "lagenhetsboende"}
    start = executed("2017-11-01")
    # Followed up every third month.
    importera(*start, e("2018-01-31", "uppfoljning"), e("2018-04-30", "uppfoljning"), **sbms)
    # Last followed up in January: the follow-up due 30 April is overdue.
    importera(*start, e("2018-01-30", "uppfoljning"), **sbms)
    # Late once, then in time.
    importera(*start, e("2018-02-15", "uppfoljning"), e("2018-05-10", "uppfoljning"), **sbms)
    assert figures(insats="socialt_boende_med_stod")["uppfoljd_i_tid"] == {
        "antal": 2, "av": 3, "andel": 0.667,
    }  # fmt: skip
    # On 30 April the second was still open, not overdue.
    assert figures(as_of=date(2018, 4, 30), insats="socialt_boende_med_stod")["uppfoljd_i_tid"] == {
        "antal": 3,
        "av": 3,
        "andel": 1.0,
    }

    # Boendestöd with tätare uppföljning: GEN-TAT-UPPF-3M.
    importera(*executed("2018-01-08"), tatare_uppfoljning=True)
    importera(*executed("2018-01-08"), e("2018-04-02", "uppfoljning"), tatare_uppfoljning=True)
    importera(*executed("2018-01-08"))
    assert figures()["uppfoljd_i_tid"] == {"antal": 2, "av": 3, "andel": 0.667}


def test_uppfoljd_i_tid_GEN_BESLUT_UTGAR(importera: Importera) -> None:
    # A decision until further notice made before a fixed-term one that ran out unrenewed:
    # the fixed-term decision's GEN-BESLUT-UTGAR is overdue.
    importera(beslut("2016-01-01"), beslut("2017-01-01", "2017-01-01", "2017-06-30"))
    importera(beslut("2016-01-01"))
    assert figures()["uppfoljd_i_tid"] == {"antal": 1, "av": 2, "andel": 0.5}


# --- strukturerat_uppdrag ----------------------------------------------------------------


def test_strukturerat_uppdrag_the_latest(importera: Importera) -> None:
    importera(beslut("2018-01-01"), e("2018-01-02", "uppdrag_skickat", strukturerat=True))
    importera(
        beslut("2018-01-01"),
        e("2018-01-02", "uppdrag_skickat", strukturerat=True),
        e("2018-03-01", "uppdrag_skickat", strukturerat=False),
    )
    importera(beslut("2018-01-01"), e("2018-01-02", "uppdrag_skickat"))
    importera(beslut("2018-01-01"))
    assert figures()["strukturerat_uppdrag"] == {"antal": 1, "av": 3, "andel": 0.333}


# --- langsta_glapp_daganteckningar -------------------------------------------------------


def test_langsta_glapp_median_and_max(importera: Importera) -> None:
    importera(
        *executed("2018-03-01"),
        *(e(day, "daganteckning") for day in ("2018-03-01", "2018-03-08", "2018-03-30")),
        e("2018-05-20", "daganteckning"),
    )  # 51 days, 30 March to 20 May
    importera(*executed("2018-05-01"))  # no note: 30 days to 31 May
    importera(
        *executed("2018-01-01"),
        *(e(f"2018-{m:02d}-{day:02d}", "daganteckning") for m in (1, 2, 3, 4, 5)
          for day in (1, 8, 15, 22)),
        e("2018-05-29", "daganteckning"),
    )  # fmt: skip
    importera(beslut("2018-05-01"), e("2018-05-02", "uppdrag_skickat"))  # not executed
    assert figures()["langsta_glapp_daganteckningar"] == {"median": 30, "max": 51, "antal": 3}


def test_langsta_glapp_median_of_an_even_count(importera: Importera) -> None:
    importera(*executed("2018-05-01"))  # 30
    importera(*executed("2018-05-10"))  # 21
    assert figures()["langsta_glapp_daganteckningar"] == {"median": 25.5, "max": 30, "antal": 2}


# --- barn_med_barnperspektiv -------------------------------------------------------------


def test_barn_med_barnperspektiv(importera: Importera) -> None:
    importera(e("2017-12-01", "utredning", barnperspektiv=True), beslut("2018-01-01"), barn=2)
    importera(e("2017-12-01", "utredning", barnperspektiv=False), beslut("2018-01-01"), barn=1)
    importera(beslut("2018-01-01"), barn=1)
    importera(e("2017-12-01", "utredning", barnperspektiv=True), beslut("2018-01-01"))
    # The child perspective recorded after the evaluation date does not count.
    importera(beslut("2018-01-01"), e("2018-06-10", "utredning", barnperspektiv=True), barn=1)
    assert figures()["barn_med_barnperspektiv"] == {"med_barn": 4, "med_barnperspektiv": 1}


# --- ej_verkstallda ----------------------------------------------------------------------


def test_ej_verkstallda_GEN_IVO_3M_overdue_or_reported(importera: Importera) -> None:
    importera(beslut("2018-01-10"), e("2018-01-11", "uppdrag_skickat"))  # due 10 April: overdue
    importera(beslut("2017-11-01"), e("2018-02-15", "ivo_rapport"))  # due 1 February: reported
    importera(*executed("2018-01-08"))  # met
    importera(beslut("2018-04-01"))  # due 1 July: open
    result = figures()
    assert result["ej_verkstallda"] == {"antal": 2, "overdue": 1, "reported": 1}
    # On 5 April the first was still within its three months.
    earlier = figures(as_of=date(2018, 4, 5))
    assert earlier["ej_verkstallda"] == {"antal": 1, "overdue": 0, "reported": 1}


# --- bevakningar_i_tid -------------------------------------------------------------------


def test_bevakningar_i_tid_per_rule(importera: Importera) -> None:
    # Uppdrag on Monday 5 March: contact due Thursday 8 March.
    importera(
        beslut("2018-03-01"), e("2018-03-05", "uppdrag_skickat"), e("2018-03-06", "kontakt_tagen")
    )
    importera(
        beslut("2018-03-01"), e("2018-03-05", "uppdrag_skickat"), e("2018-03-12", "kontakt_tagen")
    )
    # Wednesday 2 May: due Monday 7 May, never met.
    importera(beslut("2018-03-01"), e("2018-05-02", "uppdrag_skickat"))
    # Tuesday 29 May: due 1 June, after the evaluation date.
    importera(
        beslut("2018-03-01"), e("2018-05-29", "uppdrag_skickat"), e("2018-05-30", "kontakt_tagen")
    )
    result = figures()["bevakningar_i_tid"]
    assert result == {
        "BS-KONTAKT-3VD": {"met": 1, "met_late": 1, "overdue": 1, "reported": 0, "andel": 0.333},
        # Uppdrag of 5 March: execution due 5 April; the others fall due in June.
        "BS-VERKST-1M": {"met": 0, "met_late": 0, "overdue": 2, "reported": 0, "andel": 0.0},
    }


# --- Queries -----------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_cases(importera: Importera, vag: str) -> None:
    def queries() -> int:
        cases = urval_arenden(user_or_none=None, as_of=AS_OF, distrikt="Bromma")
        with CaptureQueriesContext(connection) as captured:
            granskning_berakna(cases_queryset=cases, as_of=AS_OF, urval={})
        return len(captured)

    importera(*executed(), e("2018-01-20", "daganteckning"))
    few = queries()
    for index in range(8):
        importera(
            e("2017-12-01", "utredning", barnperspektiv=True),
            *executed(f"2018-01-{10 + index}"),
            e("2018-02-01", "genomforandeplan_klar", delaktighet=True),
            e("2018-03-01", "daganteckning"),
            kon="man" if index % 2 else "kvinna",
            omrade="funktionsnedsattning" if index % 3 else "socialpsykiatri",
            barn=index % 2,
        )
    # Engine: cases, events, first decisions, cancellations, visits, staff per case.
    # Aggregation: the cases' attributes with their stored facts (no pass over the
    # events: the import stored them), the first decisions, the cancellations, the
    # overdue follow-ups, visits, staff, the grouped bevakningar (and the contacts after
    # a third cancellation, when there is one).
    assert queries() == few == (6 if vag == "motor" else 7)
