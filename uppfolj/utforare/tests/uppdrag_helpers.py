"""Cases with an uppdrag sent through the authority's service, for the provider's tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.test import Client

from uppfolj.arenden import services as arende_services
from uppfolj.arenden.models import Arende, Behorighet, Uppdrag
from uppfolj.conftest import PASSWORD

TODAY = "2026-04-20 10:00 +02:00"
IDAG = date(2026, 4, 20)
SKICKAT = date(2026, 4, 14)


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def beviljad(dag: date) -> list[dict[str, Any]]:
    """Return the events of a case granted four weeks before `dag`, 3 hours a week."""

    def day(offset: int) -> str:
        return (dag - timedelta(days=offset)).isoformat()

    return [
        {"date": day(49), "type": "ansokan"},
        {"date": day(42), "type": "utredning"},
        {"date": day(35), "type": "kommunicerat"},
        {
            "date": day(28),
            "type": "beslut",
            "utfall": "bifall",
            "from": day(28),
            "to": (dag + timedelta(days=250)).isoformat(),
            "minuter_per_vecka": 180,
            "aterkallelseforbehall": False,
        },
    ]


def skicka_uppdrag(
    make_case: Callable[..., Arende],
    cast: dict[str, Any],
    utforare: Any,
    *,
    datum: date = SKICKAT,
    skyddad: bool = False,
    **fields: Any,
) -> Uppdrag:
    """Return an uppdrag that the social worker sent to `utforare` on `datum`."""
    arende = make_case(beviljad(datum), utforare=None, skyddad=skyddad)
    sekr = cast["socialsekreterare"]
    if skyddad:
        Behorighet.objects.create(
            arende=arende, anvandare=sekr, beviljad_av=cast["forste_socialsekreterare"]
        )
    values = {
        "mal": "Klara tvätt och städning på egen hand.",
        "personligt_mal": "Kunna bjuda hem min syster.",
        "livsomraden": ["hemliv", "relationer"],
        "aktiviteter": "Tvätta tillsammans varje vecka.",
        "delmal": "Tvättar själv i juli.",
        **fields,
    }
    return arende_services.uppdrag_skicka(
        actor=sekr, arende=arende, datum=datum, utforare=utforare, **values
    )
