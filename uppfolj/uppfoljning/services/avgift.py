"""The monthly check of the egenavgift (000), and the uppdrag for motivational support."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.arenden.access import require_handle
from uppfolj.arenden.models import Arende, Utkast
from uppfolj.arenden.services import bevakningar_berakna, save_event, snapshot
from uppfolj.audit.services import audit_record
from uppfolj.domain.calendar import add_months
from uppfolj.domain.timeline import SOCIALT_BOENDE_MED_STOD

from ..models import Avgiftskontroll
from ..selectors_stodniva import avgift_manader, hyra_fran, manad_text, stodniva_historik

EJ_SBMS = "Egenavgiften kontrolleras för socialt boende med stöd."
AVSLUTAT = "Ärendet är avslutat; inget mer kan registreras i det."

# 000: "Om föregående månads egenavgift inte är inbetald sätts stöd/motiverande insatser
# in för att förmå den enskilde att betala sin egenavgift. Använd uppdrag till utförare."
MOTIVERANDE_MAL = "Motiverande stöd till den enskilde att betala sin egenavgift"
MOTIVERANDE_AKTIVITETER = (
    "Motiverande samtal. Stöd att sköta vardagsekonomin, till exempel att öppna post, förstå "
    "skrivelser, fylla i blanketter och betala räkningar i tid."
)
EKONOMI_LIVSOMRADE = "utbildning_arbete_ekonomi"


def foregaende_manad(today: date) -> date:
    """Return the first day of the month before `today`'s: the month a check is about."""
    return add_months(today.replace(day=1), -1)


def manadens_sista_dag(manad: date) -> date:
    """Return the last day of `manad`'s month."""
    return manad.replace(day=calendar.monthrange(manad.year, manad.month)[1])


@transaction.atomic
def avgift_kontrollera(*, actor: Any, arende: Arende, manad: date, betald: bool) -> Avgiftskontroll:
    """Record whether a month's egenavgift was paid; an unpaid month is an event on the case."""
    require_handle(actor, arende)
    if arende.insats != SOCIALT_BOENDE_MED_STOD:
        raise ValidationError(EJ_SBMS)
    if arende.ar_avslutat():
        raise ValidationError(AVSLUTAT)
    manad = manad.replace(day=1)
    if manad >= timezone.localdate().replace(day=1):
        raise ValidationError(
            {"manad": "Kontrollera en månad som har passerat, normalt föregående månad."}
        )
    if any(m.manad == manad for m in avgift_manader(arende)):
        raise ValidationError(
            {"manad": f"Egenavgiften för {manad_text(manad)} är redan kontrollerad."}
        )
    handelse = None
    if not betald:
        # Dated in the unpaid month, so that SBMS-EGENAVG-UPPREPAD counts months, not checks.
        handelse = save_event(actor, arende, "egenavgift_obetald", manadens_sista_dag(manad), {})
    kontroll = Avgiftskontroll(
        arende=arende, manad=manad, betald=betald, handelse=handelse, kontrollerad_av=actor
    )
    kontroll.full_clean()
    kontroll.save()
    audit_record(
        actor=actor,
        action="avgift_kontrollera",
        obj=kontroll,
        arende=arende,
        after=snapshot(kontroll),
    )
    if handelse is not None:
        bevakningar_berakna(arende=arende)
    return kontroll


@transaction.atomic
def uppdrag_utkast_motiverande_stod(*, actor: Any, arende: Arende, manad: date) -> Utkast:
    """Return the actor's uppdrag draft for the case, with the goal of motivational support
    to pay the fee; an existing draft keeps what it has and gets the goal added."""
    require_handle(actor, arende)
    mal = f"{MOTIVERANDE_MAL} (obetald för {manad_text(manad)})."
    draft = Utkast.objects.filter(anvandare=actor, formular="uppdrag", arende=arende).first()
    if draft is not None:
        current = draft.data.get("mal", [""])
        text = current[0] if current else ""
        if MOTIVERANDE_MAL not in text:
            draft.data["mal"] = [f"{text}\n\n{mal}".strip()]
            draft.save(update_fields=["data", "sparat"])
        return draft
    data: dict[str, list[str]] = {
        "datum": [timezone.localdate().isoformat()],
        "mal": [mal],
        "aktiviteter": [MOTIVERANDE_AKTIVITETER],
        "livsomraden": [EKONOMI_LIVSOMRADE],
    }
    if arende.utforare_id:
        data["utforare"] = [str(arende.utforare_id)]
    # The new uppdrag tells the provider the level and the rent as before.
    historik = stodniva_historik(arende)
    if historik:
        data["stodniva"] = [historik[0].niva]
    hyra = hyra_fran(arende)
    if hyra:
        data["hyra_fran"] = [hyra[0].isoformat()]
    return Utkast.objects.create(anvandare=actor, formular="uppdrag", arende=arende, data=data)
