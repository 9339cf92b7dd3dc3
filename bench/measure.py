"""Time the hot paths on the database in DATABASE_URL; print the results as JSON.

Run by bench/run.py, once per size. The clock is set to the generated city's
`today` (`--idag`), so every database shows the same day whenever it is timed.
Every operation is paired with a lower bound measured here, in the same run:

- Mina bevakningar (the real view through Django's test client, logged in)
  against one hand-written indexed SQL query for the same rows;
- the case page against fetching the case's rows by key;
- recomputing bevakningar (`bevakningar_berakna`, per case, on a sample)
  against reading the same cases' events alone, one query per case, and the
  same sample in bulk (`bevakningar_berakna_alla`) against one query for all
  their events;
- the city-wide granskning report against one SQL aggregate for its
  granted-hours table.

All writes (access log, recomputed rows) are rolled back at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

import time_machine  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from uppfolj.accounts.models import Roll, User  # noqa: E402
from uppfolj.arenden.models import Arende, Bevakning  # noqa: E402
from uppfolj.arenden.omrakning import bevakningar_berakna_alla  # noqa: E402
from uppfolj.arenden.services import bevakningar_berakna  # noqa: E402
from uppfolj.granskning.selectors import granskning_berakna, urval_arenden  # noqa: E402

WORKLIST_SQL = """
SELECT b.id, b.regel, b.start, b.forfaller, b.status, a.arende_id, a.insats,
       p.fornamn, p.efternamn, d.namn
FROM arenden_bevakning b
JOIN arenden_arende a ON a.id = b.arende_id
JOIN arenden_person p ON p.id = a.person_id
LEFT JOIN accounts_distrikt d ON d.id = a.distrikt_id
WHERE a.handlaggare_id = %s AND b.status = 'open'
ORDER BY b.forfaller, a.arende_id, b.regel
"""

CASE_SQL = (
    "SELECT * FROM arenden_arende a JOIN arenden_person p ON p.id = a.person_id WHERE a.id = %s",
    "SELECT * FROM arenden_handelse WHERE arende_id = %s ORDER BY datum, id",
    "SELECT * FROM arenden_bevakning WHERE arende_id = %s ORDER BY forfaller, regel",
    "SELECT * FROM arenden_varning WHERE arende_id = %s",
)

EVENTS_SQL = "SELECT typ, datum, data FROM arenden_handelse WHERE arende_id = %s ORDER BY datum, id"

# The granted-hours table of GRANSKNING.md: each boendestöd case with a decision in force
# on the day, its latest decision's minutes per week as hours per month, the mean per cell.
HOURS_SQL = """
WITH latest AS (
  SELECT DISTINCT ON (h.arende_id) h.arende_id, h.data
  FROM arenden_handelse h JOIN arenden_arende a ON a.id = h.arende_id
  WHERE a.insats = 'boendestod' AND h.typ = 'beslut' AND h.datum <= %(d)s
  ORDER BY h.arende_id, h.datum DESC, h.id DESC
)
SELECT a.verksamhetsomrade, p.kon,
       round(avg((l.data->>'minuter_per_vecka')::numeric * 52 / 12 / 60), 1), count(*)
FROM latest l
JOIN arenden_arende a ON a.id = l.arende_id
JOIN arenden_person p ON p.id = a.person_id
WHERE l.data->>'utfall' IN ('bifall', 'delvis')
  AND (l.data->>'from')::date <= %(d)s
  AND (l.data->>'to' IS NULL OR (l.data->>'to')::date >= %(d)s)
  AND NOT EXISTS (SELECT 1 FROM arenden_handelse x
                  WHERE x.arende_id = a.id AND x.typ = 'avslut' AND x.datum <= %(d)s)
