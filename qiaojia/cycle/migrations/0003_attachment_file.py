"""Attachment.stored_path becomes `file`, a FileField on the private storage. Its values stay: a path
relative to MEDIA_ROOT is already the file's name on the storage, and the column stays varchar(200)."""

import qiaojia.core.storage
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cycle", "0002_progressupdate_activity"),
    ]

    operations = [
        migrations.RenameField(model_name="attachment", old_name="stored_path", new_name="file"),
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                editable=False, max_length=200, storage=qiaojia.core.storage.private_storage, unique=True, upload_to=""
            ),
        ),
    ]
