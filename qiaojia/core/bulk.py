"""Bulk inserts without model instances, for the paths where the ORM's `bulk_create` costs more than
the rows themselves (imports, the search index): COPY on PostgreSQL, `executemany` on SQLite."""

import contextlib
import datetime
import functools
import json
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, models


def _column(field: models.Field) -> str:
    """A concrete field's column (the stubs allow None: only fields without a column of their own have none)."""
    if field.column is None:
        raise TypeError(f"{field} has no database column")
    return field.column


def _adapters(model: type[models.Model], columns: tuple[str, ...]) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, function) for the columns whose Python values the raw paths cannot send as they are:
    JSON (serialised as the field does) and, on SQLite, datetimes (stored as Django stores them)."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for i, column in enumerate(columns):
        field = fields.get(column)
        if isinstance(field, models.JSONField):
            out.append((i, functools.partial(_json, encoder=field.encoder)))
        elif isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
            out.append((i, _memo(connection.ops.adapt_datetimefield_value)))
    return out


def _json(value: Any, *, encoder: type[json.JSONEncoder] | None) -> str | None:
    """A JSON column's value serialised as the field does."""
    return None if value is None else json.dumps(value, cls=encoder)


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`adapt` remembering its last value: bulk rows share one timestamp."""
    last: list = [object(), None]

    def adapted(value):
        if value is not last[0]:
            last[:] = [value, adapt(value)]
        return last[1]

    return adapted


def _reserve_ids(cursor, table: str, pk: str, count: int) -> list[int]:
    """PostgreSQL: take `count` ids from the table's own sequence, so concurrent writers never collide."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [connection.ops.quote_name(table), pk, count],
    )
    return [r[0] for r in cursor.fetchall()]


def insert_rows(
    model: type[models.Model], columns: tuple[str, ...], rows: Sequence[Sequence[Any]], *, return_ids: bool = False
) -> list[int]:
    """Plain bulk insert without model instances: COPY on PostgreSQL, `executemany` elsewhere.

    `rows` hold Python values in `columns` order (the id left out: the database gives it). With
    `return_ids`, the ids of the new rows are returned in the order of `rows`: on PostgreSQL they are
    reserved from the table's sequence and written explicitly; on SQLite the rows are inserted under
    the transaction's write lock, which numbers them consecutively up to `last_insert_rowid()` (checked).
    Call it inside a transaction."""
    if not rows:
        return []
    table, pk, quote = model._meta.db_table, _column(model._meta.pk), connection.ops.quote_name
    adapters = _adapters(model, columns)
    if adapters:
        adapted = []
        for row in rows:
            values = list(row)
            for i, adapt in adapters:
                values[i] = adapt(values[i])
            adapted.append(values)
        rows = adapted
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if return_ids:
                ids = _reserve_ids(cursor, table, pk, len(rows))
                columns = (pk, *columns)
                rows = [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
            cols = ", ".join(quote(c) for c in columns)
            with cursor.cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cols = ", ".join(quote(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})", rows)
            if return_ids:
                cursor.execute("SELECT last_insert_rowid()")
                last = cursor.fetchone()[0]
                first = last - len(rows) + 1
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(pk)} BETWEEN %s AND %s", [first, last]
                )
                if cursor.fetchone()[0] != len(rows):
                    raise RuntimeError(f"{table}: the inserted rows were not numbered consecutively")
                ids = list(range(first, last + 1))
    return ids


class Record:
    """A row just bulk-written, as audit snapshots and search indexers read it: `pk` and every field's
    value by attname, with the model's `_meta` and audit masks (no model instance: building one costs
    more than writing the row)."""

    def __init__(self, pk: int, values: dict[str, Any]):
        self.__dict__.update(values)
        self.pk = self.id = pk

    if TYPE_CHECKING:

        def __getattr__(self, attname: str) -> Any:
            """Every field's value by attname, set from `values` (mypy cannot list them)."""


_PLAIN = (str, int, float, datetime.date)
# Field classes whose plain Python values are what the database stores (JSON and datetimes are adapted
# by `insert_rows`).
_AS_IS = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.EmailField,
    models.ForeignKey,
    models.GenericIPAddressField,
    models.IntegerField,
    models.JSONField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.TextField,
}


class Table:
    """One model as bulk writes see it: every concrete column, the ones a row leaves out taking the
    field's default, as `Model(**values)` would."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = tuple(_column(f) for f in self.fields)
        self.record = type(
            f"{model.__name__}Record",
            (Record,),
            {"_meta": model._meta, "AUDIT_MASKS": getattr(model, "AUDIT_MASKS", {})},
        )
        self.attnames = [f.attname for f in self.fields]
        # A row's values in column order, as a tuple (one column or more).
        getter = operator.itemgetter(*self.attnames)
        self._getter: Callable[[dict[str, Any]], tuple] = (
            getter if len(self.attnames) > 1 else (lambda row: (getter(row),))
        )
        # The columns whose values may need the field's own preparation (a country, a list of countries):
        # every other column's value goes to the database as it is.
        self.prepared = [(i, f) for i, f in enumerate(self.fields) if type(f) not in _AS_IS]

    def _defaults(self, now: datetime.datetime) -> list[tuple[str, bool, Any]]:
        """(attname, default is per row, default) for every column."""
        out: list[tuple[str, bool, Any]] = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                out.append((f.attname, False, now))
            elif f.has_default() and callable(f.default):
                out.append((f.attname, True, f.get_default))
            else:
                out.append((f.attname, False, f.get_default()))
        return out

    def write(self, rows: list[dict[str, Any]], now: datetime.datetime, *, records: bool = True) -> list[Record]:
        """Insert `rows` (values by attname); return them as records with their new ids."""
        if not rows:
            return []
        defaults = self._defaults(now)
        fixed = {attname: default for attname, per_row, default in defaults if not per_row}
        per_row = [(attname, default) for attname, each, default in defaults if each]
        full = []
        for values in rows:
            row = {**fixed, **values}
            for attname, default in per_row:
                if attname not in values:
                    row[attname] = default()
            full.append(row)
        ids = insert_rows(self.model, self.columns, [self._db_row(row) for row in full], return_ids=records)
        return [self.record(pk, row) for pk, row in zip(ids, full, strict=True)] if records else []

    def _db_row(self, row: dict[str, Any]) -> tuple:
        """The row's values in column order: plain values as they are (`insert_rows` adapts dates and
        JSON), anything else as the field prepares it for the database."""
        out = self._getter(row)
        for i, f in self.prepared:
            value = out[i]
            if value is not None and not isinstance(value, _PLAIN):
                changed = list(out)
                changed[i] = f.get_db_prep_save(value, connection)
                out = tuple(changed)
        return out


_TABLES: dict[type, Table] = {}


def table(model: type[models.Model]) -> Table:
    if model not in _TABLES:
        _TABLES[model] = Table(model)
    return _TABLES[model]


@contextlib.contextmanager
def page_cache(mb: int) -> Iterator[None]:
    """SQLite: a page cache of `mb` MB for this connection while a large bulk write runs, then the
    configured one again. Inserting into the indexes of a million-row table touches pages all over
    them; with the default 32 MB (config.settings.base) they are read again and again (an import of
    100,000 rows into 1M people: 1,357 rows/s at 32 MB, 1,611 at 96 MB, peak 190 and 257 MB).
    Other databases size their cache on the server: nothing changes there."""
    if connection.vendor != "sqlite" or mb <= 0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-int(mb) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
