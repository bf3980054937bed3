"""Exports above QIAOJIA_EXPORT_BACKGROUND_ROWS: written by a background job, for the same viewer and
filters as the streamed export, downloadable by that user alone, and deleted when they expire."""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import make_credit_code, make_id_number
from qiaojia.accounts.models import Role
from qiaojia.exports import services as export_jobs
from qiaojia.exports import tasks as export_tasks
from qiaojia.exports.tests.test_formats import body_of
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.notifications.models import Notification
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import PartnerKind
from qiaojia.orgs.tests.helpers import CLEAR_ID_RE, CLEAR_PHONE_RE

pytestmark = pytest.mark.django_db

# A number in the clear, not digits inside a longer token (request ids and tokens are hex): a PostgreSQL run
# once matched 18635324786, which is no phone of this world, inside the audit trail's export.
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
WORLD_PHONES = [f"1381234{n:04d}" for n in range(5)] + ["13998765432"]


@pytest.fixture(autouse=True)
def background(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 3


@pytest.fixture
def world(business_association, other_association, make_person, today):
    people = [
        make_person(
            name,
            association=business_association,
            phone=f"1381234{n:04d}",
            id_number=make_id_number(40 + n, "19800101"),
            name_en=f"Person {n}",
        )
        for n, name in enumerate(["鄭定輝", "鄭秀蘭", "鄭建國", "李華", "張偉"])
    ]
    make_person("王秘密", association=other_association, phone="13998765432", id_number=make_id_number(60))
    for n in range(5):
        org_services.partner_create(
            association=business_association,
            data={"name": f"鄭州大學{n}", "kind": PartnerKind.UNIVERSITY, "contact": f"張老師 1371234567{n}"},
        )
    org_services.partner_create(
        association=other_association, data={"name": "秘密夥伴", "kind": PartnerKind.UNIVERSITY}
    )
    for n in range(4):
        member_services.enterprise_add(
            association=business_association,
            data={"name": f"中原貿易{n}有限公司", "credit_code": make_credit_code(8200 + n)},
            membership_data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": today},
        )
    return people


def rows_of(data: bytes, fmt: str) -> list[list]:
    if fmt == "csv":
        text = data.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [
        ["" if v is None else v for v in row] for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
    ]


def streamed(client, url: str, query: dict, settings) -> bytes:
    threshold = settings.QIAOJIA_EXPORT_BACKGROUND_ROWS
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 1_000_000
    try:
        response = client.get(url, query)
        assert response.status_code == 200 and response.streaming
        return body_of(response)
    finally:
        settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = threshold


def background_export(client, url: str, query: dict) -> Job:
    response = client.get(url, query)
    assert response.status_code == 302, "an export over the threshold goes to the background"
    job = Job.objects.get(kind=export_jobs.EXPORT_KIND)
    assert response["Location"] == reverse("exports:detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED
    return job


def downloaded(client, job: Job) -> bytes:
    response = client.get(reverse("exports:file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("name", "query", "viewer", "threshold"),
    [
        ("members:person-export", {}, "officer_of", 3),
        ("members:person-export", {"q": "鄭"}, "staff_user", 2),
        ("members:enterprise-export", {}, "officer_of", 3),
        ("orgs:partner-export", {"q": "鄭州"}, "officer_of", 3),
        ("orgs:association-export", {}, "staff_user", 1),
    ],
)
def test_background_export_holds_the_rows_of_the_streamed_one(
    login, request, settings, world, fmt, name, query, viewer, threshold
):
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = threshold
    client = login(request.getfixturevalue(viewer))
    url = reverse(name)
    expected = rows_of(streamed(client, url, {**query, "format": fmt}, settings), fmt)
    assert len(expected) - 1 > settings.QIAOJIA_EXPORT_BACKGROUND_ROWS
    job = background_export(client, url, {**query, "format": fmt, "page": "2"})
    assert jobs.run_pending() >= 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.done, job.total) == (len(expected) - 1, len(expected) - 1)
    assert job.result_name.endswith(f".{fmt}") and job.result_path.name.startswith("exports/")
    assert "query" not in job.params, "the filters are not kept once the file is written"
    got = rows_of(downloaded(client, job), fmt)
    assert got == expected
    flat = json.dumps(got, default=str, ensure_ascii=False)
    assert not PHONE_RE.search(flat) and not ID_RE.search(flat)
    assert not [phone for phone in WORLD_PHONES if phone in flat]
    assert "王秘密" not in flat and "秘密夥伴" not in flat


def test_officer_export_file_is_masked_and_in_scope(login, officer_of, world):
    client = login(officer_of)
    job = background_export(client, reverse("members:person-export"), {"format": "xlsx"})
    jobs.run_pending()
    job.refresh_from_db()
    rows = rows_of(downloaded(client, job), "xlsx")
    assert len(rows) == 1 + len(world)
    flat = json.dumps(rows, default=str, ensure_ascii=False)
    assert not CLEAR_PHONE_RE.search(flat) and not CLEAR_ID_RE.search(flat)
    assert not PHONE_RE.search(flat) and not ID_RE.search(flat)
    assert "138****0000" in flat and "王秘密" not in flat


def test_only_the_user_who_asked_can_download(login, officer_of, officer_of_other, staff_user, admin_user, world):
    client = login(officer_of)
    job = background_export(client, reverse("members:person-export"), {})
    jobs.run_pending()
    for other in (officer_of_other, staff_user, admin_user):
        other_client = login(other)
        assert other_client.get(reverse("exports:file", args=[job.pk])).status_code == 404
        assert other_client.get(reverse("exports:detail", args=[job.pk])).status_code == 404
        assert other_client.get(reverse("jobs:job-result", args=[job.pk])).status_code == 404
    assert login(officer_of).get(reverse("exports:file", args=[job.pk])).status_code == 200


def test_the_progress_page_shows_the_bar_then_the_download(login, officer_of, world):
    client = login(officer_of)
    job = background_export(client, reverse("members:person-export"), {"format": "csv"})
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    assert reverse("exports:file", args=[job.pk]) not in page
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404  # not written yet
    jobs.run_pending()
    detail = reverse("exports:detail", args=[job.pk])
    fragment = client.get(reverse("jobs:job-progress", args=[job.pk]) + f"?next={detail}", HTTP_HX_REQUEST="true")
    assert fragment["HX-Redirect"] == detail
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert reverse("exports:file", args=[job.pk]) in page and "<progress" not in page
    notice = Notification.objects.get(recipient=officer_of, kind=export_tasks.NOTIFICATION_KIND)
    assert notice.url == reverse("exports:detail", args=[job.pk])


def test_a_small_export_still_streams(login, officer_of, world, settings):
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = len(world)
    response = login(officer_of).get(reverse("members:person-export"))
    assert response.status_code == 200 and response.streaming
    assert not Job.objects.filter(kind=export_jobs.EXPORT_KIND).exists()


def test_the_job_rechecks_the_viewers_scope(login, officer_of, world):
    client = login(officer_of)
    job = background_export(client, reverse("orgs:partner-export"), {})
    type(officer_of).objects.filter(pk=officer_of.pk).update(role=Role.MEMBER)  # no longer sees the registry
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.result_path
    assert not list((Path(settings.MEDIA_ROOT) / "exports").glob("*"))


def test_expired_exports_are_deleted(login, officer_of, world):
    client = login(officer_of)
    job = background_export(client, reverse("members:person-export"), {})
    jobs.run_pending()
    job.refresh_from_db()
    path = Path(settings.MEDIA_ROOT) / job.result_path.name
    assert path.is_file()
    assert export_jobs.export_purge_expired() == 0 and path.is_file()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=23))
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 200
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    # Past its time the file is refused at once, even before the purge has run.
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job-result", args=[job.pk])).status_code == 404
    assert export_jobs.export_purge_expired() == 1
    assert not path.exists()
    job.refresh_from_db()
    assert job.result_path == ""
    page = client.get(reverse("exports:detail", args=[job.pk]))
    assert page.status_code == 200 and 'id="export-expired"' in page.content.decode()


