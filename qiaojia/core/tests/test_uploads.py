"""The one image check every image upload goes through (meeting, activity and news photos, the cycle's
images), and how a checked image is stored and served."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation
from PIL import Image

from qiaojia.core import uploads

FOLDER = "tests/images"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _image(fmt="JPEG", size=(64, 48), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 0).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _stored(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("photo.jpg", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "JPEG"),
        ("logo.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>', "JPEG"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "JPEG"),
        ("anim.gif", _image("GIF", mode="L"), "JPEG"),
        ("empty.png", b"", "文件为空"),
    ],
)
def test_what_is_not_a_photo_is_refused_by_content(media, name, content, message):
    with pytest.raises(ValidationError) as exc:
        uploads.clean_image(SimpleUploadedFile(name, content, content_type="image/jpeg"))
    assert message in " ".join(exc.value.messages)
    assert _stored(media) == []


def test_a_decompression_bomb_is_refused_before_it_is_decoded(media):
    bomb = _image("PNG", size=(20000, 20000), mode="1")  # 400 million pixels in a file of ~50 kB
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        uploads.clean_image(SimpleUploadedFile("bomb.png", bomb))
    assert "40" in " ".join(exc.value.messages)
    assert _stored(media) == []


def test_refusals_speak_the_users_language():
    from django.utils import translation

    with translation.override("zh-hant"), pytest.raises(ValidationError) as exc:
        uploads.clean_image(SimpleUploadedFile("a.jpg", b"<html></html>"))
    assert "JPEG" in exc.value.messages[0] and any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.messages[0])


def test_a_photo_is_reencoded_without_its_metadata_and_stored_under_a_generated_name(media):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (34.0, 45.0, 0.0)  # GPS latitude
    original = _image("JPEG", size=(3000, 1000), exif=exif.tobytes())
    assert b"PhoneMaker" in original
    image = uploads.clean_image(SimpleUploadedFile("家人 GPS.jpg", original))
    assert (image.width, image.height) == (uploads.max_side(), uploads.max_side() * 1000 // 3000)
    relative = uploads.store(image, FOLDER)
    assert relative.startswith(FOLDER + "/") and "GPS" not in relative and relative.endswith(".jpg")
    stored = (media / relative).read_bytes()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as reread:
        assert reread.format == "JPEG" and not reread.getexif()


def test_names_outside_the_folder_are_refused(media):
    relative = uploads.store(uploads.clean_image(SimpleUploadedFile("a.png", _image("PNG"))), FOLDER)
    for name, folder in ((relative, "other/folder"), ("../../etc/passwd", FOLDER), (f"{FOLDER}/../../x", FOLDER)):
        with pytest.raises(Http404):
            uploads.image_response(name, folder)
    uploads.discard(relative, "other/folder")
    assert (media / relative).exists()
    response = uploads.image_response(relative, FOLDER)
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    response.file_to_stream.close()  # not response.close(): that sends request_finished (database)
    uploads.discard(relative, FOLDER)
    assert _stored(media) == []


def test_a_stored_photo_is_readable_by_the_platform_alone(media):
    import os
    import stat

    previous = os.umask(0o022)  # the usual umask, which leaves new files world-readable
    try:
        relative = uploads.store(uploads.clean_image(SimpleUploadedFile("a.png", _image("PNG"))), FOLDER)
    finally:
        os.umask(previous)
    path = media / relative
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent):  # the parents created on the way too
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_uploads_through_django_storage_are_private_too(media, settings):
    import os
    import stat

    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=media)
    name = storage.save("forms/scan.bin", ContentFile(b"x" * 10))
    assert stat.S_IMODE(os.stat(storage.path(name)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(storage.path(name))).st_mode) == 0o700


def test_the_limits_are_settings_and_the_refusals_say_them(media, settings):
    with translation.override("en"):  # the refusals' English words are read below
        _limits_are_settings(media, settings)


def _limits_are_settings(media, settings):
    settings.QIAOJIA_IMAGE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        uploads.clean_image(big)
    assert exc.value.code == "too_large" and "1 MB" in exc.value.messages[0]
    settings.QIAOJIA_IMAGE_MAX_PIXELS = 2_000_000
    with pytest.raises(ValidationError) as exc:
        uploads.clean_image(SimpleUploadedFile("wide.png", _image("PNG", size=(2000, 1001), mode="L")))
    assert exc.value.code == "too_many_pixels" and "2 million" in exc.value.messages[0]
    settings.QIAOJIA_IMAGE_MAX_SIDE = 100
    image = uploads.clean_image(SimpleUploadedFile("a.png", _image("PNG", size=(400, 200))))
    assert (image.width, image.height) == (100, 50)
    assert _stored(media) == []


@pytest.mark.django_db
def test_a_rolled_back_transaction_deletes_the_files_it_stored(media):
    from django.db import IntegrityError

    from qiaojia.core import storage

    image = uploads.clean_image(SimpleUploadedFile("a.png", _image("PNG")))
    names = []
    with pytest.raises(IntegrityError), storage.files_atomic():
        names.append(uploads.store(image, FOLDER))
        with storage.files_atomic():  # a nested block hands its files to the outer one
            names.append(uploads.store(image, FOLDER))
        assert all(storage.private_storage().exists(name) for name in names)
        raise IntegrityError("the row could not be written")
    assert len(names) == 2 and _stored(media) == []
    with storage.files_atomic():
        kept = uploads.store(image, FOLDER)
    assert _stored(media) == [media / kept]
