"""The case timeline of TIMELINE.md: a case's insats and its dated, typed events."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The field Event.date shadows the type inside the class body.
Date = date

BOENDESTOD = "boendestod"
SOCIALT_BOENDE_MED_STOD = "socialt_boende_med_stod"
VARD_OCH_OMSORGSBOENDE = "vard_och_omsorgsboende"
INSATSER = (BOENDESTOD, SOCIALT_BOENDE_MED_STOD, VARD_OCH_OMSORGSBOENDE)

INSATS_NAMN = {
    BOENDESTOD: "Boendestöd",
    SOCIALT_BOENDE_MED_STOD: "Socialt boende med stöd",
    VARD_OCH_OMSORGSBOENDE: "Vård- och omsorgsboende",
}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

BOENDEFORM_NAMN = {"lagenhetsboende": "Lägenhetsboende"}

UTFALL = ("bifall", "delvis", "avslag")
BEVILJANDE_UTFALL = frozenset({"bifall", "delvis"})
GRAD = ("helt", "delvis")
STODNIVAER = ("lag", "medel", "hog")

# Every event type of TIMELINE.md with its Swedish label for the user interface.
EVENT_TYPES: dict[str, str] = {
    "ansokan": "Ansökan",
    "anmalan": "Anmälan om behov",
    "kommunicerat": "Underlag kommunicerat",
    "kommunicering_avbojd": "Kommunicering avböjd",
    "beslut": "Beslut",
    "uppdrag_skickat": "Uppdrag skickat",
    "kontakt_tagen": "Kontakt tagen",
    "uppstartsmote": "Uppstartsmöte",
    "verkstallt": "Verkställt",
    "genomforandeplan_klar": "Genomförandeplan klar",
    "genomforandeplan_reviderad": "Genomförandeplan reviderad",
    "daganteckning": "Daganteckning",
    "sammanstallning": "Sammanställning",
    "utredning": "Utredning",
    "uppfoljning": "Uppföljning",
    "stodniva_bedomd": "Stödnivå bedömd",
    "sjukhusinlaggning": "Sjukhusinläggning",
    "utskrivning": "Utskrivning",
    "paus": "Paus",
    "paus_bedomd": "Fortsatt paus bedömd",
    "ateruppta": "Återupptagen",
    "utebliven_kontakt": "Utebliven kontakt",
    "kontakt_aterupptagen": "Kontakt återupptagen",
    "eskalerad": "Eskalerad",
    "lex_sarah": "Lex Sarah-rapport",
    "handlaggare_kontaktad": "Handläggare kontaktad",
    "egenavgift_obetald": "Egenavgift obetald",
    "samlarteam_start": "Samlarteam start",
    "samlarteam_utvardering": "Samlarteam utvärdering",
    "ivo_rapport": "Rapport till IVO",
    "avslut": "Avslut",
    "slutanteckning": "Slutanteckning",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One dated, typed event; the optional fields are those TIMELINE.md gives per type."""

    date: Date
    type: str
    utfall: str | None = None
    from_date: Date | None = None
    to_date: Date | None = None
    minuter_per_vecka: int | None = None
    aterkallelseforbehall: bool = False
    stodniva: str | None = None
    hyra_fran: Date | None = None
    strukturerat: bool | None = None
    grad: str | None = None
    niva: str | None = None
    sarskilt_behov: str | None = None
    delaktighet: bool | None = None
    barnperspektiv: bool | None = None

    @property
    def assessed_level(self) -> str | None:
        """Return the support level this event sets, if any."""
        if self.type == "stodniva_bedomd":
            return self.niva
        if self.type == "uppdrag_skickat":
            return self.stodniva
        return None


@dataclass(frozen=True, slots=True)
class Timeline:
    """A case (one individual, one insats) as a list of dated events."""

    case_id: str
    insats: str
    events: Sequence[Event] = field(default_factory=tuple)
    boendeform: str | None = None
    tatare_uppfoljning: bool = False


class TimelineError(ValueError):
    """Bad timeline input; `where` names the case and event it concerns."""

    def __init__(self, message: str, *, case_id: str | None = None, event_index: int | None = None):
        self.message = message
        self.case_id = case_id
        self.event_index = event_index
        super().__init__(self.describe())

    def describe(self) -> str:
        parts = []
        if self.case_id is not None:
            parts.append(f'case_id "{self.case_id}"')
        if self.event_index is not None:
            parts.append(f"events[{self.event_index}]")
        parts.append(self.message)
        return ": ".join(parts)


