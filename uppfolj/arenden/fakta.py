"""The audit's per-case facts, computed from the events in the database and stored.

`_genomlopning` is one pass over the events of many cases up to a day: window
functions over each case's events in date order and one GROUP BY give one row of a
few scalars per case (the decision in force, the first execution, the longest gap
between daily notes, the latest current plan and uppdrag, the children's
perspective, the level changes and uppdrag sent under the decision). The city-wide
report (`uppfolj.granskning.aggregat.rader`) needs it for every case; run on the
request it walks millions of daily notes, so `fakta_berakna` stores its rows
(`Granskningsfakta`) whenever a case's events change, as the stored bevakningar are,
and the report reads them.

A row computed on `berakna_per` holds on every later day before `giltig_till`
unless the events change: what depends on the day without a new event is a
future-dated event or decision period starting, the decision in force ending and
the latest current plan turning twelve months old. The days since the last daily
note (the tail of the longest gap) are computed when the report is read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    RowRange,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, LPad, NullIf

from uppfolj.domain.calendar import add_months
from uppfolj.domain.granskning import PLANHANDELSER
from uppfolj.domain.timeline import BEVILJANDE_UTFALL
from uppfolj.lib.kompilerad import id_urval, kor

from .models import Arende, Granskningsfakta, Handelse


def _text(key: str) -> NullIf:
    # The key's value as text, compared as plain text; NULL when missing or JSON null
    # (which SQLite's cast gives as the text 'null').
    return NullIf(
        Cast(KeyTextTransform(key, "data"), TextField()), Value("null"), output_field=TextField()
    )


def _iso(field: str) -> Cast:
    # A date as 'YYYY-MM-DD' text on both SQLite and PostgreSQL, to compare with the
    # ISO dates of the events' JSON.
    return Cast(field, TextField())


def _nyckel() -> Concat:
    # The event's place in the case's order, as text that sorts like (datum, id): MAX of
    # it picks the latest event of a group, MIN the first (with what follows it).
    return Concat(
        _iso("datum"),
        _v("|"),
        LPad(Cast("id", TextField()), 12, _v("0"), output_field=TextField()),
        output_field=TextField(),
    )


def _v(text: str) -> Value:
    return Value(text, output_field=TextField())


def _med(*delar: Any) -> Concat:
    """The key followed by `delar`, separated by '|' (NULL parts give '')."""
    parts: list[Any] = [_nyckel()]
    for del_ in delar:
        parts += [_v("|"), Coalesce(del_, _v(""), output_field=TextField())]
    return Concat(*parts, output_field=TextField())


def _flagga(**lookup: Any) -> Case:
    return Case(When(Q(**lookup), then=_v("1")), default=_v("0"), output_field=TextField())


# Where the level starts in `_med(niva)`: 'YYYY-MM-DD|' + 12 digits + '|'.
NIVA_FRAN = 25


def _genomlopning(cases_queryset: QuerySet[Arende], as_of: date) -> list[Any]:
    """Return `_genomlopning_fragan`'s rows."""
    return _yttre(*_genomlopning_fragan(cases_queryset, as_of))


