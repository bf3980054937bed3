"""Uploaded images, everywhere in the platform (meeting photos, activity photos, news covers and galleries,
event pictures): accepted by what they are, not by their name.

Pillow must read the file as a JPEG, PNG or WebP within size and pixel limits (a decompression bomb is
refused before it is decoded); it is then decoded and re-encoded as a fresh JPEG, which leaves behind EXIF
(and its GPS position), scripts and anything else the file carried. Stored under MEDIA_ROOT/<folder>/ with
a generated name, and served only by `image_response` from a view that has checked who may see it.

    image = uploads.clean_image(uploaded)         # ValidationError in the user's language, nothing written
    relative = uploads.store(image, "news/images")  # after the check; discard(relative) if the row fails
    return uploads.image_response(relative, "news/images")

Every stored file is written by `write_new`: a full disk leaves no partial file and says so in the user's
language; inside `files_atomic` a transaction that rolls back takes its new files with it.
"""

import contextlib
import errno
import io
import logging
import os
import uuid
import warnings
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from qiaojia.core.services import delete_audited

from .files import private_dir

logger = logging.getLogger(__name__)

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560  # stored photos are scaled down to this longest side
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def _refuse(message) -> ValidationError:
    return ValidationError(message, code="image")


def clean_image(uploaded) -> CleanImage:
    """Return the re-encoded JPEG of an uploaded photo, or raise ValidationError saying why not."""
    from PIL import Image, ImageOps

    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        raise _refuse(_("The photo is larger than 15 MB."))
    raw = uploaded.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise _refuse(_("The photo is larger than 15 MB."))
    if not raw:
        raise _refuse(_("The file is empty."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _refuse(_("Only JPEG, PNG or WebP photos are accepted."))
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise _refuse(_("The photo has too many pixels (at most 40 million)."))
                probe.verify()
            # verify() leaves the image unusable: open again to decode it fully.
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, "white")
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                elif image.mode == "L":
                    image = image.convert("RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _refuse(_("The photo has too many pixels (at most 40 million).")) from exc
        except Exception as exc:  # noqa: BLE001 - any decoder failure means "not a photo we accept"
            raise _refuse(_("This file is not a photo we can read (JPEG, PNG or WebP).")) from exc
    return CleanImage(data=out.getvalue(), width=image.width, height=image.height)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# The files written by the innermost `files_atomic` block of this thread (None outside one).
_written: ContextVar[list[Path] | None] = ContextVar("qiaojia_uploads_written", default=None)
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def storage_full() -> ValidationError:
    return ValidationError(
        _(
            "The server's storage is full, so the file could not be saved. Nothing was changed: "
            "try again later, or tell the platform's administrators."
        ),
        code="storage_full",
    )


def write_new(path: Path, data: bytes) -> None:
    """Create `path` (never replacing a file), readable by the platform only, holding `data`.

    On a full disk the partial file is removed and the upload refused (ValidationError); any other
    failure of the disk is raised as it is. Inside `files_atomic`, the file goes if the transaction fails."""
    created = False
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        created = True
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        if created:
            path.unlink(missing_ok=True)
        if exc.errno in _DISK_FULL:
            logger.error("Upload refused, the disk is full: %s", path.parent)
            raise storage_full() from exc
        raise
    written = _written.get()
    if written is not None:
        written.append(path)


@contextlib.contextmanager
def files_atomic():
    """`transaction.atomic` for a write that stores files: if it rolls back (or its commit fails), the
    files `write_new` wrote inside are removed, so no file outlives the row that was to name it.
    Only the outermost block commits; a nested one hands its files to the block around it."""
    outer = _written.get()
    mine: list[Path] = []
    token = _written.set(mine)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for path in mine:
            path.unlink(missing_ok=True)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(mine)


def store(image: CleanImage, folder: str) -> str:
    """Write the photo under a generated name in `folder`; returns its path relative to MEDIA_ROOT."""
    relative = f"{folder.strip('/')}/{uuid.uuid4().hex}.jpg"
    write_new(media_root() / relative, image.data)
    return relative


def path_of(relative: str, folder: str) -> Path:
    """The file of a stored photo; refuses anything outside `folder`."""
    base = (media_root() / folder.strip("/")).resolve()
    path = (media_root() / relative).resolve()
    if base not in path.parents:
        raise FileNotFoundError(relative)
    return path


def discard(relative: str, folder: str) -> None:
    try:
        path_of(relative, folder).unlink(missing_ok=True)
    except FileNotFoundError:
        pass


def image_response(relative: str, folder: str, *, public: bool = False) -> FileResponse:
    """Serve a stored image (the caller has checked the viewer may see it); 404 when the file is gone."""
    try:
        handle = path_of(relative, folder).open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400" if public else "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def delete_with_file(row, *, expected_version: int, folder: str) -> None:
    """Delete an image's row (version-checked and audited); its file goes once the deletion is committed."""
    relative = row.file
    with transaction.atomic():
        delete_audited(row, expected_version=expected_version)
        transaction.on_commit(lambda: discard(relative, folder))
