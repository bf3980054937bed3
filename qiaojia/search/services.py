"""Writes to the search index. The domain services call `index_object` inside their own transaction,
so a record and its entry commit together or not at all; `reindex` rebuilds whole kinds in bulk
(bulk-loaded data, `manage.py search_reindex`)."""

import json
from collections.abc import Iterable

from django.db import connection, models, transaction

from . import registry
from .models import SearchEntry, SearchGram
from .registry import Document, Indexer

BATCH = 10000


def grams(*texts: str) -> set[str]:
    """The one- and two-character pieces of Chinese text that short queries look up (ASCII-only
    pieces are left out: short Latin queries are answered from the pinyin, initials and English prefixes)."""
    out: set[str] = set()
    for text in texts:
        for size in (1, 2):
            for i in range(len(text) - size + 1):
                piece = text[i:i + size]
                if not piece.isascii() and not any(c.isspace() for c in piece):
                    out.add(piece)
    return out


def _entry_values(doc: Document) -> dict[str, str | None]:
    return {"title": doc.title[:200], "subtitle": (doc.subtitle or "")[:200], "key": doc.key[:200],
            "pinyin": doc.pinyin[:800], "initials": doc.initials[:200], "english": doc.english[:200] or None,
            "extra": doc.extra[:200] or None}


@transaction.atomic
def index_object(instance: models.Model) -> SearchEntry | None:
    """Write (or refresh) the entry of one record; a no-op for models nobody registered."""
    indexer = registry.for_model(type(instance))
    if indexer is None:
        return None
    values = _entry_values(indexer.document(instance))
    entry = SearchEntry.objects.filter(kind=indexer.kind, object_id=instance.pk).first()
    if entry is None:
        entry = SearchEntry.objects.create(kind=indexer.kind, object_id=instance.pk, **values)
    elif any(getattr(entry, k) != v for k, v in values.items()):
        SearchEntry.objects.filter(pk=entry.pk).update(**values)
        SearchGram.objects.filter(entry_id=entry.pk).delete()
        for k, v in values.items():
            setattr(entry, k, v)
    else:
        return entry
    SearchGram.objects.bulk_create([SearchGram(entry_id=entry.pk, kind=indexer.kind, gram=g)
                                    for g in grams(entry.key, entry.extra or "")])
    return entry


@transaction.atomic
def unindex_object(instance: models.Model) -> None:
    """Remove a deleted (or merged-away) record from the index."""
    indexer = registry.for_model(type(instance))
    if indexer is not None:
        SearchEntry.objects.filter(kind=indexer.kind, object_id=instance.pk).delete()


ENTRY_COLUMNS = ("kind", "object_id", "title", "subtitle", "key", "pinyin", "initials", "english", "extra")


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
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                   [connection.ops.quote_name(table), pk, count])
    return [r[0] for r in cursor.fetchall()]


def insert_rows(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple], *,
                return_ids: bool = False) -> list[int]:
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
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(pk)} BETWEEN %s AND %s",
                               [first, last])
                if cursor.fetchone()[0] != len(rows):
                    raise RuntimeError(f"{table}: the inserted rows were not numbered consecutively")
                ids = list(range(first, last + 1))
    return ids


_insert_rows = insert_rows


def _bulk_write(indexer: Indexer, objects: Iterable[models.Model]) -> int:
    """Entries and their pieces for records that have none yet, written in bulk."""
    kind = indexer.kind
    rows = []
    for obj in objects:
        v = _entry_values(indexer.document(obj))
        rows.append((kind, obj.pk, v["title"], v["subtitle"], v["key"], v["pinyin"], v["initials"], v["english"],
                     v["extra"]))
    ids = dict(zip((r[1] for r in rows), insert_rows(SearchEntry, ENTRY_COLUMNS, rows, return_ids=True),
                   strict=True))
    _insert_rows(SearchGram, ("entry_id", "kind", "gram"),
                 [(ids[r[1]], kind, g) for r in rows for g in sorted(grams(r[4], r[8] or ""))])
    return len(rows)


@transaction.atomic
def index_new_objects(objects: list, model: type[models.Model] | None = None) -> int:
    """Bulk-write entries for records just bulk-created (an import): one model, none indexed yet.
    Call it in the transaction that created them, so that a rolled-back import leaves no entry.
    With `model`, the objects may be plain records (anything with `pk` and the attributes the
    model's indexer reads), not model instances."""
    if not objects:
        return 0
    indexer = registry.for_model(model or type(objects[0]))
    return _bulk_write(indexer, objects) if indexer is not None else 0


@transaction.atomic
def reindex(*, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the entries of the given kinds (all by default) from the records, in one transaction."""
    counts = {}
    for indexer in registry.indexers():
        if kinds is not None and indexer.kind not in kinds:
            continue
        SearchGram.objects.filter(kind=indexer.kind).delete()
        SearchEntry.objects.filter(kind=indexer.kind).delete()
        total, chunk = 0, []
        for obj in indexer.queryset().order_by("pk").iterator(chunk_size=BATCH):
            chunk.append(obj)
            if len(chunk) >= BATCH:
                total += _bulk_write(indexer, chunk)
                chunk = []
        total += _bulk_write(indexer, chunk)
        counts[indexer.kind] = total
    tidy_indexes()
    return counts


TRIGRAM_INDEXES = ("search_entry_key_trgm", "search_entry_english_trgm", "search_entry_extra_trgm")


def tidy_indexes() -> None:
    """After a bulk write: fresh planner statistics (a planner that still thinks the index holds a
    hundred rows picks a full scan), and on PostgreSQL the trigram indexes' pending lists merged."""
    tables = [SearchEntry._meta.db_table, SearchGram._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in TRIGRAM_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
