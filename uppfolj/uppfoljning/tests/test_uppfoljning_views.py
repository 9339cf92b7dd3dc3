"""The follow-up pages: preparation, the form built from the checklist, the document, drafts."""

from __future__ import annotations

import html as html_lib
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse

from uppfolj.arenden import services as arenden_services
from uppfolj.arenden.models import Arende, Handelse, Utkast
from uppfolj.audit.models import AccessLog
from uppfolj.domain import checklistor
from uppfolj.uppfoljning.models import PersonalensStodbehov, Uppfoljning
from uppfolj.utforare.models import Besok, Delmal, Genomforandeplan, Sammanstallning

from .uppfoljning_fall import (
    PAGAR,
    SBMS_POST,
    TODAY,
    aware,
    boka,
    lagenhetsboende,
    login,
)

pytestmark = pytest.mark.django_db


def ny_url(arende: Arende) -> str:
    return reverse("uppfoljning:ny", args=[arende.arende_id])


def forberedelse_url(arende: Arende) -> str:
    return reverse("uppfoljning:forberedelse", args=[arende.arende_id])


def field_error(html: str, message: str) -> bool:
    return f'<p class="error" role="alert">{message}</p>' in html


def text(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


def try_reverse(name: str, arende: Arende) -> str | None:
    try:
        return reverse(name, args=[arende.arende_id])
    except NoReverseMatch:
        return None


# --- The form, from the checklist ----------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_form_asks_the_checklist_in_the_seeds_order(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    response = login(client, cast["socialsekreterare"]).get(ny_url(arende))
    assert response.status_code == 200
    html = text(response)
    checklista = checklistor.SOCIALT_BOENDE
    positions = [html.index(wording) for wording in checklista.texter()]
    assert positions == sorted(positions)
    assert 'value="2026-04-20"' in html  # the date defaults to today
    assert 'name="nasta_mote" value="2026-07-20"' in html  # SBMS-UPPF-3M: three months on
    assert 'value="ej_aktuellt"' in html
    assert "Justera stödnivån" in html
    assert AccessLog.objects.filter(arende=arende, vy="uppfoljning_registrera").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_outside_lagenhetsboende_there_is_no_support_level(client, cast, make_case):
    arende = make_case(PAGAR, insats="socialt_boende_med_stod")
    html = text(login(client, cast["socialsekreterare"]).get(ny_url(arende)))
    assert "Finns behov av att justera stödnivån" not in html
    assert "Justera stödnivån" not in html


@time_machine.travel(TODAY, tick=False)
def test_vard_och_omsorgsboende_proposes_the_next_follow_up_a_year_ahead(client, cast, make_case):
    arende = make_case(PAGAR, insats="vard_och_omsorgsboende")
    html = text(login(client, cast["socialsekreterare"]).get(ny_url(arende)))
    assert "Individuppföljning vård- och omsorgsboende" in html
    assert 'name="nasta_mote" value="2027-04-20"' in html
    assert "Ett nytt bevakningsdatum registreras ett år framåt i tiden." in html
    assert "Synpunkter som lämnats till chefen" in html


@time_machine.travel(TODAY, tick=False)
def test_boendestod_proposes_used_time_from_the_visits(client, cast, make_case):
    arende = make_case(PAGAR)
    staff = cast["boendestodjare"]
    Besok.objects.create(
        arende=arende,
        personal=staff,
        start=aware("2026-03-10 10:00"),
        slut=aware("2026-03-10 12:00"),
        plats="hemma",
        registrerad_av=staff,
    )
    html = text(login(client, cast["socialsekreterare"]).get(ny_url(arende)))
    assert "Hur har den beviljade tiden använts?" in html
    assert "januari 2026 – mars 2026: beviljat" in html
    assert "utfört 2 tim 0 min" in html


@time_machine.travel(TODAY, tick=False)
def test_the_booked_meeting_is_chosen(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    held = boka(cast["socialsekreterare"], arende, tid=aware("2026-04-20 08:00"))
    later = boka(cast["socialsekreterare"], arende, tid=aware("2026-04-27 10:00"))
    html = text(login(client, cast["socialsekreterare"]).get(ny_url(arende)))
    assert f'<option value="{held.pk}" selected>' in html
    assert f'<option value="{later.pk}">' in html


# --- Registering ---------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_registering_goes_to_the_document(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"])

    response = client.post(ny_url(arende), SBMS_POST)

    uppfoljning = Uppfoljning.objects.get(arende=arende)
    assert response.status_code == 302
    assert response["Location"] == reverse("uppfoljning:visa", args=[uppfoljning.pk])
    assert (uppfoljning.den_enskilde_deltog, uppfoljning.samma_utforare) == (True, True)
    assert uppfoljning.nasta_mote == date(2026, 7, 15)
    page = text(client.get(response["Location"]))
    assert "Uppföljningen är registrerad." in page
    assert "Hur har det fungerat i boendet sedan föregående uppföljning?" in page
    assert "Svar om fungerat." in page
    assert "Nästa steg" not in page  # all is well: nothing is called for


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"den_enskilde_deltog": "nej"},
            "Dokumentera orsaken till att den enskilde inte medverkat vid uppföljningen.",
        ),
        (
            {"samma_utforare": "nej"},
            "Välj byte av utförare, omprövning eller ny ansökan när uppdraget inte ska "
            "fortsätta hos samma utförare.",
        ),
        (
            {"stodniva_justeras": "ja", "atgard": "justera_niva"},
            "Ange skälen till att stödnivån behöver justeras.",
        ),
        ({"fungerat": ""}, "Besvara frågan."),
        ({"hyra_betald": ""}, "Välj ett svar."),
        ({"den_enskilde_deltog": ""}, "Ange om den enskilde medverkade vid uppföljningen."),
        (
            {"nasta_mote": "2026-08-01"},
            "Socialt boende med stöd följs upp minst var tredje månad (SBMS-UPPF-3M): välj ett "
            "datum senast 2026-07-20.",
        ),
        (
            {"datum": "2026-04-21", "nasta_mote": "2026-06-01"},
            "Datumet får inte ligga i framtiden.",
        ),
    ],
)
def test_invalid_follow_up_is_400_with_the_error(client, cast, make_case, changes, message):
    arende = lagenhetsboende(make_case)
    response = login(client, cast["socialsekreterare"]).post(
        ny_url(arende), {**SBMS_POST, **changes}
    )
    assert response.status_code == 400
    html = text(response)
    assert field_error(html, message), html[html.find("felsammanfattning") :][:2000]
    assert "Uppföljningen är inte registrerad." in html
    assert not Uppfoljning.objects.exists()
    assert not Handelse.objects.filter(typ="uppfoljning").exists()


