"""`manage.py retention`: orphan uploads, export files, import stashes, meeting sign-in details and audit rows
past their periods are deleted and counted; the dry run counts the same and changes nothing."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from qiaojia.core.auditlock import audit_maintenance, audit_rows
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.retention import check_audit_retention, retention_run
from qiaojia.core.services import audit_operation
from qiaojia.exports import services as export_jobs
from qiaojia.imports import services as import_services
from qiaojia.imports.models import MemberImport
from qiaojia.imports.reading import stored_path
from qiaojia.imports.stash import stash_path
from qiaojia.imports.tests.conftest import csv_upload, read_upload
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus
from qiaojia.meetings import services as meeting_services
from qiaojia.meetings.models import Participant, SignInMethod
from qiaojia.meetings.tests.world import jpeg_upload, make_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _age(path: Path, days: float) -> Path:
    then = (timezone.now() - days * DAY).timestamp()
    os.utime(path, (then, then))
    return path


def _file(media: Path, relative: str, *, days: float) -> Path:
    path = media / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"content of " + relative.encode())
    return _age(path, days)


def _counts(**options) -> dict[str, int]:
    return {rule.name: count for rule, count in retention_run(**options)}


# --- each kind ----------------------------------------------------------------------------------------------


@pytest.fixture
def photos(federation, media):
    meeting = make_meeting(None, starts_at=timezone.now())
    kept = meeting_services.photo_add(meeting=meeting, uploaded=jpeg_upload(), caption="會議現場")
    _age(media / kept.file.name, 30)
    return {
        "referenced": media / kept.file.name,
        "orphan": _file(media, "meetings/photos/0123456789abcdef.jpg", days=2),
        "orphan_cycle": _file(media, "cycle/fedcba9876543210.pdf", days=2),
        "orphan_activity": _file(media, "activities/photos/aaaa.jpg", days=2),
        "orphan_news": _file(media, "news/images/bbbb.jpg", days=2),
        "in_flight": _file(media, "meetings/photos/fresh.jpg", days=0.1),  # its row is not committed yet
        "unknown_folder": _file(media, "somewhere/else.txt", days=400),
        "kept_cache": _file(media, "cache/compilation/1-zh-hans-abc.pdf", days=400),
    }


def test_files_nothing_refers_to_are_deleted_after_the_grace(photos):
    assert _counts()["orphan_files"] == 4
    gone = {"orphan", "orphan_cycle", "orphan_activity", "orphan_news"}
    assert {name for name, path in photos.items() if not path.exists()} == gone


@pytest.fixture
def export_files(staff_user, media):
    owner = staff_user

    def export(hours_ago: float) -> tuple[Job, Path]:
        job = jobs.job_enqueue(kind=export_jobs.EXPORT_KIND, owner=owner, params={"name": "members.people"})
        path = _file(media, f"{export_jobs.EXPORT_DIR}/{job.pk}-token.csv", days=hours_ago / 24)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.SUCCEEDED,
            result_path=f"exports/{path.name}",
            finished_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        )
        return job, path

    return {"expired": export(25), "fresh": export(1)}


def test_export_files_are_deleted_after_their_keep_hours(export_files):
    assert _counts()["export_files"] == 1
    (expired, expired_path), (fresh, fresh_path) = export_files["expired"], export_files["fresh"]
    assert not expired_path.exists() and fresh_path.exists()
    assert Job.objects.get(pk=expired.pk).result_path == "" and Job.objects.get(pk=fresh.pk).result_path


@pytest.fixture
def import_stashes(officer_of, business_association):
    def upload(days_ago: float) -> MemberImport:
        imp = read_upload(officer_of, business_association, csv_upload([["姓名", "手機"], ["王芳", "13812341235"]]))
        imp = import_services.import_map(imp=imp, mapping={"0": "name", "1": "phone"}, consent=False)
        jobs.run_pending()  # the check keeps its stash
        MemberImport.objects.filter(pk=imp.pk).update(created_at=timezone.now() - days_ago * DAY)
        return MemberImport.objects.get(pk=imp.pk)

    fresh = upload(0)  # first: an upload purges the expired ones itself
    return {"expired": upload(2), "fresh": fresh}


def test_import_uploads_and_their_stashes_are_deleted_after_their_keep_hours(import_stashes):
    expired, fresh = import_stashes["expired"], import_stashes["fresh"]
    files = {name: (stored_path(imp.upload.name), stash_path(imp.upload.name)) for name, imp in import_stashes.items()}
    assert all(path.exists() for pair in files.values() for path in pair)  # the upload and the check's stash
    assert _counts()["import_stashes"] == 1
    assert not any(path.exists() for path in files["expired"])
    assert all(path.exists() for path in files["fresh"])
    assert MemberImport.objects.get(pk=expired.pk).upload.name == ""
    assert MemberImport.objects.get(pk=fresh.pk).upload.name == fresh.upload.name


@pytest.fixture
def sign_ins(federation, staff_user):
    long_ago = timezone.now() - 400 * DAY
    old = make_meeting(None, title="2024年度工作會議", starts_at=long_ago)
    recent = make_meeting(None, title="2025年度工作會議", starts_at=timezone.now() - 30 * DAY)

    def participant(meeting, name, method=None):
        p = meeting_services.participant_add(meeting=meeting, data={"name": name})
        if method is not None:
            meeting_services.participant_sign_in(
                participant=p, method=method, by_user=staff_user, at=meeting.starts_at + datetime.timedelta(minutes=17)
            )
        return p

    return {
        "old_signed": participant(old, "王芳", SignInMethod.STAFF),
        "old_absent": participant(old, "李明"),
        "recent_signed": participant(recent, "張偉", SignInMethod.MEETING_LINK),
    }


def test_meeting_sign_ins_are_reduced_to_attendance_after_their_period(sign_ins):
    recent_before = Participant.objects.get(pk=sign_ins["recent_signed"].pk)
    assert _counts()["meeting_sign_ins"] == 1
    old = Participant.objects.select_related("meeting").get(pk=sign_ins["old_signed"].pk)
    assert old.signed_in_at == old.meeting.starts_at  # still present, the minute of arrival forgotten
    assert old.signed_in_method == "" and old.signed_in_by is None
    assert Participant.objects.get(pk=sign_ins["old_absent"].pk).signed_in_at is None
    recent = Participant.objects.get(pk=sign_ins["recent_signed"].pk)
    assert (recent.signed_in_at, recent.signed_in_method, recent.signed_in_by_id) == (
        recent_before.signed_in_at,
        SignInMethod.MEETING_LINK,
        recent_before.signed_in_by_id,
    )
    assert _counts()["meeting_sign_ins"] == 0  # a second run finds nothing left to reduce


def _audit(days_ago: int) -> AuditEntry:
    entry = audit_operation(
        action=AuditAction.UPDATE, object_type="test.thing", object_repr=f"{days_ago} days ago", changes={}
    )
    with audit_maintenance():
        audit_rows().filter(pk=entry.pk).update(at=timezone.now() - days_ago * DAY)
    return entry


@pytest.fixture
def audit_trail(db):
    return {"old": _audit(1100), "older": _audit(2000), "young": _audit(1000)}


def test_audit_rows_older_than_the_retention_are_deleted_and_the_run_is_audited(audit_trail, settings):
    assert _counts()["audit_trail"] == 2
    left = set(AuditEntry.objects.filter(object_type="test.thing").values_list("pk", flat=True))
    assert left == {audit_trail["young"].pk}
    run = AuditEntry.objects.get(object_type="core.retention")
    assert run.action == AuditAction.DELETE and run.changes["audit_trail"] == 2
    settings.QIAOJIA_AUDIT_RETENTION_DAYS = 183
    assert _counts()["audit_trail"] == 1


# --- the dry run and the command ----------------------------------------------------------------------------


def _state(media: Path):
    files = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    return (
        files,
        list(Job.objects.order_by("pk").values_list("result_path", "message")),
        list(MemberImport.objects.order_by("pk").values_list("upload", "message")),
        list(Participant.objects.order_by("pk").values_list("signed_in_at", "signed_in_method", "signed_in_by")),
        list(AuditEntry.objects.order_by("pk").values_list("pk", "at", "actor_username")),
    )


def test_the_dry_run_counts_what_the_run_deletes_and_changes_nothing(
    photos, export_files, import_stashes, sign_ins, audit_trail, media
):
    before = _state(media)
    planned = _counts(dry_run=True)
    assert _state(media) == before
    assert planned == {
        "export_files": 1,
        "import_stashes": 1,
        "meeting_sign_ins": 1,
        "orphan_files": 4,
        "audit_trail": 2,
    }
    assert _counts() == planned


def test_the_command_reports_each_kind(photos, audit_trail, media):
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "files nothing refers to: 4 to delete" in report and "audit rows: 2 to delete" in report
    assert "Dry run: 6 would be deleted, nothing was changed." in report and photos["orphan"].exists()
    call_command("retention", stdout=out)
    assert "6 deleted." in out.getvalue() and not photos["orphan"].exists()


# --- the floor of the audit trail's retention -----------------------------------------------------------


@pytest.mark.parametrize("days, errors", [(182, ["qiaojia.E183"]), (183, []), (1095, [])])
def test_an_audit_retention_under_six_months_is_a_system_check_error(settings, days, errors):
    settings.QIAOJIA_AUDIT_RETENTION_DAYS = days
    assert [error.id for error in check_audit_retention()] == errors
    if errors:  # registered: `manage.py check` (and so every command and the server) stops on it
        with pytest.raises(SystemCheckError, match="qiaojia.E183"):
            call_command("check")
    else:
        call_command("check", stdout=io.StringIO())


def test_the_default_audit_retention_is_three_years():
    assert django_settings.QIAOJIA_AUDIT_RETENTION_DAYS == 1095


def test_the_retention_run_refuses_a_too_short_audit_retention_and_deletes_nothing(audit_trail, photos, settings):
    settings.QIAOJIA_AUDIT_RETENTION_DAYS = 30
    with pytest.raises(ImproperlyConfigured):
        retention_run()
    assert all(AuditEntry.objects.filter(pk=e.pk).exists() for e in audit_trail.values())
    assert photos["orphan"].exists()
