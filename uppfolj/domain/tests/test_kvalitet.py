"""The six quality areas and likställighet (domain.kvalitet), without a database."""

from __future__ import annotations

from typing import Any

from uppfolj.domain.kvalitet import (
    HOGRE,
    INDIKATORER,
    LAGRE,
    OMRADEN,
    avviker,
    kvalitetsanalys,
    likstallighet,
    visning,
)


def figurer(**overrides: Any) -> dict[str, Any]:
    """A JSON object of granskning_berakna's shape with neutral values."""
    base: dict[str, Any] = {
        "antal_arenden": {"totalt": {"kvinnor": 5, "man": 5, "totalt": 10}},
        "beviljad_tid_per_manad": {"totalt": {"kvinnor": 8.0, "man": 8.0, "totalt": 8.0}},
        "beslutstid": {"totalt": {"<6": 5, "6-11": 0, "1ar": 5, ">1ar": 0, "tillsvidare": 0}},
        "aktuell_genomforandeplan": {"antal": 7, "av": 10, "andel": 0.7},
        "delaktighet_i_plan": {"antal": 5, "av": 7, "andel": 0.714},
        "uppfoljd_i_tid": {"antal": 9, "av": 10, "andel": 0.9},
        "strukturerat_uppdrag": {"antal": 5, "av": 10, "andel": 0.5},
        "langsta_glapp_daganteckningar": {"median": 20, "max": 40, "antal": 10},
        "barn_med_barnperspektiv": {"med_barn": 4, "med_barnperspektiv": 2},
        "ej_verkstallda": {"antal": 1, "overdue": 1, "reported": 0},
        "bevakningar_i_tid": {"X": {"met": 8, "met_late": 1, "overdue": 1, "reported": 0}},
        "andrat_uppdrag": {"antal": 1, "av": 10, "andel": 0.1, "andringar": 1},
        "avbokningar": {"med_avbokning": 3, "minst_tre": 2, "kontaktad": 1, "andel": 0.5},
        "besok_utanfor_kontorstid": {"besok": 40, "utanfor": 4, "andel": 0.1, "av": 10},
        "personal_per_individ": {"median": 2, "max": 4, "antal": 10, "inom_grans": 8},
    }
    base.update(overrides)
    return base


def omrade(analys: list, nyckel: str) -> Any:
    return next(o for o in analys if o.nyckel == nyckel)


def test_six_areas_in_004s_order_with_004s_names():
    analys = kvalitetsanalys(figurer(), figurer())
    assert [o.namn for o in analys] == [
        "Trygghet och säkerhet",
        "Självbestämmande och integritet",
        "Tillgänglighet",
        "Helhetssyn och samordning",
        "Kunskapsbaserad verksamhet",
        "Effektivitet",
    ]
    assert all(o.beskrivning and o.indikatorer for o in analys)


def test_every_indicator_speaks_to_exactly_one_area():
    keys = [k for o in OMRADEN for k in o.indikatorer]
    assert sorted(keys) == sorted(INDIKATORER)


def test_same_as_the_city_drafts_nothing():
    analys = kvalitetsanalys(figurer(), figurer())
    assert all(not o.styrkor and not o.utvecklingsomraden for o in analys)


def test_a_higher_share_is_a_strength_naming_both_values():
    urval = figurer(aktuell_genomforandeplan={"antal": 17, "av": 20, "andel": 0.85})
    stad = figurer(aktuell_genomforandeplan={"antal": 71, "av": 100, "andel": 0.71})
    kunskap = omrade(kvalitetsanalys(urval, stad), "kunskapsbaserad_verksamhet")
    assert kunskap.styrkor == (
        "Andelen med aktuell genomförandeplan (85 %) är högre än i staden som helhet (71 %).",
    )
    assert kunskap.utvecklingsomraden == ()
    plan = kunskap.indikatorer[0]
    assert (plan.nyckel, plan.visning, plan.stad_visning, plan.battre) == (
        "aktuell_genomforandeplan",
        "85 %",
        "71 %",
        HOGRE,
    )


def test_a_lower_share_where_higher_is_better_is_a_development_area():
    urval = figurer(strukturerat_uppdrag={"antal": 2, "av": 10, "andel": 0.2})
    kunskap = omrade(kvalitetsanalys(urval, figurer()), "kunskapsbaserad_verksamhet")
    assert kunskap.utvecklingsomraden == (
        "Andelen strukturerade uppdrag (20 %) är lägre än i staden som helhet (50 %).",
    )
    assert kunskap.styrkor == ()


def test_lower_is_better_for_the_gap_in_daily_notes():
    assert INDIKATORER["langsta_glapp_daganteckningar"].battre == LAGRE
    kortare = figurer(langsta_glapp_daganteckningar={"median": 10, "max": 20, "antal": 5})
    trygghet = omrade(kvalitetsanalys(kortare, figurer()), "trygghet_och_sakerhet")
    assert trygghet.styrkor == (
        "Medianen för det längsta glappet mellan daganteckningar (10 dagar) är lägre än i "
        "staden som helhet (20 dagar).",
    )


