"""Reports to IVO (GEN-IVO-3M, GEN-IVO-AVBROTT-3M): quarters, the selection, pseudonyms.

Each quarter IVO is sent an individual report for every decision not executed
within three months and every interruption not resumed within three months,
until it is executed (resumed) or the case is closed (RULES.md, Notes under
Deadlines). The quarter's list is taken as it stood on its last day, so a past
quarter's list stays the same when cases move on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from personnummer import personnummer as pnr

from uppfolj.accounts.models import Roll
from uppfolj.audit.services import audit_record
from uppfolj.domain.engine import CANCELLED, MET, REPORTED
from uppfolj.domain.rules import DEADLINE_RULES_BY_ID
from uppfolj.domain.timeline import BEVILJANDE_UTFALL

from . import services
from .access import HANDLAGGANDE_ROLLER, dolda_skyddade
from .models import Arende, Bevakning, Handelse, IvoRapport

EJ_VERKSTALLT = "GEN-IVO-3M"
AVBROTT = "GEN-IVO-AVBROTT-3M"
IVO_REGLER = (EJ_VERKSTALLT, AVBROTT)
TYP_NAMN = {EJ_VERKSTALLT: "Ej verkställt", AVBROTT: "Avbrott"}

# Who reads the IVO list; of them, HANDLAGGANDE_ROLLER also register the report.
IVO_LASARE: frozenset[str] = HANDLAGGANDE_ROLLER | {Roll.INSPEKTOR}

PSEUDONYM_SALT = "uppfolj.arenden.ivo.pseudonym"
PSEUDONYM_LANGD = 12

_KVARTAL_RE = re.compile(r"^\s*(\d{4})\s*-\s*[Kk]([1-4])\s*$")


# --- Quarters ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Kvartal:
    """A calendar quarter, written ÅÅÅÅ-Kn (2026-K3)."""

    ar: int
    nummer: int

    @classmethod
    def parse(cls, text: str) -> Kvartal:
        """Return the quarter written as ÅÅÅÅ-Kn; raise ValueError otherwise."""
        match = _KVARTAL_RE.match(text)
        if not match or not 1900 <= int(match[1]) <= 9999:
            raise ValueError(text)
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def for_date(cls, day: date) -> Kvartal:
        """Return the quarter `day` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def forsta_dag(self) -> date:
        return date(self.ar, 3 * self.nummer - 2, 1)

    @property
    def sista_dag(self) -> date:
        last_month = 3 * self.nummer
        return date(self.ar, last_month, 31 if last_month in (3, 12) else 30)

    def foregaende(self) -> Kvartal:
        return Kvartal(self.ar - 1, 4) if self.nummer == 1 else Kvartal(self.ar, self.nummer - 1)

    def nasta(self) -> Kvartal:
        return Kvartal(self.ar + 1, 1) if self.nummer == 4 else Kvartal(self.ar, self.nummer + 1)

    def __str__(self) -> str:
        return f"{self.ar}-K{self.nummer}"


def senaste_kvartal(today: date, antal: int = 8) -> list[Kvartal]:
    """Return the current quarter and the ones before it, newest first."""
    quarters = [Kvartal.for_date(today)]
    while len(quarters) < antal:
        quarters.append(quarters[-1].foregaende())
    return quarters


# --- Pseudonyms ---------------------------------------------------------------------------


def pseudonym(personnummer: str) -> str:
    """Return the person's IVO id: HMAC-SHA256 of the personnummer, keyed with the pseudonym key.

    The key is UPPFOLJ_PSEUDONYM_KEY (required in production); only outside
    production does it fall back to SECRET_KEY.

    The same person gets the same id every quarter, whatever format the number
    was written in; without the key the id cannot be traced back to the number.
    """
    try:
        normalised = pnr.parse(personnummer).format(long_format=True)
    except pnr.PersonnummerException:
        normalised = re.sub(r"\D", "", personnummer)
    key = settings.UPPFOLJ_PSEUDONYM_KEY or settings.SECRET_KEY
    digest = salted_hmac(PSEUDONYM_SALT, normalised, secret=key, algorithm="sha256").hexdigest()
    return digest[:PSEUDONYM_LANGD]


# --- The selection ------------------------------------------------------------------------


@dataclass(frozen=True)
class IvoRad:
    """One individual report: a decision not executed or an interruption not resumed."""

    arende: Arende
    regel: str
    pseudonym: str
    beslutsdatum: date | None
    dagar_sedan_beslut: int | None
    avbrott_fran: date | None
    forfaller: date
    forst_rapporterad: date | None

    @property
    def typ(self) -> str:
        return TYP_NAMN[self.regel]

    @property
    def kon(self) -> str:
        return self.arende.person.get_kon_display()

    @property
    def insats(self) -> str:
        return self.arende.get_insats_display()


def _ended_by(bevakning: Bevakning, handelser: list[Handelse], end: date) -> bool:
    # Anything that met or closed the instance before it fell due would have
    # settled it in time; what counts here comes after the due date.
    ending = DEADLINE_RULES_BY_ID[bevakning.regel].met_by | {"avslut"}
    return any(h.typ in ending and bevakning.forfaller < h.datum <= end for h in handelser)


def _beslutsdatum(bevakning: Bevakning, handelser: list[Handelse]) -> date | None:
    if bevakning.regel == EJ_VERKSTALLT:
        return bevakning.start
    decisions = [
        h.datum
        for h in handelser
        if h.typ == "beslut"
        and h.data.get("utfall") in BEVILJANDE_UTFALL
        and h.datum <= bevakning.start
    ]
    return max(decisions, default=None)


