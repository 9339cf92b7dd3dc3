"""One synthetic case's history as timeline events (TIMELINE.md), in plain Python.

Each case is simulated from its first contact up to `today` with one random
generator, so a seed gives the same histories every time. A case's
`diligence` (how often a step is done in time) decides which deadlines are
missed: most cases are handled in time, some late, a few are never executed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from uppfolj.domain.calendar import add_months

BOENDESTOD = "boendestod"
SBMS = "socialt_boende_med_stod"
VOB = "vard_och_omsorgsboende"

# How often each insats is followed up (days), and by which event.
UPPFOLJNING_DAGAR = {BOENDESTOD: 89, SBMS: 91, VOB: 365}
ANTECKNINGSTYPER = ("anteckning",) * 12 + ("avbokning", "avbokning", "utebliven", "klagomal")


@dataclass
class Historik:
    """The events of one case in date order, with the document details they need."""

    insats: str
    today: date
    rng: random.Random
    events: list[dict[str, Any]] = field(default_factory=list)

    def add(self, day: date, event_type: str, **fields: Any) -> bool:
        """Add an event unless it would lie after today; return whether it was added."""
        if day > self.today:
            return False
        self.events.append({"date": day.isoformat(), "type": event_type, **fields})
        return True

    def later(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    def sorted_events(self) -> list[dict[str, Any]]:
        # Stable: events of one day keep the order they were added in.
        return sorted(self.events, key=lambda e: e["date"])


def simulate(insats: str, start: date, today: date, rng: random.Random) -> Historik:
    """Return the history of a case of `insats` begun on `start`, up to `today`."""
    h = Historik(insats, today, rng)
    diligence = rng.choice((0.97, 0.95, 0.9, 0.85, 0.7, 0.5))
    if rng.random() < 0.15:
        # Someone else reports the need first; the individual applies some days later.
        if not h.add(start, "anmalan"):
            return h
        start = h.later(start, 2, 14)
    if not h.add(start, "ansokan", form=rng.choice(("muntlig", "skriftlig", "skriftlig"))):
        return h
    day = h.later(start, 7, 25 if rng.random() < diligence else 70)
    if not h.add(day, "utredning", barnperspektiv=rng.random() < 0.7):
        return h
    day = h.later(day, 3, 8)
    if not h.add(day, "kommunicerat" if rng.random() < 0.9 else "kommunicering_avbojd"):
        return h
    day = h.later(day, 2, 7)
    if rng.random() < 0.06:
        if h.add(day, "beslut", utfall="avslag", **{"from": day.isoformat(), "to": None}):
            h.add(h.later(day, 5, 30), "avslut", skal="avslag")
        return h
    months = None if insats == VOB else rng.choice((6, 12, 12, 12))
    minutes = rng.choice((60, 90, 120, 150, 180, 240, 300, 360)) if insats == BOENDESTOD else None
    if not _decision(h, day, months, minutes):
        return h
    decided = day
    day = h.later(day, 1, 4)
    level = rng.choice(("lag", "medel", "medel", "hog")) if insats == SBMS else None
    hyra = h.later(day, 0, 10).isoformat() if insats == SBMS else None
    if not h.add(
        day,
        "uppdrag_skickat",
        stodniva=level,
        hyra_fran=hyra,
        strukturerat=rng.random() < 0.6,
    ):
        return h
    if insats == BOENDESTOD:
        contact = h.later(day, 1, 3 if rng.random() < diligence else 12)
        if not h.add(contact, "kontakt_tagen"):
            return h
        if rng.random() < 0.5:
            h.add(h.later(contact, 1, 7), "uppstartsmote")
    if rng.random() < 0.02:
        return h  # never executed: GEN-IVO-3M falls due
    execution = h.later(day, 5, 25 if rng.random() < diligence else 120)
    if not h.add(execution, "verkstallt", grad="helt" if rng.random() < 0.95 else "delvis"):
        return h
    ends = _running(h, execution, level, diligence)
    if months:
        _renewals(h, decided, months, minutes, diligence, ends)
    if ends is not None:
        h.add(ends, "avslut", skal=rng.choice(("behov_upphort", "flyttat", "avliden", "eget_val")))
        h.add(h.later(ends, 1, 20 if rng.random() < diligence else 60), "slutanteckning")
    return h


def _decision(h: Historik, day: date, months: int | None, minutes: int | None) -> bool:
    to = (add_months(day, months) - timedelta(days=1)).isoformat() if months else None
    return h.add(
        day,
        "beslut",
        utfall="bifall" if h.rng.random() < 0.9 else "delvis",
        minuter_per_vecka=minutes,
        aterkallelseforbehall=months == 12,
        **{"from": day.isoformat(), "to": to},
    )


def _renewals(
    h: Historik,
    decided: date,
    months: int,
    minutes: int | None,
    diligence: float,
    closed: date | None,
) -> None:
    """Renew the decision, mostly before it runs out, up to today or the closing."""
    ends = add_months(decided, months) - timedelta(days=1)
    while closed is None or ends < closed:
        if h.rng.random() < diligence:
            renewal = ends - timedelta(days=h.rng.randint(5, 30))
        else:
            renewal = ends + timedelta(days=h.rng.randint(3, 40))
        if closed is not None and renewal >= closed:
            return
        h.add(renewal - timedelta(days=h.rng.randint(3, 10)), "kommunicerat")
        if not _decision(h, renewal, 12, minutes):
            return
        ends = add_months(renewal, 12) - timedelta(days=1)


def _running(h: Historik, execution: date, level: str | None, diligence: float) -> date | None:
    """Add the events of the running insats; return the closing date if it closes."""
    rng = h.rng
    insats = h.insats
    closes = rng.random() < 0.18
    end = h.later(execution, 60, 900) if closes else h.today
    if end > h.today:
        end, closes = h.today, False
    plan_days = 28 if insats == BOENDESTOD else 14
    if rng.random() < diligence + 0.05:
        plan = h.later(execution, 5, plan_days if rng.random() < diligence else plan_days + 40)
        if plan < end:
            h.add(plan, "genomforandeplan_klar", delaktighet=rng.random() < 0.8)
            revision = h.later(plan, 300, 420)
            while revision < end and h.add(
                revision, "genomforandeplan_reviderad", delaktighet=rng.random() < 0.8
            ):
                revision = h.later(revision, 300, 420)
    _follow_ups(h, execution, end, diligence)
    if insats == BOENDESTOD:
        _notes(h, execution, end, diligence)
    if insats == SBMS and level is not None:
        day = h.later(execution, 60, 400)
        while day < end and rng.random() < 0.5:
            level = rng.choice([n for n in ("lag", "medel", "hog") if n != level])
            if not h.add(day, "stodniva_bedomd", niva=level):
                break
            day = h.later(day, 90, 500)
    if rng.random() < 0.06:
        _pause(h, execution, end, diligence)
    if rng.random() < 0.05:
        day = h.later(execution, 20, 600)
        if day < end and h.add(day, "sjukhusinlaggning"):
            h.add(min(h.later(day, 2, 30), end), "utskrivning")
    return end if closes else None


def _follow_ups(h: Historik, execution: date, end: date, diligence: float) -> None:
    rng = h.rng
    interval = UPPFOLJNING_DAGAR[h.insats]
    kind = "sammanstallning" if h.insats == BOENDESTOD else "uppfoljning"
    # In the less diligent cases the follow-ups stop some months before today:
    # the "follow-ups that never happened" of the inspectors' report.
    stop = h.today - timedelta(days=rng.randint(interval + 20, 2 * interval))
    day = execution
    period_start = execution
    while True:
        on_time = rng.random() < diligence
        day = h.later(day, interval - 30, interval if on_time else interval + 60)
        if day >= end or (diligence < 0.7 and day > stop):
            return
        fields: dict[str, Any] = {}
        if kind == "sammanstallning":
            fields = {
                "period_fran": period_start.isoformat(),
                "period_till": (day - timedelta(days=1)).isoformat(),
            }
            period_start = day
        if not h.add(day, kind, **fields):
            return


def _notes(h: Historik, execution: date, end: date, diligence: float) -> None:
    """Daily notes sampled every one to three weeks (a long gap in the less diligent cases)."""
    rng = h.rng
    note = execution
    while True:
        note = h.later(note, 7, 21 if rng.random() < diligence else 60)
        if note >= end:
            return
        typ = rng.choice(ANTECKNINGSTYPER)
        if not h.add(note, "daganteckning", anteckningstyp=typ):
            return
        if typ == "utebliven":
            # As the provider's note service does: a no-show starts the three-day routine.
            h.add(note, "utebliven_kontakt")
            if rng.random() < 0.8:
                h.add(h.later(note, 1, 3), "kontakt_aterupptagen")


def _pause(h: Historik, execution: date, end: date, diligence: float) -> None:
    rng = h.rng
    day = h.later(execution, 30, 500)
    if day >= end or not h.add(day, "paus"):
        return
    resumed = h.later(day, 10, 25 if rng.random() < diligence else 120)
    if resumed > h.today:
        return
    if (resumed - day).days > 30:
        h.add(day + timedelta(days=rng.randint(25, 30)), "paus_bedomd")
    if resumed < end:
        h.add(resumed, "ateruppta")
