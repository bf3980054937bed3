"""PostgreSQL: keep the trigram indexes' pending lists short.

GIN indexes take new entries into an unsorted "pending list" that every query reads in full until
VACUUM merges it. After a bulk load of a million entries a 4 MB pending list made a three-character
search cost 23 ms instead of 0.03 ms. A 256 kB limit bounds that cost between vacuums; bulk writers
(reindex, imports) also merge it when they finish (`search.services.tidy_indexes`)."""

from django.db import migrations

INDEXES = ("search_entry_key_trgm", "search_entry_english_trgm", "search_entry_extra_trgm")


def _set(limit):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in INDEXES:
            if limit is None:
                schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")
            else:
                schema_editor.execute(f"ALTER INDEX {name} SET (gin_pending_list_limit = {limit})")
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backend_indexes")]

    operations = [migrations.RunPython(_set(256), _set(None))]
