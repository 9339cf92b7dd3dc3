"""Grants to protected-identity cases (ACC-SKYDDAD): who may manage them, grant and revoke.

A granter must see the case, but nobody sees a protected case without a grant;
so a förste socialsekreterare or enhetschef may manage the grants of the
protected cases of their own district without one, and may grant themselves.
The grants page shows them nothing of such a case but its id and its grants.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER
from uppfolj.audit.services import audit_record

from . import services
from .access import BEHORIGHET_BEVILJARE
from .models import Arende, Behorighet


def kan_hantera_behorigheter(user: Any, arende: Arende) -> bool:
    """Return whether `user` may see and change the grants of `arende`."""
    if not getattr(user, "is_authenticated", False) or user.roll not in BEHORIGHET_BEVILJARE:
        return False
    if Arende.objects.visible_to(user).filter(pk=arende.pk).exists():
        return True
    return bool(
        user.roll in MYNDIGHET_ROLLER
        and user.distrikt_id is not None
        and arende.distrikt_id == user.distrikt_id
        and arende.person.skyddad_identitet
    )


def behorighet_kandidater(*, actor: Any, arende: Arende) -> QuerySet[Any]:
    """Return the users `actor` may grant `arende`: staff who would see it once granted."""
    users = get_user_model().objects.filter(is_active=True).exclude(behorigheter__arende=arende)
    if actor.roll in UTFORAR_ROLLER:
        if arende.utforare_id != actor.utforare_id:
            return users.none()
        return users.filter(roll__in=UTFORAR_ROLLER, utforare_id=actor.utforare_id)
    authority = users.filter(roll__in=MYNDIGHET_ROLLER, distrikt=arende.distrikt)
    # A granter who does not see the case is not told its provider through the list.
    sees_case = Arende.objects.visible_to(actor).filter(pk=arende.pk).exists()
    if arende.utforare_id is None or not sees_case:
        return authority.order_by("first_name", "last_name", "username")
    provider = users.filter(roll__in=UTFORAR_ROLLER, utforare_id=arende.utforare_id)
    return (authority | provider).order_by("first_name", "last_name", "username")


def _require_manager(actor: Any, arende: Arende) -> None:
    if not kan_hantera_behorigheter(actor, arende):
        raise PermissionDenied("Du får inte hantera behörigheter till ärendet.")


@transaction.atomic
def behorighet_ge(*, actor: Any, arende: Arende, anvandare: Any) -> Behorighet:
    """Grant `anvandare` the protected case `arende`, if `actor` manages its grants."""
    _require_manager(actor, arende)
    if not arende.person.skyddad_identitet:
        raise ValidationError("Ärendet har inte skyddade personuppgifter.")
    if not behorighet_kandidater(actor=actor, arende=arende).filter(pk=anvandare.pk).exists():
        raise ValidationError({"anvandare": "Användaren kan inte få behörighet till ärendet."})
    return services.behorighet_bevilja(actor=actor, arende=arende, anvandare=anvandare)


@transaction.atomic
def behorighet_aterkalla(*, actor: Any, behorighet: Behorighet) -> None:
    """Revoke a grant to a protected case; the audit row keeps who had it and who granted it."""
    arende = behorighet.arende
    _require_manager(actor, arende)
    anvandare = behorighet.anvandare
    if actor.roll in UTFORAR_ROLLER and anvandare.utforare_id != actor.utforare_id:
        raise PermissionDenied("Utförarens chef återkallar behörighet bara för egen personal.")
    before = {
        "anvandare": anvandare.username,
        "beviljad_av": behorighet.beviljad_av.username,
        "beviljad": behorighet.beviljad.isoformat(),
    }
    audit_record(
        actor=actor, action="behorighet_aterkalla", obj=behorighet, arende=arende, before=before
    )
    behorighet.delete()
