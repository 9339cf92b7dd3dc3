"""Reads of cases; every one starts from Arende.objects.visible_to(user)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from uppfolj.domain.engine import CANCELLED, OPEN, OVERDUE

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
            | Q(bevakningar__status=OVERDUE)
        ).distinct()
    # Overdue first, then open by due date, then what is already settled.
    urgency = Case(
        When(status=OPEN, forfaller__lt=today, then=Value(0)),
        When(status=OVERDUE, then=Value(0)),
        When(status=OPEN, then=Value(1)),
        default=Value(2),
    )
    return cases.prefetch_related(
        Prefetch(
            "bevakningar",
            queryset=Bevakning.objects.exclude(status=CANCELLED)
            .annotate(angelagenhet=urgency)
            .order_by("angelagenhet", "forfaller", "regel"),
        ),
        "varningar",
    ).order_by("arende_id")
