"""The provider's final note after the case is closed (BS-SLUTANT)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.arenden import services as arende_services
from uppfolj.arenden.models import Arende, Bevakning, Handelse
from uppfolj.audit.models import AuditLog
from uppfolj.domain.engine import MET, MET_LATE, OPEN
from uppfolj.utforare.models import Slutanteckning
from uppfolj.utforare.services import uppdrag as services

from .uppdrag_helpers import TODAY, login, skicka_uppdrag

pytestmark = pytest.mark.django_db

AVSLUTAT = date(2026, 4, 14)
GENOMFORANDE = "Målen om tvätt och städning är nådda; hen klarar det själv sedan mars."
ATGARDER = "Bildschema för veckans sysslor; besöken flyttades till förmiddagar."
POST = {"datum": "2026-04-20", "genomforande": GENOMFORANDE, "atgarder": ATGARDER}


def avslutat(make_case, cast, utforare, *, datum: date = AVSLUTAT) -> Arende:
    uppdrag = skicka_uppdrag(make_case, cast, utforare, datum=date(2026, 3, 2))
    services.uppdrag_acceptera(actor=cast["stodpedagog"], uppdrag=uppdrag)
    arende = uppdrag.arende
    arende_services.verkstallighet_registrera(
        actor=cast["boendestodjare"], arende=arende, datum=date(2026, 3, 5), grad="helt"
    )
    arende_services.avslut_registrera(
        actor=cast["socialsekreterare"], arende=arende, datum=datum, skal="Målen är nådda."
    )
    return arende


def url(arende: Arende) -> str:
    return reverse("utforare:slutanteckning", args=[arende.arende_id])


def slutant(arende: Arende) -> Bevakning:
    return Bevakning.objects.get(arende=arende, regel="BS-SLUTANT")


@time_machine.travel(TODAY, tick=False)
def test_BS_SLUTANT_met_by_the_final_note(cast, make_case, utforare_tilldelad) -> None:
    arende = avslutat(make_case, cast, utforare_tilldelad)
    # 14 April + 5 vardagar = 21 April.
    assert (slutant(arende).status, slutant(arende).forfaller) == (OPEN, date(2026, 4, 21))

    note = services.slutanteckning_skriv(
        actor=cast["boendestodjare"],
        arende=arende,
        datum=date(2026, 4, 20),
        genomforande=GENOMFORANDE,
        atgarder=f"  {ATGARDER}\n",
    )

    assert note.text == (
        f"Genomförande och måluppfyllelse\n{GENOMFORANDE}\n\n"
        f"Åtgärder för att anpassa insatsen\n{ATGARDER}"
    )
    assert (note.handelse.typ, note.handelse.datum, note.skriven_av) == (
        "slutanteckning",
        date(2026, 4, 20),
        cast["boendestodjare"],
    )
    assert (slutant(arende).status, slutant(arende).uppfylld) == (MET, date(2026, 4, 20))
    actions = set(
        AuditLog.objects.filter(arende=arende, aktor=cast["boendestodjare"]).values_list(
            "atgard", flat=True
        )
    )
    assert {"handelse_registrera", "slutanteckning_skriv"} <= actions


@time_machine.travel("2026-04-24 10:00 +02:00", tick=False)
def test_BS_SLUTANT_met_late_after_five_vardagar(cast, make_case, utforare_tilldelad) -> None:
    arende = avslutat(make_case, cast, utforare_tilldelad)
    services.slutanteckning_skriv(
        actor=cast["stodpedagog"],
        arende=arende,
        datum=date(2026, 4, 22),
        genomforande=GENOMFORANDE,
        atgarder=ATGARDER,
    )
    assert slutant(arende).status == MET_LATE


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"genomforande": " ", "atgarder": ""},
            {
                "genomforande": ["Beskriv hur insatsen har genomförts och hur målen har nåtts."],
                "atgarder": [
                    "Beskriv vilka åtgärder som vidtagits för att anpassa insatsen till den "
                    "enskildes behov."
                ],
            },
        ),
        (
            {"datum": date(2026, 4, 13)},
            {"datum": ["Slutanteckningen kan inte dateras före avslutet (2026-04-14)."]},
        ),
        ({"datum": date(2026, 4, 21)}, {"datum": ["Datumet får inte ligga i framtiden."]}),
    ],
)
def test_invalid_final_note_saves_nothing(
    cast, make_case, utforare_tilldelad, changes, errors
) -> None:
    arende = avslutat(make_case, cast, utforare_tilldelad)
    fields = {
        "datum": date(2026, 4, 20),
        "genomforande": GENOMFORANDE,
        "atgarder": ATGARDER,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.slutanteckning_skriv(actor=cast["boendestodjare"], arende=arende, **fields)
    assert error.value.message_dict == errors
    assert not Slutanteckning.objects.exists()
    assert not Handelse.objects.filter(typ="slutanteckning").exists()
    assert slutant(arende).status == OPEN


@time_machine.travel(TODAY, tick=False)
def test_final_note_needs_a_closed_case_and_is_written_once(
    cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    services.uppdrag_acceptera(actor=cast["stodpedagog"], uppdrag=uppdrag)
    fields = {"datum": date(2026, 4, 20), "genomforande": GENOMFORANDE, "atgarder": ATGARDER}
    with pytest.raises(ValidationError) as error:
        services.slutanteckning_skriv(actor=cast["boendestodjare"], arende=uppdrag.arende, **fields)
    assert error.value.messages == ["Slutanteckningen skrivs när ärendet har avslutats."]

    arende = avslutat(make_case, cast, utforare_tilldelad)
    services.slutanteckning_skriv(actor=cast["boendestodjare"], arende=arende, **fields)
    with pytest.raises(ValidationError) as error:
        services.slutanteckning_skriv(actor=cast["stodpedagog"], arende=arende, **fields)
    assert error.value.messages == ["Slutanteckningen är redan skriven."]
    assert Handelse.objects.filter(arende=arende, typ="slutanteckning").count() == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role", ["socialsekreterare", "inspektor", "boendestodjare_annan", "administrator"]
)
def test_only_the_providers_staff_write_the_final_note(
    cast, make_case, utforare_tilldelad, role
) -> None:
    arende = avslutat(make_case, cast, utforare_tilldelad)
    with pytest.raises(PermissionDenied):
        services.slutanteckning_skriv(
            actor=cast[role],
            arende=arende,
            datum=date(2026, 4, 20),
            genomforande=GENOMFORANDE,
            atgarder=ATGARDER,
        )
    assert not Slutanteckning.objects.exists()


# --- Through the pages --------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_final_note_through_the_provider_page(client, cast, make_case, utforare_tilldelad):
    arende = avslutat(make_case, cast, utforare_tilldelad)
    login(client, cast["boendestodjare"])
    inkorg = client.get(reverse("utforare:inkorg")).content.decode()
    assert "Avslutade – slutanteckning saknas" in inkorg and arende.arende_id in inkorg
    page = reverse("utforare:arende", args=[arende.arende_id])
    html = client.get(page).content.decode()
    assert "Ärendet avslutades 2026-04-14. Skriv slutanteckningen skyndsamt (BS-SLUTANT)." in html
    assert '<label for="id_atgarder">Åtgärder som vidtagits' in html

    response = client.post(url(arende), POST)

    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).content.decode()
    assert "Slutanteckningen är sparad." in html
    assert "Åtgärder för att anpassa insatsen<br>" + ATGARDER in html
    assert 'action="' + url(arende) not in html
    assert arende.arende_id not in client.get(reverse("utforare:inkorg")).content.decode()
    # The social worker sees the event and the met deadline.
    authority = login(Client(), cast["socialsekreterare"]).get(
        reverse("arenden:arende", args=[arende.arende_id])
    )
    assert "2026-04-20</time> Slutanteckning" in authority.content.decode()
    assert slutant(arende).status == MET


@time_machine.travel(TODAY, tick=False)
def test_invalid_final_note_form_is_400_with_the_error(
    client, cast, make_case, utforare_tilldelad
) -> None:
    arende = avslutat(make_case, cast, utforare_tilldelad)
    response = login(client, cast["boendestodjare"]).post(url(arende), {**POST, "atgarder": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<p class="error" role="alert">Beskriv vilka åtgärder som vidtagits för att anpassa '
        "insatsen till den enskildes behov.</p>"
    ) in html
    assert GENOMFORANDE in html  # what was written is kept
    assert not Slutanteckning.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_final_note_page_refuses_wrong_roles(client, cast, make_case, utforare_tilldelad):
    arende = avslutat(make_case, cast, utforare_tilldelad)
    for role, status in [
        ("socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ]:
        assert login(Client(), cast[role]).post(url(arende), POST).status_code == status, role
    anonymous = Client().post(url(arende), POST)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/logga-in/")
    assert login(Client(), cast["boendestodjare"]).get(url(arende)).status_code == 405
    assert not Slutanteckning.objects.exists()
