"""The figures of `granskning_berakna` as readable Swedish tables (004's Tabell 3, 4 and 5)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from uppfolj.arenden.models import Kon, Verksamhetsomrade
from uppfolj.domain.granskning import (
    AR_MED_INSATS_GRUPPER,
    AR_MED_INSATS_NAMN,
    BESLUTSTID_GRUPPER,
    BESLUTSTID_NAMN,
    EJ_ANGIVET,
    KOLUMN_NAMN,
    KOLUMNER,
    TOTALT,
)
from uppfolj.domain.timeline import INSATS_NAMN

OMRADE_NAMN = {**dict(Verksamhetsomrade.choices), EJ_ANGIVET: "Ej angivet", TOTALT: "Totalt"}
URVAL_NAMN = {
    "insats": "insats",
    "distrikt": "distrikt",
    "verksamhetsomrade": "verksamhetsområde",
    "utforare": "utförare",
    "kon": "kön",
}


def tal(value: float | int | None) -> str:
    """Return a number with a decimal comma, or a dash for none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def procent(andel: float | None) -> str:
    """Return a share (a fraction of 1) as per cent with one decimal."""
    if andel is None:
        return "–"
    return f"{Decimal(str(andel)) * 100:.1f} %".replace(".", ",")


def tabell(
    rubriker: Sequence[str], rader: Sequence[Sequence[str]], *, text: bool = False
) -> list[str]:
    """Return the lines of a table: the first column left-aligned, the others right
    (numbers), or left as well when they hold `text`."""
    widths = [max(len(row[i]) for row in [rubriker, *rader]) for i in range(len(rubriker))]
    return [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 or text else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in [rubriker, *rader]
    ]


def _urval_text(urval: dict[str, Any]) -> str:
    parts = []
    for key, value in urval.items():
        if key == "insats":
            value = INSATS_NAMN.get(value, value).lower()
        elif key == "verksamhetsomrade":
            value = OMRADE_NAMN.get(value, value).lower()
        elif key == "kon":
            value = dict(Kon.choices).get(value, value).lower()
        parts.append(f"{URVAL_NAMN.get(key, key)} {value}")
    return ", ".join(parts)


def _omrade_per_kon(rubrik: str, figur: dict[str, dict[str, Any]]) -> list[str]:
    return [
        rubrik,
        *tabell(
            ["Verksamhetsområde", *(KOLUMN_NAMN[k] for k in KOLUMNER)],
            [[OMRADE_NAMN.get(o, o), *(tal(rad[k]) for k in KOLUMNER)] for o, rad in figur.items()],
        ),
    ]


def _andel_text(figur: dict[str, Any]) -> str:
    return f"{figur['antal']} av {figur['av']} ({procent(figur['andel'])})"


def som_text(result: dict[str, Any]) -> str:
    """Return the audit result as readable tables, in the order of 004's district chapters."""
    antal = result["antal_arenden"][TOTALT][TOTALT]
    lines = [
        f"Granskning per {result['as_of']}",
        f"Urval: {_urval_text(result['urval'])}",
        f"Ärenden i urvalet: {antal}",
        "",
        *_omrade_per_kon("Antal ärenden per verksamhetsområde och kön", result["antal_arenden"]),
        "",
        *_omrade_per_kon(
            "Beviljad tid per månad (timmar), redovisat per verksamhetsområde och kön",
            result["beviljad_tid_per_manad"],
        ),
        "",
        "Totalt antal år personen varit beviljad insatsen",
        *tabell(
            ["Tid", "Antal personer"],
            [
                [AR_MED_INSATS_NAMN[g], str(result["ar_med_insats"][g])]
                for g in AR_MED_INSATS_GRUPPER
            ],
        ),
        "",
        "Beslutstid senaste beslut, redovisat per verksamhetsområde",
    ]
    beslutstid = result["beslutstid"]
    lines += tabell(
        ["Beslutstid", *(OMRADE_NAMN.get(o, o) for o in beslutstid)],
        [
            [BESLUTSTID_NAMN[g], *(str(beslutstid[o][g]) for o in beslutstid)]
            for g in BESLUTSTID_GRUPPER
        ],
    )
    glapp = result["langsta_glapp_daganteckningar"]
    avb = result["avbokningar"]
    besok = result["besok_utanfor_kontorstid"]
    personal = result["personal_per_individ"]
    barn = result["barn_med_barnperspektiv"]
    ej = result["ej_verkstallda"]
    lines += [
        "",
        "Övriga nyckeltal",
        *tabell(
            ["Nyckeltal", "Värde"],
            [
                ["Aktuell genomförandeplan", _andel_text(result["aktuell_genomforandeplan"])],
                [
                    "Den enskildes delaktighet i planen",
                    _andel_text(result["delaktighet_i_plan"]),
                ],
                ["Uppföljd inom intervallet", _andel_text(result["uppfoljd_i_tid"])],
                ["Strukturerat uppdrag", _andel_text(result["strukturerat_uppdrag"])],
                [
                    "Längsta glapp i daganteckningar",
                    f"median {tal(glapp['median'])} dagar, högst {tal(glapp['max'])} dagar "
                    f"({glapp['antal']} verkställda ärenden)",
                ],
                [
                    "Barnperspektiv i utredningen",
                    f"{barn['med_barnperspektiv']} av {barn['med_barn']} med minderåriga barn",
                ],
                [
                    "Ej verkställda inom tre månader",
                    f"{ej['antal']} ({ej['overdue']} försenade, "
                    f"{ej['reported']} rapporterade till IVO)",
                ],
                ["Ändrat uppdrag under beslutet", _andel_text(result["andrat_uppdrag"])],
                [
                    "Avbokningar under beslutet",
                    f"{avb['antal']} i {avb['med_avbokning']} "
                    f"{'ärende' if avb['med_avbokning'] == 1 else 'ärenden'}; {avb['minst_tre']} "
                    f"med minst tre, handläggaren kontaktad i {avb['kontaktad']} "
                    f"({procent(avb['andel'])})",
                ],
                [
                    "Besök utanför kontorstid (tre månader)",
                    f"{besok['utanfor']} av {besok['besok']} besök ({procent(besok['andel'])}), "
                    f"{besok['kvall']} kväll, {besok['helg']} helg; i {besok['arenden']} av "
                    f"{besok['av']} ärenden",
                ],
                [
                    "Personal per individ (tre månader)",
                    f"median {tal(personal['median'])}, högst {tal(personal['max'])}; två "
                    f"eller tre i {personal['inom_grans']} av {personal['antal']} ärenden",
                ],
            ],
            text=True,
        ),
        "",
        "Bevakningar i tid per regel (förfallna senast utvärderingsdagen)",
    ]
    per_regel = result["bevakningar_i_tid"]
    if per_regel:
        lines += tabell(
            ["Regel", "I tid", "För sent", "Försenade", "Rapporterade", "Andel i tid"],
            [
                [
                    rule,
                    str(row["met"]),
                    str(row["met_late"]),
                    str(row["overdue"]),
                    str(row["reported"]),
                    procent(row["andel"]),
                ]
                for rule, row in per_regel.items()
            ],
        )
    else:
        lines.append("Inga bevakningar har förfallit.")
    return "\n".join(lines)
