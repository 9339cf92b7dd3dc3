"""Lex Sarah: the report, SBMS-LEXSARAH for the social worker, and its meeting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from uppfolj.arenden.models import Bevakning, Handelse
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.domain.engine import MET, MET_LATE, OPEN, OVERDUE
from uppfolj.uppfoljning.models import LexSarahRapport
from uppfolj.uppfoljning.services.lexsarah import (
    lex_sarah_handlaggare_kontaktad,
    lex_sarah_rapportera,
)

from .stodniva_fall import BOR, LAGENHET, TODAY, field_error, login

pytestmark = pytest.mark.django_db

LEX_SARAH = {"date": "2026-04-20", "type": "lex_sarah"}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def url(arende, name: str = "lexsarah") -> str:
    return reverse(f"uppfoljning:{name}", args=[arende.arende_id])


def kontaktad_url(arende, handelse) -> str:
    return reverse("uppfoljning:lexsarah_kontaktad", args=[arende.arende_id, handelse.pk])


def rapportera(actor, arende, datum=date(2026, 4, 20)) -> LexSarahRapport:
    return lex_sarah_rapportera(
        actor=actor, arende=arende, datum=datum, beskrivning="Fick inte sin medicin i tid."
    )


def lexsarah_bevakning(arende) -> Bevakning:
    return Bevakning.objects.get(arende=arende, regel="SBMS-LEXSARAH")


def test_SBMS_LEXSARAH_report_starts_the_deadline_of_one_vardag(
    cast, make_case, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    handlaggare = cast["socialsekreterare"]
    handlaggare.email = "sofia@example.se"
    handlaggare.save()
    arende = make_case(BOR, handlaggare=handlaggare, **LAGENHET)
    with django_capture_on_commit_callbacks(execute=True):
        rapport = rapportera(cast["boendestodjare"], arende)

    handelse = Handelse.objects.get(arende=arende, typ="lex_sarah")
    assert (rapport.handelse, rapport.rapporterad_av, rapport.datum) == (
        handelse,
        cast["boendestodjare"],
        date(2026, 4, 20),
    )
    bevakning = lexsarah_bevakning(arende)
    assert (bevakning.start, bevakning.forfaller, bevakning.status) == (
        date(2026, 4, 20),
        date(2026, 4, 21),
        OPEN,
    )
    audit = AuditLog.objects.get(atgard="lex_sarah_rapportera")
    assert (audit.aktor, audit.arende, audit.efter["beskrivning"]) == (
        cast["boendestodjare"],
        arende,
        "Fick inte sin medicin i tid.",
    )
    (mail,) = mailoutbox
    assert mail.to == ["sofia@example.se"]
    assert mail.subject == f"Lex Sarah-rapport i ärende {arende.arende_id}"
    assert "senast 2026-04-21 (SBMS-LEXSARAH)" in mail.body
    assert str(arende.person) not in mail.body
    assert AccessLog.objects.filter(aktor=handlaggare, vy="lex_sarah_epost").exists()


def test_SBMS_LEXSARAH_is_in_the_social_workers_bevakningar(client, cast, make_case) -> None:
    arende = make_case(BOR, handlaggare=cast["socialsekreterare"], **LAGENHET)
    rapportera(cast["boendestodjare"], arende)
    html = (
        login(client, cast["socialsekreterare"])
        .get(reverse("arenden:mina_bevakningar"))
        .content.decode()
    )
    assert "SBMS-LEXSARAH" in html


def test_SBMS_LEXSARAH_met_by_handlaggare_kontaktad(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    rapport = rapportera(cast["socialsekreterare"], arende)
    handelse = lex_sarah_handlaggare_kontaktad(
        actor=cast["socialsekreterare"],
        arende=arende,
        lex_sarah=rapport.handelse,
        datum=date(2026, 4, 20),
    )
    assert handelse.typ == "handlaggare_kontaktad"
    rapport.refresh_from_db()
    assert rapport.handlaggare_kontaktad == handelse
    bevakning = lexsarah_bevakning(arende)
    assert (bevakning.status, bevakning.uppfylld) == (MET, date(2026, 4, 20))
    audit = AuditLog.objects.get(atgard="lex_sarah_handlaggare_kontaktad")
    assert (audit.fore, audit.efter) == (
        {"handlaggare_kontaktad": None},
        {"handlaggare_kontaktad": handelse.pk, "datum": "2026-04-20"},
    )
    with pytest.raises(ValidationError) as raised:
        lex_sarah_handlaggare_kontaktad(
            actor=cast["socialsekreterare"],
            arende=arende,
            lex_sarah=rapport.handelse,
            datum=date(2026, 4, 20),
        )
    assert raised.value.messages == ["Handläggaren är redan kontaktad för rapporten."]


def test_SBMS_LEXSARAH_overdue_the_day_after_and_met_late(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    rapport = rapportera(cast["socialsekreterare"], arende, datum=date(2026, 4, 16))
    bevakning = lexsarah_bevakning(arende)
    # Thursday 16 April: due Friday 17 April; looked at on Monday 20 April it is overdue.
    assert bevakning.forfaller == date(2026, 4, 17)
    assert bevakning.effektiv_status(date(2026, 4, 20)) == OVERDUE
    lex_sarah_handlaggare_kontaktad(
        actor=cast["socialsekreterare"],
        arende=arende,
        lex_sarah=rapport.handelse,
        datum=date(2026, 4, 20),
    )
    assert lexsarah_bevakning(arende).status == MET_LATE


def test_SBMS_LEXSARAH_met_by_a_follow_up(client, cast, make_case) -> None:
    arende = make_case(
        [
            *BOR,
            {"date": "2026-04-14", "type": "lex_sarah"},
            {"date": "2026-04-15", "type": "uppfoljning"},
        ],
        **LAGENHET,
    )
    assert lexsarah_bevakning(arende).status == MET
    html = login(client, cast["socialsekreterare"]).get(url(arende)).content.decode()
    assert "Följd upp vid uppföljningen 2026-04-15" in html
    assert "Handläggare kontaktad</button>" not in html


def test_an_imported_report_is_met_by_the_contact_too(cast, make_case) -> None:
    arende = make_case([*BOR, LEX_SARAH], **LAGENHET)
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    lex_sarah_handlaggare_kontaktad(
        actor=cast["socialsekreterare"], arende=arende, lex_sarah=lex_sarah, datum=date(2026, 4, 20)
    )
    assert lexsarah_bevakning(arende).status == MET
    assert AuditLog.objects.get(atgard="lex_sarah_handlaggare_kontaktad").objekttyp == (
        "arenden.Handelse"
    )


def test_the_contact_cannot_come_before_the_report(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    rapport = rapportera(cast["socialsekreterare"], arende)
    with pytest.raises(ValidationError) as raised:
        lex_sarah_handlaggare_kontaktad(
            actor=cast["socialsekreterare"],
            arende=arende,
            lex_sarah=rapport.handelse,
            datum=date(2026, 4, 19),
        )
    assert raised.value.message_dict == {"datum": ["Datumet ligger före rapporten (2026-04-20)."]}
    assert not Handelse.objects.filter(typ="handlaggare_kontaktad").exists()


def test_the_report_needs_a_description_and_a_past_date(cast, make_case) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(ValidationError) as raised:
        lex_sarah_rapportera(
            actor=cast["boendestodjare"], arende=arende, datum=date(2026, 4, 21), beskrivning=" "
        )
    assert raised.value.message_dict == {
        "datum": ["Datumet får inte ligga i framtiden."],
        "beskrivning": ["Beskriv vad rapporten gäller."],
    }
    assert not Handelse.objects.filter(typ="lex_sarah").exists()


@pytest.mark.parametrize("role", ["inspektor", "boendestodjare_annan", "administrator"])
def test_who_may_not_report(cast, make_case, role) -> None:
    arende = make_case(BOR, **LAGENHET)
    with pytest.raises(PermissionDenied):
        rapportera(cast[role], arende)
    assert not LexSarahRapport.objects.exists()


@pytest.mark.parametrize("role", ["boendestodjare", "inspektor"])
def test_only_the_authority_marks_the_contact(cast, make_case, role) -> None:
    arende = make_case([*BOR, LEX_SARAH], **LAGENHET)
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    with pytest.raises(PermissionDenied):
        lex_sarah_handlaggare_kontaktad(
            actor=cast[role], arende=arende, lex_sarah=lex_sarah, datum=date(2026, 4, 20)
        )


# --- The pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["boendestodjare", "socialsekreterare"])
def test_new_report_page(client, cast, make_case, role) -> None:
    arende = make_case(BOR, **LAGENHET)
    c = login(client, cast[role])
    response = c.get(url(arende, "lexsarah_ny"))
    assert response.status_code == 200
    assert "<h1>Ny lex Sarah-rapport</h1>" in response.content.decode()
    response = c.post(
        url(arende, "lexsarah_ny"), {"datum": "2026-04-20", "beskrivning": "Fallolycka."}
    )
    assert response.status_code == 302
    assert response["Location"] == url(arende)
    html = c.get(url(arende)).content.decode()
    assert "Lex Sarah-rapporten är registrerad." in html
    assert "Fallolycka." in html
    assert "Kontakt med handläggaren senast 2026-04-21" in html
    assert ("Handläggare kontaktad</button>" in html) is (role == "socialsekreterare")


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"datum": "2026-04-20"}, "Beskriv vad rapporten gäller."),
        ({"beskrivning": "Fallolycka."}, "Ange datum."),
        (
            {"datum": "2026-04-21", "beskrivning": "Fallolycka."},
            "Datumet får inte ligga i framtiden.",
        ),
        ({"datum": "igår", "beskrivning": "Fallolycka."}, "Ange datum som ÅÅÅÅ-MM-DD."),
    ],
)
def test_new_report_invalid_input(client, cast, make_case, post, message) -> None:
    arende = make_case(BOR, **LAGENHET)
    response = login(client, cast["boendestodjare"]).post(url(arende, "lexsarah_ny"), post)
    assert response.status_code == 400
    assert field_error(response.content.decode(), message)
    assert not LexSarahRapport.objects.exists()


def test_kontaktad_page_flow_links_to_the_follow_up(client, cast, make_case) -> None:
    arende = make_case([*BOR, LEX_SARAH], **LAGENHET)
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    login(client, cast["socialsekreterare"])
    response = client.post(kontaktad_url(arende, lex_sarah), {"datum": "2026-04-20"})
    assert response.status_code == 302
    html = client.get(url(arende)).content.decode()
    assert "Handläggaren är registrerad som kontaktad 2026-04-20." in html
    assert "Handläggare kontaktad 2026-04-20" in html
    assert f'href="{reverse("uppfoljning:ny", args=[arende.arende_id])}"' in html


@pytest.mark.parametrize(
    ("datum", "message"),
    [
        ("2026-04-19", "Datumet ligger före rapporten (2026-04-20)."),
        ("2026-04-21", "Datumet får inte ligga i framtiden."),
        ("", "Ange datum."),
    ],
)
def test_kontaktad_invalid_input(client, cast, make_case, datum, message) -> None:
    arende = make_case([*BOR, LEX_SARAH], **LAGENHET)
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    response = login(client, cast["socialsekreterare"]).post(
        kontaktad_url(arende, lex_sarah), {"datum": datum}
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), message)
    assert not Handelse.objects.filter(typ="handlaggare_kontaktad").exists()


def test_kontaktad_unknown_report_and_get(client, cast, make_case) -> None:
    arende = make_case([*BOR, LEX_SARAH], **LAGENHET)
    other = Handelse.objects.get(arende=arende, typ="beslut")
    login(client, cast["socialsekreterare"])
    assert client.post(kontaktad_url(arende, other), {"datum": "2026-04-20"}).status_code == 404
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    assert client.get(kontaktad_url(arende, lex_sarah)).status_code == 405


def test_lex_sarah_anonymous_is_sent_to_login(client, make_case) -> None:
    arende = make_case([*BOR, LEX_SARAH], **LAGENHET)
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    for target in (url(arende), url(arende, "lexsarah_ny"), kontaktad_url(arende, lex_sarah)):
        response = client.post(target, {"datum": "2026-04-20", "beskrivning": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not LexSarahRapport.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "kontakt_status"),
    [
        ("utforarchef", 200, 403),
        ("enhetschef", 200, 302),
        ("inspektor", 403, 403),
        ("boendestodjare_annan", 404, 404),
        ("administrator", 404, 404),
        ("utomstaende", 404, 404),
    ],
)
def test_lex_sarah_pages_by_role(client, cast, make_case, role, status, kontakt_status) -> None:
    arende = make_case([*BOR, LEX_SARAH], **LAGENHET)
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    c = login(client, cast[role])
    assert c.get(url(arende)).status_code == status
    assert c.get(url(arende, "lexsarah_ny")).status_code == status
    if status != 200:
        post = {"datum": "2026-04-20", "beskrivning": "x"}
        assert c.post(url(arende, "lexsarah_ny"), post).status_code == status
    response = c.post(kontaktad_url(arende, lex_sarah), {"datum": "2026-04-20"})
    assert response.status_code == kontakt_status
    assert not LexSarahRapport.objects.exists()


def test_lex_sarah_of_a_protected_case_needs_a_grant(client, cast, make_case) -> None:
    arende = make_case([*BOR, LEX_SARAH], skyddad=True, **LAGENHET)
    lex_sarah = Handelse.objects.get(arende=arende, typ="lex_sarah")
    for role in ("socialsekreterare", "boendestodjare"):
        c = login(Client(), cast[role])
        assert c.get(url(arende, "lexsarah_ny")).status_code == 404
        assert c.post(kontaktad_url(arende, lex_sarah), {"datum": "2026-04-20"}).status_code == 404
    assert not Handelse.objects.filter(typ="handlaggare_kontaktad").exists()


def test_the_municipalitys_setting_is_shown(client, cast, make_case, settings) -> None:
    settings.UPPFOLJ_LOKALA_STANDARDVARDEN = {"sbms_lexsarah_vardagar": 2}
    arende = make_case(BOR, **LAGENHET)
    html = login(client, cast["socialsekreterare"]).get(url(arende, "lexsarah_ny")).content.decode()
    assert "inom 2 vardagar" in html
