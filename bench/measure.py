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

# The worklist's rows: open bevakningar of the worker's cases with case and person (what
# each row shows), and the districts of the filter form.
WORKLIST_SQL = (
    """
SELECT b.id, b.regel, b.start, b.forfaller, b.status, b.arende_id, a.arende_id, a.insats,
       p.fornamn, p.efternamn, p.personnummer
FROM arenden_bevakning b
JOIN arenden_arende a ON a.id = b.arende_id
JOIN arenden_person p ON p.id = a.person_id
WHERE a.handlaggare_id = %(user)s AND b.status = 'open'
ORDER BY b.forfaller, a.arende_id, b.regel
""",
    "SELECT id, namn FROM accounts_distrikt ORDER BY namn",
)

# Every row the case page shows (for a social worker), each table read by key: the case
# with its person, district, provider and worker; the events with who registered them;
# bevakningar, warnings and the reasons given for them; the latest decision and uppdrag
# with the provider's answer; the transferred summaries; the visits; the latest plan and
# its delmål; the person's consents; booked meetings and follow-ups.
CASE_SQL = (
    "SELECT * FROM arenden_arende a JOIN arenden_person p ON p.id = a.person_id "
    "LEFT JOIN accounts_distrikt d ON d.id = a.distrikt_id "
    "LEFT JOIN accounts_utforare u ON u.id = a.utforare_id "
    "LEFT JOIN accounts_user h ON h.id = a.handlaggare_id WHERE a.id = %(pk)s",
    "SELECT * FROM arenden_bevakning WHERE arende_id = %(pk)s AND status <> 'cancelled' "
    "ORDER BY forfaller, regel",
    "SELECT * FROM arenden_varning WHERE arende_id = %(pk)s",
    "SELECT * FROM arenden_varningkvittens k JOIN accounts_user u ON u.id = k.aktor_id "
    "WHERE k.arende_id = %(pk)s",
    "SELECT * FROM arenden_beslut b LEFT JOIN accounts_user u ON u.id = b.beslutsfattare_id "
    "WHERE b.arende_id = %(pk)s ORDER BY b.id DESC LIMIT 1",
    "SELECT * FROM arenden_uppdrag d LEFT JOIN accounts_utforare u ON u.id = d.utforare_id "
    "LEFT JOIN utforare_uppdragsvar s ON s.uppdrag_id = d.id "
    "LEFT JOIN accounts_user b ON b.id = s.besvarat_av_id "
    "WHERE d.arende_id = %(pk)s ORDER BY d.id DESC LIMIT 1",
    "SELECT * FROM utforare_sammanstallning s LEFT JOIN accounts_user u ON u.id = s.skriven_av_id "
    "WHERE s.arende_id = %(pk)s AND s.status = 'overford' ORDER BY s.period_fran DESC",
    "SELECT * FROM utforare_besok WHERE arende_id = %(pk)s ORDER BY start",
    "SELECT * FROM utforare_genomforandeplan g LEFT JOIN utforare_delmal m ON m.plan_id = g.id "
    "WHERE g.id = (SELECT id FROM utforare_genomforandeplan WHERE arende_id = %(pk)s "
    "ORDER BY version DESC LIMIT 1) ORDER BY m.ordning",
    "SELECT * FROM utforare_samtycke WHERE person_id = (SELECT person_id FROM arenden_arende "
    "WHERE id = %(pk)s) ORDER BY fran DESC, id DESC",
    "SELECT * FROM uppfoljning_uppfoljningsmote WHERE arende_id = %(pk)s AND status = 'bokat' "
    "ORDER BY tid",
    "SELECT * FROM uppfoljning_uppfoljning f LEFT JOIN accounts_user u ON u.id = f.skriven_av_id "
    "WHERE f.arende_id = %(pk)s ORDER BY f.datum DESC LIMIT 3",
)

# The events, and then who registered them by key: a join would have PostgreSQL hash the
# whole user table for a case's hundred events (the page reads them the same way).
EVENTS_OF_CASE_SQL = "SELECT * FROM arenden_handelse WHERE arende_id = %(pk)s ORDER BY datum, id"
USERS_SQL = "SELECT * FROM accounts_user WHERE id = ANY(%(ids)s)"

