"""`uppfolj import CASES.json …`: load case timelines into the database (TIMELINE.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from uppfolj.arenden.imports import arenden_importera
from uppfolj.domain.timeline import TimelineError

from ._input import InputCommand, InputError, describe_error, read_cases


class Command(InputCommand):
    help = "Läs in ärenden i tidslinjeformat (JSON); en transaktion per fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="CASES.json", help="fil, eller - för stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["files"]:
            cases = read_cases(path)
            try:
                result = arenden_importera(actor=None, cases=cases)
            except TimelineError as error:
                position = _position_of(cases, error)
                raise InputError(
                    f"{describe_error(path, position, error)} (filen lästes inte in)"
                ) from None
            self.stdout.write(
                f"{path}: {result.personer} personer, {result.arenden} ärenden och "
                f"{result.handelser} händelser inlästa."
            )


def _position_of(cases: list[Any], error: TimelineError) -> int | None:
    if error.case_id is not None:
        return None
    for position, raw in enumerate(cases):
        if not isinstance(raw, dict) or raw.get("case_id") in (None, ""):
            return position
    return None
