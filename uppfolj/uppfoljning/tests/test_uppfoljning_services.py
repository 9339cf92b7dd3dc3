"""Registering a follow-up: the document, its event, the clocks restarting, journal and audit."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from uppfolj.arenden import services as arenden_services
from uppfolj.arenden.models import Bevakning, Handelse, Journalanteckning
from uppfolj.audit.models import AuditLog
from uppfolj.uppfoljning.models import Uppfoljning, Uppfoljningsmote
from uppfolj.uppfoljning.services import uppfoljning as service

from .uppfoljning_fall import PAGAR, SBMS_SVAR, TODAY, aware, boka, lagenhetsboende, svar_for

pytestmark = pytest.mark.django_db

DATUM = date(2026, 4, 20)


def registrera(actor, arende, **changes):
    fields = {
        "datum": DATUM,
        "svar": svar_for(arende.insats, arende.boendeform or None),
        "den_enskilde_deltog": True,
        "samma_utforare": True,
        "atgard": "fortsatt",
        "nasta_mote": date(2026, 7, 15),
    }
    fields.update(changes)
    return service.uppfoljning_registrera(actor=actor, arende=arende, **fields)


def bevakningar(arende, regel):
    return [
        (b.start, b.forfaller, b.status, b.uppfylld)
        for b in Bevakning.objects.filter(arende=arende, regel=regel).order_by("start")
    ]


def nothing_saved(arende) -> bool:
    return not (
        Uppfoljning.objects.filter(arende=arende).exists()
        or Handelse.objects.filter(arende=arende, typ="uppfoljning").exists()
        or Journalanteckning.objects.filter(arende=arende).exists()
        or AuditLog.objects.filter(arende=arende, atgard="uppfoljning_registrera").exists()
    )


# --- The document, its event, journal and audit --------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_registering_saves_the_document_event_journal_and_audit(cast, make_case):
    arende = lagenhetsboende(make_case)
    user = cast["socialsekreterare"]

    uppfoljning = registrera(user, arende, svar={**SBMS_SVAR, "okand_fraga": "x"})

    assert uppfoljning.checklista == "socialt_boende_med_stod"
    assert uppfoljning.svar == SBMS_SVAR  # unknown keys are dropped
    assert (uppfoljning.skriven_av, uppfoljning.atgard) == (user, "fortsatt")
    handelse = uppfoljning.handelse
    assert (handelse.typ, handelse.datum, handelse.registrerad_av) == ("uppfoljning", DATUM, user)
    entry = Journalanteckning.objects.get(arende=arende)
    assert entry.rubrik == "Uppföljning av pågående beslut"
    assert entry.text.startswith(
        "Checklista följa upp insatsen socialt boende med stöd.\n"
        "Den enskilde medverkade vid uppföljningen.\n\n"
        "Hur har det fungerat i boendet sedan föregående uppföljning?\nSvar om fungerat.\n"
    )
    assert "Ställningstagande: Fortsätt som tidigare." in entry.text
    audit = AuditLog.objects.get(arende=arende, atgard="uppfoljning_registrera")
    assert (audit.aktor, audit.objekt_id) == (user, str(uppfoljning.pk))
    assert audit.efter["atgard"] == "fortsatt"
    assert AuditLog.objects.filter(arende=arende, atgard="journal_skriv").count() == 1


# --- The follow-up clocks ------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_SBMS_UPPF_3M_is_met_and_restarts_from_the_follow_up_date(cast, make_case):
    arende = lagenhetsboende(make_case)
    assert bevakningar(arende, "SBMS-UPPF-3M") == [
        (date(2026, 2, 1), date(2026, 5, 1), "open", None)
    ]

    registrera(cast["socialsekreterare"], arende)

    assert bevakningar(arende, "SBMS-UPPF-3M") == [
        (date(2026, 2, 1), date(2026, 5, 1), "met", DATUM),
        (DATUM, date(2026, 7, 20), "open", None),
    ]


@time_machine.travel(TODAY, tick=False)
def test_VOB_UPPF_12M_next_instance_is_a_year_ahead(cast, make_case):
    events = [e for e in PAGAR if e["type"] != "uppdrag_skickat"]
    arende = make_case(events, insats="vard_och_omsorgsboende")

    registrera(
        cast["socialsekreterare"],
        arende,
        nasta_mote=date(2027, 4, 20),
        atgard="revidera_uppdrag",
    )

    assert bevakningar(arende, "VOB-UPPF-12M") == [
        (date(2026, 2, 1), date(2027, 2, 1), "met", DATUM),
        (DATUM, date(2027, 4, 20), "open", None),
    ]


@time_machine.travel(TODAY, tick=False)
def test_GEN_TAT_UPPF_3M_restarts_from_the_follow_up_date(cast, make_case):
    arende = make_case(PAGAR, tatare_uppfoljning=True)  # boendestöd

    registrera(cast["socialsekreterare"], arende)

    assert bevakningar(arende, "GEN-TAT-UPPF-3M") == [
        (date(2026, 2, 1), date(2026, 5, 1), "met", DATUM),
        (DATUM, date(2026, 7, 20), "open", None),
    ]


@time_machine.travel(TODAY, tick=False)
def test_a_late_follow_up_is_met_late(cast, make_case):
    arende = make_case(
        [*PAGAR[:-1], {"date": "2026-01-10", "type": "verkstallt", "grad": "helt"}],
        insats="socialt_boende_med_stod",
    )
    registrera(cast["socialsekreterare"], arende)
    assert bevakningar(arende, "SBMS-UPPF-3M")[0] == (
        date(2026, 1, 10),
        date(2026, 4, 10),
        "met_late",
        DATUM,
    )


# --- Refusals: nothing half-saved ----------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_an_invalid_follow_up_saves_nothing(cast, make_case):
    arende = lagenhetsboende(make_case)
    with pytest.raises(ValidationError) as error:
        registrera(
            cast["socialsekreterare"],
            arende,
            den_enskilde_deltog=False,
            samma_utforare=False,
            atgard="fortsatt",
        )
    assert error.value.message_dict == {
        "orsak_ej_deltagit": [
            "Dokumentera orsaken till att den enskilde inte medverkat vid uppföljningen."
        ],
        "atgard": [
            "Välj byte av utförare, omprövning eller ny ansökan när uppdraget inte ska "
            "fortsätta hos samma utförare."
        ],
    }
    assert nothing_saved(arende)


@time_machine.travel(TODAY, tick=False)
def test_a_failure_after_the_event_is_saved_rolls_everything_back(cast, make_case, monkeypatch):
    arende = lagenhetsboende(make_case)
    before = list(Bevakning.objects.filter(arende=arende).values_list("regel", "status"))

    def fail(**kwargs):
        raise RuntimeError("journalen svarar inte")

    monkeypatch.setattr(service, "journal_skriv", fail)
    with pytest.raises(RuntimeError):
        registrera(cast["socialsekreterare"], arende)
    assert nothing_saved(arende)
    assert list(Bevakning.objects.filter(arende=arende).values_list("regel", "status")) == before


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("events", "message"),
    [
        (PAGAR[:-1], "Insatsen har inte verkställts; det finns ännu ingenting att följa upp."),
        (
            [*PAGAR, {"date": "2026-04-01", "type": "avslut"}],
            "Ärendet är avslutat; inget mer kan registreras i det.",
        ),
    ],
)
def test_follow_up_needs_a_running_insats(cast, make_case, events, message):
    arende = make_case(events, insats="socialt_boende_med_stod", boendeform="lagenhetsboende")
    with pytest.raises(ValidationError) as error:
        registrera(cast["socialsekreterare"], arende)
    assert error.value.messages == [message]
    assert nothing_saved(arende)


@time_machine.travel(TODAY, tick=False)
def test_a_future_date_is_refused(cast, make_case):
    arende = lagenhetsboende(make_case)
    with pytest.raises(ValidationError) as error:
        registrera(cast["socialsekreterare"], arende, datum=date(2026, 4, 21))
    assert error.value.message_dict == {"datum": ["Datumet får inte ligga i framtiden."]}


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("role", "error"),
    [
        ("boendestodjare", PermissionDenied),
        ("utforarchef", PermissionDenied),
        ("inspektor", PermissionDenied),
        ("boendestodjare_annan", PermissionDenied),
        ("utomstaende", PermissionDenied),
    ],
)
def test_only_those_who_handle_the_case_register(cast, make_case, role, error):
    arende = lagenhetsboende(make_case)
    with pytest.raises(error):
        registrera(cast[role], arende)
    assert nothing_saved(arende)


@time_machine.travel(TODAY, tick=False)
def test_a_protected_case_needs_a_grant(cast, make_case):
    arende = lagenhetsboende(make_case, skyddad=True)
    with pytest.raises(PermissionDenied):
        registrera(cast["socialsekreterare"], arende, den_enskilde_deltog=None)
    arenden_services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=arende, anvandare=cast["socialsekreterare"]
    )
    assert registrera(cast["socialsekreterare"], arende).pk


# --- The meeting ---------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_held_meeting_is_marked_held(cast, make_case):
    arende = lagenhetsboende(make_case)
    user = cast["socialsekreterare"]
    mote = boka(user, arende, tid=aware("2026-04-20 13:00"))

    uppfoljning = registrera(user, arende, mote=mote)

    mote.refresh_from_db()
    assert (uppfoljning.mote, mote.status) == (mote, Uppfoljningsmote.Status.GENOMFORT)
    audit = AuditLog.objects.get(atgard="uppfoljningsmote_genomfort")
    assert audit.efter == {"status": "genomfort", "uppfoljning": uppfoljning.pk}


@time_machine.travel(TODAY, tick=False)
def test_a_meeting_of_another_case_or_of_a_later_day_is_refused(cast, make_case):
    user = cast["socialsekreterare"]
    arende = lagenhetsboende(make_case)
    other = lagenhetsboende(make_case)
    mote = boka(user, other)
    with pytest.raises(ValidationError) as error:
        registrera(user, arende, mote=mote)
    assert error.value.message_dict == {
        "mote": ["Mötet hör inte till ärendet eller är inte längre bokat."]
    }
    later = boka(user, arende, tid=aware("2026-04-27 10:00"))
    with pytest.raises(ValidationError) as error:
        registrera(user, arende, mote=later)
    assert error.value.message_dict == {
        "mote": ["Mötet är bokat till en senare dag än uppföljningens datum."]
    }
    assert nothing_saved(arende)
