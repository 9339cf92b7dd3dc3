"""Template helpers that show a bevakning's status and the rule behind it."""

from __future__ import annotations

import functools
from datetime import date
from html import escape

from django import template

from uppfolj.domain import stodnivaer
from uppfolj.domain.engine import OPEN, OVERDUE, STATUS_NAMN
from uppfolj.domain.rules import DEADLINE_RULES_BY_ID, WARNING_RULES_BY_ID

from ..models import Bevakning, Handelse
from ..selectors import SNART_DAGAR, Bevakningsrad

register = template.Library()


@register.simple_tag
def bevakning_status(bevakning: Bevakning | Bevakningsrad, today: date) -> str:
    """Return the status key for styling: overdue, soon, open, met, met_late …"""
    status = bevakning.effektiv_status(today)
    if status == OPEN and (bevakning.forfaller - today).days <= SNART_DAGAR:
        return "soon"
    return status


@register.simple_tag
def delade_bevakningar(bevakningar: list[Bevakning], today: date) -> dict[str, list[Bevakning]]:
    """Split a case's bevakningar into those still to act on and those settled."""
    aktuella: list[Bevakning] = []
    avklarade: list[Bevakning] = []
    for bevakning in bevakningar:
        unmet = bevakning.effektiv_status(today) in (OPEN, OVERDUE)
        (aktuella if unmet else avklarade).append(bevakning)
    return {"aktuella": aktuella, "avklarade": avklarade}


@register.filter
def status_namn(status: str) -> str:
    if status == "soon":
        return "Förfaller snart"
    return STATUS_NAMN.get(status, status)


@register.filter
def regel_text(rule_id: str) -> str:
    rule = DEADLINE_RULES_BY_ID.get(rule_id) or WARNING_RULES_BY_ID.get(rule_id)
    return rule.text if rule else rule_id


@register.filter
def regel_kalla(rule_id: str) -> str:
    rule = DEADLINE_RULES_BY_ID.get(rule_id) or WARNING_RULES_BY_ID.get(rule_id)
    return f"Källa: {rule.source}" if rule else ""


@functools.cache
def regel_html(rule_id: str) -> tuple[str, str, str]:
    """Return the rule's id, text and source, HTML-escaped, for rows written in Python
    (the rule catalogue does not change)."""
    return escape(rule_id), escape(regel_text(rule_id)), escape(regel_kalla(rule_id))


UTFALL_NAMN = {"bifall": "Bifall", "delvis": "Delvis bifall", "avslag": "Avslag"}


@register.filter
def niva_namn(level: str) -> str:
    return (
        stodnivaer.STODNIVAER_BY_KOD[level].namn if level in stodnivaer.STODNIVAER_BY_KOD else level
    )


@register.filter
def utfall_namn(utfall: str) -> str:
    return UTFALL_NAMN.get(utfall, utfall)


@register.filter
def timmar_minuter(minutes: int | None) -> str:
    """Return 150 as "2 tim 30 min"."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    return f"{hours} tim {rest} min" if rest else f"{hours} tim"


@register.filter
def handelse_detalj(handelse: Handelse) -> str:
    """Return the few facts of an event worth reading in a timeline."""
    data = handelse.data
    parts: list[str] = []
    if handelse.typ == "beslut":
        parts.append(UTFALL_NAMN.get(data.get("utfall", ""), ""))
        if data.get("from"):
            parts.append(f"{data['from']}–{data.get('to') or 'tills vidare'}")
        if data.get("minuter_per_vecka"):
            parts.append(f"{timmar_minuter(data['minuter_per_vecka'])}/vecka")
    elif handelse.typ in ("stodniva_bedomd", "uppdrag_skickat") and (
        data.get("niva") or data.get("stodniva")
    ):
        parts.append(
            f"stödnivå {stodnivaer.niva_namn(data.get('niva') or data['stodniva']).lower()}"
        )
    elif handelse.typ == "verkstallt" and data.get("grad"):
        parts.append(data["grad"])
    return ", ".join(p for p in parts if p)


@register.simple_tag
def dagar_kvar(bevakning: Bevakning | Bevakningsrad, today: date) -> str:
    """Return "3 dagar kvar", "förfaller i dag" or "12 dagar sen" for an unmet bevakning."""
    if bevakning.effektiv_status(today) not in (OPEN, OVERDUE):
        return ""
    days = (bevakning.forfaller - today).days
    if days == 0:
        return "förfaller i dag"
    if days > 0:
        return f"{days} {'dag' if days == 1 else 'dagar'} kvar"
    return f"{-days} {'dag' if days == -1 else 'dagar'} sen"
