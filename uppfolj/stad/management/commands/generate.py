"""`uppfolj generate --cases N --seed S [--distrikt K] [--idag YYYY-MM-DD]`: a synthetic city."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from uppfolj.arenden.management.commands._input import InputCommand, InputError
from uppfolj.lib.progress import Progress
from uppfolj.stad.generate import GenerateError, generate


def _integer(value: str | None, option: str, minimum: int) -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f'{option} ska vara ett heltal, inte "{value}"') from None
    if number < minimum:
        raise InputError(f"{option} ska vara minst {minimum}, inte {number}")
    return number


class Command(InputCommand):
    help = "Generera en syntetisk stad (distrikt, utförare, personal, personer och ärenden)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", metavar="N", help="antal ärenden")
        parser.add_argument("--seed", metavar="S", help="slumpfrö; samma frö ger samma data")
        parser.add_argument("--distrikt", metavar="K", help="antal distrikt (standard: N/4000)")
        parser.add_argument(
            "--idag",
            metavar="YYYY-MM-DD",
            help="dagen historikerna går fram till (standard: i dag)",
        )
        parser.add_argument("--tyst", action="store_true", help="ingen förloppsindikator")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] is None:
            raise InputError("ange antalet ärenden med --cases N")
        if options["seed"] is None:
            raise InputError("ange ett slumpfrö med --seed S")
        cases = _integer(options["cases"], "--cases", 1)
        seed = _integer(options["seed"], "--seed", 0)
        districts = _integer(options["distrikt"], "--distrikt", 1) if options["distrikt"] else None
        today = timezone.localdate()
        if options["idag"]:
            try:
                today = date.fromisoformat(options["idag"])
            except ValueError:
                raise InputError(
                    f'--idag ska vara ett datum ÅÅÅÅ-MM-DD, inte "{options["idag"]}"'
                ) from None
        started = time.monotonic()
        try:
            result = generate(
                cases=cases,
                seed=seed,
                districts=districts,
                today=today,
                progress=None if options["tyst"] else Progress(self.stderr),
                fakta_progress=(
                    None
                    if options["tyst"]
                    else Progress(self.stderr, "ärenden med granskningsfakta")
                ),
            )
        except GenerateError as error:
            raise InputError(str(error)) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{result.arenden} ärenden ({result.personer} personer, {result.handelser} händelser, "
            f"{result.bevakningar} bevakningar) i {result.distrikt} distrikt med "
            f"{result.anvandare} användare på {seconds:.1f} s "
            f"({result.arenden / max(seconds, 1e-9):.0f} ärenden/s)."
        )
