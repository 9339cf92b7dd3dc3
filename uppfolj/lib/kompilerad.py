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
from django.db import connection, connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# Built queries kept per process; a shape that includes a day is asked for on few days.
_GRANS = 256
_byggda: dict[tuple[str, Hashable], Byggd] = {}


def id_urval(ids: Sequence[int] | str) -> RawSQL:
    """Return ids for an `__in` lookup as one parameter (an array on PostgreSQL, JSON on
    SQLite), not a placeholder per id: tens of thousands of placeholders take seconds to
    build and parse, in Django and in the driver. A text is put in as it is (the
    marker of a query compiled once, `kor`)."""
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
    # The query can match nothing (Django raised EmptyResultSet): no SQL is run.
    tom: bool = False
    # The related objects the built QuerySet prefetches (`objekt`).
    prefetch: tuple[Any, ...] = ()
    # How its rows become the ORM's values (dates on SQLite, say), and model instances
    # (`objekt`); None for SQL of the builder's own (and `instanser` for a values query).
    konvertering: _Konvertering | None = None
    instanser: _Instanser | None = None

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
            return Byggd("", (), (), tom=True, prefetch=prefetch)
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
    return Byggd(
        sql,
        params,
        tuple(platser),
        prefetch=prefetch,
        konvertering=_Konvertering.av(compiler) if compiler else None,
        instanser=_Instanser.av(compiler, using) if compiler and compiler.klass_info else None,
    )


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
    konvertering = byggd.konvertering
    if konvertering is None:  # SQL of the builder's own
        return rows
    if not konvertering.converters and konvertering.col_count is None:
        return rows  # the driver's tuples are the ORM's values
    return [tuple(row) for row in _konvertera(rows, konvertering, connections[using])]


@dataclass(frozen=True)
class _Konvertering:
    """What turns a compiled query's database rows into the ORM's values, worked out once
    (SQLCompiler.results_iter works it out on every run): each column's converters (dates
    on SQLite, say), and how many columns the query selects for its rows."""

    converters: tuple[tuple[int, tuple[Any, Any]], ...]
    col_count: int | None

    @classmethod
    def av(cls, compiler: SQLCompiler) -> _Konvertering:
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("a query of composite fields cannot be compiled once")
        return cls(
            converters=tuple(compiler.get_converters(fields).items()),
            col_count=compiler.col_count if compiler.has_extra_select else None,
        )


def _konvertera(rows: list[Any], konvertering: _Konvertering, connection: Any) -> list[list[Any]]:
    """Return `rows` as lists of the ORM's values (SQLCompiler.apply_converters)."""
    out = []
    for raw in rows:
        row = list(raw[: konvertering.col_count] if konvertering.col_count else raw)
        for pos, (convs, expression) in konvertering.converters:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        out.append(row)
    return out


@dataclass(frozen=True)
class _Instanser:
    """How the converted rows of a built query become model instances, worked out once:
    what Django's ModelIterable works out again on every run of a query (the columns of
    the model, the related objects' populators, the annotations)."""

    model: type[Model]
    fran: int
    till: int
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]

    @classmethod
    def av(cls, compiler: SQLCompiler, using: str) -> _Instanser:
        # As ModelIterable.__iter__ reads a compiled query.
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return cls(
            model=klass_info["model"],
            fran=start,
            till=end,
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            populators=tuple(get_related_populators(klass_info, select, using)),  # type: ignore[call-arg]
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )

    def objekt(self, rows: list[list[Any]], using: str) -> list[Any]:
        """Return an instance per converted row, with the related objects the query
        selected."""
        out = []
        for row in rows:
            obj = self.model.from_db(using, self.init_list, row[self.fran : self.till])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, pos in self.annotations:
                setattr(obj, name, row[pos])
            out.append(obj)
        return out


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
    instanser = byggd.instanser
    assert instanser is not None, "objekt() needs a QuerySet of model instances"
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(byggd.sql, byggd.parametrar(varden))
        rows = cursor.fetchall()
    assert byggd.konvertering is not None
    rows = instanser.objekt(_konvertera(rows, byggd.konvertering, connection), using)
    model = instanser.model
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
