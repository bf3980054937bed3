"""The search index: one row per searchable record, kept by the services in the same transaction.

Any model plugs in by registering an `Indexer` (see `registry.py`); the backends (`backends.py`)
add the database-specific indexes over these columns."""

from django.db import models


class SearchEntry(models.Model):
    """One searchable record: its kind and id, the name shown as registered, and the keys it is found by.

    `key` is the Simplified, case-folded name; `pinyin` full pinyin without spaces; `initials` the first
    letters of the syllables; `english` the case-folded English name; `extra` other Simplified
    case-folded names (an association's short name); `grams` the short pieces of `key` and `extra`.
    Masked personal data is never put here."""

    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=200, blank=True, default="")
    key = models.CharField(max_length=200, default="")
    pinyin = models.CharField(max_length=800, default="")
    initials = models.CharField(max_length=200, default="")
    # NULL rather than "" when absent: most records have neither, and partial indexes that leave the
    # absent ones out keep the planners' row estimates honest (SQLite would otherwise scan).
    english = models.CharField(max_length=200, null=True, blank=True)
    extra = models.CharField(max_length=200, null=True, blank=True)
    # The one- and two-character pieces of the Chinese keys, sorted and separated by spaces (NULL when
    # there are none): they serve queries too short for trigrams, through an FTS5 table on SQLite and a
    # GIN index on PostgreSQL (migration 0004). One column instead of a row per piece: an import writes
    # one entry per person, not six rows with three b-trees each.
    grams = models.TextField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]
        indexes = [
            models.Index(fields=["kind", "key"], name="search_entry_kind_key"),
            models.Index(fields=["kind", "pinyin"], name="search_entry_kind_pinyin"),
            models.Index(fields=["kind", "initials"], name="search_entry_kind_initials"),
            models.Index(
                fields=["kind", "english"], name="search_entry_kind_english", condition=models.Q(english__isnull=False)
            ),
            models.Index(
                fields=["kind", "extra"], name="search_entry_kind_extra", condition=models.Q(extra__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"
