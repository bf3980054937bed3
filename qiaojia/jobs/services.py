"""Background jobs on the embedded default: no broker, no extra service.

How it runs
- `job_enqueue` inserts a queued row and, after the surrounding transaction commits, wakes an
  in-process daemon thread of the web process (`QIAOJIA_JOBS_THREAD`, on by default).
- Any worker claims a job with a compare-and-set UPDATE (`... WHERE id = ? AND status = 'queued'`),
  so two workers — threads or processes — never run the same job.
- Handlers register by kind (`@register("imports.commit")`); later features (compilations,
  notifications) add their own kinds the same way.

The scale path: with PostgreSQL and several web workers, set `QIAOJIA_JOBS_THREAD=0` and run
`manage.py run_jobs` (one or more processes, e.g. a systemd unit) which polls the same table; the
compare-and-set claim keeps them from colliding. A job whose process died stays `running` until
`job_reap_stale` (called by every worker loop) marks it failed after `QIAOJIA_JOB_STALE_MINUTES`.

Progress: a handler's writes usually sit in one long transaction, whose progress updates nobody
else could see. Progress is therefore kept in process memory (read by the progress endpoint of
the same process) and, on PostgreSQL, also written through a separate autocommit connection so a
`run_jobs` process reports to the web processes too.
"""

import datetime
import logging
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.utils import timezone

from qiaojia.core import context
from qiaojia.core.masking import mask_text

from .models import Job, JobStatus

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], None]
_HANDLERS: dict[str, Handler] = {}
# job id -> (done, total, message): progress of jobs running in this process.
_LIVE: dict[int, tuple[int, int, str]] = {}
_CLEANUPS: list[Callable[[], Any]] = []
_last_cleanup = 0.0
CLEANUP_EVERY_S = 60.0
_wake = threading.Event()
_thread_lock = threading.Lock()
_thread: threading.Thread | None = None


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


class JobError(Exception):
    """A failure the handler explains to the user in their language (the message is shown)."""


class Progress:
    """What a handler calls to report how far it is: `progress(done, total, message)`."""

    def __init__(self, job: Job):
        self.job = job
        self._side = None

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        total = self.job.total if total is None else total
        self.job.done, self.job.total, self.job.message = done, total, message[:200]
        _LIVE[self.job.pk] = (done, total, self.job.message)
        if connection.vendor != "sqlite":
            self._write_side(done, total, self.job.message)

    def _write_side(self, done: int, total: int, message: str) -> None:
        try:
            if self._side is None:
                self._side = connections.create_connection("default")
                with self._side.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '500ms'")
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s WHERE id = %s",
                    [done, total, message, self.job.pk],
                )
        except Exception:  # noqa: BLE001 - progress is best effort; the work itself must go on
            log.warning("job %s: progress not written", self.job.pk)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def job_enqueue(*, kind: str, owner, association=None, params: dict[str, Any] | None = None, total: int = 0) -> Job:
    """Queue a job; it starts once the caller's transaction has committed."""
    if kind not in _HANDLERS:
        raise KeyError(kind)
    job = Job.objects.create(kind=kind, owner=owner, association=association, params=params or {}, total=total)
    transaction.on_commit(_start_thread)
    return job


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
            return Job.objects.get(pk=pk)
    return None


def job_run(job: Job) -> Job:
    """Run a claimed job to the end: succeeded, or failed with a masked error. Never raises."""
    progress = Progress(job)
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
        progress.close()
        _LIVE.pop(job.pk, None)
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
        result_path=job.result_path,
        result_name=job.result_name,
    )


def run_pending(*, limit: int | None = None) -> int:
    """Run queued jobs one after another until none is left (or `limit` ran); returns how many ran."""
    job_reap_stale()
    run_cleanups()
    ran = 0
    while limit is None or ran < limit:
        job = job_claim()
        if job is None:
            break
        job_run(job)
        ran += 1
    return ran


def job_reap_stale() -> int:
    """Mark failed the jobs left running by a process that died (their work was rolled back)."""
    minutes = getattr(settings, "QIAOJIA_JOB_STALE_MINUTES", 120)
    limit = timezone.now() - datetime.timedelta(minutes=minutes)
    return Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=limit).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), error="interrupted"
    )


def live_progress(job: Job) -> tuple[int, int, str]:
    """The freshest progress known: this process's memory first, then the row."""
    return _LIVE.get(job.pk, (job.done, job.total, job.message))


def _start_thread() -> None:
    global _thread
    if not getattr(settings, "QIAOJIA_JOBS_THREAD", True):
        return
    with _thread_lock:
        _wake.set()
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_thread_main, name="qiaojia-jobs", daemon=True)
            _thread.start()


def _thread_main() -> None:
    global _thread
    while True:
        _wake.clear()
        try:
            close_old_connections()
            run_pending()
        except Exception:  # noqa: BLE001 - the worker thread must survive a broken job table read
            log.exception("job worker loop failed")
        finally:
            connection.close()
        if not _wake.wait(timeout=5):
            with _thread_lock:
                # A job queued while this thread was deciding to stop is picked up, not stranded.
                if not _wake.is_set():
                    _thread = None
                    return


def result_file(job: Job) -> Path | None:
    if not job.result_path:
        return None
    path = Path(settings.MEDIA_ROOT) / job.result_path
    return path if path.is_file() else None
