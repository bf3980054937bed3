"""Job handlers of the tests, registered in the test process and in the worker processes the tests start
(`tests.multiprocess.job_workers` imports this module)."""

import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from qiaojia.jobs import services
from qiaojia.notifications.models import Notification

ran: list[int] = []  # the jobs `echo` ran in this process


@services.register("tests.echo")
def echo(job, progress):
    """Three steps, then a result file (written as the older handlers write theirs: a name under MEDIA_ROOT)."""
    for n in range(1, 4):
        progress(n, 3, "step")
    if job.params.get("fail"):
        raise ValueError("cannot reach 13812341234 or 410102198001010012")
    relative = f"jobs/{job.pk}.txt"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("done")
    job.result_path, job.result_name = relative, "echo.txt"
    ran.append(job.pk)


@services.register("tests.slow_write")
def slow_write(job, progress):
    """Writes rows and a file in its transaction, says so, then waits (to be killed) for up to a minute."""
    with transaction.atomic():
        for n in range(3):
            Notification.objects.create(recipient=job.owner, kind="tests.slow_write", subject=f"row {n}")
        (services.job_workdir(job) / "result.csv").write_text("half of it")
        progress(1, 3, "written")
        deadline = time.monotonic() + job.params.get("seconds", 60)
        while time.monotonic() < deadline:
            time.sleep(0.05)
        progress(3, 3, "")
