"""One measurement in its own process, so its peak memory is its own: `python -m bench.worker TASK`.

Run by `bench/run.py` with DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL naming the bench
database; prints one JSON object on its last line of stdout.
"""

import argparse
import importlib
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

BENCH_USERNAME = "bench-staff"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _optional(module_name: str) -> Any:
    try:
        return importlib.import_module(module_name)
    except ImportError:
        return None


# ------------------------------------------------------------------------------------------------ viewer


def bench_viewer():
    """A federation staff account with a confirmed second factor: the widest scope, like the real staff."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qiaojia.accounts.models import Role, User

    user = User.objects.filter(username=BENCH_USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=BENCH_USERNAME, password=None, role=Role.STAFF, first_name="Benchmark")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user, device


def session_key() -> str:
    """A logged-in, second-factor-verified session for the bench account, as the login would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    user, device = bench_viewer()
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def task_session(args) -> dict[str, Any]:
    from django.conf import settings

    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={session_key()}", "pages": search_page_paths()}


def task_status(args) -> dict[str, Any]:
    from qiaojia.members.models import Membership, Person

    status = {"people": Person.objects.count(), "memberships": Membership.objects.count()}
    search_models = _optional("qiaojia.search.models")
    if search_models is not None and hasattr(search_models, "SearchEntry"):
        status["search_entries"] = search_models.SearchEntry.objects.filter(kind="person").count()
    return status


def task_analyze(args) -> dict[str, Any]:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or a maintenance ANALYZE (SQLite) keeps them:
    data reused from an earlier run may have been analysed before its search index was built."""
    from django.db import connection

    from qiaojia.search.services import tidy_indexes

    started = time.perf_counter()
    # PostgreSQL: VACUUM too, as autovacuum would. Rolled-back imports of earlier runs leave dead index
    # entries at the end of the id ranges, which the planner walks on every join it plans (5 ms of
    # planning for a 0.2 ms search query until they are vacuumed). The search tables' statistics come
    # from `tidy_indexes`.
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table in ("members_person", "members_membership", "members_enterprise"):
            cursor.execute(f"{'VACUUM ANALYZE' if postgres else 'ANALYZE'} {table}")
        if postgres:
            cursor.execute("VACUUM search_searchentry")
    tidy_indexes()
    return {"analyze": "done", "seconds": round(time.perf_counter() - started, 1)}


def task_reindex(args) -> dict[str, Any]:
    from qiaojia.demo.scale import search_reindex_hook

    hook = search_reindex_hook()
    if hook is None:
        return {"reindex": "no search reindex available"}
    started = time.perf_counter()
    hook()
    return {"reindex": "done", "seconds": round(time.perf_counter() - started, 1)}


# ------------------------------------------------------------------------------------------------ search


def search_page_paths() -> dict[str, str]:
    """The person list, and the search page: the search app's when it exists, else the list filtered by a name;
    and the annual reports' list as the federation staff open it (all years, the newest first)."""
    from urllib.parse import quote

    from django.urls import NoReverseMatch, reverse

    query = quote("张伟")
    search_path = reverse("members:person-list") + f"?q={query}"
    for name in ("search:search", "search:results"):
        try:
            search_path = reverse(name) + f"?q={query}"
            break
        except NoReverseMatch:
            continue
    return {
        "list": reverse("members:person-list"),
        "search": search_path,
        "bare": reverse("bench-bare"),
        "report_list": reverse("cycle:report-list"),
    }


