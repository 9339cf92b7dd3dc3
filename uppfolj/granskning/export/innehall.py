"""The audit report's content for the exports: the figures of a selection, of each district
and of the city, the quality areas, likställighet, and every table as typed values.

One `Rapport` feeds both the PDF (where the values are shown in Swedish) and the
spreadsheet (where they are written as numbers with number formats), so the two cannot
disagree. Only figures: no names, personnummer or case ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from uppfolj.accounts.models import Roll
from uppfolj.domain import kvalitet as kvalitetsregler
from uppfolj.domain.granskning import (
    AR_MED_INSATS_GRUPPER,
    AR_MED_INSATS_NAMN,
    BESLUTSTID_GRUPPER,
    BESLUTSTID_NAMN,
    KOLUMN_NAMN,
    KOLUMNER,
    TOTALT,
)
from uppfolj.domain.sortering import svensk_nyckel
from uppfolj.domain.timeline import INSATS_NAMN

from ..diagram import diagram_beslutstid, diagram_timmar
from ..kvalitet import Likstallighetsrad, Omradesanalys, kvalitetsanalys, likstallighet
from ..tabeller import OMRADE_NAMN, tal
from .metod import DEFINITIONER, jamforelse_text, urval_rader

# How a column's values are written: text, whole numbers, one decimal, a share (a
# fraction of 1, shown as per cent) or a number as it comes (median days: 17 or 15,5).
TEXT = "text"
HELTAL = "heltal"
DECIMAL = "decimal"
PROCENT = "procent"
TAL = "tal"

HELA_URVALET = "Hela urvalet"


@dataclass(frozen=True)
class Kolumn:
    rubrik: str
    format: str = TEXT


@dataclass(frozen=True)
class Tabell:
    """One table of the report: its sheet name, caption, columns and typed rows."""

    blad: str
    titel: str
    kolumner: tuple[Kolumn, ...]
    rader: tuple[tuple[Any, ...], ...]
    # Per row, the format of its `TAL` cells where rows differ (a share in one, days in
    # the next); empty when the columns' formats hold.
    radformat: tuple[str, ...] = ()

    def format(self, rad: int, kolumn: int) -> str:
        """Return the format of one cell."""
        format = self.kolumner[kolumn].format
        if format == TAL and self.radformat:
            return self.radformat[rad]
        return format

    def visning(self) -> list[list[tuple[str, bool]]]:
        """Return the rows as Swedish text, each cell with whether it is a number."""
        return [
            [
                (visa(v, self.format(i, j)), self.kolumner[j].format != TEXT)
                for j, v in enumerate(rad)
            ]
            for i, rad in enumerate(self.rader)
        ]


def visa(value: Any, format: str) -> str:
    """Return a value as the PDF shows it: decimal comma, per cent, a dash for none."""
    if value is None:
        return "–"
    if format == PROCENT:
        procent = f"{value * 100:.1f}".replace(".", ",")
        return f"{procent.removesuffix(',0')} %"
    if format == DECIMAL:
        return tal(float(value))
    if format == TAL and isinstance(value, float) and not value.is_integer():
        return tal(value)
    if format in (HELTAL, TAL):
        return str(int(value))
    return str(value)


# --- Tables of one part (the selection or one district) ------------------------------


def _andel(antal: int, av: int) -> float | None:
    return None if av == 0 else round(antal / av, 3)


def _omrade_per_kon(figur: dict[str, dict[str, Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        (OMRADE_NAMN.get(omrade, omrade), *(rad[k] for k in KOLUMNER))
        for omrade, rad in figur.items()
    )


KOLUMNER_KON = tuple(Kolumn(KOLUMN_NAMN[k], HELTAL) for k in KOLUMNER)


def antal_tabell(r: dict[str, Any]) -> Tabell:
    return Tabell(
        "Antal ärenden",
        "Antal ärenden per verksamhetsområde och kön",
        (Kolumn("Verksamhetsområde"), *KOLUMNER_KON),
        _omrade_per_kon(r["antal_arenden"]),
    )


def tid_tabell(r: dict[str, Any]) -> Tabell:
    return Tabell(
        "Beviljad tid",
        "Beviljad tid per månad (timmar), medelvärde per verksamhetsområde och kön",
        (Kolumn("Verksamhetsområde"), *(Kolumn(KOLUMN_NAMN[k], DECIMAL) for k in KOLUMNER)),
        _omrade_per_kon(r["beviljad_tid_per_manad"]),
    )


def ar_tabell(r: dict[str, Any]) -> Tabell:
    return Tabell(
        "År med insats",
        "Totalt antal år personen varit beviljad insatsen",
        (Kolumn("Tid"), Kolumn("Antal personer", HELTAL)),
        tuple((AR_MED_INSATS_NAMN[g], r["ar_med_insats"][g]) for g in AR_MED_INSATS_GRUPPER),
    )


def beslutstid_tabell(r: dict[str, Any]) -> Tabell:
    beslutstid = r["beslutstid"]
    return Tabell(
        "Beslutstid",
        "Beslutstid för senaste beslut, per verksamhetsområde",
        (Kolumn("Beslutstid"), *(Kolumn(OMRADE_NAMN.get(o, o), HELTAL) for o in beslutstid)),
        tuple(
            (BESLUTSTID_NAMN[g], *(beslutstid[o][g] for o in beslutstid))
            for g in BESLUTSTID_GRUPPER
        ),
    )


def _andelsrad(namn: str, figur: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if not figur or "antal" not in figur or "av" not in figur:
        return None
    andel = figur.get("andel", _andel(figur["antal"], figur["av"]))
    return (namn, figur["antal"], figur["av"], andel)


def andelar_tabell(r: dict[str, Any]) -> Tabell:
    barn = r["barn_med_barnperspektiv"]
    rader = [
        _andelsrad("Aktuell genomförandeplan", r["aktuell_genomforandeplan"]),
        _andelsrad("Den enskildes delaktighet i planen", r["delaktighet_i_plan"]),
        _andelsrad("Uppföljd inom intervallet", r["uppfoljd_i_tid"]),
        _andelsrad("Strukturerat uppdrag", r["strukturerat_uppdrag"]),
        (
            "Barnperspektiv i utredningen (ärenden med minderåriga barn)",
            barn["med_barnperspektiv"],
            barn["med_barn"],
            _andel(barn["med_barnperspektiv"], barn["med_barn"]),
        ),
    ]
    # The figures RULES.md adds to GRANSKNING.md's, when the computation gives them.
    for namn, key, antal, av in (
        ("Ändrat uppdrag under beslutet", "andrat_uppdrag", "antal", "av"),
        ("Handläggaren kontaktad efter tre avbokningar", "avbokningar", "kontaktad", "minst_tre"),
        (
            "Besök utanför kontorstid (andel av besöken)",
            "besok_utanfor_kontorstid",
            "utanfor",
            "besok",
        ),
        ("Två eller tre personal per individ", "personal_per_individ", "inom_grans", "antal"),
    ):
        if f := r.get(key):
            rader.append((namn, f[antal], f[av], f.get("andel", _andel(f[antal], f[av]))))
    return Tabell(
        "Andelar",
        "Nyckeltal med antal, underlag och andel",
        (
            Kolumn("Nyckeltal"),
            Kolumn("Antal", HELTAL),
            Kolumn("Av", HELTAL),
            Kolumn("Andel", PROCENT),
        ),
        tuple(rad for rad in rader if rad is not None),
    )


def ovriga_tabell(r: dict[str, Any]) -> Tabell:
    glapp = r["langsta_glapp_daganteckningar"]
    ej = r["ej_verkstallda"]
    return Tabell(
        "Övriga nyckeltal",
        "Längsta glapp i daganteckningar och ej verkställda beslut",
        (Kolumn("Nyckeltal"), Kolumn("Värde", TAL), Kolumn("Enhet")),
        (
            ("Längsta glapp i daganteckningar, median", glapp["median"], "dagar"),
            ("Längsta glapp i daganteckningar, högst", glapp["max"], "dagar"),
            ("Verkställda ärenden bakom glappen", glapp["antal"], "ärenden"),
            ("Ej verkställda inom tre månader", ej["antal"], "ärenden"),
            ("varav försenade", ej["overdue"], "ärenden"),
            ("varav rapporterade till IVO", ej["reported"], "ärenden"),
            *_nya_ovriga(r),
        ),
    )


def _nya_ovriga(r: dict[str, Any]) -> list[tuple[str, Any, str]]:
    rader: list[tuple[str, Any, str]] = []
    if f := r.get("andrat_uppdrag"):
        rader.append(("Ändringar av uppdraget under beslutet", f["andringar"], "ändringar"))
    if f := r.get("avbokningar"):
        rader += [
            ("Avbokningar under beslutet", f["antal"], "avbokningar"),
            ("Ärenden med avbokning", f["med_avbokning"], "ärenden"),
        ]
    if f := r.get("besok_utanfor_kontorstid"):
        rader += [
            ("Besök utanför kontorstid, vardagskvällar", f["kvall"], "besök"),
            ("Besök utanför kontorstid, helger", f["helg"], "besök"),
            ("Ärenden med besök utanför kontorstid", f["arenden"], "ärenden"),
        ]
    if f := r.get("personal_per_individ"):
        rader += [
            ("Personal per individ, median", f["median"], "personer"),
            ("Personal per individ, högst", f["max"], "personer"),
        ]
    return rader


def regler_tabell(r: dict[str, Any]) -> Tabell:
    return Tabell(
        "Bevakningar i tid",
        "Bevakningar som förfallit senast utvärderingsdagen, per regel",
        (
            Kolumn("Regel"),
            Kolumn("I tid", HELTAL),
            Kolumn("För sent", HELTAL),
            Kolumn("Försenade", HELTAL),
            Kolumn("Rapporterade", HELTAL),
            Kolumn("Andel i tid", PROCENT),
        ),
        tuple(
            (regel, rad["met"], rad["met_late"], rad["overdue"], rad["reported"], rad["andel"])
            for regel, rad in r["bevakningar_i_tid"].items()
        ),
    )


TABELLER = (
    antal_tabell,
    tid_tabell,
    ar_tabell,
    beslutstid_tabell,
    andelar_tabell,
    ovriga_tabell,
    regler_tabell,
)


def _av_text(antal: int, av: int, andel: float | None) -> str:
    return f"{antal} av {av} ({visa(andel, PROCENT)})"


def sammanfattning_tabell(r: dict[str, Any]) -> Tabell:
    """Return the key figures of a selection as one table of Swedish text."""
    tid = r["beviljad_tid_per_manad"][TOTALT]
    barn = r["barn_med_barnperspektiv"]
    glapp = r["langsta_glapp_daganteckningar"]
    ej = r["ej_verkstallda"]
    rader: list[tuple[str, str]] = [
        ("Ärenden i urvalet", str(r["antal_arenden"][TOTALT][TOTALT])),
        (
            "Beviljad tid per månad, medelvärde",
            f"{visa(tid[TOTALT], DECIMAL)} timmar (kvinnor {visa(tid['kvinnor'], DECIMAL)}, "
            f"män {visa(tid['man'], DECIMAL)})",
        ),
    ]
    for namn, key in (
        ("Aktuell genomförandeplan", "aktuell_genomforandeplan"),
        ("Den enskildes delaktighet i planen", "delaktighet_i_plan"),
        ("Uppföljd inom intervallet", "uppfoljd_i_tid"),
        ("Strukturerat uppdrag", "strukturerat_uppdrag"),
    ):
        f = r[key]
        rader.append((namn, _av_text(f["antal"], f["av"], f["andel"])))
    rader += [
        (
            "Barnperspektiv i utredningen",
            f"{barn['med_barnperspektiv']} av {barn['med_barn']} ärenden med minderåriga barn",
        ),
        (
            "Längsta glapp i daganteckningar",
            f"median {visa(glapp['median'], TAL)} dagar, högst {visa(glapp['max'], TAL)} dagar",
        ),
        ("Ej verkställda inom tre månader", str(ej["antal"])),
    ]
    return Tabell(
        "Sammanfattning",
        "Nyckeltal för urvalet",
        (Kolumn("Nyckeltal"), Kolumn("Värde")),
        tuple(rader),
    )


@dataclass(frozen=True)
class Del:
    """The selection as a whole or one district: its figures, tables and charts."""

    namn: str
    resultat: dict[str, Any]
    tabeller: tuple[Tabell, ...]

    @property
    def antal(self) -> int:
        return int(self.resultat["antal_arenden"][TOTALT][TOTALT])

    @property
    def tabell(self) -> dict[str, Tabell]:
        return {t.blad: t for t in self.tabeller}

    @property
    def _id(self) -> str:
        # Ids of the charts' titles, unique in a document with a chart per district.
        return "".join(c if c.isascii() and c.isalnum() else "-" for c in self.namn.lower())

    def diagram_timmar(self) -> str:
        return diagram_timmar(
            self.resultat["beviljad_tid_per_manad"], id_prefix=f"{self._id}-diagram-timmar"
        )

    def diagram_beslutstid(self) -> str:
        return diagram_beslutstid(
            self.resultat["beslutstid"], id_prefix=f"{self._id}-diagram-beslutstid"
        )


def del_av(namn: str, resultat: dict[str, Any]) -> Del:
    return Del(namn=namn, resultat=resultat, tabeller=tuple(t(resultat) for t in TABELLER))


# --- Selection, method, quality areas, likställighet ---------------------------------


def kvalitet_tabell(analys: list[Omradesanalys]) -> Tabell:
    rader: list[tuple[Any, ...]] = []
    format: list[str] = []
    for omrade in analys:
        for ind in omrade.indikatorer:
            rader.append((omrade.namn, "Indikator", ind.namn, ind.varde, ind.stad))
            format.append(_format_for(ind.nyckel))
        for typ, texter in (
            ("Styrka", omrade.styrkor),
            ("Utvecklingsområde", omrade.utvecklingsomraden),
        ):
            rader += [(omrade.namn, typ, text, None, None) for text in texter]
            format += [TAL] * len(texter)
    return Tabell(
        "Kvalitetsområden",
        "Indikatorer per kvalitetsområde, urvalet mot staden, med styrkor och utvecklingsområden",
        (
            Kolumn("Kvalitetsområde"),
            Kolumn("Typ"),
            Kolumn("Text"),
            Kolumn("Urvalet", TAL),
            Kolumn("Staden", TAL),
        ),
        tuple(rader),
        tuple(format),
    )


def _enhet(nyckel: str) -> str | None:
    for definition in kvalitetsregler.LIKSTALLIGHET_INDIKATORER:
        if definition.nyckel == nyckel:
            return definition.enhet
    return None


def _format_for(nyckel: str) -> str:
    return PROCENT if _enhet(nyckel) == kvalitetsregler.ANDEL else TAL


def likstallighet_tabell(rader: list[Likstallighetsrad], distrikt: list[str]) -> Tabell:
    return Tabell(
        "Likställighet",
        "Samma indikator för varje distrikt sida vid sida; avvikande distrikt markerade",
        (
            Kolumn("Indikator"),
            *(Kolumn(d, TAL) for d in distrikt),
            Kolumn("Staden", TAL),
            Kolumn("Avviker markant"),
        ),
        tuple(
            (
                rad.namn,
                *(rad.varden.get(d) for d in distrikt),
                rad.stad,
                ", ".join(rad.avvikande),
            )
            for rad in rader
        ),
        tuple(_format_for(rad.nyckel) for rad in rader),
    )


@dataclass(frozen=True)
class Rapport:
    """Everything the PDF and the spreadsheet show for one selection."""

    urval: dict[str, Any]
    as_of: date
    skapad: datetime
    skapad_av: str
    helhet: Del
    distrikt: tuple[Del, ...]
    stad: dict[str, Any]
    analys: list[Omradesanalys]
    likstallighet: list[Likstallighetsrad]
    distriktsnamn: list[str] = field(default_factory=list)

    @property
    def antal(self) -> int:
        return self.helhet.antal

    @property
    def insats_namn(self) -> str:
        insats = self.urval.get("insats", "")
        return INSATS_NAMN.get(insats, insats)

    def urval_rader(self) -> list[tuple[str, str]]:
        return urval_rader(self.urval)

    def definitioner(self) -> tuple[tuple[str, str], ...]:
        return DEFINITIONER

    def styrkor(self) -> list[tuple[str, str]]:
        return [(o.namn, s) for o in self.analys for s in o.styrkor]

    def utvecklingsomraden(self) -> list[tuple[str, str]]:
        return [(o.namn, u) for o in self.analys for u in o.utvecklingsomraden]

    @property
    def jamforelse(self) -> list[str]:
        return jamforelse_text()

    def sammanfattning(self) -> Tabell:
        return sammanfattning_tabell(self.helhet.resultat)

    def distriktsavsnitt(self) -> list[tuple[Del, list[tuple[int, Tabell, str | None]]]]:
        """Return each district's tables numbered through the document (Tabell 1 is the
        summary's), each with the chart that goes with it."""
        nummer = 2
        out = []
        for d in self.distrikt:
            rader: list[tuple[int, Tabell, str | None]] = []
            for t in d.tabeller:
                svg = {"Beviljad tid": d.diagram_timmar, "Beslutstid": d.diagram_beslutstid}.get(
                    t.blad
                )
                rader.append((nummer, t, svg() if svg else None))
                nummer += 1
            out.append((d, rader))
        return out

    @property
    def sista_tabellnummer(self) -> int:
        return 1 + sum(len(d.tabeller) for d in self.distrikt)

    def kvalitet_tabell(self) -> Tabell:
        return kvalitet_tabell(self.analys)

    def likstallighet_tabell(self) -> Tabell:
        return likstallighet_tabell(self.likstallighet, self.distriktsnamn)

    def likstallighet_visning(self) -> list[tuple[str, list[tuple[str, bool]], str, str]]:
        """Return each indicator's row for the PDF: name, (value, flagged) per district,
        the city's value and the flagged districts."""
        out = []
        for rad in self.likstallighet:
            celler = [(rad.visning.get(d, "–"), d in rad.avvikande) for d in self.distriktsnamn]
            enhet = _enhet(rad.nyckel)
            stad = kvalitetsregler.visning(rad.stad, enhet) if enhet else visa(rad.stad, TAL)
            out.append((rad.namn, celler, stad, ", ".join(rad.avvikande)))
        return out


