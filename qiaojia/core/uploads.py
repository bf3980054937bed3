"""The one image check of the platform: every uploaded image (meeting, activity and news photos, the cycle's
progress photos and scanned pages) is accepted by what it is, not by its name.

Pillow must read the file as a JPEG, PNG or WebP within the limits of the settings QIAOJIA_IMAGE_MAX_BYTES
and QIAOJIA_IMAGE_MAX_PIXELS (a decompression bomb is refused before it is decoded); it is then decoded,
scaled down to QIAOJIA_IMAGE_MAX_SIDE and re-encoded as a fresh JPEG, which leaves behind EXIF (and its GPS
position), scripts and anything else the file carried. Stored on the private storage under <folder>/ with a
generated name, and served only by `image_response` from a view that has checked who may see it.

    image = uploads.clean_image(uploaded)             # ValidationError in the user's language, nothing written
    with storage.files_atomic():
        row.file = uploads.store(image, "news/images")  # removed again if the transaction fails
    return uploads.image_response(row.file.name, "news/images")
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .storage import delete_on_commit, delete_quietly, file_response, files_atomic, save_new, storage_full, write_new

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT = "image/jpeg,image/png,image/webp"  # the file chooser's filter; the content decides


def max_bytes() -> int:
    return int(settings.QIAOJIA_IMAGE_MAX_BYTES)


def max_pixels() -> int:
    return int(settings.QIAOJIA_IMAGE_MAX_PIXELS)


def max_side() -> int:
    """Stored photos are scaled down to this longest side."""
    return int(settings.QIAOJIA_IMAGE_MAX_SIDE)


def _help_text() -> str:
    return gettext("JPEG, PNG or WebP, at most %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)}


# The help text of every photo field, in the language and with the limit of the moment it is shown.
help_text = lazy(_help_text, str)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def _refuse(message, code: str = "image", **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _too_large() -> ValidationError:
    return _refuse(_("The photo is larger than %(mb)s MB."), "too_large", mb=max_bytes() // (1024 * 1024))


def _too_many_pixels() -> ValidationError:
    return _refuse(
        _("The photo has too many pixels (at most %(millions)s million)."),
        "too_many_pixels",
        millions=max_pixels() // 1_000_000,
    )


def clean_image(uploaded) -> CleanImage:
    """Return the re-encoded JPEG of an uploaded photo, or raise ValidationError saying why not."""
    limit = max_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise _too_large()
    raw = uploaded.read(limit + 1)
    if len(raw) > limit:
        raise _too_large()
    if not raw:
        raise _refuse(_("The file is empty."), "empty")
    return clean_image_bytes(raw)


def clean_image_bytes(raw: bytes) -> CleanImage:
    """`clean_image` of content already read."""
    from PIL import Image, ImageOps

    if len(raw) > max_bytes():
        raise _too_large()

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _refuse(_("Only JPEG, PNG or WebP photos are accepted."), "format")
                width, height = probe.size
                if width * height > max_pixels():
                    raise _too_many_pixels()
                probe.verify()
            # verify() leaves the image unusable: open again to decode it fully.
            with Image.open(io.BytesIO(raw)) as opened:
                opened.load()
                image: Image.Image = ImageOps.exif_transpose(opened)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, "white")
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                elif image.mode == "L":
                    image = image.convert("RGB")
                image.thumbnail((max_side(), max_side()))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except Exception as exc:  # noqa: BLE001 - any decoder failure means "not a photo we accept"
            raise _refuse(_("This file is not a photo we can read (JPEG, PNG or WebP)."), "unreadable") from exc
    return CleanImage(data=out.getvalue(), width=image.width, height=image.height)


def store(image: CleanImage, folder: str) -> str:
    """Save the photo under a generated name in `folder` of the private storage; returns the name for the
    FileField. Inside `storage.files_atomic` it is deleted again if the transaction fails."""
    return save_new(f"{folder.strip('/')}/{uuid.uuid4().hex}.jpg", image.data)


def _in_folder(name: str | None, folder: str) -> bool:
    parts = str(name or "").split("/")
    return str(name or "").startswith(folder.strip("/") + "/") and ".." not in parts and "" not in parts


def image_response(name: str | None, folder: str, *, public: bool = False) -> FileResponse:
    """Serve a stored image (the caller has checked the viewer may see it); 404 when the file is gone or the
    name lies outside `folder`."""
    if not _in_folder(name, folder):
        raise Http404
    return file_response(
        name or "",
        content_type="image/jpeg",
        cache_control="public, max-age=86400" if public else "private, max-age=3600",
        headers={"Content-Security-Policy": "default-src 'none'"},
    )


def discard(name: str | None, folder: str) -> None:
    if name and _in_folder(name, folder):
        delete_quietly(name)


__all__ = [
    "ACCEPT",
    "CleanImage",
    "clean_image",
    "delete_on_commit",
    "discard",
    "files_atomic",
    "help_text",
    "image_response",
    "storage_full",
    "store",
    "write_new",
]
