"""Backing up and restoring the whole database, each recorded in the change log.

SQLite uses the online backup API (`sqlite3.Connection.backup`), so a running
server can keep writing while the copy is taken. PostgreSQL uses `pg_dump -Fc`
and `pg_restore --clean --if-exists --single-transaction`, with the connection
settings of Django's DATABASES and the password in PGPASSWORD, never on the
command line. A backup is written to a temporary file beside the target and
renamed when complete, so a crash never leaves a half-written file under the
target's name.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from uppfolj.domain.sortering import registrera_i_sqlite

from .models import AuditLog

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
# A table every Uppfölj database has; a file without it is some other application's.
KANNETECKEN = "arenden_arende"
# A restore waits at most this long for a lock held by a running server, then fails.
PG_LOCK_TIMEOUT = "20s"
VENDOR_NAMN = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """Bad input to backup or restore: the message names the file and what is wrong."""


class BackupToolError(Exception):
    """pg_dump, pg_restore or SQLite failed; the message carries the tool's own words."""


@dataclass(frozen=True)
class Resultat:
    fil: Path
    databas: str
    storlek: int


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in VENDOR_NAMN:
        raise BackupError(f"databastypen {vendor} stöds inte (bara SQLite och PostgreSQL)")
    return vendor


def file_kind(path: Path) -> str | None:
    """Return "sqlite" or "postgresql" from the file's first bytes, or None."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.startswith(PG_CUSTOM_HEADER):
        return "postgresql"
    return None


def _record(action: str, path: Path, vendor: str, size: int) -> None:
    # No model instance stands for the database, so the row is written here rather
    # than through audit_record; a command line run has no user (as `uppfolj import`).
    AuditLog.objects.create(
        aktor=None,
        atgard=action,
        objekttyp="databas",
        objekt_id=path.name[:100],
        efter={"fil": str(path), "databas": VENDOR_NAMN[vendor], "storlek": size},
    )


# --- Backup ------------------------------------------------------------------------------


def backup(target: str | os.PathLike[str], *, overwrite: bool = False) -> Resultat:
    """Write a backup of the database to `target` and record it in the change log."""
    alias = DEFAULT_DB_ALIAS
    vendor = _vendor(alias)
    path = Path(target).absolute()
    if path.is_dir():
        raise BackupError(f"{target}: är en katalog; ange ett filnamn")
    if not path.parent.is_dir():
        raise BackupError(f"{target}: katalogen {path.parent} finns inte")
    if path.exists() and not overwrite:
        raise BackupError(f"{target}: filen finns redan; lägg till --ja för att skriva över den")
    if not os.access(path.parent, os.W_OK):
        raise BackupError(f"{target}: katalogen {path.parent} är skrivskyddad")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if vendor == "sqlite":
            _sqlite_backup(alias, temporary)
        else:
            _pg_dump(alias, temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    size = path.stat().st_size
    _record("databas_sakerhetskopiera", path, vendor, size)
    return Resultat(path, VENDOR_NAMN[vendor], size)


def _sqlite_backup(alias: str, temporary: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    target = sqlite3.connect(temporary)
    registrera_i_sqlite(target)  # the check reads the indexes of the name columns
    try:
        source.backup(target)
        (check,) = target.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as error:
        raise BackupToolError(f"SQLite: {error}") from None
    finally:
        target.close()
    if check != "ok":
        raise BackupToolError(f"SQLite: säkerhetskopian är skadad: {check}")


# --- Restore -----------------------------------------------------------------------------


def check_restore_file(source: str | os.PathLike[str]) -> Path:
    """Return the path if it is a backup of this database's kind; else raise BackupError."""
    vendor = _vendor(DEFAULT_DB_ALIAS)
    path = Path(source).absolute()
    if not path.exists():
        raise BackupError(f"{source}: filen finns inte")
    if not path.is_file():
        raise BackupError(f"{source}: är ingen vanlig fil")
    try:
        kind = file_kind(path)
    except OSError as error:
        raise BackupError(f"{source}: kan inte läsas: {error.strerror}") from None
    if kind is None:
        raise BackupError(
            f"{source}: är ingen säkerhetskopia (varken en SQLite-databas eller en pg_dump-fil)"
        )
    if kind != vendor:
        raise BackupError(
            f"{source}: är en säkerhetskopia av en {VENDOR_NAMN[kind]}-databas, "
            f"men databasen är {VENDOR_NAMN[vendor]}"
        )
    if kind == "sqlite":
        _check_sqlite_file(source, path)
    else:
        _check_pg_file(source, path)
    return path


