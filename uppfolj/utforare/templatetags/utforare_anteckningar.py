"""The anteckningar panel of the provider's case page, and summaries on the authority's."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from uppfolj.arenden.models import Arende
from uppfolj.arenden.rader import arendets_rader

from ..models import Sammanstallning
from ..services import anteckningar as services

register = template.Library()

SENASTE = 5


@register.inclusion_tag("utforare/_anteckningar_panel.html")
def anteckningar_panel(arende: Arende, user: Any) -> dict[str, Any]:
    """Show the latest notes, the BS-SAMMANST-89D deadline, the last summary and a running
    3-dagarsrutin."""
    return {
        "arende": arende,
        "user": user,
        "today": timezone.localdate(),
        "senaste": list(services.anteckningar_lista(arende)[:SENASTE]),
        "antal": arende.daganteckningar.count(),
        "bevakning_89d": services.sammanstallning_bevakning(arende),
        "tredagars": services.pagaende_tredagars(arende),
        "senaste_sammanstallning": arende.sammanstallningar.first(),
        "tidigare": services.tidigare_sammanstallningar(arende).first(),
    }


@register.simple_tag
def overforda_sammanstallningar(arende: Arende) -> list[Sammanstallning]:
    """Return the case's summaries transferred to the journal, for the authority's case page."""
    return arendets_rader(
        "overforda_sammanstallningar", services.overforda_sammanstallningar, arende
    )
