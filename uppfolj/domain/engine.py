"""The rules engine: a timeline and an evaluation date in, bevakningar and warnings out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from .calendar import add_months
from .rules import (
    DEADLINE_RULES,
    DEFAULTS,
    WARNING_RULES_BY_ID,
    DeadlineRule,
    LocalDefaults,
)
from .timeline import Event, Timeline

MET = "met"
MET_LATE = "met_late"
OPEN = "open"
OVERDUE = "overdue"
REPORTED = "reported"
CANCELLED = "cancelled"
STATUSES = (MET, MET_LATE, OPEN, OVERDUE, REPORTED, CANCELLED)

STATUS_NAMN = {
    MET: "Uppfylld",
    MET_LATE: "Uppfylld för sent",
    OPEN: "Pågår",
    OVERDUE: "Försenad",
    REPORTED: "Rapporterad till IVO",
    CANCELLED: "Avbruten vid avslut",
}


@dataclass(frozen=True, slots=True)
class BevakningResult:
    """One deadline instance."""

    rule: str
    start: date
    due: date
    status: str
    met_on: date | None
    # Unmet and not ended by a closing: whether it is overdue depends on the day.
    running: bool = False

    def as_json(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "status": self.status,
            "met_on": self.met_on.isoformat() if self.met_on else None,
        }


@dataclass(frozen=True, slots=True)
class WarningResult:
    """One warning raised by an event of the timeline."""

    rule: str
    date: date
    message: str

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "date": self.date.isoformat(), "message": self.message}


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The engine's whole answer for one case on one date."""

    case_id: str
    as_of: date
    bevakningar: tuple[BevakningResult, ...]
    varningar: tuple[WarningResult, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "case_id": self.case_id,
            "as_of": self.as_of.isoformat(),
            "bevakningar": [b.as_json() for b in self.bevakningar],
            "varningar": [w.as_json() for w in self.varningar],
        }


def evaluate(timeline: Timeline, as_of: date, defaults: LocalDefaults = DEFAULTS) -> Evaluation:
    """Return every bevakning started by `as_of` and every timeline warning."""
    # Events dated after the evaluation date do not exist; sorting is stable,
    # so events of one day keep the order they were given in.
    events = [e for e in sorted(timeline.events, key=lambda e: e.date) if e.date <= as_of]
    bevakningar = [
        instance
        for rule in DEADLINE_RULES
        if rule.applies_to(timeline.insats, timeline.tatare_uppfoljning)
        for instance in _instances(rule, events, as_of, defaults)
    ]
    bevakningar.sort(key=lambda b: (b.due, b.rule, b.start))
    varningar = [
        warning
        for rule_id, check in WARNING_CHECKS.items()
        for warning in check(timeline, events, defaults)
        if _warning_applies(rule_id, timeline.insats)
    ]
    varningar.sort(key=lambda w: (w.date, w.rule))
    return Evaluation(timeline.case_id, as_of, tuple(bevakningar), tuple(varningar))


def _closing_index(events: Sequence[Event]) -> int | None:
    return next((i for i, event in enumerate(events) if event.type == "avslut"), None)


def _instances(
    rule: DeadlineRule, events: Sequence[Event], as_of: date, defaults: LocalDefaults
) -> Iterator[BevakningResult]:
    closing = _closing_index(events)
    # After the closing, nothing but the closing itself starts an instance,
    # and no event after it meets an instance started before it.
    last_start = len(events) - 1 if closing is None else closing
    index = 0
    while index <= last_start:
        event = events[index]
        starts_here = (
            event.type in rule.starts_on
            and rule.start_condition(events, index)
            and (index != closing or "avslut" in rule.starts_on)
        )
        if not starts_here:
            index += 1
            continue
        chain_index: int | None = index
        while chain_index is not None:
            start_event = events[chain_index]
            instance, met_index = _resolve(
                rule,
                events,
                chain_index,
                start_event.date,
                rule.due(start_event, defaults),
                closing,
                as_of,
            )
            yield instance
            chain_index = None
            if rule.recurring and met_index is not None:
                met_event = events[met_index]
                closing_date = events[closing].date if closing is not None else None
                if rule.restarts_chain(met_event.type) and (
                    closing_date is None or met_event.date < closing_date
                ):
                    chain_index = met_index
                else:
                    index = met_index
            elif rule.recurring:
                # An unmet instance of a recurring rule stays the chain's last.
                return
        index += 1


