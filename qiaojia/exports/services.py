"""Large exports run in the background: the same list, for the same viewer, written to a file.

A list registers its export once, in its app's `exports.py` (`sources.register_export`): how to build
its scoped, filtered queryset for a user from the request's GET parameters, its columns, and its label.
The export view calls `export_list(request, source)`: up to QIAOJIA_EXPORT_BACKGROUND_ROWS rows (a
capped COUNT decides) it streams as before; above, it queues an `exports.file` job that rebuilds the
queryset for the same user from the stored parameters — so scope, filters and masking are exactly the
streamed export's — writes the file under MEDIA_ROOT/exports/ with an unguessable name, and reports its
progress. Only the user who asked can download it, until it expires after QIAOJIA_EXPORT_KEEP_HOURS and
is deleted.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone, translation

from qiaojia.core.pages import count_capped
from qiaojia.core.services import audit_export
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus

from .formats import export_filters, export_response, requested_format
from .sources import ExportSource

EXPORT_KIND = "exports.file"
EXPORT_DIR = "exports"
EXPIRED = "expired"


def background_threshold() -> int:
    return getattr(settings, "QIAOJIA_EXPORT_BACKGROUND_ROWS", 20_000)


def keep_hours() -> int:
    return getattr(settings, "QIAOJIA_EXPORT_KEEP_HOURS", 24)


def export_expires_at(job: Job) -> datetime.datetime | None:
    return job.finished_at + datetime.timedelta(hours=keep_hours()) if job.finished_at else None


def export_is_expired(job: Job) -> bool:
    expires = export_expires_at(job)
    return expires is not None and expires <= timezone.now()


def export_list(request, source: ExportSource):
    """The export of a list: streamed when small, otherwise queued; the user is sent to its progress page."""
    queryset = source.queryset(request.user, request.GET)
    threshold = background_threshold()
    if count_capped(queryset, threshold) <= threshold:
        return export_response(
            request, queryset=queryset, columns=source.spec(request.user), name=source.name, label=source.label
        )
    audit_export(
        name=source.name,
        label=str(source.label),
        filters=export_filters(request.GET),
        fmt=requested_format(request),
        background=True,
    )
    job = export_enqueue(
        owner=request.user,
        source=source,
        filters=export_filters(request.GET),
        fmt=requested_format(request),
        language=translation.get_language(),
    )
    return redirect("exports:detail", pk=job.pk)


def export_enqueue(*, owner, source: ExportSource, filters: str, fmt: str, language: str | None) -> Job:
    """Queue the export of `source` for `owner` with the list's GET filters (a query string)."""
    export_purge_expired()
    with transaction.atomic():
        return jobs.job_enqueue(
            kind=EXPORT_KIND,
            owner=owner,
            params={
                "name": source.name,
                "query": filters,
                "format": fmt,
                "language": language or settings.LANGUAGE_CODE,
            },
        )


def export_file(job: Job) -> Path | None:
    """The finished export's file, for its owner (the caller has checked that), while it is kept."""
    if job.kind != EXPORT_KIND or job.status != JobStatus.SUCCEEDED or export_is_expired(job):
        return None
    return jobs.result_file(job)


def export_purge_expired(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the files of exports older than QIAOJIA_EXPORT_KEEP_HOURS, and files a crash left half-written.
    Returns how many export files expired (with `dry_run`, would expire: nothing is changed)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=keep_hours())
    stale = Job.objects.filter(kind=EXPORT_KIND, finished_at__lt=cutoff).exclude(result_path="")
    if dry_run:
        return stale.count()
    count = 0
    for pk, relative in stale.values_list("pk", "result_path"):
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)
        Job.objects.filter(pk=pk).update(result_path="", message=EXPIRED)
        count += 1
    # A job whose process died kept its filters: they go too.
    for pk, params in Job.objects.filter(kind=EXPORT_KIND, created_at__lt=cutoff, params__has_key="query").values_list(
        "pk", "params"
    ):
        Job.objects.filter(pk=pk).update(params={k: v for k, v in params.items() if k != "query"})
    folder = Path(settings.MEDIA_ROOT) / EXPORT_DIR
    if folder.is_dir():
        for partial in folder.glob("*.partial"):
            if partial.stat().st_mtime < cutoff.timestamp():
                partial.unlink(missing_ok=True)
    return count