def test_the_workers_purge_expired_exports(login, officer_of, world):
    client = login(officer_of)
    job = background_export(client, reverse("members:person-export"), {})
    jobs.run_pending()
    job.refresh_from_db()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=2))
    jobs.run_cleanups(force=True)
    assert not (Path(settings.MEDIA_ROOT) / job.result_path.name).exists()


def test_the_purge_drops_the_filters_of_a_job_whose_worker_died(login, officer_of, world, settings):
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 2
    job = background_export(login(officer_of), reverse("members:person-export"), {"q": "鄭"})
    assert job.params["query"] == "q=%E9%84%AD"
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, created_at=timezone.now() - datetime.timedelta(days=2)
    )
    export_jobs.export_purge_expired()
    job.refresh_from_db()
    assert "query" not in job.params


def test_every_export_is_audited_with_its_filters_masked(world, login, staff_user, settings):
    from qiaojia.core.models import AuditAction, AuditEntry

    client = login(staff_user)
    url = reverse("members:person-export")
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 1000
    assert client.get(url, {"q": "13812340001", "format": "csv"}).status_code == 200
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 3
    assert client.get(url, {"format": "xlsx"}).status_code == 302
    rows = list(AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("id"))
    assert [(r.object_type, r.actor_username, r.changes["format"], r.changes["background"]) for r in rows] == [
        ("export.people", staff_user.username, "csv", False),
        ("export.people", staff_user.username, "xlsx", True),
    ]
    assert "13812340001" not in json.dumps([r.changes for r in rows])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_long_audit_trail_is_exported_in_the_background_for_administrators_only(
    login, settings, world, admin_user, staff_user, officer_of, fmt
):
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 3
    url = reverse("home:audit-export")
    for outsider in (staff_user, officer_of):
        assert login(outsider).get(url, {"format": fmt}).status_code == 404
    client = login(admin_user)
    query = {"action": "create", "format": fmt}  # export rows are not in it, so both files are the same
    expected = rows_of(streamed(client, url, query, settings), fmt)
    assert len(expected) - 1 > 3
    job = background_export(client, url, query)
    assert jobs.run_pending() >= 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    got = rows_of(downloaded(client, job), fmt)
    assert got == expected
    flat = json.dumps(got, default=str, ensure_ascii=False)
    assert not PHONE_RE.search(flat) and not ID_RE.search(flat)
    assert not [phone for phone in WORLD_PHONES if phone in flat]


def test_the_export_file_is_readable_by_the_platform_alone(login, officer_of, world):
    import os
    import stat

    previous = os.umask(0o022)  # the usual umask, which leaves new files world-readable
    try:
        client = login(officer_of)
        job = background_export(client, reverse("members:person-export"), {"format": "xlsx"})
        jobs.run_pending()
    finally:
        os.umask(previous)
    job.refresh_from_db()
    path = Path(settings.MEDIA_ROOT) / job.result_path.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
