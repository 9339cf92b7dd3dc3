"""The samlarteam (003 "Samlarteamet"): the five-question checklist, start and evaluation.

An open samlarteam case, for the city-wide capacity (GEN-SAMLAR-KAPACITET): a boendestöd
case with a `samlarteam_start` on or before the day counted, after whose latest start
there is neither a `samlarteam_utvardering` that ends the samlarteam (data "avslutas":
true) nor a closing (`avslut`) of the case. An evaluation that continues the samlarteam,
or one imported without the "avslutas" field, leaves it open: 003 lets the insats go on
after the first three months, and only ends it when the individual "inte har förmåga
eller vilja att arbeta med sin samlarproblematik".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from uppfolj.arenden.access import require_visible
from uppfolj.arenden.models import Arende, Bevakning, Handelse, VarningKvittens
from uppfolj.arenden.services import (
    ProposedWarning,
    WarningsNeedReasons,
    handelse_registrera,
    require_oppet,
    snapshot,
)
from uppfolj.audit.services import audit_record
from uppfolj.domain.timeline import BOENDESTOD

from ..access import require_provider_staff
from ..models import SamlarteamChecklista

# 003 "en maxkapacitet på 20 ärenden åt gången" (GEN-SAMLAR-KAPACITET, fixed).
SAMLARTEAM_KAPACITET = 20
# 003 "Två till tre av checklistans fem frågor bör vara markerade JA" (GEN-SAMLAR-CHECKLISTA).
CHECKLISTA_MINST_JA = 2
SAMLARTEAM_VARNINGAR = ("GEN-SAMLAR-CHECKLISTA", "GEN-SAMLAR-KAPACITET")


def oppna_samlarteam(idag: date) -> QuerySet[Arende]:
    """Return every open samlarteam case city-wide on `idag` (see the module docstring).

    Deliberately not limited to what a user may see: the capacity is the city's, and
    only the count is ever shown.
    """
    starter = Handelse.objects.filter(
        arende=OuterRef("pk"), typ="samlarteam_start", datum__lte=idag
    ).order_by("-datum", "-id")
    avslutande = Handelse.objects.filter(
        arende=OuterRef("pk"), typ="samlarteam_utvardering", data__avslutas=True, datum__lte=idag
    ).filter(
        Q(datum__gt=OuterRef("samlar_start"))
        | Q(datum=OuterRef("samlar_start"), id__gt=OuterRef("samlar_start_id"))
    )
    avslut = Handelse.objects.filter(arende=OuterRef("pk"), typ="avslut", datum__lte=idag)
    return (
        Arende.objects.filter(insats=BOENDESTOD)
        .annotate(
            samlar_start=Subquery(starter.values("datum")[:1]),
            samlar_start_id=Subquery(starter.values("id")[:1]),
        )
        .filter(samlar_start__isnull=False)
        .exclude(Exists(avslutande))
        .exclude(Exists(avslut))
    )


@dataclass(frozen=True)
class Samlarteamstatus:
    """The samlarteam on one case: latest start, its evaluations, deadline, checklist."""

    start: Handelse | None
    utvarderingar: list[Handelse]
    oppen: bool
    bevakning: Bevakning | None
    checklista: SamlarteamChecklista | None
    checklistor: list[SamlarteamChecklista]
    antal_oppna_i_staden: int
    # The written reasons given for starting despite GEN-SAMLAR-CHECKLISTA or -KAPACITET.
    kvittenser: list[VarningKvittens]

    @property
    def kapacitet(self) -> int:
        return SAMLARTEAM_KAPACITET

    @property
    def checklista_svar(self) -> list[tuple[str, bool]]:
        """Return the latest checklist's questions with their answers."""
        if self.checklista is None:
            return []
        return list(zip(SamlarteamChecklista.FRAGOR, self.checklista.svar, strict=False))

    @property
    def checklista_varning(self) -> bool:
        return self.checklista is not None and self.checklista.antal_ja < CHECKLISTA_MINST_JA


def samlarteam_status(arende: Arende, idag: date) -> Samlarteamstatus:
    """Return the samlarteam's state on the case as of `idag`."""
    handelser = list(
        arende.handelser.filter(
            typ__in=["samlarteam_start", "samlarteam_utvardering"], datum__lte=idag
        ).order_by("datum", "id")
    )
    starter = [h for h in handelser if h.typ == "samlarteam_start"]
    start = starter[-1] if starter else None
    utvarderingar = (
        [h for h in handelser[handelser.index(start) + 1 :] if h.typ == "samlarteam_utvardering"]
        if start
        else []
    )
    oppen = (
        start is not None
        and not any(u.data.get("avslutas") for u in utvarderingar)
        and not arende.handelser.filter(typ="avslut", datum__lte=idag).exists()
    )
    checklistor = list(arende.samlarchecklistor.select_related("registrerad_av"))
    return Samlarteamstatus(
        start=start,
        utvarderingar=utvarderingar,
        oppen=oppen,
        bevakning=(
            arende.bevakningar.filter(regel="BS-SAMLAR-UTV-3M").order_by("-start").first()
            if start
            else None
        ),
        checklista=checklistor[0] if checklistor else None,
        checklistor=checklistor,
        antal_oppna_i_staden=oppna_samlarteam(idag).count(),
        kvittenser=list(
            arende.kvittenser.filter(regel__in=SAMLARTEAM_VARNINGAR).select_related("aktor")
        ),
    )


