"""The case list: who sees which cases, their bevakningar, the access log, the query count."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.audit.models import AccessLog
from uppfolj.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/arenden/"
BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "to": "2026-08-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
TODAY = "2026-04-20 10:00 +02:00"


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def a1_events():
    return [
        BESLUT,
        {"date": "2026-03-03", "type": "uppdrag_skickat"},
        {"date": "2026-03-05", "type": "kontakt_tagen"},
        {"date": "2026-03-16", "type": "verkstallt", "grad": "helt"},
    ]


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@time_machine.travel(TODAY, tick=False)
def test_social_worker_sees_cases_with_bevakningar_and_their_status(client, cast, make_case):
    make_case(a1_events(), case_id="A-1")
    response = login(client, cast["socialsekreterare"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A-1" in html
    # BS-GFP-4V was due 2026-04-13: a week late on 2026-04-20.
    assert 'class="bevakning status-overdue"' in html
    assert "BS-GFP-4V" in html and "7 dagar sen" in html
    assert "Genomförandeplan klar fyra veckor efter verkställighetsdatum" in html
    assert "Källa: 003" in html
    # BS-KONTAKT-3VD met on 2026-03-05.
    assert "BS-KONTAKT-3VD" in html and "Uppfylld" in html


@time_machine.travel(TODAY, tick=False)
def test_provider_sees_only_cases_it_has_an_uppdrag_for(client, cast, make_case, utforare_annan):
    make_case(a1_events(), case_id="EGEN-1")
    make_case(a1_events(), case_id="ANNAN-1", utforare=utforare_annan)
    html = login(client, cast["boendestodjare"]).get(URL).content.decode()
    assert "EGEN-1" in html
    assert "ANNAN-1" not in html
    html = login(Client(), cast["boendestodjare_annan"]).get(URL).content.decode()
    assert "ANNAN-1" in html
    assert "EGEN-1" not in html


@time_machine.travel(TODAY, tick=False)
def test_protected_case_is_hidden_from_users_without_a_grant(client, cast, make_case):
    make_case(a1_events(), case_id="SKYDD-1", skyddad=True)
    for role in ("socialsekreterare", "boendestodjare", "inspektor"):
        html = login(Client(), cast[role]).get(URL).content.decode()
        assert "SKYDD-1" not in html, role


@time_machine.travel(TODAY, tick=False)
def test_user_without_a_role_sees_no_case(client, cast, make_case):
    make_case(a1_events(), case_id="A-1")
    html = login(client, cast["utomstaende"]).get(URL).content.decode()
    assert "A-1" not in html
    assert "Inga ärenden matchar urvalet." in html


@time_machine.travel(TODAY, tick=False)
def test_every_listed_case_is_logged_as_read(client, cast, make_case):
    shown = make_case(a1_events(), case_id="A-1")
    make_case(a1_events(), case_id="SKYDD-1", skyddad=True)
    login(client, cast["socialsekreterare"]).get(URL)
    rows = list(AccessLog.objects.values_list("aktor__username", "arende__arende_id", "vy"))
    assert rows == [("socialsekreterare", shown.arende_id, "arendelista")]


@time_machine.travel(TODAY, tick=False)
def test_filters_by_insats_and_overdue(client, cast, make_case):
    make_case(a1_events(), case_id="BS-1")
    make_case([BESLUT], case_id="VOB-1", insats="vard_och_omsorgsboende")
    make_case(
        [*a1_events(), {"date": "2026-04-01", "type": "genomforandeplan_klar"}], case_id="BS-OK"
    )
    login(client, cast["socialsekreterare"])
    html = client.get(URL, {"insats": "vard_och_omsorgsboende"}).content.decode()
    assert "VOB-1" in html and "BS-1" not in html
    html = client.get(URL, {"endast_forsenade": "on"}).content.decode()
    assert "BS-1" in html and "BS-OK" not in html and "VOB-1" not in html


@time_machine.travel(TODAY, tick=False)
def test_htmx_request_gets_only_the_table(client, cast, make_case):
    make_case(a1_events(), case_id="A-1")
    response = login(client, cast["socialsekreterare"]).get(URL, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "A-1" in html
    assert "<html" not in html


@time_machine.travel(TODAY, tick=False)
def test_query_count_does_not_grow_with_the_number_of_cases(client, cast, make_case):
    login(client, cast["socialsekreterare"])
    make_case(a1_events())
    with CaptureQueriesContext(connection) as one_case:
        client.get(URL)
    for _ in range(6):
        make_case(a1_events())
    with CaptureQueriesContext(connection) as seven_cases:
        client.get(URL)
    assert len(seven_cases) == len(one_case)
    # session, user, count, page, bevakningar, varningar, access-log insert
    assert len(one_case) <= 8


def test_demo_accounts_are_refused_when_demo_login_is_off(client, cast, settings):
    user = cast["socialsekreterare"]
    user.is_demo = True
    user.save()
    assert client.login(username=user.username, password=PASSWORD)
    client.logout()
    settings.UPPFOLJ_ALLOW_DEMO_LOGIN = False
    assert not client.login(username=user.username, password=PASSWORD)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_login_page_is_swedish(client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="sv">' in html
    assert "Logga in" in html and "Lösenord" in html


@time_machine.travel(TODAY, tick=False)
def test_inspector_reads_cases_without_names_and_opens_one_with_a_reason(client, cast, make_case):
    arende = make_case(a1_events(), case_id="A-1")
    name = str(arende.person)
    login(client, cast["inspektor"])
    html = client.get(URL).content.decode()
    assert "A-1" in html
    assert name not in html and arende.person.personnummer not in html

    page = f"/arenden/{arende.arende_id}/"
    response = client.get(page)
    assert response.status_code == 200
    assert "Skäl för att öppna ärendet" in response.content.decode()
    assert name not in response.content.decode()
    assert not AccessLog.objects.filter(vy="arende").exists()

    response = client.post(page, {"skal": ""})
    assert response.status_code == 400
    assert "Ange ett skäl för att öppna ärendet." in response.content.decode()

    response = client.post(page, {"skal": "Aktgranskning av boendestöd 2026"})
    assert response.status_code == 200
    assert name in response.content.decode()
    log = AccessLog.objects.get(vy="arende")
    assert (log.aktor, log.arende, log.skal) == (
        cast["inspektor"],
        arende,
        "Aktgranskning av boendestöd 2026",
    )
    # Reading is all an inspector does: no step forms, no reason forms for warnings.
    assert "Gå vidare" not in response.content.decode()


def test_inspector_cannot_open_a_case_that_does_not_exist(client, cast):
    login(client, cast["inspektor"])
    assert client.get("/arenden/FINNS-INTE/").status_code == 404
