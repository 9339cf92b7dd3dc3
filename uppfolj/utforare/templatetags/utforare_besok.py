"""The besok panel of the provider's case page, and the time figures on the authority's."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from uppfolj.arenden.access import is_visible
from uppfolj.domain import tid
from uppfolj.domain.timeline import BOENDESTOD

from ..selectors_tid import Tidsoversikt, tidsoversikt

register = template.Library()

UTANFOR_KONTORSTID = {tid.KVALL: "Kväll", tid.HELG: "Helg"}


@register.inclusion_tag("utforare/_besok_panel.html")
def besok_panel(arende: Any, user: Any) -> dict[str, Any]:
    return {
        "arende": arende,
        "user": user,
        "oversikt": tidsoversikt(arende, idag=timezone.localdate()),
        "samlarteam": arende.insats == BOENDESTOD,
    }


@register.simple_tag
def tid_myndighet(arende: Any, user: Any) -> Tidsoversikt | None:
    """Return the time figures for the authority's case page, or None when there is
    nothing to show or `user` may not see the case."""
    if not is_visible(user, arende):
        return None
    oversikt = tidsoversikt(arende, idag=timezone.localdate())
    if arende.insats != BOENDESTOD and not oversikt.har_uppgifter:
        return None
    return oversikt


@register.filter
def tim_min(minuter: int | None) -> str:
    """Return 135 as "2 tim 15 min"."""
    return "" if minuter is None else tid.tim_min(int(minuter))


@register.filter
def utanfor_kontorstid(besok: Any) -> str:
    """Return "Kväll" or "Helg" for a visit outside office hours, else ""."""
    visit = tid.Besokstid(
        timezone.localtime(besok.start), timezone.localtime(besok.slut), besok.personal_id
    )
    kategori = visit.utanfor_kontorstid
    return UTANFOR_KONTORSTID[kategori] if kategori else ""


def _dag(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, date) else None


@register.filter
def iso_dag(value: Any) -> str:
    """Return a date as "2026-03-02", as |date:"Y-m-d" does, without Django's date
    formatter (the case page writes dozens of dates)."""
    dag = _dag(value)
    return dag.isoformat() if dag else ""


@register.filter
def kort_dag(value: Any) -> str:
    """Return a date as "2 mar", as |date:"j b" does."""
    dag = _dag(value)
    return f"{dag.day} {MONTHS_3[dag.month]}" if dag else ""


# The rows of the week and month tables of utforare/tid_tabeller.html, written in Python
# (a dozen values each; the template's loops cost more than the figures). Every value is
# escaped or a number.
_PERIOD_RAD = """
    <tr>
      <th scope="row">{etikett}{pagar}{dagar}</th>
      <td>{text}{avvikelse}</td>
      <td class="num">{antal_besok}</td><td class="num">{kvall}</td><td class="num">{helg}</td>
    </tr>
  """
_PAGAR = ' <span class="muted">(pågår)</span>'


@register.simple_tag
def tid_rader(oversikt: Tidsoversikt, manader: bool = False) -> SafeString:
    """Return the rows of the week table (with each week's days and its deviation from
    the granted time) or, with `manader`, of the month table."""
    rader = []
    for p in oversikt.manader if manader else oversikt.veckor:
        avvikelse = ""
        if not manader and p.avslutad:
            a = p.avvikelse(oversikt.under, oversikt.over)
            if a == tid.UNDER:
                avvikelse = f' <span class="tag tag-danger">under {oversikt.under} %</span>'
            elif a == tid.OVER:
                avvikelse = f' <span class="tag tag-danger">över {oversikt.over} %</span>'
        dagar = ""
        if not manader:
            fran, till = escape(kort_dag(p.fran)), escape(kort_dag(p.till))
            dagar = f'<br><span class="muted">{fran}–{till}</span>'
        rader.append(
            _PERIOD_RAD.format(
                etikett=escape(p.etikett),
                pagar="" if p.avslutad else _PAGAR,
                dagar=dagar,
                text=escape(p.text),
                avvikelse=avvikelse,
                antal_besok=int(p.antal_besok),
                kvall=int(p.kvall),
                helg=int(p.helg),
            )
        )
    return mark_safe("".join(rader))