GROUP BY ROLLUP (a.verksamhetsomrade, p.kon)
"""


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def summary(samples: list[float], bound: list[float]) -> dict[str, float]:
    median, bound_median = statistics.median(samples), statistics.median(bound)
    return {
        "median": median,
        "p95": p95(samples),
        "bound_median": bound_median,
        "bound_p95": p95(bound),
        "ratio": median / bound_median,
        "samples": len(samples),
    }


def sql(query: str, params: Any) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    return run


def measure(today: date, rng: random.Random) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    workers = list(User.objects.filter(roll=Roll.SOCIALSEKRETERARE).order_by("pk"))
    chosen = rng.sample(workers, min(5, len(workers)))
    client = Client()

    # Mina bevakningar.
    view, bound = [], []
    url = reverse("arenden:mina_bevakningar")
    for user in chosen:
        client.force_login(user)

        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        view += timed(get, repeat=10)
        bound += timed(sql(WORKLIST_SQL, [user.pk]), repeat=10)
    results["Mina bevakningar"] = summary(view, bound)

    # The case page: cases of the chosen social workers.
    view, bound = [], []
    for user in chosen:
        client.force_login(user)
        cases = list(Arende.objects.filter(handlaggare=user).order_by("pk"))
        for arende in rng.sample(cases, min(10, len(cases))):
            page = reverse("arenden:arende", args=[arende.arende_id])

            def get_case(page: str = page) -> None:
                response = client.get(page)
                assert response.status_code == 200, response.status_code

            view += timed(get_case, repeat=3)

            def by_key(pk: int = arende.pk) -> None:
                for query in CASE_SQL:
                    sql(query, [pk])()

            bound += timed(by_key, repeat=3)
    results["Ärendesidan"] = summary(view, bound)

    # Recomputing bevakningar, on a sample: per case, and reading the events alone.
    ids = list(Arende.objects.order_by("pk").values_list("pk", flat=True))
    sample = sorted(rng.sample(ids, min(2000, len(ids))))
    arenden = list(Arende.objects.filter(pk__in=sample).order_by("pk"))
    started = time.perf_counter()
    for arende in arenden:
        bevakningar_berakna(arende=arende, today=today)
    recompute = time.perf_counter() - started
    started = time.perf_counter()
    for pk in sample:
        sql(EVENTS_SQL, [pk])()
    reading = time.perf_counter() - started
    results["Omräkning av bevakningar (urval)"] = {
        "rate": len(sample) / recompute,
        "bound_rate": len(sample) / reading,
        "ratio": recompute / reading,
        "sample": len(sample),
        "bevakningar": Bevakning.objects.filter(arende_id__in=sample).count(),
    }

    # The same sample recomputed in bulk, against reading its events in one query.
    started = time.perf_counter()
    bevakningar_berakna_alla(today=today, arende_ids=sample)
    bulk = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT arende_id, typ, datum, data FROM arenden_handelse WHERE arende_id = ANY(%s) "
            "ORDER BY arende_id, datum, id",
            [sample],
        )
        cursor.fetchall()
    reading = time.perf_counter() - started
    results["Omräkning i bulk (urval)"] = {
        "rate": len(sample) / bulk,
        "bound_rate": len(sample) / reading,
        "ratio": bulk / reading,
        "sample": len(sample),
    }

    # The city-wide granskning report (boendestöd, every district).
    def report() -> None:
        cases = urval_arenden(user_or_none=None, as_of=today)
        granskning_berakna(cases_queryset=cases, as_of=today, urval={"insats": "boendestod"})

    # At 100,000 cases one run takes minutes; a run is then timed once, without warm-up.
    small = Arende.objects.count() <= 20_000
    view = timed(report, repeat=3 if small else 1, warmup=1 if small else 0)
    bound = timed(sql(HOURS_SQL, {"d": today}), repeat=5)
    results["Granskning, hela staden"] = summary(view, bound)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idag", required=True)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    today = date.fromisoformat(args.idag)
    noon = datetime.combine(today, time_of_day(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=True), transaction.atomic():
        results = measure(today, random.Random(args.seed))
        transaction.set_rollback(True)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
