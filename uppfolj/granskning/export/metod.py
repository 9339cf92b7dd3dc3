"""The report's selection and method in Swedish: what was chosen, how each figure is
computed (GRANSKNING.md in short), and how the comparisons are drafted."""

from __future__ import annotations

from typing import Any

from uppfolj.arenden.models import Kon
from uppfolj.domain import kvalitet as kvalitetsregler
from uppfolj.domain.timeline import INSATS_NAMN

from ..tabeller import OMRADE_NAMN

URVAL_RUBRIK = {
    "insats": "Insats",
    "distrikt": "Distrikt",
    "verksamhetsomrade": "Verksamhetsområde",
    "utforare": "Utförare",
    "kon": "Kön",
}


def urval_rader(urval: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the selection as (label, value) in Swedish, naming what was left open."""
    namn = {
        "insats": lambda v: INSATS_NAMN.get(v, v),
        "verksamhetsomrade": lambda v: OMRADE_NAMN.get(v, v),
        "kon": lambda v: dict(Kon.choices).get(v, v),
    }
    oppet = {"distrikt": "Alla distrikt", "verksamhetsomrade": "Alla", "kon": "Alla"}
    rader: list[tuple[str, str]] = []
    for key, rubrik in URVAL_RUBRIK.items():
        value = urval.get(key)
        if value is None:
            if key in oppet:
                rader.append((rubrik, oppet[key]))
            continue
        rader.append((rubrik, str(namn.get(key, str)(value))))
    return rader


# The definitions of GRANSKNING.md in short Swedish, in the order of the report.
DEFINITIONER: tuple[tuple[str, str], ...] = (
    (
        "Ärenden i urvalet",
        "Ärenden med ett gällande beviljande beslut (bifall eller delvis bifall) på "
        "utvärderingsdagen och inget avslut senast den dagen.",
    ),
    (
        "Beviljad tid per månad",
        "Det senaste beslutets minuter per vecka × 52 / 12 / 60; medelvärdet per "
        "verksamhetsområde och kön, avrundat till en decimal.",
    ),
    (
        "År med insatsen",
        "Hela år från första dagen i personens första beslut som beviljade insatsen till "
        "utvärderingsdagen, i grupperna < 1, 1-2, 3-5 och > 5 år.",
    ),
    (
        "Beslutstid",
        "Hela månader från det senaste beslutets första dag till dagen efter dess sista "
        "dag: < 6 månader, 6-11 månader, 1 år, > 1 år, eller tills vidare utan slutdag.",
    ),
    (
        "Aktuell genomförandeplan",
        "En genomförandeplan upprättad eller reviderad inom tolv månader före utvärderingsdagen.",
    ),
    (
        "Den enskildes delaktighet i planen",
        "Bland ärenden med aktuell plan: den senaste planen anger att den enskilde varit delaktig.",
    ),
    (
        "Uppföljd inom intervallet",
        "Ingen försenad uppföljningsbevakning (SBMS-UPPF-3M, VOB-UPPF-12M, "
        "GEN-TAT-UPPF-3M, GEN-BESLUT-UTGAR) på utvärderingsdagen.",
    ),
    ("Strukturerat uppdrag", "Det senast skickade uppdraget är strukturerat."),
    (
        "Längsta glapp i daganteckningar",
        "Per ärende flest dagar mellan två daganteckningar, och från den sista till "
        "utvärderingsdagen, sedan verkställigheten; median och högsta värde i urvalet.",
    ),
    (
        "Barnperspektiv i utredningen",
        "Bland ärenden där personen har minderåriga barn: de med en utredning som beaktar "
        "barnperspektivet.",
    ),
    (
        "Ej verkställda inom tre månader",
        "Bevakningar enligt GEN-IVO-3M som är försenade eller rapporterade till IVO på "
        "utvärderingsdagen.",
    ),
    (
        "Bevakningar i tid",
        "Per regel, bevakningar som förfallit senast utvärderingsdagen: i tid / (i tid + "
        "för sent + försenade + rapporterade).",
    ),
    (
        "Ändrat uppdrag under beslutet",
        "Ärenden där uppdraget ändrats (nytt uppdrag eller ny stödnivå) sedan det gällande "
        "beslutet fattades.",
    ),
    (
        "Avbokningar",
        "Avbokningar under det gällande beslutet; bland ärenden med minst tre, de där "
        "handläggaren kontaktats efter den tredje.",
    ),
    (
        "Besök utanför kontorstid",
        "Besök under de tre månaderna före utvärderingsdagen som gjorts vardagskvällar "
        "eller helger, som andel av alla besök.",
    ),
    (
        "Personal per individ",
        "Antal olika personal som gjort ett ärendes besök under samma tre månader; median, "
        "högsta och andelen ärenden med två eller tre.",
    ),
)


def jamforelse_text() -> list[str]:
    """Return how strengths, development areas and marked differences are drafted."""
    r = kvalitetsregler
    kvot = f"{r.LIKSTALLIGHET_KVOT}".replace(".", ",")
    return [
        "Styrkor och utvecklingsområden formuleras där urvalets värde skiljer sig från "
        f"stadens med minst {r.SKILLNAD_PROCENTENHETER} procentenheter (andelar) eller "
        f"minst {int(r.SKILLNAD_RELATIV * 100)} % av stadens värde (övriga värden). Staden "
        "är alla ärenden med samma insats på utvärderingsdagen.",
        "I likställigheten markeras ett distrikt som avviker markant: med minst "
        f"{r.LIKSTALLIGHET_MINSTA_UNDERLAG} ärenden bakom värdet och mer än "
        f"{r.LIKSTALLIGHET_PROCENTENHETER} procentenheter (andelar) eller {kvot} gånger "
        "(övriga värden) från medelvärdet för de andra distrikten.",
    ]
