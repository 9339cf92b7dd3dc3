"""`uppfolj backup FIL [--ja]`: a backup of the whole database, recorded in the change log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from uppfolj.audit.backup import BackupError, BackupToolError, backup

from ._input import InputCommand, InputError


class Command(InputCommand):
    help = (
        "Säkerhetskopiera databasen till en fil: SQLite med SQLites backup-funktion medan "
        "servern kör, PostgreSQL med pg_dump (eget format, återställs med uppfolj restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fil", metavar="FIL", help="säkerhetskopians filnamn")
        parser.add_argument("--ja", action="store_true", help="skriv över filen om den redan finns")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["fil"], overwrite=options["ja"])
        except BackupError as error:
            raise InputError(str(error)) from None
        except BackupToolError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Säkerhetskopia av {result.databas}-databasen skriven till {result.fil} "
            f"({result.storlek} byte)."
        )
