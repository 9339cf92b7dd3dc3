"""Small helpers shared by the authority side's views."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from uppfolj.audit.services import access_record

from ..access import mark_visible
from ..models import Arende
from ..rader import synligt_arende


def visible_arende(user: Any, arende_id: str, *, view: str, reason: str = "") -> Arende:
    """Return the case if `user` may see it, logging the read (ACC-LOGG); else 404."""
    arende = synligt_arende(user, arende_id)
    if arende is None:
        raise Http404("Ärendet finns inte")
    mark_visible(arende, user)
    access_record(actor=user, arenden=[arende], view=view, reason=reason)
    return arende


__all__ = ["Http404", "visible_arende"]
