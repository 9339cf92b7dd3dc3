"""Writes to the visit register (the "digitalt tidsverktyg" of 004)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.arenden.access import require_visible
from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import snapshot
from uppfolj.audit.services import audit_record

from ..access import is_provider_staff, require_provider_staff
from ..models import Besok

# A visit longer than a working day is a typing error, not a visit.
LANGSTA_BESOK = timedelta(hours=12)


@transaction.atomic
def besok_registrera(
    *, actor: Any, arende: Arende, personal: Any, start: datetime, slut: datetime, plats: str
) -> Besok:
    """Register a visit made by `personal`, one of the provider's staff, on the case."""
    require_visible(actor, arende)
    require_provider_staff(actor, arende)
    errors: dict[str, str] = {}
    if not is_provider_staff(personal) or personal.utforare_id != arende.utforare_id:
        errors["personal"] = "Välj någon av utförarens personal."
    if slut <= start:
        errors["slut"] = "Sluttiden måste vara efter starttiden."
    elif slut - start > LANGSTA_BESOK:
        errors["slut"] = "Ett besök kan vara högst 12 timmar."
    now = timezone.now()
    if timezone.localtime(start).date() > timezone.localdate():
        errors["datum"] = "Datumet får inte ligga i framtiden."
    elif slut > now and "slut" not in errors:
        errors["slut"] = "Sluttiden får inte ligga i framtiden."
    avslut = arende.forsta_avslut()
    if avslut and timezone.localtime(start).date() > avslut.datum:
        errors["datum"] = (
            f"Ärendet avslutades {avslut.datum.isoformat()}; besök efter det kan inte registreras."
        )
    if errors:
        raise ValidationError(errors)
    besok = Besok(
        arende=arende,
        personal=personal,
        start=start,
        slut=slut,
        plats=plats,
        registrerad_av=actor,
    )
    besok.full_clean()
    besok.save()
    audit_record(
        actor=actor, action="besok_registrera", obj=besok, arende=arende, after=snapshot(besok)
    )
    return besok
