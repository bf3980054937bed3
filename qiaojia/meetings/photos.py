"""Meeting photos are accepted by what they are, not by their name: Pillow must read the file as a
JPEG, PNG or WebP within size and pixel limits; it is then decoded and re-encoded as a fresh JPEG,
which leaves behind EXIF (and its GPS position), scripts and anything else the file carried."""

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560  # stored photos are scaled down to this longest side
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
FOLDER = "meetings/photos"


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


def store(image: CleanImage) -> str:
    """Write the photo under a generated name; returns its path relative to MEDIA_ROOT."""
    relative = f"{FOLDER}/{uuid.uuid4().hex}.jpg"
    path = media_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image.data)
    return relative


def path_of(relative: str) -> Path:
    """The file of a stored photo; refuses anything outside the photo folder."""
    base = (media_root() / FOLDER).resolve()
    path = (media_root() / relative).resolve()
    if base not in path.parents:
        raise FileNotFoundError(relative)
    return path


def discard(relative: str) -> None:
    try:
        path_of(relative).unlink(missing_ok=True)
    except FileNotFoundError:
        pass
