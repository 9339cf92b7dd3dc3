"""Cases and answers shared by the follow-up tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from uppfolj.arenden.models import Arende
from uppfolj.conftest import PASSWORD
from uppfolj.domain import checklistor
from uppfolj.uppfoljning.models import Uppfoljningsmote
from uppfolj.uppfoljning.services.uppfoljning import uppfoljningsmote_boka

TODAY = "2026-04-20 10:00 +02:00"

FORE_VERKSTALLT = [
    {"date": "2026-01-05", "type": "ansokan"},
    {"date": "2026-01-12", "type": "utredning"},
    {"date": "2026-01-19", "type": "kommunicerat"},
    {
        "date": "2026-01-26",
        "type": "beslut",
        "utfall": "bifall",
        "from": "2026-01-26",
        "minuter_per_vecka": 180,
    },
    {"date": "2026-01-27", "type": "uppdrag_skickat", "stodniva": "medel"},
]
# Executed on 1 February: SBMS-UPPF-3M falls due on 1 May, GEN-TAT-UPPF-3M too.
PAGAR = [*FORE_VERKSTALLT, {"date": "2026-02-01", "type": "verkstallt", "grad": "helt"}]


def lagenhetsboende(make_case: Callable[..., Arende], **extra: Any) -> Arende:
    """Return a socialt boende med stöd case in lägenhetsboende, executed 2026-02-01."""
    return make_case(PAGAR, insats="socialt_boende_med_stod", boendeform="lagenhetsboende", **extra)


def svar_for(insats: str, boendeform: str | None = None) -> dict[str, str]:
    """Return answers to every question of the insats' checklist where all is well."""
    checklista = checklistor.checklista_for(insats)
    answers = {}
    for fraga in checklista.fragor_for(boendeform):
        plain = [v for v, _ in fraga.val if v not in fraga.kommentar_kravs_vid]
        answers[fraga.key] = (
            f"Svar om {fraga.key}." if fraga.svarstyp == checklistor.TEXT else plain[0]
        )
    return answers


SBMS_SVAR = svar_for("socialt_boende_med_stod", "lagenhetsboende")

# A complete follow-up of a lägenhetsboende case, as the form posts it.
SBMS_POST = {
    "grundversion": "0",  # the case has no follow-up yet when the form is opened
    "datum": "2026-04-20",
    "den_enskilde_deltog": "ja",
    **SBMS_SVAR,
    "samma_utforare": "ja",
    "atgard": "fortsatt",
    "nasta_mote": "2026-07-15",
}


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def aware(text: str) -> datetime:
    """Return "2026-04-27 10:00" as an aware datetime in the local time zone."""
    return timezone.make_aware(datetime.fromisoformat(text))


def boka(actor: Any, arende: Arende, **changes: Any) -> Uppfoljningsmote:
    """Book a physical meeting a week ahead with the individual, social worker and staff."""
    fields: dict[str, Any] = {
        "tid": aware("2026-04-27 10:00"),
        "form": "fysiskt",
        "plats": "Boendet, Storgatan 1",
        "kallade": ["Den enskilde", "Handläggaren", "Kontaktpersonalen"],
    }
    fields.update(changes)
    return uppfoljningsmote_boka(actor=actor, arende=arende, **fields)
