"""Reads for the follow-up: what the preparation gathers, and what the case page lists.

The caller has already found the case through Arende.objects.visible_to (the views'
visible_arende); these reads only add what belongs to that case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from uppfolj.accounts.models import Roll
from uppfolj.arenden.access import can_handle, is_visible
from uppfolj.arenden.models import Arende, Bevakning, Handelse, Uppdrag
from uppfolj.arenden.rader import arendets_rader
from uppfolj.arenden.selectors import sidans_handelser
from uppfolj.domain import checklistor, tid
from uppfolj.domain.engine import OPEN
from uppfolj.utforare.access import may_read_plan
from uppfolj.utforare.models import Genomforandeplan, Kontaktpersonal, Sammanstallning
from uppfolj.utforare.selectors_tid import tidsoversikt

from .models import PersonalensStodbehov, Uppfoljning, Uppfoljningsmote

# How many transferred summaries and follow-ups the pages show.
SAMMANSTALLNINGAR_VISAS = 2
UPPFOLJNINGAR_VISAS = 3
# Granted against delivered time over the last completed months.
TID_MANADER = 3


@dataclass(frozen=True)
class Tidssammanfattning:
    """Granted against delivered minutes over the last completed months."""

    manader: list[tid.Tidsperiod]  # newest first
    beviljat_per_vecka: int | None

    @property
    def beviljat(self) -> int:
        return sum(m.beviljat for m in self.manader)

    @property
    def utfort(self) -> int:
        return sum(m.utfort for m in self.manader)

    @property
    def procent(self) -> int | None:
        if not self.beviljat:
            return None
        return (200 * self.utfort + self.beviljat) // (2 * self.beviljat)

    @property
    def period(self) -> str:
        if not self.manader:
            return ""
        return f"{self.manader[-1].etikett} – {self.manader[0].etikett}"

    @property
    def text(self) -> str:
        """Return "Juni–augusti 2026: beviljat 39 tim 0 min, utfört 30 tim 15 min (78 %).\""""
        text = (
            f"{self.period}: beviljat {tid.tim_min(self.beviljat)}, "
            f"utfört {tid.tim_min(self.utfort)}"
        )
        return f"{text} ({self.procent} %)." if self.procent is not None else f"{text}."


def tidssammanfattning(arende: Arende, today: date) -> Tidssammanfattning | None:
    """Return granted against delivered time over the last completed months, or None when
    there is neither granted time nor any visit."""
    oversikt = tidsoversikt(arende, idag=today, antal_manader=TID_MANADER + 1)
    manader = [m for m in oversikt.manader if m.avslutad][:TID_MANADER]
    if not oversikt.beviljat_per_vecka and not any(m.beviljat or m.antal_besok for m in manader):
        return None
    return Tidssammanfattning(manader=manader, beviljat_per_vecka=oversikt.beviljat_per_vecka)


def kontaktpersonal(arende: Arende, today: date) -> list[Any]:
    """Return the contact staff assigned to the case today."""
    rows = (
        Kontaktpersonal.objects.filter(arende=arende, fran__lte=today)
        .filter(Q(till__isnull=True) | Q(till__gte=today))
        .select_related("personal")
        .order_by("fran", "id")
    )
    return list(dict.fromkeys(row.personal for row in rows))


def bokade_moten(arende: Arende) -> list[Uppfoljningsmote]:
    """Return the case's booked meetings not yet held, earliest first."""
    return arendets_rader(
        "bokade_moten",
        lambda a: a.uppfoljningsmoten.filter(status=Uppfoljningsmote.Status.BOKAT).order_by("tid"),
        arende,
    )


def _senaste(arende: Arende, typ: str) -> Handelse | None:
    return arende.handelser.filter(typ=typ).order_by("-datum", "-id").first()


@dataclass(frozen=True)
class Forberedelse:
    """Everything the social worker reads before a follow-up, in one place."""

    checklista: checklistor.Checklista
    uppdrag: Uppdrag | None
    # Imported cases carry their uppdrag and follow-ups as events only.
    uppdrag_handelse: Handelse | None
    beslut: Handelse | None
    plan: Genomforandeplan | None
    plan_lasbar: bool
    plan_handelse: Handelse | None
    sammanstallningar: list[Sammanstallning]
    tid: Tidssammanfattning | None
    bevakningar: list[Bevakning]
    visa_stodbehov: bool
    stodbehov: PersonalensStodbehov | None
    moten: list[Uppfoljningsmote]
    senaste: Uppfoljning | None
    senaste_handelse: Handelse | None
    kontaktpersonal: list[Any]


