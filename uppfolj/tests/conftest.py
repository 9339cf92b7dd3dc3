"""The test city of matris_varld, built once per test module instead of once per test."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test.utils import override_settings

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.conftest import FAST_PASSWORD_HASHERS, case_factory, make_cast

from .matris_varld import TODAY, Varld, bygg_varld


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def varld(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Varld]:
    """The cast and the city, built once for the module's tests.

    Building the city takes about a second, as long as fifty of the requests made to it,
    and the authorization matrix, the access-log and the protected-identity tests are
    split into many tests over the same city. It is built in a transaction that stays open for the
    module: each test's own transaction (pytest-django's `db`) is a savepoint inside it
    and is rolled back after the test, so every test starts from the same city, and the
    whole city is rolled back when the module is done.
    """
    handler = _Records()
    root = logging.getLogger()
    level = root.level
    with django_db_blocker.unblock(), transaction.atomic():
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            with (
                override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
                time_machine.travel(TODAY, tick=False),
            ):
                bromma = Distrikt.objects.create(namn="Bromma")
                tilldelad = Utforare.objects.create(
                    namn="Boendestöd Väst", driftform=Utforare.Driftform.KOMMUNAL
                )
                annan = Utforare.objects.create(
                    namn="Omsorg Öst AB", driftform=Utforare.Driftform.PRIVAT
                )
                city = bygg_varld(
                    make_cast(bromma, tilldelad, annan), case_factory(bromma, tilldelad)
                )
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        city.logg = handler.records
        yield city
        transaction.set_rollback(True)


@pytest.fixture
def pdf_utan_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF routes render their template as usual, but skip WeasyPrint's layout.

    For the tests that look only at who gets an answer and what the access log keeps
    (the authorization matrix, the access log): laying out a PDF takes as long as dozens
    of other requests, and the real PDFs are rendered and read for every
    role and case they are shown to by test_skyddad_identitet, which also checks their
    status against the matrix.
    """
    from uppfolj.lib import pdf

    monkeypatch.setattr(pdf, "pdf_bytes", lambda html: b"%PDF-1.7\n" + html.encode())
