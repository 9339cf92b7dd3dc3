"""Support levels: the social worker's change of level, and the provider staff's view of it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uppfolj.arenden.access import require_handle, require_visible
from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import (
    ProposedWarning,
    bevakningar_berakna,
    new_timeline_warnings,
    require_reasons,
    save_event,
    snapshot,
    store_reasons,
)
from uppfolj.audit.services import audit_record
from uppfolj.domain.stodnivaer import STODNIVAER_BY_KOD, over_sex_timmar, sex_timmar_meddelande
from uppfolj.domain.timeline import Event
from uppfolj.utforare.access import require_provider_staff

from ..models import PersonalensStodbehov, StodnivaAndring
from ..selectors_stodniva import har_stodnivaer, stodniva_historik

EJ_LAGENHETSBOENDE = "Stödnivåer gäller bara socialt boende med stöd i lägenhetsboende."
AVSLUTAT = "Ärendet är avslutat; inget mer kan registreras i det."


def _require_open_lagenhetsboende(arende: Arende) -> None:
    if not har_stodnivaer(arende):
        raise ValidationError(EJ_LAGENHETSBOENDE)
    if arende.ar_avslutat():
        raise ValidationError(AVSLUTAT)


def handelsedatum(galler_fran: date, today: date) -> date:
    """Return the date of a level's event: the date it applies from, or today if later.

    An event may not lie in the future, and a level applying from a later date is
    assessed today.
    """
    return min(galler_fran, today)


def stodniva_varningar(
    *,
    arende: Arende,
    niva: str,
    datum: date,
    sarskilt_behov: str = "",
    bedomt_behov_minuter: int | None = None,
) -> list[ProposedWarning]:
    """Return the warnings a level set on `datum` would raise (SBMS-NIVA-1M, SBMS-NIVA-6H)."""
    event = Event(
        date=datum,
        type="stodniva_bedomd",
        niva=niva,
        sarskilt_behov=sarskilt_behov.strip() or None,
    )
    warnings = new_timeline_warnings(arende, event, {"SBMS-NIVA-1M"})
    if over_sex_timmar(niva, bedomt_behov_minuter):
        assert bedomt_behov_minuter is not None
        warnings.append(
            ProposedWarning("SBMS-NIVA-6H", sex_timmar_meddelande(bedomt_behov_minuter))
        )
    return warnings


@transaction.atomic
def stodniva_andra(
    *,
    actor: Any,
    arende: Arende,
    niva: str,
    galler_fran: date,
    hur_behovet_andrats: str = "",
    anledning: str = "",
    varaktighet: str = "",
    sarskilt_behov: str = "",
    bedomt_behov_minuter: int | None = None,
    personalens_bedomning: str = "",
    skal: dict[str, str] | None = None,
) -> StodnivaAndring:
    """Set or change the support level; each warning it raises needs a written reason."""
    require_handle(actor, arende)
    _require_open_lagenhetsboende(arende)
    if niva not in STODNIVAER_BY_KOD:
        raise ValidationError({"niva": "Välj stödnivå låg, medel eller hög."})
    historik = stodniva_historik(arende)
    aktuell = historik[0] if historik else None
    datum = handelsedatum(galler_fran, timezone.localdate())
    errors: dict[str, str] = {}
    if aktuell and datum < aktuell.datum:
        errors["galler_fran"] = (
            "Den nya nivån kan inte gälla från ett datum före den nuvarande nivåns "
            f"({aktuell.datum.isoformat()})."
        )
    if aktuell and niva != aktuell.niva:
        # 002: a change records how the need rose or fell, why, and for how long.
        if not hur_behovet_andrats.strip():
            errors["hur_behovet_andrats"] = "Ange på vilket sätt behovet har ändrats."
        if not anledning.strip():
            errors["anledning"] = "Ange anledningen till det förändrade behovet."
        if not varaktighet.strip():
            errors["varaktighet"] = "Ange behovets varaktighet över tid."
    if errors:
        raise ValidationError(errors)
    warnings = stodniva_varningar(
        arende=arende,
        niva=niva,
        datum=datum,
        sarskilt_behov=sarskilt_behov,
        bedomt_behov_minuter=bedomt_behov_minuter,
    )
    reasons = require_reasons(warnings, skal)
    handelse = save_event(
        actor,
        arende,
        "stodniva_bedomd",
        datum,
        {"niva": niva, "sarskilt_behov": sarskilt_behov.strip() or None},
    )
    andring = StodnivaAndring(
        arende=arende,
        handelse=handelse,
        niva=niva,
        galler_fran=galler_fran,
        hur_behovet_andrats=hur_behovet_andrats.strip(),
        anledning=anledning.strip(),
        varaktighet=varaktighet.strip(),
        sarskilt_behov=sarskilt_behov.strip(),
        bedomt_behov_minuter=bedomt_behov_minuter,
        personalens_bedomning=personalens_bedomning.strip(),
        registrerad_av=actor,
    )
    andring.full_clean()
    andring.save()
    audit_record(
        actor=actor,
        action="stodniva_andra",
        obj=andring,
        arende=arende,
        before={"niva": aktuell.niva if aktuell else None},
        after=snapshot(andring),
    )
    store_reasons(actor, arende, datum, warnings, reasons)
    bevakningar_berakna(arende=arende)
    return andring


@transaction.atomic
def personalens_stodbehov_registrera(
    *,
    actor: Any,
    arende: Arende,
    datum: date,
    behov_justeras: bool,
    hur_behovet_andrats: str = "",
    anledning: str = "",
    varaktighet: str = "",
) -> PersonalensStodbehov:
    """Record the provider staff's answers to the three questions of seed 002."""
    require_visible(actor, arende)
    require_provider_staff(actor, arende)
    _require_open_lagenhetsboende(arende)
    errors: dict[str, str] = {}
    if datum > timezone.localdate():
        errors["datum"] = "Datumet får inte ligga i framtiden."
    if behov_justeras:
        if not hur_behovet_andrats.strip():
            errors["hur_behovet_andrats"] = (
                "Beskriv på vilket sätt den enskildes behov av stöd har ökat eller minskat."
            )
        if not anledning.strip():
            errors["anledning"] = "Beskriv anledningen till det förändrade behovet."
        if not varaktighet.strip():
            errors["varaktighet"] = "Beskriv behovets varaktighet över tid."
    if errors:
        raise ValidationError(errors)
    bedomning = PersonalensStodbehov(
        arende=arende,
        datum=datum,
        behov_justeras=behov_justeras,
        hur_behovet_andrats=hur_behovet_andrats.strip(),
        anledning=anledning.strip(),
        varaktighet=varaktighet.strip(),
        skriven_av=actor,
    )
    bedomning.full_clean()
    bedomning.save()
    audit_record(
        actor=actor,
        action="personalens_stodbehov_registrera",
        obj=bedomning,
        arende=arende,
        after=snapshot(bedomning),
    )
    return bedomning