# The read log (ACC-LOGG) is part of every page's work, not of the framework's: each lower
# bound writes the same rows (in the run's transaction, rolled back at the end).
ACCESS_LOG_SQL = (
    "INSERT INTO audit_accesslog (tidpunkt, aktor_id, arende_id, arende_ref, roll, vy, skal, "
    "nekad) SELECT now(), %(user)s, unnest(%(cases)s::bigint[]), '', 'socialsekreterare', "
    "%(view)s, '', false RETURNING id"
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


def timed_pair(
    fn: Callable[[], Any], bound: Callable[[], Any], repeat: int
) -> tuple[list[float], list[float]]:
    """Time `fn` and its lower bound `bound` in turns, `repeat` times each: the machine's
    speed drifts (a shared virtual machine's by half within minutes), and in turns both
    see the same drift, so that their ratio does not depend on when each ran."""
    fn_samples: list[float] = []
    bound_samples: list[float] = []
    fn(), bound()  # warm up
    for _ in range(repeat):
        fn_samples += timed(fn, repeat=1, warmup=0)
        bound_samples += timed(bound, repeat=1, warmup=0)
    return fn_samples, bound_samples


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


OPERATIONS = ("mina", "arende", "omrakning", "bulk", "granskning")


def measure(
    today: date, rng: random.Random, operations: tuple[str, ...] = OPERATIONS
) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    workers = list(User.objects.filter(roll=Roll.SOCIALSEKRETERARE).order_by("pk"))
    chosen = rng.sample(workers, min(5, len(workers)))
    client = Client()

    # Mina bevakningar, against its rows, the form's districts and the read log's rows.
    view, bound = [], []
    url = reverse("arenden:mina_bevakningar")
    for user in chosen if "mina" in operations else []:
        client.force_login(user)

        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def by_sql(user: int = user.pk) -> None:
            rows = sql(WORKLIST_SQL[0], {"user": user})()
            sql(WORKLIST_SQL[1], {})()
            cases = sorted({row[5] for row in rows})
            sql(ACCESS_LOG_SQL, {"user": user, "cases": cases, "view": "mina_bevakningar"})()

        samples, bound_samples = timed_pair(get, by_sql, repeat=10)
        view += samples
        bound += bound_samples
    if view:
        results["Mina bevakningar"] = summary(view, bound)

    # The case page: cases of the chosen social workers, against every row it shows.
    view, bound = [], []
    for user in chosen:
        client.force_login(user)
        cases = list(Arende.objects.filter(handlaggare=user).order_by("pk"))
        # Drawn whatever is measured, so that every run samples the same cases.
        picked = rng.sample(cases, min(10, len(cases)))
        for arende in picked if "arende" in operations else []:
            page = reverse("arenden:arende", args=[arende.arende_id])

            def get_case(page: str = page) -> None:
                response = client.get(page)
                assert response.status_code == 200, response.status_code

            def by_key(pk: int = arende.pk, user: int = user.pk) -> None:
                for query in CASE_SQL:
                    sql(query, {"pk": pk})()
                with connection.cursor() as cursor:
                    cursor.execute(EVENTS_OF_CASE_SQL, {"pk": pk})
                    column = [c.name for c in cursor.description].index("registrerad_av_id")
                    ids = sorted({row[column] for row in cursor.fetchall()} - {None})
                sql(USERS_SQL, {"ids": ids})()
                sql(ACCESS_LOG_SQL, {"user": user, "cases": [pk], "view": "arende"})()

            samples, bound_samples = timed_pair(get_case, by_key, repeat=3)
            view += samples
            bound += bound_samples
    if view:
        results["Ärendesidan"] = summary(view, bound)

    # Recomputing bevakningar, on a sample: per case, and reading the events alone.
    ids = list(Arende.objects.order_by("pk").values_list("pk", flat=True))
    sample = sorted(rng.sample(ids, min(2000, len(ids))))
    if "omrakning" in operations:
        recompute_one_by_one(today, sample, results)
    if "bulk" in operations:
        recompute_in_bulk(today, sample, results)
    if "granskning" in operations:
        city_report(today, results)
    return results


def recompute_one_by_one(today: date, sample: list[int], results: dict[str, Any]) -> None:
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


def recompute_in_bulk(today: date, sample: list[int], results: dict[str, Any]) -> None:
    """The same sample recomputed in bulk, against reading its events in one query."""
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


def city_report(today: date, results: dict[str, Any]) -> None:
    """The city-wide granskning report (boendestöd, every district)."""

    def report() -> None:
        cases = urval_arenden(user_or_none=None, as_of=today)
        granskning_berakna(cases_queryset=cases, as_of=today, urval={"insats": "boendestod"})

    # On today's date the report aggregates in the database (uppfolj/granskning/aggregat.py):
    # seconds at 100,000 cases, so every size is timed three times after a warm-up.
    view = timed(report, repeat=3, warmup=1)
    bound = timed(sql(HOURS_SQL, {"d": today}), repeat=5)
    results["Granskning, hela staden"] = summary(view, bound)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idag", required=True)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--operations",
        default=",".join(OPERATIONS),
        help=f"comma-separated, of {', '.join(OPERATIONS)} (default: all)",
    )
    args = parser.parse_args()
    operations = tuple(op.strip() for op in args.operations.split(",") if op.strip())
    unknown = sorted(set(operations) - set(OPERATIONS))
    if unknown or not operations:
        print(
            f"measure: okänd operation {', '.join(unknown) or '(ingen)'}; "
            f"välj bland {', '.join(OPERATIONS)}",
            file=sys.stderr,
        )
        return 2
    today = date.fromisoformat(args.idag)
    noon = datetime.combine(today, time_of_day(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=True), transaction.atomic():
        results = measure(today, random.Random(args.seed), operations)
        transaction.set_rollback(True)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
