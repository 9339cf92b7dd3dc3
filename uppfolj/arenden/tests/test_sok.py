"""Sök person: by personnummer in any format or by part of a name, within what one may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.arenden import services
from uppfolj.arenden.models import Arende, Person
from uppfolj.arenden.views.sok import (
    KORT_FRAGA,
    OGILTIGT_PNR,
    TOM_FRAGA,
    Sokfraga,
    tolka_sokfraga,
)
from uppfolj.audit.models import AccessLog
from uppfolj.conftest import PASSWORD

URL = "/sok/"
BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
SEARCHERS = ("socialsekreterare", "forste_socialsekreterare", "enhetschef", "inspektor")
NOT_SEARCHERS = (
    "boendestodjare",
    "stodpedagog",
    "utforarchef",
    "boendestodjare_annan",
    "administrator",
    "utomstaende",
)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def rename(arende, fornamn: str, efternamn: str) -> Person:
    Person.objects.filter(pk=arende.person_id).update(fornamn=fornamn, efternamn=efternamn)
    return Person.objects.get(pk=arende.person_id)


@pytest.fixture
def asa(make_case):
    """Åsa Östlund, with two cases."""
    first = make_case([BESLUT], case_id="A-1")
    second = make_case([BESLUT], case_id="A-2", insats="vard_och_omsorgsboende")
    Arende.objects.filter(pk=second.pk).update(person=first.person)
    Person.objects.filter(pk=second.person_id).delete()
    rename(first, "Åsa", "Östlund")
    return first.person


# --- Reading the query, no database ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["19121212-1212", "191212121212", "121212+1212", " 19121212 1212 ", "19121212–1212"],
)
def test_personnummer_in_common_formats_is_normalised(text):
    assert tolka_sokfraga(text) == Sokfraga(personnummer="19121212-1212")


def test_short_personnummer_without_plus_is_under_a_hundred_years_old():
    assert tolka_sokfraga("121212-1212") == Sokfraga(personnummer="20121212-1212")


def test_name_query_is_split_into_words():
    assert tolka_sokfraga("  åsa  Öst ") == Sokfraga(namn=("åsa", "Öst"))


@pytest.mark.parametrize(
    ("text", "message"),
    [("", TOM_FRAGA), ("   ", TOM_FRAGA), ("Å", KORT_FRAGA), ("19121212-1213", OGILTIGT_PNR)],
)
def test_empty_short_or_invalid_query_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        tolka_sokfraga(text)


# --- The page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL, {"q": "Åsa"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_search_by_personnummer_in_any_format_lists_the_persons_cases(client, cast, asa):
    long_form = asa.personnummer  # YYYYMMDD-NNNN
    digits = long_form.replace("-", "")
    login(client, cast["socialsekreterare"])
    for text in (long_form, digits, digits[2:], f"{digits[2:8]}-{digits[8:]}"):
        response = client.get(URL, {"q": text})
        html = response.content.decode()
        assert response.status_code == 200, text
        assert "Åsa Östlund" in html and long_form in html
        assert 'href="/arenden/A-1/"' in html and 'href="/arenden/A-2/"' in html
        assert "1 person, 2 ärenden." in html


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["östlund", "ÅSA", "sa öst", "Östl"])
def test_search_by_part_of_a_name_ignores_case_including_a_a_o(client, cast, asa, make_case, text):
    other = make_case([BESLUT], case_id="B-1")
    rename(other, "Bertil", "Lund")
    html = login(client, cast["socialsekreterare"]).get(URL, {"q": text}).content.decode()
    assert "Åsa Östlund" in html
    assert "/arenden/B-1/" not in html


@pytest.mark.django_db
def test_each_hit_is_logged_as_a_read(client, cast, asa, make_case):
    rename(make_case([BESLUT], case_id="B-1"), "Bertil", "Lund")
    login(client, cast["enhetschef"]).get(URL, {"q": "Östlund"})
    rows = sorted(AccessLog.objects.values_list("aktor__username", "arende__arende_id", "vy"))
    assert rows == [("enhetschef", "A-1", "sok"), ("enhetschef", "A-2", "sok")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Skriv ett personnummer eller ett namn att söka på."),
        ("Ö", "Skriv minst 2 bokstäver av namnet."),
        ("19800101-000", "Personnumret är inte giltigt. Skriv hela numret, till exempel "),
    ],
)
def test_empty_short_or_invalid_query_shows_a_message_and_searches_nothing(
    client, cast, asa, text, message
):
    response = login(client, cast["socialsekreterare"]).get(URL, {"q": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Åsa Östlund" not in html
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_the_empty_page_searches_nothing(client, cast, asa):
    html = login(client, cast["socialsekreterare"]).get(URL).content.decode()
    assert '<label for="q">Personnummer eller namn</label>' in html
    assert "Träffar" not in html
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_no_hit_says_so(client, cast, asa):
    html = login(client, cast["socialsekreterare"]).get(URL, {"q": "Karlsson"}).content.decode()
    assert "Ingen person hittades bland de ärenden du har behörighet till." in html


@pytest.mark.django_db
def test_protected_person_is_absent_without_a_grant(client, cast, make_case):
    skyddat = make_case([BESLUT], case_id="SKYDD-1", skyddad=True)
    person = rename(skyddat, "Sigrid", "Skyddad")
    login(client, cast["socialsekreterare"])
    for text in (person.personnummer, "Skyddad"):
        html = client.get(URL, {"q": text}).content.decode()
        assert "SKYDD-1" not in html and "Sigrid" not in html
        assert "Ingen person hittades" in html
    assert not AccessLog.objects.exists()
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=skyddat, anvandare=cast["socialsekreterare"]
    )
    html = client.get(URL, {"q": "Skyddad"}).content.decode()
    assert "SKYDD-1" in html and "Skyddade personuppgifter" in html


@pytest.mark.django_db
def test_another_districts_case_is_absent_but_an_inspector_finds_it(client, cast, make_case):
    rename(make_case([BESLUT], case_id="S-1", distrikt="Södermalm"), "Sven", "Söder")
    html = login(client, cast["socialsekreterare"]).get(URL, {"q": "Söder"}).content.decode()
    assert "S-1" not in html
    html = login(Client(), cast["inspektor"]).get(URL, {"q": "Söder"}).content.decode()
    assert 'href="/arenden/S-1/"' in html


@pytest.mark.django_db
def test_inspector_sees_cases_but_not_names_or_personnummer(client, cast, asa):
    html = login(client, cast["inspektor"]).get(URL, {"q": asa.personnummer}).content.decode()
    assert 'href="/arenden/A-1/"' in html
    assert "Östlund" not in html.split("Träffar")[1]
    assert asa.personnummer not in html.split("Träffar")[1]
    assert "namn visas när ärendet öppnas" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEARCHERS)
def test_authority_and_inspector_may_search(client, cast, asa, role):
    assert login(client, cast[role]).get(URL, {"q": "Östlund"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_SEARCHERS)
def test_provider_staff_and_others_are_refused(client, cast, asa, role):
    response = login(client, cast[role]).get(URL, {"q": "Östlund"})
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_hits(client, cast, make_case):
    login(client, cast["socialsekreterare"])
    rename(make_case([BESLUT]), "Anna", "Andersson")
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"q": "Anders"})
    for _ in range(8):
        rename(make_case([BESLUT]), "Anna", "Andersson")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "Anders"})
    assert "9 personer, 9 ärenden." in response.content.decode()
    assert len(many) == len(one)
