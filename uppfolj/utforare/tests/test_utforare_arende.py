"""The provider's case page: the person, the uppdrag, bevakningar, and the provider's steps."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.arenden.models import Arende, Behorighet, Bevakning, Handelse, Person, Uppdrag
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.domain.engine import MET, OPEN
from uppfolj.utforare.services import uppdrag as services

from .uppdrag_helpers import TODAY, beviljad, login, skicka_uppdrag

pytestmark = pytest.mark.django_db


def page_url(arende: Arende) -> str:
    return reverse("utforare:arende", args=[arende.arende_id])


def steg_url(arende: Arende, typ: str) -> str:
    return reverse("utforare:steg", args=[arende.arende_id, typ])


def accepterat(make_case, cast, utforare, **kwargs) -> Arende:
    uppdrag = skicka_uppdrag(make_case, cast, utforare, **kwargs)
    services.uppdrag_acceptera(actor=cast["stodpedagog"], uppdrag=uppdrag)
    return uppdrag.arende


def bevakning(arende: Arende, regel: str) -> Bevakning:
    return Bevakning.objects.get(arende=arende, regel=regel)


# --- The page -------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_provider_case_page_shows_person_uppdrag_time_and_bevakningar(
    client, cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(
        make_case,
        cast,
        utforare_tilldelad,
        stodniva="medel",
        hyra_fran=date(2026, 5, 1),
        ovrig_information="Ring före besök; hunden är rädd för okända.",
        underlag_ej_kommunicerat=True,
        tatare_uppfoljning=True,
    )
    arende = uppdrag.arende
    Person.objects.filter(pk=arende.person_id).update(
        adress="Storgatan 1",
        postnummer="123 45",
        ort="Bromma",
        telefon="070-111 22 33",
        tolkbehov="arabiska",
        akk_behov="Bildstöd",
    )

    response = login(client, cast["boendestodjare"]).get(page_url(arende))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{arende.person} " in html
    for text in (
        "Storgatan 1, 123 45 Bromma",
        "070-111 22 33",
        "Tolk: arabiska",
        "AKK: Bildstöd",
        "Klara tvätt och städning på egen hand.",
        "Kunna bjuda hem min syster.",
        "<li>Hemliv</li>",
        "<li>Mellanmänskliga interaktioner och relationer</li>",
        "Tvätta tillsammans varje vecka.",
        "Tvättar själv i juli.",
        "<dt>Stödnivå</dt><dd>Medel</dd>",
        "2026-05-01",
        "Ring före besök; hunden är rädd för okända.",
        "Den enskilde har inte tagit del av beslutsunderlaget.",
        "Ja – uppföljning var tredje månad",
        "<dt>Beviljad tid</dt><dd>3 tim 0 min per vecka</dd>",
        "BS-KONTAKT-3VD",
        "BS-VERKST-1M",
        "Acceptera uppdraget",
        'id="plan-rubrik"',
        'id="anteckningar-rubrik"',
        'id="besok-rubrik"',
    ):
        assert text in html, text
    # The authority's own deadlines are not the provider's.
    assert Bevakning.objects.filter(arende=arende, regel="GEN-IVO-3M").exists()
    for regel in ("GEN-IVO-3M", "GEN-BESLUT-UTGAR", "GEN-TAT-UPPF-3M"):
        assert regel not in html
    assert "Skyddade personuppgifter" not in html
    # The steps wait for the acceptance.
    assert steg_url(arende, "kontakt_tagen") not in html
    assert AccessLog.objects.filter(arende=arende, vy="utforare_arende").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_provider_case_page_of_an_imported_case(client, cast, make_case) -> None:
    arende = make_case(
        [*beviljad(date(2026, 4, 10)), {"date": "2026-04-10", "type": "uppdrag_skickat"}]
    )
    html = login(client, cast["boendestodjare"]).get(page_url(arende)).content.decode()
    assert "Uppdraget finns i tidigare system (skickat 2026-04-10)." in html
    assert "3 tim 0 min per vecka" in html
    assert steg_url(arende, "kontakt_tagen") in html


@time_machine.travel(TODAY, tick=False)
def test_protected_case_page_needs_a_grant_and_warns(
    client, cast, make_case, utforare_tilldelad
) -> None:
    arende = skicka_uppdrag(make_case, cast, utforare_tilldelad, skyddad=True).arende
    login(client, cast["boendestodjare"])
    assert client.get(page_url(arende)).status_code == 404
    assert client.post(steg_url(arende, "kontakt_tagen"), {}).status_code == 404
    Behorighet.objects.create(
        arende=arende, anvandare=cast["boendestodjare"], beviljad_av=cast["utforarchef"]
    )
    html = client.get(page_url(arende)).content.decode()
    assert "<strong>Skyddade personuppgifter.</strong> Lämna aldrig ut namn" in html


@time_machine.travel(TODAY, tick=False)
def test_provider_case_page_refuses_wrong_roles(client, cast, make_case, utforare_tilldelad):
    arende = accepterat(make_case, cast, utforare_tilldelad)
    for role, status in [
        ("boendestodjare", 200),
        ("stodpedagog", 200),
        ("utforarchef", 200),
        ("socialsekreterare", 403),
        ("forste_socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ]:
        c = login(Client(), cast[role])
        assert c.get(page_url(arende)).status_code == status, role
        if status != 200:
            post = c.post(steg_url(arende, "kontakt_tagen"), {"kontakt_tagen-datum": "2026-04-15"})
            assert post.status_code == status, role
    anonymous = Client().get(page_url(arende))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/logga-in/")
    assert not Handelse.objects.filter(arende=arende, typ="kontakt_tagen").exists()


# --- The provider's steps -----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_BS_KONTAKT_3VD_met_by_first_contact_through_the_page(
    client, cast, make_case, utforare_tilldelad
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    assert bevakning(arende, "BS-KONTAKT-3VD").status == OPEN
    login(client, cast["boendestodjare"])
    html = client.get(page_url(arende)).content.decode()
    assert '<label for="id_kontakt_tagen-datum">Datum för första kontakt' in html

    response = client.post(steg_url(arende, "kontakt_tagen"), {"kontakt_tagen-datum": "2026-04-15"})

    assert response.status_code == 302 and response["Location"] == page_url(arende)
    handelse = Handelse.objects.get(arende=arende, typ="kontakt_tagen")
    assert (handelse.datum, handelse.registrerad_av) == (date(2026, 4, 15), cast["boendestodjare"])
    kontakt = bevakning(arende, "BS-KONTAKT-3VD")
    assert (kontakt.status, kontakt.uppfylld) == (MET, date(2026, 4, 15))
    assert AuditLog.objects.filter(
        arende=arende, atgard="handelse_registrera", aktor=cast["boendestodjare"]
    ).exists()
    html = client.get(page_url(arende)).content.decode()
    assert "Sparat: första kontakt." in html and "Registrerat 2026-04-15." in html
    # The social worker sees the event on the case.
    authority = login(Client(), cast["socialsekreterare"]).get(
        reverse("arenden:arende", args=[arende.arende_id])
    )
    assert "2026-04-15</time> Kontakt tagen" in authority.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_start_meeting_and_execution_through_the_page(
    client, cast, make_case, utforare_tilldelad
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    login(client, cast["stodpedagog"])
    client.post(steg_url(arende, "uppstartsmote"), {"uppstartsmote-datum": "2026-04-16"})
    response = client.post(
        steg_url(arende, "verkstallt"),
        {"verkstallt-datum": "2026-04-17", "verkstallt-grad": "delvis"},
    )
    assert response.status_code == 302
    assert list(
        Handelse.objects.filter(arende=arende, typ__in=services.UTFORARSTEG)
        .order_by("datum")
        .values_list("typ", "data")
    ) == [("uppstartsmote", {}), ("verkstallt", {"grad": "delvis"})]
    assert bevakning(arende, "BS-KONTAKT-3VD").uppfylld == date(2026, 4, 16)
    assert bevakning(arende, "BS-VERKST-1M").status == MET
    # A partial execution may later be registered as full.
    html = client.get(page_url(arende)).content.decode()
    assert "Registrerat 2026-04-17 (delvis)." in html
    assert steg_url(arende, "verkstallt") in html
    assert steg_url(arende, "uppstartsmote") not in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("typ", "post", "field_message"),
    [
        (
            "kontakt_tagen",
            {"kontakt_tagen-datum": "2026-04-21"},
            "Datumet får inte ligga i framtiden.",
        ),
        ("kontakt_tagen", {"kontakt_tagen-datum": ""}, "Detta fält måste fyllas i."),
        (
            "uppstartsmote",
            {"uppstartsmote-datum": "2026-04-13"},
            "Datumet kan inte ligga före den dag uppdraget skickades (2026-04-14).",
        ),
        (
            "verkstallt",
            {"verkstallt-datum": "2026-04-17"},
            "Ange om insatsen är verkställd helt eller delvis.",
        ),
    ],
)
def test_invalid_step_is_400_with_the_error(
    client, cast, make_case, utforare_tilldelad, typ, post, field_message
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    events = Handelse.objects.filter(arende=arende).count()
    response = login(client, cast["boendestodjare"]).post(steg_url(arende, typ), post)
    assert response.status_code == 400
    assert f'<p class="error" role="alert">{field_message}</p>' in response.content.decode()
    assert Handelse.objects.filter(arende=arende).count() == events


@time_machine.travel(TODAY, tick=False)
def test_steps_wait_for_the_acceptance(client, cast, make_case, utforare_tilldelad) -> None:
    arende = skicka_uppdrag(make_case, cast, utforare_tilldelad).arende
    response = login(client, cast["boendestodjare"]).post(
        steg_url(arende, "kontakt_tagen"), {"kontakt_tagen-datum": "2026-04-15"}
    )
    assert response.status_code == 400
    assert "Acceptera uppdraget först." in response.content.decode()
    assert not Handelse.objects.filter(arende=arende, typ="kontakt_tagen").exists()


@time_machine.travel(TODAY, tick=False)
def test_unknown_step_is_404(client, cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    login(client, cast["boendestodjare"])
    assert (
        client.post(steg_url(arende, "avslut"), {"avslut-datum": "2026-04-15"}).status_code == 404
    )


@time_machine.travel(TODAY, tick=False)
def test_utforarsteg_registrera_refuses_authority_staff(
    cast, make_case, utforare_tilldelad
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    with pytest.raises(PermissionDenied):
        services.utforarsteg_registrera(
            actor=cast["socialsekreterare"],
            arende=arende,
            typ="kontakt_tagen",
            datum=date(2026, 4, 15),
        )
    with pytest.raises(ValidationError):
        services.utforarsteg_registrera(
            actor=cast["boendestodjare"], arende=arende, typ="avslut", datum=date(2026, 4, 15)
        )
    assert not Handelse.objects.filter(arende=arende, typ__in=["kontakt_tagen", "avslut"]).exists()


@time_machine.travel(TODAY, tick=False)
def test_no_steps_on_a_closed_case(client, cast, make_case, utforare_tilldelad) -> None:
    from uppfolj.arenden import services as arende_services

    arende = accepterat(make_case, cast, utforare_tilldelad)
    arende_services.avslut_registrera(
        actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 17), skal="Flyttat."
    )
    login(client, cast["boendestodjare"])
    assert steg_url(arende, "kontakt_tagen") not in client.get(page_url(arende)).content.decode()
    response = client.post(steg_url(arende, "kontakt_tagen"), {"kontakt_tagen-datum": "2026-04-18"})
    assert response.status_code == 400
    assert "Ärendet är avslutat; inget mer kan registreras i det." in response.content.decode()
    assert Uppdrag.objects.get(arende=arende).status == Uppdrag.Status.ACCEPTERAT


@time_machine.travel(TODAY, tick=False)
def test_a_new_uppdrag_starts_the_steps_over(client, cast, make_case, utforare_tilldelad) -> None:
    from uppfolj.arenden import services as arende_services

    arende = make_case(
        [
            *beviljad(date(2026, 2, 2)),
            {"date": "2026-02-02", "type": "uppdrag_skickat"},
            {"date": "2026-02-03", "type": "kontakt_tagen"},
        ]
    )
    arende_services.uppdrag_skicka(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        utforare=utforare_tilldelad,
        mal="Ny inriktning: ekonomi.",
    )
    services.uppdrag_acceptera(actor=cast["boendestodjare"], uppdrag=arende.uppdrag_set.get())
    html = login(client, cast["boendestodjare"]).get(page_url(arende)).content.decode()
    assert "Registrerat 2026-02-03" not in html
    assert steg_url(arende, "kontakt_tagen") in html


@time_machine.travel(TODAY, tick=False)
def test_a_new_uppdrag_after_execution_continues_the_steps(
    client, cast, make_case, utforare_tilldelad
) -> None:
    from uppfolj.arenden import services as arende_services

    arende = make_case(
        [
            *beviljad(date(2026, 2, 2)),
            {"date": "2026-02-02", "type": "uppdrag_skickat"},
            {"date": "2026-02-03", "type": "kontakt_tagen"},
            {"date": "2026-02-10", "type": "verkstallt", "grad": "helt"},
        ]
    )
    arende_services.uppdrag_skicka(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2026, 4, 14),
        utforare=utforare_tilldelad,
        mal="Reviderat uppdrag: ekonomi.",
    )
    services.uppdrag_acceptera(actor=cast["boendestodjare"], uppdrag=arende.uppdrag_set.get())
    assert not Bevakning.objects.filter(
        arende=arende, regel="BS-KONTAKT-3VD", start=date(2026, 4, 14)
    ).exists()
    html = login(client, cast["boendestodjare"]).get(page_url(arende)).content.decode()
    assert "Registrerat 2026-02-03." in html and "Registrerat 2026-02-10 (helt)." in html
    assert steg_url(arende, "kontakt_tagen") not in html
    assert "Ta kontakt med den enskilde" not in html and "Fördela uppdraget" in html


def test_provider_page_links_to_reports_for_the_social_worker(client, cast, make_case) -> None:
    from uppfolj.conftest import PASSWORD

    arende = make_case(
        [{"date": "2026-01-05", "type": "beslut", "utfall": "bifall", "from": "2026-01-05"}],
        insats="socialt_boende_med_stod",
        boendeform="lagenhetsboende",
    )
    assert client.login(username=cast["boendestodjare"].username, password=PASSWORD)
    html = client.get(f"/utforare/arenden/{arende.arende_id}/").content.decode()
    assert f"/uppfoljning/arenden/{arende.arende_id}/lex-sarah/ny/" in html
    assert "Personalens bedömning av stödbehovet inför uppföljning" in html
