"""The journal: entries written, never edited; a wrong entry marked and corrected."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.audit.services import audit_record

from ..access import require_handle, require_visible
from ..models import Arende, Journalanteckning
from .handelser import snapshot

# --- The journal ------------------------------------------------------------------------


@transaction.atomic
def journal_skriv(
    *, actor: Any, arende: Arende, datum: date, rubrik: str, text: str, rattar: Any = None
) -> Journalanteckning:
    """Write a journal entry; entries are never edited or deleted."""
    require_visible(actor, arende)
    require_handle(actor, arende)
    entry = Journalanteckning(
        arende=arende, datum=datum, rubrik=rubrik, text=text, skriven_av=actor, rattar=rattar
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor, action="journal_skriv", obj=entry, arende=arende, after=snapshot(entry)
    )
    return entry


@transaction.atomic
def journal_felmarkera(
    *, actor: Any, anteckning: Journalanteckning, skal: str, rattelse_text: str
) -> Journalanteckning:
    """Mark an entry wrong with a reason and write the correcting entry; return the correction."""
    arende = anteckning.arende
    require_visible(actor, arende)
    require_handle(actor, arende)
    errors = {}
    if not skal.strip():
        errors["skal"] = "Skriv varför anteckningen är felaktig."
    if not rattelse_text.strip():
        errors["rattelse_text"] = "Skriv den rättade anteckningen."
    if errors:
        raise ValidationError(errors)
    locked = Journalanteckning.objects.select_for_update().get(pk=anteckning.pk)
    if locked.ar_felaktig:
        raise ValidationError("Anteckningen är redan markerad som felaktig.")
    before = snapshot(locked)
    markera_felaktig(locked, actor=actor, skal=skal)
    audit_record(
        actor=actor,
        action="journal_felmarkera",
        obj=locked,
        arende=arende,
        before=before,
        after=snapshot(locked),
    )
    return journal_skriv(
        actor=actor,
        arende=arende,
        datum=locked.datum,
        rubrik=f"Rättelse: {locked.rubrik}",
        text=rattelse_text.strip(),
        rattar=locked,
    )


def markera_felaktig(post: Any, *, actor: Any, skal: str) -> datetime:
    """Mark a journal entry or a daily note, locked for update, as wrong: the reason, by
    whom and when (returned). Neither is ever edited or deleted; the mark stays beside
    the text."""
    post.felaktig_skal = skal.strip()
    post.felmarkerad_av = actor
    post.felmarkerad = timezone.now()
    post.save(update_fields=["felaktig_skal", "felmarkerad_av", "felmarkerad"])
    return post.felmarkerad
