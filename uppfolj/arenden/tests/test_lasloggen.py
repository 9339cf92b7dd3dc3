"""Läsloggen: who has read a case (ACC-LOGG), for the enhetschef and förste socialsekreterare."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.arenden import services
from uppfolj.audit.models import AccessLog
from uppfolj.audit.services import access_record
from uppfolj.conftest import CAST_ROLLER, PASSWORD

pytestmark = pytest.mark.django_db

BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
READERS = ("enhetschef", "forste_socialsekreterare")
NOT_READERS = tuple(roll for roll in CAST_ROLLER if roll not in READERS)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def url(arende) -> str:
    return reverse("arenden:lasloggen", args=[arende.arende_id])


@pytest.fixture
def arende(make_case):
    with time_machine.travel("2026-04-01 09:00 +02:00", tick=False):
        return make_case([BESLUT], case_id="A-1")


def test_anonymous_is_sent_to_login(client, arende):
    response = client.get(url(arende))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_manager_sees_who_read_the_case_newest_first(client, cast, arende):
    with time_machine.travel("2026-04-20 08:15 +02:00", tick=False):
        login(Client(), cast["socialsekreterare"]).get(reverse("arenden:arende", args=["A-1"]))
    with time_machine.travel("2026-04-20 09:30 +02:00", tick=False):
        inspector = login(Client(), cast["inspektor"])
        inspector.post(reverse("arenden:arende", args=["A-1"]), {"skal": "Tillsyn 2026:14"})
    with time_machine.travel("2026-04-20 10:00 +02:00", tick=False):
        response = login(client, cast["enhetschef"]).get(url(arende))
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 läsningar" in html
    own = html.index("2026-04-20 10:00:00")
    inspector_row = html.index("2026-04-20 09:30:00")
    social_worker_row = html.index("2026-04-20 08:15:00")
    assert own < inspector_row < social_worker_row
    assert 'Socialsekreterare <span class="muted">(socialsekreterare)</span>' in html
    assert "<td>Ärendesidan</td>" in html and "<td>Läsloggen</td>" in html
    assert "<td>Inspektör</td>" in html and "<td>Tillsyn 2026:14</td>" in html
    assert '<th scope="col">Vem</th>' in html
    # Viewing the log is itself a read of the case.
    last = AccessLog.objects.order_by("-id").first()
    assert (last.aktor, last.vy) == (cast["enhetschef"], "lasloggen")


def test_log_is_paginated(client, cast, arende):
    with time_machine.travel("2026-04-20 10:00 +02:00", tick=False):
        for _ in range(60):
            access_record(actor=cast["socialsekreterare"], arenden=[arende], view="arendelista")
        login(client, cast["forste_socialsekreterare"])
        first = client.get(url(arende)).content.decode()
        second = client.get(url(arende), {"sida": 2}).content.decode()
    assert "61 läsningar, sida 1 av 2" in first
    assert first.count("<td>Ärendelistan</td>") == 49 and "<td>Läsloggen</td>" in first
    assert 'href="?sida=2">Äldre</a>' in first
    # Opening page 2 was one more read, at the top of page 1: 12 are left for page 2.
    assert "62 läsningar, sida 2 av 2" in second
    assert second.count("<td>Ärendelistan</td>") == 12


@pytest.mark.parametrize("role", READERS)
def test_readers_may_open_the_log(client, cast, arende, role):
    assert login(client, cast[role]).get(url(arende)).status_code == 200


@pytest.mark.parametrize("role", NOT_READERS)
def test_other_roles_are_refused(client, cast, arende, role):
    assert login(client, cast[role]).get(url(arende)).status_code == 403
    # ACC-LOGG: the refusal is logged once, marked, and nothing else.
    rows = AccessLog.objects.filter(aktor=cast[role])
    assert [(row.arende_id, row.nekad) for row in rows] == [(arende.pk, True)]


def test_protected_case_is_not_found_without_a_grant(client, cast, make_case):
    skyddat = make_case([BESLUT], case_id="SKYDD-1", skyddad=True)
    assert login(client, cast["enhetschef"]).get(url(skyddat)).status_code == 404
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=skyddat, anvandare=cast["enhetschef"]
    )
    assert client.get(url(skyddat)).status_code == 200
    assert login(Client(), cast["forste_socialsekreterare"]).get(url(skyddat)).status_code == 404


def test_case_page_links_to_the_log_for_its_readers_only(client, cast, arende):
    link = f'href="{url(arende)}"'
    case_page = reverse("arenden:arende", args=["A-1"])
    assert link in login(client, cast["enhetschef"]).get(case_page).content.decode()
    html = login(Client(), cast["socialsekreterare"]).get(case_page).content.decode()
    assert link not in html


def test_query_count_does_not_grow_with_the_log(client, cast, arende, make_case):
    other = make_case([BESLUT])
    login(client, cast["enhetschef"])
    client.get(url(arende))
    with CaptureQueriesContext(connection) as few:
        client.get(url(arende))
    for _ in range(20):
        access_record(actor=cast["socialsekreterare"], arenden=[arende, other], view="arendelista")
    with CaptureQueriesContext(connection) as many:
        client.get(url(arende))
    assert len(many) == len(few)
