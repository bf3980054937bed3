"""The writes of every photo (`core.models.StoredPhoto`: meeting, activity and news photos), and the one
reordering of numbered rows (photos, agenda items).

Each app's services call these with its own model and add what is its own (the cover of an article, the
numbering lock of an activity); its views call `core.photo_views` after its own permission check.
"""

import uuid
from typing import TypeVar, cast

from django.db import models, transaction
from django.db.models import Max

from . import uploads
from .models import StoredPhoto, VersionedModel, strip_caption_mark
from .ordering import order_move
from .services import create_audited, delete_audited, update_versioned
from .storage import delete_on_commit, files_atomic

P = TypeVar("P", bound=StoredPhoto)
R = TypeVar("R", bound=VersionedModel)


def next_order(rows: models.QuerySet) -> int:
    return (rows.aggregate(n=Max("order"))["n"] or 0) + 1


def siblings(photo: StoredPhoto) -> models.QuerySet:
    """The photos of the same record as `photo`."""
    key = f"{photo.PARENT}_id"
    return type(photo)._default_manager.filter(**{key: getattr(photo, key)})


def photo_store(photo: P, image: uploads.CleanImage, *, form_token: uuid.UUID | None = None) -> P:
    """Store a checked image (`uploads.clean_image`) on the private storage and create its row, numbered after
    the record's last photo unless `photo.order` is set. The file and the row are one: if the transaction
    fails the file is deleted again (within an outer `files_atomic`, when that one fails)."""
    photo.caption = strip_caption_mark(photo.caption)
    with files_atomic():
        photo.file = uploads.store(image, photo.FOLDER)
        photo.width, photo.height, photo.size = image.width, image.height, len(image.data)
        if not photo.order:
            photo.order = next_order(siblings(photo))
        create_audited(photo, form_token=form_token)
    return photo


@transaction.atomic
def photo_caption_update(*, photo: P, expected_version: int, caption: str, **values) -> P:
    """A caption typed with its mark (`△會議現場`) is kept without it: pages and records add their own."""
    return update_versioned(photo, expected_version=expected_version, caption=strip_caption_mark(caption), **values)


@transaction.atomic
def photo_delete(*, photo: StoredPhoto, expected_version: int | None = None) -> None:
    """Delete the photo's row (version-checked, audited); its file goes once the deletion is committed."""
    name = photo.file.name
    delete_audited(photo, expected_version=expected_version)
    delete_on_commit(name)


@transaction.atomic
def photo_move(*, photo: P, expected_version: int, direction: str) -> P:
    """Move a photo one place up or down among its record's photos; they are renumbered 1..n."""
    parent = photo.parent
    type(parent)._default_manager.select_for_update().filter(pk=parent.pk).first()  # one numbering at a time
    return move_in_order(siblings(photo), item=photo, expected_version=expected_version, direction=direction)


def move_in_order(rows: models.QuerySet, *, item: R, expected_version: int, direction: str) -> R:
    """Move `item` one place up or down among `rows` (numbered by `order`, the caller holds the lock that
    keeps one numbering at a time): `core.ordering.order_move` over the rows in their order."""
    ordered = list(rows.order_by("order", "id"))
    return cast(R, order_move(ordered, row=item, expected_version=expected_version, direction=direction))
