import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qiaojia.core.storage import private_storage
from qiaojia.cycle import files
from qiaojia.cycle.models import AttachmentKind
from qiaojia.cycle.tests.world import image_upload, pdf_upload, real_pdf


def _path(attachment) -> Path:
    return Path(private_storage().path(attachment.file.name))


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 45.0, 0.0)}  # GPS
    return exif.tobytes()


def test_images_are_re_encoded_without_their_exif(business_association):
    attachment = files.attachment_store(
        uploaded=image_upload(exif=_exif_with_gps()), kind=AttachmentKind.PROGRESS, association=business_association
    )
    stored = _path(attachment).read_bytes()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert attachment.content_type == "image/jpeg" and attachment.file.name.startswith("cycle/")
    assert attachment.original_name == "photo.jpg"


def test_a_png_goes_through_the_one_image_check_and_is_kept_as_a_jpeg(business_association):
    attachment = files.attachment_store(
        uploaded=image_upload("scan.png", fmt="PNG"),
        kind=AttachmentKind.SIGNED_DECLARATION,
        association=business_association,
    )
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "scan.jpg"
    with Image.open(io.BytesIO(_path(attachment).read_bytes())) as image:
        assert image.format == "JPEG"


def test_an_image_over_the_image_limits_is_refused(business_association, settings):
    settings.QIAOJIA_IMAGE_MAX_PIXELS = 100
    with pytest.raises(ValidationError) as exc:
        files.attachment_store(
            uploaded=image_upload("scan.png", fmt="PNG"), kind=AttachmentKind.PROGRESS, association=business_association
        )
    assert exc.value.code == "too_many_pixels"


def test_pdf_is_accepted_by_its_header_and_named_by_us(business_association):
    attachment = files.attachment_store(
        uploaded=pdf_upload("../../etc/passwd.pdf"),
        kind=AttachmentKind.FINANCIAL_REPORT,
        association=business_association,
    )
    assert attachment.content_type == "application/pdf"
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name


@pytest.mark.parametrize("content", [b"<html><script>alert(1)</script></html>", b"MZ\x90\x00binary", b""])
def test_other_content_is_refused_whatever_its_name(business_association, content):
    with pytest.raises(ValidationError):
        files.attachment_store(
            uploaded=SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg"),
            kind=AttachmentKind.PROGRESS,
            association=business_association,
        )


def test_size_limit(business_association, settings):
    settings.QIAOJIA_CYCLE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError):
        files.attachment_store(
            uploaded=pdf_upload(content=b"%PDF-1.4\n" + b"0" * 200),
            kind=AttachmentKind.FINANCIAL_REPORT,
            association=business_association,
        )


def _files_under(media_root):
    folder = media_root / "cycle"
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_fake_pdf_is_refused_and_nothing_is_stored(client, officer_of, report, settings, tmp_path):
    from django.urls import reverse
    from django.utils import translation

    from conftest import verified_client
    from qiaojia.cycle.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    verified_client(client, officer_of)
    attachments, statements = Attachment.objects.count(), report.financial_file_id  # the fixture's own
    fake = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    response = client.post(
        reverse("cycle:report-attach", args=[report.pk, "financial"]),
        {"version": report.version, "file": pdf_upload("statements.pdf", fake)},
    )
    assert response.status_code == 400
    with translation.override("zh-hans"):
        message = str(translation.gettext("This file is not a PDF that can be read: save or scan it again as a PDF."))
    assert message in response.content.decode() and not message.isascii()
    assert Attachment.objects.count() == attachments and _files_under(tmp_path) == []
    report.refresh_from_db()
    assert report.financial_file_id == statements


def test_a_real_pdf_is_accepted_kept_private_and_served_as_a_download(client, officer_of, report, settings, tmp_path):
    import os
    import stat

    from django.urls import reverse

    from conftest import verified_client

    settings.MEDIA_ROOT = tmp_path
    verified_client(client, officer_of)
    response = client.post(
        reverse("cycle:report-attach", args=[report.pk, "financial"]),
        {"version": report.version, "file": pdf_upload("財務報表.pdf", real_pdf(3))},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    path = _path(report.financial_file)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    download = client.get(reverse("cycle:file-download", args=[report.financial_file_id]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == path.read_bytes()


def test_an_image_is_served_as_a_download_too(client, officer_of, report):
    from django.urls import reverse

    from conftest import verified_client

    verified_client(client, officer_of)
    client.post(
        reverse("cycle:report-attach", args=[report.pk, "financial"]),
        {"version": report.version, "file": image_upload("statements.jpg")},
    )
    report.refresh_from_db()
    download = client.get(reverse("cycle:file-download", args=[report.financial_file_id]))
    assert download["Content-Disposition"].startswith("attachment;") and download["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "content,code",
    [
        (real_pdf(javascript="app.alert('hi');"), "pdf_active"),
        (real_pdf(password="secret"), "pdf_encrypted"),
        (real_pdf(4), "pdf_pages"),
        (b"%PDF-1.7\n" + b"0" * 300, "bad_pdf"),
    ],
)
def test_pdfs_that_cannot_be_kept_are_refused(business_association, settings, tmp_path, content, code):
    from qiaojia.cycle.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    settings.QIAOJIA_CYCLE_MAX_PDF_PAGES = 3
    with pytest.raises(ValidationError) as refused:
        files.attachment_store(
            uploaded=pdf_upload(content=content), kind=AttachmentKind.FINANCIAL_REPORT, association=business_association
        )
    assert refused.value.code == code
    assert Attachment.objects.count() == 0 and _files_under(tmp_path) == []


def test_a_pdf_with_only_an_owner_password_opens_and_is_accepted(business_association):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(real_pdf())))
    writer.encrypt(user_password="", owner_password="owner-only")
    out = io.BytesIO()
    writer.write(out)
    attachment = files.attachment_store(
        uploaded=pdf_upload(content=out.getvalue()),
        kind=AttachmentKind.FINANCIAL_REPORT,
        association=business_association,
    )
    assert attachment.content_type == "application/pdf"
