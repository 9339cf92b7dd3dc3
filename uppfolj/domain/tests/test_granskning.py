"""The definitions of GRANSKNING.md, one function each, without a database."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from uppfolj.domain.granskning import (
    EJ_ANGIVET,
    Fall,
    aktuell_plan,
    andel,
    ar_med_insats_grupp,
    avrunda,
    berakna,
    beslut_i_kraft,
    beslutstid_grupp,
    beslutstid_manader,
    fallresultat,
    forsta_beviljande_fran,
    har_barnperspektiv,
    hela_ar,
    hela_manader,
    i_urvalet,
    langsta_glapp,
    medeltid_per_manad,
    median,
    omraden_i_ordning,
    plan_med_delaktighet,
    strukturerat_uppdrag,
    timmar_per_manad,
)
from uppfolj.domain.timeline import BOENDESTOD, Event

from .builders import case, d, ev

AS_OF = d("2018-05-31")


def beslut(iso: str, fran: str | None, till: str | None, utfall: str = "bifall", **extra) -> Event:
    return ev(iso, "beslut", utfall=utfall, from_date=fran, to_date=till, **extra)


# --- Selection -------------------------------------------------------------------------


def test_selection_decision_whose_period_contains_as_of():
    events = [beslut("2017-12-20", "2018-01-01", "2018-06-30")]
    assert beslut_i_kraft(events, AS_OF) == events[0]


def test_selection_period_is_inclusive_at_both_ends():
    assert i_urvalet([beslut("2018-05-20", "2018-05-31", "2018-11-30")], AS_OF)
    assert i_urvalet([beslut("2017-11-20", "2017-12-01", "2018-05-31")], AS_OF)
    assert not i_urvalet([beslut("2017-11-20", "2017-12-01", "2018-05-30")], AS_OF)
    assert not i_urvalet([beslut("2018-05-20", "2018-06-01", "2018-11-30")], AS_OF)


def test_selection_without_to_is_in_force_until_further_notice():
    assert i_urvalet([beslut("2010-01-01", "2010-01-01", None)], AS_OF)


def test_selection_without_from_applies_from_the_decision_date():
    assert i_urvalet([beslut("2018-05-31", None, "2018-11-30")], AS_OF)
    assert not i_urvalet([beslut("2018-06-01", None, "2018-11-30")], AS_OF)


def test_selection_refused_or_partly_granted():
    assert i_urvalet([beslut("2018-01-01", "2018-01-01", None, utfall="delvis")], AS_OF)
    assert not i_urvalet([beslut("2018-01-01", "2018-01-01", None, utfall="avslag")], AS_OF)


def test_selection_a_later_refusal_leaves_the_decision_in_force():
    granted = beslut("2017-12-20", "2018-01-01", "2018-12-31")
    assert beslut_i_kraft([granted, beslut("2018-03-01", None, None, "avslag")], AS_OF) == granted


def test_selection_a_renewal_for_a_later_period_does_not_displace_the_current():
    current = beslut("2017-12-20", "2018-01-01", "2018-06-30")
    renewal = beslut("2018-05-15", "2018-07-01", "2018-12-31")
    assert beslut_i_kraft([current, renewal], AS_OF) == current


def test_selection_the_latest_of_two_decisions_in_force():
    first = beslut("2017-12-20", "2018-01-01", "2018-12-31", minuter_per_vecka=60)
    second = beslut("2018-03-01", "2018-03-01", "2018-08-31", minuter_per_vecka=120)
    assert beslut_i_kraft([second, first], AS_OF) == second


def test_selection_events_after_as_of_do_not_exist():
    assert not i_urvalet([beslut("2018-06-01", "2018-01-01", "2018-12-31")], AS_OF)
    granted = [beslut("2017-12-20", "2018-01-01", "2018-12-31")]
    assert i_urvalet([*granted, ev("2018-06-01", "avslut")], AS_OF)


def test_selection_closed_on_or_before_as_of():
    granted = [beslut("2017-12-20", "2018-01-01", "2018-12-31")]
    assert not i_urvalet([*granted, ev("2018-05-31", "avslut")], AS_OF)
    assert not i_urvalet([*granted, ev("2018-02-01", "avslut")], AS_OF)


def test_selection_no_decision():
    assert beslut_i_kraft([ev("2018-01-01", "ansokan")], AS_OF) is None


# --- Rounding and hours ------------------------------------------------------------------


def test_beviljad_tid_rounds_half_away_from_zero():
    assert avrunda(Decimal("8.25")) == Decimal("8.3")
    assert avrunda(Fraction(33, 4)) == Decimal("8.3")
    assert avrunda(Decimal("8.35")) == Decimal("8.4")
    assert avrunda(Decimal("-8.25")) == Decimal("-8.3")
    assert avrunda(Decimal("8.2499")) == Decimal("8.2")
    # The float 8.45 is 8.4499…; Python's round() gives 8.4, the definition 8.5.
    assert round(8.45, 1) == 8.4
    assert avrunda(Fraction(169, 20)) == Decimal("8.5")


def test_beviljad_tid_minutes_per_week_to_hours_per_month():
    assert timmar_per_manad(180) == 13
    assert timmar_per_manad(60) == Fraction(13, 3)
    assert avrunda(timmar_per_manad(119)) == Decimal("8.6")


def test_beviljad_tid_mean_is_rounded_not_each_case():
    # 60 and 75 minutes: 4.333… and 5.416… hours; mean 4.875 → 4.9 (rounding each first: 4.85).
    assert medeltid_per_manad([60, 75]) == Decimal("4.9")
    assert medeltid_per_manad([]) is None


def test_beviljad_tid_exact_half_on_the_bromma_total():
    # 20 cases with 2340 minutes in all: exactly 8.45 hours per month, shown as 8.5.
    assert medeltid_per_manad([117] * 20) == Decimal("8.5")


# --- Whole months and years --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2018-01-01", "2019-01-01", 12),
        ("2018-01-01", "2018-12-31", 11),
        ("2018-01-31", "2018-02-28", 1),
        ("2018-01-31", "2018-02-27", 0),
        ("2018-03-01", "2018-08-31", 5),
        ("2018-05-01", "2018-04-01", 0),
    ],
)
def test_whole_months(start, end, months):
    assert hela_manader(d(start), d(end)) == months


def test_completed_years():
    assert hela_ar(d("2013-05-31"), AS_OF) == 5
    assert hela_ar(d("2013-06-01"), AS_OF) == 4
    assert hela_ar(d("2018-01-01"), AS_OF) == 0


# --- ar_med_insats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "bucket"),
    [(0, "<1"), (1, "1-2"), (2, "1-2"), (3, "3-5"), (4, "3-5"), (5, ">5"), (6, ">5"), (30, ">5")],
)
def test_ar_med_insats_buckets(years, bucket):
    assert ar_med_insats_grupp(years) == bucket


def test_ar_med_insats_first_granting_decision_of_the_person():
    decisions = [
        beslut("2016-01-01", "2016-01-01", None),
        beslut("2009-12-20", "2010-01-01", "2014-06-30"),
        beslut("2009-06-01", None, None, utfall="avslag"),
        beslut("2018-06-01", "2008-01-01", None),
    ]
    assert forsta_beviljande_fran(decisions, AS_OF) == d("2010-01-01")
    assert forsta_beviljande_fran([], AS_OF) is None


# --- beslutstid --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fran", "till", "bucket"),
    [
        ("2018-01-01", "2018-12-31", "1ar"),  # exactly 12 months
        ("2018-01-01", "2019-01-10", "1ar"),  # 12 whole months and 10 days
        ("2018-01-01", "2019-01-31", ">1ar"),  # 13 months
        ("2018-01-01", "2018-06-30", "6-11"),  # 6 months
        ("2018-01-01", "2018-12-30", "6-11"),  # 11 months 30 days
        ("2018-03-01", "2018-08-30", "<6"),  # 5 months 30 days
        ("2018-04-01", "2018-06-30", "<6"),  # 3 months
        ("2018-01-01", None, "tillsvidare"),
    ],
)
def test_beslutstid_buckets(fran, till, bucket):
    assert beslutstid_grupp(beslut("2017-12-15", fran, till)) == bucket


def test_beslutstid_months_from_the_decision_date_without_from():
    assert beslutstid_manader(beslut("2018-01-01", None, "2018-06-30")) == 6
    assert beslutstid_manader(beslut("2018-01-01", None, None)) is None


# --- aktuell_genomforandeplan, delaktighet_i_plan ----------------------------------------


def test_aktuell_genomforandeplan_within_twelve_months_inclusive():
    assert aktuell_plan([ev("2017-05-31", "genomforandeplan_klar")], AS_OF) is not None
    assert aktuell_plan([ev("2017-05-30", "genomforandeplan_klar")], AS_OF) is None
    assert aktuell_plan([ev("2018-01-10", "genomforandeplan_reviderad")], AS_OF) is not None
    assert aktuell_plan([ev("2018-06-01", "genomforandeplan_klar")], AS_OF) is None


def test_delaktighet_i_plan_reads_the_latest_plan():
    old = ev("2017-09-01", "genomforandeplan_klar", delaktighet=True)
    newer = ev("2018-03-01", "genomforandeplan_reviderad", delaktighet=False)
    assert not plan_med_delaktighet([old, newer], AS_OF)
    assert plan_med_delaktighet(
        [newer, ev("2018-04-01", "genomforandeplan_reviderad", delaktighet=True)], AS_OF
    )
    # A plan that records participation but is not current does not count.
    assert not plan_med_delaktighet(
        [ev("2016-01-01", "genomforandeplan_klar", delaktighet=True)], AS_OF
    )


# --- strukturerat_uppdrag ----------------------------------------------------------------


def test_strukturerat_uppdrag_the_latest_counts():
    first = ev("2017-01-01", "uppdrag_skickat", strukturerat=True)
    assert strukturerat_uppdrag([first], AS_OF) is True
    assert strukturerat_uppdrag([first, ev("2018-01-01", "uppdrag_skickat")], AS_OF) is False
    assert strukturerat_uppdrag([first, ev("2018-06-01", "uppdrag_skickat")], AS_OF) is True
    assert strukturerat_uppdrag([], AS_OF) is None


# --- langsta_glapp_daganteckningar -------------------------------------------------------


def test_langsta_glapp_between_notes_and_to_as_of():
    events = [
        ev("2018-03-01", "verkstallt", grad="helt"),
        ev("2018-03-01", "daganteckning"),
        ev("2018-03-08", "daganteckning"),
        ev("2018-03-30", "daganteckning"),
        ev("2018-05-20", "daganteckning"),
    ]
    assert langsta_glapp(events, AS_OF) == 51  # 30 March to 20 May
    assert langsta_glapp(events[:4], AS_OF) == 62  # 30 March to as_of


def test_langsta_glapp_only_notes_since_execution():
    events = [
        ev("2017-01-01", "daganteckning"),
        ev("2018-05-01", "verkstallt", grad="helt"),
        ev("2018-05-10", "daganteckning"),
        ev("2018-05-24", "daganteckning"),
    ]
    # The days from the execution to the first note are not a gap between notes.
    assert langsta_glapp(events, AS_OF) == 14


def test_langsta_glapp_without_notes_is_from_execution_to_as_of():
    assert langsta_glapp([ev("2018-05-01", "verkstallt", grad="helt")], AS_OF) == 30


def test_langsta_glapp_not_executed():
    assert langsta_glapp([ev("2018-05-01", "daganteckning")], AS_OF) is None
    assert langsta_glapp([ev("2018-06-01", "verkstallt", grad="helt")], AS_OF) is None


def test_median():
    assert median([]) is None
    assert median([7]) == 7
    assert median([30, 7, 14]) == 14
    assert median([7, 14]) == Fraction(21, 2)
    assert median([14, 28, 7, 546]) == 21


# --- barn_med_barnperspektiv -------------------------------------------------------------


def test_barnperspektiv_any_investigation():
    assert har_barnperspektiv(
        [ev("2016-01-01", "utredning", barnperspektiv=True), ev("2018-01-01", "utredning")], AS_OF
    )
    assert not har_barnperspektiv([ev("2018-01-01", "utredning", barnperspektiv=False)], AS_OF)
    assert not har_barnperspektiv([ev("2018-06-01", "utredning", barnperspektiv=True)], AS_OF)


# --- Shares and ordering -----------------------------------------------------------------


def test_andel_as_a_fraction_with_three_decimals():
    assert andel(2, 3) == Decimal("0.667")
    assert andel(1, 8) == Decimal("0.125")
    assert andel(0, 0) is None


def test_omraden_in_the_given_order_then_by_name_unknown_last():
    assert omraden_i_ordning(
        ["x", EJ_ANGIVET, "funktionsnedsattning", "socialpsykiatri"],
        ["socialpsykiatri", "funktionsnedsattning", "aldreomsorg"],
    ) == ["socialpsykiatri", "funktionsnedsattning", "x", EJ_ANGIVET]


# --- One case, and the engine's statuses as of any date ----------------------------------


def executed_case(*extra: Event, case_id: str = "T-1") -> Fall:
    events = [
        beslut("2017-12-20", "2018-01-01", "2018-06-30", minuter_per_vecka=120),
        ev("2017-12-21", "uppdrag_skickat", strukturerat=True),
        ev("2017-12-22", "kontakt_tagen"),
        ev("2018-01-02", "verkstallt", grad="helt"),
        *extra,
    ]
    return Fall(case(BOENDESTOD, *events, case_id=case_id), "socialpsykiatri", "man", 0)


def test_fallresultat_outside_the_selection():
    assert fallresultat(executed_case(), d("2018-07-01")) is None


def test_fallresultat_statuses_are_as_of_the_date_asked():
    # BS-GFP-4V falls due on 30 January 2018; the plan comes on 1 March.
    fall = executed_case(ev("2018-03-01", "genomforandeplan_klar"))
    before = fallresultat(fall, d("2018-02-15"))
    after = fallresultat(fall, AS_OF)
    assert before is not None and after is not None
    assert ("BS-GFP-4V", "overdue") in before.bevakningar
    assert ("BS-GFP-4V", "met_late") in after.bevakningar
    assert not before.aktuell_plan and after.aktuell_plan


def test_fallresultat_uses_the_person_first_grant_when_given():
    fall = executed_case()
    assert fallresultat(fall, AS_OF).ar_med_insats == "<1"  # type: ignore[union-attr]
    earlier = Fall(fall.timeline, "socialpsykiatri", "man", 0, forsta_beviljande=d("2012-01-01"))
    assert fallresultat(earlier, AS_OF).ar_med_insats == ">5"  # type: ignore[union-attr]


def test_berakna_shapes_and_progress():
    done: list[int] = []
    figures = berakna([executed_case(), executed_case(case_id="T-2")], AS_OF, progress=done.append)
    assert done == [1, 2]
    assert figures["antal_arenden"] == {
        "socialpsykiatri": {"kvinnor": 0, "man": 2, "totalt": 2},
        "totalt": {"kvinnor": 0, "man": 2, "totalt": 2},
    }
    assert figures["beviljad_tid_per_manad"] == {
        "socialpsykiatri": {"kvinnor": None, "man": 8.7, "totalt": 8.7},
        "totalt": {"kvinnor": None, "man": 8.7, "totalt": 8.7},
    }
    assert figures["beslutstid"]["totalt"] == {  # type: ignore[index]
        "<6": 0,
        "6-11": 2,
        "1ar": 0,
        ">1ar": 0,
        "tillsvidare": 0,
    }
    assert figures["strukturerat_uppdrag"] == {"antal": 2, "av": 2, "andel": 1.0}
    assert figures["aktuell_genomforandeplan"] == {"antal": 0, "av": 2, "andel": 0.0}
    assert figures["delaktighet_i_plan"] == {"antal": 0, "av": 0, "andel": None}


def test_berakna_empty_selection():
    figures = berakna([], AS_OF)
    assert figures["antal_arenden"] == {"totalt": {"kvinnor": 0, "man": 0, "totalt": 0}}
    assert figures["ar_med_insats"] == {"<1": 0, "1-2": 0, "3-5": 0, ">5": 0}
    assert figures["langsta_glapp_daganteckningar"] == {"median": None, "max": None, "antal": 0}
    assert figures["bevakningar_i_tid"] == {}
