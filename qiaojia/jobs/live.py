"""A running job's progress and heartbeat, where the web processes can read them while the job runs.

A handler's writes usually sit in one long transaction: on SQLite it holds the database's write lock, on
PostgreSQL its updates are invisible until it commits, so neither the progress nor the proof that the
worker is alive can go through the job's row. They go instead to
- the shared cache, when it is Redis (`QIAOJIA_REDIS_URL`): workers on other machines reach it;
- otherwise a small file per job, `MEDIA_ROOT/var/jobs/<id>.json`, replaced whole at each write (the
  embedded default: the workers run on the web server's machine).
The row gets the final figures when the job ends (`services._finish`), and the entry is removed then.
"""

import json
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from qiaojia.core.files import private_dir

KEY = "qiaojia:job:{pk}"


def _on_cache() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _ttl() -> int:
    # Long enough to outlive the lease several times over: a reader must tell "stopped beating" from
    # "never started", and an entry nobody removes (a worker killed) still expires.
    return int(settings.QIAOJIA_JOB_LEASE_SECONDS * 10) + 60


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "var" / "jobs"


def write(pk: int, done: int, total: int, message: str) -> None:
    """Record how far job `pk` is; the time of the write is its heartbeat."""
    entry = {"done": done, "total": total, "message": message, "beat": time.time()}
    if _on_cache():
        caches["default"].set(KEY.format(pk=pk), entry, timeout=_ttl())
        return
    target = private_dir(folder()) / f"{pk}.json"
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{pk}-")
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(entry, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(pk: int) -> dict | None:
    """{"done", "total", "message", "beat"} of job `pk`, or None when nothing is recorded."""
    if _on_cache():
        return caches["default"].get(KEY.format(pk=pk))
    try:
        return json.loads((folder() / f"{pk}.json").read_text())
    except (OSError, ValueError):
        return None


def clear(pk: int) -> None:
    if _on_cache():
        caches["default"].delete(KEY.format(pk=pk))
    else:
        (folder() / f"{pk}.json").unlink(missing_ok=True)
