"""Bulk inserts without model instances, for the paths where the ORM's `bulk_create` costs more than
the rows themselves (imports, the search index): COPY on PostgreSQL, `executemany` on SQLite."""

import json

from django.db import connection, models


def _adapters(model: type[models.Model], columns: tuple[str, ...]) -> list[tuple[int, object]]:
    """(position, function) for the columns whose Python values the raw paths cannot send as they are:
    JSON (serialised as the field does) and, on SQLite, datetimes (stored as Django stores them)."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    out = []
    for i, column in enumerate(columns):
        field = fields.get(column)
        if isinstance(field, models.JSONField):
            encoder = field.encoder
            out.append((i, lambda v, encoder=encoder: None if v is None else json.dumps(v, cls=encoder)))
        elif isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
            out.append((i, _memo(connection.ops.adapt_datetimefield_value)))
    return out


def _memo(adapt):
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
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple], *, return_ids: bool = False
) -> list[int]:
    """Plain bulk insert without model instances: COPY on PostgreSQL, `executemany` elsewhere.

    `rows` hold Python values in `columns` order (the id left out: the database gives it). With
    `return_ids`, the ids of the new rows are returned in the order of `rows`: on PostgreSQL they are
    reserved from the table's sequence and written explicitly; on SQLite the rows are inserted under
    the transaction's write lock, which numbers them consecutively up to `last_insert_rowid()` (checked).
    Call it inside a transaction."""
    if not rows:
        return []
    table, pk, quote = model._meta.db_table, model._meta.pk.column, connection.ops.quote_name
    adapters = _adapters(model, columns)
    if adapters:
        adapted = []
        for row in rows:
            row = list(row)
            for i, adapt in adapters:
                row[i] = adapt(row[i])
            adapted.append(row)
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
