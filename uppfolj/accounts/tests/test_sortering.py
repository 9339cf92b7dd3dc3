"""Names come out of the database in Swedish alphabetical order, on SQLite and on
PostgreSQL alike (uppfolj/domain/sortering.py)."""

from __future__ import annotations

import pytest

from uppfolj.accounts.models import Distrikt, Roll, User, Utforare
from uppfolj.arenden.models import Person

SVENSKT = ["Bromma", "Zinkensdamm", "Årsta", "Älvsjö", "Östermalm"]
INSATT = ["Östermalm", "Älvsjö", "Årsta", "Zinkensdamm", "Bromma"]


@pytest.mark.django_db
def test_districts_and_providers_are_listed_in_swedish_order():
    for namn in INSATT:
        Distrikt.objects.create(namn=namn)
        Utforare.objects.create(namn=f"{namn} boendestöd")
    assert list(Distrikt.objects.values_list("namn", flat=True)) == SVENSKT
    assert list(Utforare.objects.values_list("namn", flat=True)) == [
        f"{namn} boendestöd" for namn in SVENSKT
    ]


@pytest.mark.django_db
def test_people_and_staff_are_listed_in_swedish_order():
    for i, namn in enumerate(INSATT):
        Person.objects.create(
            personnummer=f"1980010{i}-000{i}",
            fornamn="Anna",
            efternamn=namn,
            kon="kvinna",
            fodd="1980-01-01",
        )
        User.objects.create_user(
            username=f"u{i}", first_name=namn, last_name="Berg", roll=Roll.SOCIALSEKRETERARE
        )
    assert list(Person.objects.values_list("efternamn", flat=True)) == SVENSKT
    assert list(User.objects.order_by("first_name").values_list("first_name", flat=True)) == SVENSKT