def forberedelse(arende: Arende, user: Any, today: date) -> Forberedelse:
    """Return the current plan (where `user` may read it), the latest transferred summaries,
    granted against delivered time, the open bevakningar and the staff's view of the need."""
    plan_lasbar = may_read_plan(user, arende, today=today)
    plan = None
    if plan_lasbar:
        plan = (
            arende.planer.select_related("skapad_av")
            .prefetch_related("delmal")
            .order_by("-version")
            .first()
        )
    lagenhetsboende = arende.boendeform == checklistor.LAGENHETSBOENDE
    return Forberedelse(
        checklista=checklistor.checklista_for(arende.insats),
        uppdrag=Uppdrag.objects.filter(arende=arende).select_related("utforare").last(),
        uppdrag_handelse=_senaste(arende, "uppdrag_skickat"),
        beslut=_senaste(arende, "beslut"),
        plan=plan,
        plan_lasbar=plan_lasbar,
        # A plan written in another system is known only by its event.
        plan_handelse=arende.handelser.filter(
            typ__in=["genomforandeplan_klar", "genomforandeplan_reviderad"]
        )
        .order_by("-datum", "-id")
        .first(),
        sammanstallningar=list(
            Sammanstallning.objects.filter(arende=arende, status=Sammanstallning.Status.OVERFORD)
            .select_related("skriven_av")
            .order_by("-period_till", "-id")[:SAMMANSTALLNINGAR_VISAS]
        ),
        tid=tidssammanfattning(arende, today),
        bevakningar=list(arende.bevakningar.filter(status=OPEN).order_by("forfaller", "regel")),
        visa_stodbehov=lagenhetsboende,
        stodbehov=(
            PersonalensStodbehov.objects.filter(arende=arende).select_related("skriven_av").first()
            if lagenhetsboende
            else None
        ),
        moten=bokade_moten(arende),
        senaste=arende.uppfoljningar.select_related("skriven_av").first(),
        senaste_handelse=_senaste(arende, "uppfoljning"),
        kontaktpersonal=kontaktpersonal(arende, today),
    )


def kan_lasa(user: Any) -> bool:
    """Return whether `user`'s role reads follow-ups: the authority, and inspectors."""
    roll = getattr(user, "roll", None)
    return bool(getattr(user, "is_myndighet", False) or roll == Roll.INSPEKTOR)


@dataclass(frozen=True)
class UppfoljningPanel:
    """The follow-up part of the authority's case page."""

    moten: list[Uppfoljningsmote]
    uppfoljningar: list[Uppfoljning]
    senaste_handelse: Handelse | None
    kan_handlagga: bool
    avslutat: bool
    verkstallt: bool


def uppfoljning_panel(arende: Arende, user: Any) -> UppfoljningPanel | None:
    """Return the booked meetings and latest follow-ups of the case, or None if `user` does
    not read follow-ups or may not see the case."""
    if not kan_lasa(user) or not is_visible(user, arende):
        return None
    handelser = sidans_handelser(arende)  # already read by the case page, oldest first
    if handelser is None:
        typer = set(
            arende.handelser.filter(typ__in=["verkstallt", "avslut"]).values_list("typ", flat=True)
        )
        senaste = _senaste(arende, "uppfoljning")
    else:
        typer = {h.typ for h in handelser}
        senaste = next((h for h in reversed(handelser) if h.typ == "uppfoljning"), None)
    return UppfoljningPanel(
        moten=bokade_moten(arende),
        uppfoljningar=arendets_rader(
            "uppfoljningar",
            lambda a: a.uppfoljningar.select_related("skriven_av")[:UPPFOLJNINGAR_VISAS],
            arende,
        ),
        senaste_handelse=senaste,
        kan_handlagga=can_handle(user, arende),
        avslutat="avslut" in typer,
        verkstallt="verkstallt" in typer,
    )