def producent(user: Any) -> str:
    """Return who produced the report: the user's name (or user name) and role."""
    namn = (user.get_full_name() or user.get_username()).strip()
    roll = dict(Roll.choices).get(getattr(user, "roll", ""), "")
    return f"{namn}, {roll.lower()}" if roll else namn


def rapport_bygg(
    *,
    urval: dict[str, Any],
    as_of: date,
    helhet: dict[str, Any],
    per_distrikt: dict[str, dict[str, Any]],
    stad: dict[str, Any],
    skapad: datetime,
    skapad_av: str,
) -> Rapport:
    """Return the report of a selection from its figures, each district's and the city's.

    With a district chosen, the results per district are that district's; with none,
    every district's. Likställighet always sets every district side by side.
    """
    valt = urval.get("distrikt")
    distriktsnamn = sorted(per_distrikt, key=svensk_nyckel)
    visade = [valt] if valt else distriktsnamn
    return Rapport(
        urval=urval,
        as_of=as_of,
        skapad=skapad,
        skapad_av=skapad_av,
        helhet=del_av(valt or HELA_URVALET, helhet),
        distrikt=tuple(del_av(d, per_distrikt.get(d, helhet)) for d in visade),
        stad=stad,
        analys=kvalitetsanalys(helhet, stad),
        likstallighet=likstallighet(per_distrikt, stad),
        distriktsnamn=distriktsnamn,
    )
