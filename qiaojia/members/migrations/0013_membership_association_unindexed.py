"""Memberships: no index of its own on `association_id`, which leads the (association, left_on) index.

Dropped in SQL rather than by AlterField, with which SQLite would rebuild the table (and its triggers);
the index's name is Django's generated one, so it is looked up."""

from django.db import migrations, models
import django.db.models.deletion


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "members_membership")
    for name, info in constraints.items():
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == ["association_id"]:
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_index(apps, schema_editor):
    schema_editor.execute(
        'CREATE INDEX "members_membership_association_id" ON "members_membership" ("association_id")'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_person_id_number_hash_partial_only"),
        ("orgs", "__first__"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_index, create_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="membership",
                    name="association",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memberships",
                        to="orgs.association",
                        verbose_name="association",
                    ),
                ),
            ],
        )
    ]
