"""The authority's steps: people and cases opened, reports, applications,
investigations, communication, decisions and uppdrag with their warnings, execution,
closing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.audit.services import audit_record
from uppfolj.domain.engine import evaluate
from uppfolj.domain.rules import WARNING_RULES_BY_ID
from uppfolj.domain.timeline import BEVILJANDE_UTFALL, INSATS_NAMN, Event

from ..access import require_handle, require_visible
from ..models import (
    LAGRUM_BISTAND,
    Anmalan,
    Ansokan,
    Arende,
    Avslut,
    Beslut,
    Handelse,
    OvrigInsats,
    Person,
    Uppdrag,
    Utredning,
    VarningKvittens,
)
from .handelser import (
    _dokument_registrera,
    _handelse_registrera,
    arende_timeline,
    handelse_as_event,
    local_defaults,
    save_event,
    snapshot,
)
from .journal import journal_skriv

# --- People and cases -------------------------------------------------------------


@transaction.atomic
def person_registrera(*, actor: Any, **fields: Any) -> Person:
    """Register a person (the individual)."""
    require_handle(actor, None)
    person = Person(**fields)
    person.full_clean()
    person.save()
    audit_record(actor=actor, action="person_registrera", obj=person, after=snapshot(person))
    return person


@transaction.atomic
def arende_oppna(
    *,
    actor: Any,
    person: Person,
    insats: str,
    distrikt: Distrikt,
    verksamhetsomrade: str = "",
    boendeform: str = "",
    handlaggare: Any = None,
) -> Arende:
    """Open a case for one insats; the case id is the year and a running number."""
    require_handle(actor, None)
    year = timezone.localdate().year
    taken = Arende.objects.filter(arende_id__startswith=f"{year}-").count()
    arende = Arende(
        arende_id=f"{year}-{taken + 1:04d}",
        person=person,
        insats=insats,
        distrikt=distrikt,
        verksamhetsomrade=verksamhetsomrade,
        boendeform=boendeform,
        handlaggare=handlaggare or actor,
    )
    while Arende.objects.filter(arende_id=arende.arende_id).exists():
        taken += 1
        arende.arende_id = f"{year}-{taken + 1:04d}"
    arende.full_clean()
    arende.save()
    audit_record(
        actor=actor, action="arende_oppna", obj=arende, arende=arende, after=snapshot(arende)
    )
    return arende


# --- The authority's steps ----------------------------------------------------------


@transaction.atomic
def anmalan_registrera(*, actor: Any, arende: Arende, datum: date, **fields: Any) -> Anmalan:
    """Register a report of need (anmälan om behov) made by someone else."""
    return _dokument_registrera(
        actor=actor,
        arende=arende,
        action="anmalan_registrera",
        typ="anmalan",
        datum=datum,
        event_data={},
        document=Anmalan(**fields),
    )


@transaction.atomic
def ansokan_registrera(*, actor: Any, arende: Arende, datum: date, **fields: Any) -> Ansokan:
    """Register the individual's application."""
    return _dokument_registrera(
        actor=actor,
        arende=arende,
        action="ansokan_registrera",
        typ="ansokan",
        datum=datum,
        event_data={},
        document=Ansokan(**fields),
    )


@transaction.atomic
def utredning_registrera(*, actor: Any, arende: Arende, datum: date, **fields: Any) -> Utredning:
    """Register the investigation; a support level assessed in it becomes an event too."""
    utredning = Utredning(**fields)

    def record_level(saved: Utredning) -> None:
        if saved.stodniva:
            save_event(actor, arende, "stodniva_bedomd", datum, {"niva": saved.stodniva})

    return _dokument_registrera(
        actor=actor,
        arende=arende,
        action="utredning_registrera",
        typ="utredning",
        datum=datum,
        event_data={"barnperspektiv": bool(utredning.barnperspektiv.strip())},
        document=utredning,
        after_save=record_level,
    )


