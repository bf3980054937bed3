import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qiaojia.cycle import files
from qiaojia.cycle.models import AttachmentKind
from qiaojia.cycle.tests.world import image_upload, pdf_upload


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 45.0, 0.0)}  # GPS
    return exif.tobytes()


def test_images_are_re_encoded_without_their_exif(business_association):
    attachment = files.attachment_store(uploaded=image_upload(exif=_exif_with_gps()), kind=AttachmentKind.PROGRESS,
                                        association=business_association)
    stored = files.attachment_path(attachment).read_bytes()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert attachment.content_type == "image/jpeg" and attachment.stored_path.startswith("cycle/")
    assert attachment.original_name == "photo.jpg"


def test_png_keeps_png(business_association):
    attachment = files.attachment_store(uploaded=image_upload("scan.png", fmt="PNG"),
                                        kind=AttachmentKind.SIGNED_DECLARATION, association=business_association)
    assert attachment.content_type in ("image/png", "image/jpeg")


def test_pdf_is_accepted_by_its_header_and_named_by_us(business_association):
    attachment = files.attachment_store(uploaded=pdf_upload("../../etc/passwd.pdf"),
                                        kind=AttachmentKind.FINANCIAL_REPORT, association=business_association)
    assert attachment.content_type == "application/pdf"
    assert ".." not in attachment.stored_path and "passwd" not in attachment.stored_path


@pytest.mark.parametrize("content", [b"<html><script>alert(1)</script></html>", b"MZ\x90\x00binary", b""])
def test_other_content_is_refused_whatever_its_name(business_association, content):
    with pytest.raises(ValidationError):
        files.attachment_store(uploaded=SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg"),
                               kind=AttachmentKind.PROGRESS, association=business_association)


def test_size_limit(business_association, settings):
    settings.QIAOJIA_CYCLE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError):
        files.attachment_store(uploaded=pdf_upload(content=b"%PDF-1.4\n" + b"0" * 200),
                               kind=AttachmentKind.FINANCIAL_REPORT, association=business_association)
