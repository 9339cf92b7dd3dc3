"""Small helpers shared by the authority side's views."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from uppfolj.audit.services import access_record

from ..access import mark_visible
from ..models import Arende


def visible_arende(user: Any, arende_id: str, *, view: str, reason: str = "") -> Arende:
    """Return the case if `user` may see it, logging the read (ACC-LOGG); else 404."""
    arende = get_object_or_404(
        Arende.objects.visible_to(user).select_related(
            "person", "distrikt", "utforare", "handlaggare"
        ),
        arende_id=arende_id,
    )
    mark_visible(arende, user)
    access_record(actor=user, arenden=[arende], view=view, reason=reason)
    return arende


__all__ = ["Http404", "visible_arende"]