def _check_sqlite_file(name: str | os.PathLike[str], path: Path) -> None:
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
            registrera_i_sqlite(db)
            (check,) = db.execute("PRAGMA quick_check").fetchone()
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (KANNETECKEN,)
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{name}: SQLite-filen kan inte läsas: {error}") from None
    if check != "ok":
        raise BackupError(f"{name}: SQLite-filen är skadad: {check}")
    if not found:
        raise BackupError(f"{name}: är ingen Uppfölj-databas (tabellen {KANNETECKEN} saknas)")


def _check_pg_file(name: str | os.PathLike[str], path: Path) -> None:
    listing = subprocess.run(
        [_pg_tool("pg_restore"), "--list", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=_pg_env(None),
    )
    if listing.returncode != 0:
        raise BackupError(f"{name}: pg_dump-filen kan inte läsas: {listing.stderr.strip()}")
    if f" {KANNETECKEN} " not in listing.stdout:
        raise BackupError(f"{name}: är ingen Uppfölj-databas (tabellen {KANNETECKEN} saknas)")


def restore(source: str | os.PathLike[str]) -> Resultat:
    """Replace the database with the backup in `source` and record it in the change log."""
    alias = DEFAULT_DB_ALIAS
    path = check_restore_file(source)
    vendor = _vendor(alias)
    if vendor == "sqlite":
        _sqlite_restore(alias, path)
    else:
        _pg_restore(alias, path)
    size = path.stat().st_size
    # After the restore: the restored log is the backup's, and this row adds to it.
    _record("databas_aterstall", path, vendor, size)
    return Resultat(path, VENDOR_NAMN[vendor], size)


def _sqlite_restore(alias: str, path: Path) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupToolError("SQLite: återställning kan inte göras inuti en transaktion")
    connection.ensure_connection()
    target: sqlite3.Connection = connection.connection
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as source:
            source.backup(target)
    except sqlite3.OperationalError as error:
        raise BackupToolError(
            f"SQLite: {error} (stoppa servern som använder databasen och försök igen)"
        ) from None


# --- PostgreSQL tools ----------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """Return the path of pg_dump or pg_restore: on PATH, else the newest installed."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if candidates:
        return candidates[-1]
    raise BackupToolError(
        f"{name} hittades inte; installera PostgreSQL-klienten (postgresql-client)"
    )


def _pg_env(settings_dict: dict[str, Any] | None, **extra: str) -> dict[str, str]:
    """Return the environment for a PostgreSQL tool: libpq variables from the settings only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if settings_dict is not None:
        if settings_dict.get("PASSWORD"):
            env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
        options = settings_dict.get("OPTIONS") or {}
        for option, variable in (
            ("sslmode", "PGSSLMODE"),
            ("sslrootcert", "PGSSLROOTCERT"),
            ("sslcert", "PGSSLCERT"),
            ("sslkey", "PGSSLKEY"),
        ):
            if options.get(option):
                env[variable] = str(options[option])
    env.update(extra)
    return env


def _pg_connection_args(settings_dict: dict[str, Any]) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        args.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        args.append(f"--username={settings_dict['USER']}")
    args.append(f"--dbname={settings_dict['NAME']}")
    return [*args, "--no-password"]


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        name = Path(command[0]).name
        raise BackupToolError(f"{name} misslyckades: {result.stderr.strip()}")


def _pg_dump(alias: str, temporary: Path) -> None:
    settings_dict = connections[alias].settings_dict
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            f"--file={temporary}",
            *_pg_connection_args(settings_dict),
        ],
        _pg_env(settings_dict),
    )


def _pg_restore(alias: str, path: Path) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupToolError("PostgreSQL: återställning kan inte göras inuti en transaktion")
    settings_dict = connection.settings_dict
    # Our own idle connection would hold no locks, but close it so nothing of the old
    # database (prepared statements, cached types) is reused afterwards.
    connection.close()
    try:
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                *_pg_connection_args(settings_dict),
                str(path),
            ],
            _pg_env(settings_dict, PGOPTIONS=f"-c lock_timeout={PG_LOCK_TIMEOUT}"),
        )
    except BackupToolError as error:
        if "lock timeout" in str(error):
            raise BackupToolError(
                f"{error} (databasen används; stoppa servern och försök igen)"
            ) from None
        raise