def search_function(viewer) -> tuple[str, Callable[[str], Any]]:
    """The platform's search as a callable of the query, and its name.

    Uses the search app's benchmark helper when it exists; otherwise the person list's filter, first page."""
    for module_name in ("qiaojia.search.bench", "qiaojia.search.selectors"):
        module = _optional(module_name)
        helper = getattr(module, "bench_search", None) if module else None
        if callable(helper):
            return f"{module_name}.bench_search", lambda q, helper=helper: helper(viewer=viewer, q=q)
    selectors = _optional("qiaojia.search.selectors")
    if selectors is not None and callable(getattr(selectors, "search", None)):
        return (
            "qiaojia.search.selectors.search(kinds=['person'], limit=20): the search page's ranked people",
            lambda q: selectors.search(viewer=viewer, q=q, limit=20, kinds=["person"])[0].entries,
        )
    from qiaojia.members.selectors import person_list

    return (
        "qiaojia.members.selectors.person_list (first 20 rows; the search app was not available)",
        lambda q: list(person_list(viewer=viewer, q=q)[:20]),
    )


def sample_queries() -> dict[str, list[str]]:
    """Queries of each kind, drawn from the data at fixed positions, so every run asks the same."""
    from django.db.models import Max, Min

    from qiaojia.core.chinese import pinyin_spaced
    from qiaojia.members.models import Person

    bounds = Person.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"] or 0, bounds["high"] or 0
    ids = [low + (high - low) * k // 97 for k in range(1, 97)]
    rows = list(
        Person.objects.filter(pk__in=ids).order_by("pk").values_list("name_key", "name_pinyin", "name_initials", "name")
    )
    cjk = [r for r in rows if r[0] and all("\u4e00" <= ch <= "\u9fff" for ch in r[0])]
    two = [r for r in cjk if len(r[0]) == 2][:5]
    three = [r for r in cjk if len(r[0]) == 3][:5]
    # As people registered them in Traditional (converting a Simplified name could give a wrong surname: 余 -> 餘).
    traditional = [r[3] for r in cjk if r[3] != r[0]][:5]
    return {
        "1 character": ["王", "伟", "芳", "曾", "鑫"],
        "2 characters": [r[0] for r in two],
        "3 characters": [r[0] for r in three],
        "Traditional": traditional,
        "full pinyin": [r[1] for r in (two + three)[:4]] + [pinyin_spaced(three[0][0], as_name=True)] if three else [],
        "initials": [r[2] for r in (two + three)[:5]],
    }


SCAN_SQL = (
    "SELECT id FROM members_person WHERE name LIKE %s OR name_en LIKE %s OR name_pinyin LIKE %s "
    "OR name_initials LIKE %s"
)


def task_search(args) -> dict[str, Any]:
    from django.db import connection

    viewer, _device = bench_viewer()
    label, search = search_function(viewer)
    queries = sample_queries()
    by_kind: dict[str, Any] = {}
    all_search: list[float] = []
    all_scan: list[float] = []
    for kind, kind_queries in queries.items():
        search_times: list[float] = []
        scan_times: list[float] = []
        hits = []
        for q in kind_queries:
            result = search(q)  # warm: plan caches, the first page of the index in memory
            hits.append(len(result) if hasattr(result, "__len__") else None)
            for _ in range(args.reps):
                started = time.perf_counter()
                search(q)
                search_times.append((time.perf_counter() - started) * 1000)
            like = f"%{q.replace(' ', '')}%"
            with connection.cursor() as cursor:
                for _ in range(args.scan_reps):
                    started = time.perf_counter()
                    cursor.execute(SCAN_SQL, [like] * 4)
                    cursor.fetchall()
                    scan_times.append((time.perf_counter() - started) * 1000)
        all_search += search_times
        all_scan += scan_times
        p50 = statistics.median(search_times) if search_times else None
        scan_p50 = statistics.median(scan_times) if scan_times else None
        by_kind[kind] = {
            "queries": kind_queries,
            "first_page_hits": hits,
            "p50_ms": round(p50, 2) if p50 is not None else None,
            "p95_ms": round(percentile(search_times, 0.95), 2) if search_times else None,
            "scan_p50_ms": round(scan_p50, 1) if scan_p50 is not None else None,
            "scan_p95_ms": round(percentile(scan_times, 0.95), 1) if scan_times else None,
            "speedup": round(scan_p50 / p50, 1) if p50 and scan_p50 else None,
        }
    p50 = statistics.median(all_search)
    scan_p50 = statistics.median(all_scan)
    return {
        "function": label,
        "scan_sql": SCAN_SQL.replace("%s", "'%q%'"),
        "reps_per_query": args.reps,
        "scan_reps_per_query": args.scan_reps,
        "p50_ms": round(p50, 2),
        "p95_ms": round(percentile(all_search, 0.95), 2),
        "scan_p50_ms": round(scan_p50, 1),
        "scan_p95_ms": round(percentile(all_scan, 0.95), 1),
        "speedup_vs_scan": round(scan_p50 / p50, 1) if p50 else None,
        "speedup_definition": "median scan time / median search time over all queries",
        "by_kind": by_kind,
    }


# ------------------------------------------------------------------------------------------------ import


def task_trade(args) -> dict[str, Any]:
    """Suggestions for one item among N published offers and needs, indexed and naive (bench/trade.py)."""
    from bench import trade

    return {**trade.run(items=args.items), "peak_mb": round(peak_mb(), 1)}


def task_import(args) -> dict[str, Any]:
    """The import engineer's `bench_import` into the first association, rolled back afterwards so every
    run measures the same database (the final COMMIT itself is therefore not timed)."""
    from django.db import transaction

    from bench.imports import bench_import as helper
    from qiaojia.members.models import Person
    from qiaojia.orgs.models import Association

    association = Association.objects.order_by("pk").first()
    people_before = Person.objects.count()
    baseline = peak_mb()
    started = time.perf_counter()
    with transaction.atomic():
        outcome = helper(rows=args.rows, association=association)
        people_during = Person.objects.count()
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    return {
        "function": "bench.imports.bench_import (upload, check, commit; csv)",
        "rows": outcome.get("rows", args.rows),
        "seconds": outcome.get("seconds", round(seconds, 1)),
        "rows_per_s": outcome.get("rows_per_s"),
        "commit_rows_per_s": outcome.get("commit_rows_per_s"),
        "peak_mb": outcome.get("peak_mb"),
        "checking_process_peak_mb": outcome.get("checking_process_peak_mb"),
        "check_seconds": outcome.get("check_seconds"),
        "cpu_seconds": outcome.get("cpu_seconds"),
        "baseline_mb": round(baseline, 1),
        "peak_definition": f"{outcome.get('memory', 'ru_maxrss')} of the measuring process",
        "people_created": people_during - people_before,
        "into": association.name,
        "rolled_back": Person.objects.count() == people_before,
    }


# ------------------------------------------------------------------------------------------------ export


def _export_through_view() -> tuple[str, int, int]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key()
    response = client.get(reverse("members:person-export"))
    if response.status_code != 200:
        raise RuntimeError(f"export view answered {response.status_code}")
    size = lines = 0
    with open(os.devnull, "wb") as sink:
        for chunk in response.streaming_content:
            sink.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            size += len(chunk)
            lines += chunk.count(b"\n" if isinstance(chunk, bytes) else "\n")
    return "CSV export view (members:person-export) through the test client, streamed to /dev/null", lines - 1, size


def task_export(args) -> dict[str, Any]:
    """All people as the federation's staff export them: the export engineer's `export_measure` over the
    person export's queryset and columns when it exists, else the CSV view through the test client."""
    from django.utils import translation

    exports = _optional("bench.exports")
    measure = getattr(exports, "export_measure", None) if exports else None
    members_exports = _optional("qiaojia.members.exports")
    translation.activate("zh-hans")
    baseline = peak_mb()
    started = time.perf_counter()
    if callable(measure) and members_exports is not None:
        from qiaojia.members.selectors import person_list

        viewer, _device = bench_viewer()
        spec_of = getattr(members_exports, "person_export_spec", None)
        spec = spec_of(viewer) if callable(spec_of) else members_exports.PERSON_COLUMNS
        with open(os.devnull, "wb") as sink:
            stats = measure(person_list(viewer=viewer).order_by("pk"), spec, args.format, sink)
        label = (
            f"bench.exports.export_measure({args.format}) over members.selectors.person_list with "
            "the person export's columns, as the export view streams it, to /dev/null"
        )
        rows, size = stats.rows, stats.bytes
    else:
        label, rows, size = _export_through_view()
    seconds = time.perf_counter() - started
    return {
        "function": label,
        "format": args.format,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds, 0) if seconds else None,
        "peak_mb": round(peak_mb(), 1),
        "baseline_mb": round(baseline, 1),
        "peak_definition": "ru_maxrss of the measuring process",
    }


