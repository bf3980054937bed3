"""Background jobs on Django's task framework (django-tasks; `django.tasks` from Django 6).

What a user sees is a `Job`: who asked, for which association, how far it is, its result file or its error.
What runs it is a task: `job_enqueue` writes the job and enqueues `qiaojia.jobs.tasks.job_task(job id)` on
the configured backend (`TASKS`), whose workers run it (`manage.py run_jobs`: the database backend's
`db_worker`, or RQ's `rqworker` with QIAOJIA_TASKS_BACKEND=rq). No web process runs a job.

- Handlers register by kind from their app's `tasks.py` (`@register("cycle.compile")`), which the jobs app
  imports at start-up for every installed QiaoJia app (`JobsConfig.ready`), in web and worker processes alike.
- With the database backend the task row is written in the caller's transaction: workers see it when that
  commits, and a rollback takes it away with the job. With RQ it is sent to Redis once the transaction
  has committed.
- A job is claimed with a compare-and-set on its row (`queued` -> `running`), so a task delivered twice, or
  a job already run in this process (`job_claim` + `job_run`, as the benchmarks do), runs once.
- Progress and the worker's heartbeat go where web processes can read them while the handler's transaction
  is open (`live.py`). A running job that has not beaten for QIAOJIA_JOB_LEASE_SECONDS lost its worker: it is
  marked failed by the next worker to start a job or by the page that shows its progress (`job_reap`).
  Its transaction was rolled back by the database when the worker's connection died, and its work folder
  (`job_workdir`) is removed, so nothing half-written remains.
"""

import datetime
import logging
import os
import shutil
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from qiaojia.core import context
from qiaojia.core.files import private_dir
from qiaojia.core.masking import mask_text

from . import live
from .models import Job, JobStatus

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], None]
_HANDLERS: dict[str, Handler] = {}
_CLEANUPS: list[Callable[[], Any]] = []
_last_cleanup = 0.0
CLEANUP_EVERY_S = 60.0
# A handler may call progress thousands of times a second; the live record is written at most this often.
PROGRESS_EVERY_S = 0.25


