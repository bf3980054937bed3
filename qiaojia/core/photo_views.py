"""The pages of every photo (meeting, activity and news photos): upload, caption, delete, reorder and the
file itself. Each app's view finds the photo through its selector, checks its own permission, then calls one
of these with its own service; these add the form, the titles, the messages and the headers they share."""

from collections.abc import Callable
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from . import uploads
from .forms import PhotoCaptionForm, PhotoDeleteForm, PhotoMoveForm
from .models import StoredPhoto
from .pages import form_page, post_action


def photo_file(photo: StoredPhoto, *, public: bool = False) -> FileResponse:
    """The photo's file, streamed from the private storage (cached by the browser only when `public`)."""
    return uploads.image_response(photo.file.name, photo.FOLDER, public=public)


def photo_upload_page(
    request,
    *,
    form,
    save: Callable[[dict[str, Any]], Any],
    back: str,
    breadcrumb: list[tuple[str, str]],
    title: str | None = None,
):
    return form_page(
        request, form=form, title=title or _("Add photo"), breadcrumb=breadcrumb, save=save, success_url=lambda _: back
    )


def photo_caption_page(
    request,
    *,
    photo: StoredPhoto,
    save: Callable[[dict[str, Any]], Any],
    back: str,
    breadcrumb: list[tuple[str, str]],
    form=None,
    title: str | None = None,
):
    """Edit the caption (and with its own `form`, what else an app keeps on a photo)."""
    if form is None:
        form = PhotoCaptionForm(request.POST or None, initial={"version": photo.version, "caption": photo.caption})
    return form_page(
        request,
        form=form,
        title=title or _("Edit caption"),
        breadcrumb=breadcrumb,
        current=photo,
        save=save,
        success_url=lambda _: back,
    )


def photo_delete_action(request, *, photo: StoredPhoto, delete: Callable[..., Any], back: str):
    """`delete(photo=, expected_version=)` from a button on the record's page."""
    return post_action(
        request,
        PhotoDeleteForm(request.POST),
        lambda d: delete(photo=photo, expected_version=d["version"]),
        success=_("The photo was removed."),
        back=back,
    )


def photo_move_action(request, *, photo: StoredPhoto, move: Callable[..., Any], back: str):
    """`move(photo=, expected_version=, direction=)` from the up and down buttons of the record's page."""
    return post_action(
        request,
        PhotoMoveForm(request.POST),
        lambda d: move(photo=photo, expected_version=d["version"], direction=d["direction"]),
        success=_("The photos were reordered."),
        back=back,
    )
