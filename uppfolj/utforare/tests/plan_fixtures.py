"""Cases, plans and consents shared by the genomförandeplan's and the consents' tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from uppfolj.conftest import PASSWORD
from uppfolj.utforare.models import Genomforandeplan, Samtycke
from uppfolj.utforare.services.plan import genomforandeplan_spara

TODAY = "2026-04-20 10:00 +02:00"

BESLUT = {
    "date": "2026-03-23",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-23",
    "to": "2026-12-31",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
# Boendestöd executed 2026-03-30: BS-GFP-4V is due 2026-04-27.
PAGAR = [
    {"date": "2026-03-02", "type": "ansokan"},
    {"date": "2026-03-09", "type": "utredning"},
    {"date": "2026-03-16", "type": "kommunicerat"},
    BESLUT,
    {"date": "2026-03-24", "type": "uppdrag_skickat"},
    {"date": "2026-03-30", "type": "verkstallt", "grad": "helt"},
]

DELMAL_TVATT = {
    "livsomrade": "hemliv",
    "mal": "Tvätta själv en gång i veckan.",
    "aktiviteter": "Vi går till tvättstugan tillsammans på tisdagar.",
    "matbart": "Tvätten är gjord fyra veckor i rad.",
    "klart_senast": date(2026, 7, 31),
}
DELMAL_POST = {
    "livsomrade": "utbildning_arbete_ekonomi",
    "mal": "Betala hyran i tid varje månad.",
    "aktiviteter": "Vi lägger upp autogiro tillsammans.",
    "matbart": "Ingen påminnelse från hyresvärden under tre månader.",
    "klart_senast": date(2026, 9, 30),
}

PLAN = {
    "datum": date(2026, 4, 14),
    "arbetssatt": "Vi gör sysslorna tillsammans och minskar stödet steg för steg.",
    "bemotande": "Vill bli påmind med sms dagen innan. Inget telefonsamtal före tio.",
    "krisplan": "Om jag slutar svara kontaktar boendestödet min syster.",
    "krisplan_kontakter": "Syster Anna, 070-111 22 33",
    "krisplan_samtycke": True,
    "delaktighet": True,
    "andra_planer": ["sip"],
    "andra_planer_beskrivning": "SIP med psykiatrin, nästa möte i maj.",
    "kopia_overlamnad": date(2026, 4, 15),
}


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def spara_plan(
    actor: Any, arende: Any, delmal: list[dict[str, Any]] | None = None, **changes: Any
) -> Genomforandeplan:
    fields = {**PLAN, **changes}
    return genomforandeplan_spara(
        actor=actor, arende=arende, delmal=delmal or [DELMAL_TVATT], **fields
    )


def samtycke(person: Any, actor: Any, **changes: Any) -> Samtycke:
    fields: dict[str, Any] = {
        "motpart": "Socialsekreteraren",
        "omfattning": "Genomförandeplanen inför uppföljning.",
        "fran": date(2026, 4, 1),
        "givet_hur": "muntligt",
        "omfattar_genomforandeplan": True,
        **changes,
    }
    return Samtycke.objects.create(person=person, registrerat_av=actor, **fields)
