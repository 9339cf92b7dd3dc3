"""No lost update: a follow-up registered on a form opened before another one is refused."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uppfolj.arenden.models import Handelse, Journalanteckning, Utkast
from uppfolj.audit.models import AuditLog
from uppfolj.uppfoljning.models import Uppfoljning
from uppfolj.uppfoljning.services import uppfoljning as service

from .uppfoljning_fall import SBMS_POST, TODAY, lagenhetsboende, login, svar_for

pytestmark = pytest.mark.django_db

KONFLIKT_FORSTE = (
    "En uppföljning har registrerats av Forste kl 10:00 sedan du öppnade formuläret. Din "
    "uppföljning är inte registrerad – här är dina uppgifter, jämför och registrera igen."
)


def ny_url(arende: Any) -> str:
    return reverse("uppfoljning:ny", args=[arende.arende_id])


def grundversion(html: str) -> str:
    found = re.search(r'name="grundversion" value="(\d+)"', html)
    assert found, "the form carries the version it was opened at"
    return found.group(1)


def text(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


def registrera(actor: Any, arende: Any, **changes: Any) -> Uppfoljning:
    fields: dict[str, Any] = {
        "datum": date(2026, 4, 20),
        "svar": svar_for(arende.insats, arende.boendeform or None),
        "den_enskilde_deltog": True,
        "samma_utforare": True,
        "atgard": "fortsatt",
        "nasta_mote": date(2026, 7, 15),
        **changes,
    }
    return service.uppfoljning_registrera(actor=actor, arende=arende, **fields)


# --- The service ----------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_follow_up_from_a_stale_form_raises_the_conflict_and_saves_nothing(cast, make_case):
    arende = lagenhetsboende(make_case)
    assert service.uppfoljning_grundversion(arende) == 0
    first = registrera(cast["forste_socialsekreterare"], arende, grundversion=0)
    audit_before = AuditLog.objects.count()

    with pytest.raises(service.UppfoljningKonflikt) as error:
        registrera(cast["socialsekreterare"], arende, atgard="justera_niva", grundversion=0)

    assert str(error.value) == KONFLIKT_FORSTE
    assert error.value.aktuell == 1
    assert list(Uppfoljning.objects.filter(arende=arende)) == [first]
    assert Handelse.objects.filter(arende=arende, typ="uppfoljning").count() == 1
    assert Journalanteckning.objects.filter(arende=arende).count() == 1
    assert AuditLog.objects.count() == audit_before


@time_machine.travel(TODAY, tick=False)
def test_a_follow_up_from_the_current_state_is_registered(cast, make_case):
    arende = lagenhetsboende(make_case)
    registrera(cast["forste_socialsekreterare"], arende, grundversion=0)
    registrera(cast["socialsekreterare"], arende, grundversion=1)
    assert service.uppfoljning_grundversion(arende) == 2


# --- The page: two social workers register the same follow-up -------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_second_of_two_registrations_gets_the_conflict_with_its_input_kept(cast, make_case):
    arende = lagenhetsboende(make_case)
    first = login(Client(), cast["forste_socialsekreterare"])
    second = login(Client(), cast["socialsekreterare"])
    assert grundversion(first.get(ny_url(arende)).content.decode()) == "0"
    assert grundversion(second.get(ny_url(arende)).content.decode()) == "0"
    audit_before = set(AuditLog.objects.values_list("pk", flat=True))

    assert first.post(ny_url(arende), SBMS_POST).status_code == 302

    mine = {**SBMS_POST, "fungerat": "Den enskilde vill flytta närmare sin dotter."}
    response = second.post(ny_url(arende), mine)

    html = text(response)
    assert response.status_code == 409
    assert KONFLIKT_FORSTE in html
    stored = Uppfoljning.objects.get(arende=arende)
    assert f'href="{reverse("uppfoljning:visa", args=[stored.pk])}"' in html
    assert "Den enskilde vill flytta närmare sin dotter.</textarea>" in html
    assert grundversion(html) == "1"
    # The stored follow-up is the first one, and only it was audited.
    assert stored.skriven_av == cast["forste_socialsekreterare"]
    assert stored.svar["fungerat"] == SBMS_POST["fungerat"]
    new_rows = AuditLog.objects.exclude(pk__in=audit_before)
    assert set(new_rows.values_list("aktor", flat=True)) == {cast["forste_socialsekreterare"].pk}
    assert "uppfoljning_registrera" in set(new_rows.values_list("atgard", flat=True))
    # The refused input is kept as the user's draft, on the newer state.
    draft = Utkast.objects.get(anvandare=cast["socialsekreterare"], arende=arende)
    assert draft.data["fungerat"] == ["Den enskilde vill flytta närmare sin dotter."]
    assert draft.data["grundversion"] == ["1"]

    # Registering again, now knowingly, makes a second follow-up.
    assert second.post(ny_url(arende), {**mine, "grundversion": "1"}).status_code == 302
    assert Uppfoljning.objects.filter(arende=arende).count() == 2


@time_machine.travel(TODAY, tick=False)
def test_the_autosaved_draft_keeps_the_version_it_was_started_at(cast, make_case):
    arende = lagenhetsboende(make_case)
    client = login(Client(), cast["socialsekreterare"])
    opened_at = grundversion(client.get(ny_url(arende)).content.decode())
    utkast = reverse("uppfoljning:ny_utkast", args=[arende.arende_id])
    draft = {"grundversion": opened_at, "fungerat": "Påbörjat."}
    assert client.post(utkast, draft).status_code == 200
    registrera(cast["forste_socialsekreterare"], arende, grundversion=0)

    # Coming back to the draft restores the version it was started at, not today's.
    html = text(client.get(ny_url(arende)))
    assert "Påbörjat.</textarea>" in html
    assert grundversion(html) == "0"
    response = client.post(ny_url(arende), {**SBMS_POST, "fungerat": "Påbörjat och klart."})
    assert response.status_code == 409
    assert KONFLIKT_FORSTE in text(response)
    assert Uppfoljning.objects.filter(arende=arende).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_draft_without_a_version_counts_from_when_it_was_saved(cast, make_case):
    arende = lagenhetsboende(make_case)
    with time_machine.travel("2026-04-17 09:00 +02:00", tick=False):
        Utkast.objects.create(
            anvandare=cast["socialsekreterare"],
            formular="uppfoljning",
            arende=arende,
            data={"fungerat": ["Gammalt utkast."]},
        )
    registrera(cast["forste_socialsekreterare"], arende, grundversion=0)
    client = login(Client(), cast["socialsekreterare"])
    assert grundversion(client.get(ny_url(arende)).content.decode()) == "0"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("value", ["", "två", "-3"])
def test_a_form_without_its_version_is_refused_with_a_message(cast, make_case, value):
    arende = lagenhetsboende(make_case)
    client = login(Client(), cast["socialsekreterare"])
    response = client.post(ny_url(arende), {**SBMS_POST, "grundversion": value})
    assert response.status_code == 400
    assert (
        "<p>Sidan saknar uppgift om vilken version du utgick från. Ladda om sidan och försök "
        "igen.</p>"
    ) in text(response)
    assert not Uppfoljning.objects.filter(arende=arende).exists()
