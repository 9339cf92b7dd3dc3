"""Fördelning: the stödpedagog assigns contact staff, at least two per individual (003)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import User
from uppfolj.arenden import services as arende_services
from uppfolj.arenden.models import Arende, Behorighet
from uppfolj.audit.models import AuditLog
from uppfolj.utforare.models import Kontaktpersonal
from uppfolj.utforare.services import uppdrag as services

from .uppdrag_helpers import TODAY, login, skicka_uppdrag

pytestmark = pytest.mark.django_db

FRAN = date(2026, 4, 15)


def url(arende: Arende) -> str:
    return reverse("utforare:kontaktpersonal", args=[arende.arende_id])


def avsluta_url(kontakt: Kontaktpersonal) -> str:
    return reverse("utforare:kontaktpersonal_avsluta", args=[kontakt.arende.arende_id, kontakt.pk])


def accepterat(make_case, cast, utforare, **kwargs) -> Arende:
    uppdrag = skicka_uppdrag(make_case, cast, utforare, **kwargs)
    services.uppdrag_acceptera(actor=cast["stodpedagog"], uppdrag=uppdrag)
    return uppdrag.arende


def tilldela(cast, arende: Arende, who: str = "boendestodjare") -> Kontaktpersonal:
    return services.kontaktpersonal_tilldela(
        actor=cast["stodpedagog"], arende=arende, personal=cast[who], fran=FRAN
    )


# --- Services -------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_kontaktpersonal_tilldela_saves_and_audits(cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    kontakt = tilldela(cast, arende)
    assert (kontakt.personal, kontakt.fran, kontakt.till, kontakt.tilldelad_av) == (
        cast["boendestodjare"],
        FRAN,
        None,
        cast["stodpedagog"],
    )
    row = AuditLog.objects.get(atgard="kontaktpersonal_tilldela")
    assert (row.aktor, row.arende, row.efter) == (
        cast["stodpedagog"],
        arende,
        {"personal": "bst", "fran": "2026-04-15"},
    )


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("actor", ["utforarchef", "stodpedagog"])
def test_distributors_are_stodpedagog_and_unit_manager(
    cast, make_case, utforare_tilldelad, actor
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    services.kontaktpersonal_tilldela(
        actor=cast[actor], arende=arende, personal=cast["boendestodjare"], fran=FRAN
    )
    assert Kontaktpersonal.objects.filter(arende=arende).count() == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "actor", ["boendestodjare", "boendestodjare_annan", "socialsekreterare", "inspektor"]
)
def test_others_may_not_distribute(cast, make_case, utforare_tilldelad, actor) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    with pytest.raises(PermissionDenied):
        services.kontaktpersonal_tilldela(
            actor=cast[actor], arende=arende, personal=cast["boendestodjare"], fran=FRAN
        )
    kontakt = tilldela(cast, arende)
    with pytest.raises(PermissionDenied):
        services.kontaktpersonal_avsluta(actor=cast[actor], kontaktpersonal=kontakt, till=FRAN)
    kontakt.refresh_from_db()
    assert kontakt.till is None


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("boendestodjare_annan", "Välj personal hos er egen utförare."),
        ("socialsekreterare", "Välj personal hos er egen utförare."),
    ],
)
def test_only_the_providers_own_staff_may_be_assigned(
    cast, make_case, utforare_tilldelad, who, message
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    with pytest.raises(ValidationError) as error:
        tilldela(cast, arende, who)
    assert error.value.message_dict == {"personal": [message]}
    assert not Kontaktpersonal.objects.exists()
    assert not AuditLog.objects.filter(atgard="kontaktpersonal_tilldela").exists()


@time_machine.travel(TODAY, tick=False)
def test_inactive_staff_may_not_be_assigned(cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    User.objects.filter(pk=cast["boendestodjare"].pk).update(is_active=False)
    cast["boendestodjare"].refresh_from_db()
    with pytest.raises(ValidationError):
        tilldela(cast, arende)


@time_machine.travel(TODAY, tick=False)
def test_the_same_staff_is_not_assigned_twice(cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    tilldela(cast, arende)
    with pytest.raises(ValidationError) as error:
        tilldela(cast, arende)
    assert error.value.message_dict == {"personal": ["Bst är redan kontaktpersonal."]}
    assert Kontaktpersonal.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_distribution_waits_for_the_acceptance(cast, make_case, utforare_tilldelad) -> None:
    arende = skicka_uppdrag(make_case, cast, utforare_tilldelad).arende
    with pytest.raises(ValidationError) as error:
        tilldela(cast, arende)
    assert error.value.messages == ["Acceptera uppdraget först."]


@time_machine.travel(TODAY, tick=False)
def test_on_a_protected_case_staff_need_a_grant_first(cast, make_case, utforare_tilldelad):
    arende = skicka_uppdrag(make_case, cast, utforare_tilldelad, skyddad=True).arende
    Behorighet.objects.create(
        arende=arende, anvandare=cast["stodpedagog"], beviljad_av=cast["utforarchef"]
    )
    services.uppdrag_acceptera(actor=cast["stodpedagog"], uppdrag=arende.uppdrag_set.get())
    with pytest.raises(ValidationError) as error:
        tilldela(cast, arende)
    assert error.value.message_dict == {
        "personal": [
            "Bst har inte behörighet till ärendet (skyddade personuppgifter). Ge behörighet först."
        ]
    }
    Behorighet.objects.create(
        arende=arende, anvandare=cast["boendestodjare"], beviljad_av=cast["utforarchef"]
    )
    assert tilldela(cast, arende).personal == cast["boendestodjare"]


@time_machine.travel(TODAY, tick=False)
def test_kontaktpersonal_avsluta_keeps_the_history(cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    kontakt = tilldela(cast, arende)
    services.kontaktpersonal_avsluta(
        actor=cast["utforarchef"], kontaktpersonal=kontakt, till=date(2026, 4, 18)
    )
    kontakt.refresh_from_db()
    assert kontakt.till == date(2026, 4, 18)
    assert services.aktiv_kontaktpersonal(arende, date(2026, 4, 20)) == []
    row = AuditLog.objects.get(atgard="kontaktpersonal_avsluta")
    assert (row.fore, row.efter) == ({"till": None}, {"personal": "bst", "till": "2026-04-18"})
    # Assigned again later: a new row beside the old one.
    services.kontaktpersonal_tilldela(
        actor=cast["stodpedagog"],
        arende=arende,
        personal=cast["boendestodjare"],
        fran=date(2026, 4, 20),
    )
    assert Kontaktpersonal.objects.filter(arende=arende).count() == 2


@time_machine.travel(TODAY, tick=False)
def test_kontaktpersonal_avsluta_refuses_bad_dates_and_twice(
    cast, make_case, utforare_tilldelad
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    kontakt = tilldela(cast, arende)
    with pytest.raises(ValidationError) as error:
        services.kontaktpersonal_avsluta(
            actor=cast["stodpedagog"], kontaktpersonal=kontakt, till=date(2026, 4, 14)
        )
    assert error.value.message_dict == {"till": ["Slutdatumet ligger före startdatumet."]}
    services.kontaktpersonal_avsluta(actor=cast["stodpedagog"], kontaktpersonal=kontakt, till=FRAN)
    with pytest.raises(ValidationError) as error:
        services.kontaktpersonal_avsluta(
            actor=cast["stodpedagog"], kontaktpersonal=kontakt, till=FRAN
        )
    assert error.value.messages == ["Kopplingen är redan avslutad."]


# --- The page -------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_fordelning_page_warns_until_two_are_assigned(
    client, cast, make_case, utforare_tilldelad
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    login(client, cast["stodpedagog"])
    response = client.get(url(arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kontaktpersonal</h1>" in html
    assert "Ingen kontaktpersonal är kopplad. Minst 2 bör vara kopplade till den enskilde." in html
    assert '<label for="id_personal">Personal' in html
    # Only the provider's own staff are offered.
    assert "Bst (Boendestödjare)" in html and "Bst_Annan" not in html

    response = client.post(
        url(arende), {"personal": cast["boendestodjare"].pk, "fran": "2026-04-15"}
    )
    assert response.status_code == 302 and response["Location"] == url(arende)
    html = client.get(url(arende)).content.decode()
    assert "Bst är kopplad som kontaktpersonal." in html
    assert "Bara 1 kontaktpersonal är kopplad. Minst 2 bör vara kopplade" in html
    provider_page = client.get(reverse("utforare:arende", args=[arende.arende_id]))
    assert "Minst två kontaktpersonal bör vara kopplade" in provider_page.content.decode()

    client.post(url(arende), {"personal": cast["utforarchef"].pk, "fran": "2026-04-15"})
    html = client.get(url(arende)).content.decode()
    assert "bör vara kopplade" not in html
    provider_page = client.get(reverse("utforare:arende", args=[arende.arende_id]))
    assert "Minst två kontaktpersonal bör vara kopplade" not in provider_page.content.decode()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"personal": "", "fran": "2026-04-15"}, "Välj vem som ska vara kontaktpersonal."),
        ({"personal": "annan", "fran": "2026-04-15"}, "Välj personal hos er egen utförare."),
        ({"personal": "bst", "fran": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_fordelning_invalid_input_is_400(
    client, cast, make_case, utforare_tilldelad, post, message
) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    people = {"annan": cast["boendestodjare_annan"].pk, "bst": cast["boendestodjare"].pk}
    post = {**post, "personal": people.get(post["personal"], post["personal"])}
    response = login(client, cast["stodpedagog"]).post(url(arende), post)
    assert response.status_code == 400
    assert f'<p class="error" role="alert">{message}</p>' in response.content.decode()
    assert not Kontaktpersonal.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_fordelning_page_ends_an_assignment(client, cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    kontakt = tilldela(cast, arende)
    login(client, cast["stodpedagog"])
    field = f"k{kontakt.pk}-till"
    response = client.post(avsluta_url(kontakt), {field: "2026-04-10"})
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet." in response.content.decode()

    response = client.post(avsluta_url(kontakt), {field: "2026-04-19"})
    assert response.status_code == 302
    html = client.get(url(arende)).content.decode()
    assert "Bst är inte längre kontaktpersonal." in html
    history = html[html.index('id="historik-rubrik"') :]
    assert "2026-04-15 – 2026-04-19" in history


@time_machine.travel(TODAY, tick=False)
def test_fordelning_page_access(client, cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    kontakt = tilldela(cast, arende)
    post = {"personal": cast["utforarchef"].pk, "fran": "2026-04-15"}
    # Contact staff see who is assigned but do not distribute.
    bst = login(Client(), cast["boendestodjare"])
    html = bst.get(url(arende)).content.decode()
    assert "Bst" in html and 'id="koppla-rubrik"' not in html
    assert bst.post(url(arende), post).status_code == 403
    assert bst.post(avsluta_url(kontakt), {f"k{kontakt.pk}-till": "2026-04-19"}).status_code == 403
    for role, status in [
        ("socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ]:
        c = login(Client(), cast[role])
        assert c.get(url(arende)).status_code == status, role
        assert c.post(url(arende), post).status_code == status, role
        assert c.post(avsluta_url(kontakt), {f"k{kontakt.pk}-till": "2026-04-19"}).status_code == (
            status
        ), role
    anonymous = Client().get(url(arende))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/logga-in/")
    assert Kontaktpersonal.objects.get().till is None
    assert Kontaktpersonal.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_fordelning_of_a_protected_case_without_grant_is_404(
    client, cast, make_case, utforare_tilldelad
) -> None:
    arende = skicka_uppdrag(make_case, cast, utforare_tilldelad, skyddad=True).arende
    login(client, cast["stodpedagog"])
    assert client.get(url(arende)).status_code == 404
    post = {"personal": cast["boendestodjare"].pk, "fran": "2026-04-15"}
    assert client.post(url(arende), post).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_no_distribution_on_a_closed_case(client, cast, make_case, utforare_tilldelad) -> None:
    arende = accepterat(make_case, cast, utforare_tilldelad)
    arende_services.avslut_registrera(
        actor=cast["socialsekreterare"], arende=arende, datum=date(2026, 4, 17), skal="Flyttat."
    )
    login(client, cast["stodpedagog"])
    assert 'id="koppla-rubrik"' not in client.get(url(arende)).content.decode()
    response = client.post(
        url(arende), {"personal": cast["boendestodjare"].pk, "fran": "2026-04-17"}
    )
    assert response.status_code == 400
    assert "Ärendet är avslutat; ingen ny kontaktpersonal kan kopplas." in response.content.decode()