def ivo_urval(*, user: Any, kvartal: Kvartal, today: date) -> list[IvoRad]:
    """Return the quarter's individual reports among the cases `user` may see."""
    return _urval(Arende.objects.visible_to(user), kvartal=kvartal, today=today)


def ivo_dolda_skyddade(*, user: Any, kvartal: Kvartal, today: date) -> int:
    """Return how many of the quarter's individual reports concern protected cases that
    `user` may not see for want of a grant (ACC-SKYDDAD): the list says they exist, never
    which, so that the quarter's report to IVO is not short of them unknowingly."""
    return len(
        {rad.arende.pk for rad in _urval(dolda_skyddade(user), kvartal=kvartal, today=today)}
    )


def _urval(cases: QuerySet[Arende], *, kvartal: Kvartal, today: date) -> list[IvoRad]:
    end = kvartal.sista_dag
    as_of = min(today, end)
    # Unmet on the quarter's last day and due before it: overdue then, whether
    # still running, reported, executed later or closed later.
    bevakningar = list(
        Bevakning.objects.filter(
            arende__in=cases,
            regel__in=IVO_REGLER,
            forfaller__lt=end,
        )
        .exclude(status__in=[MET, CANCELLED])
        .select_related("arende__person", "arende__distrikt")
    )
    handelser: dict[int, list[Handelse]] = defaultdict(list)
    for handelse in Handelse.objects.filter(
        arende_id__in={b.arende_id for b in bevakningar},
        typ__in={"beslut", "verkstallt", "ateruppta", "avslut"},
        datum__lte=end,
    ).order_by("datum", "id"):
        handelser[handelse.arende_id].append(handelse)
    rows = []
    for bevakning in bevakningar:
        case_events = handelser[bevakning.arende_id]
        if _ended_by(bevakning, case_events, end):
            continue
        decided = _beslutsdatum(bevakning, case_events)
        rows.append(
            IvoRad(
                arende=bevakning.arende,
                regel=bevakning.regel,
                pseudonym=pseudonym(bevakning.arende.person.personnummer),
                beslutsdatum=decided,
                dagar_sedan_beslut=(as_of - decided).days if decided else None,
                avbrott_fran=bevakning.start if bevakning.regel == AVBROTT else None,
                forfaller=bevakning.forfaller,
                forst_rapporterad=bevakning.uppfylld if bevakning.status == REPORTED else None,
            )
        )
    rows.sort(key=lambda r: (r.beslutsdatum or r.forfaller, r.arende.arende_id, r.regel))
    return rows


def ivo_rapporter(*, user: Any) -> list[IvoRapport]:
    """Return the registered reports `user` may see: their district's, or all for inspectors."""
    reports = IvoRapport.objects.select_related("skickad_av", "distrikt").order_by(
        "-kvartal", "distrikt__namn"
    )
    if user.roll == Roll.INSPEKTOR:
        return list(reports)
    if user.roll in HANDLAGGANDE_ROLLER and user.distrikt_id:
        return list(reports.filter(distrikt_id=user.distrikt_id))
    return []


# --- Registering the report ---------------------------------------------------------------


def _require_registrar(actor: Any) -> None:
    if actor.roll not in HANDLAGGANDE_ROLLER or actor.distrikt_id is None:
        raise PermissionDenied("Din roll får inte registrera rapporter till IVO.")


@transaction.atomic
def ivo_rapport_registrera(*, actor: Any, kvartal: Kvartal, skickad: date) -> IvoRapport:
    """Register that the quarter's report was sent, with an ivo_rapport event on each case."""
    _require_registrar(actor)
    today = timezone.localdate()
    if skickad > today:
        raise ValidationError({"skickad": "Datumet får inte ligga i framtiden."})
    if skickad <= kvartal.sista_dag:
        raise ValidationError(
            {
                "skickad": f"Rapporten för {kvartal} kan registreras först efter kvartalets "
                f"slut ({kvartal.sista_dag:%Y-%m-%d})."
            }
        )
    earlier = (
        IvoRapport.objects.select_for_update()
        .select_related("skickad_av")
        .filter(kvartal=str(kvartal), distrikt_id=actor.distrikt_id)
        .first()
    )
    if earlier:
        raise ValidationError(
            f"Rapporten för {kvartal} är redan registrerad: skickad "
            f"{earlier.skickad:%Y-%m-%d} av {earlier.skickad_av.visningsnamn}."
        )
    rows = ivo_urval(user=actor, kvartal=kvartal, today=today)
    rapport = IvoRapport(
        kvartal=str(kvartal),
        distrikt_id=actor.distrikt_id,
        skickad=skickad,
        skickad_av=actor,
        antal=len(rows),
    )
    rapport.full_clean()
    rapport.save()
    audit_record(
        actor=actor,
        action="ivo_rapport_registrera",
        obj=rapport,
        after={
            "kvartal": rapport.kvartal,
            "distrikt": actor.distrikt_id,
            "skickad": skickad.isoformat(),
            "antal": rapport.antal,
            "rader": [{"arende": r.arende.arende_id, "regel": r.regel} for r in rows],
        },
    )
    cases = {r.arende.pk: r.arende for r in rows}
    for arende in cases.values():
        # Through the event service, so the case's bevakningar close as reported.
        services.handelse_registrera(
            actor=actor,
            arende=arende,
            typ="ivo_rapport",
            datum=skickad,
            data={"kvartal": str(kvartal)},
        )
    return rapport
