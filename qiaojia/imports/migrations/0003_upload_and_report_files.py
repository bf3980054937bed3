"""The upload and the report become FileFields on the local private storage (issue 12). The columns keep their
values: a report's path was already relative to the storage; an upload's name gains its folder."""

from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Concat

import qiaojia.core.storage


def _folder_in_upload_names(apps, schema_editor):
    MemberImport = apps.get_model("imports", "MemberImport")
    MemberImport.objects.exclude(upload="").exclude(upload__contains="/").update(
        upload=Concat(Value("imports/"), F("upload"), output_field=models.CharField())
    )


def _folder_out_of_upload_names(apps, schema_editor):
    MemberImport = apps.get_model("imports", "MemberImport")
    for pk, name in MemberImport.objects.filter(upload__startswith="imports/").values_list("pk", "upload"):
        MemberImport.objects.filter(pk=pk).update(upload=name.removeprefix("imports/"))


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="memberimport", old_name="stored_name", new_name="upload"),
        migrations.RenameField(model_name="memberimport", old_name="report_path", new_name="report"),
        migrations.AlterField(
            model_name="memberimport",
            name="upload",
            field=models.FileField(
                blank=True, max_length=100, storage=qiaojia.core.storage.local_storage, upload_to="imports/"
            ),
        ),
        migrations.AlterField(
            model_name="memberimport",
            name="report",
            field=models.FileField(
                blank=True, max_length=100, storage=qiaojia.core.storage.local_storage, upload_to="imports/reports/"
            ),
        ),
        migrations.RunPython(_folder_in_upload_names, _folder_out_of_upload_names),
    ]
