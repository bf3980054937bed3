from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from qiaojia.jobs import selectors as job_selectors
from qiaojia.jobs import services as jobs

from .formats import CONTENT_TYPES
from .services import EXPORT_KIND, export_expires_at, export_file, export_is_expired, export_list
from .sources import export_source


@login_required
def source_export(request, name: str):
    """Any registered list's export by its source's name: the source's own queryset checks who may have
    it, so an app that registers an export in its `exports.py` needs no view of its own."""
    return export_list(request, export_source(name))


def _export_job(request, pk: int):
    job = job_selectors.job_get(viewer=request.user, pk=pk)
    if job.kind != EXPORT_KIND:
        raise Http404
    return job


@login_required
def export_detail(request, pk: int):
    """A background export: its progress bar while it runs (htmx reloads the page when it ends), then
    the download link until the file expires."""
    job = _export_job(request, pk)
    try:
        source = export_source(job.params.get("name", ""))
    except Http404:
        source = None
    label = source.label if source else _("Export")
    done, total, message = jobs.live_progress(job)
    breadcrumb = [(reverse(source.list_url), source.label)] if source and source.list_url else []
    response = render(
        request,
        "exports/detail.html",
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
            "available": export_file(job) is not None,
            "expired": export_is_expired(job),
            "expires_at": export_expires_at(job),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_download(request, pk: int):
    """The export's file, for the user who asked for it only, while it is kept."""
    job = _export_job(request, pk)
    path = export_file(job)
    if path is None:
        raise Http404
    fmt = job.params.get("format", "csv")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=job.result_name or path.name, content_type=CONTENT_TYPES.get(fmt)
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
