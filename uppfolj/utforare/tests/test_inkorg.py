"""The provider's inkorg, and answering an uppdrag: accept, or send it back with a reason."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.arenden import services as arende_services
from uppfolj.arenden.models import Arende, Behorighet, Uppdrag
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.utforare.models import Kontaktpersonal, UppdragSvar
from uppfolj.utforare.services import uppdrag as services

from .uppdrag_helpers import TODAY, beviljad, login, skicka_uppdrag

pytestmark = pytest.mark.django_db

INKORG = reverse("utforare:inkorg")
SKAL_TEXT = "Vi har ingen personal som talar arabiska just nu."


def acceptera_url(uppdrag: Uppdrag) -> str:
    return reverse("utforare:uppdrag_acceptera", args=[uppdrag.arende.arende_id, uppdrag.pk])


def returnera_url(uppdrag: Uppdrag) -> str:
    return reverse("utforare:uppdrag_returnera", args=[uppdrag.arende.arende_id, uppdrag.pk])


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


# --- Services -------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_acceptera_records_the_answer_status_and_audit(
    cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    bst = cast["boendestodjare"]

    svar = services.uppdrag_acceptera(actor=bst, uppdrag=uppdrag)

    uppdrag.refresh_from_db()
    assert (svar.accepterat, svar.besvarat_av, svar.skal) == (True, bst, "")
    assert uppdrag.status == Uppdrag.Status.ACCEPTERAT
    row = AuditLog.objects.get(atgard="uppdrag_acceptera")
    assert (row.aktor, row.arende, row.fore, row.efter["status"]) == (
        bst,
        uppdrag.arende,
        {"status": "skickat"},
        "accepterat",
    )
    assert Arende.objects.get(pk=uppdrag.arende.pk).utforare == utforare_tilldelad


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_answered_twice_is_refused(cast, make_case, utforare_tilldelad) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    services.uppdrag_acceptera(actor=cast["boendestodjare"], uppdrag=uppdrag)
    with pytest.raises(ValidationError) as error:
        services.uppdrag_returnera(actor=cast["stodpedagog"], uppdrag=uppdrag, skal=SKAL_TEXT)
    assert error.value.messages == ["Uppdraget är redan besvarat."]
    assert UppdragSvar.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_uppdrag_returnera_takes_the_case_away_from_the_provider(
    cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    arende = uppdrag.arende
    bst = cast["boendestodjare"]

    svar = services.uppdrag_returnera(actor=bst, uppdrag=uppdrag, skal=f"  {SKAL_TEXT}  ")

    uppdrag.refresh_from_db()
    arende.refresh_from_db()
    assert (svar.accepterat, svar.skal) == (False, SKAL_TEXT)
    assert uppdrag.status == Uppdrag.Status.RETURNERAT
    assert arende.utforare is None
    assert not Arende.objects.visible_to(bst).filter(pk=arende.pk).exists()
    assert list(
        AuditLog.objects.filter(arende=arende, aktor=bst)
        .order_by("id")
        .values_list("atgard", "fore", "efter")
    ) == [
        (
            "uppdrag_returnera",
            {"status": "skickat"},
            {"status": "returnerat", "svar": svar.pk, "skal": SKAL_TEXT},
        ),
        ("arende_utforare_andra", {"utforare": utforare_tilldelad.pk}, {"utforare": None}),
    ]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("skal", ["", "   \n "])
def test_uppdrag_returnera_without_reason_saves_nothing(
    cast, make_case, utforare_tilldelad, skal
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    audit_before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as error:
        services.uppdrag_returnera(actor=cast["boendestodjare"], uppdrag=uppdrag, skal=skal)
    assert error.value.message_dict == {"skal": ["Ange varför uppdraget skickas tillbaka."]}
    uppdrag.refresh_from_db()
    assert uppdrag.status == Uppdrag.Status.SKICKAT
    assert Arende.objects.get(pk=uppdrag.arende.pk).utforare == utforare_tilldelad
    assert not UppdragSvar.objects.exists()
    assert AuditLog.objects.count() == audit_before


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role", ["socialsekreterare", "inspektor", "boendestodjare_annan", "administrator"]
)
def test_only_the_providers_staff_answer_an_uppdrag(cast, make_case, utforare_tilldelad, role):
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    with pytest.raises(PermissionDenied):
        services.uppdrag_acceptera(actor=cast[role], uppdrag=uppdrag)
    with pytest.raises(PermissionDenied):
        services.uppdrag_returnera(actor=cast[role], uppdrag=uppdrag, skal=SKAL_TEXT)
    uppdrag.refresh_from_db()
    assert uppdrag.status == Uppdrag.Status.SKICKAT
    assert not UppdragSvar.objects.exists()


# --- The inkorg page ------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_inkorg_groups_new_ongoing_closed_and_returned(
    client, cast, make_case, utforare_tilldelad, utforare_annan
) -> None:
    bst = cast["boendestodjare"]
    ny = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    pagar = skicka_uppdrag(make_case, cast, utforare_tilldelad, datum=date(2026, 4, 1))
    services.uppdrag_acceptera(actor=bst, uppdrag=pagar)
    avslutat = skicka_uppdrag(make_case, cast, utforare_tilldelad, datum=date(2026, 3, 30))
    services.uppdrag_acceptera(actor=bst, uppdrag=avslutat)
    arende_services.avslut_registrera(
        actor=cast["socialsekreterare"],
        arende=avslutat.arende,
        datum=date(2026, 4, 17),
        skal="Flyttat.",
    )
    returnerat = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    services.uppdrag_returnera(actor=bst, uppdrag=returnerat, skal=SKAL_TEXT)
    annan = skicka_uppdrag(make_case, cast, utforare_annan)
    # A case imported from another system has its uppdrag as an event only.
    importerat = make_case(
        [*beviljad(date(2026, 4, 10)), {"date": "2026-04-10", "type": "uppdrag_skickat"}]
    )

    response = login(client, bst).get(INKORG)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Inkorg</h1>" in html
    nya, pagaende = section(html, "nya-rubrik"), section(html, "pagaende-rubrik")
    slut, retur = section(html, "slutanteckning-rubrik"), section(html, "returnerade-rubrik")
    assert ny.arende.arende_id in nya and "Acceptera" in nya
    assert ny.arende.arende_id not in pagaende
    assert pagar.arende.arende_id in pagaende and importerat.arende_id in pagaende
    assert "Uppdraget finns i tidigare system" in pagaende
    assert avslutat.arende.arende_id in slut
    assert returnerat.arende.arende_id in retur and SKAL_TEXT in retur
    # The provider no longer sees the returned case: no link, no name.
    assert reverse("utforare:arende", args=[returnerat.arende.arende_id]) not in html
    assert str(returnerat.arende.person) not in html
    assert annan.arende.arende_id not in html
    assert {a.arende_id for a in response.context["inkorg"].arenden} == {
        ny.arende.arende_id,
        pagar.arende.arende_id,
        avslutat.arende.arende_id,
        importerat.arende_id,
    }
    logged = set(AccessLog.objects.filter(vy="inkorg").values_list("arende__arende_id", flat=True))
    assert logged == {a.arende_id for a in response.context["inkorg"].arenden}


@time_machine.travel(TODAY, tick=False)
def test_inkorg_row_shows_person_date_goal_clocks_and_staff(
    client, cast, make_case, utforare_tilldelad
) -> None:
    ny = skicka_uppdrag(make_case, cast, utforare_tilldelad, datum=date(2026, 4, 17))
    response = login(client, cast["boendestodjare"]).get(INKORG)
    nya = section(response.content.decode(), "nya-rubrik")
    assert reverse("utforare:arende", args=[ny.arende.arende_id]) in nya
    assert str(ny.arende.person) in nya
    assert "2026-04-17" in nya
    assert "Klara tvätt och städning på egen hand." in nya
    # Sent on a Friday: three vardagar is Wednesday; a month is 17 May.
    assert "BS-KONTAKT-3VD" in nya and "förfaller 2026-04-22" in nya and "(2 dagar kvar)" in nya
    assert "BS-VERKST-1M" in nya and "förfaller 2026-05-17" in nya and "(27 dagar kvar)" in nya
    assert "Inte fördelat" in nya


@time_machine.travel(TODAY, tick=False)
def test_inkorg_shows_late_clocks_and_assigned_staff(
    client, cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad, datum=date(2026, 4, 1))
    services.uppdrag_acceptera(actor=cast["stodpedagog"], uppdrag=uppdrag)
    services.kontaktpersonal_tilldela(
        actor=cast["stodpedagog"],
        arende=uppdrag.arende,
        personal=cast["boendestodjare"],
        fran=date(2026, 4, 2),
    )
    pagaende = section(
        login(client, cast["boendestodjare"]).get(INKORG).content.decode(), "pagaende-rubrik"
    )
    # 1 April + 3 vardagar, over Easter (3 and 6 April are holidays): 8 April.
    assert "förfaller 2026-04-08" in pagaende and "(12 dagar sen)" in pagaende
    assert "Bst" in pagaende and "Minst två bör kopplas" in pagaende


@time_machine.travel(TODAY, tick=False)
def test_inkorg_query_count_is_constant_as_uppdrag_grow(
    client, cast, make_case, utforare_tilldelad
) -> None:
    bst = cast["boendestodjare"]

    def add(count: int) -> None:
        for _ in range(count):
            ny = skicka_uppdrag(make_case, cast, utforare_tilldelad)
            pagar = skicka_uppdrag(make_case, cast, utforare_tilldelad)
            services.uppdrag_acceptera(actor=cast["stodpedagog"], uppdrag=pagar)
            services.kontaktpersonal_tilldela(
                actor=cast["stodpedagog"], arende=pagar.arende, personal=bst, fran=date(2026, 4, 15)
            )
            retur = skicka_uppdrag(make_case, cast, utforare_tilldelad)
            services.uppdrag_returnera(actor=bst, uppdrag=retur, skal=SKAL_TEXT)
            make_case(beviljad(date(2026, 4, 1)))
            assert ny

    add(1)
    login(client, bst)
    with CaptureQueriesContext(connection) as few:
        assert client.get(INKORG).status_code == 200
    add(5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INKORG)
    assert len(response.context["inkorg"].nya) == 6
    assert len(response.context["inkorg"].pagaende) == 12
    assert len(response.context["inkorg"].returnerade) == 6
    assert len(many) == len(few)


@time_machine.travel(TODAY, tick=False)
def test_inkorg_hides_a_protected_case_without_a_grant(
    client, cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad, skyddad=True)
    login(client, cast["boendestodjare"])
    assert uppdrag.arende.arende_id not in client.get(INKORG).content.decode()
    Behorighet.objects.create(
        arende=uppdrag.arende, anvandare=cast["boendestodjare"], beviljad_av=cast["utforarchef"]
    )
    html = client.get(INKORG).content.decode()
    assert uppdrag.arende.arende_id in html and "Skyddade personuppgifter" in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", ["boendestodjare", "stodpedagog", "utforarchef"])
def test_provider_roles_start_on_the_inkorg_with_a_nav_link(client, cast, role) -> None:
    login(client, cast[role])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == INKORG
    html = client.get(INKORG).content.decode()
    assert f'<a href="{INKORG}" aria-current="page">Inkorg</a>' in html


@pytest.mark.parametrize(
    "role",
    [
        "socialsekreterare",
        "forste_socialsekreterare",
        "enhetschef",
        "inspektor",
        "administrator",
        "utomstaende",
    ],
)
def test_inkorg_is_for_provider_staff_only(client, cast, role) -> None:
    login(client, cast[role])
    assert client.get(INKORG).status_code == 403
    assert ">Inkorg</a>" not in client.get(reverse("arenden:lista")).content.decode()


def test_inkorg_anonymous_is_sent_to_login(client) -> None:
    response = client.get(INKORG)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


# --- Answering through the pages --------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_accept_from_the_inkorg_opens_the_provider_case_page(
    client, cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    login(client, cast["boendestodjare"])
    response = client.post(acceptera_url(uppdrag))
    assert response.status_code == 302
    assert response["Location"] == reverse("utforare:arende", args=[uppdrag.arende.arende_id])
    page = client.get(response["Location"]).content.decode()
    assert f"Uppdraget för ärende {uppdrag.arende.arende_id} är accepterat." in page
    assert UppdragSvar.objects.get(uppdrag=uppdrag).accepterat
    # Accepting again says so instead of failing.
    page = client.post(acceptera_url(uppdrag), follow=True).content.decode()
    assert "Uppdraget är redan besvarat." in page


@time_machine.travel(TODAY, tick=False)
def test_social_worker_sees_the_acceptance_at_once(
    client, cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    services.uppdrag_acceptera(actor=cast["boendestodjare"], uppdrag=uppdrag)
    html = (
        login(client, cast["socialsekreterare"])
        .get(reverse("arenden:arende", args=[uppdrag.arende.arende_id]))
        .content.decode()
    )
    assert "Accepterat av Bst (Boendestöd Väst) den 2026-04-20." in html


@time_machine.travel(TODAY, tick=False)
def test_return_page_asks_for_a_reason(client, cast, make_case, utforare_tilldelad) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    login(client, cast["boendestodjare"])
    response = client.get(returnera_url(uppdrag))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Skicka tillbaka uppdraget</h1>" in html
    assert '<label for="id_skal">Varför skickas uppdraget tillbaka?' in html

    response = client.post(returnera_url(uppdrag), {"skal": "  "})
    assert response.status_code == 400
    assert "Ange varför uppdraget skickas tillbaka." in response.content.decode()
    assert not UppdragSvar.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_return_sends_the_case_back_and_the_social_worker_sees_why(
    client, cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    arende_id = uppdrag.arende.arende_id
    login(client, cast["boendestodjare"])
    response = client.post(returnera_url(uppdrag), {"skal": SKAL_TEXT})
    assert response.status_code == 302 and response["Location"] == INKORG
    inkorg = client.get(INKORG).content.decode()
    assert (
        f"Uppdraget för ärende {arende_id} är skickat tillbaka till socialsekreteraren." in inkorg
    )
    assert client.get(reverse("utforare:arende", args=[arende_id])).status_code == 404

    html = (
        login(Client(), cast["socialsekreterare"])
        .get(reverse("arenden:arende", args=[arende_id]))
        .content.decode()
    )
    assert f"Returnerat av Bst (Boendestöd Väst) den 2026-04-20:</strong> {SKAL_TEXT}" in html
    assert reverse("arenden:steg", args=[arende_id, "uppdrag"]) in html


@time_machine.travel(TODAY, tick=False)
def test_answer_pages_refuse_wrong_roles(client, cast, make_case, utforare_tilldelad) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad)
    for role, status in [
        ("socialsekreterare", 403),
        ("enhetschef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ]:
        c = login(Client(), cast[role])
        assert c.post(acceptera_url(uppdrag)).status_code == status, role
        assert c.get(returnera_url(uppdrag)).status_code == status, role
        assert c.post(returnera_url(uppdrag), {"skal": SKAL_TEXT}).status_code == status, role
    anonymous = Client().post(acceptera_url(uppdrag))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/logga-in/")
    assert login(Client(), cast["boendestodjare"]).get(acceptera_url(uppdrag)).status_code == 405
    uppdrag.refresh_from_db()
    assert uppdrag.status == Uppdrag.Status.SKICKAT


@time_machine.travel(TODAY, tick=False)
def test_answer_pages_of_a_protected_case_need_a_grant(
    client, cast, make_case, utforare_tilldelad
) -> None:
    uppdrag = skicka_uppdrag(make_case, cast, utforare_tilldelad, skyddad=True)
    login(client, cast["boendestodjare"])
    assert client.post(acceptera_url(uppdrag)).status_code == 404
    assert client.get(returnera_url(uppdrag)).status_code == 404
    assert not UppdragSvar.objects.exists()
    assert not Kontaktpersonal.objects.exists()