def _genomlopning_fragan(cases_queryset: QuerySet[Arende], as_of: date) -> tuple[Any, str]:
    """Return the query of `_genomlopning` as the inner query and the outer SQL of
    `_yttre`: per case, from one pass over its events up to `as_of` (windows over the
    case's events in date order, then one GROUP BY): the decision in force as
    '|'-separated text (date, id, from, to, minutes; NULL when none), the first
    execution, the longest gap between daily notes since it and the last such note,
    the latest current plan and latest uppdrag (with their participation and structure
    flags last), whether an utredning considers the children, the level changes and the
    uppdrag sent since the decision in force was made.

    The text keys (`_med`) sort like (datum, id), so MAX picks the latest event of a
    kind; a window MAX over the preceding rows gives the latest earlier note and the
    level in force before each event.
    """
    iso = as_of.isoformat()
    i_kraft_q = Q(typ="beslut", g_utfall__in=sorted(BEVILJANDE_UTFALL), g_from__lte=iso) & (
        Q(g_to__isnull=True) | Q(g_to__gte=iso)
    )
    ordning: dict[str, Any] = {
        "partition_by": [F("arende_id")],
        "order_by": [F("datum").asc(), F("id").asc()],
        "frame": RowRange(start=None, end=-1),
    }
    inner = (
        Handelse.objects.filter(
            arende__in=cases_queryset.order_by().values("pk"),
            datum__lte=as_of,
            typ__in=[
                "beslut",
                "verkstallt",
                "utredning",
                "uppdrag_skickat",
                "stodniva_bedomd",
                "daganteckning",
                *sorted(PLANHANDELSER),
            ],
        )
        .order_by()
        .alias(
            g_utfall=_text("utfall"),
            g_from=Coalesce(_text("from"), _iso("datum"), output_field=TextField()),
            g_to=_text("to"),
        )
        .annotate(
            g_d_iso=_iso("datum"),
            g_niva=Coalesce(
                Case(When(typ="stodniva_bedomd", then=_text("niva"))),
                Case(When(typ="uppdrag_skickat", then=_text("stodniva"))),
                output_field=TextField(),
            ),
            g_b_rad=Case(
                When(i_kraft_q, then=_med(F("g_from"), F("g_to"), _text("minuter_per_vecka"))),
                output_field=TextField(),
            ),
            g_plan_k=Case(
                When(
                    Q(typ__in=sorted(PLANHANDELSER), datum__gte=add_months(as_of, -12)),
                    then=_med(_flagga(data__delaktighet=True)),
                ),
                output_field=TextField(),
            ),
            g_uppdrag_k=Case(
                When(typ="uppdrag_skickat", then=_med(_flagga(data__strukturerat=True))),
                output_field=TextField(),
            ),
            g_barnp=Case(
                When(typ="utredning", data__barnperspektiv=True, then=Value(1)),
                default=Value(0),
            ),
        )
        .annotate(
            g_beslut=Window(Max("g_b_rad"), partition_by=[F("arende_id")]),
            g_verkstallt=Window(
                Min(Case(When(typ="verkstallt", then=F("datum")))), partition_by=[F("arende_id")]
            ),
            g_forra=Window(Max(Case(When(typ="daganteckning", then=F("datum")))), **ordning),
            g_forra_niva=Window(
                Max(
                    Case(
                        When(g_niva__isnull=False, then=_med(F("g_niva"))), output_field=TextField()
                    )
                ),
                **ordning,
            ),
        )
        .annotate(
            g_glapp=ExpressionWrapper(F("datum") - F("g_forra"), output_field=DurationField())
        )
        .values(
            "arende_id",
            "typ",
            "datum",
            "g_d_iso",
            "g_niva",
            "g_beslut",
            "g_verkstallt",
            "g_forra",
            "g_forra_niva",
            "g_glapp",
            "g_plan_k",
            "g_uppdrag_k",
            "g_barnp",
        )
    )
    under_beslutet = "g_beslut IS NOT NULL AND g_d_iso >= substr(g_beslut, 1, 10)"
    return (
        inner,
        "SELECT arende_id, MAX(g_beslut), MIN(g_verkstallt), "
        "MAX(CASE WHEN typ = 'daganteckning' AND g_forra >= g_verkstallt THEN g_glapp END), "
        "MAX(CASE WHEN typ = 'daganteckning' AND datum >= g_verkstallt THEN datum END), "
        "MAX(g_plan_k), MAX(g_uppdrag_k), MAX(g_barnp), "
        f"SUM(CASE WHEN typ = 'stodniva_bedomd' AND {under_beslutet} AND g_niva IS NOT NULL "
        f"AND g_forra_niva IS NOT NULL AND g_niva <> substr(g_forra_niva, {NIVA_FRAN}) "
        "THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN typ = 'uppdrag_skickat' AND {under_beslutet} THEN 1 ELSE 0 END) "
        "FROM {inner} GROUP BY arende_id",
    )


