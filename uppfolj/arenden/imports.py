"""`uppfolj import`: case timelines from another system become records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from personnummer import personnummer

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.audit.services import audit_record
from uppfolj.domain.timeline import Timeline, TimelineError, parse_date, parse_timeline

from .models import Arende, Handelse, Kon, Person, Verksamhetsomrade
from .services import bevakningar_berakna


@dataclass
class ImportResult:
    personer: int = 0
    arenden: int = 0
    handelser: int = 0


def _person_fields(raw: Any, case_id: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise TimelineError("fältet person ska vara ett JSON-objekt", case_id=case_id)

    def fail(message: str) -> TimelineError:
        return TimelineError(f"person: {message}", case_id=case_id)

    number = raw.get("personnummer")
    if not isinstance(number, str) or not personnummer.valid(number):
        raise fail(f'ogiltigt personnummer "{number}"')
    long_form = personnummer.parse(number).format(long_format=True)
    normalised = f"{long_form[:8]}-{long_form[8:]}"
    name = raw.get("namn")
    if not isinstance(name, str) or not name.strip():
        raise fail("namn saknas")
    first, _, last = name.strip().partition(" ")
    kon = raw.get("kon")
    if kon not in Kon.values:
        raise fail(f'okänt kön "{kon}" (tillåtna: kvinna | man)')
    try:
        fodd = parse_date(raw.get("fodd"), "fältet fodd") if raw.get("fodd") else None
    except TimelineError as error:
        raise fail(error.message) from None
    barn = raw.get("minderariga_barn", 0)
    if isinstance(barn, bool) or not isinstance(barn, int) or barn < 0:
        raise fail("minderariga_barn ska vara ett heltal (0 eller fler)")
    skyddad = raw.get("skyddad_identitet", False)
    if not isinstance(skyddad, bool):
        raise fail("skyddad_identitet ska vara true eller false")
    return {
        "personnummer": normalised,
        "fornamn": first,
        "efternamn": last or first,
        "kon": kon,
        "fodd": fodd or personnummer.parse(number).get_date(),
        "minderariga_barn": barn,
        "skyddad_identitet": skyddad,
    }


def validate_cases(cases: Sequence[Any]) -> list[tuple[Timeline, dict[str, Any]]]:
    """Return each case's timeline and person fields; raise TimelineError on the first bad one."""
    checked = []
    for raw in cases:
        timeline = parse_timeline(raw)
        person = _person_fields(raw.get("person"), timeline.case_id)
        if person is None:
            raise TimelineError("fältet person saknas", case_id=timeline.case_id)
        area = raw.get("verksamhetsomrade")
        if area is not None and area not in Verksamhetsomrade.values:
            raise TimelineError(
                f'okänt verksamhetsområde "{area}" '
                f"(tillåtna: {' | '.join(Verksamhetsomrade.values)})",
                case_id=timeline.case_id,
            )
        for key in ("distrikt", "utforare"):
            if raw.get(key) is not None and not isinstance(raw.get(key), str):
                raise TimelineError(f"fältet {key} ska vara en text", case_id=timeline.case_id)
        checked.append((timeline, person))
    return checked


@transaction.atomic
def arenden_importera(
    *, actor: Any, cases: Sequence[Any], handlaggare: Any = None, today: date | None = None
) -> ImportResult:
    """Load case timelines in the format of TIMELINE.md; all or nothing."""
    checked = validate_cases(cases)
    seen: set[str] = set()
    for timeline, _ in checked:
        if timeline.case_id in seen or Arende.objects.filter(arende_id=timeline.case_id).exists():
            raise TimelineError(
                "ärende-id finns redan och skrivs aldrig över", case_id=timeline.case_id
            )
        seen.add(timeline.case_id)

    result = ImportResult()
    for raw, (timeline, person_fields) in zip(cases, checked, strict=True):
        person, created = Person.objects.get_or_create(
            personnummer=person_fields["personnummer"], defaults=person_fields
        )
        if created:
            result.personer += 1
            audit_record(
                actor=actor,
                action="person_importera",
                obj=person,
                after={"personnummer": person.personnummer},
            )
        distrikt = (
            Distrikt.objects.get_or_create(namn=raw["distrikt"])[0] if raw.get("distrikt") else None
        )
        utforare = (
            Utforare.objects.get_or_create(namn=raw["utforare"])[0] if raw.get("utforare") else None
        )
        arende = Arende.objects.create(
            arende_id=timeline.case_id,
            person=person,
            insats=timeline.insats,
            boendeform=timeline.boendeform or "",
            verksamhetsomrade=raw.get("verksamhetsomrade") or "",
            distrikt=distrikt,
            utforare=utforare,
            tatare_uppfoljning=timeline.tatare_uppfoljning,
            handlaggare=handlaggare,
        )
        handelser = Handelse.objects.bulk_create(
            Handelse(
                arende=arende,
                typ=event_raw["type"],
                datum=event.date,
                data={k: v for k, v in event_raw.items() if k not in ("date", "type")},
            )
            # The raw events in date order, as the timeline sorted them.
            for event_raw, event in zip(
                sorted(raw.get("events", []), key=lambda e: e["date"]), timeline.events, strict=True
            )
        )
        audit_record(
            actor=actor,
            action="arende_importera",
            obj=arende,
            arende=arende,
            after={"arende_id": arende.arende_id, "handelser": len(handelser)},
        )
        bevakningar_berakna(arende=arende, today=today)
        result.arenden += 1
        result.handelser += len(handelser)
    return result
