"""`uppfolj granskning [--distrikt D] [--insats I] [--as-of DATE] [--json]` (GRANSKNING.md)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.arenden.management.commands._input import InputCommand, InputError
from uppfolj.arenden.models import Kon, Verksamhetsomrade
from uppfolj.domain.timeline import BOENDESTOD, INSATSER, TimelineError, parse_date
from uppfolj.granskning.selectors import granskning_berakna, urval_arenden
from uppfolj.granskning.tabeller import som_text

# From this many cases a progress bar is drawn on standard error.
PROGRESS_FROM = 500


def _as_of(value: str | None) -> date:
    if value is None:
        return timezone.localdate()
    try:
        return parse_date(value, "--as-of")
    except TimelineError as error:
        raise InputError(error.message) from None


def _one_of(value: str | None, allowed: list[str], what: str) -> str | None:
    if value is None or value in allowed:
        return value
    raise InputError(f'{what} "{value}" (tillåtna: {" | ".join(allowed)})')


def _named(value: str | None, model: Any, what: str) -> str | None:
    if value is None or model.objects.filter(namn=value).exists():
        return value
    names = list(model.objects.values_list("namn", flat=True))
    known = f"finns: {', '.join(names)}" if names else "inga finns"
    raise InputError(f'{what} "{value}" ({known})')


class Command(InputCommand):
    help = "Granskningens nyckeltal (GRANSKNING.md) för ett urval av ärenden."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--distrikt", help="distriktets namn (alla)")
        parser.add_argument("--insats", help=f"insats (i dag {BOENDESTOD})")
        parser.add_argument("--verksamhetsomrade", help="verksamhetsområde (alla)")
        parser.add_argument("--utforare", help="utförarens namn (alla)")
        parser.add_argument("--kon", help="kvinna | man (båda)")
        parser.add_argument("--as-of", dest="as_of", help="utvärderingsdatum ÅÅÅÅ-MM-DD (i dag)")
        parser.add_argument("--json", action="store_true", help="skriv ett JSON-objekt")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _as_of(options["as_of"])
        # Everything is checked before anything is computed or printed.
        given: dict[str, Any] = {
            "insats": _one_of(options["insats"], list(INSATSER), "okänd insats") or BOENDESTOD,
            "distrikt": _named(options["distrikt"], Distrikt, "okänt distrikt"),
            "verksamhetsomrade": _one_of(
                options["verksamhetsomrade"], Verksamhetsomrade.values, "okänt verksamhetsområde"
            ),
            "utforare": _named(options["utforare"], Utforare, "okänd utförare"),
            "kon": _one_of(options["kon"], Kon.values, "okänt kön"),
        }
        urval = {key: value for key, value in given.items() if value is not None}
        cases = urval_arenden(user_or_none=None, as_of=as_of, **urval)
        result = granskning_berakna(
            cases_queryset=cases, as_of=as_of, urval=urval, progress=self._progress
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(som_text(result))

    def _progress(self, done: int, total: int) -> None:
        """Draw a bar on standard error for large selections: on a terminal in place,
        otherwise (a scheduled run's log) a line at every tenth."""
        if total < PROGRESS_FROM:
            return
        step = max(total // 10, 1)
        terminal = self.stderr.isatty()
        if not terminal and done % step and done != total:
            return
        filled = 30 * done // total
        bar = f"Beräknar [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} ärenden"
        if terminal:
            self.stderr.write(f"\r{bar}", ending="\n" if done == total else "")
            self.stderr.flush()
        else:
            self.stderr.write(bar)
