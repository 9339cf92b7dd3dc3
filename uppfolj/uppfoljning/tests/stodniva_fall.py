"""Shared timelines and helpers for the tests of support levels, fees, lex Sarah and the list."""

from __future__ import annotations

from typing import Any

from django.test import Client

from uppfolj.conftest import PASSWORD

# A Monday; 2026-04-21 is the next vardag.
TODAY = "2026-04-20 10:00 +02:00"

LAGENHET = {"insats": "socialt_boende_med_stod", "boendeform": "lagenhetsboende"}

ANSOKAN = {"date": "2026-01-05", "type": "ansokan"}
UTREDNING = {"date": "2026-01-12", "type": "utredning"}
KOMMUNICERAT = {"date": "2026-01-19", "type": "kommunicerat"}
BESLUT = {
    "date": "2026-01-26",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-01-26",
    "to": "2026-12-31",
    "aterkallelseforbehall": False,
}
UPPDRAG_MEDEL = {
    "date": "2026-01-28",
    "type": "uppdrag_skickat",
    "stodniva": "medel",
    "hyra_fran": "2026-02-01",
}
VERKSTALLT = {"date": "2026-02-01", "type": "verkstallt", "grad": "helt"}
# Placed at level medel on 2026-01-28 and living in the apartment since 1 February.
BOR = [ANSOKAN, UTREDNING, KOMMUNICERAT, BESLUT, UPPDRAG_MEDEL, VERKSTALLT]


def niva(iso: str, level: str, **fields: Any) -> dict[str, Any]:
    return {"date": iso, "type": "stodniva_bedomd", "niva": level, **fields}


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def field_error(html: str, message: str) -> bool:
    return f'<p class="error" role="alert">{message}</p>' in html
