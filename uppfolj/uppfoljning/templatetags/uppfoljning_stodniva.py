"""The content of the support levels wherever a level is chosen, and the case page's panel."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from uppfolj.arenden.access import can_handle, is_visible
from uppfolj.arenden.models import Arende
from uppfolj.arenden.selectors import sidans_handelser
from uppfolj.domain.stodnivaer import (
    SOURCE,
    STODNIVAER,
    STODNIVAER_BY_KOD,
    TID_SOM_INTE_NIVABEDOMS,
    TID_SOM_NIVABEDOMS,
    Stodniva,
)
from uppfolj.domain.timeline import SOCIALT_BOENDE_MED_STOD
from uppfolj.utforare.access import is_provider_staff

from ..selectors_stodniva import myndighet_oversikt, uppfoljning_url

register = template.Library()


@register.filter
def stodniva_info(kod: str) -> Stodniva | None:
    """Return the level of a code, for its content beside a choice."""
    return STODNIVAER_BY_KOD.get(str(kod))


@register.simple_tag
def stodnivaer_innehall() -> dict[str, Any]:
    """Return seed 002's level table and the time it counts."""
    return {
        "nivaer": STODNIVAER,
        "tid_nivabedoms": TID_SOM_NIVABEDOMS,
        "tid_inte_nivabedoms": TID_SOM_INTE_NIVABEDOMS,
        "kalla": SOURCE,
    }


def _har_lex_sarah(arende: Arende) -> bool:
    handelser = sidans_handelser(arende)  # already read by the case page
    if handelser is None:
        return arende.handelser.filter(typ="lex_sarah").exists()
    return any(h.typ == "lex_sarah" for h in handelser)


@register.simple_tag
def stodniva_myndighet(arende: Arende, user: Any) -> dict[str, Any] | None:
    """Return the level, fees and lex Sarah reports for the case page, or None if not
    relevant to the case or not visible to `user`."""
    if arende.insats != SOCIALT_BOENDE_MED_STOD and not _har_lex_sarah(arende):
        return None
    if not is_visible(user, arende):
        return None
    context = myndighet_oversikt(arende, timezone.localdate())
    context.update(
        kan_handlagga=can_handle(user, arende),
        ar_utforare=is_provider_staff(user) and arende.utforare_id == user.utforare_id,
        sbms=arende.insats == SOCIALT_BOENDE_MED_STOD,
        uppfoljning_url=uppfoljning_url(arende),
    )
    return context
