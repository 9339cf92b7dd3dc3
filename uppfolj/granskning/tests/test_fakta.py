"""The stored audit facts (issue 8): the report reads them and falls back to the events.

`Granskningsfakta` holds `_genomlopning`'s row per case, recomputed when the case's
events change. The city-wide report reads it when it is valid on the report's day
(`berakna_per <= as_of < giltig_till`) and walks the events of the other cases, so a
missing or stale row costs time, never a wrong figure.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command

from uppfolj.arenden import fakta
from uppfolj.arenden.fakta import fakta_berakna, giltig_till, plan_upphor
from uppfolj.arenden.models import Arende, Granskningsfakta
from uppfolj.granskning import aggregat
from uppfolj.granskning.selectors import granskning_berakna, urval_arenden

from .conftest import Importera, beslut, e, generera_stad

pytestmark = pytest.mark.django_db

IMPORTDAG = date(2018, 5, 31)
IDAG = date(2026, 6, 30)
# The figures counted from the stored bevakningar, which are as of the day they were
# stored: on a later day only the engine has them right (aggregat's docstring).
FRAN_BEVAKNINGAR = {"bevakningar_i_tid", "ej_verkstallda", "uppfoljd_i_tid"}


def figures(as_of: date, snabb: bool) -> dict[str, Any]:
    cases = urval_arenden(user_or_none=None, as_of=as_of)
    return granskning_berakna(cases_queryset=cases, as_of=as_of, urval={}, snabb=snabb)


def assert_same_figures(as_of: date) -> None:
    fast, engine = figures(as_of, True), figures(as_of, False)
    for key in engine:
        if key not in FRAN_BEVAKNINGAR:
            assert fast[key] == engine[key], key


def rader(as_of: date) -> list[aggregat.Rad]:
    cases = urval_arenden(user_or_none=None, as_of=as_of)
    rows, _ = aggregat.rader(cases, as_of)
    return rows


def walks_events() -> Any:
    """Patch `_genomlopning` to count the cases it is asked to walk."""
    return mock.patch.object(fakta, "_genomlopning", wraps=fakta._genomlopning)


def cases_walked(spy: Any) -> set[int]:
    return {pk for call in spy.call_args_list for pk in call.args[0].values_list("pk", flat=True)}


def executed(start: str, **decision: Any) -> list[dict]:
    return [
        beslut(start, **decision),
        e(start, "uppdrag_skickat", strukturerat=True),
        e(start, "verkstallt", grad="helt"),
    ]


# --- Stored by the services, read by the report ---------------------------------------


def test_a_service_stores_the_facts_and_the_report_reads_them(importera: Importera) -> None:
    importera(
        *executed("2018-01-08"),
        e("2018-02-01", "genomforandeplan_klar", delaktighet=True),
        e("2018-03-01", "daganteckning"),
        e("2018-05-20", "daganteckning"),
    )
    importera(*executed("2018-02-12", till="2018-12-31"))
    rows = {row.arende.arende_id: row for row in Granskningsfakta.objects.all()}
    assert len(rows) == Arende.objects.count() == 2
    assert all(row.berakna_per == IMPORTDAG and row.beslut for row in rows.values())
    with walks_events() as spy:
        fast = figures(IMPORTDAG, True)
    spy.assert_not_called()
    assert fast["antal_arenden"]["totalt"]["totalt"] == 2
    assert_same_figures(IMPORTDAG)


def test_a_case_without_a_stored_row_is_still_counted(importera: Importera) -> None:
    kept = importera(*executed("2018-01-08"))
    lost = importera(*executed("2018-02-12"), e("2018-04-01", "daganteckning"))
    Granskningsfakta.objects.filter(arende__arende_id=lost).delete()
    with walks_events() as spy:
        fast = figures(IMPORTDAG, True)
    assert cases_walked(spy) == {Arende.objects.get(arende_id=lost).pk}
    assert fast["antal_arenden"]["totalt"]["totalt"] == 2
    assert Arende.objects.get(arende_id=kept).granskningsfakta.beslut
    assert_same_figures(IMPORTDAG)


def test_a_row_computed_on_a_later_day_is_not_used_for_an_earlier_one(
    importera: Importera,
) -> None:
    importera(*executed("2018-01-08"))
    before = rader(date(2018, 3, 1))
    fakta_berakna(Arende.objects.values_list("pk", flat=True), IMPORTDAG)
    with walks_events() as spy:
        assert rader(date(2018, 3, 1)) == before
    assert cases_walked(spy) == set(Arende.objects.values_list("pk", flat=True))


# --- Reading later with rows computed earlier -------------------------------------------


@pytest.fixture
def stad() -> None:
    generera_stad(seed=5, idag=IDAG)


def test_the_generator_stores_a_row_for_every_case(stad: None) -> None:
    assert Granskningsfakta.objects.filter(berakna_per=IDAG).count() == Arende.objects.count()
    assert Granskningsfakta.objects.filter(beslut__isnull=True).exists()
    with walks_events() as spy:
        rader(IDAG)
    spy.assert_not_called()


@pytest.mark.parametrize("days", [0, 30, 120, 400])
def test_later_days_give_the_figures_of_the_events(stad: None, days: int) -> None:
    """Rows stored on IDAG read on a later day: those still valid are used, the others
    (a decision ended, a plan turned a year old, a period started) fall back, and every
    figure is what the events give on that day."""
    as_of = IDAG + timedelta(days=days)
    selected = set(urval_arenden(user_or_none=None, as_of=as_of).values_list("pk", flat=True))
    stale = {
        row.pk
        for row in Granskningsfakta.objects.filter(arende__in=selected)
        if row.giltig_till is not None and row.giltig_till <= as_of
    }
    if days >= 120:
        assert stale, "the city has rows that turn stale"
    with walks_events() as spy:
        stored = rader(as_of)
    assert cases_walked(spy) == stale
    Granskningsfakta.objects.all().delete()
    assert stored == rader(as_of)
    assert_same_figures(as_of)


def test_the_figures_match_the_engine_as_json(stad: None) -> None:
    fast, engine = figures(IDAG, True), figures(IDAG, False)
    assert json.dumps(fast) == json.dumps(engine)


# --- The day a row stops holding ----------------------------------------------------------


def test_the_decision_in_force_ending_invalidates_the_row_the_day_after(
    importera: Importera,
) -> None:
    case_id = importera(*executed("2018-01-08", till="2018-08-31"))
    row = Granskningsfakta.objects.get(arende__arende_id=case_id)
    assert row.giltig_till == date(2018, 9, 1)
    pk = row.pk
    with walks_events() as spy:
        on_last_day = rader(date(2018, 8, 31))
    assert cases_walked(spy) == set()
    assert [r.pk for r in on_last_day] == [pk]
    with walks_events() as spy:
        assert rader(date(2018, 9, 1)) == []
    assert cases_walked(spy) == {pk}


def test_a_plan_turning_twelve_months_old_invalidates_the_row_that_day(
    importera: Importera,
) -> None:
    case_id = importera(
        *executed("2017-01-09"), e("2017-07-14", "genomforandeplan_klar", delaktighet=True)
    )
    row = Granskningsfakta.objects.get(arende__arende_id=case_id)
    assert row.plan is not None and row.giltig_till == date(2018, 7, 15)
    with walks_events() as spy:
        [last_day] = rader(date(2018, 7, 14))
    assert cases_walked(spy) == set()
    assert last_day.resultat.aktuell_plan
    with walks_events() as spy:
        [next_day] = rader(date(2018, 7, 15))
    assert cases_walked(spy) == {row.pk}
    assert not next_day.resultat.aktuell_plan


def test_a_decision_period_starting_later_invalidates_the_row_that_day(
    importera: Importera,
) -> None:
    case_id = importera(*executed("2018-01-08"), beslut("2018-05-30", fran="2018-06-11"))
    row = Granskningsfakta.objects.get(arende__arende_id=case_id)
    assert row.giltig_till == date(2018, 6, 11)
    [first] = rader(date(2018, 6, 10))
    with walks_events() as spy:
        [then] = rader(date(2018, 6, 11))
    assert cases_walked(spy) == {row.pk}
    assert first.resultat.beslutstid == then.resultat.beslutstid == "tillsvidare"


@pytest.mark.parametrize(
    ("plan", "upphor"),
    [
        (date(2025, 6, 30), date(2026, 7, 1)),
        (date(2025, 3, 31), date(2026, 4, 1)),
        # Twelve months back from 28 February 2025 is the 28th: a plan of the 29th
        # counts through 28 February and stops on 1 March.
        (date(2024, 2, 29), date(2025, 3, 1)),
        (date(2023, 2, 28), date(2024, 3, 1)),
    ],
)
def test_a_plan_stops_counting_on_the_first_day_twelve_months_back_is_after_it(
    plan: date, upphor: date
) -> None:
    assert plan_upphor(plan) == upphor


def test_the_earliest_change_is_the_row_limit() -> None:
    in_force = "2026-01-02|000000000001|2026-01-02|2026-12-31|120"
    plan = "2026-03-01|000000000002|1"
    assert giltig_till(beslut=None, plan=None, framtida=None, kommande_fran=None) is None
    assert giltig_till(beslut=in_force, plan=None, framtida=None, kommande_fran=None) == date(
        2027, 1, 1
    )
    assert giltig_till(beslut=in_force, plan=plan, framtida=None, kommande_fran=None) == date(
        2027, 1, 1
    )
    assert giltig_till(
        beslut=in_force, plan=plan, framtida=date(2026, 8, 1), kommande_fran="2026-07-15"
    ) == date(2026, 7, 15)
    at_the_end = "2026-01-02|000000000001|2026-01-02|9999-12-31|120"
    assert giltig_till(beslut=at_the_end, plan=None, framtida=None, kommande_fran=None) is None


# --- The nightly command ------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("omrakna", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("bara_fakta", [True, False])
def test_omrakna_fills_the_table(importera: Importera, bara_fakta: bool) -> None:
    importera(*executed("2018-01-08"))
    importera(e("2018-01-08", "ansokan"))
    Granskningsfakta.objects.all().delete()
    code, out, err = run("--idag", "2018-06-01", *(["--bara-fakta"] if bara_fakta else []))
    assert code == 0, err
    assert out.startswith("2 ärendens ")
    assert "2/2 ärenden" in err
    rows = Granskningsfakta.objects.values_list("berakna_per", "beslut")
    assert sorted((day, beslut is None) for day, beslut in rows) == [
        (date(2018, 6, 1), False),
        (date(2018, 6, 1), True),
    ]


@pytest.mark.parametrize(
    ("idag", "message"),
    [
        ("2026-02-30", 'uppfolj omrakna: --idag "2026-02-30" är inte ett giltigt datum'),
        ("igår", 'uppfolj omrakna: --idag "igår" är inte ett giltigt datum'),
        ("0001-01-01", 'uppfolj omrakna: --idag "0001-01-01" ska ligga mellan 1900-01-01'),
    ],
)
def test_omrakna_refuses_a_bad_date_with_exit_2(
    importera: Importera, idag: str, message: str
) -> None:
    importera(*executed("2018-01-08"))
    before = list(Granskningsfakta.objects.values_list("pk", "berakna_per"))
    code, out, err = run("--idag", idag, "--tyst")
    assert code == 2
    assert out == ""
    assert err.startswith(message), err
    assert list(Granskningsfakta.objects.values_list("pk", "berakna_per")) == before
