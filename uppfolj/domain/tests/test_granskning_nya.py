"""RULES.md's quality indicators that GRANSKNING.md does not define (domain.granskning):
andrat_uppdrag, avbokningar, besok_utanfor_kontorstid, personal_per_individ, and the
deadlines-on-time series for the chart over time."""

from __future__ import annotations

from uppfolj.domain.granskning import (
    Fall,
    andel_i_tid_over_tid,
    avbokningar_under_beslutet,
    berakna,
    besok_fran,
    handlaggare_kontaktad,
    uppdrag_andringar,
)
from uppfolj.domain.timeline import BOENDESTOD

from .builders import case, d, ev

AS_OF = d("2018-05-31")
BESLUT = ev("2018-01-10", "beslut", utfall="bifall", from_date="2018-01-10", to_date="2018-12-31",
            minuter_per_vecka=120)  # fmt: skip


def uppdrag(iso: str, niva: str = "lag") -> object:
    return ev(iso, "uppdrag_skickat", stodniva=niva, strukturerat=True)


def fall(*events, **fields) -> Fall:
    return Fall(
        timeline=case(BOENDESTOD, BESLUT, *events, case_id=fields.pop("case_id", "T-1")),
        verksamhetsomrade="socialpsykiatri",
        kon="kvinna",
        minderariga_barn=0,
        **fields,
    )


# --- andrat_uppdrag ------------------------------------------------------------------------


def test_first_uppdrag_under_the_decision_is_no_change():
    assert uppdrag_andringar([BESLUT, uppdrag("2018-01-15")], BESLUT, AS_OF) == 0


def test_each_later_uppdrag_is_a_change():
    events = [BESLUT, uppdrag("2018-01-15"), uppdrag("2018-03-01"), uppdrag("2018-04-01")]
    assert uppdrag_andringar(events, BESLUT, AS_OF) == 2


def test_uppdrag_before_the_decision_and_after_as_of_do_not_count():
    events = [uppdrag("2017-06-01"), BESLUT, uppdrag("2018-01-15"), uppdrag("2018-06-15")]
    assert uppdrag_andringar(events, BESLUT, AS_OF) == 0


def test_a_level_assessment_counts_only_when_it_changes_the_level():
    same = [BESLUT, uppdrag("2018-01-15", "lag"), ev("2018-03-01", "stodniva_bedomd", niva="lag")]
    assert uppdrag_andringar(same, BESLUT, AS_OF) == 0
    changed = [*same, ev("2018-04-01", "stodniva_bedomd", niva="hog")]
    assert uppdrag_andringar(changed, BESLUT, AS_OF) == 1


def test_a_first_level_with_none_before_is_no_change():
    events = [BESLUT, ev("2018-03-01", "stodniva_bedomd", niva="medel")]
    assert uppdrag_andringar(events, BESLUT, AS_OF) == 0


# --- avbokningar -------------------------------------------------------------------------


def test_cancellations_count_from_the_decision_to_as_of():
    dagar = [d("2017-12-01"), d("2018-02-01"), d("2018-01-10"), d("2018-06-02")]
    assert avbokningar_under_beslutet(dagar, BESLUT, AS_OF) == [d("2018-01-10"), d("2018-02-01")]


def test_social_worker_told_on_or_after_the_third_cancellation():
    tre = [d("2018-02-01"), d("2018-02-08"), d("2018-02-15")]
    kontakt = [ev("2018-02-15", "handlaggare_kontaktad")]
    assert handlaggare_kontaktad(kontakt, tre, AS_OF) is True
    before = [ev("2018-02-14", "handlaggare_kontaktad")]
    assert handlaggare_kontaktad(before, tre, AS_OF) is False
    assert handlaggare_kontaktad(kontakt, tre[:2], AS_OF) is None


# --- The figures ----------------------------------------------------------------------------


def test_new_figures_over_a_selection():
    cases = [
        # Three cancellations, the social worker told; one change of uppdrag; visits by
        # two staff, one of them in the evening.
        fall(
            uppdrag("2018-01-15"),
            uppdrag("2018-03-01"),
            ev("2018-03-20", "handlaggare_kontaktad"),
            avbokningar=(d("2018-03-01"), d("2018-03-08"), d("2018-03-15")),
            besok=4,
            besok_kvall=1,
            personal=2,
            case_id="A",
        ),
        # Four cancellations, nobody told; visits by four staff, two at weekends.
        fall(
            uppdrag("2018-01-15"),
            avbokningar=(d("2018-03-01"), d("2018-03-08"), d("2018-03-15"), d("2018-03-22")),
            besok=6,
            besok_helg=2,
            personal=4,
            case_id="B",
        ),
        # One cancellation before the decision (not counted), no visits.
        fall(uppdrag("2018-01-15"), avbokningar=(d("2017-12-01"),), case_id="C"),
    ]
    result = berakna(cases, AS_OF)
    assert result["andrat_uppdrag"] == {"antal": 1, "av": 3, "andel": 0.333, "andringar": 1}
    assert result["avbokningar"] == {
        "med_avbokning": 2,
        "minst_tre": 2,
        "kontaktad": 1,
        "andel": 0.5,
        "antal": 7,
    }
    assert result["besok_utanfor_kontorstid"] == {
        "besok": 10,
        "utanfor": 3,
        "kvall": 1,
        "helg": 2,
        "andel": 0.3,
        "arenden": 2,
        "av": 2,
    }
    assert result["personal_per_individ"] == {
        "median": 3,
        "max": 4,
        "antal": 2,
        "inom_grans": 1,
        "andel": 0.5,
    }


def test_new_figures_of_an_empty_selection():
    result = berakna([], AS_OF)
    assert result["avbokningar"]["andel"] is None
    assert result["besok_utanfor_kontorstid"]["andel"] is None
    assert result["personal_per_individ"] == {
        "median": None,
        "max": None,
        "antal": 0,
        "inom_grans": 0,
        "andel": None,
    }


def test_visits_are_counted_over_the_continuity_window():
    assert besok_fran(AS_OF) == d("2018-02-28")


def test_deadlines_on_time_over_time_follow_the_selection_of_each_date():
    # Executed within three months: GEN-IVO-3M met. Before the decision the case is not
    # in the selection, so the first date has no value.
    one = fall(uppdrag("2018-01-15"), ev("2018-02-01", "verkstallt"))
    series = andel_i_tid_over_tid([one], [d("2017-12-31"), d("2018-04-30"), AS_OF])
    assert series["GEN-IVO-3M"] == [None, 1.0, 1.0]
