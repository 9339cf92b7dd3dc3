"""Demo data: one user per role and a realistic district of cases, relative to today.

The cases are written in the timeline format of TIMELINE.md and loaded with
the same import service as `uppfolj import`, so the demo exercises that path.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from uppfolj.accounts.models import Distrikt, Roll, User, Utforare
from uppfolj.domain.calendar import add_months

from .imports import arenden_importera
from .models import Arende
from .services import behorighet_bevilja

DEMO_PASSWORD = "demo"

FEMALE_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Malin",
    "Linnéa",
    "Åsa",
    "Birgitta",
    "Sofia",
    "Elin",
    "Ida",
    "Marie",
    "Hanna",
    "Johanna",
    "Ulla",
]
MALE_NAMES = [
    "Lars",
    "Mikael",
    "Anders",
    "Johan",
    "Erik",
    "Per",
    "Karl",
    "Peter",
    "Thomas",
    "Jan",
    "Daniel",
    "Fredrik",
    "Hans",
    "Mats",
    "Björn",
    "Stefan",
    "Olof",
    "Göran",
    "Jonas",
    "Åke",
]
SURNAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Mattsson",
    "Sjöberg",
]

DISTRIKT = ("Bromma", "Södermalm")
UTFORARE = (
    ("Boendestöd Söder", Utforare.Driftform.KOMMUNAL),
    ("Omsorgshuset Norr AB", Utforare.Driftform.PRIVAT),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    roll: str
    first_name: str
    last_name: str
    utforare_index: int | None = None
    distrikt_index: int | None = None


DEMO_USERS = (
    DemoUser("socialsekreterare", Roll.SOCIALSEKRETERARE, "Sofia", "Handläggare", None, 0),
    DemoUser(
        "forste_socialsekreterare", Roll.FORSTE_SOCIALSEKRETERARE, "Fredrik", "Förste", None, 0
    ),
    DemoUser("enhetschef", Roll.ENHETSCHEF, "Eva", "Enhetschef", None, 0),
    DemoUser("boendestodjare", Roll.BOENDESTODJARE, "Björn", "Boendestödjare", 0),
    DemoUser("stodpedagog", Roll.STODPEDAGOG, "Stina", "Stödpedagog", 0),
    DemoUser("utforarchef", Roll.UTFORARCHEF, "Ulla", "Utförarchef", 0),
    DemoUser("inspektor", Roll.INSPEKTOR, "Ingrid", "Inspektör"),
    DemoUser("administrator", Roll.ADMINISTRATOR, "Adam", "Administratör"),
)


def luhn_check_digit(digits: str) -> int:
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def make_personnummer(born: date, serial: int, female: bool) -> str:
    """Return a valid personnummer (YYYYMMDD-NNNC); the serial's last digit gives the sex."""
    serial = serial - serial % 2 + (0 if female else 1)
    body = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y%m%d}-{serial:03d}{luhn_check_digit(body)}"