@transaction.atomic
def kommunicering_registrera(
    *, actor: Any, arende: Arende, datum: date, avbojd: bool, anteckning: str = ""
) -> Handelse:
    """Register that the underlag was communicated, or that the individual declined it."""
    typ = "kommunicering_avbojd" if avbojd else "kommunicerat"
    handelse = _handelse_registrera(actor, arende, typ, datum, {}, "kommunicering_registrera")
    if avbojd:
        # 003: a declined communication is documented in the individual's journal.
        journal_skriv(
            actor=actor,
            arende=arende,
            datum=datum,
            rubrik="Kommunicering avböjd",
            text=anteckning or "Den enskilde har avböjt att ta del av utredningen före beslut.",
        )
    return handelse


@dataclass(frozen=True)
class ProposedWarning:
    rule: str
    message: str

    @property
    def text(self) -> str:
        return WARNING_RULES_BY_ID[self.rule].text


class WarningsNeedReasons(ValidationError):
    """Warnings that the user must answer with a written reason before saving."""

    def __init__(self, warnings: list[ProposedWarning]):
        self.warnings = warnings
        super().__init__("Ange skäl för att gå vidare trots varningarna.")


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def new_timeline_warnings(arende: Arende, event: Event, rules: set[str]) -> list[ProposedWarning]:
    before = evaluate(arende_timeline(arende), event.date, local_defaults()).varningar
    after = evaluate(arende_timeline(arende, (event,)), event.date, local_defaults()).varningar
    seen = Counter((w.rule, w.date) for w in before)
    new = []
    for warning in after:
        key = (warning.rule, warning.date)
        if seen[key]:
            seen[key] -= 1
        elif warning.rule in rules:
            new.append(ProposedWarning(warning.rule, warning.message))
    return new


def beslut_varningar(
    *,
    arende: Arende,
    datum: date,
    utfall: str,
    fran: date,
    till: date | None,
    aterkallelseforbehall: bool,
    minuter_per_vecka: int | None = None,
) -> list[ProposedWarning]:
    """Return the warnings a decision with these fields would raise (RULES.md Warnings)."""
    event = Event(
        date=datum,
        type="beslut",
        utfall=utfall,
        from_date=fran,
        to_date=till,
        minuter_per_vecka=minuter_per_vecka,
        aterkallelseforbehall=aterkallelseforbehall,
    )
    warnings = new_timeline_warnings(arende, event, {"GEN-ATERKALL-6M", "GEN-KOMMUNICERING"})
    person = arende.person
    if utfall in BEVILJANDE_UTFALL:
        others = {
            "GEN-KOMB-HEMTJANST": ({"boendestod"}, {OvrigInsats.Typ.HEMTJANST}),
            "GEN-KOMB-SBMS": (
                {"boendestod", "socialt_boende_med_stod"},
                {OvrigInsats.Typ.BOENDESTOD, OvrigInsats.Typ.SOCIALT_BOENDE_MED_STOD},
            ),
        }
        for rule, (insatser, other_types) in others.items():
            if arende.insats not in insatser:
                continue
            wanted = (other_types - {arende.insats}) if rule == "GEN-KOMB-SBMS" else other_types
            overlapping = [
                f"{o.get_typ_display()} {o.fran}–{o.till or 'tills vidare'}"
                for o in person.ovriga_insatser.filter(typ__in=wanted)
                if _overlaps(fran, till, o.fran, o.till)
            ]
            if rule == "GEN-KOMB-SBMS":
                other_insats = ({"boendestod", "socialt_boende_med_stod"} - {arende.insats}).pop()
                # Decisions are read from the events, so that cases imported from
                # another system (which have no Beslut document) count too.
                for handelse in Handelse.objects.filter(
                    arende__person=person, arende__insats=other_insats, typ="beslut"
                ).select_related("arende"):
                    decision = handelse_as_event(handelse)
                    start = decision.from_date or decision.date
                    if decision.utfall in BEVILJANDE_UTFALL and _overlaps(
                        fran, till, start, decision.to_date
                    ):
                        overlapping.append(
                            f"{INSATS_NAMN[other_insats]} {start}–"
                            f"{decision.to_date or 'tills vidare'} ({handelse.arende})"
                        )
            if overlapping:
                warnings.append(
                    ProposedWarning(
                        rule,
                        f"{WARNING_RULES_BY_ID[rule].text}: {', '.join(overlapping)}.",
                    )
                )
    # The utredning event records whether the child perspective was described, for
    # investigations made here and imported alike.
    if (
        person.minderariga_barn
        and not arende.handelser.filter(typ="utredning", data__barnperspektiv=True).exists()
    ):
        warnings.append(
            ProposedWarning(
                "GEN-BARN",
                f"Det finns {person.minderariga_barn} minderåriga barn i hushållet men "
                "utredningen redovisar inget barnperspektiv.",
            )
        )
    return warnings


