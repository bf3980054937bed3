"""One interface, one backend per database, for the part of matching that needs a special index:
"the Chinese keys or the English name contain this text".

- SQLite: an FTS5 table with the trigram tokenizer (kept by triggers, see migrations 0002 and 0004) serves
  three characters or more; SQLite 3.40 answers nothing, silently, for shorter trigram phrases, so
  one- and two-character pieces come from the entry's `grams` column, through a second FTS5 table
  whose tokens are the pieces.
- PostgreSQL: pg_trgm GIN indexes on the keys serve `LIKE '%text%'` of three characters or more;
  shorter text yields no trigram, so a GIN index over `grams` as an array serves it.

Equality and prefixes use plain b-trees on both databases (on PostgreSQL the key columns use the
"C" collation, so a prefix is a range of the index and its order is the index's order)."""

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.expressions import RawSQL

MAX_CHAR = "\U0010ffff"
TRIGRAM = 3


def prefix_q(field: str, text: str) -> Q:
    """`field` starts with `text`, as a b-tree range (no LIKE: SQLite's LIKE ignores the index)."""
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + MAX_CHAR})


class Backend:
    vendor = ""
    # Whether a short query takes a window of ids from `gram_ids` first (an index that yields ids in
    # order), or asks for its page straight away and leaves the plan to the database.
    gram_window = False

    def contains_q(self, kind: str, text: str) -> Q:
        """Entries of `kind` whose key, extra names or English name contain `text` (already case-folded)."""
        if len(text) < TRIGRAM:
            return self.gram_q(text)
        return self.trigram_q(text)

    def gram_q(self, text: str) -> Q:
        """Entries with the one- or two-character piece `text` among their `grams`."""
        raise NotImplementedError

    def gram_ids(self, text: str, *, cap: int) -> list[int]:
        """The first `cap` ids, in id order, of entries (of any kind) with the piece `text`: the index's
        own order, so a common character costs one window of the index, not all its entries."""
        raise NotImplementedError

    def gram_window_q(self, text: str, *, cap: int) -> Q:
        """Entries among the first `cap` ids of the piece `text` (as `gram_ids`, inside the query)."""
        raise NotImplementedError

    def trigram_q(self, text: str) -> Q:
        raise NotImplementedError

    def trigram_ids(self, kind: str, text: str, *, cap: int) -> list[int]:
        """Up to `cap` ids of entries of `kind` containing `text` (three characters or more), in no
        order, straight from the trigram index: a query with few matches costs a few index pages."""
        raise NotImplementedError


# The trigger that keeps the FTS5 table in step with inserted entries (migration 0002 creates it; a test
# holds the two equal). A bulk write lifts it for its own rows and indexes them in one statement.
SQLITE_FTS_INSERT_TRIGGER = (
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, key, english, extra) VALUES (new.id, new.key, new.english, new.extra); "
    "INSERT INTO search_gram_fts(rowid, grams) SELECT new.id, new.grams WHERE new.grams IS NOT NULL; END"
)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SqliteBackend(Backend):
    vendor = "sqlite"
    # FTS5 yields a piece's ids in rowid order and stops at the LIMIT; `id IN (MATCH)` would read them all.
    gram_window = True

    def gram_q(self, text: str) -> Q:
        return Q(id__in=RawSQL("SELECT rowid FROM search_gram_fts WHERE search_gram_fts MATCH %s", [_phrase(text)]))

    def gram_ids(self, text: str, *, cap: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_gram_fts WHERE search_gram_fts MATCH %s ORDER BY rowid LIMIT %s",
                [_phrase(text), cap],
            )
            return [row[0] for row in cursor.fetchall()]

    def gram_window_q(self, text: str, *, cap: int) -> Q:
        return Q(
            id__in=RawSQL(
                "SELECT rowid FROM search_gram_fts WHERE search_gram_fts MATCH %s ORDER BY rowid LIMIT %s",
                [_phrase(text), cap],
            )
        )

    def trigram_q(self, text: str) -> Q:
        return Q(id__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [_phrase(text)]))

    def trigram_ids(self, kind: str, text: str, *, cap: int) -> list[int]:
        phrase = _phrase(text)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id FROM search_fts f CROSS JOIN search_searchentry e ON e.id = f.rowid "
                "WHERE search_fts MATCH %s AND e.kind = %s LIMIT %s",
                [phrase, kind, cap],
            )
            return [row[0] for row in cursor.fetchall()]


class _PgContains(Func):
    """`left @> right` for two arrays."""

    template = "%(expressions)s"
    arg_joiner = " @> "
    output_field = BooleanField()


class PostgresBackend(Backend):
    vendor = "postgresql"

    def gram_q(self, text: str) -> Q:
        # GIN yields no order: with the page's LIMIT the planner walks the primary key for a common
        # piece (a few hundred rows) and takes the GIN index for a rare one.
        # The expression of the GIN index (migration 0004), so that the index serves it.
        pieces = Func(F("grams"), template="string_to_array(%(expressions)s, ' ')")
        return Q(_PgContains(pieces, Func(Value(text), template="ARRAY[%(expressions)s]::text[]")))

    def gram_ids(self, text: str, *, cap: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM search_searchentry WHERE string_to_array(grams, ' ') @> ARRAY[%s]::text[] "
                "ORDER BY id LIMIT %s",
                [text, cap],
            )
            return [row[0] for row in cursor.fetchall()]

    def trigram_q(self, text: str) -> Q:
        # `__contains` is LIKE '%text%', which the gin_trgm_ops indexes serve; `__icontains` (UPPER) would not.
        return Q(key__contains=text) | Q(extra__contains=text) | Q(english__contains=text)

    def trigram_ids(self, kind: str, text: str, *, cap: int) -> list[int]:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM search_searchentry WHERE kind = %s "
                "AND (key LIKE %s OR extra LIKE %s OR english LIKE %s) LIMIT %s",
                [kind, like, like, like, cap],
            )
            return [row[0] for row in cursor.fetchall()]


_BACKENDS = {b.vendor: b for b in (SqliteBackend(), PostgresBackend())}


def get_backend(using=None) -> Backend:
    vendor = (using or connection).vendor
    try:
        return _BACKENDS[vendor]
    except KeyError as exc:
        raise NotImplementedError(f"no search backend for {vendor}") from exc
