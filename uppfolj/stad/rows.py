"""Writing many rows fast: tuples straight to the database, ids given by the writer.

`bulk_create` spends most of its time building model instances and preparing
each value; for millions of rows that is most of the generation. A `Rows`
writer takes plain tuples in the model's column order, gives each row the next
id itself (so rows can refer to each other before anything is written), and
writes them with COPY on PostgreSQL and `executemany` elsewhere. Only the
generator, writing into a database it has checked is empty of cases, uses it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


class Rows:
    """Buffered rows of one model, with ids counted from the table's current maximum.

    A row is given as keyword arguments by attribute name (`arende_id`, not
    `arende`); a field not given gets its default, computed once per table.
    """

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = ["id", *(str(f.column) for f in self.fields)]
        self.names = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.adapters: list[Callable[[Any], Any] | None] = [None]
        for f in self.fields:
            self.adapters.append(_adapter(f))
        current = model._default_manager.aggregate(m=models.Max("pk"))["m"]  # type: ignore[attr-defined]
        self.next_id = (current or 0) + 1
        self.buffer: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, **values: Any) -> int:
        """Buffer one row and return its id."""
        row_id = self.next_id
        self.next_id += 1
        if not values.keys() <= self.defaults.keys():
            unknown = sorted(values.keys() - self.defaults.keys())
            raise TypeError(f"{self.model.__name__} has no fields {unknown}")
        full = {**self.defaults, **values}
        self.buffer.append((row_id, *(full[name] for name in self.names)))
        return row_id

    def flush(self) -> None:
        if not self.buffer:
            return
        adapted = [(i, adapt) for i, adapt in enumerate(self.adapters) if adapt is not None]
        rows: list[Any] = self.buffer
        if adapted:
            rows = [list(row) for row in self.buffer]
            for row in rows:
                for i, adapt in adapted:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.written += len(self.buffer)
        self.buffer = []


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    # The same few thousand days recur in every table.
    if isinstance(field, models.DateTimeField):
        return lru_cache(maxsize=8192)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return lru_cache(maxsize=8192)(ops.adapt_datefield_value)
    return None


def sequences_reset(model_list: Sequence[type[models.Model]]) -> None:
    """Move the id sequences past the ids the writers gave (PostgreSQL keeps its own)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
