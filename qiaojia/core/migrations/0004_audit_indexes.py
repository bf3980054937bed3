"""The audit table keeps only the indexes its readers use (see `AuditEntry.Meta`): `at`, `actor` and
(object_type, object_id). Each index was written for every audit row, two rows per imported person.

The single-column indexes are dropped by name as the database reports them (on PostgreSQL a text column's
`db_index` also made a `varchar_pattern_ops` twin), not by altering the fields: SQLite would rebuild the
whole table to change an index."""

from django.db import migrations, models

DROPPED = ("request_id", "action", "object_type", "object_id", "association_id")


def _single_column_indexes(connection, cursor) -> list[str]:
    constraints = connection.introspection.get_constraints(cursor, "core_auditentry")
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"] and not info["unique"] and len(info["columns"]) == 1
        and info["columns"][0] in DROPPED
    ]


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for name in _single_column_indexes(connection, cursor):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore(apps, schema_editor):
    for column in DROPPED:
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name('core_auditentry_' + column)} ON core_auditentry ({column})"
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_trigger")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, restore)],
            state_operations=[
                migrations.AlterField("auditentry", "request_id", models.CharField(max_length=64)),
                migrations.AlterField(
                    "auditentry",
                    "action",
                    models.CharField(
                        choices=[
                            ("create", "Created"),
                            ("update", "Updated"),
                            ("delete", "Deleted"),
                            ("reveal", "Revealed personal data"),
                            ("login", "Logged in"),
                            ("logout", "Logged out"),
                            ("login_failed", "Failed login"),
                            ("export", "Exported a list"),
                        ],
                        max_length=20,
                    ),
                ),
                migrations.AlterField("auditentry", "object_type", models.CharField(max_length=100)),
                migrations.AlterField("auditentry", "object_id", models.CharField(max_length=64)),
                migrations.AlterField("auditentry", "association_id", models.BigIntegerField(blank=True, null=True)),
            ],
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_type", "object_id"], name="core_audit_object"),
        ),
    ]
