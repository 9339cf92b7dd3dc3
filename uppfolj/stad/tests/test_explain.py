"""The worklist query (Mina bevakningar) is served by an index on PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection

from uppfolj.accounts.models import Roll, User
from uppfolj.arenden.selectors import mina_bevakningar
from uppfolj.stad.generate import generate

TODAY = date(2026, 3, 2)


@pytest.mark.django_db
def test_the_worklist_query_is_served_by_an_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's; SQLite is the development database")
    generate(cases=300, seed=4, today=TODAY)
    worker = (
        User.objects.filter(roll=Roll.SOCIALSEKRETERARE, arenden__bevakningar__status="open")
        .order_by("pk")
        .first()
    )
    assert worker is not None
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # On a small table the planner rightly prefers reading it whole; turning sequential
        # scans off shows that an index exists that serves the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = mina_bevakningar(user=worker).explain()
    assert "Seq Scan on arenden_bevakning" not in plan, plan
    # An index scan, or a bitmap scan of an index (which the planner prefers on this small
    # city for the open rows; on the generated 10,000- and 100,000-case cities it reads
    # the worker's cases' rows by the arende_id index, bench/README.md).
    assert re.search(
        r"(Index (Only )?Scan using \S+|Bitmap Heap Scan) on arenden_bevakning", plan
    ), plan
    # The worker's own cases of their district by one index (not the whole district's
    # entries intersected with the worker's, as with an index per column).
    assert "arende_handlaggare_distrikt" in plan, plan
    assert "BitmapAnd" not in plan, plan
