"""The short pieces move from a table of their own (`SearchGram`, one row per piece with two b-trees) into
one column of the entry, `grams`, indexed per database:

- SQLite: an FTS5 table over `grams` whose tokenizer splits on spaces only, so that each piece is one
  token; the entry's triggers keep it with the trigram table.
- PostgreSQL: a GIN index over the pieces as an array (`string_to_array(grams, ' ')`).

The existing pieces are moved in SQL, one statement per database."""

from django.db import migrations, models

# Every category but the separators (Z*) makes a token character: a piece is one token, whatever it holds.
GRAM_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'"

SQLITE_TRIGGERS = [
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, key, english, extra) VALUES (new.id, new.key, new.english, new.extra); "
    "INSERT INTO search_gram_fts(rowid, grams) SELECT new.id, new.grams WHERE new.grams IS NOT NULL; END",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, key, english, extra) "
    "VALUES ('delete', old.id, old.key, old.english, old.extra); "
    "INSERT INTO search_gram_fts(search_gram_fts, rowid, grams) "
    "SELECT 'delete', old.id, old.grams WHERE old.grams IS NOT NULL; END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE OF key, english, extra ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, key, english, extra) "
    "VALUES ('delete', old.id, old.key, old.english, old.extra); "
    "INSERT INTO search_fts(rowid, key, english, extra) VALUES (new.id, new.key, new.english, new.extra); END",
    "CREATE TRIGGER search_entry_grams_au AFTER UPDATE OF grams ON search_searchentry BEGIN "
    "INSERT INTO search_gram_fts(search_gram_fts, rowid, grams) "
    "SELECT 'delete', old.id, old.grams WHERE old.grams IS NOT NULL; "
    "INSERT INTO search_gram_fts(rowid, grams) SELECT new.id, new.grams WHERE new.grams IS NOT NULL; END",
]
SQLITE_OLD_TRIGGERS = [
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, key, english, extra) VALUES (new.id, new.key, new.english, new.extra); END",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, key, english, extra) "
    "VALUES ('delete', old.id, old.key, old.english, old.extra); END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, key, english, extra) "
    "VALUES ('delete', old.id, old.key, old.english, old.extra); "
    "INSERT INTO search_fts(rowid, key, english, extra) VALUES (new.id, new.key, new.english, new.extra); END",
]
DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("search_entry_ai", "search_entry_ad", "search_entry_au", "search_entry_grams_au")
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in DROP_TRIGGERS:
            schema_editor.execute(sql)
        # The trigram table is left alone: the update below touches `grams` only.
        schema_editor.execute(
            "UPDATE search_searchentry SET grams = (SELECT group_concat(gram, ' ') FROM "
            "(SELECT gram FROM search_searchgram g WHERE g.entry_id = search_searchentry.id ORDER BY gram)) "
            "WHERE id IN (SELECT entry_id FROM search_searchgram)"
        )
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_gram_fts USING fts5(grams, content='search_searchentry', "
            f'content_rowid=\'id\', tokenize="{GRAM_TOKENIZER}")'
        )
        schema_editor.execute("INSERT INTO search_gram_fts(search_gram_fts) VALUES ('rebuild')")
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(
            "UPDATE search_searchentry e SET grams = g.grams FROM (SELECT entry_id, "
            "string_agg(gram, ' ' ORDER BY gram) AS grams FROM search_searchgram GROUP BY entry_id) g "
            "WHERE g.entry_id = e.id"
        )
        schema_editor.execute(
            "CREATE INDEX search_entry_grams_gin ON search_searchentry "
            "USING gin ((string_to_array(grams, ' '))) WITH (gin_pending_list_limit = 256)"
        )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in DROP_TRIGGERS:
            schema_editor.execute(sql)
        schema_editor.execute("DROP TABLE IF EXISTS search_gram_fts")
        for sql in SQLITE_OLD_TRIGGERS:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_grams_gin")
    # The pieces' rows come back from the column.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, kind, grams FROM search_searchentry WHERE grams IS NOT NULL")
        rows = [(pk, kind, g) for pk, kind, grams in cursor.fetchall() for g in grams.split(" ")]
        cursor.executemany("INSERT INTO search_searchgram (entry_id, kind, gram) VALUES (%s, %s, %s)", rows)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_trigram_pending_list")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="grams",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="SearchGram"),
    ]
