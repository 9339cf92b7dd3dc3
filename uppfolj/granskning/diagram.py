"""Server-side SVG charts for the audit report: the same markup on the page and in the PDF.

Every chart is an inline `<svg>` with a title and description for screen readers, and
every bar carries its value as text so it reads without colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from uppfolj.domain.granskning import (
    BESLUTSTID_GRUPPER,
    BESLUTSTID_NAMN,
    KOLUMN_NAMN,
    KOLUMNER,
    TOTALT,
)
from uppfolj.domain.tid import manadsetikett

from .tabeller import OMRADE_NAMN, tal


def stapeldiagram(
    *,
    titel: str,
    beskrivning: str,
    grupper: Sequence[tuple[str, Sequence[tuple[str, float | int | None]]]],
    enhet: str = "",
    id_prefix: str = "diagram",
) -> SafeString:
    """Return an inline SVG bar chart: one group of bars per (label, [(series, value)]).

    Every bar carries its value and its series name as text, so the chart reads
    without colour; the shades only repeat what the text says.
    """
    fyllning = ("#1f5f8b", "#8fb8d6", "#45525e")
    bar, gap, group_gap, top, bottom, left = 34, 6, 28, 34, 56, 12
    height = 180
    values = [v for _, serie in grupper for _, v in serie if v is not None]
    hogsta = max(values, default=0) or 1
    parts: list[str] = []
    x = left
    for label, serie in grupper:
        # Widen a group whose label is wider than its bars, so labels never overlap.
        span = len(serie) * (bar + gap) - gap
        pad = max(0, (round(len(label) * 7.5) - span) // 2)
        x += pad
        start = x
        for i, (namn, value) in enumerate(serie):
            h = 0 if value is None else round(height * float(value) / float(hogsta))
            y = top + height - h
            text = "–" if value is None else tal(value)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{bar}" height="{h}" '
                f'fill="{fyllning[i % len(fyllning)]}"><title>{escape(label)}, '
                f"{escape(namn)}: {escape(text)} {escape(enhet)}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar / 2}" y="{y - 5}" text-anchor="middle" '
                f'font-size="12">{escape(text)}</text>'
            )
            if len(serie) > 1:
                parts.append(
                    f'<text x="{x + bar / 2}" y="{top + height + 15}" text-anchor="middle" '
                    f'font-size="11">{escape(namn)}</text>'
                )
            x += bar + gap
        mitt = (start + x - gap) / 2
        parts.append(
            f'<text x="{mitt}" y="{top + height + (34 if len(serie) > 1 else 16)}" '
            f'text-anchor="middle" font-size="12" font-weight="600">{escape(label)}</text>'
        )
        x += pad + group_gap
    width = max(x - group_gap + left, 200)
    total_height = top + height + bottom
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="diagram" '
        f'viewBox="0 0 {width} {total_height}" width="{width}" height="{total_height}" '
        f'aria-labelledby="{id_prefix}-titel {id_prefix}-beskrivning">'
        f'<title id="{id_prefix}-titel">{escape(titel)}</title>'
        f'<desc id="{id_prefix}-beskrivning">{escape(beskrivning)}</desc>'
        f'<line x1="{left}" y1="{top + height}" x2="{width - left}" y2="{top + height}" '
        f'stroke="#45525e"/>' + "".join(parts) + "</svg>"
    )
    # Every text above is escaped.
    return mark_safe(svg)


def diagram_timmar(
    tid: dict[str, dict[str, float | None]], *, id_prefix: str = "diagram-timmar"
) -> SafeString:
    grupper = [
        (OMRADE_NAMN.get(omrade, omrade), [(KOLUMN_NAMN[k], rad[k]) for k in KOLUMNER])
        for omrade, rad in tid.items()
    ]
    return stapeldiagram(
        titel="Beviljad tid per månad (timmar) per verksamhetsområde och kön",
        beskrivning="Medelvärde av beviljade timmar per månad för kvinnor, män och totalt.",
        grupper=grupper,
        enhet="timmar",
        id_prefix=id_prefix,
    )


def diagram_beslutstid(
    beslutstid: dict[str, dict[str, int]], *, id_prefix: str = "diagram-beslutstid"
) -> SafeString:
    totalt = beslutstid.get(TOTALT, {})
    return stapeldiagram(
        titel="Beslutstid för senaste beslut (antal ärenden)",
        beskrivning="Antal ärenden per längd på det beslut som gäller.",
        grupper=[(BESLUTSTID_NAMN[g], [("Antal", totalt.get(g, 0))]) for g in BESLUTSTID_GRUPPER],
        enhet="ärenden",
        id_prefix=id_prefix,
    )


def diagram_timmar_per_distrikt(tid: dict[str, dict[str, float | None]]) -> SafeString:
    """Return granted hours per month per district side by side (women, men, all)."""
    return stapeldiagram(
        titel="Beviljad tid per månad (timmar) per distrikt och kön",
        beskrivning="Medelvärde av beviljade timmar per månad i varje distrikt, för kvinnor, "
        "män och totalt.",
        grupper=[
            (namn, [(KOLUMN_NAMN[k], rad.get(k)) for k in KOLUMNER]) for namn, rad in tid.items()
        ],
        enhet="timmar",
        id_prefix="diagram-distrikt",
    )


# Line styles told apart without colour: every line also carries its rule ID at its end
# and a marker shape of its own.
LINJEFARGER = ("#1f5f8b", "#b35900", "#2e7d32", "#6a3d9a", "#45525e", "#a31545")
STRECK = ("", "6 3", "2 3", "8 3 2 3")


def diagram_bevakningar_over_tid(
    datum: Sequence[date], serier: Mapping[str, Sequence[float | None]]
) -> SafeString:
    """Return a line chart of the share of deadlines met on time per rule at each month
    end (0–100 %); a month where no instance of the rule had fallen due leaves a gap."""
    left, right, top, bottom = 48, 130, 20, 40
    step, height = 56, 220
    width = left + step * max(len(datum) - 1, 1) + right
    parts: list[str] = []
    for pct in (0, 25, 50, 75, 100):
        y = top + height - height * pct / 100
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#d0d7de"/>'
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" font-size="11">{pct} %</text>'
        )
    for i, dag in enumerate(datum):
        x = left + step * i
        parts.append(
            f'<text x="{x}" y="{top + height + 16}" text-anchor="middle" font-size="11">'
            f"{escape(manadsetikett(dag)[:3])}</text>"
        )
        if i == 0 or dag.month == 1:
            parts.append(
                f'<text x="{x}" y="{top + height + 30}" text-anchor="middle" '
                f'font-size="11">{dag.year}</text>'
            )
    label_y: list[float] = []
    for n, (regel, serie) in enumerate(serier.items()):
        farg = LINJEFARGER[n % len(LINJEFARGER)]
        streck = STRECK[(n // len(LINJEFARGER)) % len(STRECK)]
        punkter = [
            (left + step * i, top + height - height * float(v), v)
            for i, v in enumerate(serie)
            if v is not None
        ]
        segment: list[str] = []
        previous = None
        for i, v in enumerate(serie):
            if v is None:
                previous = None
                continue
            x, y = left + step * i, top + height - height * float(v)
            segment.append(f"{'L' if previous is not None else 'M'}{x},{y}")
            previous = i
        if segment:
            dash = f' stroke-dasharray="{streck}"' if streck else ""
            parts.append(
                f'<path d="{" ".join(segment)}" fill="none" stroke="{farg}" '
                f'stroke-width="2"{dash}/>'
            )
        for x, y, v in punkter:
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="3" fill="{farg}"><title>{escape(regel)}: '
                f"{escape(tal(round(float(v) * 100, 1)))} % i tid</title></circle>"
            )
        if punkter:
            x, y, _ = punkter[-1]
            # Keep end labels at least 12 px apart so they stay readable.
            ly = y
            while any(abs(ly - other) < 12 for other in label_y):
                ly += 12
            label_y.append(ly)
            parts.append(
                f'<text x="{width - right + 8}" y="{ly + 4}" font-size="11" fill="{farg}">'
                f"{escape(regel)}</text>"
            )
    total_height = top + height + bottom + max(0, int(max(label_y, default=0)) - top - height)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="diagram" '
        f'viewBox="0 0 {width} {total_height}" width="{width}" height="{total_height}" '
        f'aria-labelledby="diagram-over-tid-titel diagram-over-tid-beskrivning">'
        f'<title id="diagram-over-tid-titel">Bevakningar i tid per regel över tid</title>'
        f'<desc id="diagram-over-tid-beskrivning">Andel bevakningar som klarats i tid per '
        f"regel och månad, från {escape(manadsetikett(datum[0]))} till "
        f"{escape(manadsetikett(datum[-1]))}. Hur andelen räknas står under diagrammet; "
        f"samma värden finns i tabellen.</desc>" + "".join(parts) + "</svg>"
    )
    # Every text above is escaped.
    return mark_safe(svg)
