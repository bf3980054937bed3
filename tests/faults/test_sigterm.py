"""SIGTERM to gunicorn during requests: every request in flight completes or fails whole, and the rows written
are exactly those of the requests that were answered with success."""

import datetime
import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from conftest import verified_client
from qiaojia.cycle.tests.world import make_priorities, make_report

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"
REQUESTS = 16


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerDatabase:
    """The test database as another process reaches it: PostgreSQL's test database itself; SQLite's in-memory
    test database copied into a file (its online backup) that the server then writes to."""

    def __init__(self, folder: Path):
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            self.url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
            self.path = None
        else:
            self.path = folder / "server.sqlite3"
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.path}"

    def scalar(self, sql: str, params: list) -> int:
        if self.path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchone()[0]
        with sqlite3.connect(self.path) as db:
            return db.execute(sql, params).fetchone()[0]


def _start(database: ServerDatabase, port: int, *, insert_delay: float, extra: list[str]) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "FAULT_INSERT_DELAY": str(insert_delay),
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            "config/gunicorn.py",
            "tests.faults.slow_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.2)


def _post_all(port: int, path: str, cookie: str, csrf: str, due_on: datetime.date) -> tuple[list, threading.Event]:
    """Fire REQUESTS plan-item creations at once; each outcome is (status or error name, time answered)."""
    outcomes: list = [None] * REQUESTS
    first = threading.Event()

    def one(i):
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "form_token": str(uuid.uuid4()),
                "title": f"對接會 {i}",
                "owner": "秘書處",
                "target": "舉辦一場",
                "due_on": due_on.isoformat(),
            }
        )
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(
                "POST", path, body=body, headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            )
            response = conn.getresponse()
            response.read()
            outcomes[i] = (response.status, time.monotonic())
        except (OSError, http.client.HTTPException) as exc:
            outcomes[i] = (type(exc).__name__, time.monotonic())
        finally:
            conn.close()
            first.set()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(REQUESTS)]
    for t in threads:
        t.start()
    return outcomes, first, threads


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("insert_delay", "extra", "in_flight"),
    [
        (0.4, [], "complete"),
        (1.0, ["--graceful-timeout", "1"], "are cut"),
    ],
    ids=["within-the-graceful-timeout", "beyond-it"],
)
def test_sigterm_during_requests_leaves_only_whole_writes(
    tmp_path, business_association, officer_of, insert_delay, extra, in_flight
):
    make_priorities()
    report = make_report(business_association, with_item=False)
    client = verified_client(Client(), officer_of)
    csrf = get_random_string(32)
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}"
    )
    database = ServerDatabase(tmp_path)
    port = _free_port()
    server = _start(database, port, insert_delay=insert_delay, extra=extra)
    try:
        outcomes, first, threads = _post_all(
            port,
            reverse("cycle:plan-item-create", args=[report.pk]),
            cookie,
            csrf,
            datetime.date(report.plan_year, 6, 30),
        )
        assert first.wait(60), "no request was answered"
        signalled = time.monotonic()
        server.send_signal(signal.SIGTERM)
        for t in threads:
            t.join(90)
        log, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    assert server.returncode == 0, log
    statuses = [status for status, _at in outcomes]
    succeeded = [at for status, at in outcomes if status == 302]
    # Every request either succeeded or found its connection closed: none half-answered, none a server error.
    assert all(s == 302 or isinstance(s, str) for s in statuses), (statuses, log)
    # Each plan item is three rows in one transaction: the form's submission token, the item, its audit row.
    rows = database.scalar("SELECT COUNT(*) FROM cycle_planitem WHERE report_id = ?", [report.pk])
    assert rows == len(succeeded), (rows, statuses)
    assert database.scalar("SELECT COUNT(*) FROM core_formsubmission", []) == rows
    assert (
        database.scalar(
            "SELECT COUNT(*) FROM core_auditentry WHERE object_type = ? AND action = ?", ["cycle.planitem", "create"]
        )
        == rows
    )
    assert len(succeeded) < REQUESTS
    begun = log.count('slow insert: INSERT INTO "core_formsubmission"')
    if in_flight == "complete":
        # Requests in flight when the signal came were answered, and every write begun was kept.
        assert any(at > signalled for at in succeeded), statuses
        assert begun == rows, log
    else:
        # Workers killed at the end of the graceful timeout had begun writes, which were rolled back.
        assert begun > rows, log
