"""The synthetic city's organisation: districts, providers and staff of every role."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from uppfolj.accounts.models import Distrikt, Roll, User, Utforare

# One social worker per this many cases, open and closed (a realistic caseload).
ARENDEN_PER_HANDLAGGARE = 45
# One boendestödjare per this many of the provider's cases.
ARENDEN_PER_BOENDESTODJARE = 15
# Share of cases whose uppdrag goes to the district's own municipal unit.
ANDEL_KOMMUNAL = 0.6
# Generated accounts share this password and, like the demo users, are refused in production.
LOSENORD = "demo"

_FORLED = ("Ek", "Björk", "Lind", "Al", "Hassel", "Rönn", "Asp", "Gran", "Tall", "Lönn")
_EFTERLED = ("dal", "backa", "vik", "holm", "berga", "by", "torp", "näs", "hed", "å")
_BOLAG = ("Stödpartner", "Vardagshjälpen", "Trygga steg", "Boendekraft", "Hemmavid", "Bovänlig")


def distrikt_namn(index: int) -> str:
    """Return a made-up district name: 100 names, then numbered rounds of them."""
    base = _FORLED[index % 10] + _EFTERLED[(index // 10) % 10]
    round_ = index // 100
    return base if round_ == 0 else f"{base} {round_ + 1}"


@dataclass
class Organisation:
    """Everyone a synthetic case refers to, by district and provider."""

    distrikt: list[Distrikt]
    kommunala: list[Utforare]  # the municipal unit of each district, same index
    privata: list[Utforare]
    handlaggare: list[list[User]]  # per district
    forste: list[User]  # per district
    enhetschefer: list[User]  # per district
    personal: dict[int, list[User]] = field(default_factory=dict)  # provider id → staff


def organisation_skapa(*, cases: int, districts: int, joined: datetime) -> Organisation:
    """Create the districts, providers and staff for `cases` cases in `districts` districts."""
    password = make_password(LOSENORD, salt="uppfoljgenerate")
    users: list[User] = []

    def user(username: str, roll: str, first: str, last: str, **extra: object) -> User:
        u = User(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@stad.example",
            roll=roll,
            is_demo=True,
            date_joined=joined,
            **extra,
        )
        users.append(u)
        return u

    distrikt = Distrikt.objects.bulk_create(
        Distrikt(namn=distrikt_namn(i)) for i in range(districts)
    )
    kommunala = [
        Utforare(namn=f"Boendestöd {d.namn}", driftform=Utforare.Driftform.KOMMUNAL)
        for d in distrikt
    ]
    count = max(2, math.ceil(districts / 2))
    privata = [
        Utforare(
            namn=f"{_BOLAG[i % len(_BOLAG)]} {i // len(_BOLAG) + 1} AB",
            driftform=Utforare.Driftform.PRIVAT if i % 2 else Utforare.Driftform.UPPHANDLAD,
        )
        for i in range(count)
    ]
    Utforare.objects.bulk_create([*kommunala, *privata])

    per_district = cases / districts
    handlaggare, forste, chefer = [], [], []
    for i, d in enumerate(distrikt):
        n = max(1, math.ceil(per_district / ARENDEN_PER_HANDLAGGARE))
        handlaggare.append(
            [
                user(
                    f"ss.{i + 1}.{j + 1}",
                    Roll.SOCIALSEKRETERARE,
                    "Handläggare",
                    f"{d.namn} {j + 1}",
                    distrikt=d,
                )
                for j in range(n)
            ]
        )
        forste.append(
            user(f"fss.{i + 1}", Roll.FORSTE_SOCIALSEKRETERARE, "Förste", d.namn, distrikt=d)
        )
        chefer.append(user(f"ec.{i + 1}", Roll.ENHETSCHEF, "Enhetschef", d.namn, distrikt=d))

    org = Organisation(distrikt, kommunala, privata, handlaggare, forste, chefer)
    expected = {
        **{u.namn: per_district * ANDEL_KOMMUNAL for u in kommunala},
        **{u.namn: cases * (1 - ANDEL_KOMMUNAL) / len(privata) for u in privata},
    }
    for k, provider in enumerate([*kommunala, *privata]):
        staff = [
            user(
                f"bsj.{k + 1}.{j + 1}",
                Roll.BOENDESTODJARE,
                "Boendestödjare",
                f"{provider.namn} {j + 1}",
                utforare=provider,
            )
            for j in range(max(2, math.ceil(expected[provider.namn] / ARENDEN_PER_BOENDESTODJARE)))
        ]
        staff.append(
            user(f"sp.{k + 1}", Roll.STODPEDAGOG, "Stödpedagog", provider.namn, utforare=provider)
        )
        staff.append(
            user(f"uc.{k + 1}", Roll.UTFORARCHEF, "Utförarchef", provider.namn, utforare=provider)
        )
        org.personal[provider.pk] = staff
    for j in range(2):
        user(f"inspektor.{j + 1}", Roll.INSPEKTOR, "Inspektör", str(j + 1))
    user(
        "administrator",
        Roll.ADMINISTRATOR,
        "Administratör",
        "Stad",
        is_staff=True,
        is_superuser=True,
    )
    User.objects.bulk_create(users, batch_size=2000)
    return org


@lru_cache(maxsize=8192)
def stad_tid(day: date) -> datetime:
    """Return a fixed time of day on `day`, so generated timestamps repeat with the seed."""
    return timezone.make_aware(datetime.combine(day, time(9)))
