"""`uppfolj omrakna [--idag YYYY-MM-DD] [--bara-fakta]`: the nightly recomputation.

Every case's stored bevakningar, warnings and audit facts as of the day
(`bevakningar_berakna_alla`), or only the audit facts (`fakta_berakna`, faster).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from uppfolj.arenden.fakta import fakta_berakna
from uppfolj.arenden.models import Arende
from uppfolj.arenden.omrakning import bevakningar_berakna_alla
from uppfolj.domain.timeline import TimelineError, parse_date
from uppfolj.lib.progress import Progress

from ._input import InputCommand, InputError

# The days the calendar arithmetic (twelve months back, a year ahead) can reach.
FORSTA, SISTA = date(1900, 1, 1), date(9998, 12, 31)


def _idag(value: str) -> date:
    try:
        day = parse_date(value, "--idag")
    except TimelineError as error:
        raise InputError(error.message) from None
    if not FORSTA <= day <= SISTA:
        raise InputError(
            f'--idag "{value}" ska ligga mellan {FORSTA.isoformat()} och {SISTA.isoformat()}'
        )
    return day


class Command(InputCommand):
    help = (
        "Räkna om varje ärendes lagrade bevakningar, varningar och granskningsfakta "
        "(körs varje natt)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--idag", metavar="YYYY-MM-DD", help="dagen att räkna om per (standard: i dag)"
        )
        parser.add_argument(
            "--bara-fakta",
            action="store_true",
            help="räkna bara om granskningsfakta (snabbare)",
        )
        parser.add_argument("--tyst", action="store_true", help="ingen förloppsindikator")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate() if options["idag"] is None else _idag(options["idag"])
        progress = None if options["tyst"] else Progress(self.stderr)
        started = time.monotonic()
        if options["bara_fakta"]:
            antal = fakta_berakna(
                Arende.objects.order_by("pk").values_list("pk", flat=True),
                today,
                progress=progress,
            )
            what = "granskningsfakta"
        else:
            antal = bevakningar_berakna_alla(today=today, progress=progress)
            what = "bevakningar, varningar och granskningsfakta"
        self.stdout.write(
            f"{antal} ärendens {what} omräknade per {today.isoformat()} "
            f"på {time.monotonic() - started:.1f} s."
        )
