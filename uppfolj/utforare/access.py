"""What provider staff may see and do; every read still starts from Arende.objects.visible_to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER, Roll, Utforare
from uppfolj.arenden.access import is_visible, mark_visible
from uppfolj.arenden.models import Arende
from uppfolj.audit.services import access_record

from .models import Samtycke

# Who distributes uppdrag to contact staff (003 "Planera genomförande").
FORDELANDE_ROLLER: frozenset[str] = frozenset({Roll.STODPEDAGOG, Roll.UTFORARCHEF})


def is_provider_staff(user: Any) -> bool:
    return getattr(user, "roll", None) in UTFORAR_ROLLER and user.utforare_id is not None


def require_provider_staff(user: Any, arende: Arende) -> None:
    """Raise PermissionDenied unless `user` works for the provider that has `arende`."""
    if not is_provider_staff(user) or arende.utforare_id != user.utforare_id:
        raise PermissionDenied("Endast utförarens personal för ärendet får göra detta.")


def require_distributor(user: Any, arende: Arende) -> None:
    """Raise PermissionDenied unless `user` may distribute the provider's uppdrag."""
    require_provider_staff(user, arende)
    if user.roll not in FORDELANDE_ROLLER:
        raise PermissionDenied("Endast stödpedagog eller enhetschef fördelar uppdrag.")


def provider_arende(user: Any, arende_id: str, *, view: str) -> Arende:
    """Return the provider's case for `user`, logging the read; 404 if not visible, 403 if
    the user is not the provider's staff."""
    arende = get_object_or_404(
        Arende.objects.visible_to(user).select_related("person", "utforare", "handlaggare"),
        arende_id=arende_id,
    )
    require_provider_staff(user, arende)
    mark_visible(arende, user)
    access_record(actor=user, arenden=[arende], view=view)
    return arende


def may_read_plan(user: Any, arende: Arende, *, today: date | None = None) -> bool:
    """Return whether `user` may read the genomförandeplan of `arende` (ACC-SEKRETESSGRANS).

    The provider's own staff may. The social worker may read a municipal or contracted
    provider's plan, but a private provider's only while the individual's consent to it
    is in force (ACC-SAMTYCKE: not withdrawn, its period covering today, and given for
    that provider or for none in particular). No one else reads plans.
    """
    if not is_visible(user, arende):
        return False
    if user.roll in UTFORAR_ROLLER:
        return is_provider_staff(user) and arende.utforare_id == user.utforare_id
    if user.roll not in MYNDIGHET_ROLLER:
        return False
    if arende.utforare is None or arende.utforare.driftform != Utforare.Driftform.PRIVAT:
        return True
    today = today or timezone.localdate()
    return Samtycke.objects.filter(
        Q(till__isnull=True) | Q(till__gte=today),
        Q(aterkallat__isnull=True) | Q(aterkallat__gt=today),
        Q(utforare__isnull=True) | Q(utforare_id=arende.utforare_id),
        person_id=arende.person_id,
        omfattar_genomforandeplan=True,
        fran__lte=today,
    ).exists()