def register(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`: `handler(job, progress)`."""

    def decorate(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return decorate


def register_cleanup(cleanup: Callable[[], Any]) -> Callable[[], Any]:
    """Register housekeeping (e.g. deleting expired result files) that workers run about once a minute."""
    if cleanup not in _CLEANUPS:
        _CLEANUPS.append(cleanup)
    return cleanup


def run_cleanups(*, force: bool = False) -> None:
    global _last_cleanup
    now = time.monotonic()
    if not force and now - _last_cleanup < CLEANUP_EVERY_S:
        return
    _last_cleanup = now
    for cleanup in _CLEANUPS:
        try:
            cleanup()
        except Exception:  # noqa: BLE001 - housekeeping must not stop the workers
            log.exception("job cleanup %s failed", getattr(cleanup, "__name__", cleanup))


def handler_for(kind: str) -> Handler:
    return _HANDLERS[kind]


def interrupted_message(job: Job) -> str:
    """What a job's owner reads when its worker died: in the owner's own language, whoever noticed it."""
    language = getattr(job.owner, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _("The work was interrupted: its worker stopped. Start it again.")


class JobError(Exception):
    """A failure the handler explains to the user in their language (the message is shown)."""


class Progress:
    """What a handler calls to report how far it is: `progress(done, total, message)`.

    Written to the live record at most every PROGRESS_EVERY_S; the job's heartbeat thread writes an update
    held back meanwhile (`tick`), and writes the progress again every QIAOJIA_JOB_HEARTBEAT_SECONDS."""

    def __init__(self, job: Job):
        self.job = job
        self._progress_at = 0.0  # the last write asked by the handler
        self._beat_at = 0.0  # the last write of any kind
        self._held = False

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        total = self.job.total if total is None else total
        self.job.done, self.job.total, self.job.message = done, total, message[:200]
        if time.monotonic() - self._progress_at >= PROGRESS_EVERY_S or done >= total:
            self._progress_at = time.monotonic()
            self.beat()
        else:
            self._held = True

    def tick(self) -> None:
        if self._held or time.monotonic() - self._beat_at >= settings.QIAOJIA_JOB_HEARTBEAT_SECONDS:
            self.beat()

    def beat(self) -> None:
        """Write the progress as it is now, which also tells that the worker is alive."""
        self._beat_at, self._held = time.monotonic(), False
        try:
            live.write(self.job.pk, self.job.done, self.job.total, self.job.message)
        except Exception:  # noqa: BLE001 - progress is best effort; the work itself must go on
            log.warning("job %s: progress not written", self.job.pk)


def job_enqueue(*, kind: str, owner, association=None, params: dict[str, Any] | None = None, total: int = 0) -> Job:
    """Queue a job; workers start it once the caller's transaction has committed."""
    if kind not in _HANDLERS:
        raise KeyError(kind)
    job = Job.objects.create(kind=kind, owner=owner, association=association, params=params or {}, total=total)
    if isinstance(_backend(), DatabaseBackend):
        _send(job)
    else:
        transaction.on_commit(lambda: _send(job))
    return job


def _backend():
    from .tasks import job_task  # tasks.py imports this module

    return task_backends[job_task.backend]


def _send(job: Job) -> None:
    from .tasks import job_task  # tasks.py imports this module

    try:
        result = job_task.enqueue(job.pk)
    except Exception:
        if isinstance(_backend(), DatabaseBackend):
            raise  # in the caller's transaction: it fails whole
        # After the commit (Redis unreachable): the job cannot wait for a task that will never come.
        log.exception("job %s could not be queued", job.pk)
        _finish(job, JobStatus.FAILED, error=_("The work could not be queued. Try again later."))
        return
    job.task_id = result.id
    Job.objects.filter(pk=job.pk).update(task_id=result.id)


def job_claim(job_id: int | None = None) -> Job | None:
    """Claim one queued job (the oldest, or `job_id`) with a compare-and-set; None when there is none."""
    candidates = Job.objects.filter(status=JobStatus.QUEUED).order_by("id")
    if job_id is not None:
        candidates = candidates.filter(pk=job_id)
    for pk in candidates.values_list("pk", flat=True)[:5]:
        claimed = Job.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
        if claimed == 1:
            return Job.objects.select_related("owner").get(pk=pk)
    return None


def job_run(job: Job) -> Job:
    """Run a job's handler in this process to the end: succeeded, or failed with a masked error. Never
    raises. A thread beats for it meanwhile (`live.py`), so that it is not taken for dead."""
    progress = Progress(job)
    progress.beat()
    stop = threading.Event()
    every = min(PROGRESS_EVERY_S, settings.QIAOJIA_JOB_HEARTBEAT_SECONDS)

    def heartbeat() -> None:
        while not stop.wait(every):
            progress.tick()

    beating = threading.Thread(target=heartbeat, name=f"job-{job.pk}-heartbeat", daemon=True)
    beating.start()
    token = context.set_current(context.ActorContext(job.owner_id, job.owner.username, None, f"job-{job.pk}"))
    try:
        handler_for(job.kind)(job, progress)
    except JobError as exc:
        _finish(job, JobStatus.FAILED, error=mask_text(str(exc)))
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the job, masked
        log.exception("job %s (%s) failed", job.pk, job.kind)
        detail = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        _finish(job, JobStatus.FAILED, error=mask_text(detail))
    else:
        _finish(job, JobStatus.SUCCEEDED)
    finally:
        context.reset(token)
        stop.set()
        beating.join()
        live.clear(job.pk)
        shutil.rmtree(_workdir_path(job), ignore_errors=True)
    return job


def _finish(job: Job, status: str, *, error: str = "") -> None:
    job.status, job.error, job.finished_at = status, error[:5000], timezone.now()
    if status == JobStatus.SUCCEEDED:
        job.done = max(job.done, job.total)
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        error=job.error,
        finished_at=job.finished_at,
        done=job.done,
        total=job.total,
        message=job.message,
        result_path=job.result_path.name or "",
        result_name=job.result_name,
    )


def _workdir_path(job: Job) -> Path:
    return live.folder() / str(job.pk)


def job_workdir(job: Job) -> Path:
    """A folder of the job's own for what it writes before it is whole (a result file is written here, then
    moved into place): removed when the job ends, and by `job_reap` when its worker died."""
    return private_dir(_workdir_path(job))


def run_pending(*, limit: int | None = None) -> int:
    """Run the tasks queued on the database backend in this process, as a `db_worker --batch` does, until
    none is ready (or `limit` jobs ran); returns how many jobs ran. The tests run queued jobs with it."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    backend = _backend()
    if not isinstance(backend, DatabaseBackend):
        raise RuntimeError("run_pending runs the database backend's queue; RQ's workers run theirs")
    run_cleanups()
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend.alias,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"inline-{os.getpid()}",
        excluded_queue_names=[],
    )
    ran = 0
    while limit is None or ran < limit:
        # The claim of `Worker.run`, without its closing of connections (a test's transaction is open).
        ready = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
        with exclusive_transaction(ready.db):
            result = ready.get_locked()
            if result is None:
                break
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += result.return_value is True
    return ran


def job_reap_stale() -> int:
    """Mark failed the running jobs whose worker stopped beating (see `job_reap`); returns how many."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.QIAOJIA_JOB_LEASE_SECONDS)
    stale = Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff).order_by("id")[:100]
    return sum(job_reap(job) for job in stale)


def job_reap(job: Job, entry: dict | None = None) -> bool:
    """A running job whose worker has not beaten for QIAOJIA_JOB_LEASE_SECONDS (killed, its machine gone)
    is marked failed, its work folder removed and, on the database backend, its task too. Its database
    writes were rolled back when the worker's connection died. `entry` is its live record if already read.
    A queued job whose task ended without starting it (its worker died between the two claims) or was lost
    (Redis emptied) is marked failed too."""
    if job.status == JobStatus.QUEUED:
        return _reap_queued(job)
    if job.status != JobStatus.RUNNING:
        return False
    entry = entry if entry is not None else live.read(job.pk)
    last = entry["beat"] if entry else (job.started_at.timestamp() if job.started_at else 0.0)
    if time.time() - last < settings.QIAOJIA_JOB_LEASE_SECONDS:
        return False
    now = timezone.now()
    error = interrupted_message(job)
    if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, finished_at=now, error=error
    ):
        return False
    log.warning("job %s (%s): its worker stopped beating; marked failed", job.pk, job.kind)
    job.status, job.finished_at, job.error = JobStatus.FAILED, now, error
    live.clear(job.pk)
    shutil.rmtree(_workdir_path(job), ignore_errors=True)
    if job.task_id and isinstance(_backend(), DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path="qiaojia.jobs.services.WorkerLost",
            traceback="The worker stopped beating: killed, or its machine gone.",
        )
    return True


def _reap_queued(job: Job) -> bool:
    from django_tasks.exceptions import TaskResultDoesNotExist

    from .tasks import job_task  # tasks.py imports this module

    lease = datetime.timedelta(seconds=settings.QIAOJIA_JOB_LEASE_SECONDS)
    if not job.task_id or job.created_at > timezone.now() - lease:
        return False
    try:
        result = job_task.get_result(job.task_id)
    except TaskResultDoesNotExist:
        pass
    else:
        running_long = result.status == "RUNNING" and result.started_at and result.started_at < timezone.now() - lease
        if not (result.is_finished or running_long):
            return False
    now = timezone.now()
    error = interrupted_message(job)
    if not Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.FAILED, finished_at=now, error=error
    ):
        return False
    log.warning("job %s (%s): its task ended or was lost before it started; marked failed", job.pk, job.kind)
    job.status, job.finished_at, job.error = JobStatus.FAILED, now, error
    return True


def live_progress(job: Job) -> tuple[int, int, str]:
    """The freshest progress known: the live record while the job runs, then the row. A running job whose
    worker died is marked failed here, so its page shows the failure instead of waiting for ever."""
    if job.is_finished:
        return job.done, job.total, job.message
    entry = live.read(job.pk)
    if job_reap(job, entry) or entry is None:
        return job.done, job.total, job.message
    return entry["done"], entry["total"], entry["message"]


def result_file(job: Job) -> Path | None:
    """The job's result as a local file (the file-system storage), or None when it has none."""
    if not job.result_path:
        return None
    try:
        path = Path(job.result_path.path)
    except NotImplementedError:  # a storage without local paths (S3): read it through `job.result_path`
        return None
    return path if path.is_file() else None
