"""Writes to the search index. The domain services call `index_object` inside their own transaction,
so a record and its entry commit together or not at all; `reindex` rebuilds whole kinds in bulk
(bulk-loaded data, `manage.py search_reindex`)."""

from collections.abc import Iterable
from typing import TypedDict

from django.db import connection, models, transaction

from qiaojia.core.bulk import insert_rows

from . import registry
from .backends import SQLITE_FTS_INSERT_TRIGGER
from .models import SearchEntry
from .registry import Document, Indexer

BATCH = 10000


def grams_text(*texts: str) -> str | None:
    """The entry's `grams` column: its pieces, sorted, separated by spaces (None when there are none)."""
    return " ".join(sorted(grams(*texts))) or None


def grams(*texts: str) -> set[str]:
    """The one- and two-character pieces of Chinese text that short queries look up (ASCII-only
    pieces are left out: short Latin queries are answered from the pinyin, initials and English prefixes)."""
    out: set[str] = set()
    for text in texts:
        for size in (1, 2):
            for i in range(len(text) - size + 1):
                piece = text[i : i + size]
                if not piece.isascii() and not any(c.isspace() for c in piece):
                    out.add(piece)
    return out


class _EntryValues(TypedDict):
    """The stored columns of an entry, cut to their lengths."""

    title: str
    subtitle: str
    key: str
    pinyin: str
    initials: str
    english: str | None
    extra: str | None
    grams: str | None


def _entry_values(doc: Document) -> _EntryValues:
    key, extra = doc.key[:200], doc.extra[:200] or None
    return {
        "title": doc.title[:200],
        "subtitle": (doc.subtitle or "")[:200],
        "key": key,
        "pinyin": doc.pinyin[:800],
        "initials": doc.initials[:200],
        "english": doc.english[:200] or None,
        "extra": extra,
        "grams": grams_text(key, extra or ""),
    }


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
        for k, v in values.items():
            setattr(entry, k, v)
    return entry


@transaction.atomic
def unindex_object(instance: models.Model) -> None:
    """Remove a deleted (or merged-away) record from the index."""
    indexer = registry.for_model(type(instance))
    if indexer is not None:
        SearchEntry.objects.filter(kind=indexer.kind, object_id=instance.pk).delete()


ENTRY_COLUMNS = ("kind", "object_id", "title", "subtitle", "key", "pinyin", "initials", "english", "extra", "grams")
# From this many entries on, SQLite's FTS5 table gets a bulk write's rows in one statement.
FTS_BULK_MIN = 100


def _insert_entries(rows: list[tuple]) -> list[int]:
    """Insert entries and return their ids. On SQLite, a batch of some size is added to the FTS5 table in
    one `INSERT ... SELECT` over its id range, with the per-row trigger lifted meanwhile: the trigger's
    statement run once per row costs more than the FTS5 insert itself (100,000 entries into a
    million: 3.6 s of CPU with the trigger, 1.5 s without). The trigger is dropped and created again
    inside the writer's transaction, so a rolled-back write leaves it in place, and no other writer can
    insert meanwhile (SQLite has one writer)."""
    if connection.vendor != "sqlite" or len(rows) < FTS_BULK_MIN:
        return insert_rows(SearchEntry, ENTRY_COLUMNS, rows, return_ids=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_entry_ai")
        ids = insert_rows(SearchEntry, ENTRY_COLUMNS, rows, return_ids=True)
        cursor.execute(
            "INSERT INTO search_fts(rowid, key, english, extra) SELECT id, key, english, extra "
            "FROM search_searchentry WHERE id BETWEEN %s AND %s",
            [ids[0], ids[-1]],
        )
        cursor.execute(
            "INSERT INTO search_gram_fts(rowid, grams) SELECT id, grams "
            "FROM search_searchentry WHERE id BETWEEN %s AND %s AND grams IS NOT NULL",
            [ids[0], ids[-1]],
        )
        cursor.execute(SQLITE_FTS_INSERT_TRIGGER)
    return ids


def _bulk_write(indexer: Indexer, objects: Iterable[models.Model]) -> int:
    """Entries for records that have none yet, written in bulk."""
    kind = indexer.kind
    rows = []
    for obj in objects:
        v = _entry_values(indexer.document(obj))
        rows.append(
            (
                kind,
                obj.pk,
                v["title"],
                v["subtitle"],
                v["key"],
                v["pinyin"],
                v["initials"],
                v["english"],
                v["extra"],
                v["grams"],
            )
        )
    if rows:
        _insert_entries(rows)
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


TRIGRAM_INDEXES = (
    "search_entry_key_trgm",
    "search_entry_english_trgm",
    "search_entry_extra_trgm",
    "search_entry_grams_gin",
)


def tidy_indexes() -> None:
    """After a bulk write: fresh planner statistics (a planner that still thinks the index holds a
    hundred rows picks a full scan), and on PostgreSQL the trigram indexes' pending lists merged."""
    tables = [SearchEntry._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in TRIGRAM_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
