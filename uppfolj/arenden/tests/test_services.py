"""Registering events: validation, the audit row, and the recomputed bevakningar."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from uppfolj.arenden.models import Bevakning, Handelse
from uppfolj.arenden.services import handelse_registrera
from uppfolj.audit.models import AuditLog

pytestmark = pytest.mark.django_db

BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "to": "2026-08-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}


@time_machine.travel("2026-03-10 12:00 +01:00", tick=False)
def test_BS_KONTAKT_3VD_met_when_contact_is_registered(make_case, cast) -> None:
    arende = make_case([BESLUT, {"date": "2026-03-03", "type": "uppdrag_skickat"}])
    kontakt = Bevakning.objects.get(arende=arende, regel="BS-KONTAKT-3VD")
    assert kontakt.status == "open"
    assert kontakt.effektiv_status(date(2026, 3, 10)) == "overdue"

    handelse_registrera(
        actor=cast["boendestodjare"], arende=arende, typ="kontakt_tagen", datum=date(2026, 3, 9)
    )

    kontakt = Bevakning.objects.get(arende=arende, regel="BS-KONTAKT-3VD")
    assert (kontakt.status, kontakt.uppfylld) == ("met_late", date(2026, 3, 9))
    audit = AuditLog.objects.get(atgard="handelse_registrera")
    assert audit.aktor == cast["boendestodjare"]
    assert audit.arende == arende
    assert audit.efter == {"typ": "kontakt_tagen", "datum": "2026-03-09"}


@time_machine.travel("2026-03-10 12:00 +01:00", tick=False)
def test_future_date_is_refused_and_nothing_is_saved(make_case, cast) -> None:
    arende = make_case([BESLUT])
    with pytest.raises(ValidationError) as error:
        handelse_registrera(
            actor=cast["socialsekreterare"],
            arende=arende,
            typ="uppdrag_skickat",
            datum=date(2026, 3, 11),
        )
    assert error.value.message_dict == {"datum": ["Datumet får inte ligga i framtiden."]}
    assert Handelse.objects.filter(arende=arende).count() == 1
    assert not AuditLog.objects.filter(atgard="handelse_registrera").exists()


@time_machine.travel("2026-03-10 12:00 +01:00", tick=False)
def test_invalid_event_fields_are_refused_with_the_timeline_message(make_case, cast) -> None:
    arende = make_case([])
    with pytest.raises(ValidationError) as error:
        handelse_registrera(
            actor=cast["socialsekreterare"],
            arende=arende,
            typ="beslut",
            datum=date(2026, 3, 2),
            data={"utfall": "kanske"},
        )
    assert "fältet utfall har okänt värde" in error.value.messages[0]
    assert not Handelse.objects.filter(arende=arende).exists()
    assert not Bevakning.objects.filter(arende=arende).exists()


@time_machine.travel("2026-06-10 12:00 +02:00", tick=False)
def test_stored_open_bevakning_becomes_overdue_with_time_without_recompute(make_case) -> None:
    arende = make_case([BESLUT], today=date(2026, 3, 2))
    ivo = Bevakning.objects.get(arende=arende, regel="GEN-IVO-3M")
    assert ivo.status == "open"
    assert ivo.effektiv_status(date(2026, 6, 2)) == "open"
    assert ivo.effektiv_status(date(2026, 6, 3)) == "overdue"


@time_machine.travel("2026-09-10 12:00 +02:00", tick=False)
def test_bevakningar_ended_by_closing_are_stored_final(make_case) -> None:
    arende = make_case(
        [
            BESLUT,
            {"date": "2026-03-03", "type": "uppdrag_skickat"},
            {"date": "2026-03-04", "type": "verkstallt", "grad": "helt"},
            {"date": "2026-05-20", "type": "avslut"},
        ]
    )
    stored = {b.regel: b.status for b in Bevakning.objects.filter(arende=arende)}
    assert stored["BS-GFP-4V"] == "overdue"  # due 2026-04-01, before the closing
    assert stored["BS-SAMMANST-89D"] == "cancelled"  # due 2026-06-01, after it
    assert stored["BS-SLUTANT"] == "open"


@time_machine.travel("2026-09-10 12:00 +02:00", tick=False)
def test_nothing_but_final_documentation_is_recorded_on_a_closed_case(make_case, cast) -> None:
    arende = make_case(
        [
            BESLUT,
            {"date": "2026-03-04", "type": "verkstallt", "grad": "helt"},
            {"date": "2026-05-20", "type": "avslut"},
        ]
    )
    with pytest.raises(ValidationError) as error:
        handelse_registrera(
            actor=cast["socialsekreterare"], arende=arende, typ="paus", datum=date(2026, 9, 1)
        )
    assert error.value.messages == ["Ärendet är avslutat; inget mer kan registreras i det."]
    handelse_registrera(
        actor=cast["boendestodjare"], arende=arende, typ="slutanteckning", datum=date(2026, 5, 22)
    )
    assert Bevakning.objects.get(arende=arende, regel="BS-SLUTANT").status == "met"
