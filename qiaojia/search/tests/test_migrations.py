"""Migration 0004 moves the short pieces from their own rows into the entry's `grams` column, and the
index of each database finds them afterwards; going back restores the rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from qiaojia.search.backends import get_backend

BEFORE, AFTER = [("search", "0003_trigram_pending_list")], [("search", "0004_grams_column")]


@pytest.mark.django_db(transaction=True)
def test_the_pieces_move_into_the_entry_and_are_found_there():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    entry_model, gram_model = apps.get_model("search", "SearchEntry"), apps.get_model("search", "SearchGram")
    entry = entry_model.objects.create(kind="person", object_id=1, title="柴莉", key="柴莉", pinyin="chaili")
    latin = entry_model.objects.create(kind="person", object_id=2, title="Sam", key="sam", english="sam")
    gram_model.objects.bulk_create([gram_model(entry_id=entry.pk, kind="person", gram=g) for g in ("莉", "柴", "柴莉")])

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("search", "SearchEntry")
    assert dict(new.objects.values_list("pk", "grams")) == {entry.pk: "柴 柴莉 莉", latin.pk: None}
    backend = get_backend()
    for piece in ("柴", "莉", "柴莉"):
        assert backend.gram_ids(piece, cap=10) == [entry.pk]
        assert list(new.objects.filter(backend.gram_q(piece)).values_list("pk", flat=True)) == [entry.pk]
    assert backend.gram_ids("莉柴", cap=10) == []

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_grams = executor.loader.project_state(BEFORE).apps.get_model("search", "SearchGram")
    assert sorted(old_grams.objects.values_list("entry_id", "gram")) == [
        (entry.pk, "柴"),
        (entry.pk, "柴莉"),
        (entry.pk, "莉"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
