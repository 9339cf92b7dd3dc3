"""Writes on cases: each change is one function that audits and recomputes bevakningar."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.audit.services import audit_record
from uppfolj.domain.engine import OPEN, evaluate
from uppfolj.domain.rules import LocalDefaults
from uppfolj.domain.timeline import Event, Timeline, TimelineError, parse_event

from .models import Arende, Bevakning, Handelse, Varning


def local_defaults() -> LocalDefaults:
    """Return the municipality's local defaults from the settings."""
    return LocalDefaults.from_mapping(settings.UPPFOLJ_LOKALA_STANDARDVARDEN)


def handelse_as_event(handelse: Handelse) -> Event:
    """Return the engine's view of a stored event."""
    return parse_event({**handelse.data, "date": handelse.datum.isoformat(), "type": handelse.typ})


def arende_timeline(arende: Arende, handelser: list[Handelse] | None = None) -> Timeline:
    """Return the case's timeline as the rules engine reads it."""
    rows = handelser if handelser is not None else list(arende.handelser.order_by("datum", "id"))
    return Timeline(
        case_id=arende.arende_id,
        insats=arende.insats,
        boendeform=arende.boendeform or None,
        tatare_uppfoljning=arende.tatare_uppfoljning,
        events=tuple(handelse_as_event(h) for h in rows),
    )


def bevakningar_berakna(*, arende: Arende, today: date | None = None) -> None:
    """Recompute and store the case's bevakningar and warnings from its events."""
    today = today or timezone.localdate()
    evaluation = evaluate(arende_timeline(arende), today, local_defaults())
    Bevakning.objects.filter(arende=arende).delete()
    Varning.objects.filter(arende=arende).delete()
    Bevakning.objects.bulk_create(
        Bevakning(
            arende=arende,
            regel=b.rule,
            start=b.start,
            forfaller=b.due,
            status=OPEN if b.running else b.status,
            uppfylld=b.met_on,
        )
        for b in evaluation.bevakningar
    )
    Varning.objects.bulk_create(
        Varning(arende=arende, regel=w.rule, datum=w.date, meddelande=w.message)
        for w in evaluation.varningar
    )


def _event_data(event_fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event_fields.items() if k not in ("date", "type") and v is not None}


@transaction.atomic
def handelse_registrera(
    *, actor: Any, arende: Arende, typ: str, datum: date, data: dict[str, Any] | None = None
) -> Handelse:
    """Register one event on a case, then recompute its bevakningar."""
    data = _event_data(data or {})
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Datumet får inte ligga i framtiden."})
    try:
        parse_event({**data, "date": datum.isoformat(), "type": typ})
    except TimelineError as error:
        raise ValidationError(error.message) from None
    handelse = Handelse(arende=arende, typ=typ, datum=datum, data=data, registrerad_av=actor)
    handelse.full_clean()
    handelse.save()
    audit_record(
        actor=actor,
        action="handelse_registrera",
        obj=handelse,
        arende=arende,
        after={"typ": typ, "datum": datum.isoformat(), **data},
    )
    bevakningar_berakna(arende=arende)
    return handelse
