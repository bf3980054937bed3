"""The person table's indexes without twins (see Person.Meta): each db_index=True column gets a plain
b-tree of its own in Meta (PostgreSQL's `_like` twins go with db_index), and `name_key` none of its own.

The partial unique index on the ID number's hash is dropped and created again around the change of
`id_number_hash`: on PostgreSQL, Django's AlterField drops every b-tree on a column that loses db_index,
a constraint's unique index included."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_person_name_birth"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="person", name="person_unique_id_number"),
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_initials",
            field=models.CharField(default="", editable=False, max_length=50),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=50),
        ),
        migrations.AlterField(
            model_name="person",
            name="name_pinyin",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=models.CharField(blank=True, max_length=20, verbose_name="phone"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["phone"], name="person_phone"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["id_number_hash"], name="person_id_number_hash"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name_pinyin"], name="person_name_pinyin"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name_initials"], name="person_name_initials"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("id_number_hash", ""), _negated=True),
                fields=("id_number_hash",),
                name="person_unique_id_number",
            ),
        ),
    ]
