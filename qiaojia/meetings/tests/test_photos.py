import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiaojia.meetings import services
from qiaojia.meetings.models import Photo

from .world import jpeg_upload

pytestmark = pytest.mark.django_db


def _stored_files(media):
    folder = media / services.PHOTO_FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def _gps_exif() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (34.0, 45.0, 0.0), "E", (113.0, 39.0, 0.0)
    return exif.tobytes()


def test_photo_is_reencoded_without_exif_or_gps(assoc_meeting, media):
    from PIL import Image

    upload = jpeg_upload(size=(400, 300), exif=_gps_exif())
    assert b"PhoneMaker" in upload.read()
    upload.seek(0)
    photo = services.photo_add(meeting=assoc_meeting, uploaded=upload, caption="會議現場")
    stored = (media / photo.file.name).read_bytes()
    assert photo.file.name.startswith("meetings/photos/") and photo.file.name.endswith(".jpg")
    assert "photo" not in photo.file.name.split("/")[-1]  # a generated name, not the uploaded one
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and (image.width, image.height) == (400, 300)
        assert not image.getexif()


def test_png_with_transparency_becomes_jpeg(assoc_meeting, media):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, format="PNG")
    photo = services.photo_add(meeting=assoc_meeting, uploaded=SimpleUploadedFile("x.png", buffer.getvalue()))
    assert (media / photo.file.name).read_bytes()[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize(
    "name, content",
    [
        ("report.jpg", b"<html><body><script>alert(1)</script></body></html>"),
        ("logo.jpg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'),
        ("empty.jpg", b""),
        ("truncated.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40),
    ],
)
def test_files_that_are_not_photos_are_refused_and_nothing_is_stored(assoc_meeting, media, name, content):
    with pytest.raises(ValidationError):
        services.photo_add(meeting=assoc_meeting, uploaded=SimpleUploadedFile(name, content))
    assert not Photo.objects.exists()
    assert _stored_files(media) == []


def test_decompression_bomb_is_refused(assoc_meeting, media):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")  # 400 million pixels in a small file
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        services.photo_add(meeting=assoc_meeting, uploaded=SimpleUploadedFile("bomb.png", buffer.getvalue()))
    assert "40" in " ".join(exc.value.messages)
    assert not Photo.objects.exists() and _stored_files(media) == []


def test_gif_is_refused(assoc_meeting, media):
    upload = jpeg_upload(name="anim.gif", fmt="GIF")
    with pytest.raises(ValidationError):
        services.photo_add(meeting=assoc_meeting, uploaded=upload)
    assert _stored_files(media) == []


def test_upload_page_refuses_html_with_a_message(login, officer_of, assoc_meeting, media):
    client = login(officer_of)
    url = reverse("meetings:photo-create", args=[assoc_meeting.pk])
    form_token = "6f1c7a36-5a4e-4f59-9f7e-2b1f0c6d1a11"
    response = client.post(
        url,
        {
            "form_token": form_token,
            "caption": "x",
            "image": SimpleUploadedFile("a.jpg", b"<html><script>1</script></html>"),
        },
    )
    assert response.status_code == 400
    assert "JPEG" in response.content.decode()
    assert not Photo.objects.exists() and _stored_files(media) == []
    ok = client.post(url, {"form_token": form_token, "caption": "合影留念", "image": jpeg_upload()})
    assert ok.status_code == 302
    photo = Photo.objects.get()
    served = client.get(reverse("meetings:photo-file", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_photo_of_another_association_is_not_found(login, officer_of_other, assoc_meeting):
    photo = services.photo_add(meeting=assoc_meeting, uploaded=jpeg_upload(), caption="會議現場")
    client = login(officer_of_other)
    assert client.get(reverse("meetings:photo-file", args=[photo.pk])).status_code == 404


def test_photo_delete_removes_the_file(assoc_meeting, media, django_capture_on_commit_callbacks):
    photo = services.photo_add(meeting=assoc_meeting, uploaded=jpeg_upload())
    assert len(_stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, expected_version=1)
    assert _stored_files(media) == []


def test_photos_are_reordered_from_the_meeting_page(login, officer_of, assoc_meeting):
    first = services.photo_add(meeting=assoc_meeting, uploaded=jpeg_upload(), caption="會議現場")
    second = services.photo_add(meeting=assoc_meeting, uploaded=jpeg_upload(), caption="合影留念")
    client = login(officer_of)
    page = client.get(reverse("meetings:meeting-detail", args=[assoc_meeting.pk])).content.decode()
    assert page.count(reverse("meetings:photo-move", args=[second.pk])) == 1  # the last one moves up only
    response = client.post(
        reverse("meetings:photo-move", args=[second.pk]), {"version": second.version, "direction": "up"}
    )
    assert response.status_code == 302
    assert list(assoc_meeting.photos.values_list("caption", flat=True)) == ["合影留念", "會議現場"]
    stale = client.post(reverse("meetings:photo-move", args=[first.pk]), {"version": 1, "direction": "up"})
    assert stale.status_code == 302  # refused as a conflict: the order was changed meanwhile
    assert list(assoc_meeting.photos.values_list("caption", flat=True)) == ["合影留念", "會議現場"]
