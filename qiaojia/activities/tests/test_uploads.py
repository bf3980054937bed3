"""Files that are not photos, through the activity photo page: refused with a message in the reader's
language, and nothing stored — no file under MEDIA_ROOT/activities, no row."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qiaojia.activities.models import Activity, ActivityPhoto

from .world import make_activity

pytestmark = pytest.mark.django_db


def _bomb() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")  # 400 million pixels of one colour
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    return buffer.getvalue()


REFUSED = {
    "html": ("report.jpg", b"<html><body><script>alert(1)</script></body></html>", "無法識別此檔案為照片"),
    "svg": (
        "logo.jpg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "無法識別此檔案為照片",
    ),
    "bomb": ("bomb.png", None, None),
}


def _expected(message: str | None) -> str:
    """The refusal the reader should see; for the bomb, the pixel limit in Traditional Chinese."""
    if message is not None:
        return message
    with translation.override("zh-hant"):
        return translation.gettext("The photo has too many pixels (at most %(millions)s million).") % {"millions": 40}


def _nothing_stored(media):
    folder = media / "activities"
    return not ActivityPhoto.objects.exists() and not (folder.exists() and any(folder.rglob("*.*")))


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_photo_page_refuses_what_is_not_a_photo(login, officer_of, business_association, media, case):
    name, content, message = REFUSED[case]
    activity = make_activity(business_association)
    client = login(officer_of)
    response = client.post(
        reverse("activities:photo-create", args=[activity.pk]),
        {
            "form_token": str(uuid.uuid4()),
            "caption_1": "說明",
            "photo_1": SimpleUploadedFile(name, content if content is not None else _bomb()),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert _expected(message) in text and name in text
    assert _nothing_stored(media)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_create_page_refuses_what_is_not_a_photo_and_records_nothing(
    login, officer_of, business_association, media, case
):
    name, content, message = REFUSED[case]
    client = login(officer_of)
    response = client.post(
        reverse("activities:activity-create"),
        {
            "form_token": str(uuid.uuid4()),
            "title": "經貿交流會",
            "kind": "trade",
            "starts_on": "2025-05-12",
            "other_participants": "0",
            "photo_1": SimpleUploadedFile(name, content if content is not None else _bomb()),
            "caption_1": "說明",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    assert response.status_code == 400
    assert _expected(message) in response.content.decode()
    assert not Activity.objects.exists() and _nothing_stored(media)
