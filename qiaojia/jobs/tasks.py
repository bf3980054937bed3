"""The one task of the task framework that runs jobs: `job_task(job id)` runs the job's registered handler.

Handlers stay plain functions of `(job, progress)` registered by kind in each app's `tasks.py`; the task
finds the handler from the job's kind. Each worker, before a job, marks failed the jobs whose worker died
(`services.job_reap_stale`) and runs the housekeeping registered with `register_cleanup`."""

from django_tasks import task

from . import services


@task()
def job_task(job_id: int) -> bool:
    """Run job `job_id` unless it was run already (or is running elsewhere); True when it ran here."""
    services.job_reap_stale()
    services.run_cleanups()
    job = services.job_claim(job_id)
    if job is None:
        return False
    services.job_run(job)
    return True