def require_reasons(warnings: list[ProposedWarning], skal: dict[str, str] | None) -> dict[str, str]:
    skal = {rule: text.strip() for rule, text in (skal or {}).items() if text and text.strip()}
    missing = [w for w in warnings if w.rule not in skal]
    if missing:
        raise WarningsNeedReasons(warnings)
    return skal


def store_reasons(
    actor: Any, arende: Arende, datum: date, warnings: list[ProposedWarning], skal: dict[str, str]
) -> None:
    for warning in warnings:
        kvittens = VarningKvittens.objects.create(
            arende=arende, regel=warning.rule, datum=datum, skal=skal[warning.rule], aktor=actor
        )
        audit_record(
            actor=actor,
            action="varning_kvittera",
            obj=kvittens,
            arende=arende,
            after={"regel": warning.rule, "skal": kvittens.skal},
        )


@transaction.atomic
def beslut_fatta(
    *,
    actor: Any,
    arende: Arende,
    datum: date,
    utfall: str,
    fran: date,
    till: date | None,
    aterkallelseforbehall: bool,
    motivering: str,
    minuter_per_vecka: int | None = None,
    lagrum: str = LAGRUM_BISTAND,
    beslutsfattare: Any = None,
    skal: dict[str, str] | None = None,
) -> Beslut:
    """Record a decision; each warning it raises needs a written reason."""
    require_handle(actor, arende)
    errors: dict[str, str] = {}
    if datum > timezone.localdate():
        errors["datum"] = "Datumet får inte ligga i framtiden."
    if till is not None and till < fran:
        errors["till"] = "Slutdatumet ligger före startdatumet."
    if arende.insats == "boendestod" and utfall in BEVILJANDE_UTFALL and not minuter_per_vecka:
        errors["minuter_per_vecka"] = "Ange beviljad tid i timmar och minuter per vecka."
    if errors:
        raise ValidationError(errors)
    warnings = beslut_varningar(
        arende=arende,
        datum=datum,
        utfall=utfall,
        fran=fran,
        till=till,
        aterkallelseforbehall=aterkallelseforbehall,
        minuter_per_vecka=minuter_per_vecka,
    )
    reasons = require_reasons(warnings, skal)
    beslut = _dokument_registrera(
        actor=actor,
        arende=arende,
        action="beslut_fatta",
        typ="beslut",
        datum=datum,
        event_data={
            "utfall": utfall,
            "from": fran.isoformat(),
            "to": till.isoformat() if till else None,
            "minuter_per_vecka": minuter_per_vecka,
            "aterkallelseforbehall": aterkallelseforbehall,
        },
        document=Beslut(
            insats=arende.insats,
            lagrum=lagrum,
            utfall=utfall,
            minuter_per_vecka=minuter_per_vecka,
            fran=fran,
            till=till,
            aterkallelseforbehall=aterkallelseforbehall,
            motivering=motivering,
            beslutsfattare=beslutsfattare or actor,
        ),
    )
    store_reasons(actor, arende, datum, warnings, reasons)
    return beslut


def uppdrag_varningar(*, arende: Arende, underlag_ej_kommunicerat: bool) -> list[ProposedWarning]:
    """Return GEN-EJ-KOMMUNICERAT-UPPDRAG when the provider would not be told."""
    last = (
        arende.handelser.filter(typ__in=["kommunicerat", "kommunicering_avbojd"])
        .order_by("-datum", "-id")
        .first()
    )
    if last and last.typ == "kommunicering_avbojd" and not underlag_ej_kommunicerat:
        return [
            ProposedWarning(
                "GEN-EJ-KOMMUNICERAT-UPPDRAG",
                "Den enskilde avböjde kommunicering. Meddela utföraren i uppdraget att den "
                "enskilde inte tagit del av beslutsunderlaget.",
            )
        ]
    return []


