"""Every rule of RULES.md, declared once with its ID, source and Swedish text.

The tables below are meant to be read side by side with
`shared/domain/RULES.md`: one entry per row, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Literal

from .calendar import add_months, add_vardagar
from .timeline import (
    BEVILJANDE_UTFALL,
    BOENDESTOD,
    INSATSER,
    SOCIALT_BOENDE_MED_STOD,
    VARD_OCH_OMSORGSBOENDE,
    Event,
)

FIXED = "fast"
LOCAL_DEFAULT = "lokalt standardvärde"


@dataclass(frozen=True)
class LocalDefaults:
    """The values RULES.md leaves to the municipality, with the documented defaults."""

    sbms_lexsarah_vardagar: int = 1
    bs_tredagars_dagar: int = 3
    bs_slutant_vardagar: int = 5
    beslut_utgar_paminnelse_dagar: int = 30
    egenavgift_obetalda_manader: int = 2
    egenavgift_fonster_manader: int = 6

    @classmethod
    def from_mapping(cls, values: dict[str, int]) -> LocalDefaults:
        """Return defaults overridden by `values`; unknown or non-positive values raise."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"okända lokala standardvärden: {', '.join(sorted(unknown))}")
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"lokalt standardvärde {name} ska vara ett positivt heltal")
        return cls(**values)


