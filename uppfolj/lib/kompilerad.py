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

import copy
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler

# Built queries kept per process; a shape that includes a day is asked for on few days.
_GRANS = 256
_byggda: dict[tuple[str, Hashable], Byggd] = {}


def id_urval(ids: Sequence[int] | str) -> RawSQL:
    """Return ids for an `__in` lookup as one parameter (an array on PostgreSQL, JSON on
    SQLite), not a placeholder per id: tens of thousands of placeholders take seconds to
    build and parse, in Django and in the driver. A text is put in as it is (the
    placeholder of a query compiled once, `_kompilerad`)."""
    if isinstance(ids, str):
        text = ids
    else:
        # As the array's text: psycopg's dumping of a list costs more than joining it.
        numbers = ",".join(str(int(pk)) for pk in ids)
        text = "{" + numbers + "}" if connection.vendor == "postgresql" else "[" + numbers + "]"
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (text,))
    return RawSQL("SELECT value FROM json_each(%s)", (text,))


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
    # The related objects the built QuerySet prefetches (`objekt`).
    prefetch: tuple[Any, ...] = ()

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
    prefetch: tuple[Any, ...] = ()
    if isinstance(byggd, QuerySet):
        compiler = byggd.query.get_compiler(using=using)
        prefetch = tuple(byggd._prefetch_related_lookups)  # type: ignore[attr-defined]
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return Byggd("", (), (), compiler, tom=True, prefetch=prefetch)
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
    return Byggd(sql, params, tuple(platser), compiler, prefetch=prefetch if compiler else ())


def _hamta(
    nyckel: Hashable,
    bygg: Callable[..., QuerySet[Any] | tuple[str, Sequence[Any]]],
    varden: dict[str, Any],
    using: str,
) -> Byggd:
    connection = connections[using]
    key = (f"{using}:{connection.vendor}", nyckel)
    byggd = _byggda.get(key)
    if byggd is None:
        byggd = _bygg(using, bygg, varden)
        if len(_byggda) >= _GRANS:
            _byggda.clear()
        _byggda[key] = byggd
    return byggd


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
    byggd = _hamta(nyckel, bygg, varden, using)
    if byggd.tom:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(byggd.sql, byggd.parametrar(varden))
        rows = cursor.fetchall()
    if byggd.compiler is None:
        return rows
    # The converters of this thread's connection (the built compiler holds the one it
    # was built on).
    compiler = copy.copy(byggd.compiler)
    compiler.connection = connections[using]
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    return [tuple(row) for row in compiler.results_iter(results=[rows])]


class _Fragan:
    """What `ModelIterable` asks of a QuerySet's query: its compiler, here one whose SQL is
    already built."""

    def __init__(self, compiler: SQLCompiler) -> None:
        self.compiler = compiler

    def get_compiler(self, using: str | None = None, **kwargs: Any) -> SQLCompiler:
        return self.compiler


class _Fardig:
    """What `ModelIterable` asks of a QuerySet, for a query compiled once."""

    def __init__(self, model: type[Model], compiler: SQLCompiler, using: str, kanda: Any) -> None:
        self.model = model
        self.db = using
        self.query = _Fragan(compiler)
        self._known_related_objects = kanda


def objekt(
    nyckel: Hashable,
    bygg: Callable[..., QuerySet[Any]],
    varden: dict[str, Any],
    *,
    kanda: dict[str, Model] | None = None,
    using: str = "default",
) -> list[Any]:
    """Return the model instances of the QuerySet that `bygg(**varden)` builds, with what it
    selects and prefetches, as iterating it would; its SQL compiled once per `nyckel`.

    `kanda`: related objects already in hand, by field name (the case whose rows these
    are), set on every instance as a related manager (`arende.handelser`) would.
    """
    byggd = _hamta(nyckel, bygg, varden, using)
    if byggd.tom:
        return []
    built = byggd.compiler
    assert built is not None, "objekt() needs a QuerySet"
    # The built compiler holds the selected columns and how they map to instances; a copy
    # per call runs the stored SQL with this call's values on this thread's connection.
    compiler = copy.copy(built)
    compiler.connection = connections[using]
    sql, params = byggd.sql, byggd.parametrar(varden)
    compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign,assignment]
    model = built.query.model
    assert model is not None
    rows: list[Any] = list(ModelIterable(_Fardig(model, compiler, using, {})))  # type: ignore[arg-type]
    for name, related in (kanda or {}).items():
        # As a related manager's rows hold the instance they came from. The rows' key
        # already is the related object's: only the cache is set, not the key through
        # the descriptor, which checks and sets both for every row.
        field = model._meta.get_field(name)
        for row in rows:
            field.set_cached_value(row, related)  # type: ignore[union-attr]
    if byggd.prefetch and rows:
        prefetch_related_objects(rows, *byggd.prefetch)
    return rows


def som_forhamtade(obj: Model, namn: str, rows: list[Any]) -> None:
    """Keep `rows` on `obj` as its related rows `namn` (`obj.<namn>.all()` reads them
    without a query), as `prefetch_related` would: for rows read by `objekt`."""
    manager = getattr(obj, namn)
    queryset = manager.all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    # The key the related manager looks in (a reverse foreign key's, else a many-to-many's).
    field = getattr(manager, "field", None)
    key = field.remote_field.cache_name if field is not None else manager.prefetch_cache_name
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[key] = queryset