@transaction.atomic
def uppdrag_skicka(
    *,
    actor: Any,
    arende: Arende,
    datum: date,
    utforare: Utforare,
    skal: dict[str, str] | None = None,
    **fields: Any,
) -> Uppdrag:
    """Send the uppdrag to a provider; the case moves to that provider's view."""
    require_handle(actor, arende)
    # The latest decision counts, whether made here or imported (then an event only).
    beslut = arende.handelser.filter(typ="beslut").order_by("-datum", "-id").first()
    if beslut is None or beslut.data.get("utfall") not in BEVILJANDE_UTFALL:
        raise ValidationError("Ett uppdrag kan skickas först när insatsen är beviljad.")
    uppdrag = Uppdrag(utforare=utforare, **fields)
    warnings = uppdrag_varningar(
        arende=arende, underlag_ej_kommunicerat=uppdrag.underlag_ej_kommunicerat
    )
    reasons = require_reasons(warnings, skal)

    def move_case(saved: Uppdrag) -> None:
        before = {"utforare": arende.utforare_id, "tatare_uppfoljning": arende.tatare_uppfoljning}
        arende.utforare = saved.utforare
        arende.tatare_uppfoljning = saved.tatare_uppfoljning
        arende.save(update_fields=["utforare", "tatare_uppfoljning"])
        audit_record(
            actor=actor,
            action="arende_utforare_andra",
            obj=arende,
            arende=arende,
            before=before,
            after={"utforare": arende.utforare_id, "tatare_uppfoljning": arende.tatare_uppfoljning},
        )

    saved = _dokument_registrera(
        actor=actor,
        arende=arende,
        action="uppdrag_skicka",
        typ="uppdrag_skickat",
        datum=datum,
        event_data={
            "stodniva": uppdrag.stodniva or None,
            "hyra_fran": uppdrag.hyra_fran.isoformat() if uppdrag.hyra_fran else None,
            "strukturerat": uppdrag.strukturerat,
        },
        document=uppdrag,
        after_save=move_case,
    )
    store_reasons(actor, arende, datum, warnings, reasons)
    return saved


@transaction.atomic
def verkstallighet_registrera(*, actor: Any, arende: Arende, datum: date, grad: str) -> Handelse:
    """Register that the decision is executed, in full or in part."""
    return _handelse_registrera(
        actor, arende, "verkstallt", datum, {"grad": grad}, "verkstallighet_registrera"
    )


@transaction.atomic
def avslut_registrera(
    *, actor: Any, arende: Arende, datum: date, skal: str, atgarder: str = ""
) -> Avslut:
    """Close the case with its reasons; BS-SLUTANT asks the provider for a final note."""
    require_handle(actor, arende)
    if arende.ar_avslutat():
        raise ValidationError("Ärendet är redan avslutat.")
    return _dokument_registrera(
        actor=actor,
        arende=arende,
        action="avslut_registrera",
        typ="avslut",
        datum=datum,
        event_data={},
        document=Avslut(skal=skal, atgarder=atgarder),
    )


@transaction.atomic
def varning_kvittera(
    *, actor: Any, arende: Arende, regel: str, datum: date, skal: str
) -> VarningKvittens:
    """Record a written reason for going ahead despite a stored warning."""
    require_visible(actor, arende)
    require_handle(actor, arende)
    if not arende.varningar.filter(regel=regel, datum=datum).exists():
        raise ValidationError("Varningen finns inte i ärendet.")
    if arende.kvittenser.filter(regel=regel, datum=datum).exists():
        raise ValidationError("Varningen är redan kvitterad.")
    if not skal.strip():
        raise ValidationError({"skal": "Skriv ett skäl."})
    kvittens = VarningKvittens.objects.create(
        arende=arende, regel=regel, datum=datum, skal=skal.strip(), aktor=actor
    )
    audit_record(
        actor=actor,
        action="varning_kvittera",
        obj=kvittens,
        arende=arende,
        after={"regel": regel, "datum": datum.isoformat(), "skal": kvittens.skal},
    )
    return kvittens
