"""Real worker processes of the task framework, on the test's database: a job run to the end by RQ's
worker against Redis, and a database worker killed in the middle of a job."""

import os
import signal
import time

import django_rq
import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from qiaojia.jobs import live, services
from qiaojia.jobs.models import Job, JobStatus
from qiaojia.jobs.tasks import job_task
from qiaojia.notifications.models import Notification

from . import handlers  # noqa: F401 - the handlers the workers run

# A Redis database of the tests' own (the test empties its queue). CI starts Redis (.ci/run).
REDIS_URL = os.environ.get("QIAOJIA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAIT_S = 60


def _wait_for(predicate, process, what: str):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if predicate():
            return
        if process.poll() is not None and not predicate():
            raise AssertionError(f"the worker exited before {what}:\n{process.log.read_text()[-3000:]}")
        time.sleep(0.1)
    raise AssertionError(f"no {what} in {WAIT_S} s:\n{process.log.read_text()[-3000:]}")


def test_the_rq_backend_runs_a_job_in_an_rq_worker_process(job_workers, officer_of, settings, login):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    django_rq.get_queue("default").empty()
    client = login(officer_of)
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)  # committed: sent to Redis at once
    assert job.task_id and job_task.get_result(job.task_id).status == "READY"
    worker = job_workers("run_jobs", "--once", QIAOJIA_TASKS_BACKEND="rq", QIAOJIA_REDIS_URL=REDIS_URL)
    assert worker.wait(timeout=WAIT_S) == 0, worker.log.read_text()[-3000:]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (3, 3), worker.log.read_text()[-3000:]
    assert job_task.get_result(job.task_id).status == "SUCCESSFUL"
    download = client.get(reverse("jobs:job-result", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"done"


def test_a_worker_killed_in_the_middle_of_a_job_leaves_it_failed_and_nothing_half_written(
    job_workers, officer_of, settings, login
):
    lease = {"QIAOJIA_JOB_LEASE_SECONDS": "2", "QIAOJIA_JOB_HEARTBEAT_SECONDS": "0.5"}
    settings.QIAOJIA_JOB_LEASE_SECONDS = 2
    client = login(officer_of)
    job = services.job_enqueue(kind="tests.slow_write", owner=officer_of)
    worker = job_workers("run_jobs", **lease)
    progress_url = reverse("jobs:job-progress", args=[job.pk])
    # The page shows the worker's progress while its transaction (rows, the write lock on SQLite) is open.
    _wait_for(lambda: b'value="33"' in client.get(progress_url).content, worker, "progress on the page")
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    workdir = live.folder() / str(job.pk)
    assert (workdir / "result.csv").is_file()

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert b'data-status="running"' in client.get(progress_url).content  # within the lease: not yet known
    time.sleep(2.5)
    assert b'data-status="failed"' in client.get(progress_url).content  # the page reaped it
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == services.interrupted_message(job)
    assert not Notification.objects.filter(kind="tests.slow_write").exists()  # rolled back with the worker
    assert not workdir.exists() and live.read(job.pk) is None
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"

    # A new worker runs the next job as usual.
    after = services.job_enqueue(kind="tests.echo", owner=officer_of)
    second = job_workers("run_jobs", "--once", **lease)
    assert second.wait(timeout=WAIT_S) == 0, second.log.read_text()[-3000:]
    assert Job.objects.get(pk=after.pk).status == JobStatus.SUCCEEDED


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
