"""The private storage every stored file lives on (settings.STORAGES["private"]).

Nothing serves it by URL: files are read back only by the views that check who asks. A FileField names
the callable, not the storage, so migrations stay the same whichever backend a deployment configures."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]
