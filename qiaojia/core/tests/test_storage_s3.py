"""The path to several machines: the private storage pointed at an S3-compatible bucket (django-storages'
S3Storage), here moto's S3 server started on loopback. A photo goes up through the page, lands in the bucket
and nowhere on disk, is served back through the permission-checked view, is deleted with its row, and a file
stored by a transaction that fails is deleted again; the orphan sweep works on the bucket too."""

import datetime
import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qiaojia.activities import services as activity_services
from qiaojia.activities.tests.world import make_activity
from qiaojia.core import retention
from qiaojia.core.storage import private_storage
from qiaojia.meetings.models import Photo
from qiaojia.meetings.tests.world import jpeg_upload, make_meeting

pytestmark = pytest.mark.django_db

BUCKET = "qiaojia-private"


@pytest.fixture
def s3_server():
    """moto's S3 server on a free loopback port, for this test only."""
    server = Path(sys.executable).parent / "moto_server"
    command = [str(server)] if server.exists() else [sys.executable, "-m", "moto.server"]
    process = subprocess.Popen([*command, "-H", "127.0.0.1", "-p0"], stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
    try:
        deadline, seen = time.monotonic() + 30, ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen += line
            found = re.search(r"Running on http://127\.0\.0\.1:(\d+)", line)
            if found:
                yield f"http://127.0.0.1:{found.group(1)}"
                return
        raise RuntimeError(f"moto_server did not start: {seen}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """STORAGES["private"] is an S3Storage on the loopback server, as a deployment on several machines sets it."""
    import boto3

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "access_key": "qiaojia-test",
        "secret_key": "qiaojia-test-secret",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "file_overwrite": False,
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **django_settings.STORAGES,
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return client


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_files_live_in_an_s3_bucket_through_the_storage_api(
    bucket, login, officer_of, business_association, settings, django_capture_on_commit_callbacks
):
    from storages.backends.s3 import S3Storage

    assert isinstance(private_storage(), S3Storage)
    meeting = make_meeting(business_association, title="僑商聯合會理事會")
    client = login(officer_of)

    # Upload through the page: the file is in the bucket under a generated name, nothing is on disk.
    response = client.post(
        reverse("meetings:photo-create", args=[meeting.pk]),
        {"form_token": str(uuid.uuid4()), "caption": "合影留念", "image": jpeg_upload()},
    )
    assert response.status_code == 302
    photo = Photo.objects.get(meeting=meeting)
    assert _keys(bucket) == [photo.file.name] and photo.file.name.startswith("meetings/photos/")
    assert not Path(settings.MEDIA_ROOT).exists()
    stored = bucket.get_object(Bucket=BUCKET, Key=photo.file.name)["Body"].read()
    assert stored[:3] == b"\xff\xd8\xff" and len(stored) == photo.size

    # Served back only through the view that checks who asks, with its headers.
    served = client.get(reverse("meetings:photo-file", args=[photo.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"].startswith("private") and served["Content-Security-Policy"] == "default-src 'none'"

    # A transaction that fails after its files were stored takes them out of the bucket again.
    activity = make_activity(business_association)
    type(activity).objects.filter(pk=activity.pk).delete()  # gone meanwhile: the photos' rows fail
    with pytest.raises(ValidationError):
        activity_services.photo_add(activity=activity, photos=[(jpeg_upload(), "一"), (jpeg_upload(), "二")])
    assert _keys(bucket) == [photo.file.name]

    # An object no row names is swept by retention, through the same API.
    bucket.put_object(Bucket=BUCKET, Key="meetings/photos/orphan.jpg", Body=b"left behind")
    settings.QIAOJIA_ORPHAN_FILE_GRACE_HOURS = 0
    later = timezone.now() + datetime.timedelta(minutes=1)
    retention.rules()  # the apps register their folders
    assert retention.orphan_files(now=later) == ["meetings/photos/orphan.jpg"]
    retention.retention_run(now=later)
    assert _keys(bucket) == [photo.file.name]

    # Deleted with its row once the deletion commits; the view then answers 404.
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(reverse("meetings:photo-delete", args=[photo.pk]), {"version": photo.version})
    assert removed.status_code == 302 and not Photo.objects.exists()
    assert _keys(bucket) == []
    assert client.get(reverse("meetings:photo-file", args=[photo.pk])).status_code == 404
