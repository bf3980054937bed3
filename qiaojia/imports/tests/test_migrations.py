"""Migration 0003 turns the stored names into FileFields on the private storage without losing a file."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_upload_and_report_names_survive_the_move_to_file_fields(officer_of, business_association):
    executor = MigrationExecutor(connection)
    before, after = [("imports", "0002_initial")], [("imports", "0003_upload_and_report_files")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("imports", "MemberImport")
    kept = old.objects.create(
        owner_id=officer_of.pk,
        association_id=business_association.pk,
        original_name="m.csv",
        stored_name="0123abcd.csv",
        file_kind="csv",
        report_path="imports/reports/feed.csv",
    )
    gone = old.objects.create(
        owner_id=officer_of.pk, association_id=business_association.pk, original_name="n.csv", file_kind="csv"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("imports", "MemberImport")
    assert new.objects.filter(pk=kept.pk).values_list("upload", "report").get() == (
        "imports/0123abcd.csv",
        "imports/reports/feed.csv",
    )
    assert new.objects.filter(pk=gone.pk).values_list("upload", "report").get() == ("", "")
