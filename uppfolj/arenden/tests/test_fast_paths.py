"""The worklist and the case page stay fast as data grows: no N+1 queries, indexed worklist.

The query counts are asserted as "the same for a larger load", with an upper bound,
so a new per-row query fails here. The worklist's index is checked with EXPLAIN in
uppfolj/stad/tests/test_explain.py; bench/README.md has the timings.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.accounts.models import User
from uppfolj.arenden.models import Bevakning
from uppfolj.arenden.omrakning import bevakningar_berakna_alla
from uppfolj.arenden.services import bevakningar_berakna

TODAY = date(2026, 3, 2)
MINA = reverse("arenden:mina_bevakningar")
# The most queries either page may take, whatever the case or worklist holds.
MAX_QUERIES_MINA = 10
MAX_QUERIES_ARENDE = 40


def running_case(make_case: Any, worker: User, events_extra: int = 0) -> Any:
    """A boendestöd case being carried out, with open bevakningar and `events_extra` notes."""
    start = TODAY - timedelta(days=20 + 7 * events_extra)
    events = [
        {"date": start.isoformat(), "type": "ansokan"},
        {
            "date": (start + timedelta(days=5)).isoformat(),
            "type": "beslut",
            "utfall": "bifall",
            "from": (start + timedelta(days=5)).isoformat(),
            "to": (start + timedelta(days=400)).isoformat(),
            "minuter_per_vecka": 120,
        },
        {"date": (start + timedelta(days=6)).isoformat(), "type": "uppdrag_skickat"},
    ]
    events += [
        {"date": (start + timedelta(days=7 + 7 * i)).isoformat(), "type": "daganteckning"}
        for i in range(events_extra)
    ]
    return make_case(events, handlaggare=worker, today=TODAY)


def queries_of(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@time_machine.travel(TODAY)
@pytest.mark.django_db
def test_mina_bevakningar_takes_the_same_queries_for_two_cases_and_for_twelve(
    client, cast, make_case, django_assert_max_num_queries
):
    worker = cast["socialsekreterare"]
    client.force_login(worker)
    for _ in range(2):
        running_case(make_case, worker)
    few = queries_of(client, MINA)
    for _ in range(10):
        running_case(make_case, worker)
    with django_assert_max_num_queries(MAX_QUERIES_MINA):
        response = client.get(MINA)
    assert response.content.decode().count("/arenden/T-") >= 12
    assert queries_of(client, MINA) == few


@time_machine.travel(TODAY)
@pytest.mark.django_db
def test_the_case_page_takes_the_same_queries_for_three_events_and_for_forty(
    client, cast, make_case, django_assert_max_num_queries
):
    worker = cast["socialsekreterare"]
    client.force_login(worker)
    short = running_case(make_case, worker)
    long = running_case(make_case, worker, events_extra=37)
    assert long.handelser.count() == 40
    short_url = reverse("arenden:arende", args=[short.arende_id])
    long_url = reverse("arenden:arende", args=[long.arende_id])
    with django_assert_max_num_queries(MAX_QUERIES_ARENDE):
        client.get(long_url)
    assert queries_of(client, long_url) == queries_of(client, short_url)


@pytest.mark.django_db
def test_bulk_recomputation_stores_what_the_per_case_service_stores(cast, make_case):
    worker = cast["socialsekreterare"]
    cases = [running_case(make_case, worker, events_extra=n) for n in (0, 3, 9)]
    untouched = running_case(make_case, worker)

    def stored(arende: Any) -> tuple[list[Any], list[Any]]:
        return (
            sorted(
                arende.bevakningar.values_list("regel", "start", "forfaller", "status", "uppfylld")
            ),
            sorted(arende.varningar.values_list("regel", "datum", "meddelande")),
        )

    later = TODAY + timedelta(days=120)
    for arende in cases:
        bevakningar_berakna(arende=arende, today=later)
    expected = [stored(a) for a in cases]
    Bevakning.objects.filter(arende__in=cases).delete()
    before_untouched = stored(untouched)

    assert bevakningar_berakna_alla(today=later, arende_ids=[a.pk for a in cases]) == 3
    assert [stored(a) for a in cases] == expected
    assert any(rows for rows, _ in expected)
    assert stored(untouched) == before_untouched
