import pytest
from django.urls import reverse

from qiaojia.accounts.models import Role
from qiaojia.jobs import services
from qiaojia.jobs.models import Job, JobStatus

calls = []


@services.register("tests.echo")
def _echo(job, progress):
    for n in range(1, 4):
        progress(n, 3, "step")
    if job.params.get("fail"):
        raise ValueError("cannot reach 13812341234 or 410102198001010012")
    path = f"jobs/{job.pk}.txt"
    from pathlib import Path

    from django.conf import settings

    target = Path(settings.MEDIA_ROOT) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("done")
    job.result_path, job.result_name = path, "echo.txt"
    calls.append(job.pk)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.QIAOJIA_JOBS_THREAD = False


def test_a_job_runs_to_the_end_and_reports_progress(officer_of, login):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    assert job.status == JobStatus.QUEUED
    assert services.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (3, 3) and job.finished_at
    client = login(officer_of)
    response = client.get(reverse("jobs:job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'value="100"' in response.content
    assert b"hx-trigger" not in response.content  # finished: polling stops
    download = client.get(reverse("jobs:job-result", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"done"


def test_a_running_job_fragment_polls_every_second(officer_of, login):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    response = login(officer_of).get(reverse("jobs:job-progress", args=[job.pk]) + "?next=/imports/")
    assert b'hx-trigger="every 1s"' in response.content


def test_a_failed_job_keeps_a_masked_error(officer_of):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of, params={"fail": True})
    services.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "13812341234" not in job.error and "410102198001010012" not in job.error
    assert "138****1234" in job.error


def test_a_job_is_claimed_once(officer_of):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    assert services.job_claim().pk == job.pk
    assert services.job_claim() is None
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_stale_running_job_is_marked_failed(officer_of):
    import datetime

    from django.utils import timezone

    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert services.job_reap_stale() == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_only_the_owner_sees_a_job(officer_of, make_user, login, other_association):
    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    services.run_pending()
    other = make_user("officer_c", Role.OFFICER, associations=[other_association])
    staff = make_user("staff_c", Role.STAFF)
    for user in (other, staff):
        client = login(user)
        assert client.get(reverse("jobs:job-progress", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:job-result", args=[job.pk])).status_code == 404


def test_run_jobs_command_runs_what_is_queued(officer_of):
    from django.core.management import call_command

    job = services.job_enqueue(kind="tests.echo", owner=officer_of)
    call_command("run_jobs", "--once")
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