def parse_date(value: Any, what: str) -> date:
    """Return the ISO date in `value`, or raise TimelineError naming `what`."""
    if not isinstance(value, str):
        raise TimelineError(f"{what} saknas eller är inte ett datum (ÅÅÅÅ-MM-DD)")
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise TimelineError(f'{what} "{value}" är inte ett giltigt datum (ÅÅÅÅ-MM-DD)') from None


def _optional_date(raw: Mapping[str, Any], key: str) -> date | None:
    value = raw.get(key)
    return None if value is None else parse_date(value, f"fältet {key}")


def _optional_bool(raw: Mapping[str, Any], key: str) -> bool | None:
    value = raw.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise TimelineError(f"fältet {key} ska vara true eller false")


def _optional_choice(raw: Mapping[str, Any], key: str, choices: Sequence[str]) -> str | None:
    value = raw.get(key)
    if value is None or value in choices:
        return value
    allowed = " | ".join(choices)
    raise TimelineError(f'fältet {key} har okänt värde "{value}" (tillåtna: {allowed})')


def _optional_minutes(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TimelineError(f"fältet {key} ska vara ett heltal minuter (0 eller fler)")
    return value


def parse_event(raw: Any) -> Event:
    """Return the Event in a JSON object, or raise TimelineError."""
    if not isinstance(raw, Mapping):
        raise TimelineError("händelsen är inte ett JSON-objekt")
    event_date = parse_date(raw.get("date"), "fältet date")
    event_type = raw.get("type")
    if event_type not in EVENT_TYPES:
        if event_type is None:
            raise TimelineError("fältet type saknas")
        raise TimelineError(f'okänd händelsetyp "{event_type}"')
    utfall = _optional_choice(raw, "utfall", UTFALL)
    if event_type == "beslut" and utfall is None:
        raise TimelineError("beslut saknar utfall (bifall | delvis | avslag)")
    from_date = _optional_date(raw, "from")
    to_date = _optional_date(raw, "to")
    if from_date and to_date and to_date < from_date:
        raise TimelineError(f"fältet to ({to_date}) ligger före from ({from_date})")
    sarskilt = raw.get("sarskilt_behov")
    return Event(
        date=event_date,
        type=event_type,
        utfall=utfall,
        from_date=from_date,
        to_date=to_date,
        minuter_per_vecka=_optional_minutes(raw, "minuter_per_vecka"),
        aterkallelseforbehall=bool(_optional_bool(raw, "aterkallelseforbehall")),
        stodniva=_optional_choice(raw, "stodniva", STODNIVAER),
        hyra_fran=_optional_date(raw, "hyra_fran"),
        strukturerat=_optional_bool(raw, "strukturerat"),
        grad=_optional_choice(raw, "grad", GRAD),
        niva=_optional_choice(raw, "niva", STODNIVAER),
        sarskilt_behov=str(sarskilt) if sarskilt not in (None, False, "") else None,
        delaktighet=_optional_bool(raw, "delaktighet"),
        barnperspektiv=_optional_bool(raw, "barnperspektiv"),
    )


def parse_timeline(raw: Any) -> Timeline:
    """Return the Timeline in one JSON case object, or raise TimelineError."""
    if not isinstance(raw, Mapping):
        raise TimelineError("ärendet är inte ett JSON-objekt")
    case_id = raw.get("case_id")
    if case_id is None or isinstance(case_id, bool | dict | list) or str(case_id) == "":
        raise TimelineError("fältet case_id saknas")
    case_id = str(case_id)
    insats = raw.get("insats")
    if insats not in INSATSER:
        raise TimelineError(
            f'okänd insats "{insats}" (tillåtna: {" | ".join(INSATSER)})', case_id=case_id
        )
    events_raw = raw.get("events", [])
    if not isinstance(events_raw, list):
        raise TimelineError("fältet events ska vara en lista", case_id=case_id)
    events = []
    for index, event_raw in enumerate(events_raw):
        try:
            events.append(parse_event(event_raw))
        except TimelineError as error:
            raise TimelineError(error.message, case_id=case_id, event_index=index) from None
    boendeform = raw.get("boendeform")
    tatare = raw.get("tatare_uppfoljning", False)
    if not isinstance(tatare, bool):
        raise TimelineError("fältet tatare_uppfoljning ska vara true eller false", case_id=case_id)
    return Timeline(
        case_id=case_id,
        insats=insats,
        events=tuple(sorted(events, key=lambda event: event.date)),
        boendeform=boendeform if isinstance(boendeform, str) else None,
        tatare_uppfoljning=tatare,
    )