@time_machine.travel(TODAY, tick=False)
def test_absence_with_its_reason_is_registered(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    response = login(client, cast["socialsekreterare"]).post(
        ny_url(arende),
        {**SBMS_POST, "den_enskilde_deltog": "nej", "orsak_ej_deltagit": "Inlagd på sjukhus."},
    )
    assert response.status_code == 302
    uppfoljning = Uppfoljning.objects.get()
    assert (uppfoljning.den_enskilde_deltog, uppfoljning.orsak_ej_deltagit) == (
        False,
        "Inlagd på sjukhus.",
    )
    assert "Nej. Orsak: Inlagd på sjukhus." in text(client.get(response["Location"]))


# --- What the answers call for -------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "step", "link"),
    [
        (
            {"atgard": "revidera_uppdrag"},
            "Revidera uppdraget till utföraren.",
            ("arenden:steg", "uppdrag"),
        ),
        (
            {"samma_utforare": "nej", "atgard": "byt_utforare"},
            "Byt utförare inom pågående beslut: skicka uppdraget till den nya utföraren.",
            ("arenden:steg", "uppdrag"),
        ),
        (
            {"samma_utforare": "nej", "atgard": "omprovning"},
            "Ompröva pågående beslut: utred behovet på nytt.",
            ("arenden:steg", "utredning"),
        ),
        (
            {"samma_utforare": "nej", "atgard": "ny_ansokan"},
            "Den enskilde ansöker på nytt, vilket kräver ny utredning.",
            ("arenden:steg", "utredning"),
        ),
    ],
)
def test_the_decision_offers_the_next_step(client, cast, make_case, changes, step, link):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"])
    response = client.post(ny_url(arende), {**SBMS_POST, **changes})
    html = text(client.get(response["Location"]))
    assert step in html
    name, steg = link
    assert f'href="{reverse(name, args=[arende.arende_id, steg])}"' in html