def task_compilation(args) -> dict[str, Any]:
    from bench import cycle

    return cycle.task_compilation(args)


def task_cycle_fixture(args) -> dict[str, Any]:
    from bench import cycle

    return cycle.task_cycle_fixture(args)


def task_cycle_cleanup(args) -> dict[str, Any]:
    from bench import cycle

    return cycle.task_cycle_cleanup(args)


def task_load_setup(args) -> dict[str, Any]:
    """The busiest day's world (bench/busyday.py); the accounts go to --output, not to stdout."""
    from pathlib import Path

    from bench import busyday

    started = time.perf_counter()
    setup = busyday.load_setup(officers=args.officers, staff=args.staff)
    Path(args.output).write_text(json.dumps(setup, ensure_ascii=False, indent=1))
    return {
        "year": setup["year"],
        "accounts": {k: len(v) for k, v in setup["accounts"].items()},
        "reports": len(setup["versions"]),
        "rows_removed": setup["rows_removed"],
        "seconds": round(time.perf_counter() - started, 1),
    }


def task_load_verify(args) -> dict[str, Any]:
    from pathlib import Path

    from bench import busyday

    return busyday.load_verify(json.loads(Path(args.setup).read_text()), json.loads(Path(args.tally).read_text()))


TASKS = {
    "session": task_session,
    "status": task_status,
    "analyze": task_analyze,
    "reindex": task_reindex,
    "search": task_search,
    "trade": task_trade,
    "import": task_import,
    "export": task_export,
    "compilation": task_compilation,
    "cycle-fixture": task_cycle_fixture,
    "cycle-cleanup": task_cycle_cleanup,
    "load-setup": task_load_setup,
    "load-verify": task_load_verify,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--reps", type=int, default=20, help="Timed runs of each search query.")
    parser.add_argument("--scan-reps", type=int, default=3, help="Timed runs of each naive scan.")
    parser.add_argument("--rows", type=int, default=100_000, help="Rows to import.")
    parser.add_argument("--items", type=int, default=100_000, help="trade: published offers and needs.")
    parser.add_argument(
        "--format",
        choices=["csv", "xlsx", "pdf", "docx"],
        default=None,
        help="Export format (csv, xlsx; default csv) or compilation format (pdf, docx; default pdf).",
    )
    parser.add_argument("--script", choices=["zh-hans", "zh-hant"], default="zh-hans", help="Compilation script.")
    parser.add_argument("--reports", type=int, default=100, help="Accepted reports to compile or to list.")
    parser.add_argument("--profile", action="store_true", help="Profile the compilation even within its target.")
    parser.add_argument("--officers", type=int, default=200, help="load-setup: associations with an officer.")
    parser.add_argument("--staff", type=int, default=40, help="load-setup: staff accounts.")
    parser.add_argument("--output", help="load-setup: where to write the accounts and versions (JSON).")
    parser.add_argument("--setup", help="load-verify: the load-setup file.")
    parser.add_argument("--tally", help="load-verify: the writes the load counted (JSON).")
    args = parser.parse_args(argv)
    if args.format is None:
        args.format = "pdf" if args.task == "compilation" else "csv"
    _setup()
    result = TASKS[args.task](args)
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main()
