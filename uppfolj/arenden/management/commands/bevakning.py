"""`uppfolj bevakning CASE.json … [--as-of YYYY-MM-DD]` (TIMELINE.md)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from uppfolj.arenden.services import local_defaults
from uppfolj.domain.engine import evaluate
from uppfolj.domain.timeline import TimelineError, parse_date, parse_timeline

from ._input import InputCommand, InputError, describe_error, read_cases


def as_of_date(value: str | None) -> date:
    if value is None:
        return timezone.localdate()
    try:
        return parse_date(value, "--as-of")
    except TimelineError as error:
        raise InputError(error.message) from None


class Command(InputCommand):
    help = "Beräkna bevakningar och varningar för ärenden i tidslinjeformat (JSON)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="CASE.json", help="fil, eller - för stdin")
        parser.add_argument("--as-of", dest="as_of", help="utvärderingsdatum ÅÅÅÅ-MM-DD (i dag)")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = as_of_date(options["as_of"])
        defaults = local_defaults()
        results = []
        # Everything is read and checked before anything is printed.
        for path in options["files"]:
            for position, raw in enumerate(read_cases(path)):
                try:
                    timeline = parse_timeline(raw)
                except TimelineError as error:
                    raise InputError(describe_error(path, position, error)) from None
                results.append(evaluate(timeline, as_of, defaults).as_json())
        self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
