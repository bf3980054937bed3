from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from qiaojia.core import export_jobs
from qiaojia.core.exports import CONTENT_TYPES

from . import selectors, services


@login_required
def job_progress(request, pk: int):
    """A small fragment polled by htmx every second while the job runs; when it ends, htmx is sent
    on to `next` (a local URL) if one was given."""
    job = selectors.job_get(viewer=request.user, pk=pk)
    done, total, message = services.live_progress(job)
    percent = min(100, int(done * 100 / total)) if total else (100 if job.is_finished else 0)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) or not next_url.startswith(
        "/"
    ):
        next_url = ""
    response = render(
        request,
        "jobs/_progress.html",
        {
            "job": job,
            "done": done,
            "total": total,
            "message": message,
            "percent": percent,
            "next_url": next_url,
        },
    )
    response["Cache-Control"] = "no-store"
    if job.is_finished and next_url and request.headers.get("HX-Request"):
        response["HX-Redirect"] = next_url
    return response


@login_required
def job_result(request, pk: int):
    """The job's result file, read through its storage, for its owner only."""
    job = selectors.job_get(viewer=request.user, pk=pk)
    if job.kind == export_jobs.EXPORT_KIND and export_jobs.export_file(job) is None:
        raise Http404
    if not job.result_path or not job.result_path.storage.exists(job.result_path.name):
        raise Http404
    filename = job.result_name or job.result_path.name.rsplit("/", 1)[-1]
    response = FileResponse(job.result_path.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def _export_job(request, pk: int):
    job = selectors.job_get(viewer=request.user, pk=pk)
    if job.kind != export_jobs.EXPORT_KIND:
        raise Http404
    return job


@login_required
def export_detail(request, pk: int):
    """A background export: its progress bar while it runs (htmx reloads the page when it ends), then
    the download link until the file expires."""
    job = _export_job(request, pk)
    try:
        source = export_jobs.export_source(job.params.get("name", ""))
    except Http404:
        source = None
    label = source.label if source else _("Export")
    done, total, message = services.live_progress(job)
    breadcrumb = [(reverse(source.list_url), source.label)] if source and source.list_url else []
    response = render(
        request,
        "jobs/export_detail.html",
        {
            "job": job,
            "title": _("Export of %(name)s") % {"name": label},
            "breadcrumb": breadcrumb,
            "done": done,
            "total": total,
            "message": message,
            "percent": min(100, int(done * 100 / total)) if total else 0,
            "next_url": request.path,
            # A handler's own message is meant for the user; a crash's trace is not.
            "error": job.error if job.error and "\n" not in job.error else _("The export failed."),
            "format": job.params.get("format", "csv"),
            "available": export_jobs.export_file(job) is not None,
            "expired": export_jobs.export_is_expired(job),
            "expires_at": export_jobs.export_expires_at(job),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_download(request, pk: int):
    """The export's file, for the user who asked for it only, while it is kept."""
    job = _export_job(request, pk)
    path = export_jobs.export_file(job)
    if path is None:
        raise Http404
    fmt = job.params.get("format", "csv")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=job.result_name or path.name, content_type=CONTENT_TYPES.get(fmt)
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
