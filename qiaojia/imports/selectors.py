"""Reads of imports: a user sees only their own, and only while they may still import into its association."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qiaojia.accounts import scope
from qiaojia.jobs.models import Job, JobStatus

from .models import READ_KIND, MemberImport
from .permissions import can_import


def import_list(*, viewer) -> QuerySet[MemberImport]:
    if not can_import(viewer):
        raise Http404
    qs = MemberImport.objects.filter(owner_id=viewer.pk).select_related("association", "job")
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    return qs


def import_get(*, viewer, pk: int) -> MemberImport:
    imp = import_list(viewer=viewer).select_related("owner").filter(pk=pk).first()
    if imp is None:
        raise Http404
    return imp


def upload_list(*, viewer) -> QuerySet[Job]:
    """The viewer's uploaded files as they are read (the jobs that read them), under the same rule."""
    if not can_import(viewer):
        raise Http404
    qs = Job.objects.filter(kind=READ_KIND, owner_id=viewer.pk).select_related("association")
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    return qs


def upload_recent(*, viewer) -> QuerySet[Job]:
    """Uploads still being read, and those refused within the hours an upload is kept."""
    hours = getattr(settings, "QIAOJIA_IMPORT_KEEP_HOURS", 24)
    since = timezone.now() - datetime.timedelta(hours=hours)
    return upload_list(viewer=viewer).filter(
        Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]) | Q(status=JobStatus.FAILED, finished_at__gte=since)
    )


def upload_get(*, viewer, pk: int) -> Job:
    job = upload_list(viewer=viewer).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
