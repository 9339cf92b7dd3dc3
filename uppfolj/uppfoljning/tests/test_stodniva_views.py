"""The support level page, the provider staff's page and the level content on the step forms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uppfolj.arenden import services as arenden_services
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.domain.stodnivaer import FRAGOR, STODNIVAER_BY_KOD
from uppfolj.uppfoljning.models import PersonalensStodbehov, StodnivaAndring
from uppfolj.uppfoljning.services.stodniva import personalens_stodbehov_registrera

from .stodniva_fall import BOR, LAGENHET, TODAY, field_error, login, niva

pytestmark = pytest.mark.django_db

POST = {
    "niva": "hog",
    "galler_fran": "2026-04-20",
    "hur_behovet_andrats": "Behöver stöd varje dag.",
    "anledning": "Försämrad psykisk hälsa.",
    "varaktighet": "Minst tre månader.",
    "timmar": "5",
    "minuter": "30",
}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def url(arende, name: str = "stodniva") -> str:
    return reverse(f"uppfoljning:{name}", args=[arende.arende_id])


def test_stodniva_page_shows_level_history_provider_view_and_content(
    client, cast, make_case
) -> None:
    arende = make_case([*BOR, niva("2026-03-01", "hog")], **LAGENHET)
    personalens_stodbehov_registrera(
        actor=cast["boendestodjare"],
        arende=arende,
        datum=date(2026, 4, 15),
        behov_justeras=True,
        hur_behovet_andrats="Klarar mer själv.",
        anledning="Ny sysselsättning.",
        varaktighet="Sedan två månader.",
    )
    response = login(client, cast["socialsekreterare"]).get(url(arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Stödnivå</h1>" in html
    assert "Nuvarande stödnivå: <strong>Hög</strong> från 2026-03-01" in html
    # The level content of seed 002 beside each choice and in the table.
    assert STODNIVAER_BY_KOD["hog"].sammanfattning in html
    assert STODNIVAER_BY_KOD["lag"].innehall in html
    # The provider's view, with the three questions.
    assert "Stödnivån behöver justeras" in html
    assert "Klarar mer själv." in html
    for question in FRAGOR:
        assert question in html
    # History, newest first, including the imported levels.
    assert html.index("Stödnivå bedömd 2026-03-01") < html.index("Uppdrag till utförare 2026-01-28")
    # The staff's view is offered in the social worker's form.
    assert "Boendepersonalen 2026-04-15: stödnivån behöver justeras." in html
    assert AccessLog.objects.filter(arende=arende, vy="stodniva").count() == 1


def test_stodniva_post_saves_and_shows_the_change(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    response = login(client, cast["socialsekreterare"]).post(url(arende), POST)
    assert response.status_code == 302
    assert response["Location"] == url(arende)
    andring = StodnivaAndring.objects.get()
    assert (andring.niva, andring.bedomt_behov_minuter) == ("hog", 330)
    html = client.get(url(arende)).content.decode()
    assert "Stödnivån är hög från 2026-04-20." in html
    assert "Ändring av stödnivå 2026-04-20" in html
    assert "5 tim 30 min per vecka" in html


def test_stodniva_post_with_warnings_asks_for_reasons_then_saves(client, cast, make_case) -> None:
    arende = make_case([*BOR, niva("2026-04-10", "lag")], **LAGENHET)
    login(client, cast["socialsekreterare"])
    post = {**POST, "timmar": "7", "minuter": ""}
    response = client.post(url(arende), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Varningar – ange skäl för att gå vidare" in html
    assert '<span class="rule-id">SBMS-NIVA-1M</span>' in html
    assert '<span class="rule-id">SBMS-NIVA-6H</span>' in html
    assert 'name="skal_SBMS-NIVA-1M"' in html
    assert not StodnivaAndring.objects.exists()

    response = client.post(
        url(arende),
        {**post, "skal_SBMS-NIVA-1M": "Akut försämring.", "skal_SBMS-NIVA-6H": "Hemtjänst söks."},
    )
    assert response.status_code == 302
    assert StodnivaAndring.objects.get().bedomt_behov_minuter == 420


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"niva": ""}, "niva", "Välj stödnivå."),
        ({"niva": "extrem"}, "niva", "Välj stödnivå låg, medel eller hög."),
        ({"galler_fran": ""}, "galler_fran", "Ange datum."),
        ({"galler_fran": "20/4"}, "galler_fran", "Ange datum som ÅÅÅÅ-MM-DD."),
        ({"minuter": "75"}, "minuter", "Ange 0–59 minuter."),
        ({"timmar": "-1"}, "timmar", "Ange 0 eller fler timmar."),
        ({"hur_behovet_andrats": ""}, None, "Ange på vilket sätt behovet har ändrats."),
        ({"anledning": ""}, None, "Ange anledningen till det förändrade behovet."),
        ({"varaktighet": ""}, None, "Ange behovets varaktighet över tid."),
        (
            {"galler_fran": "2026-01-01"},
            None,
            "Den nya nivån kan inte gälla från ett datum före den nuvarande nivåns (2026-01-28).",
        ),
    ],
)
def test_stodniva_invalid_input(client, cast, make_case, change, field, message) -> None:
    arende = make_case(BOR, **LAGENHET)
    response = login(client, cast["socialsekreterare"]).post(url(arende), {**POST, **change})
    assert response.status_code == 400
    assert field_error(response.content.decode(), message)
    assert not StodnivaAndring.objects.exists()
    assert not AuditLog.objects.filter(atgard="stodniva_andra").exists()


def test_stodniva_anonymous_is_sent_to_login(client, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    for name in ("stodniva", "personalens_bedomning"):
        response = client.get(url(arende, name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert client.post(url(arende, name), POST).status_code == 302
    assert not StodnivaAndring.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("forste_socialsekreterare", 200),
        ("enhetschef", 200),
        ("boendestodjare", 403),
        ("stodpedagog", 403),
        ("utforarchef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ],
)
def test_stodniva_page_is_for_the_authority(client, cast, make_case, role, status) -> None:
    arende = make_case(BOR, **LAGENHET)
    c = login(client, cast[role])
    assert c.get(url(arende)).status_code == status
    if status != 200:
        assert c.post(url(arende), POST).status_code == status
    assert not StodnivaAndring.objects.exists()


def test_stodniva_page_of_a_protected_case_needs_a_grant(client, cast, make_case) -> None:
    arende = make_case(BOR, skyddad=True, **LAGENHET)
    login(client, cast["socialsekreterare"])
    assert client.get(url(arende)).status_code == 404
    assert client.post(url(arende), POST).status_code == 404
    assert not StodnivaAndring.objects.exists()
    arenden_services.behorighet_bevilja(
        actor=cast["enhetschef"], arende=arende, anvandare=cast["socialsekreterare"]
    )
    assert client.get(url(arende)).status_code == 200


@pytest.mark.parametrize("insats", ["boendestod", "vard_och_omsorgsboende"])
def test_stodniva_page_only_for_lagenhetsboende(client, cast, make_case, insats) -> None:
    arende = make_case(BOR, insats=insats)
    login(client, cast["socialsekreterare"])
    assert client.get(url(arende)).status_code == 404
    assert login(Client(), cast["boendestodjare"]).get(
        url(arende, "personalens_bedomning")
    ).status_code == (404)


def test_stodniva_page_of_a_closed_case_shows_history_without_a_form(
    client, cast, make_case
) -> None:
    arende = make_case([*BOR, {"date": "2026-04-01", "type": "avslut"}], **LAGENHET)
    html = login(client, cast["socialsekreterare"]).get(url(arende)).content.decode()
    assert "Ärendet är avslutat; stödnivån kan inte ändras." in html
    assert "Spara stödnivå" not in html
    response = client.post(url(arende), POST)
    assert response.status_code == 400
    assert "Ärendet är avslutat; stödnivån kan inte ändras." in response.content.decode()
    assert not StodnivaAndring.objects.exists()


# --- The provider staff's view of the need --------------------------------------------------


def test_personalens_bedomning_page_and_post(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    login(client, cast["boendestodjare"])
    response = client.get(url(arende, "personalens_bedomning"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Boendepersonalens bedömning av stödbehovet</h1>" in html
    for question in FRAGOR:
        assert question in html
    assert STODNIVAER_BY_KOD["medel"].innehall in html

    response = client.post(
        url(arende, "personalens_bedomning"),
        {
            "datum": "2026-04-19",
            "behov_justeras": "1",
            "hur_behovet_andrats": "Behöver mer stöd.",
            "anledning": "Sjukdom.",
            "varaktighet": "Några månader.",
        },
    )
    assert response.status_code == 302
    saved = PersonalensStodbehov.objects.get()
    assert (saved.datum, saved.behov_justeras, saved.skriven_av) == (
        date(2026, 4, 19),
        True,
        cast["boendestodjare"],
    )
    assert AuditLog.objects.filter(atgard="personalens_stodbehov_registrera").exists()
    html = client.get(url(arende, "personalens_bedomning")).content.decode()
    assert "Er bedömning av stödbehovet är sparad och syns för handläggaren." in html
    assert "Behöver mer stöd." in html
    # The social worker sees it beside the form.
    soc = login(Client(), cast["socialsekreterare"])
    assert "Behöver mer stöd." in soc.get(url(arende)).content.decode()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"datum": "2026-04-19"}, "Svara på om stödnivån behöver justeras."),
        ({"behov_justeras": "0"}, "Ange datum."),
        ({"datum": "2026-04-21", "behov_justeras": "0"}, "Datumet får inte ligga i framtiden."),
        (
            {"datum": "2026-04-19", "behov_justeras": "1"},
            "Beskriv på vilket sätt den enskildes behov av stöd har ökat eller minskat.",
        ),
    ],
)
def test_personalens_bedomning_invalid_input(client, cast, make_case, post, message) -> None:
    arende = make_case(BOR, **LAGENHET)
    response = login(client, cast["boendestodjare"]).post(
        url(arende, "personalens_bedomning"), post
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), message)
    assert not PersonalensStodbehov.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("stodpedagog", 200),
        ("utforarchef", 200),
        ("socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
    ],
)
def test_personalens_bedomning_is_for_the_provider_of_the_case(
    client, cast, make_case, role, status
) -> None:
    arende = make_case(BOR, **LAGENHET)
    c = login(client, cast[role])
    assert c.get(url(arende, "personalens_bedomning")).status_code == status
    if status != 200:
        post = {"datum": "2026-04-19", "behov_justeras": "0"}
        assert c.post(url(arende, "personalens_bedomning"), post).status_code == status
    assert not PersonalensStodbehov.objects.exists()


def test_personalens_bedomning_of_a_protected_case_needs_a_grant(client, cast, make_case) -> None:
    arende = make_case(BOR, skyddad=True, **LAGENHET)
    login(client, cast["boendestodjare"])
    assert client.get(url(arende, "personalens_bedomning")).status_code == 404


# --- The level content wherever a level is chosen -------------------------------------------


@pytest.mark.parametrize(
    ("steg", "events"), [("utredning", BOR[:1]), ("uppdrag", BOR[:4])], ids=["utredning", "uppdrag"]
)
def test_step_forms_show_the_level_content(client, cast, make_case, steg, events) -> None:
    arende = make_case(events, utforare=None, **LAGENHET)
    response = login(client, cast["socialsekreterare"]).get(
        reverse("arenden:steg", args=[arende.arende_id, steg])
    )
    html = response.content.decode()
    assert "Stödnivåernas innehåll och bedömningsstöd" in html
    for level in STODNIVAER_BY_KOD.values():
        assert level.innehall in html
    assert "Restid till och från brukaren" in html


def test_step_forms_without_a_level_show_no_level_content(client, cast, make_case) -> None:
    arende = make_case(BOR[:1], utforare=None)
    html = (
        login(client, cast["socialsekreterare"])
        .get(reverse("arenden:steg", args=[arende.arende_id, "utredning"]))
        .content.decode()
    )
    assert "Stödnivåernas innehåll" not in html


# --- The case page ---------------------------------------------------------------------------


def test_case_page_shows_level_fees_and_lex_sarah(client, cast, make_case) -> None:
    arende = make_case(
        [
            *BOR,
            niva("2026-03-02", "hog"),
            {"date": "2026-02-28", "type": "egenavgift_obetald"},
            {"date": "2026-03-31", "type": "egenavgift_obetald"},
            {"date": "2026-04-17", "type": "lex_sarah"},
        ],
        **LAGENHET,
    )
    html = (
        login(client, cast["socialsekreterare"])
        .get(reverse("arenden:arende", args=[arende.arende_id]))
        .content.decode()
    )
    assert '<h2 id="stodniva-myndighet-rubrik">Stödnivå</h2>' in html
    assert "<strong>Hög</strong> från 2026-03-02" in html
    assert "Mars 2026: " in html and "Februari 2026: " in html
    # The panel's note of the warning (the page's list of warnings shows it as well).
    assert '<p role="note"><span class="rule-id">SBMS-EGENAVG-UPPREPAD</span>' in html
    assert "Rapport 2026-04-17: handläggaren är inte kontaktad (senast 2026-04-20)" in html
    assert url(arende) in html
    assert url(arende, "avgift") in html
    assert url(arende, "lexsarah_ny") in html


def test_case_page_of_another_insats_has_no_level_panel(client, cast, make_case) -> None:
    arende = make_case(BOR)
    html = (
        login(client, cast["socialsekreterare"])
        .get(reverse("arenden:arende", args=[arende.arende_id]))
        .content.decode()
    )
    assert "stodniva-myndighet" not in html
