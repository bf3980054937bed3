"""The database-specific part of the index (see `qiaojia.search.backends`).

SQLite: an FTS5 trigram table over the entries' keys, kept by triggers in the writer's transaction.
PostgreSQL: pg_trgm GIN indexes over the same keys, and the "C" collation on the key columns so that a
prefix is a range of the b-tree and the b-tree's order is the order results are ranked in."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(key, english, extra, content='search_searchentry', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, key, english, extra) VALUES (new.id, new.key, new.english, new.extra); END",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, key, english, extra) "
    "VALUES ('delete', old.id, old.key, old.english, old.extra); END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, key, english, extra) "
    "VALUES ('delete', old.id, old.key, old.english, old.extra); "
    "INSERT INTO search_fts(rowid, key, english, extra) VALUES (new.id, new.key, new.english, new.extra); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'ALTER TABLE search_searchentry ALTER COLUMN key TYPE varchar(200) COLLATE "C", '
    'ALTER COLUMN pinyin TYPE varchar(800) COLLATE "C", ALTER COLUMN initials TYPE varchar(200) COLLATE "C", '
    'ALTER COLUMN english TYPE varchar(200) COLLATE "C", ALTER COLUMN extra TYPE varchar(200) COLLATE "C", '
    'ALTER COLUMN title TYPE varchar(200) COLLATE "C"',
    'ALTER TABLE search_searchgram ALTER COLUMN gram TYPE varchar(2) COLLATE "C", '
    'ALTER COLUMN kind TYPE varchar(30) COLLATE "C"',
    "CREATE INDEX search_entry_key_trgm ON search_searchentry USING gin (key gin_trgm_ops)",
    "CREATE INDEX search_entry_english_trgm ON search_searchentry USING gin (english gin_trgm_ops)",
    "CREATE INDEX search_entry_extra_trgm ON search_searchentry USING gin (extra gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_key_trgm",
    "DROP INDEX IF EXISTS search_entry_english_trgm",
    "DROP INDEX IF EXISTS search_entry_extra_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
    ]
