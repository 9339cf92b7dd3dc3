"""The visit register: the service with its audit row and its checks, and the page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from uppfolj.arenden.models import Arende
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import PASSWORD
from uppfolj.utforare.models import Besok
from uppfolj.utforare.services.besok import besok_registrera

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"  # a Monday

# A boendestöd case granted 3 hours a week from 1 February, executed by the provider.
BEVILJAD_TRE_TIMMAR = [
    {"date": "2026-01-26", "type": "ansokan"},
    {"date": "2026-01-27", "type": "utredning"},
    {"date": "2026-01-28", "type": "kommunicerat"},
    {
        "date": "2026-01-30",
        "type": "beslut",
        "utfall": "bifall",
        "from": "2026-02-01",
        "to": "2026-12-31",
        "minuter_per_vecka": 180,
        "aterkallelseforbehall": False,
    },
    {"date": "2026-01-30", "type": "uppdrag_skickat"},
    {"date": "2026-02-02", "type": "verkstallt", "grad": "helt"},
]


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def at(text: str) -> datetime:
    """Return "2026-03-03 10:00" as an aware datetime in Stockholm time."""
    return timezone.make_aware(datetime.fromisoformat(text))


def visit(arende: Arende, personal: Any, start: str, slut: str, plats: str = "hemma") -> Besok:
    """Store a visit directly: "2026-03-03 10:00" to "11:30" (same day) or a full time."""
    end = slut if " " in slut else f"{start[:10]} {slut}"
    return Besok.objects.create(
        arende=arende,
        personal=personal,
        start=at(start),
        slut=at(end),
        plats=plats,
        registrerad_av=personal,
    )


def url(arende: Arende) -> str:
    return reverse("utforare:besok", args=[arende.arende_id])


POST = {"datum": "2026-04-17", "start": "09:30", "slut": "11:00", "plats": "hemma"}


# --- The service -----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_besok_registrera_saves_the_visit_and_its_audit_row(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    actor, colleague = cast["stodpedagog"], cast["boendestodjare"]

    besok = besok_registrera(
        actor=actor,
        arende=arende,
        personal=colleague,
        start=at("2026-04-17 18:30"),
        slut=at("2026-04-17 20:00"),
        plats=Besok.Plats.UTE,
    )

    assert (besok.personal, besok.registrerad_av, besok.minuter) == (colleague, actor, 90)
    audit = AuditLog.objects.get(atgard="besok_registrera")
    assert (audit.aktor, audit.arende, audit.objekt_id) == (actor, arende, str(besok.pk))
    assert audit.efter["plats"] == "ute"
    assert audit.efter["personal"] == colleague.pk
    assert audit.efter["start"] == "2026-04-17T18:30:00+02:00"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("start", "slut", "field", "message"),
    [
        ("2026-04-17 11:00", "2026-04-17 10:00", "slut", "Sluttiden måste vara efter starttiden."),
        ("2026-04-17 11:00", "2026-04-17 11:00", "slut", "Sluttiden måste vara efter starttiden."),
        ("2026-04-17 07:00", "2026-04-17 19:01", "slut", "Ett besök kan vara högst 12 timmar."),
        ("2026-04-21 09:00", "2026-04-21 10:00", "datum", "Datumet får inte ligga i framtiden."),
        ("2026-04-20 09:30", "2026-04-20 10:30", "slut", "Sluttiden får inte ligga i framtiden."),
    ],
)
def test_besok_registrera_refuses_impossible_times(cast, make_case, start, slut, field, message):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    with pytest.raises(ValidationError) as error:
        besok_registrera(
            actor=cast["boendestodjare"],
            arende=arende,
            personal=cast["boendestodjare"],
            start=at(start),
            slut=at(slut),
            plats="hemma",
        )
    assert error.value.message_dict == {field: [message]}
    assert not Besok.objects.exists() and not AuditLog.objects.filter(atgard="besok_registrera")


@time_machine.travel(TODAY, tick=False)
def test_twelve_hours_is_allowed(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    besok = besok_registrera(
        actor=cast["boendestodjare"],
        arende=arende,
        personal=cast["boendestodjare"],
        start=at("2026-04-17 07:00"),
        slut=at("2026-04-17 19:00"),
        plats="hemma",
    )
    assert besok.minuter == 720


@time_machine.travel(TODAY, tick=False)
def test_besok_registrera_refuses_staff_of_another_provider(cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    for personal in (cast["boendestodjare_annan"], cast["socialsekreterare"]):
        with pytest.raises(ValidationError) as error:
            besok_registrera(
                actor=cast["boendestodjare"],
                arende=arende,
                personal=personal,
                start=at("2026-04-17 10:00"),
                slut=at("2026-04-17 11:00"),
                plats="hemma",
            )
        assert error.value.message_dict == {"personal": ["Välj någon av utförarens personal."]}


@time_machine.travel(TODAY, tick=False)
def test_besok_registrera_refuses_visits_after_the_closing(cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-04-10", "type": "avslut"}])
    kwargs = {"actor": cast["boendestodjare"], "arende": arende, "personal": cast["boendestodjare"]}
    with pytest.raises(ValidationError) as error:
        besok_registrera(
            **kwargs, start=at("2026-04-11 10:00"), slut=at("2026-04-11 11:00"), plats="hemma"
        )
    assert error.value.message_dict == {
        "datum": ["Ärendet avslutades 2026-04-10; besök efter det kan inte registreras."]
    }
    # A visit made before the closing may still be registered late.
    besok_registrera(
        **kwargs, start=at("2026-04-10 10:00"), slut=at("2026-04-10 11:00"), plats="hemma"
    )


@time_machine.travel(TODAY, tick=False)
def test_besok_page_of_a_closed_case_offers_the_days_up_to_the_closing(client, cast, make_case):
    arende = make_case([*BEVILJAD_TRE_TIMMAR, {"date": "2026-04-10", "type": "avslut"}])
    html = login(client, cast["boendestodjare"]).get(url(arende)).content.decode()
    assert "Ärendet avslutades 2026-04-10. Besök till och med den dagen kan fortfarande" in html
    # The form starts on a day it accepts, not on today, which it would refuse.
    assert 'value="2026-04-10"' in html and 'value="2026-04-20"' not in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role", ["socialsekreterare", "inspektor", "boendestodjare_annan", "administrator"]
)
def test_besok_registrera_refuses_all_but_the_providers_staff(cast, make_case, role):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    with pytest.raises(PermissionDenied):
        besok_registrera(
            actor=cast[role],
            arende=arende,
            personal=cast["boendestodjare"],
            start=at("2026-04-17 10:00"),
            slut=at("2026-04-17 11:00"),
            plats="hemma",
        )
    assert not Besok.objects.exists()


# --- The page --------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "stodpedagog", "utforarchef"])
def test_besok_page_registers_a_visit(client, cast, make_case, role):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    user = cast[role]
    login(client, user)

    response = client.get(url(arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Besök</h1>" in html
    assert 'value="2026-04-20"' in html  # the date defaults to today
    assert f'<option value="{user.pk}" selected>' in html  # and the staff member to oneself
    assert "Inga besök registrerade ännu." in html

    response = client.post(url(arende), {**POST, "personal": str(cast["boendestodjare"].pk)})

    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == url(arende)
    besok = Besok.objects.get()
    assert (besok.personal, besok.registrerad_av) == (cast["boendestodjare"], user)
    assert timezone.localtime(besok.start) == at("2026-04-17 09:30")
    assert AccessLog.objects.filter(arende=arende, aktor=user, vy="besok").count() == 2
    html = client.get(url(arende)).content.decode()
    assert "Besöket är registrerat." in html
    assert "09:30–11:00" in html and "1 tim 30 min" in html and "I hemmet" in html


@time_machine.travel(TODAY, tick=False)
def test_besok_page_marks_evening_and_weekend_visits(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    bst = cast["boendestodjare"]
    visit(arende, bst, "2026-04-14 18:30", "19:30")
    visit(arende, bst, "2026-04-18 10:00", "11:00")
    visit(arende, bst, "2026-04-15 10:00", "11:00")
    html = login(client, bst).get(url(arende)).content.decode()
    assert html.count('<span class="tag">Kväll</span>') == 1
    assert html.count('<span class="tag">Helg</span>') == 1
    assert "3 besök" in html


@time_machine.travel(TODAY, tick=False)
def test_besok_list_query_count_does_not_grow_with_visits(
    client, cast, make_case, django_assert_num_queries
):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    bst, colleague = cast["boendestodjare"], cast["stodpedagog"]
    visit(arende, bst, "2026-04-14 10:00", "11:00")
    login(client, bst)
    client.get(url(arende))  # warm the session
    with django_assert_num_queries(8) as few:
        assert client.get(url(arende)).status_code == 200
    for day in range(1, 13):
        visit(arende, colleague if day % 2 else bst, f"2026-03-{day:02d} 10:00", "11:00")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url(arende)).status_code == 200


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"start": "11:00", "slut": "10:00"}, "slut", "Sluttiden måste vara efter starttiden."),
        ({"start": "07:00", "slut": "19:30"}, "slut", "Ett besök kan vara högst 12 timmar."),
        ({"datum": "2026-04-21"}, "datum", "Datumet får inte ligga i framtiden."),
        ({"datum": "2026-04-20", "slut": "10:30"}, "slut", "Sluttiden får inte ligga i framtiden."),
        ({"datum": ""}, "datum", "Ange datum."),
        ({"datum": "17/4"}, "datum", "Ange datum som ÅÅÅÅ-MM-DD."),
        ({"start": ""}, "start", "Ange starttid."),
        ({"slut": "kväll"}, "slut", "Ange tiden som tt:mm."),
        ({"plats": ""}, "plats", "Välj var besöket gjordes."),
        ({"plats": "i bilen"}, "plats", "Välj ett giltigt alternativ. i bilen finns inte bland"),
        ({"personal": ""}, "personal", "Välj vem som gjorde besöket."),
    ],
)
def test_besok_page_invalid_input(client, cast, make_case, post, field, message):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    bst = cast["boendestodjare"]
    response = login(client, bst).post(url(arende), {**POST, "personal": str(bst.pk), **post})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert message in response.content.decode()
    assert not Besok.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_besok_page_refuses_staff_of_another_provider_as_the_visitor(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    other = cast["boendestodjare_annan"]
    response = login(client, cast["boendestodjare"]).post(
        url(arende), {**POST, "personal": str(other.pk)}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"personal": ["Välj någon av utförarens personal."]}


def test_besok_page_anonymous_is_sent_to_login(client, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    for method in (client.get, client.post):
        response = method(url(arende))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Besok.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        # The authority reads the figures on its own case page, not the provider's register.
        ("socialsekreterare", 403),
        ("forste_socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),  # may read the case, but this is the provider's register
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ],
)
def test_besok_page_refuses_wrong_roles(client, cast, make_case, role, status):
    arende = make_case(BEVILJAD_TRE_TIMMAR)
    login(client, cast[role])
    assert client.get(url(arende)).status_code == status
    post = {**POST, "personal": str(cast["boendestodjare"].pk)}
    assert client.post(url(arende), post).status_code == status
    assert not Besok.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_protected_case_without_grant_is_404(client, cast, make_case):
    arende = make_case(BEVILJAD_TRE_TIMMAR, skyddad=True)
    login(client, cast["boendestodjare"])
    assert client.get(url(arende)).status_code == 404
    post = {**POST, "personal": str(cast["boendestodjare"].pk)}
    assert client.post(url(arende), post).status_code == 404
    assert not Besok.objects.exists()


def test_unknown_case_is_404(client, cast):
    login(client, cast["boendestodjare"])
    assert client.get(reverse("utforare:besok", args=["FINNS-INTE"])).status_code == 404
