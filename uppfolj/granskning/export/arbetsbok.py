"""Every table of the audit report as a sheet of an .xlsx workbook, numbers as numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from uppfolj.lib.xlsx import (
    DATUMFORMAT,
    DECIMAL,
    HELTAL,
    PROCENT,
    Column,
    workbook_bytes,
    write_sheet,
)

from . import innehall
from .innehall import Del, Rapport, Tabell

NUMMERFORMAT = {
    innehall.TEXT: None,
    innehall.HELTAL: HELTAL,
    innehall.DECIMAL: DECIMAL,
    innehall.PROCENT: PROCENT,
    innehall.TAL: None,
}

# One row of a sheet: its values by column header, and the format of its TAL cells.
Rad = tuple[dict[str, Any], str]


def _column(rubrik: str, format: str) -> Column:
    if format == innehall.TAL:
        return (rubrik, lambda rad: rad[0].get(rubrik), lambda rad: NUMMERFORMAT[rad[1]])
    return (rubrik, lambda rad: rad[0].get(rubrik), NUMMERFORMAT[format])


def _rader(tabell: Tabell, forst: dict[str, Any]) -> list[Rad]:
    return [
        (
            {**forst, **{k.rubrik: v for k, v in zip(tabell.kolumner, rad, strict=True)}},
            tabell.radformat[i] if tabell.radformat else innehall.TAL,
        )
        for i, rad in enumerate(tabell.rader)
    ]


def _tabell_blad(wb: Workbook, tabeller: Sequence[tuple[str | None, Tabell]]) -> None:
    """Write one kind of table, for each part (district) in turn, as one sheet; with more
    than one part a first column names the part."""
    kolumner: dict[str, str] = {}
    if any(namn is not None for namn, _ in tabeller):
        kolumner["Distrikt"] = innehall.TEXT
    rader: list[Rad] = []
    for namn, tabell in tabeller:
        # The decision-length table has a column per area present: take them all.
        for k in tabell.kolumner:
            kolumner.setdefault(k.rubrik, k.format)
        rader += _rader(tabell, {"Distrikt": namn} if namn is not None else {})
    ws = wb.create_sheet(tabeller[0][1].blad)
    write_sheet(ws, [_column(r, f) for r, f in kolumner.items()], rader)


def _urval_och_metod(wb: Workbook, rapport: Rapport) -> None:
    rader: list[tuple[str, Any]] = [
        *rapport.urval_rader(),
        ("Utvärderingsdag", rapport.as_of),
        ("Ärenden i urvalet", rapport.antal),
        ("Framtagen", rapport.skapad.strftime("%Y-%m-%d %H:%M")),
        ("Framtagen av", rapport.skapad_av),
        ("Underlag", "Aktuella uppgifter i Uppfölj på utvärderingsdagen, beräknade vid uttaget."),
        *((f"Definition: {namn}", text) for namn, text in rapport.definitioner()),
    ]
    ws = wb.create_sheet("Urval och metod")
    write_sheet(
        ws,
        [
            ("Uppgift", lambda r: r[0], None),
            ("Värde", lambda r: r[1], lambda r: DATUMFORMAT if r[0] == "Utvärderingsdag" else None),
        ],
        rader,
    )
    # The definitions are long: let them wrap instead of running off the screen.
    ws.column_dimensions["B"].width = 90


def rapport_xlsx(rapport: Rapport) -> bytes:
    """Return the report's tables as a workbook: selection and method, each of 004's
    tables (per district when there are several), quality areas and likställighet."""
    wb = Workbook()
    forsta = wb.active
    assert forsta is not None
    wb.remove(forsta)
    _urval_och_metod(wb, rapport)
    delar: list[tuple[str | None, Del]] = (
        [(None, rapport.helhet)]
        if rapport.urval.get("distrikt")
        else [(rapport.helhet.namn, rapport.helhet), *((d.namn, d) for d in rapport.distrikt)]
    )
    for i in range(len(innehall.TABELLER)):
        _tabell_blad(wb, [(namn, d.tabeller[i]) for namn, d in delar])
    _tabell_blad(wb, [(None, rapport.kvalitet_tabell())])
    _tabell_blad(wb, [(None, rapport.likstallighet_tabell())])
    insats = rapport.insats_namn.lower()
    return workbook_bytes(wb, title=f"Granskning av {insats} {rapport.as_of.isoformat()}")
