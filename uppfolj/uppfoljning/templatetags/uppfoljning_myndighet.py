"""The follow-up part of the authority's case page, and small helpers of the follow-up pages."""

from __future__ import annotations

from typing import Any

from django import template

from uppfolj.domain import checklistor, tid

from ..selectors_uppfoljning import UppfoljningPanel, uppfoljning_panel

register = template.Library()


@register.simple_tag
def uppfoljning_myndighet(arende: Any, user: Any) -> UppfoljningPanel | None:
    """Return the case's booked meetings and latest follow-ups, or None if `user` does not
    read them."""
    return uppfoljning_panel(arende, user)


@register.filter
def tim_min(minuter: int | None) -> str:
    return "" if minuter is None else tid.tim_min(int(minuter))


@register.filter
def fragor_for(checklista: checklistor.Checklista, arende: Any) -> tuple[checklistor.Fraga, ...]:
    return checklista.fragor_for(arende.boendeform or None)


@register.filter
def kallade_text(kallade: str) -> str:
    """Return the invited, one a line, as one comma-separated line."""
    return ", ".join(line for line in kallade.splitlines() if line.strip())
