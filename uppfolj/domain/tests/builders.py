"""Small builders for timelines and lookups in evaluations, shared by the domain tests."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from uppfolj.domain.engine import BevakningResult, Evaluation, WarningResult, evaluate
from uppfolj.domain.rules import DEFAULTS, LocalDefaults
from uppfolj.domain.timeline import Event, Timeline

_DATE_FIELDS = {"from_date", "to_date", "hyra_fran"}

# The specification lives beside the repository (CI clones it with ../shared beside it).
SHARED = Path(__file__).resolve().parents[3].parent / "shared"


def timeline_md_examples() -> tuple[dict[str, Any], dict[str, Any]]:
    """Return TIMELINE.md's example case and its output excerpt, freshly parsed."""
    text = (SHARED / "domain" / "TIMELINE.md").read_text(encoding="utf-8")
    case_json, excerpt = (
        json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)
    )
    return case_json, excerpt


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def day_after(iso: str) -> date:
    return d(iso) + timedelta(days=1)


def ev(iso: str, event_type: str, **fields: Any) -> Event:
    """Return an Event; date fields may be given as ISO strings."""
    for name in _DATE_FIELDS & fields.keys():
        if isinstance(fields[name], str):
            fields[name] = d(fields[name])
    return Event(date=d(iso), type=event_type, **fields)


def case(insats: str, *events: Event, tatare: bool = False, case_id: str = "T-1") -> Timeline:
    return Timeline(case_id=case_id, insats=insats, events=events, tatare_uppfoljning=tatare)


def run(timeline: Timeline, as_of: str | date, defaults: LocalDefaults = DEFAULTS) -> Evaluation:
    return evaluate(timeline, d(as_of) if isinstance(as_of, str) else as_of, defaults)


def instances(
    timeline: Timeline, as_of: str | date, rule: str, defaults: LocalDefaults = DEFAULTS
) -> list[BevakningResult]:
    """Return the instances of one rule, in the engine's order."""
    return [b for b in run(timeline, as_of, defaults).bevakningar if b.rule == rule]


def summary(
    timeline: Timeline, as_of: str | date, rule: str, defaults: LocalDefaults = DEFAULTS
) -> list[tuple[str, str, str, str | None]]:
    """Return (start, due, status, met_on) of each instance of one rule, as ISO strings."""
    return [
        (
            b.start.isoformat(),
            b.due.isoformat(),
            b.status,
            b.met_on.isoformat() if b.met_on else None,
        )
        for b in instances(timeline, as_of, rule, defaults)
    ]


def warnings(
    timeline: Timeline, as_of: str | date, rule: str, defaults: LocalDefaults = DEFAULTS
) -> list[WarningResult]:
    return [w for w in run(timeline, as_of, defaults).varningar if w.rule == rule]


def warning_dates(
    timeline: Timeline, as_of: str | date, rule: str, defaults: LocalDefaults = DEFAULTS
) -> list[str]:
    return [w.date.isoformat() for w in warnings(timeline, as_of, rule, defaults)]
