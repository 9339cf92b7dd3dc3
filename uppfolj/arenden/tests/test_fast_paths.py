"""The worklist and the case page stay fast as data grows: no N+1 queries, indexed worklist.

The query counts are asserted as "the same for a larger load", with an upper bound,
so a new per-row query fails here. The worklist's index is checked with EXPLAIN in
uppfolj/stad/tests/test_explain.py; bench/README.md has the timings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden.access import is_visible, mark_visible, require_visible
from uppfolj.arenden.models import Arende, Behorighet, Bevakning
from uppfolj.arenden.omrakning import bevakningar_berakna_alla
from uppfolj.arenden.services import bevakningar_berakna

TODAY = date(2026, 3, 2)
MINA = reverse("arenden:mina_bevakningar")
# The most queries either page may take, whatever the case or worklist holds. The
# worklist: session, user, its rows, the read log, the form's districts. The case page:
# session, user, the case (its one visibility check), the read log, and one query per
# kind of row it shows (events, bevakningar, warnings, decision, uppdrag, plan …).
MAX_QUERIES_MINA = 5
MAX_QUERIES_ARENDE = 23


def running_case(
    make_case: Any,
    worker: User,
    events_extra: int = 0,
    more_events: tuple[dict[str, Any], ...] = (),
    **extra: Any,
) -> Any:
    """A case being carried out (boendestöd unless `extra` says otherwise), with open
    bevakningar, `events_extra` notes and `more_events`."""
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
    return make_case([*events, *more_events], handlaggare=worker, today=TODAY, **extra)


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


def case_queries(captured: CaptureQueriesContext) -> list[str]:
    """Return the queries that read the case table itself (a visibility check reads it)."""
    return [q["sql"] for q in captured.captured_queries if 'FROM "arenden_arende"' in q["sql"]]


@time_machine.travel(TODAY)
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("insats", "sections"),
    [
        ("boendestod", ["Genomförandeplan", "Samtycken", "Beviljad och utförd tid", "Uppföljning"]),
        ("socialt_boende_med_stod", ["Samtycken", "Lex Sarah", "Egenavgift", "Uppföljning"]),
    ],
)
def test_the_case_page_decides_visibility_once_for_all_its_sections(
    client, cast, make_case, insats, sections
):
    worker = cast["socialsekreterare"]
    client.force_login(worker)
    arende = running_case(make_case, worker)
    if insats != "boendestod":
        arende = make_case(
            [
                {"date": "2026-01-05", "type": "ansokan"},
                {"date": "2026-01-07", "type": "lex_sarah"},
            ],
            insats=insats,
            boendeform="lagenhetsboende",
            handlaggare=worker,
            today=TODAY,
        )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("arenden:arende", args=[arende.arende_id]))
    assert response.status_code == 200
    # The sections that check visibility themselves (plan and consents, time, level and
    # lex Sarah, follow-up) are all shown, and none of them asked the database again.
    page = response.content.decode()
    assert [section for section in sections if f">{section}</h2>" in page] == sections
    assert len(case_queries(captured)) == 1


@pytest.mark.django_db
def test_a_case_marked_visible_for_one_user_is_asked_again_for_another(
    cast, make_case, django_assert_num_queries
):
    worker = cast["socialsekreterare"]
    arende = make_case([{"date": "2026-01-05", "type": "ansokan"}])
    other_district = Distrikt.objects.create(namn="Annat distrikt")
    elsewhere = User.objects.create_user(
        "annan_handlaggare", roll=Roll.SOCIALSEKRETERARE, distrikt=other_district
    )
    fetched = Arende.objects.visible_to(worker).get(pk=arende.pk)
    mark_visible(fetched, worker)
    with django_assert_num_queries(0):
        assert is_visible(worker, fetched)
    with django_assert_num_queries(1):
        assert not is_visible(elsewhere, fetched)
    with pytest.raises(PermissionDenied):
        require_visible(elsewhere, fetched)
    # An instance nobody marked is decided by the database, every time.
    with django_assert_num_queries(1):
        assert is_visible(worker, arende)


@pytest.mark.django_db
def test_the_mark_does_not_survive_a_change_of_role_or_deactivation(cast, make_case):
    worker = cast["socialsekreterare"]
    arende = Arende.objects.get(pk=make_case([{"date": "2026-01-05", "type": "ansokan"}]).pk)
    mark_visible(arende, worker)
    worker.roll = Roll.ADMINISTRATOR
    assert not is_visible(worker, arende)
    worker.roll = Roll.SOCIALSEKRETERARE
    worker.is_active = False
    assert not is_visible(worker, arende)


@time_machine.travel(TODAY)
@pytest.mark.django_db
def test_a_protected_case_stays_hidden_from_a_user_whose_grant_is_not_on_this_request(
    client, cast, make_case
):
    worker = cast["socialsekreterare"]
    arende = make_case([{"date": "2026-01-05", "type": "ansokan"}], skyddad=True)
    url = reverse("arenden:arende", args=[arende.arende_id])
    client.force_login(worker)
    assert client.get(url).status_code == 404
    Behorighet.objects.create(arende=arende, anvandare=worker, beviljad_av=cast["enhetschef"])
    assert client.get(url).status_code == 200
    Behorighet.objects.filter(arende=arende, anvandare=worker).delete()
    assert client.get(url).status_code == 404


def event_queries(captured: CaptureQueriesContext) -> list[str]:
    """Return the queries that read the case's events or bevakningar."""
    tables = ('FROM "arenden_handelse"', 'FROM "arenden_bevakning"')
    return [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in tables)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("insats", "lex_sarah"),
    [("boendestod", False), ("socialt_boende_med_stod", False), ("socialt_boende_med_stod", True)],
)
def test_the_case_page_reads_events_and_bevakningar_once_for_all_its_sections(
    client, cast, make_case, insats, lex_sarah
):
    worker = cast["socialsekreterare"]
    client.force_login(worker)
    report = ({"date": (TODAY - timedelta(days=2)).isoformat(), "type": "lex_sarah"},)
    case = running_case(make_case, worker, events_extra=3, more_events=report if lex_sarah else ())
    if insats != case.insats:
        case.insats = insats
        case.save(update_fields=["insats"])
    url = reverse("arenden:arende", args=[case.arende_id])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # The time section still counts the granted time from the decision it filtered.
    assert "2 tim 0 min per vecka" in html
    events = [q for q in event_queries(captured) if 'FROM "arenden_handelse"' in q]
    bevakningar = [q for q in event_queries(captured) if 'FROM "arenden_bevakning"' in q]
    assert len(events) == 1
    # The lex Sarah part reads its bevakningar, cancelled ones too, when there is a report.
    assert len(bevakningar) == (2 if lex_sarah else 1)
    reported = (TODAY - timedelta(days=2)).isoformat()
    assert (f"Rapport {reported}: handläggaren är inte kontaktad" in html) is lex_sarah


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 1, 5),
        date(2026, 5, 31),
        date(2025, 12, 1),
        date(1999, 9, 9),
        datetime(2026, 3, 29, 23, 30, tzinfo=UTC),  # the next day in Stockholm
        None,
        "",
    ],
)
def test_the_sections_cheap_date_filters_write_what_the_date_filter_writes(value):
    from django.template.defaultfilters import date as date_filter
    from django.utils import timezone, translation

    from uppfolj.utforare.templatetags.utforare_besok import iso_dag, kort_dag

    with translation.override("sv"):
        expected = value
        if isinstance(value, datetime):
            expected = timezone.localtime(value)  # as the template engine passes it
        assert iso_dag(value) == date_filter(expected, "Y-m-d")
        assert kort_dag(value) == date_filter(expected, "j b")
