"""The photo's file becomes a FileField on the private storage (core.models.StoredPhoto). The values stay:
a path relative to MEDIA_ROOT is already the file's name on the storage, and the column stays varchar(200)."""

import qiaojia.core.storage
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="articleimage",
            name="file",
            field=models.FileField(
                editable=False, max_length=200, storage=qiaojia.core.storage.private_storage, upload_to=""
            ),
        ),
    ]
