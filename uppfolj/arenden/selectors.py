"""Reads of cases; every one starts from Arende.objects.visible_to(user)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from uppfolj.domain.engine import CANCELLED, OPEN

from .models import Arende, Bevakning


def arenden_lista(
    *,
    user: Any,
    today: date,
    insats: str = "",
    distrikt_id: int | None = None,
    endast_forsenade: bool = False,
) -> QuerySet[Arende]:
    """Return the cases `user` may see, with their stored bevakningar, filtered."""
    cases = Arende.objects.visible_to(user).select_related(
        "person", "distrikt", "utforare", "handlaggare"
    )
    if insats:
        cases = cases.filter(insats=insats)
    if distrikt_id:
        cases = cases.filter(distrikt_id=distrikt_id)
    if endast_forsenade:
        cases = cases.filter(
            Q(bevakningar__status=OPEN, bevakningar__forfaller__lt=today)
            | Q(bevakningar__status="overdue")
        ).distinct()
    return cases.prefetch_related(
        Prefetch(
            "bevakningar",
            queryset=Bevakning.objects.exclude(status=CANCELLED).order_by("forfaller", "regel"),
        )
    ).order_by("arende_id")
