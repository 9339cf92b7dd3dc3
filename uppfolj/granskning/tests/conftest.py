"""Hand-made cases for the audit's figures, loaded through the import service."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from uppfolj.arenden.demo import make_personnummer
from uppfolj.arenden.imports import arenden_importera

_serials = itertools.count(1)

Importera = Callable[..., str]


def beslut(iso: str, fran: str | None = None, till: str | None = None, **fields: Any) -> dict:
    """A granting decision (from its date, until further notice unless `till`)."""
    return {
        "date": iso,
        "type": "beslut",
        "utfall": fields.pop("utfall", "bifall"),
        "from": fran or iso,
        "to": till,
        "minuter_per_vecka": fields.pop("minuter_per_vecka", 120),
        **fields,
    }


def generera_stad(*, seed: int, idag: date, cases: int = 300) -> None:
    """Write a synthetic city (`uppfolj generate`) of `cases` cases as of `idag`."""
    call_command(
        "generate",
        "--cases",
        str(cases),
        "--seed",
        str(seed),
        "--idag",
        idag.isoformat(),
        "--tyst",
        stdout=StringIO(),
        stderr=StringIO(),
    )


def e(iso: str, typ: str, **fields: Any) -> dict:
    return {"date": iso, "type": typ, **fields}


def personnummer_for(serial: int, kon: str = "kvinna") -> str:
    born = date(1940 + serial % 50, 1 + serial % 12, 1 + serial % 28)
    return make_personnummer(born, 300 + 2 * (serial % 300), kon == "kvinna")


@pytest.fixture
def importera(db: Any) -> Importera:
    """Import one case of the given events; return its case id."""

    def make(
        *events: dict,
        kon: str = "kvinna",
        barn: int = 0,
        omrade: str | None = "socialpsykiatri",
        distrikt: str = "Bromma",
        utforare: str | None = "Boendestöd Bromma",
        insats: str = "boendestod",
        skyddad: bool = False,
        personnummer: str | None = None,
        **case_fields: Any,
    ) -> str:
        serial = next(_serials)
        case_id = f"G-{serial}"
        raw = {
            "case_id": case_id,
            "insats": insats,
            "distrikt": distrikt,
            "verksamhetsomrade": omrade,
            "utforare": utforare,
            "person": {
                "personnummer": personnummer or personnummer_for(serial, kon),
                "namn": f"Granskad Person{serial}",
                "kon": kon,
                "minderariga_barn": barn,
                "skyddad_identitet": skyddad,
            },
            "events": list(events),
            **case_fields,
        }
        arenden_importera(actor=None, cases=[raw], today=date(2018, 5, 31))
        return case_id

    return make
