"""Server-side SVG charts for the audit report: the same markup on the page and in the PDF.

Every chart is an inline `<svg>` with a title and description for screen readers, and
every bar carries its value as text so it reads without colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from uppfolj.domain.granskning import (
    BESLUTSTID_GRUPPER,
    BESLUTSTID_NAMN,
    KOLUMN_NAMN,
    KOLUMNER,
    TOTALT,
)

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


def diagram_timmar(tid: dict[str, dict[str, float | None]]) -> SafeString:
    grupper = [
        (OMRADE_NAMN.get(omrade, omrade), [(KOLUMN_NAMN[k], rad[k]) for k in KOLUMNER])
        for omrade, rad in tid.items()
    ]
    return stapeldiagram(
        titel="Beviljad tid per månad (timmar) per verksamhetsområde och kön",
        beskrivning="Medelvärde av beviljade timmar per månad för kvinnor, män och totalt.",
        grupper=grupper,
        enhet="timmar",
        id_prefix="diagram-timmar",
    )


def diagram_beslutstid(beslutstid: dict[str, dict[str, int]]) -> SafeString:
    totalt = beslutstid.get(TOTALT, {})
    return stapeldiagram(
        titel="Beslutstid för senaste beslut (antal ärenden)",
        beskrivning="Antal ärenden per längd på det beslut som gäller.",
        grupper=[(BESLUTSTID_NAMN[g], [("Antal", totalt.get(g, 0))]) for g in BESLUTSTID_GRUPPER],
        enhet="ärenden",
        id_prefix="diagram-beslutstid",
    )
