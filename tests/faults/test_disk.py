"""A full disk during an upload: a clear message in the user's language, no row and no file left behind."""

import html
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import verified_client
from qiaojia.cycle.models import AnnualReport, Attachment, ProgressUpdate
from qiaojia.cycle.tests.world import image_upload, make_priorities, make_report, pdf_upload
from qiaojia.meetings.models import Photo
from qiaojia.meetings.tests.world import jpeg_upload, make_meeting

from .conftest import changed, files_under, table_counts

FULL = "The server's storage is full, so the file could not be saved."


@pytest.fixture
def officer(client, officer_of):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return verified_client(client, officer_of)


def _refused_then_accepted(monkeypatch, media, post):
    """`post()` on a full disk is refused with the message and leaves nothing; once there is room it is saved."""
    before = table_counts()
    response = post()
    assert response.status_code == 400
    assert FULL in html.unescape(response.content.decode())
    assert changed(before, table_counts()) == {}
    assert files_under(media) == []
    monkeypatch.undo()
    assert post().status_code == 302
    assert len(files_under(media)) == 1


def test_a_meeting_photo_on_a_full_disk_is_refused_and_leaves_nothing(
    monkeypatch, full_disk, media, officer, business_association
):
    meeting = make_meeting(business_association, title="僑商聯合會理事會")
    url = reverse("meetings:photo-create", args=[meeting.pk])
    _refused_then_accepted(
        monkeypatch,
        media,
        lambda: officer.post(url, {"form_token": str(uuid.uuid4()), "caption": "合影留念", "image": jpeg_upload()}),
    )
    assert Photo.objects.filter(meeting=meeting).count() == 1


def test_financial_statements_on_a_full_disk_are_refused_and_leave_nothing(
    monkeypatch, full_disk, media, officer, business_association
):
    make_priorities()
    report = make_report(business_association, complete=False)  # no statements yet: the test attaches them
    url = reverse("cycle:report-attach", args=[report.pk, "financial"])
    _refused_then_accepted(
        monkeypatch,
        media,
        lambda: officer.post(url, {"version": AnnualReport.objects.get(pk=report.pk).version, "file": pdf_upload()}),
    )
    assert AnnualReport.objects.get(pk=report.pk).financial_file == Attachment.objects.get()


def test_a_progress_photo_on_a_full_disk_is_refused_and_leaves_nothing(
    monkeypatch, full_disk, media, officer, business_association
):
    make_priorities()
    report = make_report(business_association, complete=False)  # no statements yet: the test attaches them
    item = report.plan_items.get()
    url = reverse("cycle:progress-create", args=[item.pk])
    _refused_then_accepted(
        monkeypatch,
        media,
        lambda: officer.post(
            url, {"note": "對接會已舉辦", "status": "in_progress", "percent": 50, "file": image_upload()}
        ),
    )
    update = ProgressUpdate.objects.get(plan_item=item)
    assert update.attachment is not None and update.percent == 50
