"""The step forms, drafts kept as the user types, and opening a new case, through the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import Distrikt
from uppfolj.arenden import services
from uppfolj.arenden.models import (
    Arende,
    Behorighet,
    Beslut,
    Handelse,
    Journalanteckning,
    Person,
    Uppdrag,
    Utkast,
)
from uppfolj.arenden.views.steg import STEG
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"

ANSOKAN = {"date": "2026-03-02", "type": "ansokan"}
UTREDNING = {"date": "2026-03-09", "type": "utredning"}
KOMMUNICERAT = {"date": "2026-03-16", "type": "kommunicerat"}
BESLUTAT = {
    "date": "2026-03-23",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-23",
    "to": "2026-12-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
UPPDRAG = {"date": "2026-03-24", "type": "uppdrag_skickat"}
VERKSTALLT = {"date": "2026-03-30", "type": "verkstallt", "grad": "helt"}
PAUS = {"date": "2026-04-01", "type": "paus"}
KLAR_FOR_BESLUT = [ANSOKAN, UTREDNING, KOMMUNICERAT]
BEVILJAD = [*KLAR_FOR_BESLUT, BESLUTAT]
PAGAR = [*BEVILJAD, UPPDRAG, VERKSTALLT]


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def url(arende: Arende, steg: str) -> str:
    return reverse("arenden:steg", args=[arende.arende_id, steg])


def utkast_url(arende: Arende, formular: str) -> str:
    return f"{reverse('arenden:utkast', args=[formular])}?arende={arende.arende_id}"


BESLUT_POST = {
    "datum": "2026-04-14",
    "utfall": "bifall",
    "lagrum": "SoL 4 kap. 1 §",
    "timmar": "2",
    "minuter": "30",
    "fran": "2026-04-14",
    "till": "2026-12-31",
    "motivering": "Behovet av stöd i hemlivet är styrkt i utredningen.",
}

# Each step: the events before it, a valid POST, and the event type it records.
STEP_CASES: dict[str, tuple[list[dict[str, Any]], dict[str, str], str]] = {
    "anmalan": (
        [],
        {
            "datum": "2026-04-14",
            "anmalare_namn": "Eva Granne",
            "anmalare_relation": "granne",
            "anmalare_kontakt": "070-123 45 67",
            "beskrivning": "Har inte synts ute på flera veckor.",
        },
        "anmalan",
    ),
    "ansokan": (
        [],
        {"datum": "2026-04-14", "sokande": "Den enskilde", "form": "muntlig", "begard_timmar": "3"},
        "ansokan",
    ),
    "utredning": (
        [ANSOKAN],
        {
            "datum": "2026-04-14",
            "analys": "Behov av boendestöd.",
            "behov_hemliv": "Behöver stöd med tvätt.",
        },
        "utredning",
    ),
    "kommunicering": ([ANSOKAN, UTREDNING], {"datum": "2026-04-14", "avbojd": "0"}, "kommunicerat"),
    "beslut": (KLAR_FOR_BESLUT, BESLUT_POST, "beslut"),
    "uppdrag": (BEVILJAD, {"datum": "2026-04-14", "mal": "Klara sin tvätt."}, "uppdrag_skickat"),
    "verkstallighet": (
        [*BEVILJAD, UPPDRAG],
        {"datum": "2026-04-14", "grad": "delvis"},
        "verkstallt",
    ),
    "paus": (PAGAR, {"datum": "2026-04-14"}, "paus"),
    "paus_bedomd": ([*PAGAR, PAUS], {"datum": "2026-04-14"}, "paus_bedomd"),
    "ateruppta": ([*PAGAR, PAUS], {"datum": "2026-04-14"}, "ateruppta"),
    "sjukhusinlaggning": (PAGAR, {"datum": "2026-04-14"}, "sjukhusinlaggning"),
    "utskrivning": (
        [*PAGAR, {"date": "2026-04-01", "type": "sjukhusinlaggning"}],
        {"datum": "2026-04-14"},
        "utskrivning",
    ),
    "avslut": (PAGAR, {"datum": "2026-04-14", "skal": "Den enskilde har flyttat."}, "avslut"),
}


def test_every_step_has_a_test_case() -> None:
    assert set(STEP_CASES) == set(STEG)


# --- The happy path of every step --------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("steg", list(STEP_CASES))
def test_step_form_get_and_post(client, cast, make_case, utforare_tilldelad, steg) -> None:
    events, post, typ = STEP_CASES[steg]
    arende = make_case(events, utforare=None if steg == "uppdrag" else utforare_tilldelad)
    if steg == "uppdrag":
        post = {**post, "utforare": str(utforare_tilldelad.pk)}
    login(client, cast["socialsekreterare"])

    response = client.get(url(arende, steg))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{STEG[steg].rubrik}</h1>" in html
    assert 'value="2026-04-20"' in html  # the date defaults to today
    assert f'hx-post="{utkast_url(arende, steg)}"' in html

    response = client.post(url(arende, steg), post)

    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("arenden:arende", args=[arende.arende_id])
    saved = Handelse.objects.get(arende=arende, typ=typ, datum="2026-04-14")
    assert saved.registrerad_av == cast["socialsekreterare"]
    assert AuditLog.objects.filter(arende=arende, aktor=cast["socialsekreterare"]).exists()
    assert AccessLog.objects.filter(arende=arende, vy=f"steg:{steg}").count() == 2


@time_machine.travel(TODAY, tick=False)
def test_beslut_form_records_hours_and_minutes(client, cast, make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, utforare=None)
    login(client, cast["socialsekreterare"]).post(url(arende, "beslut"), BESLUT_POST)
    beslut = Beslut.objects.get(arende=arende)
    assert (beslut.minuter_per_vecka, beslut.till, beslut.aterkallelseforbehall) == (
        150,
        date(2026, 12, 31),
        False,
    )


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_form_sends_the_case_to_the_chosen_provider(
    client, cast, make_case, utforare_annan
) -> None:
    arende = make_case(BEVILJAD, utforare=None)
    response = login(client, cast["socialsekreterare"]).post(
        url(arende, "uppdrag"),
        {
            "datum": "2026-04-14",
            "utforare": str(utforare_annan.pk),
            "mal": "Klara sin tvätt.",
            "personligt_mal": "Bjuda hem min syster.",
            "livsomraden": ["hemliv", "relationer"],
            "aktiviteter": "Tvätta tillsammans.",
            "delmal": "Tvättar själv i juli.",
            "tatare_uppfoljning": "on",
        },
    )
    assert response.status_code == 302
    uppdrag = Uppdrag.objects.get(arende=arende)
    assert uppdrag.livsomraden == ["hemliv", "relationer"]
    assert uppdrag.strukturerat
    arende.refresh_from_db()
    assert (arende.utforare, arende.tatare_uppfoljning) == (utforare_annan, True)


@time_machine.travel(TODAY, tick=False)
def test_kommunicering_form_declined_writes_the_journal(client, cast, make_case) -> None:
    arende = make_case([ANSOKAN, UTREDNING])
    login(client, cast["socialsekreterare"]).post(
        url(arende, "kommunicering"),
        {"datum": "2026-04-14", "avbojd": "1", "anteckning": "Vill inte läsa."},
    )
    assert Handelse.objects.filter(arende=arende, typ="kommunicering_avbojd").exists()
    assert Journalanteckning.objects.get(arende=arende).text == "Vill inte läsa."


# --- Who may open a step form ------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("steg", list(STEP_CASES))
def test_step_form_refuses_those_who_may_not_handle(client, cast, make_case, steg) -> None:
    arende = make_case(STEP_CASES[steg][0])
    for role, status in [
        ("forste_socialsekreterare", 200),
        ("enhetschef", 200),
        ("boendestodjare", 403),
        ("stodpedagog", 403),
        ("utforarchef", 403),
        ("inspektor", 403),  # the inspector may read the case, not handle it
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ]:
        c = login(Client(), cast[role])
        assert c.get(url(arende, steg)).status_code == status, role
        if status != 200:
            assert c.post(url(arende, steg), STEP_CASES[steg][1]).status_code == status, role
    assert not Handelse.objects.filter(arende=arende, datum="2026-04-14").exists()


@time_machine.travel(TODAY, tick=False)
def test_step_form_of_another_districts_case_is_404(client, cast, make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT)
    Arende.objects.filter(pk=arende.pk).update(distrikt=Distrikt.objects.create(namn="Skärholmen"))
    login(client, cast["socialsekreterare"])
    assert client.get(url(arende, "beslut")).status_code == 404
    assert client.post(url(arende, "beslut"), BESLUT_POST).status_code == 404
    assert not Beslut.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_step_form_of_a_protected_case_needs_a_grant(client, cast, make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT, skyddad=True)
    login(client, cast["socialsekreterare"])
    assert client.get(url(arende, "beslut")).status_code == 404
    assert client.post(url(arende, "beslut"), BESLUT_POST).status_code == 404
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=arende, anvandare=cast["socialsekreterare"]
    )
    assert client.get(url(arende, "beslut")).status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_unknown_step_is_404(client, cast, make_case) -> None:
    arende = make_case([])
    assert login(client, cast["socialsekreterare"]).get(url(arende, "trolla")).status_code == 404
    assert client.get(reverse("arenden:steg", args=["FINNS-INTE", "beslut"])).status_code == 404


def test_anonymous_is_sent_to_login(client, make_case) -> None:
    arende = make_case([])
    for target in (url(arende, "beslut"), reverse("arenden:nytt")):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(utkast_url(arende, "beslut"), {"motivering": "x"})
    assert response.status_code == 302
    assert not Utkast.objects.exists()


# --- Invalid input: 400 with the exact Swedish error --------------------------------------


def field_error(html: str, message: str) -> bool:
    return f'<p class="error" role="alert">{message}</p>' in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("steg", list(STEP_CASES))
def test_future_date_is_refused_on_every_step(client, cast, make_case, utforare_tilldelad, steg):
    events, post, _ = STEP_CASES[steg]
    arende = make_case(events)
    post = {**post, "datum": "2026-04-21", "utforare": str(utforare_tilldelad.pk)}
    response = login(client, cast["socialsekreterare"]).post(url(arende, steg), post)
    assert response.status_code == 400
    assert field_error(response.content.decode(), "Datumet får inte ligga i framtiden.")
    assert not Handelse.objects.filter(arende=arende, datum="2026-04-21").exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"till": "2026-04-13"}, "Slutdatumet ligger före startdatumet."),
        ({"timmar": "", "minuter": ""}, "Ange beviljad tid i timmar och minuter per vecka."),
        ({"timmar": "0", "minuter": "0"}, "Ange beviljad tid i timmar och minuter per vecka."),
        ({"minuter": "60"}, "Kontrollera att detta värde är mindre än eller lika med 59."),
        ({"motivering": ""}, "Detta fält måste fyllas i."),
        ({"fran": "31/12"}, "Fyll i ett giltigt datum."),
    ],
)
def test_invalid_beslut_form_is_400_with_the_error(client, cast, make_case, changes, message):
    arende = make_case(KLAR_FOR_BESLUT)
    response = login(client, cast["socialsekreterare"]).post(
        url(arende, "beslut"), {**BESLUT_POST, **changes}
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), message)
    assert not Beslut.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_service_refusal_is_shown_on_the_form(client, cast, make_case, utforare_tilldelad):
    arende = make_case([*KLAR_FOR_BESLUT, {**BESLUTAT, "utfall": "avslag"}])
    response = login(client, cast["socialsekreterare"]).post(
        url(arende, "uppdrag"),
        {"datum": "2026-04-14", "utforare": str(utforare_tilldelad.pk), "mal": "Mål."},
    )
    assert response.status_code == 400
    assert "<p>Ett uppdrag kan skickas först när insatsen är beviljad.</p>" in (
        response.content.decode()
    )
    assert not Uppdrag.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_avslut_twice_is_shown_on_the_form(client, cast, make_case) -> None:
    arende = make_case([*PAGAR, {"date": "2026-04-10", "type": "avslut"}])
    response = login(client, cast["socialsekreterare"]).post(
        url(arende, "avslut"), {"datum": "2026-04-14", "skal": "Igen."}
    )
    assert response.status_code == 400
    assert "<p>Ärendet är redan avslutat.</p>" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_closed_case_shows_no_step_form_that_would_be_refused(client, cast, make_case) -> None:
    arende = make_case([*PAGAR, {"date": "2026-04-10", "type": "avslut"}])
    login(client, cast["socialsekreterare"])
    for steg in STEG:
        page = client.get(url(arende, steg))
        html = page.content.decode()
        assert page.status_code == 200, steg
        assert "<form" not in html.split("<main", 1)[-1], steg
        message = (
            "Ärendet är redan avslutat."
            if steg == "avslut"
            else ("Ärendet är avslutat; inget mer kan registreras i det.")
        )
        assert f"<p>{message}</p>" in html, steg
    response = client.post(url(arende, "paus"), {"datum": "2026-04-14"})
    assert response.status_code == 400
    assert "<p>Ärendet är avslutat; inget mer kan registreras i det.</p>" in (
        response.content.decode()
    )
    assert not Handelse.objects.filter(arende=arende, typ="paus").exists()


@time_machine.travel(TODAY, tick=False)
def test_required_fields_of_a_document_form(client, cast, make_case) -> None:
    arende = make_case([])
    response = login(client, cast["socialsekreterare"]).post(
        url(arende, "anmalan"), {"datum": "2026-04-14"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(">Detta fält måste fyllas i.</p>") == 4
    assert not Handelse.objects.filter(arende=arende).exists()


# --- Drafts --------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_draft_is_stored_restored_and_deleted_on_save(client, cast, make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT)
    login(client, cast["socialsekreterare"])

    response = client.post(
        utkast_url(arende, "beslut"),
        {"utfall": "bifall", "timmar": "2", "motivering": "Påbörjad motivering."},
    )

    assert response.status_code == 200
    assert response.content.decode() == "Utkast sparat 10:00:00"
    draft = Utkast.objects.get()
    assert (draft.anvandare, draft.formular, draft.arende) == (
        cast["socialsekreterare"],
        "beslut",
        arende,
    )
    assert draft.data["motivering"] == ["Påbörjad motivering."]

    html = client.get(url(arende, "beslut")).content.decode()
    assert "Ett utkast som sparades 2026-04-20 10:00 har återställts." in html
    assert "Påbörjad motivering.</textarea>" in html
    assert 'name="timmar" value="2"' in html

    # Typing on updates the same draft.
    client.post(utkast_url(arende, "beslut"), {"motivering": "Längre motivering."})
    assert Utkast.objects.get().data == {"motivering": ["Längre motivering."]}

    assert client.post(url(arende, "beslut"), BESLUT_POST).status_code == 302
    assert not Utkast.objects.exists()
    assert "Ett utkast som sparades" not in client.get(url(arende, "beslut")).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_failed_save_keeps_the_draft(client, cast, make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT)
    login(client, cast["socialsekreterare"])
    client.post(utkast_url(arende, "beslut"), {"motivering": "Påbörjad."})
    assert (
        client.post(url(arende, "beslut"), {**BESLUT_POST, "till": "2026-01-01"}).status_code == 400
    )
    assert Utkast.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_drafts_are_per_user(client, cast, make_case) -> None:
    arende = make_case(KLAR_FOR_BESLUT)
    login(client, cast["socialsekreterare"]).post(
        utkast_url(arende, "beslut"), {"motivering": "Min motivering."}
    )
    html = login(Client(), cast["forste_socialsekreterare"]).get(url(arende, "beslut"))
    assert "Min motivering." not in html.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_draft_for_an_invisible_case_or_unknown_form_is_refused(client, cast, make_case) -> None:
    skyddad = make_case(KLAR_FOR_BESLUT, skyddad=True)
    arende = make_case(KLAR_FOR_BESLUT)
    login(client, cast["socialsekreterare"])
    assert client.post(utkast_url(skyddad, "beslut"), {"motivering": "x"}).status_code == 404
    assert client.post(utkast_url(arende, "trolla"), {"motivering": "x"}).status_code == 404
    assert client.get(utkast_url(arende, "beslut")).status_code == 405
    # A step form's draft belongs to a case.
    assert client.post(reverse("arenden:utkast", args=["beslut"]), {"x": "y"}).status_code == 404
    staff = login(Client(), cast["boendestodjare"])
    assert staff.post(utkast_url(arende, "beslut"), {"motivering": "x"}).status_code == 403
    assert not Utkast.objects.exists()


# --- Nytt ärende -----------------------------------------------------------------------------

NY_PERSON = {
    "personnummer": "198001010118",
    "fornamn": "Karin",
    "efternamn": "Lindqvist",
    "kon": "kvinna",
    "minderariga_barn": "1",
    "insats": "boendestod",
    "verksamhetsomrade": "socialpsykiatri",
}


@time_machine.travel(TODAY, tick=False)
def test_nytt_arende_creates_person_and_case(client, cast, distrikt) -> None:
    login(client, cast["socialsekreterare"])
    assert client.get(reverse("arenden:nytt")).status_code == 200

    response = client.post(reverse("arenden:nytt"), NY_PERSON)

    arende = Arende.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("arenden:arende", args=[arende.arende_id])
    person = arende.person
    assert (person.personnummer, person.fornamn, person.efternamn) == (
        "19800101-0118",
        "Karin",
        "Lindqvist",
    )
    assert (person.fodd.isoformat(), person.minderariga_barn) == ("1980-01-01", 1)
    assert (arende.insats, arende.distrikt, arende.handlaggare) == (
        "boendestod",
        distrikt,
        cast["socialsekreterare"],
    )
    assert arende.verksamhetsomrade == "socialpsykiatri"
    assert {a.atgard for a in AuditLog.objects.all()} == {"person_registrera", "arende_oppna"}
    assert f"Ärende {arende.arende_id} öppnat." in client.get(response["Location"]).content.decode()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"personnummer": "19800101-0119"}, "Personnumret är inte giltigt."),
        ({"personnummer": "hej"}, "Personnumret är inte giltigt."),
        ({"fornamn": ""}, "Fyll i för en ny person."),
        ({"boendeform": "lagenhetsboende"}, "Boendeform anges bara för socialt boende med stöd."),
    ],
)
def test_nytt_arende_invalid_input_is_400(client, cast, distrikt, changes, field_message) -> None:
    response = login(client, cast["socialsekreterare"]).post(
        reverse("arenden:nytt"), {**NY_PERSON, **changes}
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), field_message)
    assert not Person.objects.exists() and not Arende.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_nytt_arende_reuses_an_existing_person_by_personnummer(client, cast, make_case) -> None:
    existing = make_case([]).person
    response = login(client, cast["socialsekreterare"]).post(
        reverse("arenden:nytt"),
        {
            "personnummer": existing.personnummer.replace("-", ""),
            "insats": "socialt_boende_med_stod",
            "boendeform": "lagenhetsboende",
            "verksamhetsomrade": "socialpsykiatri",
        },
    )
    assert response.status_code == 302
    assert Person.objects.count() == 1
    arende = Arende.objects.get(insats="socialt_boende_med_stod")
    assert (arende.person, arende.boendeform) == (existing, "lagenhetsboende")
    assert not AuditLog.objects.filter(atgard="person_registrera").exists()


@time_machine.travel(TODAY, tick=False)
def test_nytt_arende_for_a_protected_person_asks_a_plain_social_worker_to_get_a_grant(
    client, cast, distrikt
) -> None:
    response = login(client, cast["socialsekreterare"]).post(
        reverse("arenden:nytt"), {**NY_PERSON, "skyddad_identitet": "on"}
    )
    arende = Arende.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("arenden:lista")
    assert not Behorighet.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert (
        f"Ärende {arende.arende_id} öppnat. Personen har skyddade personuppgifter: be förste "
        "socialsekreterare eller enhetschef om behörighet till ärendet."
    ) in html
    assert client.get(reverse("arenden:arende", args=[arende.arende_id])).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_nytt_arende_for_a_protected_person_by_forste_grants_themself(client, cast, distrikt):
    forste = cast["forste_socialsekreterare"]
    response = login(client, forste).post(
        reverse("arenden:nytt"), {**NY_PERSON, "skyddad_identitet": "on"}
    )
    arende = Arende.objects.get()
    assert response["Location"] == reverse("arenden:arende", args=[arende.arende_id])
    grant = Behorighet.objects.get()
    assert (grant.arende, grant.anvandare, grant.beviljad_av) == (arende, forste, forste)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role", ["boendestodjare", "utforarchef", "inspektor", "administrator", "utomstaende"]
)
def test_nytt_arende_is_for_the_authority_only(client, cast, role) -> None:
    c = login(client, cast[role])
    assert c.get(reverse("arenden:nytt")).status_code == 403
    assert c.post(reverse("arenden:nytt"), NY_PERSON).status_code == 403
    assert not Person.objects.exists()