def _require_samlarteam_case(actor: Any, arende: Arende) -> None:
    require_visible(actor, arende)
    require_provider_staff(actor, arende)
    if arende.insats != BOENDESTOD:
        raise ValidationError("Samlarteamet ges bara inom boendestöd.")
    require_oppet(arende)


def _require_not_future(datum: date) -> None:
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Datumet får inte ligga i framtiden."})


@transaction.atomic
def samlarteam_checklista_registrera(
    *, actor: Any, arende: Arende, datum: date, svar: Sequence[bool]
) -> SamlarteamChecklista:
    """Register the five checklist answers given with the individual."""
    _require_samlarteam_case(actor, arende)
    _require_not_future(datum)
    if len(svar) != len(SamlarteamChecklista.FRAGOR) or not all(isinstance(s, bool) for s in svar):
        raise ValidationError("Svara ja eller nej på var och en av de fem frågorna.")
    checklista = SamlarteamChecklista(
        arende=arende, datum=datum, svar=list(svar), registrerad_av=actor
    )
    checklista.full_clean()
    checklista.save()
    audit_record(
        actor=actor,
        action="samlarteam_checklista_registrera",
        obj=checklista,
        arende=arende,
        after=snapshot(checklista),
    )
    return checklista


def samlarteam_varningar(*, arende: Arende, idag: date) -> list[ProposedWarning]:
    """Return GEN-SAMLAR-CHECKLISTA and GEN-SAMLAR-KAPACITET as a start would raise them."""
    warnings = []
    checklista = arende.samlarchecklistor.first()
    if checklista is None:
        warnings.append(
            ProposedWarning(
                "GEN-SAMLAR-CHECKLISTA",
                "Checklistan har inte fyllts i tillsammans med den enskilde.",
            )
        )
    elif checklista.antal_ja < CHECKLISTA_MINST_JA:
        warnings.append(
            ProposedWarning(
                "GEN-SAMLAR-CHECKLISTA",
                f"I checklistan {checklista.datum.isoformat()} besvarades {checklista.antal_ja} "
                f"av fem frågor med ja; två till tre bör vara ja.",
            )
        )
    oppna = oppna_samlarteam(idag).exclude(pk=arende.pk).count()
    if oppna >= SAMLARTEAM_KAPACITET:
        warnings.append(
            ProposedWarning(
                "GEN-SAMLAR-KAPACITET",
                f"Samlarteamet har redan {oppna} pågående ärenden i staden och tar "
                f"{SAMLARTEAM_KAPACITET} ärenden åt gången.",
            )
        )
    return warnings


@transaction.atomic
def samlarteam_starta(
    *, actor: Any, arende: Arende, datum: date, skal: dict[str, str] | None = None
) -> Handelse:
    """Start the samlarteam (BS-SAMLAR-UTV-3M); each warning it raises needs a reason."""
    _require_samlarteam_case(actor, arende)
    _require_not_future(datum)
    if samlarteam_status(arende, timezone.localdate()).oppen:
        raise ValidationError("Samlarteamet är redan startat i ärendet.")
    warnings = samlarteam_varningar(arende=arende, idag=timezone.localdate())
    reasons = {rule: text.strip() for rule, text in (skal or {}).items() if text and text.strip()}
    if any(w.rule not in reasons for w in warnings):
        raise WarningsNeedReasons(warnings)
    handelse = handelse_registrera(actor=actor, arende=arende, typ="samlarteam_start", datum=datum)
    for warning in warnings:
        kvittens = VarningKvittens.objects.create(
            arende=arende, regel=warning.rule, datum=datum, skal=reasons[warning.rule], aktor=actor
        )
        audit_record(
            actor=actor,
            action="varning_kvittera",
            obj=kvittens,
            arende=arende,
            after={"regel": warning.rule, "meddelande": warning.message, "skal": kvittens.skal},
        )
    return handelse


@transaction.atomic
def samlarteam_utvardera(*, actor: Any, arende: Arende, datum: date, avslutas: bool) -> Handelse:
    """Register the samlarteam's evaluation (meets BS-SAMLAR-UTV-3M); it may end it."""
    _require_samlarteam_case(actor, arende)
    _require_not_future(datum)
    status = samlarteam_status(arende, timezone.localdate())
    if not status.oppen or status.start is None:
        raise ValidationError("Samlarteamet är inte startat i ärendet.")
    if datum < status.start.datum:
        raise ValidationError(
            {
                "datum": f"Utvärderingen kan inte ligga före starten "
                f"({status.start.datum.isoformat()})."
            }
        )
    return handelse_registrera(
        actor=actor,
        arende=arende,
        typ="samlarteam_utvardering",
        datum=datum,
        data={"avslutas": avslutas},
    )
