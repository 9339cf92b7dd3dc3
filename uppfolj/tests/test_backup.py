"""`uppfolj backup` and `uppfolj restore`: a round trip gives back every table, row for row.

Issue 7: "Backup and restore: `uppfolj backup` and `uppfolj restore` (SQLite online
backup; pg_dump / pg_restore for PostgreSQL), with a round-trip test that compares
every table."
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from uppfolj.arenden import services
from uppfolj.arenden.demo import load_demo
from uppfolj.arenden.models import Arende, Bevakning, Person
from uppfolj.audit.models import AuditLog
from uppfolj.utforare.demo import load_provider_demo

TODAY = date(2026, 4, 20)
SQLITE_ONLY = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite:s backup-funktion")
POSTGRES_ONLY = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="pg_dump och pg_restore"
)


def run(command: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def tables() -> dict[str, tuple[int, str]]:
    """Return every table's row count and a checksum of its rows in primary-key order.

    The restore's own row in the change log is left out: it is written after the restore.
    """
    result = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model._base_manager.order_by("pk")
        if model is AuditLog:
            rows = rows.exclude(atgard="databas_aterstall")
        fields = [field.attname for field in model._meta.concrete_fields]
        digest = hashlib.sha256()
        count = 0
        for row in rows.values_list(*fields):
            digest.update(repr(row).encode())
            count += 1
        result[model._meta.db_table] = (count, digest.hexdigest())
    return result


def change_everything() -> None:
    """Add, change and delete rows in several tables, as a day's work would."""
    arende = Arende.objects.filter(handelser__typ="beslut").exclude(handelser__typ="avslut").first()
    assert arende is not None and arende.handlaggare is not None
    services.journal_skriv(
        actor=arende.handlaggare, arende=arende, datum=TODAY, rubrik="Efter kopian", text="Ny."
    )
    Person.objects.filter(pk=arende.person_id).update(fornamn="Ändrad")
    Bevakning.objects.filter(arende=arende).delete()


def round_trip(tmp_path: Path) -> None:
    load_demo(TODAY)
    load_provider_demo(TODAY)
    before = tables()
    assert before[Arende._meta.db_table][0] > 10
    path = tmp_path / "uppfolj.backup"

    code, out, err = run("backup", str(path))
    assert (code, err) == (0, "")
    assert f"skriven till {path}" in out
    assert tables() != before  # the backup's own row in the change log
    change_everything()
    assert tables() != before

    code, out, err = run("restore", str(path), "--ja")
    assert (code, err) == (0, "")
    after = tables()
    assert {t: v for t, v in after.items() if v != before[t]} == {}
    restored = AuditLog.objects.get(atgard="databas_aterstall")
    assert (restored.aktor, restored.objekttyp, restored.efter["fil"]) == (
        None,
        "databas",
        str(path),
    )
    # The backup was taken before its own row was written, so the restored log lacks it.
    assert not AuditLog.objects.filter(atgard="databas_sakerhetskopiera").exists()


@SQLITE_ONLY
def test_round_trip_on_sqlite_gives_back_every_table(transactional_db, tmp_path):
    round_trip(tmp_path)
    assert (tmp_path / "uppfolj.backup").read_bytes().startswith(b"SQLite format 3\x00")


@POSTGRES_ONLY
def test_round_trip_on_postgresql_gives_back_every_table(transactional_db, tmp_path):
    round_trip(tmp_path)
    assert (tmp_path / "uppfolj.backup").read_bytes().startswith(b"PGDMP")


@pytest.mark.django_db(transaction=True)
def test_backup_is_logged_without_a_user(tmp_path):
    path = tmp_path / "kopia"
    assert run("backup", str(path))[0] == 0
    row = AuditLog.objects.get(atgard="databas_sakerhetskopiera")
    assert (row.aktor, row.objekttyp, row.objekt_id) == (None, "databas", "kopia")
    assert row.efter["fil"] == str(path) and row.efter["storlek"] == path.stat().st_size
    assert not list(tmp_path.glob(".*.tmp"))


# --- Bad input: exit status 2 and a message naming the problem ----------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_to_overwrite_without_ja(tmp_path):
    path = tmp_path / "kopia"
    path.write_text("gammal")
    code, _, err = run("backup", str(path))
    assert code == 2
    assert err.strip() == (
        f"uppfolj backup: {path}: filen finns redan; lägg till --ja för att skriva över den"
    )
    assert path.read_text() == "gammal"
    assert run("backup", str(path), "--ja")[0] == 0
    assert path.read_bytes()[:5] in (b"SQLit", b"PGDMP")


@pytest.mark.django_db
def test_backup_into_a_missing_directory_is_refused(tmp_path):
    target = tmp_path / "saknas" / "kopia"
    code, _, err = run("backup", str(target))
    assert code == 2
    assert f"katalogen {tmp_path / 'saknas'} finns inte" in err
    code, _, err = run("backup", str(tmp_path))
    assert code == 2
    assert "är en katalog; ange ett filnamn" in err


@pytest.mark.django_db
def test_restore_of_a_missing_file_is_refused(tmp_path):
    code, _, err = run("restore", str(tmp_path / "saknas"), "--ja")
    assert code == 2
    assert err.strip() == f"uppfolj restore: {tmp_path / 'saknas'}: filen finns inte"


@pytest.mark.django_db
def test_restore_of_a_file_that_is_no_backup_is_refused(tmp_path):
    path = tmp_path / "anteckningar.txt"
    path.write_text("inte en databas")
    code, _, err = run("restore", str(path), "--ja")
    assert code == 2
    assert "är ingen säkerhetskopia (varken en SQLite-databas eller en pg_dump-fil)" in err


@pytest.mark.django_db
def test_restore_of_the_other_databases_kind_is_refused(tmp_path):
    path = tmp_path / "fel-sort"
    if connection.vendor == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = "är en säkerhetskopia av en PostgreSQL-databas, men databasen är SQLite"
    else:
        sqlite3.connect(path).close()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE t (x)")
        expected = "är en säkerhetskopia av en SQLite-databas, men databasen är PostgreSQL"
    code, _, err = run("restore", str(path), "--ja")
    assert code == 2
    assert expected in err


@SQLITE_ONLY
@pytest.mark.django_db
def test_restore_of_another_applications_database_is_refused(tmp_path):
    path = tmp_path / "annan.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kunder (namn TEXT)")
    code, _, err = run("restore", str(path), "--ja")
    assert code == 2
    assert "är ingen Uppfölj-databas (tabellen arenden_arende saknas)" in err


@pytest.mark.django_db(transaction=True)
def test_restore_without_ja_changes_nothing(tmp_path, make_case):
    path = tmp_path / "kopia"
    assert run("backup", str(path))[0] == 0
    make_case([], case_id="EFTER-KOPIAN")
    code, _, err = run("restore", str(path))
    assert code == 2
    assert "Lägg till --ja för att bekräfta." in err
    assert Arende.objects.filter(arende_id="EFTER-KOPIAN").exists()
    assert not AuditLog.objects.filter(atgard="databas_aterstall").exists()
