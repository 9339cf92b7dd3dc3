"""`uppfolj generate`: a synthetic city of cases with realistic histories, in bulk.

Every case is simulated by `historik.simulate` from its own random generator
(seeded by the run's seed and the case's number), so the same seed gives the
same rows whatever the batch size. Rows are written with `bulk_create` in
batches, one transaction per batch; the stored bevakningar and warnings come
from the same engine as `bevakningar_berakna`, evaluated in Python, and the stored
audit facts by `fakta_berakna` once every event is written. It is
synthetic data, so it gets one audit row for the whole generation, not one per
case; every timestamp is derived from the event dates, never from the clock.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models, transaction

from uppfolj.accounts.models import Distrikt, User
from uppfolj.arenden.demo import FEMALE_NAMES, MALE_NAMES, make_personnummer
from uppfolj.arenden.fakta import fakta_berakna
from uppfolj.arenden.models import (
    LAGRUM_BISTAND,
    Anmalan,
    Ansokan,
    Arende,
    Avslut,
    Behorighet,
    Beslut,
    Bevakning,
    Handelse,
    Person,
    Uppdrag,
    Utredning,
    Varning,
)
from uppfolj.arenden.services import local_defaults
from uppfolj.audit.services import audit_record
from uppfolj.domain.engine import OPEN, evaluate
from uppfolj.domain.timeline import Event, Timeline
from uppfolj.uppfoljning.models import StodnivaAndring, Uppfoljning
from uppfolj.utforare.models import Daganteckning, Genomforandeplan, Sammanstallning

from .historik import BOENDESTOD, SBMS, VOB, simulate
from .organisation import Organisation, distrikt_namn, organisation_skapa, stad_tid
from .rows import Rows, sequences_reset

BATCH = 500  # cases per transaction: a few thousand rows of each kind
MAX_ARENDEN = 10_000_000
ATGARD = "stad_generera"

# Obviously made-up surnames: the people of the synthetic city are not real.
EFTERNAMN = (
    "Testsson",
    "Exempelsson",
    "Provberg",
    "Påhittad",
    "Fiktivsson",
    "Låtsasson",
    "Testlund",
    "Exempelgren",
    "Modellin",
    "Provqvist",
    "Syntetisk",
    "Dummygren",
)
# Authority events are registered by the handläggare, the rest by the provider's staff.
MYNDIGHETENS = frozenset(
    {"ansokan", "anmalan", "utredning", "kommunicerat", "kommunicering_avbojd", "beslut"}
    | {"uppdrag_skickat", "uppfoljning", "stodniva_bedomd", "avslut", "paus_bedomd"}
)
_DATES = ("from", "to", "hyra_fran")


class GenerateError(ValueError):
    """The generation cannot start; the message says why, in Swedish."""


@dataclass
class Resultat:
    distrikt: int = 0
    anvandare: int = 0
    personer: int = 0
    arenden: int = 0
    handelser: int = 0
    bevakningar: int = 0


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def event_of(raw: dict[str, Any]) -> Event:
    """Return the engine's event for a generated event: `parse_event` without its checks.

    The generator only writes well-formed events (a test compares every one with
    `parse_event`), and checking them again would be most of the generation's time.
    """
    get = raw.get
    return Event(
        date=date.fromisoformat(raw["date"]),
        type=raw["type"],
        utfall=get("utfall"),
        from_date=_day(get("from")),
        to_date=_day(get("to")),
        minuter_per_vecka=get("minuter_per_vecka"),
        aterkallelseforbehall=bool(get("aterkallelseforbehall")),
        stodniva=get("stodniva"),
        hyra_fran=_day(get("hyra_fran")),
        strukturerat=get("strukturerat"),
        grad=get("grad"),
        niva=get("niva"),
        delaktighet=get("delaktighet"),
        barnperspektiv=get("barnperspektiv"),
    )


def case_rng(seed: int, number: int) -> random.Random:
    return random.Random(seed * 10_000_019 + number)


def generate(
    *,
    cases: int,
    seed: int,
    districts: int | None = None,
    today: date,
    progress: Callable[[int, int], None] | None = None,
    fakta_progress: Callable[[int, int], None] | None = None,
) -> Resultat:
    """Generate a city of `cases` cases in `districts` districts (default one per 4,000);
    `progress` is told the cases written, `fakta_progress` the cases with audit facts."""
    if not 1 <= cases <= MAX_ARENDEN:
        raise GenerateError(
            f"antalet ärenden ska vara mellan 1 och {MAX_ARENDEN:,}".replace(",", " ")
        )
    districts = districts if districts is not None else max(2, round(cases / 4000))
    if not 1 <= districts <= cases:
        raise GenerateError("antalet distrikt ska vara minst 1 och högst lika många som ärendena")
    if Arende.objects.exists() or Distrikt.objects.filter(namn=distrikt_namn(0)).exists():
        raise GenerateError(
            "databasen innehåller redan ärenden; generera bara i en tom databas "
            "(till exempel efter uppfolj flush)"
        )
    resultat = Resultat()
    with transaction.atomic():
        org = organisation_skapa(
            cases=cases, districts=districts, joined=stad_tid(today - timedelta(days=3000))
        )
    resultat.distrikt = districts
    resultat.anvandare = User.objects.count()
    builder = _Batch(org, seed, today)
    for first in range(1, cases + 1, BATCH):
        numbers = range(first, min(first + BATCH, cases + 1))
        with transaction.atomic():
            builder.write(numbers, resultat)
            builder.flush()
        if progress:
            progress(numbers[-1], cases)
    sequences_reset(list(builder.rows))
    # The audit facts come from the events in the database (`fakta_berakna`), so they
    # are computed once every event is written, before the audit row that marks the
    # generation complete.
    fakta_berakna(
        Arende.objects.order_by("pk").values_list("pk", flat=True), today, progress=fakta_progress
    )
    with transaction.atomic():
        audit_record(
            actor=None,
            action=ATGARD,
            obj=org.distrikt[0],
            after={
                "arenden": cases,
                "seed": seed,
                "distrikt": districts,
                "idag": today.isoformat(),
                "handelser": resultat.handelser,
            },
        )
    return resultat


class _Batch:
    """Simulates a batch of cases and buffers their rows."""

    def __init__(self, org: Organisation, seed: int, today: date):
        self.org = org
        self.seed = seed
        self.today = today
        self.defaults = local_defaults()
        self.personnummer: set[str] = set()
        self.rows: dict[type[models.Model], Rows] = {
            model: Rows(model)
            for model in (
                Person,
                Arende,
                Handelse,
                Bevakning,
                Varning,
                Behorighet,
                Ansokan,
                Anmalan,
                Utredning,
                Beslut,
                Uppdrag,
                Avslut,
                Genomforandeplan,
                Sammanstallning,
                Daganteckning,
                Uppfoljning,
                StodnivaAndring,
            )
        }

    def flush(self) -> None:
        for rows in self.rows.values():
            rows.flush()

    def person(self, rng: random.Random, insats: str) -> tuple[int, bool]:
        """Add a person; return the id and whether the identity is protected."""
        female = rng.random() < 0.5
        if insats == VOB:
            born = date(rng.randint(1940, 1955), rng.randint(1, 12), rng.randint(1, 28))
        else:
            born = date(rng.randint(1945, 2005), rng.randint(1, 12), rng.randint(1, 28))
        while True:
            number = make_personnummer(born, rng.randint(2, 979), female)
            if number not in self.personnummer:
                break
            born += timedelta(days=1)
        self.personnummer.add(number)
        skyddad = rng.random() < 0.005
        person_id = self.rows[Person].add(
            personnummer=number,
            fornamn=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
            efternamn=rng.choice(EFTERNAMN),
            kon="kvinna" if female else "man",
            fodd=born,
            minderariga_barn=rng.choice((0, 0, 0, 0, 1, 2)) if insats != VOB else 0,
            skyddad_identitet=skyddad,
            adress=f"Exempelgatan {rng.randint(1, 120)}",
            postnummer=f"1{rng.randint(1000, 9999)}",
            ort="Exempelstad",
        )
        return person_id, skyddad

    def write(self, numbers: range, resultat: Resultat) -> None:
        org, today, rows = self.org, self.today, self.rows
        previous: tuple[int, bool, str] | None = None
        for number in numbers:
            rng = case_rng(self.seed, number)
            insats = rng.choice((BOENDESTOD, BOENDESTOD, SBMS, VOB))
            d = rng.randrange(len(org.distrikt))
            if rng.random() < 0.6:
                provider = org.kommunala[d]
            else:
                provider = org.privata[rng.randrange(len(org.privata))]
            if previous is not None and previous[2] != insats and rng.random() < 0.04:
                person_id, skyddad = previous[0], previous[1]  # a second insats, same person
            else:
                person_id, skyddad = self.person(rng, insats)
                resultat.personer += 1
            previous = (person_id, skyddad, insats)
            days = rng.randint(3, 90) if rng.random() < 0.2 else rng.randint(90, 2200)
            start = today - timedelta(days=days)
            events = simulate(insats, start, today, rng).sorted_events()
            handlaggare = rng.choice(org.handlaggare[d])
            personal = rng.choice(org.personal[provider.pk])
            case = _Case(
                arende_id=f"SYN-{number:07d}",
                insats=insats,
                boendeform="lagenhetsboende" if insats == SBMS else "",
                tatare=insats == BOENDESTOD and rng.random() < 0.1,
                utforare_id=provider.pk,
                handlaggare_id=handlaggare.pk,
                forste_id=org.forste[d].pk,
                personal_id=personal.pk,
            )
            created = stad_tid(date.fromisoformat(events[0]["date"]) if events else start)
            case.pk = rows[Arende].add(
                arende_id=case.arende_id,
                person_id=person_id,
                insats=insats,
                boendeform=case.boendeform,
                verksamhetsomrade="aldreomsorg"
                if insats == VOB
                else rng.choice(("socialpsykiatri", "funktionsnedsattning")),
                distrikt_id=org.distrikt[d].pk,
                utforare_id=provider.pk,
                handlaggare_id=handlaggare.pk,
                tatare_uppfoljning=case.tatare,
                skapad=created,
            )
            if skyddad:
                rows[Behorighet].add(
                    arende_id=case.pk,
                    anvandare_id=handlaggare.pk,
                    beviljad_av_id=case.forste_id,
                    beviljad=created,
                )
            handelse_ids = []
            for raw in events:
                day = date.fromisoformat(raw["date"])
                handelse_ids.append(
                    rows[Handelse].add(
                        arende_id=case.pk,
                        typ=raw["type"],
                        datum=day,
                        data={k: v for k, v in raw.items() if k not in _NOT_DATA},
                        registrerad_av_id=handlaggare.pk
                        if raw["type"] in MYNDIGHETENS
                        else personal.pk,
                        registrerad=stad_tid(day),
                    )
                )
            resultat.handelser += len(events)
            resultat.arenden += 1
            _documents(rows, case, events, handelse_ids, random.Random(case.arende_id))
            resultat.bevakningar += self.bevakningar(case, events)

    def bevakningar(self, case: _Case, events: list[dict[str, Any]]) -> int:
        timeline = Timeline(
            case_id=case.arende_id,
            insats=case.insats,
            events=tuple(event_of(raw) for raw in events),
            boendeform=case.boendeform or None,
            tatare_uppfoljning=case.tatare,
        )
        evaluation = evaluate(timeline, self.today, self.defaults)
        add = self.rows[Bevakning].add
        for b in evaluation.bevakningar:
            add(
                arende_id=case.pk,
                regel=b.rule,
                start=b.start,
                forfaller=b.due,
                status=OPEN if b.running else b.status,
                uppfylld=b.met_on,
            )
        for w in evaluation.varningar:
            self.rows[Varning].add(
                arende_id=case.pk, regel=w.rule, datum=w.date, meddelande=w.message
            )
        return len(evaluation.bevakningar)


# Document details of a generated event that are not timeline fields.
_NOT_DATA = frozenset({"date", "type", "skal", "form"})


@dataclass
class _Case:
    arende_id: str
    insats: str
    boendeform: str
    tatare: bool
    utforare_id: int
    handlaggare_id: int
    forste_id: int
    personal_id: int
    pk: int = 0


_TEXTER = (
    "Den enskilde berättar att veckan har gått bra.",
    "Vi handlade tillsammans och gick igenom posten.",
    "Samtal om hur dagarna ska struktureras.",
    "Den enskilde ville inte ta emot besök i dag.",
    "Vi övade på att betala räkningar via internetbanken.",
)


def _documents(
    rows: dict[type[models.Model], Rows],
    case: _Case,
    events: list[dict[str, Any]],
    handelse_ids: list[int],
    rng: random.Random,
) -> None:
    """Add the document rows the authority's and the provider's steps leave behind."""
    plan_version = 0
    summaries: list[tuple[int, date, date]] = []
    notes: list[dict[str, Any]] = []
    for raw, h in zip(events, handelse_ids, strict=True):
        typ, day = raw["type"], date.fromisoformat(raw["date"])
        stamp = stad_tid(day)
        common = {
            "arende_id": case.pk,
            "handelse_id": h,
            "datum": day,
            "skapad_av_id": case.handlaggare_id,
            "skapad": stamp,
        }
        if typ == "ansokan":
            rows[Ansokan].add(**common, sokande="Den enskilde", form=raw["form"])
        elif typ == "anmalan":
            rows[Anmalan].add(
                **common,
                anmalare_namn="Anhörig Exempelsson",
                anmalare_relation=rng.choice(("anhörig", "vården", "hyresvärd")),
                anmalare_kontakt="070-000 00 00",
                beskrivning="Behöver stöd i vardagen.",
            )
        elif typ == "utredning":
            rows[Utredning].add(
                **common,
                behov={"d6": "Behöver stöd med hushållet."},
                analys="Behovet kan inte tillgodoses på annat sätt.",
            )
        elif typ == "beslut":
            rows[Beslut].add(
                **common,
                insats=case.insats,
                lagrum=LAGRUM_BISTAND,
                utfall=raw["utfall"],
                minuter_per_vecka=raw.get("minuter_per_vecka"),
                fran=date.fromisoformat(raw["from"]),
                till=date.fromisoformat(raw["to"]) if raw.get("to") else None,
                aterkallelseforbehall=bool(raw.get("aterkallelseforbehall")),
                motivering="Behovet av stöd är utrett.",
                beslutsfattare_id=case.forste_id,
            )
        elif typ == "uppdrag_skickat":
            structured = bool(raw.get("strukturerat"))
            rows[Uppdrag].add(
                **common,
                utforare_id=case.utforare_id,
                mal="Att klara sitt boende självständigt.",
                personligt_mal="Att trivas hemma." if structured else "",
                livsomraden=["d6"] if structured else [],
                aktiviteter="Stöd med hushåll och ekonomi." if structured else "",
                delmal="Betala hyran i tid." if structured else "",
                stodniva=raw.get("stodniva") or "",
                hyra_fran=date.fromisoformat(raw["hyra_fran"]) if raw.get("hyra_fran") else None,
                tatare_uppfoljning=case.tatare,
                status=Uppdrag.Status.ACCEPTERAT,
            )
        elif typ == "avslut":
            rows[Avslut].add(**common, skal="Insatsen avslutas.")
        elif typ in ("genomforandeplan_klar", "genomforandeplan_reviderad"):
            plan_version += 1
            rows[Genomforandeplan].add(
                arende_id=case.pk,
                version=plan_version,
                handelse_id=h,
                datum=day,
                arbetssatt="Stöd i vardagen enligt uppdraget.",
                bemotande="Lugnt och tydligt.",
                krisplan="Kontakta handläggaren vid försämring.",
                delaktighet=bool(raw.get("delaktighet")),
                delaktighet_beskrivning=""
                if raw.get("delaktighet")
                else "Den enskilde avböjde att delta.",
                andra_planer=[],
                skapad_av_id=case.personal_id,
                skapad=stamp,
            )
        elif typ == "sammanstallning":
            fran = date.fromisoformat(raw["period_fran"])
            till = date.fromisoformat(raw["period_till"])
            summary = rows[Sammanstallning].add(
                arende_id=case.pk,
                period_fran=fran,
                period_till=till,
                tidsanvandning="Tiden har använts enligt planen.",
                malarbete_individ="Den enskilde är nöjd.",
                malarbete_utforare="Målen följs.",
                status=Sammanstallning.Status.OVERFORD,
                overford=day,
                handelse_id=h,
                skriven_av_id=case.personal_id,
                skapad=stamp,
            )
            summaries.append((summary, fran, till))
        elif typ == "daganteckning":
            notes.append(
                {
                    "arende_id": case.pk,
                    "handelse_id": h,
                    "datum": day,
                    "typ": raw.get("anteckningstyp", "anteckning"),
                    "text": rng.choice(_TEXTER),
                    "skriven_av_id": case.personal_id,
                    "skriven": stamp,
                }
            )
        elif typ == "uppfoljning":
            rows[Uppfoljning].add(
                arende_id=case.pk,
                handelse_id=h,
                datum=day,
                checklista=case.insats,
                svar={},
                den_enskilde_deltog=rng.random() < 0.85,
                atgard=Uppfoljning.Atgard.FORTSATT,
                skriven_av_id=case.handlaggare_id,
                skapad=stamp,
            )
        elif typ == "stodniva_bedomd":
            rows[StodnivaAndring].add(
                arende_id=case.pk,
                handelse_id=h,
                niva=raw["niva"],
                galler_fran=day,
                anledning="Behovet har förändrats.",
                registrerad_av_id=case.handlaggare_id,
                registrerad=stamp,
            )
    # Notes already summarised are mostly deleted, as the routine says (003).
    for note in notes:
        covering = next((s for s, fran, till in summaries if fran <= note["datum"] <= till), None)
        if covering is None or rng.random() < 0.3:
            rows[Daganteckning].add(**note, sammanstallning_id=covering)
