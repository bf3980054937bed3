"""Large exports run in the background: the same list, for the same viewer, written to a file.

A list registers its export once (`register_export`): how to build its scoped, filtered queryset
for a user from the request's GET parameters, its columns, and its label. The export view calls
`export_list(request, source)`: up to QIAOJIA_EXPORT_BACKGROUND_ROWS rows (a capped COUNT decides)
it streams as before; above, it queues an `exports.file` job that rebuilds the queryset for the same
user from the stored parameters — so scope, filters and masking are exactly the streamed export's —
writes the file under MEDIA_ROOT/exports/ with an unguessable name, and reports its progress. Only
the user who asked can download it, until it expires after QIAOJIA_EXPORT_KEEP_HOURS and is deleted.
"""

import datetime
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import get_resolver, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus

from .exports import (
    CHUNK_SIZE,
    ExportSpec,
    count_capped,
    export_filters,
    export_response,
    export_write,
    requested_format,
)
from .files import open_private
from .services import audit_export

EXPORT_KIND = "exports.file"
EXPORT_DIR = "exports"
# The job's own estimate of the total, for the progress bar: capped too, far above any real list.
ESTIMATE_CAP = 5_000_000
# The inbox names only the kinds it knows: an export's notice is a general one.
NOTIFICATION_KIND = "general"
EXPIRED = "expired"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportSource:
    """One list's export: `queryset(user, params)` returns the viewer's filtered rows (raising Http404
    when the user may not see the list), `spec(user)` its columns; `name` is the ASCII file stem and
    the registry key, `label` the translated title, `list_url` the URL name of the list itself."""

    name: str
    queryset: Callable[[Any, QueryDict], Any]
    spec: Callable[[Any], ExportSpec]
    label: Any
    list_url: str = ""


_SOURCES: dict[str, ExportSource] = {}


def register_export(
    name: str,
    *,
    queryset: Callable[[Any, QueryDict], Any],
    spec: ExportSpec | Callable[[Any], ExportSpec],
    label: Any,
    list_url: str = "",
) -> ExportSource:
    """Register a list's export under `name` (done by the module defining the list's views)."""
    spec_for = spec if callable(spec) else (lambda user, fixed=spec: fixed)
    source = ExportSource(name=name, queryset=queryset, spec=spec_for, label=label, list_url=list_url)
    _SOURCES[name] = source
    return source


def export_source(name: str) -> ExportSource:
    if name not in _SOURCES:
        # A `run_jobs` process has not imported the views that register the sources: the URLconf does.
        get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    try:
        return _SOURCES[name]
    except KeyError:
        raise Http404 from None


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
    return redirect("jobs:export-detail", pk=job.pk)


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


@jobs.register(EXPORT_KIND)
def _export_job(job: Job, progress: jobs.Progress) -> None:
    params = job.params
    fmt = params.get("format") if params.get("format") in ("csv", "xlsx") else "csv"
    try:
        source = export_source(params.get("name", ""))
    except Http404:
        raise jobs.JobError(_("The export failed.")) from None
    partial = None
    try:
        with translation.override(params.get("language") or settings.LANGUAGE_CODE):
            try:
                # The user's scope is read again now: one who lost access to the list gets nothing.
                queryset = source.queryset(job.owner, QueryDict(params.get("query", "")))
            except Http404:
                raise jobs.JobError(_("This list is no longer open to you: nothing was exported.")) from None
            spec = source.spec(job.owner)
            total = count_capped(queryset, ESTIMATE_CAP)
            progress(0, total)
            title = str(source.label)
            relative = f"{EXPORT_DIR}/{secrets.token_urlsafe(18)}.{fmt}"
            path = Path(settings.MEDIA_ROOT) / relative
            partial = path.with_name(path.name + ".partial")
            with open_private(partial) as out:
                done = export_write(
                    queryset,
                    spec,
                    fmt,
                    out,
                    title=title,
                    chunk_size=CHUNK_SIZE,
                    progress=lambda n: progress(n, max(total, n)),
                )
            partial.replace(path)
            partial = None
            stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
            job.result_path, job.result_name = relative, f"{title}-{stamp}.{fmt}"
            progress(done, done)
            _notify_ready(job, source, done)
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
        _forget_filters(job)


def _forget_filters(job: Job) -> None:
    """The filters (a searched name or phone number) are needed only while the file is written."""
    if "query" in job.params:
        job.params = {k: v for k, v in job.params.items() if k != "query"}
        Job.objects.filter(pk=job.pk).update(params=job.params)


def _notify_ready(job: Job, source: ExportSource, rows: int) -> None:
    from qiaojia.notifications.services import notify

    hours = keep_hours()
    try:
        notify(
            NOTIFICATION_KIND,
            user=job.owner,
            url=reverse("jobs:export-detail", args=[job.pk]),
            subject=lambda user: _("Your export “%(name)s” is ready") % {"name": source.label},
            body=lambda user: (
                _("%(rows)s rows. Download it within %(hours)s hours; it is deleted then.")
                % {"rows": rows, "hours": hours}
            ),
        )
    except Exception:  # noqa: BLE001 - the file is written; a notice that failed must not fail the export
        log.warning("export job %s: the notice was not sent", job.pk)


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


jobs.register_cleanup(export_purge_expired)
