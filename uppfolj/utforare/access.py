"""What provider staff may see and do; every read still starts from Arende.objects.visible_to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from uppfolj.accounts.models import UTFORAR_ROLLER, Roll
from uppfolj.arenden.models import Arende
from uppfolj.audit.services import access_record

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
    access_record(actor=user, arenden=[arende], view=view)
    return arende
