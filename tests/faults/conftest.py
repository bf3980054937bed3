"""Faults injected into the layers under the platform: the database connection, the disk, the process."""

import errno
import os
import re
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.db import OperationalError, connection
from django.test import Client

from conftest import verified_client

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _pg_admin(dbname: str):
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


class DatabaseFault:
    """The database goes away at the `at`-th query of this thread's connection (an execute wrapper).

    PostgreSQL: the connection's backend is terminated from another connection (pg_terminate_backend), as
    when the server restarts or the network drops; the queries after it fail by themselves. SQLite lives in
    the process and cannot go away: from that query on, every query fails at the driver with the error an
    unreadable database file gives."""

    def __init__(self):
        self.at: int | None = None
        self.seen = 0
        self.writes = 0
        self.down = False
        self.writes_before_fault: int | None = None

    def arm(self, at: int | None) -> None:
        self.at, self.seen, self.writes, self.down, self.writes_before_fault = at, 0, 0, False, None

    def __call__(self, execute, sql, params, many, context):
        self.seen += 1
        if not self.down and self.at is not None and self.seen >= self.at:
            self.writes_before_fault = self.writes
            self.go_down()
        if self.down and connection.vendor != "postgresql":
            raise OperationalError("disk I/O error")
        if _WRITE.match(sql):
            self.writes += 1
        return execute(sql, params, many, context)

    def go_down(self) -> None:
        self.down = True
        if connection.vendor == "postgresql" and connection.connection is not None:
            pid = connection.connection.info.backend_pid
            with _pg_admin("postgres") as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
                deadline = time.monotonic() + 10
                while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                    assert time.monotonic() < deadline, "the backend did not end"
                    time.sleep(0.01)

    def come_back(self) -> None:
        self.arm(None)
        connection.close()


@pytest.fixture
def database_fault():
    fault = DatabaseFault()
    with connection.execute_wrapper(fault):
        yield fault
    fault.come_back()


class DatabaseAway:
    """The database is away for a while: PostgreSQL refuses new connections to it and ends the open ones;
    SQLite fails every query at the driver."""

    def __init__(self):
        self.away = False

    def __call__(self, execute, sql, params, many, context):
        if self.away and connection.vendor != "postgresql":
            raise OperationalError("unable to open database file")
        return execute(sql, params, many, context)

    def _allow(self, allow: bool) -> None:
        name = connection.settings_dict["NAME"]
        with _pg_admin("postgres") as admin:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(allow).lower()}')
            if not allow:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])

    def leave(self) -> None:
        self.away = True
        if connection.vendor == "postgresql":
            self._allow(False)

    def come_back(self) -> None:
        if self.away and connection.vendor == "postgresql":
            self._allow(True)
        self.away = False
        connection.close()


@pytest.fixture
def database_away():
    away = DatabaseAway()
    try:
        with connection.execute_wrapper(away):
            yield away
    finally:
        away.come_back()


def table_counts() -> dict[str, int]:
    """The row count of every table the platform's models own."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy}
    )
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: after[t] - before[t] for t in after if after[t] != before.get(t)}


def faulty_client(user) -> Client:
    """A verified session whose server errors come back as pages, as a browser would see them."""
    return verified_client(Client(raise_request_exception=False), user)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


@pytest.fixture
def full_disk(monkeypatch, media):
    """The disk under MEDIA_ROOT fills up: a write there stores half of its bytes, then fails with ENOSPC, as
    the kernel does when the last free block is taken. Writes elsewhere are untouched."""
    real_write = os.write
    Path(media).mkdir(parents=True, exist_ok=True)
    media = str(Path(media).resolve())

    def write(fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if not target.startswith(media + os.sep):
            return real_write(fd, data)
        view = memoryview(data)
        if len(view) > 1:
            return real_write(fd, view[: len(view) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", write)
    return Path(media)
