"""`uppfolj gallring --lista` and `uppfolj gallring --gallra ID --ja`: retention on the CLI."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser

from uppfolj.arenden.gallring import arende_gallra, gallring_ar, gallringsbara_arenden
from uppfolj.arenden.models import Arende

from ._input import InputCommand, InputError


class Command(InputCommand):
    help = (
        "Lista avslutade ärenden vars gallringsfrist har gått ut, eller gallra ett av dem "
        "(raderar ärendet och allt som hör till det; loggas)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--lista", action="store_true", help="lista ärenden som kan gallras")
        what.add_argument("--gallra", metavar="ID", help="gallra ärendet med detta ärende-id")
        parser.add_argument("--ja", action="store_true", help="bekräfta gallringen")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["lista"]:
            self._lista()
            return
        arende_id = options["gallra"]
        arende = Arende.objects.filter(arende_id=arende_id).first()
        if arende is None:
            raise InputError(f"ärende {arende_id} finns inte")
        if not options["ja"]:
            raise InputError(
                f"gallringen raderar ärende {arende_id} och allt som hör till det; "
                "det går inte att ångra. Lägg till --ja för att bekräfta."
            )
        try:
            result = arende_gallra(actor=None, arende=arende, bekraftelse=arende_id)
        except ValidationError as error:
            raise InputError(f"ärende {arende_id}: {' '.join(error.messages)}") from None
        self.stdout.write(
            f"Ärende {result.arende_id} (avslutat {result.avslutad:%Y-%m-%d}) är gallrat: "
            f"{result.antal} poster raderade"
            f"{', personens uppgifter också' if result.person_raderad else ''}."
        )

    def _lista(self) -> None:
        rows = gallringsbara_arenden(user=None)
        vilka = "avslutat ärende har" if len(rows) == 1 else "avslutade ärenden har"
        self.stdout.write(f"{len(rows)} {vilka} passerat gallringsfristen ({gallring_ar()} år):")
        for row in rows:
            self.stdout.write(
                f"{row.arende.arende_id}\t{row.arende.get_insats_display()}\t"
                f"avslutat {row.avslutad:%Y-%m-%d}\tkan gallras från {row.gallras_fran:%Y-%m-%d}"
            )