@time_machine.travel(TODAY, tick=False)
def test_a_level_to_adjust_offers_the_support_level_page(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"])
    response = client.post(
        ny_url(arende),
        {
            **SBMS_POST,
            "stodniva_justeras": "ja",
            "stodniva_justeras_kommentar": "Behöver stöd även kvällar.",
            "atgard": "justera_niva",
        },
    )
    html = text(client.get(response["Location"]))
    assert "Justera stödnivån med skälen och från vilket datum." in html
    assert "<em>Skälen till att stödnivån behöver justeras:</em> Behöver stöd även kvällar." in html
    url = try_reverse("uppfoljning:stodniva", arende)
    if url:
        assert f'href="{url}"' in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("question", ["hyra_betald", "egenavgift_betald"])
def test_unpaid_rent_or_fee_shows_a_notice_with_the_fee_check(client, cast, make_case, question):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"])
    response = client.post(ny_url(arende), {**SBMS_POST, question: "nej"})
    html = text(client.get(response["Location"]))
    assert '<li class="varning"><strong>Observera:</strong> Den enskilde har inte betalt' in html
    url = try_reverse("uppfoljning:avgift", arende)
    if url:
        assert f'href="{url}"' in html


@time_machine.travel(TODAY, tick=False)
def test_the_inspector_reads_the_document_without_names_or_steps(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"]).post(
        ny_url(arende), {**SBMS_POST, "hyra_betald": "nej"}
    )
    uppfoljning = Uppfoljning.objects.get()
    inspector = login(Client(), cast["inspektor"])
    url = reverse("uppfoljning:visa", args=[uppfoljning.pk])
    response = inspector.post(url, {"skal": "Aktgranskning av uppföljningar 2026."})
    assert response.status_code == 200
    html = text(response)
    assert "Ställningstagande" in html and "Svar om " in html
    assert str(arende.person) not in html and arende.person.personnummer not in html
    assert "Nästa steg" not in html
    log = AccessLog.objects.get(aktor=cast["inspektor"], vy="uppfoljning")
    assert log.skal == "Aktgranskning av uppföljningar 2026."
    # The print button carries the reason given, so printing is logged with it too.
    pdf_url = reverse("uppfoljning:pdf", args=[uppfoljning.pk])
    assert f'action="{pdf_url}"' in html
    assert 'value="Aktgranskning av uppföljningar 2026."' in html


@time_machine.travel(TODAY, tick=False)
def test_the_inspector_must_state_a_reason_before_reading_a_follow_up(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"]).post(
        ny_url(arende), {**SBMS_POST, "hyra_betald": "nej"}
    )
    uppfoljning = Uppfoljning.objects.get()
    inspector = login(Client(), cast["inspektor"])
    url = reverse("uppfoljning:visa", args=[uppfoljning.pk])
    asked = inspector.get(url)
    assert asked.status_code == 200
    html = text(asked)
    assert "Skäl för att läsa uppföljningen" in html
    assert "Ställningstagande" not in html and "Svar om " not in html
    refused = inspector.post(url, {"skal": "kort"})
    assert refused.status_code == 400
    assert field_error(text(refused), "Skriv ett skäl med minst 10 tecken.")
    assert field_error(text(inspector.post(url, {})), "Ange ett skäl för att läsa uppföljningen.")
    # Asking for the reason is not a read: nothing is logged until one is given.
    assert not AccessLog.objects.filter(aktor=cast["inspektor"]).exists()


@time_machine.travel(TODAY, tick=False)
def test_the_authority_reads_a_follow_up_by_get_only(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"]).post(ny_url(arende), SBMS_POST)
    url = reverse("uppfoljning:visa", args=[Uppfoljning.objects.get().pk])
    assert client.post(url, {"skal": "Något skäl att läsa"}).status_code == 405


# --- Preparation ---------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_preparation_gathers_plan_summaries_time_bevakningar_and_staff_view(
    client, cast, make_case
):
    arende = lagenhetsboende(make_case)
    staff = cast["boendestodjare"]
    handelse = Handelse.objects.create(
        arende=arende, typ="genomforandeplan_klar", datum=date(2026, 2, 10)
    )
    plan = Genomforandeplan.objects.create(
        arende=arende,
        version=1,
        handelse=handelse,
        datum=date(2026, 2, 10),
        arbetssatt="Motiverande samtal.",
        bemotande="Lugnt.",
        krisplan="Ring kontaktpersonen.",
        delaktighet=True,
        skapad_av=staff,
    )
    Delmal.objects.create(
        plan=plan,
        livsomrade="hemliv",
        mal="Tvättar själv varje vecka.",
        aktiviteter="Tvätta tillsammans.",
        matbart="Tvätten är gjord.",
        klart_senast=date(2026, 6, 30),
    )
    Sammanstallning.objects.create(
        arende=arende,
        period_fran=date(2026, 2, 1),
        period_till=date(2026, 3, 31),
        tidsanvandning="Två avbokningar.",
        malarbete_individ="Nöjd.",
        malarbete_utforare="Går framåt.",
        status=Sammanstallning.Status.OVERFORD,
        overford=date(2026, 4, 2),
        skriven_av=staff,
    )
    Sammanstallning.objects.create(
        arende=arende,
        period_fran=date(2026, 4, 1),
        period_till=date(2026, 4, 15),
        tidsanvandning="Utkastet syns inte.",
        malarbete_individ="–",
        malarbete_utforare="–",
        skriven_av=staff,
    )
    PersonalensStodbehov.objects.create(
        arende=arende,
        datum=date(2026, 4, 14),
        behov_justeras=True,
        hur_behovet_andrats="Behöver mer stöd på kvällar.",
        anledning="Ny medicinering.",
        varaktighet="Några månader.",
        skriven_av=staff,
    )
    boka(cast["socialsekreterare"], arende)

    response = login(client, cast["socialsekreterare"]).get(forberedelse_url(arende))

    assert response.status_code == 200
    html = text(response)
    for expected in (
        "Tvättar själv varje vecka.",
        "Två avbokningar.",
        "Beviljat i dag: 3 tim 0 min per vecka.",
        "SBMS-UPPF-3M",
        "Behöver mer stöd på kvällar.",
        "Varaktighet över tid?",
        "2026-04-27 10:00",
        "Hur har det fungerat i boendet sedan föregående uppföljning?",
    ):
        assert expected in html, expected
    assert "Utkastet syns inte." not in html
    assert AccessLog.objects.filter(arende=arende, vy="uppfoljning_forberedelse").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_preparation_without_a_plan(client, cast, make_case):
    arende = make_case(PAGAR)
    html = text(login(client, cast["socialsekreterare"]).get(forberedelse_url(arende)))
    assert "Ingen genomförandeplan." in html
    assert "Ingen sammanställning har överförts till journalen." in html
    assert "Boendepersonalens bedömning" not in html  # only in lägenhetsboende


@time_machine.travel(TODAY, tick=False)
def test_a_private_providers_plan_needs_the_individuals_consent(
    client, cast, make_case, utforare_annan
):
    arende = make_case(PAGAR, insats="vard_och_omsorgsboende", utforare=utforare_annan)
    handelse = Handelse.objects.create(
        arende=arende, typ="genomforandeplan_klar", datum=date(2026, 2, 10)
    )
    Genomforandeplan.objects.create(
        arende=arende,
        version=1,
        handelse=handelse,
        datum=date(2026, 2, 10),
        arbetssatt="Hemlig arbetsmetod.",
        bemotande="–",
        krisplan="–",
        delaktighet=True,
        skapad_av=cast["boendestodjare_annan"],
    )
    html = text(login(client, cast["socialsekreterare"]).get(forberedelse_url(arende)))
    assert "den enskildes samtycke är registrerat" in html
    assert "Version 1" not in html


# --- Access --------------------------------------------------------------------------------

HANDLAGGARSIDOR = ["forberedelse", "ny", "mote_ny"]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("sida", HANDLAGGARSIDOR)
def test_handler_pages_refuse_those_who_may_not_handle(client, cast, make_case, sida):
    arende = lagenhetsboende(make_case)
    url = reverse(f"uppfoljning:{sida}", args=[arende.arende_id])
    for role, status in [
        ("socialsekreterare", 200),
        ("forste_socialsekreterare", 200),
        ("enhetschef", 200),
        ("boendestodjare", 403),
        ("stodpedagog", 403),
        ("utforarchef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ]:
        c = login(Client(), cast[role])
        assert c.get(url).status_code == status, role
        if status != 200:
            assert c.post(url, SBMS_POST).status_code == status, role
    assert not Uppfoljning.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_document_pages_are_read_by_the_authority_and_inspectors(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"]).post(ny_url(arende), SBMS_POST)
    pk = Uppfoljning.objects.get().pk
    url = reverse("uppfoljning:visa", args=[pk])
    for role, status in [
        ("forste_socialsekreterare", 200),
        ("inspektor", 200),
        ("boendestodjare", 403),
        ("utforarchef", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ]:
        assert login(Client(), cast[role]).get(url).status_code == status, role
    assert client.get(reverse("uppfoljning:visa", args=[pk + 1])).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_protected_case_needs_a_grant(client, cast, make_case):
    arende = lagenhetsboende(make_case, skyddad=True)
    login(client, cast["socialsekreterare"])
    for sida in HANDLAGGARSIDOR:
        url = reverse(f"uppfoljning:{sida}", args=[arende.arende_id])
        assert client.get(url).status_code == 404
    assert client.post(ny_url(arende), SBMS_POST).status_code == 404
    arenden_services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"],
        arende=arende,
        anvandare=cast["forste_socialsekreterare"],
    )
    forste = login(Client(), cast["forste_socialsekreterare"])
    assert forste.post(ny_url(arende), SBMS_POST).status_code == 302
    pk = Uppfoljning.objects.get().pk
    for url in (reverse("uppfoljning:visa", args=[pk]), reverse("uppfoljning:pdf", args=[pk])):
        assert client.get(url).status_code == 404
        assert forste.get(url).status_code == 200


def test_anonymous_is_sent_to_login(client, make_case):
    arende = make_case(PAGAR, insats="socialt_boende_med_stod")
    urls = [reverse(f"uppfoljning:{sida}", args=[arende.arende_id]) for sida in HANDLAGGARSIDOR]
    urls += [reverse("uppfoljning:visa", args=[1]), reverse("uppfoljning:pdf", args=[1])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("uppfoljning:ny_utkast", args=[arende.arende_id]), {"x": "y"})
    assert response.status_code == 302
    assert not Utkast.objects.exists()


# --- Drafts --------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_draft_is_kept_restored_and_deleted_on_registering(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"])
    utkast = reverse("uppfoljning:ny_utkast", args=[arende.arende_id])

    response = client.post(utkast, {"fungerat": "Påbörjat svar.", "hyra_betald": "nej"})

    assert response.content.decode() == "Utkast sparat 10:00:00"
    html = text(client.get(ny_url(arende)))
    assert "Ett utkast som sparades 2026-04-20 10:00 har återställts." in html
    assert "Påbörjat svar.</textarea>" in html
    assert 'value="nej" id="id_hyra_betald_1" checked' in html
    assert client.post(ny_url(arende), SBMS_POST).status_code == 302
    assert not Utkast.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_drafts_are_refused_to_those_who_may_not_handle(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    utkast = reverse("uppfoljning:ny_utkast", args=[arende.arende_id])
    assert login(client, cast["boendestodjare"]).post(utkast, {"x": "y"}).status_code == 403
    assert login(Client(), cast["socialsekreterare"]).get(utkast).status_code == 405
    assert not Utkast.objects.exists()


# --- The case page -------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_case_page_lists_meetings_and_follow_ups_with_links(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    login(client, cast["socialsekreterare"])
    boka(cast["socialsekreterare"], arende)
    client.post(ny_url(arende), SBMS_POST)
    uppfoljning = Uppfoljning.objects.get()

    html = text(client.get(reverse("arenden:arende", args=[arende.arende_id])))

    section = html[html.index('id="uppfoljning-rubrik"') : html.index("<h2>Händelser</h2>")]
    assert "2026-04-27 10:00" in section
    assert reverse("uppfoljning:visa", args=[uppfoljning.pk]) in section
    assert reverse("uppfoljning:pdf", args=[uppfoljning.pk]) in section
    for sida in HANDLAGGARSIDOR:
        assert reverse(f"uppfoljning:{sida}", args=[arende.arende_id]) in section


@time_machine.travel(TODAY, tick=False)
def test_the_case_page_offers_no_follow_up_before_execution_or_to_readers(client, cast, make_case):
    arende = make_case(PAGAR[:-1], insats="socialt_boende_med_stod")
    html = text(
        login(client, cast["socialsekreterare"]).get(
            reverse("arenden:arende", args=[arende.arende_id])
        )
    )
    assert "Ingen uppföljning registrerad." in html
    assert ny_url(arende) not in html
    running = lagenhetsboende(make_case)
    inspector = login(Client(), cast["inspektor"])
    page = inspector.post(
        reverse("arenden:arende", args=[running.arende_id]), {"skal": "Granskning av uppföljning"}
    )
    html = text(page)
    assert 'id="uppfoljning-rubrik"' in html
    assert ny_url(running) not in html


@time_machine.travel(TODAY, tick=False)
def test_a_closed_case_offers_no_follow_up_or_meeting_form(client, cast, make_case):
    arende = make_case(
        [*PAGAR, {"date": "2026-04-01", "type": "avslut"}],
        insats="socialt_boende_med_stod",
        boendeform="lagenhetsboende",
    )
    login(client, cast["socialsekreterare"])
    for sida in ("ny", "mote_ny"):
        page = client.get(reverse(f"uppfoljning:{sida}", args=[arende.arende_id]))
        html = text(page)
        assert page.status_code == 200, sida
        assert "<p>Ärendet är avslutat; inget mer kan registreras i det.</p>" in html, sida
        assert 'class="step-form' not in html, sida
    refused = client.post(ny_url(arende), SBMS_POST)
    assert refused.status_code == 400
    assert "<p>Ärendet är avslutat; inget mer kan registreras i det.</p>" in text(refused)
    assert not Uppfoljning.objects.exists()
