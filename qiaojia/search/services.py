"""Writes to the search index. The domain services call `index_object` inside their own transaction,
so a record and its entry commit together or not at all; `reindex` rebuilds whole kinds in bulk
(bulk-loaded data, `manage.py search_reindex`)."""

from collections.abc import Iterable

from django.db import models, transaction

from . import registry
from .models import SearchEntry, SearchGram
from .registry import Document, Indexer

BATCH = 2000


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


def _bulk_write(indexer: Indexer, objects: Iterable[models.Model]) -> int:
    entries = [SearchEntry(kind=indexer.kind, object_id=obj.pk, **_entry_values(indexer.document(obj)))
               for obj in objects]
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    SearchGram.objects.bulk_create(
        [SearchGram(entry_id=e.pk, kind=indexer.kind, gram=g) for e in entries for g in grams(e.key, e.extra or "")],
        batch_size=BATCH * 4)
    return len(entries)


@transaction.atomic
def index_new_objects(objects: list[models.Model]) -> int:
    """Bulk-write entries for records just bulk-created (an import): one model, none indexed yet.
    Call it in the transaction that created them, so that a rolled-back import leaves no entry."""
    if not objects:
        return 0
    indexer = registry.for_model(type(objects[0]))
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
    return counts
