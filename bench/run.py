"""`make bench`: scale data and benchmarks on SQLite and PostgreSQL, in one run each.

    .venv/bin/python bench/run.py --scale 1000000 [--databases sqlite,postgresql] [--quick]

For each database: migrate, generate the scale data (reused when already generated at that scale and
seed), then measure search against the naive LIKE scan, trade matching against its naive scan, import,
export and the pages' requests/s
against a bare view, each in its own process. Writes bench/results.json and BENCHMARKS.md.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import cycle, load, results  # noqa: E402

PYTHON = sys.executable
VAR = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "qiaojia_bench")
PARTS = ("search", "trade", "export", "pages", "import", "compilation")
# The compilation in each format and script (--quick: Simplified only).
COMPILATIONS = (("pdf", "zh-hans"), ("docx", "zh-hans"), ("pdf", "zh-hant"), ("docx", "zh-hant"))


def say(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def generator_version() -> int:
    text = (ROOT / "qiaojia" / "demo" / "scale.py").read_text(encoding="utf-8")
    return int(re.search(r"^GENERATOR_VERSION = (\d+)", text, re.M).group(1))


def associations_for(scale: int) -> int:
    return max(10, min(500, scale // 5000))


# ------------------------------------------------------------------------------------------------ databases


def database_url(db: str, scale: int, seed: int, pg_database: str = PG_DATABASE) -> str:
    if db == "sqlite":
        return f"sqlite:///{VAR / f'qiaojia-{scale}-{seed}.sqlite3'}"
    return f"{PG_SERVER}/{pg_database}"


def pg_name(url: str) -> str:
    """The PostgreSQL database a URL names (the load run keeps its own beside the benchmarks')."""
    return url.rsplit("/", 1)[1]


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _pg_scalar(sql: str) -> Any:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return conn.execute(sql).fetchone()[0]


def drop_and_create(db: str, url: str) -> None:
    if db == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    name = pg_name(url)
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    # pg_trgm needs a non-C ctype to see CJK characters; C.UTF-8 classifies them and sorts by code point.
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")


def env_for(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT))
    return env


def manage(url: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(url), check=True)


