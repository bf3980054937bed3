"""Files of the cycle: checked by their content, stored on the private storage under cycle/ with generated
names.

Images go through the platform's one image check (`core.uploads.clean_image`): verified, then re-encoded from
their pixels, so whatever else the file carried (EXIF with GPS position, comments, trailing data) is dropped.
PDFs are parsed with pypdf (their cross-reference, catalogue and page tree, within a page limit); those that
need a password or carry scripts or launch actions are refused. Anything else, or anything too large, is
refused with a message in the user's language. Every file is served as a download (see `views.file_download`).
"""

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qiaojia.core import storage, uploads

from .models import Attachment

SUBDIR = "cycle"


# Actions a PDF reader runs on its own when the file is opened or clicked: scripts and programs.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}


def max_bytes() -> int:
    return int(getattr(settings, "QIAOJIA_CYCLE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _read(uploaded) -> bytes:
    if uploaded.size is not None and uploaded.size > max_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)s MB."), code="too_large", params={"mb": max_bytes() // (1024 * 1024)}
        )
    data = b"".join(uploaded.chunks())
    if len(data) > max_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)s MB."), code="too_large", params={"mb": max_bytes() // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def max_pdf_pages() -> int:
    return int(getattr(settings, "QIAOJIA_CYCLE_MAX_PDF_PAGES", 500))


def _active(action, depth: int = 0) -> bool:
    """Whether an action (or the chain of actions that follows it) runs a script or a program."""
    action = action.get_object() if action is not None else None
    if isinstance(action, list):
        return depth < 20 and any(_active(item, depth + 1) for item in action)
    if not hasattr(action, "get") or depth >= 20:
        return False
    if action.get("/S") in ACTIVE_ACTIONS or "/JS" in action:
        return True
    return _active(action.get("/Next"), depth + 1)


def _has_active_content(reader) -> bool:
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    triggers = (
        [root.get("/OpenAction"), *(root.get("/AA") or {}).get_object().values()]
        if root.get("/AA")
        else [root.get("/OpenAction")]
    )
    for page in reader.pages:
        if page.get("/AA"):
            triggers.extend(page["/AA"].get_object().values())
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            triggers.append(annotation.get("/A"))
            if annotation.get("/AA"):
                triggers.extend(annotation["/AA"].get_object().values())
    return any(_active(action) for action in triggers if action is not None)


def _check_pdf(data: bytes) -> None:
    """Refuse what only looks like a PDF: it must parse (cross-reference, catalogue, page tree), open
    without a password, stay within the page limit and carry no script or launch action."""
    from pypdf import PdfReader

    unreadable = ValidationError(
        _("This file is not a PDF that can be read: save or scan it again as a PDF."), code="bad_pdf"
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("This PDF is protected by a password: upload it without the protection."), code="pdf_encrypted"
            )
        pages = len(reader.pages)
        if pages > max_pdf_pages():
            raise ValidationError(
                _("This PDF has more than %(max)s pages."), code="pdf_pages", params={"max": max_pdf_pages()}
            )
        if pages == 0:
            raise unreadable
        if _has_active_content(reader):
            raise ValidationError(
                _(
                    "This PDF contains scripts or actions that start programs: save it again as a "
                    "PDF without them (for example by printing it to PDF)."
                ),
                code="pdf_active",
            )
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever pypdf cannot parse is not a PDF we keep
        raise unreadable from exc


def clean_upload(uploaded, *, allow_images: bool = True) -> tuple[bytes, str, str]:
    """(content, content type, extension) of an accepted upload; ValidationError otherwise."""
    data = _read(uploaded)
    if data[:5] == b"%PDF-":
        _check_pdf(data)
        return data, "application/pdf", ".pdf"
    if allow_images:
        try:
            image = uploads.clean_image_bytes(data)
        except ValidationError as exc:
            if exc.code in ("format", "unreadable"):
                raise ValidationError(_("Upload a PDF or an image (JPEG or PNG)."), code="bad_type") from exc
            raise
        return image.data, "image/jpeg", ".jpg"
    raise ValidationError(_("Upload a PDF file."), code="bad_type")


def original_name(uploaded, extension: str) -> str:
    stem = Path(uploaded.name or "file").stem[:150] or "file"
    return f"{stem}{extension}"


def attachment_store(*, uploaded, kind: str, association=None, user=None, allow_images: bool = True) -> Attachment:
    """Check and write the file, then create its Attachment row (the caller audits and links it).

    The file is written before the row: call it inside `storage.files_atomic`, whose rollback deletes it."""
    content, content_type, extension = clean_upload(uploaded, allow_images=allow_images)
    name = storage.save_new(f"{SUBDIR}/{uuid.uuid4().hex}{extension}", content)
    return Attachment.objects.create(
        kind=kind,
        association=association,
        file=name,
        original_name=original_name(uploaded, extension),
        content_type=content_type,
        size=len(content),
        created_by=user if user is not None and user.is_authenticated else None,
    )
