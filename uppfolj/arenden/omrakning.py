"""Recomputing the stored bevakningar of many cases at once (after a rule or setting change).

`bevakningar_berakna` recomputes one case in five queries; for a whole city that is
hundreds of thousands of round trips. This does the same per batch of cases: one
query for the cases, one for their events, one delete per table and one bulk insert
per table, with the same engine and the same stored rows; and the batch's audit facts
(`fakta.fakta_berakna`, three queries).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from itertools import groupby

from django.db import transaction

from uppfolj.domain.engine import evaluate

from .fakta import fakta_berakna
from .models import Arende, Bevakning, Handelse, Varning
from .services.handelser import handelse_as_event, lagrade_rader, local_defaults, tidslinje

BATCH = 1000


def bevakningar_berakna_alla(
    *,
    today: date,
    arende_ids: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the bevakningar, warnings and audit facts of every case (or of
    `arende_ids`); return how many cases were recomputed. One transaction per batch."""
    cases = Arende.objects.order_by("pk")
    if arende_ids is not None:
        cases = cases.filter(pk__in=arende_ids)
    ids = list(cases.values_list("pk", flat=True))
    defaults = local_defaults()
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        with transaction.atomic():
            arenden = list(Arende.objects.filter(pk__in=batch).order_by("pk"))
            rows = (
                Handelse.objects.filter(arende_id__in=batch)
                .order_by("arende_id", "datum", "id")
                .only("arende_id", "typ", "datum", "data")
            )
            events = {
                arende_id: tuple(handelse_as_event(h) for h in group)
                for arende_id, group in groupby(
                    rows.iterator(chunk_size=5000), lambda h: h.arende_id
                )
            }
            bevakningar: list[Bevakning] = []
            varningar: list[Varning] = []
            for arende in arenden:
                evaluation = evaluate(tidslinje(arende, events.get(arende.pk, ())), today, defaults)
                rader = lagrade_rader(arende.pk, evaluation)
                bevakningar += rader[0]
                varningar += rader[1]
            Bevakning.objects.filter(arende_id__in=batch).delete()
            Varning.objects.filter(arende_id__in=batch).delete()
            Bevakning.objects.bulk_create(bevakningar, batch_size=2000)
            Varning.objects.bulk_create(varningar, batch_size=2000)
            fakta_berakna(batch, today)
        if progress:
            progress(first + len(batch), len(ids))
    return len(ids)
