"""Consents (ACC-SAMTYCKE): registered and withdrawn by either side, kept, audited, shown."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.utforare.models import Samtycke
from uppfolj.utforare.services.samtycke import (
    samtycke_aterkalla,
    samtycke_registrera,
    samtycke_status,
    samtycken_for,
)

from .plan_fixtures import PAGAR, TODAY, login, samtycke

pytestmark = pytest.mark.django_db


def url(name: str, arende: Any, *args: Any) -> str:
    return reverse(f"utforare:{name}", args=[arende.arende_id, *args])


POST = {
    "motpart": "Socialsekreteraren",
    "omfattning": "Genomförandeplanen inför uppföljningen.",
    "omfattar_genomforandeplan": "on",
    "fran": "2026-04-20",
    "till": "2026-12-31",
    "givet_hur": "skriftligt",
}


def registrera(actor: Any, arende: Any, **changes: Any) -> Samtycke:
    fields: dict[str, Any] = {
        "motpart": "Psykiatrin Syd",
        "omfattning": "Läkemedelslista och krisplan.",
        "fran": date(2026, 4, 1),
        "givet_hur": "muntligt",
        **changes,
    }
    return samtycke_registrera(actor=actor, arende=arende, **fields)


# --- Services ---------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["socialsekreterare", "enhetschef", "boendestodjare"])
def test_either_side_registers_a_consent_and_it_is_audited(cast, make_case, role):
    arende = make_case(PAGAR)
    given = registrera(cast[role], arende, utforare=arende.utforare)
    assert (given.person, given.registrerat_av, given.aterkallat) == (
        arende.person,
        cast[role],
        None,
    )
    row = AuditLog.objects.get(atgard="samtycke_registrera")
    assert (row.aktor, row.arende, row.efter["motpart"]) == (cast[role], arende, "Psykiatrin Syd")


@time_machine.travel(TODAY, tick=False)
def test_withdrawal_is_kept_in_the_history_and_audited(cast, make_case):
    arende = make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], arende)
    samtycke_aterkalla(
        actor=cast["boendestodjare"], arende=arende, samtycke=given, datum=date(2026, 4, 19)
    )
    given.refresh_from_db()
    assert (given.aterkallat, given.aterkallat_av) == (date(2026, 4, 19), cast["boendestodjare"])
    assert Samtycke.objects.count() == 1
    row = AuditLog.objects.get(atgard="samtycke_aterkalla")
    assert (row.fore["aterkallat"], row.efter["aterkallat"]) == (None, "2026-04-19")
    assert samtycke_status(given, date(2026, 4, 20)) == "Återkallat 2026-04-19"
    with pytest.raises(ValidationError) as error:
        samtycke_aterkalla(
            actor=cast["socialsekreterare"], arende=arende, samtycke=given, datum=date(2026, 4, 20)
        )
    assert error.value.messages == ["Samtycket är redan återkallat."]


@time_machine.travel(TODAY, tick=False)
def test_consent_status_in_words(cast, make_case):
    arende = make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], arende, till=date(2026, 4, 30))
    assert samtycke_status(given, date(2026, 4, 20)) == "Gäller"
    assert samtycke_status(given, date(2026, 3, 31)) == "Gäller från 2026-04-01"
    assert samtycke_status(given, date(2026, 5, 1)) == "Upphörde 2026-04-30"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"till": date(2026, 3, 31)}, "till", "Slutdatumet ligger före startdatumet."),
        ({"motpart": " "}, "motpart", "Detta fält får inte vara tomt."),
        (
            {"givet_hur": "telepatiskt"},
            "givet_hur",
            "Värdet 'telepatiskt' är inget giltigt alternativ.",
        ),
    ],
)
def test_invalid_consent_is_refused(cast, make_case, changes, field, message):
    arende = make_case(PAGAR)
    with pytest.raises(ValidationError) as error:
        registrera(cast["socialsekreterare"], arende, **changes)
    assert error.value.message_dict[field] == [message]
    assert not Samtycke.objects.exists()
    assert not AuditLog.objects.filter(atgard="samtycke_registrera").exists()


@time_machine.travel(TODAY, tick=False)
def test_withdrawal_date_may_not_be_in_the_future(cast, make_case):
    arende = make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], arende)
    with pytest.raises(ValidationError) as error:
        samtycke_aterkalla(
            actor=cast["socialsekreterare"], arende=arende, samtycke=given, datum=date(2026, 4, 21)
        )
    assert error.value.message_dict == {"datum": ["Datumet får inte ligga i framtiden."]}
    given.refresh_from_db()
    assert given.aterkallat is None


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role", ["inspektor", "administrator", "boendestodjare_annan", "utomstaende"]
)
def test_other_roles_may_not_register_or_withdraw(cast, make_case, role):
    arende = make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], arende)
    with pytest.raises(PermissionDenied):
        registrera(cast[role], arende)
    with pytest.raises(PermissionDenied):
        samtycke_aterkalla(actor=cast[role], arende=arende, samtycke=given, datum=date(2026, 4, 20))
    assert Samtycke.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_provider_sees_and_registers_consents_for_itself_only(cast, make_case, utforare_annan):
    arende = make_case(PAGAR)
    own = registrera(cast["socialsekreterare"], arende, utforare=arende.utforare)
    general = registrera(cast["socialsekreterare"], arende, motpart="Vårdcentralen")
    other = registrera(cast["socialsekreterare"], arende, utforare=utforare_annan)
    assert set(samtycken_for(cast["socialsekreterare"], arende)) == {own, general, other}
    assert set(samtycken_for(cast["boendestodjare"], arende)) == {own, general}
    with pytest.raises(PermissionDenied):
        registrera(cast["boendestodjare"], arende, utforare=utforare_annan)
    with pytest.raises(PermissionDenied):
        samtycke_aterkalla(
            actor=cast["boendestodjare"], arende=arende, samtycke=other, datum=date(2026, 4, 20)
        )


@time_machine.travel(TODAY, tick=False)
def test_a_consent_is_withdrawn_only_from_a_case_of_the_same_person(cast, make_case):
    arende, another = make_case(PAGAR), make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], arende)
    with pytest.raises(PermissionDenied):
        samtycke_aterkalla(
            actor=cast["socialsekreterare"], arende=another, samtycke=given, datum=date(2026, 4, 20)
        )


# --- Pages ------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["socialsekreterare", "stodpedagog"])
def test_register_and_withdraw_through_the_pages(cast, make_case, role):
    arende = make_case(PAGAR)
    client = login(Client(), cast[role])
    response = client.get(url("samtycke_ny", arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Registrera samtycke</h1>" in html
    assert 'value="2026-04-20"' in html

    response = client.post(url("samtycke_ny", arende), {**POST, "utforare": arende.utforare_id})
    assert response.status_code == 302
    assert response["Location"] == url("samtycken", arende)
    given = Samtycke.objects.get()
    assert (given.omfattar_genomforandeplan, given.till, given.utforare) == (
        True,
        date(2026, 12, 31),
        arende.utforare,
    )

    html = client.get(url("samtycken", arende)).content.decode()
    assert "Socialsekreteraren" in html and "Gäller" in html
    assert f'href="{url("samtycke_aterkalla", arende, given.pk)}"' in html

    response = client.get(url("samtycke_aterkalla", arende, given.pk))
    assert response.status_code == 200
    response = client.post(url("samtycke_aterkalla", arende, given.pk), {"datum": "2026-04-20"})
    assert response.status_code == 302
    html = client.get(url("samtycken", arende)).content.decode()
    assert "Återkallat 2026-04-20" in html
    assert f'href="{url("samtycke_aterkalla", arende, given.pk)}"' not in html
    assert AccessLog.objects.filter(arende=arende, vy="samtycken").count() == 2


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"till": "2026-04-19"}, "Slutdatumet ligger före startdatumet."),
        ({"motpart": ""}, "Detta fält måste fyllas i."),
        ({"givet_hur": ""}, "Detta fält måste fyllas i."),
        ({"fran": "20/4"}, "Fyll i ett giltigt datum."),
    ],
)
def test_invalid_consent_form_is_400_with_the_error(client, cast, make_case, changes, message):
    arende = make_case(PAGAR)
    response = login(client, cast["socialsekreterare"]).post(
        url("samtycke_ny", arende), {**POST, **changes}
    )
    assert response.status_code == 400
    assert f'<p class="error" role="alert">{message}</p>' in response.content.decode()
    assert not Samtycke.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_provider_form_offers_only_its_own_provider(client, cast, make_case, utforare_annan):
    arende = make_case(PAGAR)
    html = login(client, cast["boendestodjare"]).get(url("samtycke_ny", arende)).content.decode()
    assert arende.utforare.namn in html and utforare_annan.namn not in html
    response = client.post(url("samtycke_ny", arende), {**POST, "utforare": utforare_annan.pk})
    assert response.status_code == 400
    assert not Samtycke.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_consent_list_query_count(client, cast, make_case, django_assert_num_queries):
    arende = make_case(PAGAR)
    for motpart in ("Psykiatrin", "Vårdcentralen", "Syster Anna", "Hyresvärden"):
        samtycke(arende.person, cast["socialsekreterare"], motpart=motpart)
    login(client, cast["boendestodjare"])
    with django_assert_num_queries(4):
        html = client.get(url("samtycken", arende)).content.decode()
    assert html.count("<tr>") == 5


@time_machine.travel(TODAY, tick=False)
def test_withdrawal_form_refuses_a_future_date(client, cast, make_case):
    arende = make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], arende)
    response = login(client, cast["socialsekreterare"]).post(
        url("samtycke_aterkalla", arende, given.pk), {"datum": "2026-04-21"}
    )
    assert response.status_code == 400
    assert '<p class="error" role="alert">Datumet får inte ligga i framtiden.</p>' in (
        response.content.decode()
    )


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ],
)
def test_consent_pages_refuse_other_roles(cast, make_case, role, status):
    arende = make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], arende)
    c = login(Client(), cast[role])
    assert c.get(url("samtycken", arende)).status_code == status
    assert c.get(url("samtycke_ny", arende)).status_code == status
    assert c.post(url("samtycke_ny", arende), POST).status_code == status
    assert (
        c.post(url("samtycke_aterkalla", arende, given.pk), {"datum": "2026-04-20"}).status_code
        == status
    )
    assert Samtycke.objects.count() == 1
    given.refresh_from_db()
    assert given.aterkallat is None


@time_machine.travel(TODAY, tick=False)
def test_a_consent_of_another_person_is_404(client, cast, make_case):
    arende, another = make_case(PAGAR), make_case(PAGAR)
    given = registrera(cast["socialsekreterare"], another)
    login(client, cast["socialsekreterare"])
    assert client.get(url("samtycke_aterkalla", arende, given.pk)).status_code == 404


def test_anonymous_is_sent_to_login(client, make_case):
    arende = make_case(PAGAR)
    for target in (
        url("samtycken", arende),
        url("samtycke_ny", arende),
        url("samtycke_aterkalla", arende, 1),
    ):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@time_machine.travel(TODAY, tick=False)
def test_protected_case_needs_a_grant(client, cast, make_case):
    arende = make_case(PAGAR, skyddad=True)
    login(client, cast["socialsekreterare"])
    assert client.get(url("samtycken", arende)).status_code == 404
    assert client.post(url("samtycke_ny", arende), POST).status_code == 404
    assert not Samtycke.objects.exists()


# --- Shown on both sides ----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_consents_are_listed_on_both_case_pages(cast, make_case):
    arende = make_case(PAGAR)
    samtycke(arende.person, cast["boendestodjare"], motpart="Syster Anna")
    withdrawn = samtycke(
        arende.person,
        cast["socialsekreterare"],
        motpart="Vårdcentralen",
        aterkallat=date(2026, 4, 10),
    )
    authority = login(Client(), cast["socialsekreterare"])
    html = authority.get(reverse("arenden:arende", args=[arende.arende_id])).content.decode()
    assert '<h2 id="samtycken-myndighet-rubrik">Samtycken</h2>' in html
    assert html.index('<h2 id="samtycken-myndighet-rubrik">') < html.index("<h2>Händelser</h2>")
    assert "<strong>Syster Anna</strong>" in html and "<strong>Vårdcentralen</strong>" in html
    assert "Återkallat 2026-04-10" in html
    assert withdrawn.aterkallat_av is None

    provider = login(Client(), cast["boendestodjare"])
    response = provider.get(reverse("utforare:arende", args=[arende.arende_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h3 id="samtycken-rubrik">Samtycken</h3>' in html
    assert "<strong>Syster Anna</strong>" in html and "Återkallat 2026-04-10" in html


@time_machine.travel(TODAY, tick=False)
def test_the_inspector_sees_consents_on_the_case_page_but_not_the_plan_or_the_forms(
    cast, make_case
):
    arende = make_case(PAGAR)
    samtycke(arende.person, cast["boendestodjare"], motpart="Syster Anna")
    client = login(Client(), cast["inspektor"])
    response = client.post(
        reverse("arenden:arende", args=[arende.arende_id]), {"skal": "Aktgranskning 2026."}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Syster Anna</strong>" in html
    assert url("samtycke_ny", arende) not in html
    assert "privat utförare" not in html
