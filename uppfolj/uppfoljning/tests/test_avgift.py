"""The monthly fee check, SBMS-EGENAVG-UPPREPAD, the rent and the motivational uppdrag."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.arenden.models import Handelse, Utkast, Varning
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.uppfoljning.models import Avgiftskontroll
from uppfolj.uppfoljning.services.avgift import (
    avgift_kontrollera,
    foregaende_manad,
    manadens_sista_dag,
)

from .stodniva_fall import BOR, LAGENHET, TODAY, field_error, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def url(arende, name: str = "avgift") -> str:
    return reverse(f"uppfoljning:{name}", args=[arende.arende_id])


def kontrollera(actor, arende, manad: str, betald: bool) -> Avgiftskontroll:
    return avgift_kontrollera(
        actor=actor, arende=arende, manad=date.fromisoformat(f"{manad}-01"), betald=betald
    )


def upprepad(arende) -> list[str]:
    return [
        v.datum.isoformat()
        for v in Varning.objects.filter(arende=arende, regel="SBMS-EGENAVG-UPPREPAD")
    ]


def test_month_helpers() -> None:
    assert foregaende_manad(date(2026, 4, 20)) == date(2026, 3, 1)
    assert foregaende_manad(date(2026, 1, 31)) == date(2025, 12, 1)
    assert manadens_sista_dag(date(2026, 2, 1)) == date(2026, 2, 28)
    assert manadens_sista_dag(date(2028, 2, 1)) == date(2028, 2, 29)


def test_a_paid_month_is_recorded_without_an_event(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    kontroll = kontrollera(cast["socialsekreterare"], arende, "2026-03", True)
    assert (kontroll.manad, kontroll.betald, kontroll.handelse) == (date(2026, 3, 1), True, None)
    assert not Handelse.objects.filter(arende=arende, typ="egenavgift_obetald").exists()
    audit = AuditLog.objects.get(atgard="avgift_kontrollera")
    assert (audit.arende, audit.efter["manad"], audit.efter["betald"]) == (
        arende,
        "2026-03-01",
        True,
    )


def test_an_unpaid_month_records_egenavgift_obetald_in_that_month(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    kontroll = kontrollera(cast["socialsekreterare"], arende, "2026-03", False)
    handelse = Handelse.objects.get(arende=arende, typ="egenavgift_obetald")
    assert kontroll.handelse == handelse
    assert (handelse.datum, handelse.registrerad_av) == (
        date(2026, 3, 31),
        cast["socialsekreterare"],
    )
    # One unpaid month is not "repeated".
    assert upprepad(arende) == []


def test_SBMS_EGENAVG_UPPREPAD_two_unpaid_months_of_the_last_six(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    actor = cast["socialsekreterare"]
    kontrollera(actor, arende, "2026-02", False)
    kontrollera(actor, arende, "2026-01", True)
    assert upprepad(arende) == []
    # Checked on the same day, two months still count as two.
    kontrollera(actor, arende, "2026-03", False)
    assert upprepad(arende) == ["2026-03-31"]
    assert Varning.objects.get(regel="SBMS-EGENAVG-UPPREPAD").meddelande == (
        "Egenavgiften är obetald för 2 av de senaste 6 månaderna. Diskutera förmedling, god man "
        "eller förvaltare."
    )


def test_SBMS_EGENAVG_UPPREPAD_not_for_months_further_apart_than_six(cast, make_case) -> None:
    arende = make_case(
        [*BOR[:4], {"date": "2025-09-30", "type": "egenavgift_obetald"}, *BOR[4:]], **LAGENHET
    )
    kontrollera(cast["socialsekreterare"], arende, "2026-03", False)
    assert upprepad(arende) == []


def test_one_check_per_month(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    kontrollera(cast["socialsekreterare"], arende, "2026-03", True)
    with pytest.raises(ValidationError) as raised:
        kontrollera(cast["enhetschef"], arende, "2026-03", False)
    assert raised.value.message_dict == {
        "manad": ["Egenavgiften för mars 2026 är redan kontrollerad."]
    }
    assert Avgiftskontroll.objects.count() == 1
    assert not Handelse.objects.filter(typ="egenavgift_obetald").exists()


def test_a_month_imported_as_unpaid_is_already_checked(cast, make_case) -> None:
    arende = make_case([*BOR, {"date": "2026-02-27", "type": "egenavgift_obetald"}], **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        kontrollera(cast["socialsekreterare"], arende, "2026-02", True)
    assert raised.value.messages == ["Egenavgiften för februari 2026 är redan kontrollerad."]


@pytest.mark.parametrize("manad", ["2026-04", "2026-05"])
def test_only_a_month_that_has_passed(cast, make_case, manad) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        kontrollera(cast["socialsekreterare"], arende, manad, True)
    assert raised.value.messages == [
        "Kontrollera en månad som har passerat, normalt föregående månad."
    ]


def test_fees_only_for_socialt_boende_med_stod_and_open_cases(cast, make_case) -> None:
    with pytest.raises(ValidationError) as raised:
        kontrollera(cast["socialsekreterare"], make_case(BOR), "2026-03", True)
    assert raised.value.messages == ["Egenavgiften kontrolleras för socialt boende med stöd."]
    closed = make_case([*BOR, {"date": "2026-04-01", "type": "avslut"}], **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        kontrollera(cast["socialsekreterare"], closed, "2026-03", False)
    assert raised.value.messages == ["Ärendet är avslutat; inget mer kan registreras i det."]
    assert not Avgiftskontroll.objects.exists()


@pytest.mark.parametrize("role", ["boendestodjare", "inspektor", "boendestodjare_annan"])
def test_fees_are_checked_by_the_authority(cast, make_case, role) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(PermissionDenied):
        kontrollera(cast[role], arende, "2026-03", False)
    assert not Avgiftskontroll.objects.exists()


# --- The page ---------------------------------------------------------------------------------


def test_avgift_page_shows_rent_months_and_the_form(client, cast, make_case) -> None:
    arende = make_case([*BOR, {"date": "2026-02-27", "type": "egenavgift_obetald"}], **LAGENHET)
    kontrollera(cast["socialsekreterare"], arende, "2026-01", True)
    response = login(client, cast["socialsekreterare"]).get(url(arende))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Egenavgift och hyra</h1>" in html
    assert (
        "Den enskilde betalar hyra från <strong>2026-02-01</strong> enligt uppdraget 2026-01-28."
        in html
    )
    assert '<option value="2026-03" selected>Mars 2026</option>' in html
    assert "Registrerad i tidigare system" in html
    assert html.index("Februari 2026") < html.index("Januari 2026")
    assert AccessLog.objects.filter(arende=arende, vy="avgift").count() == 1


def test_avgift_page_without_rent(client, cast, make_case) -> None:
    arende = make_case(BOR[:4], **LAGENHET)
    html = login(client, cast["socialsekreterare"]).get(url(arende)).content.decode()
    assert "Uppdraget anger inte att den enskilde betalar hyra." in html


def test_avgift_post_unpaid_offers_the_motivational_uppdrag(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    login(client, cast["socialsekreterare"])
    response = client.post(url(arende), {"manad": "2026-03", "betald": "0"})
    assert response.status_code == 302
    assert response["Location"] == url(arende)
    html = client.get(url(arende)).content.decode()
    assert "Egenavgiften för mars 2026 är obetald." in html
    assert "Förbered uppdrag om motiverande stöd" in html
    assert "SBMS-EGENAVG-UPPREPAD" not in html

    client.post(url(arende), {"manad": "2026-02", "betald": "0"})
    html = client.get(url(arende)).content.decode()
    assert '<span class="rule-id">SBMS-EGENAVG-UPPREPAD</span>' in html
    assert "Diskutera förmedling, god man eller förvaltare." in html
    assert "Se också över insatsens utformning" in html


def test_avgift_post_paid_offers_nothing(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    login(client, cast["socialsekreterare"])
    client.post(url(arende), {"manad": "2026-03", "betald": "1"})
    html = client.get(url(arende)).content.decode()
    assert "Egenavgiften för mars 2026 är betald." in html
    assert "Förbered uppdrag om motiverande stöd" not in html


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"manad": "2026-03"}, "Svara ja eller nej."),
        ({"betald": "1"}, "Välj månad."),
        ({"manad": "2026-13", "betald": "1"}, "Välj en månad i listan."),
        ({"manad": "2026-04", "betald": "1"}, "Välj en månad i listan."),
    ],
)
def test_avgift_invalid_input(client, cast, make_case, post, message) -> None:
    arende = make_case(BOR, **LAGENHET)
    response = login(client, cast["socialsekreterare"]).post(url(arende), post)
    assert response.status_code == 400
    assert field_error(response.content.decode(), message)
    assert not Avgiftskontroll.objects.exists()


def test_avgift_post_of_a_checked_month(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    login(client, cast["socialsekreterare"])
    client.post(url(arende), {"manad": "2026-03", "betald": "1"})
    response = client.post(url(arende), {"manad": "2026-03", "betald": "0"})
    assert response.status_code == 400
    assert field_error(
        response.content.decode(), "Egenavgiften för mars 2026 är redan kontrollerad."
    )


def test_avgift_anonymous_is_sent_to_login(client, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    for target in (url(arende), url(arende, "avgift_uppdrag")):
        response = client.post(target, {"manad": "2026-03", "betald": "0"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Avgiftskontroll.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("enhetschef", 200),
        ("boendestodjare", 403),
        ("utforarchef", 403),
        ("inspektor", 403),
        ("boendestodjare_annan", 404),
        ("administrator", 404),
        ("utomstaende", 404),
    ],
)
def test_avgift_page_is_for_the_authority(client, cast, make_case, role, status) -> None:
    arende = make_case(BOR, **LAGENHET)
    c = login(client, cast[role])
    assert c.get(url(arende)).status_code == status
    if status != 200:
        assert c.post(url(arende), {"manad": "2026-03", "betald": "0"}).status_code == status
        assert c.post(url(arende, "avgift_uppdrag")).status_code == status
    assert not Avgiftskontroll.objects.exists()
    assert not Utkast.objects.exists()


def test_avgift_page_of_a_protected_case_needs_a_grant(client, cast, make_case) -> None:
    arende = make_case(BOR, skyddad=True, **LAGENHET)
    login(client, cast["socialsekreterare"])
    assert client.get(url(arende)).status_code == 404
    assert client.post(url(arende), {"manad": "2026-03", "betald": "0"}).status_code == 404
    assert not Avgiftskontroll.objects.exists()


def test_avgift_page_only_for_socialt_boende_med_stod(client, cast, make_case) -> None:
    arende = make_case(BOR)
    assert login(client, cast["socialsekreterare"]).get(url(arende)).status_code == 404


# --- The uppdrag for motivational support ----------------------------------------------------


def test_motivational_uppdrag_opens_the_uppdrag_form_filled_in(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    login(client, cast["socialsekreterare"])
    client.post(url(arende), {"manad": "2026-03", "betald": "0"})

    response = client.post(url(arende, "avgift_uppdrag"))
    steg_url = reverse("arenden:steg", args=[arende.arende_id, "uppdrag"])
    assert response.status_code == 302
    assert response["Location"] == steg_url
    draft = Utkast.objects.get(anvandare=cast["socialsekreterare"], formular="uppdrag")
    assert draft.data["mal"] == [
        "Motiverande stöd till den enskilde att betala sin egenavgift (obetald för mars 2026)."
    ]
    assert draft.data["utforare"] == [str(arende.utforare_id)]
    assert draft.data["stodniva"] == ["medel"]
    assert draft.data["hyra_fran"] == ["2026-02-01"]
    html = client.get(steg_url).content.decode()
    assert "har återställts" in html
    assert "Motiverande stöd till den enskilde att betala sin egenavgift" in html


def test_motivational_uppdrag_keeps_an_existing_draft(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    actor = cast["socialsekreterare"]
    Utkast.objects.create(
        anvandare=actor, formular="uppdrag", arende=arende, data={"mal": ["Klara tvätten."]}
    )
    login(client, actor)
    client.post(url(arende), {"manad": "2026-03", "betald": "0"})
    client.post(url(arende, "avgift_uppdrag"))
    client.post(url(arende, "avgift_uppdrag"))
    draft = Utkast.objects.get()
    assert draft.data["mal"] == [
        "Klara tvätten.\n\nMotiverande stöd till den enskilde att betala sin egenavgift "
        "(obetald för mars 2026)."
    ]


def test_motivational_uppdrag_needs_an_unpaid_month(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    login(client, cast["socialsekreterare"])
    response = client.post(url(arende, "avgift_uppdrag"), follow=True)
    assert "Ingen månad är registrerad som obetald." in response.content.decode()
    assert not Utkast.objects.exists()
    assert client.get(url(arende, "avgift_uppdrag")).status_code == 405


def test_the_uppdrag_from_the_draft_keeps_the_level(client, cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    c = login(Client(), cast["socialsekreterare"])
    c.post(url(arende), {"manad": "2026-03", "betald": "0"})
    c.post(url(arende, "avgift_uppdrag"))
    draft = Utkast.objects.get()
    post = {k: v if len(v) > 1 else v[0] for k, v in draft.data.items()}
    response = c.post(reverse("arenden:steg", args=[arende.arende_id, "uppdrag"]), post)
    assert response.status_code == 302
    uppdrag = Handelse.objects.filter(arende=arende, typ="uppdrag_skickat").latest("id")
    assert uppdrag.data["stodniva"] == "medel"
    assert uppdrag.data["hyra_fran"] == "2026-02-01"


def test_avgift_form_chooses_the_newest_month_not_yet_checked(client, cast, make_case) -> None:
    arende = make_case([*BOR, {"date": "2026-03-31", "type": "egenavgift_obetald"}], **LAGENHET)
    html = login(client, cast["socialsekreterare"]).get(url(arende)).content.decode()
    assert '<option value="2026-03">Mars 2026 (kontrollerad)</option>' in html
    assert '<option value="2026-02" selected>Februari 2026</option>' in html
