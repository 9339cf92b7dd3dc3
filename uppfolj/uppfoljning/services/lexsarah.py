"""Lex Sarah: a report on a case, and the responsible social worker contacted (SBMS-LEXSARAH)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from uppfolj.arenden.access import require_event_allowed, require_handle
from uppfolj.arenden.models import Arende, Handelse
from uppfolj.arenden.services import bevakningar_berakna, save_event, snapshot
from uppfolj.audit.services import access_record, audit_record

from ..models import LexSarahRapport
from ..selectors_stodniva import lex_sarah_poster


def _notify_handlaggare(arende: Arende, rapport: LexSarahRapport) -> None:
    handlaggare = arende.handlaggare
    if handlaggare is None or not handlaggare.email:
        return
    due = arende.bevakningar.filter(regel="SBMS-LEXSARAH", start=rapport.datum).first()
    # Only the case id: an e-mail may travel outside the system, names do not.
    body = (
        f"En lex Sarah-rapport har registrerats i ärende {arende.arende_id} "
        f"({rapport.datum:%Y-%m-%d}). Ansvarig handläggare ska kontaktas för uppföljning"
        + (f" senast {due.forfaller:%Y-%m-%d} (SBMS-LEXSARAH)." if due else ".")
        + "\n\nÖppna ärendet i Uppfölj."
    )
    send_mail(f"Lex Sarah-rapport i ärende {arende.arende_id}", body, None, [handlaggare.email])
    access_record(actor=handlaggare, arenden=[arende], view="lex_sarah_epost")


@transaction.atomic
def lex_sarah_rapportera(
    *, actor: Any, arende: Arende, datum: date, beskrivning: str
) -> LexSarahRapport:
    """Register a lex Sarah report on the case; the responsible social worker is told."""
    require_event_allowed(actor, arende, "lex_sarah")
    errors: dict[str, str] = {}
    if datum > timezone.localdate():
        errors["datum"] = "Datumet får inte ligga i framtiden."
    if not beskrivning.strip():
        errors["beskrivning"] = "Beskriv vad rapporten gäller."
    if errors:
        raise ValidationError(errors)
    handelse = save_event(actor, arende, "lex_sarah", datum, {})
    rapport = LexSarahRapport(
        arende=arende,
        handelse=handelse,
        datum=datum,
        beskrivning=beskrivning.strip(),
        rapporterad_av=actor,
    )
    rapport.full_clean()
    rapport.save()
    audit_record(
        actor=actor,
        action="lex_sarah_rapportera",
        obj=rapport,
        arende=arende,
        after=snapshot(rapport),
    )
    bevakningar_berakna(arende=arende)
    transaction.on_commit(lambda: _notify_handlaggare(arende, rapport))
    return rapport


@transaction.atomic
def lex_sarah_handlaggare_kontaktad(
    *, actor: Any, arende: Arende, lex_sarah: Handelse, datum: date
) -> Handelse:
    """Register that the responsible social worker was contacted about a lex Sarah report."""
    require_handle(actor, arende)
    post = next((p for p in lex_sarah_poster(arende) if p.handelse.pk == lex_sarah.pk), None)
    if post is None:
        raise ValidationError("Rapporten finns inte i ärendet.")
    if not post.oppen:
        raise ValidationError("Handläggaren är redan kontaktad för rapporten.")
    if datum < post.handelse.datum:
        raise ValidationError(
            {"datum": f"Datumet ligger före rapporten ({post.handelse.datum.isoformat()})."}
        )
    handelse = save_event(actor, arende, "handlaggare_kontaktad", datum, {})
    if post.rapport is not None:
        post.rapport.handlaggare_kontaktad = handelse
        post.rapport.save(update_fields=["handlaggare_kontaktad"])
        audit_record(
            actor=actor,
            action="lex_sarah_handlaggare_kontaktad",
            obj=post.rapport,
            arende=arende,
            before={"handlaggare_kontaktad": None},
            after={"handlaggare_kontaktad": handelse.pk, "datum": datum.isoformat()},
        )
    else:
        # A report imported from another system is known by its event only.
        audit_record(
            actor=actor,
            action="lex_sarah_handlaggare_kontaktad",
            obj=handelse,
            arende=arende,
            after={"typ": "handlaggare_kontaktad", "datum": datum.isoformat()},
        )
    bevakningar_berakna(arende=arende)
    return handelse