def worker(url: str, task: str, *extra: str, timeout: int = 7200) -> dict[str, Any]:
    completed = subprocess.run(
        [PYTHON, "-m", "bench.worker", task, *extra],
        cwd=ROOT,
        env=env_for(url),
        stdout=subprocess.PIPE,
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        return {"error": f"worker {task} exited with {completed.returncode}", "output": completed.stdout[-2000:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def marker_path_for(db: str, url: str) -> Path:
    """The marker of what a database holds. SQLite keeps one file per scale and seed, so one marker each
    (a small trial run must not make the next full run regenerate the large file); the marker of an
    older harness (`sqlite-marker.json`) still counts when it names the same file."""
    if db != "sqlite":
        name = pg_name(url)
        return VAR / (f"{db}-marker.json" if name == PG_DATABASE else f"{db}-{name}-marker.json")
    path = VAR / f"{Path(url.removeprefix('sqlite:///')).stem}.marker.json"
    legacy = VAR / "sqlite-marker.json"
    if not path.exists() and legacy.exists():
        try:
            if json.loads(legacy.read_text()).get("url") == url:
                return legacy
        except ValueError:
            pass
    return path


def prepare(db: str, url: str, *, scale: int, seed: int, fresh: bool) -> dict[str, Any]:
    """Migrate and generate, or reuse the data generated at this scale and seed."""
    VAR.mkdir(parents=True, exist_ok=True)
    marker_path = marker_path_for(db, url)
    wanted = {
        "url": url,
        "scale": scale,
        "seed": seed,
        "associations": associations_for(scale),
        "generator": generator_version(),
    }
    marker = json.loads(marker_path.read_text()) if marker_path.exists() else {}
    exists = (
        Path(url.removeprefix("sqlite:///")).exists()
        if db == "sqlite"
        else bool(_pg_scalar(f"SELECT count(*) FROM pg_database WHERE datname = '{pg_name(url)}'"))
    )
    reuse = not fresh and exists and all(marker.get(k) == v for k, v in wanted.items())
    if reuse:
        manage(url, "migrate", "--noinput", "-v0")
        status = worker(url, "status")
        reuse = status.get("people", 0) >= marker.get("people", scale)
    if reuse:
        say(f"{db}: reusing the data generated at scale {scale:,}, seed {seed} ({marker.get('generated_at')})")
        if marker.get("reindex") != "done" or status.get("search_entries", -1) < status.get("people", 0):
            outcome = worker(url, "reindex")
            marker["reindex"] = outcome.get("reindex")
            marker_path.write_text(json.dumps(marker, indent=2))
        analysed = worker(url, "analyze")
        say(f"{db}: statistics refreshed in {analysed.get('seconds')} s")
        return {
            **marker,
            "note": f"reused data generated at {marker.get('generated_at')} in {marker.get('generation_seconds')} s",
        }
    marker_path.unlink(missing_ok=True)
    say(f"{db}: fresh database, migrate")
    drop_and_create(db, url)
    manage(url, "migrate", "--noinput", "-v0")
    say(f"{db}: generating {scale:,} people in {wanted['associations']} associations")
    started = time.perf_counter()
    manage(
        url,
        "scale_generate",
        "--associations",
        str(wanted["associations"]),
        "--people",
        str(scale),
        "--seed",
        str(seed),
    )
    seconds = round(time.perf_counter() - started, 1)
    status = worker(url, "status")
    marker = {
        **wanted,
        "people": status.get("people"),
        "memberships": status.get("memberships"),
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "generation_seconds": seconds,
        "reindex": "done" if status.get("search_entries", -1) >= status.get("people", 0) else "missing",
    }
    marker_path.write_text(json.dumps(marker, indent=2))
    say(f"{db}: generated in {seconds} s")
    return {**marker, "note": f"generated in this run in {seconds} s (manage.py scale_generate, then search reindex)"}


def combine_exports(by_format: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The headline is the worse of .csv and .xlsx: the slower rate and the larger peak."""
    measured = {f: r for f, r in by_format.items() if r.get("rows_per_s")}
    if not measured:
        return {"formats": by_format}
    return {
        "rows_per_s": min(r["rows_per_s"] for r in measured.values()),
        "peak_mb": max(r["peak_mb"] for r in measured.values()),
        "rows": max(r["rows"] for r in measured.values()),
        "headline": "the slower rate and the larger peak of the formats measured",
        "formats": by_format,
    }


# ------------------------------------------------------------------------------------------------ pages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_pages(url: str, *, workers: int, seconds: int, connections: int) -> dict[str, Any]:
    session = worker(url, "session")
    if "cookie" not in session:
        return {"error": session}
    cookie, paths = session["cookie"], session["pages"]
    # The report list with 100 accepted reports of the harness's year, committed for the load and removed
    # afterwards (and at the start of the next run, should this one die).
    fixture = worker(url, "cycle-fixture", "--reports", "100")
    if "error" in fixture:
        return {"error": {"cycle-fixture": fixture}}
    try:
        return _measure_pages(
            url, cookie, paths, workers=workers, seconds=seconds, connections=connections, fixture=fixture
        )
    finally:
        cleanup = worker(url, "cycle-cleanup")
        if "error" in cleanup:
            say(f"  could not remove the report-list fixture: {cleanup}")


def _measure_pages(
    url: str,
    cookie: str,
    paths: dict[str, str],
    *,
    workers: int,
    seconds: int,
    connections: int,
    fixture: dict[str, Any],
) -> dict[str, Any]:
    port = _free_port()
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "bench.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env_for(url), start_new_session=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if load.probe(port, paths["bare"], cookie)[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                return {"error": "gunicorn did not start"}
            time.sleep(0.3)
        measured: dict[str, Any] = {}
        for name in ("bare", "list", "search", "report_list"):
            status, size = load.probe(port, paths[name], cookie)
            load.run_load(port, paths[name], cookie, seconds=2, connections=connections)  # warm every worker
            row = load.run_load(port, paths[name], cookie, seconds=seconds, connections=connections)
            measured[name] = {"path": paths[name], "status": status, "bytes": size, **row}
            say(f"  {name} {paths[name]}: {row['rps']} req/s (status {status}, {size} bytes)")
        bad = [n for n, r in measured.items() if r["status"] != 200]
        ratio = min(measured["list"]["rps"], measured["search"]["rps"]) / measured["bare"]["rps"]
        report_ratio = measured["report_list"]["rps"] / measured["bare"]["rps"]
        return {
            "server": f"gunicorn {workers} sync workers, 127.0.0.1, bench.settings (DEBUG off, OTP on)",
            "client": f"{load.client_name()}, {connections} connections, {seconds} s per page after 2 s warm-up",
            "urls": measured,
            "ratio_vs_bare": None if bad else round(ratio, 3),
            "report_list_ratio_vs_bare": None if "report_list" in bad else round(report_ratio, 3),
            "report_list_fixture": f"{fixture.get('reports')} accepted reports on {fixture.get('year')} with "
            f"{fixture.get('plan_items')} plan items, committed in bulk for the load "
            "and deleted afterwards; seen by the federation staff bench account",
            **({"error": f"pages not answering 200: {bad}"} if bad else {}),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# ------------------------------------------------------------------------------------------------ main


def machine_info(databases: list[str]) -> dict[str, Any]:
    import sqlite3

    import django

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if "postgresql" in databases:
        info["postgresql"] = _pg_scalar("SHOW server_version")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000, help="People to generate (default 1,000,000).")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--quick", action="store_true", help="Fewer repetitions and shorter load: shakes out the harness."
    )
    parser.add_argument("--fresh", action="store_true", help="Regenerate the data even when it is cached.")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help="Parts to measure (search,trade,export,pages,import,compilation); the others are kept from results.json.",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default: cores).")
    parser.add_argument("--import-rows", type=int, default=None, help="Rows to import (100,000; --quick 10,000).")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="Only rewrite BENCHMARKS.md from bench/results.json (after editing bench/analysis.md).",
    )
    args = parser.parse_args(argv)
    if args.render_only:
        results.write_markdown(json.loads(results.RESULTS_PATH.read_text()))
        return 0
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    import_rows = args.import_rows or (10_000 if args.quick else 100_000)
    load_before = os.getloadavg()
    command = "python bench/run.py " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    previous = json.loads(results.RESULTS_PATH.read_text()) if results.RESULTS_PATH.exists() else {}
    # Figures of parts or databases not measured this time are kept from the last run at the same scale and seed.
    keep_previous = previous.get("scale") == args.scale and previous.get("seed") == args.seed
    started = time.perf_counter()
    details: dict[str, dict[str, Any]] = {}
    for db in databases:
        url = database_url(db, args.scale, args.seed)
        detail: dict[str, Any] = {}
        if keep_previous and db in previous.get("databases", {}):
            detail.update(previous["databases"][db]["detail"])
        db_started = time.perf_counter()
        detail["generation"] = prepare(db, url, scale=args.scale, seed=args.seed, fresh=args.fresh)
        if "search" in parts:
            say(f"{db}: search")
            reps, scan_reps = ("5", "1") if args.quick else ("20", "3")
            detail["search"] = worker(url, "search", "--reps", reps, "--scan-reps", scan_reps)
        if "trade" in parts:
            say(f"{db}: trade matching among 100,000 published offers and needs")
            detail["trade"] = worker(url, "trade", "--items", "100000")
        if "export" in parts:
            say(f"{db}: export")
            by_format = {fmt: worker(url, "export", "--format", fmt) for fmt in ("csv", "xlsx")}
            detail["export"] = combine_exports(by_format)
        if "pages" in parts:
            say(f"{db}: pages")
            detail["pages"] = measure_pages(url, workers=args.workers, seconds=5 if args.quick else 15, connections=4)
        if "compilation" in parts:
            say(f"{db}: compilation of 100 reports")
            runs = {}
            for fmt, script in COMPILATIONS[:2] if args.quick else COMPILATIONS:
                runs[f"{fmt} {script}"] = row = worker(url, "compilation", "--format", fmt, "--script", script)
                say(
                    f"  {fmt} {script}: {row.get('seconds')} s, {row.get('pages')} pages, {row.get('bytes')} bytes, "
                    f"peak {row.get('peak_mb')} MB (one report: {row.get('one_report_seconds')} s)"
                )
            detail["compilation"] = cycle.combine(runs)
        if "import" in parts:
            say(f"{db}: import")
            detail["import"] = worker(url, "import", "--rows", str(import_rows))
        for part in parts:
            if isinstance(detail.get(part), dict):
                detail[part]["measured_by"] = f"{command} at {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
        detail["seconds"] = round(time.perf_counter() - db_started, 1)
        detail["command"] = command
        detail["measured_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        detail["load_average_1m"] = round(os.getloadavg()[0], 1)
        details[db] = detail
        say(f"{db}: done in {detail['seconds']} s: {json.dumps(results.summary(detail))}")
    if keep_previous:
        for db, entry in previous.get("databases", {}).items():
            details.setdefault(db, entry["detail"])
    output = results.build(
        command=command,
        scale=args.scale,
        seed=args.seed,
        date=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        machine=machine_info(databases),
        details=details,
        quick=args.quick,
    )
    if "load" in previous:  # `make load` writes its own section (bench/loadrun.py); keep it
        output["load"] = previous["load"]
    # Other work on the machine skews every figure: say how busy it was.
    output["machine"]["load_average_1m_at_start_and_end"] = [round(load_before[0], 1), round(os.getloadavg()[0], 1)]
    output["seconds"] = round(time.perf_counter() - started, 1)
    results.write_json(output)
    results.write_markdown(output)
    say(
        f"wrote {results.RESULTS_PATH.relative_to(ROOT)} and {results.MARKDOWN_PATH.relative_to(ROOT)} "
        f"in {output['seconds']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
