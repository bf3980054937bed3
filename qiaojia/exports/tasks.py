"""The background export: the job handler that writes a long list to a file for the user who asked,
registered with the jobs mechanism, and the purge of expired files the workers run between jobs."""

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiaojia.core.files import open_private
from qiaojia.core.pages import count_capped
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job
from qiaojia.notifications.services import notify

from . import notices
from .formats import CHUNK_SIZE, export_write
from .services import EXPORT_DIR, EXPORT_KIND, export_purge_expired, keep_hours
from .sources import ExportSource, export_source

# The job's own estimate of the total, for the progress bar: capped too, far above any real list.
ESTIMATE_CAP = 5_000_000
NOTIFICATION_KIND = notices.EXPORT_READY.code

log = logging.getLogger(__name__)


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
    hours = keep_hours()
    try:
        notify(
            notices.EXPORT_READY,
            user=job.owner,
            url=reverse("exports:detail", args=[job.pk]),
            params={"source": source.name, "rows": rows, "hours": hours},
        )
    except Exception:  # noqa: BLE001 - the file is written; a notice that failed must not fail the export
        log.warning("export job %s: the notice was not sent", job.pk)


jobs.register_cleanup(export_purge_expired)
