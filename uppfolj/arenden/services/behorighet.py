"""Access to protected cases (ACC-SKYDDAD): grants by the unit's managers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER
from uppfolj.audit.services import audit_record

from ..access import BEHORIGHET_BEVILJARE
from ..models import Arende, Behorighet

# --- Access to protected cases ----------------------------------------------------------


@transaction.atomic
def behorighet_bevilja(*, actor: Any, arende: Arende, anvandare: Any) -> Behorighet:
    """Grant `anvandare` access to a protected-identity case (ACC-SKYDDAD)."""
    if actor.roll not in BEHORIGHET_BEVILJARE:
        raise PermissionDenied(
            "Endast förste socialsekreterare eller enhetschef beviljar behörighet."
        )
    # A granter answers for the cases of their own district, or a provider's manager
    # for the cases their provider has the uppdrag for.
    own = actor.utforare_id if actor.roll in UTFORAR_ROLLER else actor.distrikt_id
    case = arende.utforare_id if actor.roll in UTFORAR_ROLLER else arende.distrikt_id
    if own is None or own != case:
        raise PermissionDenied(
            "Behörighet beviljas bara till ärenden i det egna distriktet eller hos den egna "
            "utföraren."
        )
    if actor.roll in UTFORAR_ROLLER and anvandare.utforare_id != actor.utforare_id:
        raise PermissionDenied("Utförarens chef beviljar behörighet bara för egen personal.")
    if anvandare.roll not in MYNDIGHET_ROLLER | UTFORAR_ROLLER:
        raise ValidationError("Behörighet ges bara till handläggare och utförarens personal.")
    grant, created = Behorighet.objects.get_or_create(
        arende=arende, anvandare=anvandare, defaults={"beviljad_av": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="behorighet_bevilja",
            obj=grant,
            arende=arende,
            after={"anvandare": anvandare.username},
        )
    return grant
