"""Reads of jobs: only the owner sees a job; anyone else gets a 404."""

from django.http import Http404

from .models import Job


def job_get(*, viewer, pk: int) -> Job:
    if not viewer.is_authenticated:
        raise Http404
    job = Job.objects.filter(pk=pk, owner_id=viewer.pk).first()
    if job is None:
        raise Http404
    return job
