"""The audit's six quality areas (Socialstyrelsen, as seed 004 names them) and likställighet.

Plain Python over the JSON objects of GRANSKNING.md (as `granskning.berakna` returns
them): which indicator speaks to which area, how a value is read off a figure, when a
selection differs from the city enough to draft a strength or a development area, and
when a district differs markedly from the others.

Rules, stated once:

- An indicator's value is read from one figure with the number of cases it rests on
  (its `underlag`). An indicator with no cases behind it drafts nothing and is never
  flagged.
- Strength or development area (selection against the whole city): a share differs by
  at least `SKILLNAD_PROCENTENHETER` (10) percentage points; any other value (days) by
  at least `SKILLNAD_RELATIV` (25 %) of the city's value. The side that is better
  (`battre`) makes it a strength, the other a development area.
- Likställighet, "differs markedly": a district with at least `LIKSTALLIGHET_MINSTA_UNDERLAG`
  (5) cases behind the value whose value lies more than `LIKSTALLIGHET_PROCENTENHETER`
  (15) percentage points (shares), or (other values) more than `LIKSTALLIGHET_KVOT` (1.5)
  times above or below, from both the mean of the other districts and the median of all
  districts. Only districts with a value resting on at least as many cases are compared
  (a small district neither is flagged nor makes another look different). The median
  keeps one outlier from making the normal districts look different too (with three
  districts at 30 %, 70 % and 70 % only the first differs); with two districts both
  differ; with one there is nothing to compare with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HOGRE = "hogre"
LAGRE = "lagre"

ANDEL = "andel"
DAGAR = "dagar"
TIMMAR = "timmar"

SKILLNAD_PROCENTENHETER = 10
SKILLNAD_RELATIV = Decimal("0.25")
LIKSTALLIGHET_PROCENTENHETER = 15
LIKSTALLIGHET_KVOT = Decimal("1.5")
LIKSTALLIGHET_MINSTA_UNDERLAG = 5

# Decision lengths counted as long (004: "Längre beslutstider innebär större trygghet för
# den enskilde och minskar den administrativa bördan").
LANGA_BESLUT = ("1ar", ">1ar", "tillsvidare")

Varde = tuple[float | None, int]


def _kvot(antal: int, av: int) -> Varde:
    return (None if av == 0 else antal / av), av


def _andel_av(figur: str) -> Callable[[Mapping[str, Any]], Varde]:
    def read(result: Mapping[str, Any]) -> Varde:
        f = result.get(figur) or {}
        return _kvot(f.get("antal", 0), f.get("av", 0))

    return read


def _glapp(result: Mapping[str, Any]) -> Varde:
    f = result.get("langsta_glapp_daganteckningar") or {}
    return f.get("median"), f.get("antal", 0)


def _barnperspektiv(result: Mapping[str, Any]) -> Varde:
    f = result.get("barn_med_barnperspektiv") or {}
    return _kvot(f.get("med_barnperspektiv", 0), f.get("med_barn", 0))


def _antal_arenden(result: Mapping[str, Any]) -> int:
    return int(((result.get("antal_arenden") or {}).get("totalt") or {}).get("totalt", 0))


def _ej_verkstallda(result: Mapping[str, Any]) -> Varde:
    f = result.get("ej_verkstallda") or {}
    return _kvot(f.get("antal", 0), _antal_arenden(result))


def _bevakningar(result: Mapping[str, Any]) -> Varde:
    rows = (result.get("bevakningar_i_tid") or {}).values()
    met = sum(r.get("met", 0) for r in rows)
    avgjorda = sum(
        r.get("met", 0) + r.get("met_late", 0) + r.get("overdue", 0) + r.get("reported", 0)
        for r in rows
    )
    return _kvot(met, avgjorda)


def _langa_beslut(result: Mapping[str, Any]) -> Varde:
    totalt = (result.get("beslutstid") or {}).get("totalt") or {}
    return _kvot(sum(totalt.get(g, 0) for g in LANGA_BESLUT), sum(totalt.values()))


def _avbokningar(result: Mapping[str, Any]) -> Varde:
    f = result.get("avbokningar") or {}
    return _kvot(f.get("kontaktad", 0), f.get("minst_tre", 0))


def _utanfor_kontorstid(result: Mapping[str, Any]) -> Varde:
    f = result.get("besok_utanfor_kontorstid") or {}
    # The share is of visits; the cases behind it are those with visits.
    value, _ = _kvot(f.get("utanfor", 0), f.get("besok", 0))
    return value, f.get("av", 0)


def _personal(result: Mapping[str, Any]) -> Varde:
    f = result.get("personal_per_individ") or {}
    return _kvot(f.get("inom_grans", 0), f.get("antal", 0))


def _beviljad_tid(result: Mapping[str, Any]) -> Varde:
    tid = ((result.get("beviljad_tid_per_manad") or {}).get("totalt") or {}).get("totalt")
    return tid, _antal_arenden(result)


@dataclass(frozen=True)
class Indikatordef:
    """How one indicator is read off the figures, shown and judged."""

    nyckel: str
    namn: str
    # The subject of a drafted sentence: "Andelen med aktuell genomförandeplan".
    fras: str
    enhet: str
    battre: str | None
    las: Callable[[Mapping[str, Any]], Varde]


INDIKATORER: dict[str, Indikatordef] = {
    d.nyckel: d
    for d in (
        Indikatordef(
            "langsta_glapp_daganteckningar",
            "Längsta glapp i daganteckningar (median)",
            "Medianen för det längsta glappet mellan daganteckningar",
            DAGAR,
            LAGRE,
            _glapp,
        ),
        Indikatordef(
            "uppfoljd_i_tid",
            "Uppföljd inom intervallet",
            "Andelen ärenden som följts upp inom intervallet",
            ANDEL,
            HOGRE,
            _andel_av("uppfoljd_i_tid"),
        ),
        Indikatordef(
            "beslutstid",
            "Beslut på ett år eller längre",
            "Andelen beslut på ett år eller längre",
            ANDEL,
            HOGRE,
            _langa_beslut,
        ),
        Indikatordef(
            "delaktighet_i_plan",
            "Den enskildes delaktighet i planen",
            "Andelen genomförandeplaner där den enskildes delaktighet framgår",
            ANDEL,
            HOGRE,
            _andel_av("delaktighet_i_plan"),
        ),
        Indikatordef(
            "avbokningar",
            "Handläggaren kontaktad efter tre avbokningar",
            "Andelen ärenden med minst tre avbokningar där handläggaren kontaktats",
            ANDEL,
            HOGRE,
            _avbokningar,
        ),
        Indikatordef(
            "ej_verkstallda",
            "Ej verkställda inom tre månader",
            "Andelen ej verkställda beslut inom tre månader",
            ANDEL,
            LAGRE,
            _ej_verkstallda,
        ),
        Indikatordef(
            "besok_utanfor_kontorstid",
            "Besök utanför kontorstid",
            "Andelen besök utanför kontorstid",
            ANDEL,
            HOGRE,
            _utanfor_kontorstid,
        ),
        Indikatordef(
            "personal_per_individ",
            "Två eller tre personal per individ",
            "Andelen ärenden där två eller tre personal gjort besöken",
            ANDEL,
            HOGRE,
            _personal,
        ),
        Indikatordef(
            "barn_med_barnperspektiv",
            "Barnperspektiv i utredningen",
            "Andelen ärenden med minderåriga barn där barnperspektivet finns i utredningen",
            ANDEL,
            HOGRE,
            _barnperspektiv,
        ),
        Indikatordef(
            "aktuell_genomforandeplan",
            "Aktuell genomförandeplan",
            "Andelen med aktuell genomförandeplan",
            ANDEL,
            HOGRE,
            _andel_av("aktuell_genomforandeplan"),
        ),
        Indikatordef(
            "strukturerat_uppdrag",
            "Strukturerat uppdrag",
            "Andelen strukturerade uppdrag",
            ANDEL,
            HOGRE,
            _andel_av("strukturerat_uppdrag"),
        ),
        Indikatordef(
            "bevakningar_i_tid",
            "Bevakningar i tid (alla regler)",
            "Andelen bevakningar som klarats i tid",
            ANDEL,
            HOGRE,
            _bevakningar,
        ),
        Indikatordef(
            "andrat_uppdrag",
            "Ändrat uppdrag under beslutet",
            "Andelen ärenden där uppdraget ändrats under beslutet",
            ANDEL,
            # A changed uppdrag mid-decision means the order did not match the need
            # from the start (004: beslut och mål "som inte överensstämmer" med den
            # enskildes behov) and adds the administration 004 warns of.
            LAGRE,
            _andel_av("andrat_uppdrag"),
        ),
    )
}

# Likställighet also compares the granted time, which is neither better nor worse.
BEVILJAD_TID = Indikatordef(
    "beviljad_tid_per_manad",
    "Beviljad tid per månad",
    "Den beviljade tiden per månad",
    TIMMAR,
    None,
    _beviljad_tid,
)


@dataclass(frozen=True)
class Omradedef:
    nyckel: str
    namn: str
    beskrivning: str
    indikatorer: tuple[str, ...]


# 004's order and definitions ("Socialstyrelsen har tagit fram definitioner på sex
# kvalitetsområden").
OMRADEN: tuple[Omradedef, ...] = (
    Omradedef(
        "trygghet_och_sakerhet",
        "Trygghet och säkerhet",
        "Stöd och insatser utförs enligt gällande regelverk, är förutsägbara och det finns "
        "möjlighet till insyn. Löpande dokumentation säkerställer förutsägbarhet i insatsen.",
        ("langsta_glapp_daganteckningar", "uppfoljd_i_tid", "beslutstid"),
    ),
    Omradedef(
        "sjalvbestammande_och_integritet",
        "Självbestämmande och integritet",
        "Den enskilde är delaktig, har inflytande och ges möjlighet till egna val.",
        ("delaktighet_i_plan", "avbokningar"),
    ),
    Omradedef(
        "tillganglighet",
        "Tillgänglighet",
        "Det är lätt att få kontakt med socialtjänsten och vid behov få del av stöd och "
        "insatser inom rimlig tid, anpassat efter den enskildes livssituation.",
        ("ej_verkstallda", "besok_utanfor_kontorstid"),
    ),
    Omradedef(
        "helhetssyn_och_samordning",
        "Helhetssyn och samordning",
        "Helhetssyn utgår från den enskildes samlade livssituation; stöd och insatser är "
        "samordnade och präglas av kontinuitet.",
        ("personal_per_individ", "barn_med_barnperspektiv"),
    ),
    Omradedef(
        "kunskapsbaserad_verksamhet",
        "Kunskapsbaserad verksamhet",
        "Tjänsterna utförs i enlighet med vetenskap och beprövad erfarenhet. Den enskildes "
        "egna erfarenheter tas till vara.",
        ("aktuell_genomforandeplan", "strukturerat_uppdrag"),
    ),
    Omradedef(
        "effektivitet",
        "Effektivitet",
        "Resurserna utnyttjas på bästa sätt för att uppnå uppsatta mål för verksamheten.",
        ("bevakningar_i_tid", "andrat_uppdrag"),
    ),
)

LIKSTALLIGHET_INDIKATORER: tuple[Indikatordef, ...] = (
    BEVILJAD_TID,
    *(INDIKATORER[k] for omrade in OMRADEN for k in omrade.indikatorer),
)


# --- Formatting ------------------------------------------------------------------------


def _decimaltal(value: float, decimaler: int = 1) -> str:
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return str(int(rounded))
    return f"{rounded:f}".replace(".", ",")


def visning(value: float | None, enhet: str) -> str:
    """Return a value in Swedish: a share as "66,7 %", days as "12 dagar", hours as
    "8,5 timmar"; a dash for none."""
    if value is None:
        return "–"
    if enhet == ANDEL:
        return f"{_decimaltal(value * 100)} %"
    text = _decimaltal(value)
    if enhet == DAGAR:
        return f"{text} {'dag' if text == '1' else 'dagar'}"
    if enhet == TIMMAR:
        return f"{text} {'timme' if text == '1' else 'timmar'}"
    return text


# --- Quality areas -----------------------------------------------------------------------


@dataclass(frozen=True)
class Indikator:
    nyckel: str
    namn: str
    varde: float | None
    stad: float | None
    visning: str
    stad_visning: str
    battre: str


@dataclass(frozen=True)
class Omradesanalys:
    nyckel: str
    namn: str
    beskrivning: str
    indikatorer: tuple[Indikator, ...]
    styrkor: tuple[str, ...]
    utvecklingsomraden: tuple[str, ...]


def skillnad(value: float, stad: float, enhet: str) -> int:
    """Return 1 when `value` is markedly above the city's, -1 when markedly below, else 0
    (the strengths rule in the module docstring)."""
    diff = Decimal(str(value)) - Decimal(str(stad))
    if enhet == ANDEL:
        # Compared on the shares as shown (one decimal of a per cent).
        markant = abs(diff) * 100 >= SKILLNAD_PROCENTENHETER
    else:
        markant = diff != 0 and abs(diff) >= SKILLNAD_RELATIV * abs(Decimal(str(stad)))
    if not markant:
        return 0
    return 1 if diff > 0 else -1


def mening(definition: Indikatordef, value: float, stad: float, riktning: int) -> str:
    """Return "Andelen … (85 %) är högre än i staden som helhet (71 %)."."""
    jamforelse = "högre" if riktning > 0 else "lägre"
    return (
        f"{definition.fras} ({visning(value, definition.enhet)}) är {jamforelse} än i "
        f"staden som helhet ({visning(stad, definition.enhet)})."
    )


def indikator(
    definition: Indikatordef, urval: Mapping[str, Any], stad: Mapping[str, Any]
) -> tuple[Indikator, str | None, str | None]:
    """Return the indicator and, if drafted, its strength or development sentence."""
    value, underlag = definition.las(urval)
    stad_value, _ = definition.las(stad)
    result = Indikator(
        nyckel=definition.nyckel,
        namn=definition.namn,
        varde=value,
        stad=stad_value,
        visning=visning(value, definition.enhet),
        stad_visning=visning(stad_value, definition.enhet),
        battre=definition.battre or HOGRE,
    )
    if value is None or stad_value is None or underlag == 0 or definition.battre is None:
        return result, None, None
    riktning = skillnad(value, stad_value, definition.enhet)
    if riktning == 0:
        return result, None, None
    text = mening(definition, value, stad_value, riktning)
    battre = (riktning > 0) == (definition.battre == HOGRE)
    return result, (text if battre else None), (None if battre else text)


def kvalitetsanalys(urval: Mapping[str, Any], stad: Mapping[str, Any]) -> list[Omradesanalys]:
    """Return the six quality areas in 004's order, each with its indicators for the
    selection and the city, and the strengths and development areas drafted from them."""
    analys = []
    for omrade in OMRADEN:
        indikatorer, styrkor, utveckling = [], [], []
        for key in omrade.indikatorer:
            ind, styrka, utv = indikator(INDIKATORER[key], urval, stad)
            indikatorer.append(ind)
            if styrka:
                styrkor.append(styrka)
            if utv:
                utveckling.append(utv)
        analys.append(
            Omradesanalys(
                nyckel=omrade.nyckel,
                namn=omrade.namn,
                beskrivning=omrade.beskrivning,
                indikatorer=tuple(indikatorer),
                styrkor=tuple(styrkor),
                utvecklingsomraden=tuple(utveckling),
            )
        )
    return analys


# --- Likställighet -----------------------------------------------------------------------


@dataclass(frozen=True)
class Likstallighetsrad:
    nyckel: str
    namn: str
    varden: dict[str, float | None]
    visning: dict[str, str]
    stad: float | None
    avvikande: tuple[str, ...]


def avviker(value: float, ovriga: Sequence[float], enhet: str) -> bool:
    """Return whether `value` differs markedly from the mean of `ovriga` (the likställighet
    rule of the module docstring); never when there is nothing to compare with."""
    if not ovriga:
        return False
    mean: Decimal = sum((Decimal(str(v)) for v in ovriga), Decimal(0)) / len(ovriga)
    v = Decimal(str(value))
    if enhet == ANDEL:
        return abs(v - mean) * 100 > LIKSTALLIGHET_PROCENTENHETER
    if mean == 0:
        return v > 0
    return v > mean * LIKSTALLIGHET_KVOT or v * LIKSTALLIGHET_KVOT < mean


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def likstallighet(
    per_distrikt: Mapping[str, Mapping[str, Any]], stad: Mapping[str, Any]
) -> list[Likstallighetsrad]:
    """Return one row per indicator with every district's value side by side, the city's,
    and the districts that differ markedly from the rest."""
    rader = []
    for definition in LIKSTALLIGHET_INDIKATORER:
        lasta = {namn: definition.las(result) for namn, result in per_distrikt.items()}
        varden = {namn: value for namn, (value, _) in lasta.items()}
        jamforbara = {
            namn: value
            for namn, (value, underlag) in lasta.items()
            if value is not None and underlag >= LIKSTALLIGHET_MINSTA_UNDERLAG
        }
        mitt = _median(list(jamforbara.values()))
        avvikande = tuple(
            namn
            for namn, value in jamforbara.items()
            if avviker(value, [v for o, v in jamforbara.items() if o != namn], definition.enhet)
            and len(jamforbara) > 1
            and avviker(value, [mitt], definition.enhet)
        )
        rader.append(
            Likstallighetsrad(
                nyckel=definition.nyckel,
                namn=definition.namn,
                varden=varden,
                visning={n: visning(v, definition.enhet) for n, v in varden.items()},
                stad=definition.las(stad)[0],
                avvikande=avvikande,
            )
        )
    return rader


def visning_av(nyckel: str, value: float | None) -> str:
    """Return the value of the indicator `nyckel` formatted as its rows show it."""
    enhet = {d.nyckel: d.enhet for d in LIKSTALLIGHET_INDIKATORER}[nyckel]
    return visning(value, enhet)
