"""The database-aggregation path gives the same figures as the engine path (issues 6, 8).

On the day the stored bevakningar were computed, `granskning_berakna` and
`granskning_rapport` must give the same JSON whether they aggregate stored records
(`snabb=True`) or recompute each case with the rules engine (`snabb=False`), for every
figure, on the Bromma test city (whose figures GRANSKNING.md fixes) and on a generated
city of every insats and many histories.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from uppfolj.accounts.models import Distrikt
from uppfolj.arenden.models import Arende, Bevakning
from uppfolj.domain.granskning import andel
from uppfolj.domain.timeline import BOENDESTOD, SOCIALT_BOENDE_MED_STOD, VARD_OCH_OMSORGSBOENDE
from uppfolj.granskning.selectors import (
    anvand_aggregat,
    bevakningar_over_tid,
    granskning_berakna,
    granskning_rapport,
    manadsslut,
    urval_arenden,
)

from .bromma import AS_OF, write_bromma
from .conftest import generera_stad
from .test_bromma import granskning_md_example

pytestmark = pytest.mark.django_db

IDAG = date(2026, 6, 30)


def both(as_of: date, **urval: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    def one(snabb: bool) -> dict[str, Any]:
        cases = urval_arenden(user_or_none=None, as_of=as_of, **urval)
        return granskning_berakna(cases_queryset=cases, as_of=as_of, urval=urval, snabb=snabb)

    return one(True), one(False)


def assert_same(fast: dict[str, Any], engine: dict[str, Any]) -> None:
    # Figure by figure first, so a failure names the figure; then the whole JSON text
    # (key order included, as the command prints it).
    assert list(fast) == list(engine)
    for key in engine:
        assert fast[key] == engine[key], key
    assert json.dumps(fast) == json.dumps(engine)


@pytest.fixture
def bromma(tmp_path: Path, time_machine: Any) -> None:
    # Imported on 004's day, so the stored bevakningar are as of that day.
    time_machine.move_to("2018-05-31 12:00 +02:00", tick=False)
    path = write_bromma(tmp_path / "bromma.json")
    call_command("import", str(path), stdout=StringIO())


def test_bromma_fast_path_gives_granskning_md_figures(bromma: None) -> None:
    fast, engine = both(AS_OF, distrikt="Bromma")
    assert_same(fast, engine)
    example = granskning_md_example()
    for key, value in example.items():
        if key not in ("as_of", "urval"):
            assert fast[key] == value, key


def test_bromma_fast_path_for_the_whole_city_and_the_report(bromma: None) -> None:
    assert_same(*both(AS_OF))
    fast = granskning_rapport(user_or_none=None, as_of=AS_OF, distrikt="Bromma", snabb=True)
    engine = granskning_rapport(user_or_none=None, as_of=AS_OF, distrikt="Bromma", snabb=False)
    assert_same(fast.urval, engine.urval)
    assert_same(fast.stad, engine.stad)
    assert list(fast.per_distrikt) == list(engine.per_distrikt)
    for namn in engine.per_distrikt:
        assert_same(fast.per_distrikt[namn], engine.per_distrikt[namn])


@pytest.fixture
def stad() -> None:
    generera_stad(seed=3, idag=IDAG)


def test_generated_city_fast_path_equals_engine_for_every_insats(stad: None) -> None:
    seen: dict[str, int] = {}
    statuses: set[str] = set()
    for insats in (BOENDESTOD, SOCIALT_BOENDE_MED_STOD, VARD_OCH_OMSORGSBOENDE):
        fast, engine = both(IDAG, insats=insats)
        assert engine["antal_arenden"]["totalt"]["totalt"] > 10, insats
        assert_same(fast, engine)
        for key, field in (
            ("langsta_glapp_daganteckningar", "antal"),
            ("andrat_uppdrag", "antal"),
            ("avbokningar", "minst_tre"),
            ("aktuell_genomforandeplan", "antal"),
            ("strukturerat_uppdrag", "av"),
        ):
            seen[key] = seen.get(key, 0) + int(fast[key][field])
        statuses |= {s for rule in fast["bevakningar_i_tid"].values() for s, n in rule.items() if n}
    # The city is varied enough that the comparison covers every kind of figure (the
    # visits of the time register are covered by the Bromma city).
    assert all(seen.values()), seen
    assert {"met", "met_late", "overdue"} <= statuses


def test_generated_city_report_per_district_equals_engine(stad: None) -> None:
    [distrikt, *_] = Arende.objects.values_list("distrikt__namn", flat=True).distinct()
    fast = granskning_rapport(user_or_none=None, as_of=IDAG, distrikt=distrikt, snabb=True)
    engine = granskning_rapport(user_or_none=None, as_of=IDAG, distrikt=distrikt, snabb=False)
    assert_same(fast.urval, engine.urval)
    assert_same(fast.stad, engine.stad)
    for namn in engine.per_distrikt:
        assert_same(fast.per_distrikt[namn], engine.per_distrikt[namn])


def test_fast_path_reads_stored_bevakningar_not_the_engine(stad: None) -> None:
    """The fast path counts the stored rows: a stored instance marked met shows up as met
    (the engine path would recompute it as it was)."""
    open_row = Bevakning.objects.filter(
        status="open", forfaller__lt=IDAG, arende__insats=BOENDESTOD
    ).first()
    assert open_row is not None
    before, _ = both(IDAG)
    Bevakning.objects.filter(pk=open_row.pk).update(status="met", uppfylld=open_row.forfaller)
    after, engine = both(IDAG)
    rule = after["bevakningar_i_tid"][open_row.regel]
    assert rule["met"] == before["bevakningar_i_tid"][open_row.regel]["met"] + 1
    assert engine["bevakningar_i_tid"] == before["bevakningar_i_tid"]


def test_fast_path_query_count_does_not_grow_with_cases(stad: None) -> None:
    cases = urval_arenden(user_or_none=None, as_of=IDAG)
    with CaptureQueriesContext(connection) as queries:
        granskning_berakna(cases_queryset=cases, as_of=IDAG, urval={}, snabb=True)
    assert len(queries) <= 12


def test_fast_path_is_the_default_only_for_today(time_machine: Any) -> None:
    time_machine.move_to("2026-06-30 12:00 +02:00", tick=False)
    assert anvand_aggregat(IDAG)
    assert not anvand_aggregat(date(2026, 6, 29))
    assert not anvand_aggregat(IDAG, snabb=False)
    assert anvand_aggregat(date(2018, 5, 31), snabb=True)


def test_chart_over_time_from_stored_bevakningar_by_month_due(stad: None) -> None:
    """Today's chart: per month, the stored instances due that month and decided today,
    and the share of them met by their due date (counted here row by row)."""
    datum, serier = bevakningar_over_tid(user_or_none=None, as_of=IDAG, snabb=True)
    assert datum == manadsslut(IDAG)
    cases = urval_arenden(user_or_none=None, as_of=IDAG, oppna_fran=datum[0])
    expected: dict[str, list[float | None]] = {}
    rows = list(
        Bevakning.objects.filter(arende__in=cases.values("pk"), forfaller__lte=IDAG).filter(
            forfaller__gte=datum[0].replace(day=1)
        )
    )
    for regel in sorted({b.regel for b in rows}):
        serie: list[float | None] = []
        for slut in datum:
            statuses = [
                b.effektiv_status(IDAG)
                for b in rows
                if b.regel == regel
                and (b.forfaller.year, b.forfaller.month) == (slut.year, slut.month)
            ]
            decided = [s for s in statuses if s in ("met", "met_late", "overdue", "reported")]
            share = andel(decided.count("met"), len(decided))
            serie.append(None if share is None else float(share))
        expected[regel] = serie
    assert serier == expected
    assert any(v is not None and 0 < v < 1 for serie in serier.values() for v in serie)


def test_chart_over_time_on_a_past_date_recomputes_from_events(stad: None) -> None:
    past = date(2026, 3, 31)
    datum, engine = bevakningar_over_tid(user_or_none=None, as_of=past)
    assert datum == manadsslut(past)
    assert engine == bevakningar_over_tid(user_or_none=None, as_of=past, snabb=False)[1]


def test_the_report_sets_the_districts_out_in_swedish_order(stad: None) -> None:
    # Code-point order would put Ä (U+00C4) before Å (U+00C5); Swedish puts Å first.
    first, second = Distrikt.objects.order_by("pk").values_list("pk", flat=True)[:2]
    Distrikt.objects.filter(pk=first).update(namn="Älvsjö")
    Distrikt.objects.filter(pk=second).update(namn="Årsta")
    for snabb in (True, False):
        rapport = granskning_rapport(user_or_none=None, as_of=IDAG, snabb=snabb)
        assert list(rapport.per_distrikt)[:2] == ["Årsta", "Älvsjö"], snabb