def test_thresholds_ten_points_for_shares_and_a_quarter_for_days():
    # 9.9 points: nothing; 10 points: drafted.
    nastan = figurer(uppfoljd_i_tid={"antal": 801, "av": 1000, "andel": 0.801})
    assert not omrade(
        kvalitetsanalys(nastan, figurer()), "trygghet_och_sakerhet"
    ).utvecklingsomraden
    tio = figurer(uppfoljd_i_tid={"antal": 8, "av": 10, "andel": 0.8})
    assert omrade(kvalitetsanalys(tio, figurer()), "trygghet_och_sakerhet").utvecklingsomraden
    # 24 against 20 days is 20 %: nothing; 25 days is 25 %: drafted.
    for median, drafted in ((24, False), (25, True)):
        urval = figurer(langsta_glapp_daganteckningar={"median": median, "max": 40, "antal": 9})
        trygghet = omrade(kvalitetsanalys(urval, figurer()), "trygghet_och_sakerhet")
        assert bool(trygghet.utvecklingsomraden) is drafted, median


def test_an_indicator_with_no_cases_behind_it_drafts_nothing():
    inga = figurer(
        avbokningar={"med_avbokning": 0, "minst_tre": 0, "kontaktad": 0, "andel": None},
        barn_med_barnperspektiv={"med_barn": 0, "med_barnperspektiv": 0},
    )
    analys = kvalitetsanalys(inga, figurer())
    sjalv = omrade(analys, "sjalvbestammande_och_integritet")
    assert sjalv.indikatorer[1].visning == "–" and sjalv.indikatorer[1].varde is None
    assert sjalv.indikatorer[1].stad_visning == "50 %"
    assert not sjalv.styrkor and not sjalv.utvecklingsomraden
    assert not omrade(analys, "helhetssyn_och_samordning").utvecklingsomraden


def test_indicators_read_the_new_figures():
    analys = kvalitetsanalys(figurer(), figurer())
    values = {i.nyckel: i.varde for o in analys for i in o.indikatorer}
    assert values["avbokningar"] == 0.5
    assert values["besok_utanfor_kontorstid"] == 0.1
    assert values["personal_per_individ"] == 0.8
    assert values["andrat_uppdrag"] == 0.1
    assert values["ej_verkstallda"] == 0.1
    assert values["bevakningar_i_tid"] == 0.8
    assert values["beslutstid"] == 0.5


def test_visning_is_swedish():
    assert visning(0.667, "andel") == "66,7 %"
    assert visning(0.85, "andel") == "85 %"
    assert visning(12, "dagar") == "12 dagar"
    assert visning(1, "dagar") == "1 dag"
    assert visning(8.55, "timmar") == "8,6 timmar"
    assert visning(None, "andel") == "–"


# --- Likställighet -----------------------------------------------------------------------


def test_avviker_more_than_15_points_or_one_and_a_half_times():
    assert not avviker(0.65, [0.5, 0.5], "andel")
    assert avviker(0.66, [0.5, 0.5], "andel")
    assert avviker(0.34, [0.5, 0.5], "andel")
    assert not avviker(15, [10, 10], "dagar")
    assert avviker(15.5, [10, 10], "dagar")
    assert avviker(6, [10, 10], "dagar")
    assert not avviker(0.9, [], "andel")


def test_likstallighet_flags_the_district_that_differs_from_the_rest():
    per_distrikt = {
        "Bromma": figurer(aktuell_genomforandeplan={"antal": 3, "av": 10, "andel": 0.3}),
        "Kungsholmen": figurer(),
        "Skarpnäck": figurer(),
    }
    rader = {r.nyckel: r for r in likstallighet(per_distrikt, figurer())}
    plan = rader["aktuell_genomforandeplan"]
    assert plan.varden == {"Bromma": 0.3, "Kungsholmen": 0.7, "Skarpnäck": 0.7}
    assert plan.visning["Bromma"] == "30 %"
    assert plan.stad == 0.7
    assert plan.avvikande == ("Bromma",)
    assert rader["uppfoljd_i_tid"].avvikande == ()
    assert rader["beviljad_tid_per_manad"].visning["Bromma"] == "8 timmar"


def test_likstallighet_needs_five_cases_behind_a_flag():
    per_distrikt = {
        "Bromma": figurer(aktuell_genomforandeplan={"antal": 0, "av": 4, "andel": 0.0}),
        "Kungsholmen": figurer(),
    }
    plan = next(
        r for r in likstallighet(per_distrikt, figurer()) if r.nyckel == "aktuell_genomforandeplan"
    )
    assert plan.varden["Bromma"] == 0.0
    assert plan.avvikande == ()
