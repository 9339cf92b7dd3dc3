"""Booking the follow-up meeting: digital or physical, who is invited, audited."""

from __future__ import annotations

import html as html_lib
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import Distrikt
from uppfolj.arenden.models import Arende
from uppfolj.audit.models import AuditLog
from uppfolj.uppfoljning.models import Uppfoljningsmote
from uppfolj.utforare.models import Kontaktpersonal

from .uppfoljning_fall import PAGAR, TODAY, aware, boka, lagenhetsboende, login

pytestmark = pytest.mark.django_db

POST = {
    "tid": "2026-04-27T10:00",
    "form": "fysiskt",
    "plats": "Boendet, Storgatan 1",
    "ovriga": "Anna Andersson (god man)",
}


def url(arende: Arende) -> str:
    return reverse("uppfoljning:mote_ny", args=[arende.arende_id])


def with_contact_staff(arende: Arende, cast) -> None:
    Kontaktpersonal.objects.create(
        arende=arende,
        personal=cast["boendestodjare"],
        fran=date(2026, 2, 1),
        tilldelad_av=cast["stodpedagog"],
    )
    # Contact staff whose assignment has ended is not invited.
    Kontaktpersonal.objects.create(
        arende=arende,
        personal=cast["utforarchef"],
        fran=date(2026, 2, 1),
        till=date(2026, 3, 1),
        tilldelad_av=cast["stodpedagog"],
    )


@time_machine.travel(TODAY, tick=False)
def test_the_form_invites_the_individual_the_social_worker_and_contact_staff(
    client, cast, make_case
):
    arende = lagenhetsboende(make_case, handlaggare=cast["forste_socialsekreterare"])
    with_contact_staff(arende, cast)
    response = login(client, cast["socialsekreterare"]).get(url(arende))
    assert response.status_code == 200
    html = html_lib.unescape(response.content.decode())
    for invited in (
        f"{arende.person} (den enskilde)",
        "Forste (ansvarig socialsekreterare)",
        "Bst (kontaktpersonal)",
    ):
        assert f'value="{invited}"' in html, invited
        assert f'value="{invited}" id' in html or f'value="{invited}" checked' in html
    assert "Utforarchef (kontaktpersonal)" not in html
    assert html.count(" checked") >= 4  # the three invited and the physical meeting


@time_machine.travel(TODAY, tick=False)
def test_booking_saves_the_meeting_audits_and_goes_to_the_preparation(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    with_contact_staff(arende, cast)
    user = cast["socialsekreterare"]
    invited = [f"{arende.person} (den enskilde)", "Bst (kontaktpersonal)"]

    response = login(client, user).post(url(arende), {**POST, "kallade": invited})

    assert response.status_code == 302
    assert response["Location"] == reverse("uppfoljning:forberedelse", args=[arende.arende_id])
    mote = Uppfoljningsmote.objects.get()
    assert (mote.arende, mote.tid, mote.form, mote.plats, mote.bokat_av) == (
        arende,
        aware("2026-04-27 10:00"),
        "fysiskt",
        "Boendet, Storgatan 1",
        user,
    )
    assert mote.kallade.splitlines() == [*invited, "Anna Andersson (god man)"]
    assert mote.status == Uppfoljningsmote.Status.BOKAT
    audit = AuditLog.objects.get(atgard="uppfoljningsmote_boka")
    assert (audit.aktor, audit.arende, audit.objekt_id) == (user, arende, str(mote.pk))
    page = html_lib.unescape(client.get(response["Location"]).content.decode())
    assert "Uppföljningsmötet är bokat 2026-04-27 10:00." in page


@time_machine.travel(TODAY, tick=False)
def test_a_meeting_held_earlier_today_may_be_booked(cast, make_case):
    arende = lagenhetsboende(make_case)
    assert boka(cast["socialsekreterare"], arende, tid=aware("2026-04-20 08:00")).pk


@time_machine.travel(TODAY, tick=False)
def test_a_digital_meeting_has_a_link(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    response = login(client, cast["socialsekreterare"]).post(
        url(arende),
        {
            **POST,
            "form": "digitalt",
            "plats": "https://mote.example/abc",
            "kallade": [f"{arende.person} (den enskilde)"],
        },
    )
    assert response.status_code == 302
    assert Uppfoljningsmote.objects.get().get_form_display() == "Digitalt möte"


def field_error(response, message: str) -> bool:
    html = html_lib.unescape(response.content.decode())
    return f'<p class="error" role="alert">{message}</p>' in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tid": "2026-04-19T16:00"}, "Mötet kan inte bokas bakåt i tiden."),
        ({"plats": ""}, "Ange var mötet hålls."),
        ({"plats": " ", "form": "digitalt"}, "Ange länken till det digitala mötet."),
        ({"ovriga": ""}, "Ange vilka som kallas till mötet."),
        ({"tid": ""}, "Detta fält måste fyllas i."),
        (
            {"form": "brev"},
            "Välj ett giltigt alternativ. brev finns inte bland tillgängliga alternativ.",
        ),
    ],
)
def test_invalid_booking_is_400_with_the_error(client, cast, make_case, changes, message):
    arende = lagenhetsboende(make_case)
    response = login(client, cast["socialsekreterare"]).post(url(arende), {**POST, **changes})
    assert response.status_code == 400
    assert field_error(response, message)
    assert not Uppfoljningsmote.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_booking_on_a_closed_case_is_refused(cast, make_case):
    arende = make_case([*PAGAR, {"date": "2026-04-01", "type": "avslut"}])
    with pytest.raises(ValidationError) as error:
        boka(cast["socialsekreterare"], arende)
    assert error.value.messages == ["Ärendet är avslutat; inget mer kan registreras i det."]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "inspektor", "boendestodjare_annan"])
def test_the_service_refuses_those_who_may_not_handle(cast, make_case, role):
    arende = lagenhetsboende(make_case)
    with pytest.raises(PermissionDenied):
        boka(cast[role], arende)
    assert not AuditLog.objects.filter(atgard="uppfoljningsmote_boka").exists()


@time_machine.travel(TODAY, tick=False)
def test_booked_meetings_are_listed_on_the_case_and_the_form(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    boka(cast["socialsekreterare"], arende, form="digitalt", plats="https://mote.example/x")
    login(client, cast["socialsekreterare"])
    for page in (reverse("arenden:arende", args=[arende.arende_id]), url(arende)):
        html = html_lib.unescape(client.get(page).content.decode())
        assert "<strong>2026-04-27 10:00</strong>, digitalt möte: https://mote.example/x" in html
        assert "Kallade: Den enskilde, Handläggaren, Kontaktpersonalen" in html


@time_machine.travel(TODAY, tick=False)
def test_another_districts_case_is_404(client, cast, make_case):
    arende = lagenhetsboende(make_case)
    Arende.objects.filter(pk=arende.pk).update(distrikt=Distrikt.objects.create(namn="Skärholmen"))
    c = login(Client(), cast["socialsekreterare"])
    assert c.get(url(arende)).status_code == 404
    assert c.post(url(arende), POST).status_code == 404
    assert not Uppfoljningsmote.objects.exists()