class _CaseBuilder:
    """Simulates one case's history from its first contact up to today."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.events: list[dict[str, Any]] = []

    def add(self, day: date, event_type: str, **fields: Any) -> bool:
        if day > self.today:
            return False
        self.events.append({"date": day.isoformat(), "type": event_type, **fields})
        return True

    def later(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    def history(self, insats: str, start: date, diligence: float) -> None:
        """Add the events of a case begun on `start`; lower diligence misses more deadlines."""
        rng = self.rng
        if not self.add(start, rng.choice(["ansokan", "ansokan", "anmalan"])):
            return
        day = self.later(start, 7, 20)
        if not self.add(day, "utredning", barnperspektiv=rng.random() < 0.7):
            return
        day = self.later(day, 3, 8)
        if rng.random() < 0.9 and not self.add(day, "kommunicerat"):
            return
        day = self.later(day, 2, 7)
        months = rng.choice([6, 12, 12, 12]) if insats != "vard_och_omsorgsboende" else None
        minutes = rng.choice([60, 90, 120, 180, 240, 300]) if insats == "boendestod" else None
        if not self.decision(day, months, minutes):
            return
        decided = day
        day = self.later(day, 1, 4)
        level = rng.choice(["lag", "medel", "hog"]) if insats == "socialt_boende_med_stod" else None
        if not self.add(day, "uppdrag_skickat", stodniva=level, strukturerat=rng.random() < 0.6):
            return
        if insats == "boendestod":
            contact = self.later(day, 1, 3 if rng.random() < diligence else 9)
            if not self.add(contact, "kontakt_tagen"):
                return
        execution = self.later(day, 5, 25 if rng.random() < diligence else 120)
        if not self.add(execution, "verkstallt", grad="helt"):
            return
        plan_days = 28 if insats == "boendestod" else 14
        if rng.random() < diligence + 0.1:
            plan = self.later(
                execution, 5, plan_days if rng.random() < diligence else plan_days + 40
            )
            self.add(plan, "genomforandeplan_klar", delaktighet=rng.random() < 0.8)
        self.recurring(execution, insats, diligence)
        if months:
            self.renewals(decided, months, minutes, diligence)

    def decision(self, day: date, months: int | None, minutes: int | None) -> bool:
        to = (add_months(day, months) - timedelta(days=1)).isoformat() if months else None
        return self.add(
            day,
            "beslut",
            utfall="bifall",
            minuter_per_vecka=minutes,
            aterkallelseforbehall=months == 12,
            **{"from": day.isoformat(), "to": to},
        )

    def renewals(self, decided: date, months: int, minutes: int | None, diligence: float) -> None:
        """Renew the decision, mostly before it runs out, up to today."""
        ends = add_months(decided, months) - timedelta(days=1)
        while True:
            if self.rng.random() < diligence:
                renewal = ends - timedelta(days=self.rng.randint(5, 30))
            else:
                renewal = ends + timedelta(days=self.rng.randint(3, 40))
            self.add(renewal - timedelta(days=self.rng.randint(3, 10)), "kommunicerat")
            if not self.decision(renewal, 12, minutes):
                return
            ends = add_months(renewal, 12) - timedelta(days=1)

    def recurring(self, execution: date, insats: str, diligence: float) -> None:
        rng = self.rng
        interval = {"boendestod": 89, "socialt_boende_med_stod": 91, "vard_och_omsorgsboende": 365}[
            insats
        ]
        kind = "sammanstallning" if insats == "boendestod" else "uppfoljning"
        # In the less diligent cases the follow-ups stop some months before today:
        # the "follow-ups that never happened" of the inspectors' report.
        stop = self.today - timedelta(days=rng.randint(interval + 20, 2 * interval))
        day = execution
        while True:
            on_time = rng.random() < diligence
            day = self.later(day, interval - 30, interval if on_time else interval + 60)
            if (diligence < 0.7 and day > stop) or not self.add(day, kind):
                break
        if insats == "boendestod":
            note = execution
            while True:
                note = self.later(note, 4, 12 if rng.random() < diligence else 60)
                if not self.add(note, "daganteckning"):
                    break


# Scripted cases that show each kind of deadline and warning at a known stage;
# (days before today, event type, fields).
SCENARIOS: tuple[tuple[str, bool, tuple[tuple[int, str, dict[str, Any]], ...]], ...] = (
    # Executed 40 days ago, no genomförandeplan yet: VOB-GFP-14D overdue.
    (
        "vard_och_omsorgsboende",
        False,
        (
            (80, "ansokan", {}),
            (70, "utredning", {"barnperspektiv": False}),
            (62, "kommunicerat", {}),
            (60, "beslut", {"utfall": "bifall", "from": 60, "to": None}),
            (58, "uppdrag_skickat", {}),
            (40, "verkstallt", {"grad": "helt"}),
        ),
    ),
    # Decided 100 days ago and never executed: GEN-IVO-3M and BS-VERKST-1M overdue.
    (
        "boendestod",
        False,
        (
            (110, "ansokan", {}),
            (104, "kommunicerat", {}),
            (
                100,
                "beslut",
                {"utfall": "bifall", "from": 100, "to": -265, "minuter_per_vecka": 150},
            ),
            (98, "uppdrag_skickat", {"strukturerat": True}),
            (96, "kontakt_tagen", {}),
        ),
    ),
    # Follow-ups stopped, a quick level change, unpaid fees and a lex Sarah report.
    (
        "socialt_boende_med_stod",
        False,
        (
            (400, "ansokan", {}),
            (390, "utredning", {}),
            (385, "kommunicerat", {}),
            (380, "beslut", {"utfall": "bifall", "from": 380, "to": -15}),
            (378, "uppdrag_skickat", {"stodniva": "medel", "hyra_fran": 370}),
            (370, "verkstallt", {"grad": "helt"}),
            (285, "uppfoljning", {}),
            (200, "uppfoljning", {}),
            (190, "stodniva_bedomd", {"niva": "hog"}),
            (175, "stodniva_bedomd", {"niva": "medel"}),
            (62, "egenavgift_obetald", {}),
            (31, "egenavgift_obetald", {}),
            (3, "lex_sarah", {}),
        ),
    ),
    # Paused 50 days ago: GEN-FRANVARO-1M overdue, GEN-IVO-AVBROTT-3M running.
    (
        "boendestod",
        False,
        (
            (320, "beslut", {"utfall": "bifall", "from": 320, "to": -45, "minuter_per_vecka": 240}),
            (318, "uppdrag_skickat", {}),
            (316, "kontakt_tagen", {}),
            (305, "verkstallt", {"grad": "helt"}),
            (285, "genomforandeplan_klar", {"delaktighet": True}),
            (220, "sammanstallning", {}),
            (140, "sammanstallning", {}),
            (50, "paus", {}),
        ),
    ),
    # A new uppdrag two days ago: BS-KONTAKT-3VD falls due within days.
    (
        "boendestod",
        True,
        (
            (20, "anmalan", {}),
            (10, "utredning", {"barnperspektiv": True}),
            (6, "kommunicering_avbojd", {}),
            (
                4,
                "beslut",
                {
                    "utfall": "bifall",
                    "from": 4,
                    "to": -176,
                    "minuter_per_vecka": 90,
                    "aterkallelseforbehall": True,
                },
            ),
            (2, "uppdrag_skickat", {"strukturerat": False}),
        ),
    ),
    # Samlarteam started, and the individual did not open the door yesterday.
    (
        "boendestod",
        False,
        (
            (
                200,
                "beslut",
                {"utfall": "bifall", "from": 200, "to": -165, "minuter_per_vecka": 180},
            ),
            (199, "uppdrag_skickat", {}),
            (198, "uppstartsmote", {}),
            (190, "verkstallt", {"grad": "helt"}),
            (170, "genomforandeplan_klar", {"delaktighet": False}),
            (105, "sammanstallning", {}),
            (80, "samlarteam_start", {}),
            (20, "sammanstallning", {}),
            (1, "utebliven_kontakt", {}),
        ),
    ),
    # Closed ten days ago and the final note is not written: BS-SLUTANT overdue.
    (
        "boendestod",
        False,
        (
            (300, "beslut", {"utfall": "bifall", "from": 300, "to": 65, "minuter_per_vecka": 120}),
            (299, "uppdrag_skickat", {}),
            (297, "kontakt_tagen", {}),
            (290, "verkstallt", {"grad": "helt"}),
            (270, "genomforandeplan_klar", {"delaktighet": True}),
            (205, "sammanstallning", {}),
            (120, "sammanstallning", {}),
            (10, "avslut", {}),
        ),
    ),
)


def _scripted_events(
    today: date, script: tuple[tuple[int, str, dict[str, Any]], ...]
) -> list[dict[str, Any]]:
    def day(offset: int) -> str:
        return (today - timedelta(days=offset)).isoformat()

    events = []
    for offset, event_type, fields in script:
        event = {"date": day(offset), "type": event_type}
        for key, value in fields.items():
            date_field = key in ("from", "to", "hyra_fran") and isinstance(value, int)
            event[key] = day(value) if date_field else value
        events.append(event)
    return events


def demo_cases(today: date, count: int = 60, seed: int = 2026) -> list[dict[str, Any]]:
    """Return `count` demo cases in the timeline format, with histories up to `today`."""
    rng = random.Random(seed)
    insatser = ["boendestod", "socialt_boende_med_stod", "vard_och_omsorgsboende"]
    cases = []
    for number in range(1, count + 1):
        insats = insatser[number % 3] if number % 5 else "boendestod"
        tatare = insats == "boendestod" and number % 7 == 0
        script = SCENARIOS[number - 1] if number <= len(SCENARIOS) else None
        if script:
            insats, tatare = script[0], script[1]
        female = rng.random() < 0.5
        if insats == "vard_och_omsorgsboende":
            born = date(rng.randint(1930, 1950), rng.randint(1, 12), rng.randint(1, 28))
        else:
            born = date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28))
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        # Most cases began within the last two years; some are still being investigated.
        start = today - timedelta(days=rng.choice([rng.randint(3, 60), rng.randint(60, 730)]))
        builder = _CaseBuilder(rng, today)
        if script:
            builder.events = _scripted_events(today, script[2])
        else:
            builder.history(insats, start, diligence=rng.choice([0.95, 0.85, 0.6]))
        if number % 11 == 0 and len(builder.events) > 6:
            last = max(date.fromisoformat(e["date"]) for e in builder.events)
            closing = builder.later(last, 1, 20)
            builder.add(min(closing, today), "avslut")
        cases.append(
            {
                "case_id": f"{today.year}-{number:04d}",
                "insats": insats,
                "boendeform": "lagenhetsboende" if insats == "socialt_boende_med_stod" else None,
                "tatare_uppfoljning": tatare,
                # The demo district is Bromma; a few cases belong to a neighbouring unit.
                "distrikt": DISTRIKT[1] if number % 8 == 0 else DISTRIKT[0],
                "verksamhetsomrade": (
                    "aldreomsorg"
                    if insats == "vard_och_omsorgsboende"
                    else rng.choice(["socialpsykiatri", "funktionsnedsattning"])
                ),
                "utforare": UTFORARE[number % 2][0],
                "person": {
                    "personnummer": make_personnummer(born, rng.randint(100, 979), female),
                    "namn": f"{first} {rng.choice(SURNAMES)}",
                    "kon": "kvinna" if female else "man",
                    "fodd": born.isoformat(),
                    "minderariga_barn": rng.choice([0, 0, 0, 1, 2])
                    if insats != "vard_och_omsorgsboende"
                    else 0,
                    "skyddad_identitet": number % 17 == 0,
                },
                "events": sorted(builder.events, key=lambda e: e["date"]),
            }
        )
    return cases


@transaction.atomic
def load_demo(today: date) -> list[DemoUser]:
    """Create the demo organisation, users and cases unless cases already exist."""
    if Arende.objects.exists():
        return []
    districts = [Distrikt.objects.get_or_create(namn=name)[0] for name in DISTRIKT]
    providers = [
        Utforare.objects.get_or_create(namn=name, defaults={"driftform": form})[0]
        for name, form in UTFORARE
    ]
    users = []
    for spec in DEMO_USERS:
        user = User.objects.create_user(
            username=spec.username,
            password=DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@uppfolj.example",
            roll=spec.roll,
            utforare=providers[spec.utforare_index] if spec.utforare_index is not None else None,
            distrikt=districts[spec.distrikt_index] if spec.distrikt_index is not None else None,
            is_demo=True,
            is_staff=spec.roll == Roll.ADMINISTRATOR,
            is_superuser=spec.roll == Roll.ADMINISTRATOR,
        )
        users.append(user)
    social_worker = next(u for u in users if u.roll == Roll.SOCIALSEKRETERARE)
    senior = next(u for u in users if u.roll == Roll.FORSTE_SOCIALSEKRETERARE)
    arenden_importera(actor=None, cases=demo_cases(today), handlaggare=social_worker, today=today)
    # The responsible social worker is granted the protected cases of the district.
    for arende in Arende.objects.filter(person__skyddad_identitet=True, distrikt=districts[0]):
        behorighet_bevilja(actor=senior, arende=arende, anvandare=social_worker)
    return list(DEMO_USERS)
