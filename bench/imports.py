"""The import benchmark: generate a file of people, import it (upload, read, check, commit) into an
association and measure. Run by `bench/worker.py import` (`make bench`, `bench/run.py --only import`)."""

import os
import resource
import time
import tracemalloc

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from qiaojia.accounts.models import Role, User
from qiaojia.imports.models import ImportStatus, MemberImport
from qiaojia.imports.sample import sample_file
from qiaojia.imports.services import ImportRefused, import_commit_start, import_map, import_upload
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job
from qiaojia.orgs.models import Association


def _run_now(job: Job) -> Job:
    """Run a queued job in this process at once, claimed as any worker would claim it (benchmarks)."""
    claimed = jobs.job_claim(job.pk)
    if claimed is None:
        raise ImportRefused(f"job {job.pk} was claimed by another worker")
    return jobs.job_run(claimed)


def _cpu_seconds() -> tuple[float, float, float]:
    """User + system CPU of this process, of its waited-for children (the checking processes), and of
    the PostgreSQL server process serving this connection (0 elsewhere, or when /proc cannot tell)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    server = 0.0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            server = 0.0
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime, server


def bench_import(
    rows: int,
    association: Association,
    *,
    owner=None,
    file_kind: str = "csv",
    seed: int = 1,
    trace_memory: bool = False,
) -> dict[str, float]:
    """Generate `rows` people, import them into `association` (upload, check, commit) and measure.

    Returns rows/s of the commit alone and of the whole import, and the peak memory in MB: the
    process's peak resident size (ru_maxrss), or with `trace_memory` the peak of Python allocations
    during the import (tracemalloc, which slows the run). The database is filled for real."""
    if owner is None:
        owner, _created = User.objects.get_or_create(username="bench-import", defaults={"role": Role.STAFF})
    upload = SimpleUploadedFile(f"bench.{file_kind}", sample_file(rows, file_kind=file_kind, seed=seed))
    if trace_memory:
        tracemalloc.start()
    try:
        with override_settings(QIAOJIA_IMPORT_BACKGROUND_ROWS=rows + 1):
            cpu_started = _cpu_seconds()
            started = time.perf_counter()
            read = _run_now(import_upload(owner=owner, association=association, uploaded=upload))
            del upload  # stored now: the copy in memory is not needed for the rest
            if "import" not in read.params:
                raise ImportRefused(f"bench file refused: {read.error}")
            imp = MemberImport.objects.select_related("owner", "association").get(pk=read.params["import"])
            import_map(imp=imp, mapping=imp.mapping, consent=True)
            _run_now(imp.job)
            imp.refresh_from_db()
            checked = time.perf_counter()
            cpu_checked = _cpu_seconds()
            if imp.error_rows:
                raise ImportRefused(f"bench file has {imp.error_rows} rows with errors: {imp.problems[:3]}")
            import_commit_start(imp=imp)
            finished = time.perf_counter()
            cpu_finished = _cpu_seconds()
        peak = (
            tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            if trace_memory
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
        # The checking processes (one per core, forked for a large file): the largest of them.
        workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        if trace_memory:
            tracemalloc.stop()
    imp.refresh_from_db()
    if imp.status != ImportStatus.COMMITTED:
        raise ImportRefused(imp.message)
    return {
        "rows": rows,
        "rows_per_s": round(rows / (finished - started)),
        "commit_rows_per_s": round(rows / (finished - checked)),
        "seconds": round(finished - started, 2),
        "peak_mb": round(peak, 1),
        "checking_process_peak_mb": round(workers_peak, 1),
        "memory": "tracemalloc" if trace_memory else "ru_maxrss",
        # CPU seconds (user + system) by phase: on a busy machine the wall-clock rates undersell the code.
        "cpu_seconds": {
            phase: {
                "importer": round(end[0] - start[0], 1),
                "checking_processes": round(end[1] - start[1], 1),
                "database_server": round(end[2] - start[2], 1),
            }
            for phase, start, end in (
                ("read_and_check", cpu_started, cpu_checked),
                ("commit", cpu_checked, cpu_finished),
            )
        },
        "check_seconds": round(checked - started, 2),
    }