DEFAULTS = LocalDefaults()


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: seed file, section and the passage."""

    seed: str
    section: str
    passage: str

    def __str__(self) -> str:
        return f"{self.seed} {self.section}: ”{self.passage}”"


Unit = Literal["dagar", "veckor", "månader", "vardagar"]


@dataclass(frozen=True)
class Period:
    """How far after its start a deadline falls; `setting` names a local default."""

    count: int
    unit: Unit
    setting: str | None = None

    def resolve(self, defaults: LocalDefaults) -> int:
        return getattr(defaults, self.setting) if self.setting else self.count

    def after(self, start: date, defaults: LocalDefaults = DEFAULTS) -> date:
        count = self.resolve(defaults)
        if self.unit == "månader":
            return add_months(start, count)
        if self.unit == "veckor":
            return start + timedelta(weeks=count)
        if self.unit == "vardagar":
            return add_vardagar(start, count)
        return start + timedelta(days=count)

    def describe(self, defaults: LocalDefaults = DEFAULTS) -> str:
        count = self.resolve(defaults)
        unit = (
            {"månader": "månad", "vardagar": "vardag", "dagar": "dag", "veckor": "vecka"}[self.unit]
            if count == 1
            else self.unit
        )
        return f"{count} {unit}"


# A start condition decides whether the event at `index` starts an instance.
StartCondition = Callable[[Sequence[Event], int], bool]


def is_executing(events: Sequence[Event], index: int) -> bool:
    """Return whether the insats has been verkställd before the event at `index`."""
    return any(event.type == "verkstallt" for event in events[:index])


def is_paused(events: Sequence[Event], index: int) -> bool:
    """Return whether a paus before `index` has not been followed by återupptagande."""
    paused = False
    for event in events[:index]:
        if event.type == "paus":
            paused = True
        elif event.type == "ateruppta":
            paused = False
    return paused


def not_yet_executing(events: Sequence[Event], index: int) -> bool:
    # A new uppdrag or decision while the insats is carried out continues it;
    # the execution clocks run only until the insats is first verkställd.
    return not is_executing(events, index)


def first_execution(events: Sequence[Event], index: int) -> bool:
    # The plan is due from the verkställighetsdatum: a later verkstallt (partial,
    # then in full) does not start a second plan deadline.
    return not is_executing(events, index)


def granting_decision_not_executing(events: Sequence[Event], index: int) -> bool:
    return events[index].utfall in BEVILJANDE_UTFALL and not is_executing(events, index)


def interruption_of_execution(events: Sequence[Event], index: int) -> bool:
    return is_executing(events, index) and not is_paused(events, index)


def decision_with_end_date(events: Sequence[Event], index: int) -> bool:
    # A refusal grants nothing that could run out.
    return events[index].utfall in BEVILJANDE_UTFALL and events[index].to_date is not None


def always(events: Sequence[Event], index: int) -> bool:
    return True


@dataclass(frozen=True)
class DeadlineRule:
    """A bevakning: starts at an event, falls due after a period, met by later events."""

    id: str
    text: str
    insatser: frozenset[str]
    starts_on: frozenset[str]
    met_by: frozenset[str]
    source: Source
    kind: str = FIXED
    # None: due on the starting decision's `to` date (GEN-BESLUT-UTGAR).
    period: Period | None = None
    start_condition: StartCondition = always
    # Events that close an instance as "reported" once it is overdue.
    reported_by: frozenset[str] = frozenset()
    recurring: bool = False
    # For a recurring rule: the met_by events that start the next instance
    # (all of met_by when empty); the others end the chain.
    restarts_on: frozenset[str] = frozenset()
    only_tatare_uppfoljning: bool = False
    remind_days_before_setting: str | None = None

    def due(self, start_event: Event, defaults: LocalDefaults = DEFAULTS) -> date:
        if self.period is None:
            assert start_event.to_date is not None
            return start_event.to_date
        return self.period.after(start_event.date, defaults)

    def restarts_chain(self, event_type: str) -> bool:
        return event_type in (self.restarts_on or self.met_by)

    def applies_to(self, insats: str, tatare_uppfoljning: bool) -> bool:
        if self.only_tatare_uppfoljning and not tatare_uppfoljning:
            return False
        return insats in self.insatser

    def describe_due(self, defaults: LocalDefaults = DEFAULTS) -> str:
        if self.period is None:
            return "på beslutets slutdatum"
        return f"{self.period.describe(defaults)} efter start"


ALLA = frozenset(INSATSER)
BS = frozenset({BOENDESTOD})
SBMS = frozenset({SOCIALT_BOENDE_MED_STOD})
VOB = frozenset({VARD_OCH_OMSORGSBOENDE})


def _types(*names: str) -> frozenset[str]:
    return frozenset(names)


DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        id="BS-KONTAKT-3VD",
        text="Kontakt med den enskilde inom tre vardagar från inkommet uppdrag",
        insatser=BS,
        starts_on=_types("uppdrag_skickat"),
        start_condition=not_yet_executing,
        period=Period(3, "vardagar"),
        met_by=_types("kontakt_tagen", "uppstartsmote", "verkstallt"),
        source=Source(
            "003",
            "Att verkställa beslutat bistånd",
            "Boendestödet tar kontakt med individen inom tre vardagar",
        ),
    ),
    DeadlineRule(
        id="BS-VERKST-1M",
        text="Insatsen verkställd senast en månad från inkommet uppdrag",
        insatser=BS,
        starts_on=_types("uppdrag_skickat"),
        start_condition=not_yet_executing,
        period=Period(1, "månader"),
        met_by=_types("verkstallt"),
        source=Source(
            "003",
            "Att verkställa beslutat bistånd",
            "Verkställande bör ske skyndsamt men senast inom en månad från inkommit uppdrag",
        ),
    ),
    DeadlineRule(
        id="GEN-IVO-3M",
        text="Beslutet verkställt inom tre månader, annars rapport till IVO",
        insatser=ALLA,
        starts_on=_types("beslut"),
        start_condition=granting_decision_not_executing,
        period=Period(3, "månader"),
        met_by=_types("verkstallt"),
        reported_by=_types("ivo_rapport"),
        source=Source(
            "003",
            "Att tänka på när uppdrag har skickats",
            "Om insatsen inte har kunnat verkställas inom tre månader ska socialsekreteraren "
            "rapportera in detta till IVO som ett ej verkställt beslut",
        ),
    ),
    DeadlineRule(
        id="GEN-IVO-AVBROTT-3M",
        text="Avbrott i verkställigheten återupptaget inom tre månader, annars rapport till IVO",
        insatser=ALLA,
        starts_on=_types("paus"),
        start_condition=interruption_of_execution,
        period=Period(3, "månader"),
        met_by=_types("ateruppta"),
        reported_by=_types("ivo_rapport"),
        source=Source(
            "003",
            "Om individen är frånvarande",
            "I de fall individen kommer vara frånvarande under en tid kan boendestödet pausas "
            "efter överenskommelse mellan individ, boendestöd och socialsekreterare",
        ),
    ),
    DeadlineRule(
        id="BS-GFP-4V",
        text="Genomförandeplan klar fyra veckor efter verkställighetsdatum",
        insatser=BS,
        starts_on=_types("verkstallt"),
        start_condition=first_execution,
        period=Period(4, "veckor"),
        met_by=_types("genomforandeplan_klar"),
        source=Source(
            "003",
            "Genomförandeplan",
            "vara klar fyra veckor efter verkställighetsdatum",
        ),
    ),
    DeadlineRule(
        id="VOB-GFP-14D",
        text="Genomförandeplan upprättad senast 14 dagar efter att insatsen påbörjats",
        insatser=VOB,
        starts_on=_types("verkstallt"),
        start_condition=first_execution,
        period=Period(14, "dagar"),
        met_by=_types("genomforandeplan_klar"),
        source=Source(
            "001",
            "Genomförandeplan",
            "senast 14 dagar från det att insatsen har påbörjats",
        ),
    ),
    DeadlineRule(
        id="BS-SAMMANST-89D",
        text="Sammanställning av daganteckningar till journalen minst var 89:e dag",
        insatser=BS,
        starts_on=_types("verkstallt"),
        period=Period(89, "dagar"),
        met_by=_types("sammanstallning"),
        recurring=True,
        source=Source(
            "003",
            "Sammanställningar av daganteckningar",
            "Sammanställning av daganteckningar överförs till individens journal var tredje "
            "månad (max 89 dagar), eller oftare",
        ),
    ),
    DeadlineRule(
        id="SBMS-UPPF-3M",
        text="Uppföljning av socialt boende med stöd minst var tredje månad",
        insatser=SBMS,
        starts_on=_types("verkstallt"),
        period=Period(3, "månader"),
        met_by=_types("uppfoljning"),
        recurring=True,
        source=Source(
            "000",
            "Information",
            "Uppföljning ska göras minst var tredje månad eller oftare vid behov",
        ),
    ),
    DeadlineRule(
        id="VOB-UPPF-12M",
        text="Individuell uppföljning i vård- och omsorgsboende minst en gång per år",
        insatser=VOB,
        starts_on=_types("verkstallt"),
        period=Period(12, "månader"),
        met_by=_types("uppfoljning"),
        recurring=True,
        source=Source(
            "001",
            "Allmänt om uppföljning av beslut; Återkoppling till chef",
            "Uppföljning av insatsen ska ske kontinuerligt, minst en gång per år. … "
            "Ett nytt bevakningsdatum registreras i Treserva ett år framåt i tiden",
        ),
    ),
    DeadlineRule(
        id="GEN-TAT-UPPF-3M",
        text="Tätare uppföljning var tredje månad",
        insatser=ALLA,
        only_tatare_uppfoljning=True,
        starts_on=_types("verkstallt"),
        period=Period(3, "månader"),
        met_by=_types("uppfoljning"),
        recurring=True,
        source=Source(
            "003",
            "Att tänka på om uppdrag som behöver snabbare hantering",
            "För uppdrag som kräver tätare uppföljningar kontaktar socialsekreteraren "
            "stödpedagogen … Det kan även handla om individer som får stöd via samlarteamet "
            "där uppföljning rekommenderas var tredje månad",
        ),
    ),
    DeadlineRule(
        id="GEN-BESLUT-UTGAR",
        text="Beslutet går ut: nytt beslut eller avslut",
        insatser=ALLA,
        starts_on=_types("beslut"),
        start_condition=decision_with_end_date,
        period=None,
        met_by=_types("beslut", "avslut"),
        remind_days_before_setting="beslut_utgar_paminnelse_dagar",
        source=Source(
            "003",
            "Att tänka på vid bedömning av tid",
            "När socialsekreteraren följer upp pågående beslut eller beslut som håller på att "
            "gå ut",
        ),
    ),
    DeadlineRule(
        id="BS-SAMLAR-UTV-3M",
        text="Samlarteamets insats utvärderad senast efter tre månader",
        insatser=BS,
        starts_on=_types("samlarteam_start"),
        period=Period(3, "månader"),
        met_by=_types("samlarteam_utvardering"),
        source=Source(
            "003",
            "Följa upp (utförare)",
            "Samlarteamet för anteckningar direkt i individens genomförandejournal. Insatsen "
            "följs upp vid varje insatstillfälle och utvärderas senast efter tre månader",
        ),
    ),
    DeadlineRule(
        id="SBMS-LEXSARAH",
        text="Ansvarig handläggare kontaktad för uppföljning efter lex Sarah-rapport",
        insatser=SBMS,
        starts_on=_types("lex_sarah"),
        period=Period(1, "vardagar", setting="sbms_lexsarah_vardagar"),
        met_by=_types("handlaggare_kontaktad", "uppfoljning"),
        kind=LOCAL_DEFAULT,
        source=Source(
            "000",
            "Information",
            "Vid rapporterade missförhållande enligt lex Sarah ska ansvarig handläggare "
            "kontaktas för uppföljning",
        ),
    ),
    DeadlineRule(
        id="BS-3DAGARS",
        text="3-dagarsrutinen: kontakt återupptagen eller ärendet eskalerat",
        insatser=BS,
        starts_on=_types("utebliven_kontakt"),
        period=Period(3, "dagar", setting="bs_tredagars_dagar"),
        met_by=_types("kontakt_aterupptagen", "eskalerad"),
        kind=LOCAL_DEFAULT,
        source=Source(
            "003",
            "Att tänka på under genomförandet",
            "Om individen inte är hemma/svarar vid kontaktförsök när boendestödsinsatsen ska "
            "genomföras och inte har avbokat insatsen påbörjar boendestödet 3-dagars rutinen",
        ),
    ),
    DeadlineRule(
        id="GEN-FRANVARO-1M",
        text="Frånvaro över en månad: bedöm fortsatt paus eller avslut",
        insatser=ALLA,
        starts_on=_types("paus"),
        period=Period(1, "månader"),
        met_by=_types("ateruppta", "avslut", "paus_bedomd"),
        restarts_on=_types("paus_bedomd"),
        recurring=True,
        source=Source(
            "003",
            "Om individen är frånvarande",
            "borta en längre tid (till exempel över en månad) så görs en individuell bedömning",
        ),
    ),
    DeadlineRule(
        id="BS-SLUTANT",
        text="Slutanteckning skriven efter avslut",
        insatser=BS,
        starts_on=_types("avslut"),
        period=Period(5, "vardagar", setting="bs_slutant_vardagar"),
        met_by=_types("slutanteckning"),
        kind=LOCAL_DEFAULT,
        source=Source(
            "003",
            "Avsluta och utvärdera ärendet",
            "Innan socialsekreteraren avslutar ärendet i Treserva behöver hen meddela "
            "boendestödet så att en slutanteckning skrivs. Detta görs skyndsamt",
        ),
    ),
)

DEADLINE_RULES_BY_ID = {rule.id: rule for rule in DEADLINE_RULES}


@dataclass(frozen=True)
class WarningRule:
    """A problem the user must see; `overridable` ones take a written reason."""

    id: str
    text: str
    source: Source
    kind: str = FIXED
    overridable: bool = False
    # Rules decided from the timeline alone name their check in engine.WARNING_CHECKS;
    # the others need records beyond the timeline and are checked by the application.
    from_timeline: bool = False
    insatser: frozenset[str] = field(default=ALLA)
    # The LocalDefaults a local-default warning reads.
    settings: tuple[str, ...] = ()


WARNING_RULES: tuple[WarningRule, ...] = (
    WarningRule(
        id="GEN-ATERKALL-6M",
        text="Beslut kortare än sex månader bör inte ha återkallelseförbehåll",
        from_timeline=True,
        source=Source(
            "003",
            "Att tänka på om återkallelseförbehåll",
            "kortare beslut (och med detta avses beslut kortare än 6 månader) inte bör ha "
            "återkallelseförbehåll",
        ),
    ),
    WarningRule(
        id="GEN-KOMB-HEMTJANST",
        text="Boendestöd och hemtjänst beviljade för samma period",
        overridable=True,
        source=Source(
            "003",
            "Att tänka på om andra insatser",
            "boendestöd och hemtjänst inte menat att beviljas samtidigt",
        ),
    ),
    WarningRule(
        id="GEN-KOMB-SBMS",
        text="Boendestöd och socialt boende med stöd beviljade för samma period",
        overridable=True,
        source=Source(
            "003",
            "Att tänka på om andra insatser",
            "Boendestöd ska heller inte kombineras med socialt boende med stöd",
        ),
    ),
    WarningRule(
        id="GEN-KOMMUNICERING",
        text="Beslut fattat utan att underlaget kommunicerats eller kommunicering avböjts",
        from_timeline=True,
        source=Source(
            "003",
            "Efter mötet – kommunicering av underlag",
            "Socialtjänsten har en skyldighet att kommunicera underlag av betydelse, vilket en "
            "utredning räknas som. Individen har rätt att få läsa (men är inte skyldig att läsa) "
            "innan beslut fattas om boendestöd",
        ),
    ),
    WarningRule(
        id="GEN-EJ-KOMMUNICERAT-UPPDRAG",
        text="Den enskilde avböjde kommunicering men uppdraget säger inte det till utföraren",
        source=Source(
            "003",
            "Efter mötet – kommunicering av underlag",
            "Om individen avböjt kommunicering innebär det att individen inte läst den "
            "information som skickas i uppdraget till boendestödet. … socialsekreteraren "
            "meddelar boendestödet, exempelvis under rubriken övrig information i uppdraget, "
            "att individen inte tagit del av beslutsunderlaget",
        ),
    ),
    WarningRule(
        id="SBMS-NIVA-1M",
        text="Stödnivån ändrad mindre än en månad efter att den sattes, utan särskilt behov",
        overridable=True,
        from_timeline=True,
        insatser=SBMS,
        source=Source(
            "002",
            "Hantering av stödnivåer – process",
            "Den initiala nivåbedömningen gäller fram till nästa uppföljning/omprövning. Som "
            "huvudregel dock minst en månad, men om behov föreligger kan nivån justeras tidigare",
        ),
    ),
    WarningRule(
        id="SBMS-NIVA-6H",
        text="Stödnivå hög och bedömt behov över sex timmar i veckan",
        insatser=SBMS,
        source=Source(
            "002",
            "Bedömningsstöd för stödnivåer",
            "Om stödbehovet är mer än sex timmar ska andra kompletterande insatser övervägas",
        ),
    ),
    WarningRule(
        id="SBMS-EGENAVG-UPPREPAD",
        text="Upprepade uteblivna inbetalningar av egenavgiften",
        kind=LOCAL_DEFAULT,
        settings=("egenavgift_obetalda_manader", "egenavgift_fonster_manader"),
        from_timeline=True,
        insatser=SBMS,
        source=Source(
            "000",
            "Frågor att gå igenom",
            "Vid upprepade uteblivna inbetalningar ska möjligheten till förmedling/god man/"
            "förvaltare diskuteras",
        ),
    ),
    WarningRule(
        id="GEN-SAMLAR-KAPACITET",
        text="Samlarteamet har redan 20 pågående ärenden",
        source=Source(
            "003",
            "Samlarteamet – ett specialiserat boendestödsteam",
            "Samlarteamet har hela staden som upptagningsområde och en maxkapacitet på 20 "
            "ärenden åt gången",
        ),
    ),
    WarningRule(
        id="GEN-SAMLAR-CHECKLISTA",
        text="Färre än två av samlarteamets fem checklistfrågor besvarade med ja",
        source=Source(
            "003",
            "Samlarteamet – ett specialiserat boendestödsteam",
            "Två till tre av checklistans fem frågor bör vara markerade JA",
        ),
    ),
    WarningRule(
        id="GEN-KONTINUITET",
        text="Färre än två eller fler än tre boendestödjare under de senaste tre månaderna",
        source=Source(
            "003; 004",
            "Metoder och förhållningssätt; Helhetssyn och samordning",
            "strävar boendestödet efter att så få boendestödjare som möjligt ska träffa "
            "individen, men minst två bör vara kopplade till individen … Tre boendestödjare "
            "anges som en övre gräns",
        ),
    ),
    WarningRule(
        id="GEN-BARN",
        text="Minderåriga barn i hushållet men inget barnperspektiv i utredningen",
        source=Source(
            "004",
            "Barnperspektiv",
            "När en person med funktionsnedsättning med vårdnadsansvar för barn ansöker om "
            "insatser enligt SoL eller LSS är det viktigt att beakta behovet och utformningen "
            "av insatser även ur ett barnperspektiv",
        ),
    ),
    WarningRule(
        id="GEN-GFP-DELAKTIGHET",
        text="Genomförandeplanen saknar den enskildes delaktighet och hur den eftersträvats",
        source=Source(
            "001; 003; 004",
            "Genomförandeplan",
            "Dokumentera på vilket sätt den enskildes delaktighet i upprättandet av en "
            "genomförandeplan har eftersträvats. … Individens deltagande i utformningen av "
            "genomförandeplanen är avgörande för att säkerställa inflytande och "
            "självbestämmande över insatsen. … I allmänna råd till 6 kap 2 § SOSFS 2014:5 "
            "anges att det bör framgå i genomförandeplanen om den enskilde varit delaktig i "
            "upprättandet av den",
        ),
    ),
)

WARNING_RULES_BY_ID = {rule.id: rule for rule in WARNING_RULES}


def rule_text(rule_id: str) -> str:
    """Return the Swedish text of a deadline or warning rule."""
    rule = DEADLINE_RULES_BY_ID.get(rule_id) or WARNING_RULES_BY_ID[rule_id]
    return rule.text
