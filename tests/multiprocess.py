"""Real web server processes sharing the test's database, for limits that must hold across processes.

`server_processes(count=2)` (a pytest fixture; conftest.py loads this module as a plugin) starts `count`
gunicorn processes of one worker each, under the test settings, and returns their base URLs. Make the
data the servers need before starting them: the fixture uses `transactional_db`, so it is committed.
While they run, the test's own ORM reads and writes the same database as the servers:
- PostgreSQL: the servers open the test database itself;
- SQLite: the in-memory test database is copied to a file, which the servers and the test then share
  (the test's connection is switched back to the in-memory database afterwards).
The shared cache ("default", the database cache) is in that database too. `job_workers` starts the
task framework's worker processes (`db_worker`, `rqworker`) on the test's database the same way.
`Browser` is a small cookie-keeping HTTP client that does not follow redirects and sends the CSRF token,
as a browser's form would.
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

_LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")
START_TIMEOUT = 30


def _database_url(shared_file: Path | None) -> str:
    if shared_file is not None:
        return f"sqlite:///{shared_file}"
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def _start(log: Path, env: dict[str, str]) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "1",
                "--no-control-socket",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for_url(process: subprocess.Popen, log: Path, deadline: float) -> str:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server process exited:\n{log.read_text()[-3000:]}")
        found = _LISTENING.search(log.read_text())
        if found:
            try:
                with urllib.request.urlopen(found.group(1) + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return found.group(1)
            except OSError:  # refused, reset or timed out while the worker boots
                pass
        time.sleep(0.1)
    raise RuntimeError(f"the server process did not answer in {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def _stop(processes: list[subprocess.Popen]) -> None:
    """Quick shutdown of all at once (SIGINT), a kill for any that does not end."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _share_sqlite_memory_database(path: Path) -> tuple:
    """Copy the in-memory test database to `path` and point the test's connection at it; returns what
    `_restore` needs to point it back (closing the in-memory connection would destroy that database)."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    saved = (connection.connection, connection.settings_dict["NAME"])
    connection.connection, connection.settings_dict["NAME"] = None, str(path)
    return saved


def _restore(saved: tuple) -> None:
    connection.close()
    connection.connection, connection.settings_dict["NAME"] = saved


@pytest.fixture
def server_processes(transactional_db, tmp_path):
    processes: list[subprocess.Popen] = []
    saved = None

    def start(count: int = 2, **extra_env: str) -> list[str]:
        nonlocal saved
        shared_file = None
        if connection.vendor == "sqlite":
            assert saved is None, "start the servers once per test"
            shared_file = tmp_path / "shared.sqlite3"
            saved = _share_sqlite_memory_database(shared_file)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(shared_file),
            **extra_env,
        }
        logs = [tmp_path / f"server-{n}.log" for n in range(len(processes), len(processes) + count)]
        started = [_start(log, env) for log in logs]
        processes.extend(started)
        deadline = time.monotonic() + START_TIMEOUT
        return [_wait_for_url(process, log, deadline) for process, log in zip(started, logs, strict=True)]

    yield start
    _stop(processes)
    if saved is not None:
        _restore(saved)


# A worker process: the test settings, the test's MEDIA_ROOT, the job handlers of the tests, then the command.
_WORKER = (
    "import os, sys, django; django.setup(); "
    "from django.conf import settings; settings.MEDIA_ROOT = os.environ['QIAOJIA_TEST_MEDIA_ROOT']; "
    "import qiaojia.jobs.tests.handlers; "
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', *sys.argv[1:]])"
)


@pytest.fixture
def job_workers(transactional_db, tmp_path):
    """`start(*command, **env)` starts a worker process (`start("db_worker", "--batch")`) on the test's
    database and MEDIA_ROOT, with the handlers of `qiaojia.jobs.tests.handlers`; it returns the process,
    whose output is in `process.log`. Make the data first (the test's writes are committed). Processes
    still running at the end are killed."""
    processes: list[subprocess.Popen] = []
    saved = None
    shared_file = None

    def start(*command: str, **extra_env: str) -> subprocess.Popen:
        nonlocal saved, shared_file
        if connection.vendor == "sqlite" and saved is None:
            shared_file = tmp_path / "shared.sqlite3"
            saved = _share_sqlite_memory_database(shared_file)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(shared_file),
            "QIAOJIA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **extra_env,
        }
        log = tmp_path / f"worker-{len(processes)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER, *command],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()
    if saved is not None:
        _restore(saved)


class Browser:
    """Cookies kept, redirects not followed, the CSRF token sent with every form."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, address: str = ""):
        self.cookies = CookieJar()
        self.address = address
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect())

    def _csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == settings.CSRF_COOKIE_NAME), "")

    def request(self, url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, dict, str]:
        """(status, headers, body) of a GET, or of a POST when `data` is given."""
        headers = dict(headers or {})
        if self.address:
            headers["X-Forwarded-For"] = self.address
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self._csrf(), **data}).encode()
            headers["X-CSRFToken"] = self._csrf()
        try:
            with self._opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
