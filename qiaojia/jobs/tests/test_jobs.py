import datetime
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qiaojia.accounts.models import Role
from qiaojia.jobs import live, services
from qiaojia.jobs.models import Job, JobStatus
from qiaojia.jobs.tasks import job_task

from . import handlers


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_job_runs_through_the_task_framework_to_the_end(officer_of, login):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    assert job.status == JobStatus.QUEUED and job.task_id
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.task_path == "qiaojia.jobs.tasks.job_task" and task.args_kwargs["args"] == [job.pk]
    assert services.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (3, 3) and job.finished_at
    result = job_task.get_result(job.task_id)
    assert result.status == "SUCCESSFUL" and result.return_value is True
    assert job.result_path.name == f"jobs/{job.pk}.txt" and services.result_file(job).read_text() == "done"
    client = login(officer_of)
    response = client.get(reverse("jobs:job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'value="100"' in response.content
    assert b"hx-trigger" not in response.content  # finished: polling stops
    download = client.get(reverse("jobs:job-result", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"done"
    assert 'filename="echo.txt"' in download["Content-Disposition"]


def test_a_job_queued_in_a_transaction_that_rolls_back_never_runs(officer_of):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.job_enqueue(kind="tests.echo", owner=officer_of)
        raise RuntimeError
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()
    assert services.run_pending() == 0


def test_a_running_job_fragment_polls_every_second(officer_of, login):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    response = login(officer_of).get(reverse("jobs:job-progress", args=[job.pk]) + "?next=/imports/")
    assert b'hx-trigger="every 1s"' in response.content


def test_progress_is_read_from_the_live_record_while_the_job_runs(officer_of, login):
    """The handler's transaction is open: the page reads what the worker wrote outside it."""
    client = login(officer_of)
    seen = []

    @services.register("tests.watched")
    def watched(job, progress):
        progress(2, 8, "half way there")
        response = client.get(reverse("jobs:job-progress", args=[job.pk]))
        seen.append(response.content.decode())

    job = services.job_enqueue(kind="tests.watched", owner=officer_of)
    assert services.run_pending() == 1
    assert 'value="25"' in seen[0] and "half way there" in seen[0] and 'data-status="running"' in seen[0]
    assert live.read(job.pk) is None  # removed once the row has the final figures


def test_a_failed_job_keeps_a_masked_error(officer_of):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of, params={"fail": True})
    services.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "13812341234" not in job.error and "410102198001010012" not in job.error
    assert "138****1234" in job.error


def test_a_job_is_claimed_once_and_its_task_then_does_nothing(officer_of):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    assert services.job_claim().pk == job.pk
    assert services.job_claim() is None
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    services.job_run(services.Job.objects.get(pk=job.pk))
    handlers.ran.clear()
    assert services.run_pending() == 0  # the task came after the job had run: not run twice
    assert handlers.ran == [] and job_task.get_result(job.task_id).return_value is False


def test_a_running_job_whose_worker_stopped_beating_is_marked_failed(officer_of, settings, login):
    settings.QIAOJIA_JOB_LEASE_SECONDS = 30
    dead = services.job_enqueue(kind="tests.echo", owner=officer_of)
    alive = services.job_enqueue(kind="tests.echo", owner=officer_of)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Job.objects.filter(pk__in=[dead.pk, alive.pk]).update(status=JobStatus.RUNNING, started_at=long_ago)
    live.write(dead.pk, 1, 3, "")
    beat = time.time() - 31  # its last heartbeat, just older than the lease
    (live.folder() / f"{dead.pk}.json").write_text(f'{{"done": 1, "total": 3, "message": "", "beat": {beat}}}')
    live.write(alive.pk, 2, 3, "")  # beating
    workdir = services.job_workdir(Job.objects.get(pk=dead.pk))
    (workdir / "half.csv").write_text("half")
    assert services.job_reap_stale() == 1
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.error == services.interrupted_message(dead) and dead.finished_at
    assert not workdir.exists() and live.read(dead.pk) is None
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING
    # The page that shows a job's progress reaps it too, once its heartbeat is older than the lease.
    (live.folder() / f"{alive.pk}.json").write_text('{"done": 2, "total": 3, "message": "", "beat": 0}')
    response = login(officer_of).get(reverse("jobs:job-progress", args=[alive.pk]))
    assert b'data-status="failed"' in response.content


def test_only_the_owner_sees_a_job(officer_of, make_user, login, other_association):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    services.run_pending()
    other = make_user("officer_c", Role.OFFICER, associations=[other_association])
    staff = make_user("staff_c", Role.STAFF)
    for user in (other, staff):
        client = login(user)
        assert client.get(reverse("jobs:job-progress", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:job-result", args=[job.pk])).status_code == 404


def test_a_result_file_gone_from_the_storage_is_not_found(officer_of, login):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    services.run_pending()
    job.refresh_from_db()
    job.result_path.storage.delete(job.result_path.name)
    assert services.result_file(job) is None
    assert login(officer_of).get(reverse("jobs:job-result", args=[job.pk])).status_code == 404


def test_a_queued_job_whose_task_ended_without_it_is_marked_failed(officer_of, settings, login):
    """Its worker died between claiming the task and claiming the job: the page does not wait for ever."""
    settings.QIAOJIA_JOB_LEASE_SECONDS = 30
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    client = login(officer_of)
    assert b'data-status="queued"' in client.get(reverse("jobs:job-progress", args=[job.pk])).content
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert b'data-status="queued"' in client.get(reverse("jobs:job-progress", args=[job.pk])).content  # still ready
    DBTaskResult.objects.filter(id=job.task_id).update(status="FAILED")
    assert b'data-status="failed"' in client.get(reverse("jobs:job-progress", args=[job.pk])).content
    assert services.run_pending() == 0