def _yttre(inner: QuerySet[Any], sql: str) -> list[Any]:
    """Run `sql` with `{inner}` replaced by the query of `inner` as a derived table `t`:
    an aggregate or filter over a window's rows (which the ORM does not compose); the
    outer SQL is plain and the same on both databases."""
    try:
        inner_sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_utan_inre(sql, inner_sql), params)
        return list(cursor.fetchall())


def _utan_inre(sql: str, inner_sql: str) -> str:
    return sql.replace("{inner}", f"({inner_sql}) t")


def _dagar(value: Any) -> int:
    """Days of a date difference as the database returns it (an interval on PostgreSQL,
    microseconds on SQLite)."""
    if isinstance(value, timedelta):
        return value.days
    return int(value) // 86_400_000_000


def _datum(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# A row of `_genomlopning` with its values as Python types (`normalisera`), the shape
# both the stored facts and the report use: (case pk, beslut, verkstallt, glapp in
# days, sista, plan, uppdrag, barnperspektiv, byten, skickade).
Rad = tuple[
    int, str | None, date | None, int | None, date | None, str | None, str | None, int, int, int
]

# The stored columns in the order of `Rad` after the pk.
KOLUMNER = (
    "beslut",
    "verkstallt",
    "glapp",
    "sista",
    "plan",
    "uppdrag",
    "barnperspektiv",
    "byten",
    "skickade",
)

BATCH = 2000


def normalisera(row: Sequence[Any]) -> Rad:
    """Return a row of `_genomlopning` with dates as dates and the gap in days."""
    pk, beslut, verkstallt, glapp, sista, plan, uppdrag, barnp, byten, skickade = row
    return (
        pk,
        beslut,
        None if verkstallt is None else _datum(verkstallt),
        None if glapp is None else _dagar(glapp),
        None if sista is None else _datum(sista),
        plan,
        uppdrag,
        int(barnp or 0),
        int(byten or 0),
        int(skickade or 0),
    )


def plan_upphor(plan_datum: date) -> date:
    """Return the first day on which a plan made on `plan_datum` is no longer current
    (`_genomlopning` counts it while `datum >= add_months(as_of, -12)`; month ends make
    the day after twelve months ambiguous, so step to it)."""
    day = add_months(plan_datum, 12)
    while add_months(day, -12) <= plan_datum:
        day += timedelta(days=1)
    return day


def giltig_till(
    *,
    beslut: str | None,
    plan: str | None,
    framtida: date | None,
    kommande_fran: str | None,
) -> date | None:
    """Return the first day on which a row could differ without a new event (None:
    never): the next future-dated event, the next granting decision's period starting,
    the day after the decision in force ends, the latest current plan ceasing to be."""
    days: list[date] = []
    if framtida is not None:
        days.append(framtida)
    if kommande_fran:
        days.append(date.fromisoformat(kommande_fran[:10]))
    # A day past the calendar's end (a decision "to 9999-12-31") never comes.
    with suppress(OverflowError, ValueError):
        if beslut is not None and (till := beslut.split("|")[3]):
            days.append(date.fromisoformat(till) + timedelta(days=1))
    with suppress(OverflowError, ValueError):
        if plan is not None:
            days.append(plan_upphor(date.fromisoformat(plan[:10])))
    return min(days, default=None)


def _giltighet_fragan(arende_ids: Any, today: date) -> QuerySet[Any]:
    """Return the query of, per case of `arende_ids` that has events: its first event
    dated after `today`, the first `from` after `today` of a granting decision, and the
    key of its first granting decision up to `today` (date|id|from)."""
    iso = today.isoformat()
    granting = Q(typ="beslut", g_utfall__in=sorted(BEVILJANDE_UTFALL))
    return (
        Handelse.objects.filter(arende_id__in=arende_ids)
        .order_by()
        .alias(
            g_utfall=_text("utfall"),
            g_from=Coalesce(_text("from"), _iso("datum"), output_field=TextField()),
        )
        .values("arende_id")
        .annotate(
            framtida=Min(Case(When(datum__gt=today, then=F("datum")))),
            kommande=Min(
                Case(When(granting & Q(g_from__gt=iso), then=F("g_from")), output_field=TextField())
            ),
            forsta=Min(
                Case(
                    When(granting & Q(datum__lte=today), then=_med(F("g_from"))),
                    output_field=TextField(),
                )
            ),
        )
        .values_list("arende_id", "framtida", "kommande", "forsta")
    )


# Building the two queries' SQL costs Django some 10 ms (windows, CASEs, text keys),
# many times what the database takes for one case, and every change to a case runs
# them. Their SQL depends only on the day and the database, so it is built once per
# day with the cases' ids as one parameter (`uppfolj.lib.kompilerad`).


def giltig(berakna_per: date | None, giltig_till: date | None, as_of: date) -> bool:
    """Return whether a stored row (its `berakna_per` and `giltig_till`; None for no row)
    holds on `as_of`."""
    return (
        berakna_per is not None
        and berakna_per <= as_of
        and (giltig_till is None or as_of < giltig_till)
    )


def ogiltig_q(as_of: date, via: str = "granskningsfakta__") -> Q:
    """`not giltig(...)` as a condition on the cases, through `via` to their rows."""
    return (
        Q(**{f"{via}berakna_per__isnull": True})
        | Q(**{f"{via}berakna_per__gt": as_of})
        | Q(**{f"{via}giltig_till__lte": as_of})
    )


def _fragan(namn: str, today: date, ids: str) -> tuple[str, Sequence[Any]]:
    """Return the SQL and parameters of query `namn` ("genomlopning" or "giltighet") for
    `today`, for the cases whose ids are the text `ids` (see `id_urval`)."""
    if namn == "genomlopning":
        inner, outer = _genomlopning_fragan(Arende.objects.filter(pk__in=id_urval(ids)), today)
        inner_sql, params = inner.query.sql_with_params()
        return _utan_inre(outer, inner_sql), params
    return _giltighet_fragan(id_urval(ids), today).query.sql_with_params()


def _kor(namn: str, ids: Sequence[int], today: date) -> list[Any]:
    (id_text,) = id_urval(ids).params
    return kor(("fakta", namn, today), functools.partial(_fragan, namn, today), {"ids": id_text})


def _giltighet(arende_ids: Sequence[int], today: date) -> dict[int, tuple[Any, Any, Any]]:
    """Return `_giltighet_fragan`'s rows per case; the first date as a date."""
    return {
        row[0]: (None if row[1] is None else _datum(row[1]), row[2], row[3])
        for row in _kor("giltighet", arende_ids, today)
    }


def fakta_berakna(
    arende_ids: Iterable[int],
    today: date,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute and store the audit facts of the cases `arende_ids` as of `today`, one
    row for every case (also those without a decision in force); return how many."""
    ids = sorted(set(arende_ids))
    if progress and ids:
        progress(0, len(ids))
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        rows = {row[0]: normalisera(row) for row in _kor("genomlopning", batch, today)}
        inputs = _giltighet(batch, today)
        objects = []
        for pk in batch:
            values = rows.get(pk) or (pk, None, None, None, None, None, None, 0, 0, 0)
            framtida, kommande, forsta = inputs.get(pk, (None, None, None))
            fields = dict(zip(KOLUMNER, values[1:], strict=True))
            objects.append(
                Granskningsfakta(
                    arende_id=pk,
                    berakna_per=today,
                    giltig_till=giltig_till(
                        beslut=values[1],
                        plan=values[5],
                        framtida=framtida,
                        kommande_fran=kommande,
                    ),
                    forsta=forsta,
                    **fields,
                )
            )
        Granskningsfakta.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["arende"],
            update_fields=["berakna_per", "giltig_till", "forsta", *KOLUMNER],
        )
        if progress:
            progress(first + len(batch), len(ids))
    return len(ids)
