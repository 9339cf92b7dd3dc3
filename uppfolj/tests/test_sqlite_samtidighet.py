"""SQLite, the zero-set-up default, serves several requests at once (`make run`, autosave).

A writer takes the write lock when its transaction begins (BEGIN IMMEDIATE), so a second
writer waits up to the timeout instead of failing halfway with "database is locked"; WAL
lets readers go on meanwhile. PostgreSQL gets none of these SQLite-only options.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connections, transaction

from .test_deploy import load_settings


def test_sqlite_urls_get_immediate_transactions_wal_and_a_timeout(monkeypatch, tmp_path):
    s = load_settings(monkeypatch, tmp_path)
    options = s.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert options["init_command"] == "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def test_postgresql_gets_no_sqlite_options(monkeypatch, tmp_path):
    s = load_settings(monkeypatch, tmp_path, DATABASE_URL="postgres://u@db.example:5432/uppfolj")
    options = s.DATABASES["default"].get("OPTIONS", {})
    assert not {"transaction_mode", "timeout", "init_command"} & set(options)


def test_a_writer_holds_the_lock_from_the_start_of_its_transaction(
    monkeypatch, tmp_path, django_db_blocker
):
    path = tmp_path / "samtidig.sqlite3"
    s = load_settings(monkeypatch, tmp_path, DATABASE_URL=f"sqlite:///{path}")
    alias = "samtidig"
    settings = connections.configure_settings({"default": s.DATABASES["default"]})["default"]
    monkeypatch.setitem(connections.settings, alias, settings)
    with django_db_blocker.unblock():
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
                assert cursor.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
                assert cursor.execute("PRAGMA busy_timeout").fetchone() == (20000,)
                cursor.execute("CREATE TABLE rad (id INTEGER PRIMARY KEY)")
            with transaction.atomic(using=alias):
                # Only a read so far: BEGIN IMMEDIATE has taken the write lock already.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM rad")
                other = sqlite3.connect(path, timeout=0)
                try:
                    with pytest.raises(sqlite3.OperationalError, match="locked"):
                        other.execute("BEGIN IMMEDIATE")
                    # Readers go on meanwhile (WAL).
                    assert other.execute("SELECT count(*) FROM rad").fetchone() == (0,)
                finally:
                    other.close()
        finally:
            connection.close()
            del connections[alias]
