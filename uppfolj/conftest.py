"""The shared cast of users per role and factories for cases, used by every app's tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from uppfolj.accounts.models import Distrikt, Roll, User, Utforare
from uppfolj.arenden.demo import make_personnummer
from uppfolj.arenden.imports import arenden_importera
from uppfolj.arenden.models import Arende

PASSWORD = "ett-långt-testlösenord"

_serials = itertools.count(100)


@pytest.fixture
def distrikt(db: Any) -> Distrikt:
    return Distrikt.objects.create(namn="Bromma")


@pytest.fixture
def utforare_tilldelad(db: Any) -> Utforare:
    """The provider that cases get their uppdrag sent to."""
    return Utforare.objects.create(namn="Boendestöd Väst", driftform=Utforare.Driftform.KOMMUNAL)


@pytest.fixture
def utforare_annan(db: Any) -> Utforare:
    """A provider with no uppdrag on the test cases."""
    return Utforare.objects.create(namn="Omsorg Öst AB", driftform=Utforare.Driftform.PRIVAT)


@pytest.fixture
def cast(db: Any, distrikt: Distrikt, utforare_tilldelad: Utforare, utforare_annan: Utforare):
    """One user per role, plus provider staff of an unassigned provider and an outsider."""

    def make(username: str, roll: str, **extra: Any) -> User:
        return User.objects.create_user(
            username=username, password=PASSWORD, roll=roll, first_name=username.title(), **extra
        )

    return {
        "socialsekreterare": make("socialsekreterare", Roll.SOCIALSEKRETERARE, distrikt=distrikt),
        "forste_socialsekreterare": make(
            "forste", Roll.FORSTE_SOCIALSEKRETERARE, distrikt=distrikt
        ),
        "enhetschef": make("enhetschef", Roll.ENHETSCHEF, distrikt=distrikt),
        "boendestodjare": make("bst", Roll.BOENDESTODJARE, utforare=utforare_tilldelad),
        "stodpedagog": make("stodpedagog", Roll.STODPEDAGOG, utforare=utforare_tilldelad),
        "utforarchef": make("utforarchef", Roll.UTFORARCHEF, utforare=utforare_tilldelad),
        "boendestodjare_annan": make("bst_annan", Roll.BOENDESTODJARE, utforare=utforare_annan),
        "inspektor": make("inspektor", Roll.INSPEKTOR),
        "administrator": make("admin", Roll.ADMINISTRATOR),
        "utomstaende": make("utomstaende", ""),
    }


@pytest.fixture
def make_case(db: Any, distrikt: Distrikt, utforare_tilldelad: Utforare) -> Callable[..., Arende]:
    """Create a case through the import service from a list of timeline events."""

    def make(
        events: list[dict[str, Any]],
        *,
        insats: str = "boendestod",
        case_id: str | None = None,
        today: date | None = None,
        skyddad: bool = False,
        utforare: Utforare | None = utforare_tilldelad,
        handlaggare: User | None = None,
        **case_fields: Any,
    ) -> Arende:
        serial = next(_serials)
        case_id = case_id or f"T-{serial}"
        raw = {
            "case_id": case_id,
            "insats": insats,
            "distrikt": distrikt.namn,
            "utforare": utforare.namn if utforare else None,
            "person": {
                "personnummer": make_personnummer(date(1980, 1, 1 + serial % 28), serial, True),
                "namn": f"Testa Person{serial}",
                "kon": "kvinna",
                "skyddad_identitet": skyddad,
            },
            "events": events,
            **case_fields,
        }
        arenden_importera(actor=None, cases=[raw], handlaggare=handlaggare, today=today)
        return Arende.objects.get(arende_id=case_id)

    return make
