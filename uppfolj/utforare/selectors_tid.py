"""Granted against delivered time for one case, read from its decisions and its visits.

The caller has already decided that the user may see the case (utforare.access or the
authority's case page); these reads add nothing the case page does not show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from uppfolj.arenden.models import Arende
from uppfolj.arenden.rader import arendets_rader
from uppfolj.arenden.selectors import sidans_handelser
from uppfolj.domain import tid
from uppfolj.domain.calendar import add_months
from uppfolj.domain.sortering import svensk_nyckel
from uppfolj.domain.timeline import BEVILJANDE_UTFALL

from .models import Besok

# How far back the time pages look: two months of weeks, and the three months that
# GEN-KONTINUITET counts, with the current month.
VECKOR_VISAS = 8
MANADER_VISAS = 4
# The time warning looks further back, so that it can say how long a run has lasted.
VECKOR_AVVIKELSE = 26


@dataclass(frozen=True)
class Personalrad:
    namn: str
    antal_besok: int
    minuter: int


@dataclass(frozen=True)
class Tidsoversikt:
    """The time register's figures for one case as of one day."""

    idag: date
    veckor: list[tid.Tidsperiod]  # newest first; the first is the current week
    manader: list[tid.Tidsperiod]  # newest first
    kontinuitet: tid.Kontinuitet
    personal: list[Personalrad]  # who made the visits within the continuity window
    kvall: int  # evening visits within the continuity window
    helg: int  # weekend visits within the continuity window
    tidsavvikelse: tid.Tidsavvikelse | None
    beviljat_per_vecka: int | None  # in force today
    avslutat: date | None
    under: int = tid.TID_UNDER_PROCENT
    over: int = tid.TID_OVER_PROCENT
    i_rad: int = tid.TID_VECKOR_I_RAD
    kontorstid_start: time = tid.KONTORSTID_START
    kontorstid_slut: time = tid.KONTORSTID_SLUT

    @property
    def denna_vecka(self) -> tid.Tidsperiod:
        return self.veckor[0]

    @property
    def forra_veckan(self) -> tid.Tidsperiod:
        return self.veckor[1]

    @property
    def har_uppgifter(self) -> bool:
        """Return whether there is any granted time or any visit to show."""
        periods = [*self.veckor, *self.manader]
        return bool(self.beviljat_per_vecka) or any(p.beviljat or p.antal_besok for p in periods)


def beviljanden(handelser: list[Any]) -> list[tid.Beviljande]:
    """Return the granting decisions among `handelser` (beslut events, oldest first)."""
    result = []
    for handelse in handelser:
        data = handelse.data
        if data.get("utfall") not in BEVILJANDE_UTFALL:
            # A refusal (avslag) of, say, more time does not end the decision in force.
            continue
        fran = date.fromisoformat(data["from"]) if data.get("from") else handelse.datum
        till = date.fromisoformat(data["to"]) if data.get("to") else None
        result.append(tid.Beviljande(fran, till, int(data.get("minuter_per_vecka") or 0)))
    return result


def _lokal_midnatt(dag: date) -> datetime:
    return timezone.make_aware(datetime.combine(dag, time.min))


def besokstider_och_forsta(
    arende: Arende, fran: date
) -> tuple[list[tuple[Besok, tid.Besokstid]], date | None]:
    """Return the case's visits from `fran` on, with their local wall-clock times, and the
    local date of its first registered visit (which may come before), in one query."""
    midnatt = _lokal_midnatt(fran)

    def fragan(a: Arende) -> QuerySet[Besok]:
        forsta = Besok.objects.filter(arende=a).order_by("start", "id").values("pk")[:1]
        return (
            Besok.objects.filter(arende=a)
            .filter(Q(start__gte=midnatt) | Q(pk=Subquery(forsta)))
            .select_related("personal")
            .order_by("start", "id")
        )

    # The day is part of the query's shape (compiled once per day and case page).
    besok: list[Besok] = arendets_rader(("besok", midnatt), fragan, arende)
    rader = [
        (b, tid.Besokstid(timezone.localtime(b.start), timezone.localtime(b.slut), b.personal_id))
        for b in besok
        if b.start >= midnatt
    ]
    return rader, timezone.localtime(besok[0].start).date() if besok else None


def tidsoversikt(
    arende: Arende,
    *,
    idag: date,
    antal_veckor: int = VECKOR_VISAS,
    antal_manader: int = MANADER_VISAS,
) -> Tidsoversikt:
    """Return the case's granted against delivered time per week and month as of `idag`,
    its visits outside office hours, GEN-KONTINUITET and the time warning."""
    alla = sidans_handelser(arende)  # already read by the case page, oldest first
    if alla is None:
        handelser = list(
            arende.handelser.filter(typ__in=["beslut", "avslut"], datum__lte=idag).order_by(
                "datum", "id"
            )
        )
    else:
        handelser = [h for h in alla if h.typ in ("beslut", "avslut") and h.datum <= idag]
    beslut = beviljanden([h for h in handelser if h.typ == "beslut"])
    avslutat = next((h.datum for h in handelser if h.typ == "avslut"), None)
    antal_avvikelse = max(antal_veckor, VECKOR_AVVIKELSE)
    forsta_veckan = tid.veckans_mandag(idag) - timedelta(weeks=antal_avvikelse - 1)
    forsta_manaden = add_months(idag.replace(day=1), -(antal_manader - 1))
    fran = min(forsta_veckan, forsta_manaden, tid.kontinuitet_fran(idag))
    rader, forsta = besokstider_och_forsta(arende, fran)
    besok = [b for _, b in rader]
    veckor = tid.veckooversikt(
        beslut=beslut, besok=besok, idag=idag, antal=antal_avvikelse, avslutat=avslutat
    )
    kontinuitet = tid.kontinuitet(besok, idag)
    inom = [(rad, b) for rad, b in rader if kontinuitet.fran <= b.dag <= idag]
    antal: Counter[int] = Counter()
    minuter: Counter[int] = Counter()
    namn: dict[int, str] = {}
    for rad, b in inom:
        antal[rad.personal_id] += 1
        minuter[rad.personal_id] += b.minuter
        namn[rad.personal_id] = rad.personal.visningsnamn
    typer = Counter(b.utanfor_kontorstid for _, b in inom)
    i_kraft = [b for b in beslut if b.galler(idag)]
    return Tidsoversikt(
        idag=idag,
        veckor=veckor[:antal_veckor],
        manader=tid.manadsoversikt(
            beslut=beslut, besok=besok, idag=idag, antal=antal_manader, avslutat=avslutat
        ),
        kontinuitet=kontinuitet,
        personal=sorted(
            (Personalrad(namn[p], antal[p], minuter[p]) for p in antal),
            key=lambda rad: (-rad.antal_besok, svensk_nyckel(rad.namn)),
        ),
        kvall=typer[tid.KVALL],
        helg=typer[tid.HELG],
        # Without a registered visit the register is not in use for the case: no warning.
        tidsavvikelse=tid.tidsavvikelse(veckor, forsta_besok=forsta) if forsta else None,
        beviljat_per_vecka=(
            i_kraft[-1].minuter_per_vecka
            if i_kraft and (not avslutat or idag <= avslutat)
            else None
        ),
        avslutat=avslutat,
    )
