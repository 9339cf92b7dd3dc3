"""Queries compiled once per shape.

Django builds and compiles a query's SQL every time it runs: for the hot queries of a
page (the worklist, the case page) and of a recomputation, that costs more than the
database's own work. Such a query is built here once per *shape* (everything that
changes its SQL: the user's role, which filters are set, the day) with marker values in
place of the values that vary (ids, filter values), and each later run puts its values
where the markers were. The SQL is the ORM's, so the rules it encodes (who may see which
case) are written once, in the query builders.

A marker is an int or a text no real value takes (a large negative id, a text with a NUL
character). Building fails if the ORM transformed a marker on its way into the
parameters (a `%…%` around a text, say), since its value could then not be put in.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Built queries kept per process; a shape that includes a day is asked for on few days.
_GRANS = 256
_byggda: dict[tuple[str, Hashable], Byggd] = {}


@dataclass(frozen=True)
class Byggd:
    """A query built with markers: its SQL and parameters, and where each value goes."""

    sql: str
    params: tuple[Any, ...]
    platser: tuple[tuple[str, tuple[int, ...]], ...]
    # The ORM's compiler, for converting rows as the ORM would (dates on SQLite, say);
    # None when the builder gave SQL of its own.
    compiler: SQLCompiler | None
    # The query can match nothing (Django raised EmptyResultSet): no SQL is run.
    tom: bool = False

    def parametrar(self, varden: dict[str, Any]) -> list[Any]:
        params = list(self.params)
        for namn, platser in self.platser:
            for plats in platser:
                params[plats] = varden[namn]
        return params


def markor(namn: str, varde: Any, nummer: int) -> Any:
    """Return the marker standing for `varde` (named `namn`) while the query is built."""
    if isinstance(varde, bool) or not isinstance(varde, int | str):
        raise TypeError(f"{namn}: only ints and texts can vary in a compiled query")
    if isinstance(varde, int):
        return -(10**15) - nummer
    return f"\x00uppfolj-markor-{nummer}"


def _bygg(
    using: str,
    bygg: Callable[..., QuerySet[Any] | tuple[str, Sequence[Any]]],
    varden: dict[str, Any],
) -> Byggd:
    markorer = {namn: markor(namn, v, i) for i, (namn, v) in enumerate(sorted(varden.items()))}
    byggd = bygg(**markorer)
    compiler: SQLCompiler | None = None
    if isinstance(byggd, QuerySet):
        compiler = byggd.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return Byggd("", (), (), compiler, tom=True)
    else:
        sql, params = byggd
    params = tuple(params)
    platser = []
    for namn, m in markorer.items():
        platser.append(
            (namn, tuple(i for i, p in enumerate(params) if type(p) is type(m) and p == m))
        )
    kvar = [
        p
        for i, p in enumerate(params)
        if isinstance(p, str)
        and "\x00uppfolj-markor-" in p
        and not any(i in pl for _, pl in platser)
    ]
    if kvar:
        raise ValueError(f"the ORM changed a marker on its way into the query: {kvar!r}")
    return Byggd(sql, params, tuple(platser), compiler)


def kor(
    nyckel: Hashable,
    bygg: Callable[..., QuerySet[Any] | tuple[str, Sequence[Any]]],
    varden: dict[str, Any],
    *,
    using: str = "default",
) -> list[tuple[Any, ...]]:
    """Return the rows of the query that `bygg(**varden)` builds, as tuples.

    `bygg` returns a values_list QuerySet (whose rows are converted as the ORM would) or
    SQL and parameters; it is called once per `nyckel`, with markers for `varden`. The
    key must name everything, beside `varden`, that the built SQL depends on.
    """
    connection = connections[using]
    key = (f"{using}:{connection.vendor}", nyckel)
    byggd = _byggda.get(key)
    if byggd is None:
        byggd = _bygg(using, bygg, varden)
        if len(_byggda) >= _GRANS:
            _byggda.clear()
        _byggda[key] = byggd
    if byggd.tom:
        return []
    with connection.cursor() as cursor:
        cursor.execute(byggd.sql, byggd.parametrar(varden))
        rows = cursor.fetchall()
    compiler = byggd.compiler
    if compiler is None:
        return rows
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    return [tuple(row) for row in compiler.results_iter(results=[rows])]
