"""Events on a case: the timeline the rules engine reads, the stored bevakningar, one
event or document registered with its audit row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from uppfolj.audit.services import audit_record
from uppfolj.domain.engine import OPEN, Evaluation, evaluate
from uppfolj.domain.rules import LocalDefaults
from uppfolj.domain.timeline import Event, Timeline, TimelineError, parse_event

from ..access import require_event_allowed
from ..fakta import fakta_berakna
from ..models import Arende, Bevakning, Dokument, Handelse, Varning

D = TypeVar("D", bound=Dokument)


def local_defaults() -> LocalDefaults:
    """Return the municipality's local defaults from the settings."""
    return LocalDefaults.from_mapping(settings.UPPFOLJ_LOKALA_STANDARDVARDEN)


def handelse_as_event(handelse: Handelse) -> Event:
    """Return the engine's view of a stored event."""
    return parse_event({**handelse.data, "date": handelse.datum.isoformat(), "type": handelse.typ})


def tidslinje(arende: Arende, events: Iterable[Event]) -> Timeline:
    """Return the case with `events` (oldest first) as the rules engine reads it."""
    return Timeline(
        case_id=arende.arende_id,
        insats=arende.insats,
        boendeform=arende.boendeform or None,
        tatare_uppfoljning=arende.tatare_uppfoljning,
        events=tuple(events),
    )


def arende_timeline(arende: Arende, extra: tuple[Event, ...] = ()) -> Timeline:
    """Return the case's timeline as the rules engine reads it, with `extra` events added."""
    rows = arende.handelser.order_by("datum", "id")
    return tidslinje(arende, (*(handelse_as_event(h) for h in rows), *extra))


def lagrade_rader(arende_pk: int, evaluation: Evaluation) -> tuple[list[Bevakning], list[Varning]]:
    """Return the rows stored for a case's evaluation: its bevakningar (a running one
    is open) and its warnings."""
    bevakningar = [
        Bevakning(
            arende_id=arende_pk,
            regel=b.rule,
            start=b.start,
            forfaller=b.due,
            status=OPEN if b.running else b.status,
            uppfylld=b.met_on,
        )
        for b in evaluation.bevakningar
    ]
    varningar = [
        Varning(arende_id=arende_pk, regel=w.rule, datum=w.date, meddelande=w.message)
        for w in evaluation.varningar
    ]
    return bevakningar, varningar


def bevakningar_berakna(*, arende: Arende, today: date | None = None) -> None:
    """Recompute and store the case's bevakningar, warnings and audit facts from its events
    (`omrakning.bevakningar_berakna_alla` does the same for many cases at once)."""
    today = today or timezone.localdate()
    fakta_berakna([arende.pk], today)
    bevakningar, varningar = lagrade_rader(
        arende.pk, evaluate(arende_timeline(arende), today, local_defaults())
    )
    Bevakning.objects.filter(arende=arende).delete()
    Varning.objects.filter(arende=arende).delete()
    Bevakning.objects.bulk_create(bevakningar)
    Varning.objects.bulk_create(varningar)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Return the model's fields as JSON-safe values for the audit log."""
    values = model_to_dict(obj)
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in values.items()
        if isinstance(value, str | int | float | bool | list | dict | date) or value is None
    }


def _check_event(typ: str, datum: date, data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if v is not None}
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Datumet får inte ligga i framtiden."})
    try:
        parse_event({**data, "date": datum.isoformat(), "type": typ})
    except TimelineError as error:
        raise ValidationError(error.message) from None
    return data


# What may still be recorded on a closed case: the provider's final documentation.
EFTER_AVSLUT = frozenset({"slutanteckning", "sammanstallning", "ivo_rapport"})


def require_oppet(arende: Arende) -> None:
    """Refuse a registration on a closed case."""
    if arende.ar_avslutat():
        raise ValidationError("Ärendet är avslutat; inget mer kan registreras i det.")


def save_event(actor: Any, arende: Arende, typ: str, datum: date, data: dict[str, Any]) -> Handelse:
    if typ not in EFTER_AVSLUT:
        require_oppet(arende)
    handelse = Handelse(
        arende=arende,
        typ=typ,
        datum=datum,
        data=_check_event(typ, datum, data),
        registrerad_av=actor,
    )
    handelse.full_clean()
    handelse.save()
    return handelse


@transaction.atomic
def handelse_registrera(
    *, actor: Any, arende: Arende, typ: str, datum: date, data: dict[str, Any] | None = None
) -> Handelse:
    """Register one event on a case, then recompute its bevakningar."""
    return _handelse_registrera(actor, arende, typ, datum, data or {}, "handelse_registrera")


def _handelse_registrera(
    actor: Any, arende: Arende, typ: str, datum: date, data: dict[str, Any], action: str
) -> Handelse:
    if actor is not None:
        require_event_allowed(actor, arende, typ)
    handelse = save_event(actor, arende, typ, datum, data)
    audit_record(
        actor=actor,
        action=action,
        obj=handelse,
        arende=arende,
        after={"typ": typ, "datum": datum.isoformat(), **handelse.data},
    )
    bevakningar_berakna(arende=arende)
    return handelse


def _dokument_registrera(
    *,
    actor: Any,
    arende: Arende,
    action: str,
    typ: str,
    datum: date,
    event_data: dict[str, Any],
    document: D,
    after_save: Callable[[D], None] | None = None,
) -> D:
    require_event_allowed(actor, arende, typ)
    handelse = save_event(actor, arende, typ, datum, event_data)
    document.arende = arende
    document.handelse = handelse
    document.datum = datum
    document.skapad_av = actor
    document.full_clean()
    document.save()
    if after_save:
        after_save(document)
    audit_record(actor=actor, action=action, obj=document, arende=arende, after=snapshot(document))
    bevakningar_berakna(arende=arende)
    return document