def _resolve(
    rule: DeadlineRule,
    events: Sequence[Event],
    start_index: int,
    start: date,
    due: date,
    closing: int | None,
    as_of: date,
) -> tuple[BevakningResult, int | None]:
    horizon = len(events) if closing is None or start_index >= closing else closing + 1
    for index in range(start_index + 1, horizon):
        event = events[index]
        if event.type in rule.met_by:
            status = MET if event.date <= due else MET_LATE
            return BevakningResult(rule.id, start, due, status, event.date), index
        if event.type in rule.reported_by and event.date > due:
            return BevakningResult(rule.id, start, due, REPORTED, event.date), index
    if closing is not None and start_index < closing:
        status = CANCELLED if due >= events[closing].date else OVERDUE
        return BevakningResult(rule.id, start, due, status, None), None
    status = OPEN if as_of <= due else OVERDUE
    return BevakningResult(rule.id, start, due, status, None, running=True), None


# --- Warnings decided from the timeline alone -------------------------------------

WarningCheck = Callable[[Timeline, Sequence[Event], LocalDefaults], list[WarningResult]]


def _decision_shorter_than_six_months(event: Event) -> bool:
    if event.to_date is None:
        return False
    start = event.from_date or event.date
    # A decision 1 March – 31 August lasts until 1 September: shorter than
    # six months exactly when the day after its end comes before start + 6 months.
    return date.fromordinal(event.to_date.toordinal() + 1) < add_months(start, 6)


def check_aterkallelseforbehall(
    timeline: Timeline, events: Sequence[Event], defaults: LocalDefaults
) -> list[WarningResult]:
    return [
        WarningResult(
            "GEN-ATERKALL-6M",
            event.date,
            f"Beslutet gäller {_period_text(event)}, kortare än sex månader, och bör "
            "inte ha återkallelseförbehåll.",
        )
        for event in events
        if event.type == "beslut"
        and event.aterkallelseforbehall
        and _decision_shorter_than_six_months(event)
    ]


def _period_text(event: Event) -> str:
    start = event.from_date or event.date
    return f"{start.isoformat()}–{event.to_date.isoformat() if event.to_date else ''}"


def check_kommunicering(
    timeline: Timeline, events: Sequence[Event], defaults: LocalDefaults
) -> list[WarningResult]:
    warnings = []
    communicated = False
    for event in events:
        if event.type in ("kommunicerat", "kommunicering_avbojd"):
            communicated = True
        elif event.type == "beslut":
            if not communicated:
                warnings.append(
                    WarningResult(
                        "GEN-KOMMUNICERING",
                        event.date,
                        "Beslutet fattades utan att underlaget kommunicerats med den enskilde "
                        "eller att den enskilde avböjt kommunicering.",
                    )
                )
            # Each decision needs its own communication of its underlag.
            communicated = False
    return warnings


def check_stodniva_change(
    timeline: Timeline, events: Sequence[Event], defaults: LocalDefaults
) -> list[WarningResult]:
    warnings = []
    level: str | None = None
    set_on: date | None = None
    for event in events:
        new_level = event.assessed_level
        if new_level is None or new_level == level:
            continue
        if (
            level is not None
            and set_on is not None
            and event.date < add_months(set_on, 1)
            and not event.sarskilt_behov
        ):
            warnings.append(
                WarningResult(
                    "SBMS-NIVA-1M",
                    event.date,
                    f"Stödnivån ändrades från {_niva(level)} till {_niva(new_level)} mindre än "
                    f"en månad efter att den sattes ({set_on.isoformat()}) utan angivet "
                    "särskilt behov.",
                )
            )
        level, set_on = new_level, event.date
    return warnings


def _niva(level: str) -> str:
    return {"lag": "låg", "medel": "medel", "hog": "hög"}[level]


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def check_egenavgift(
    timeline: Timeline, events: Sequence[Event], defaults: LocalDefaults
) -> list[WarningResult]:
    warnings = []
    unpaid_months: set[int] = set()
    window = defaults.egenavgift_fonster_manader
    threshold = defaults.egenavgift_obetalda_manader
    for event in events:
        if event.type != "egenavgift_obetald":
            continue
        month = _month_number(event.date)
        unpaid_months.add(month)
        recent = sum(1 for m in unpaid_months if month - window < m <= month)
        if recent >= threshold:
            warnings.append(
                WarningResult(
                    "SBMS-EGENAVG-UPPREPAD",
                    event.date,
                    f"Egenavgiften är obetald för {recent} av de senaste {window} månaderna. "
                    "Diskutera förmedling, god man eller förvaltare.",
                )
            )
    return warnings


WARNING_CHECKS: dict[str, WarningCheck] = {
    "GEN-ATERKALL-6M": check_aterkallelseforbehall,
    "GEN-KOMMUNICERING": check_kommunicering,
    "SBMS-NIVA-1M": check_stodniva_change,
    "SBMS-EGENAVG-UPPREPAD": check_egenavgift,
}


def _warning_applies(rule_id: str, insats: str) -> bool:
    return insats in WARNING_RULES_BY_ID[rule_id].insatser
