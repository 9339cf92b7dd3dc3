"""`uppfolj restore FIL --ja`: replace the whole database with a backup, recorded in the log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from uppfolj.audit.backup import BackupError, BackupToolError, check_restore_file, restore

from ._input import InputCommand, InputError


class Command(InputCommand):
    help = (
        "Ersätt hela databasen med en säkerhetskopia från uppfolj backup. Allt som ändrats "
        "sedan kopian togs går förlorat; stoppa servern först. Kräver --ja."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fil", metavar="FIL", help="säkerhetskopia från uppfolj backup")
        parser.add_argument(
            "--ja",
            action="store_true",
            help="bekräfta att databasen ska skrivas över med säkerhetskopian",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check_restore_file(options["fil"])
            if not options["ja"]:
                name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
                raise InputError(
                    f"återställningen skriver över databasen {name} med {options['fil']}; "
                    "allt som ändrats sedan kopian togs går förlorat. "
                    "Lägg till --ja för att bekräfta."
                )
            result = restore(options["fil"])
        except BackupError as error:
            raise InputError(str(error)) from None
        except BackupToolError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{result.databas}-databasen återställd från {result.fil}. "
            "Kör uppfolj migrate om kopian är från en äldre version."
        )
