from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

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


# Kinds whose result files their own app serves, with its own checks: the export's expiry.
SERVED_ELSEWHERE = {"exports.file"}


@login_required
def job_result(request, pk: int):
    """The job's result file, read through its storage, for its owner only."""
    job = selectors.job_get(viewer=request.user, pk=pk)
    if job.kind in SERVED_ELSEWHERE:
        raise Http404
    if not job.result_path or not job.result_path.storage.exists(job.result_path.name):
        raise Http404
    filename = job.result_name or job.result_path.name.rsplit("/", 1)[-1]
    response = FileResponse(job.result_path.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
