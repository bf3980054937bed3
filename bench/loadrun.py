"""`make load`: the busiest day, 31 March, under locust against gunicorn on PostgreSQL at the bench scale.

    .venv/bin/python bench/loadrun.py [--scale 1000000] [--minutes 10] [--step-seconds 60] [--database loadrun]

1. The scale data in a database of its own (bench/run.py's `prepare`: generated once, then reused).
2. The world: accounts with their second factor, each association's draft report, news (bench/busyday.py).
3. gunicorn with config/gunicorn.py serving bench.wsgi (DEBUG off, second factor on), and one background
   jobs' worker (`manage.py run_jobs`) beside it.
4. Users stepped up (locust headless, .venv-load) until the p95 passes the target or errors pass 1%: the
   last step within both is the concurrency the machine sustains.
5. The world again, then twice that concurrency for --minutes; the writes locust counted against the
   database. Results in bench/results.json ("load") and BENCHMARKS.md.
"""

import argparse
import csv
import datetime
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import results, run  # noqa: E402

OUT = run.VAR / "load"
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
GUNICORN = Path(run.PYTHON).parent / "gunicorn"
STEPS = (4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384)
MAX_STEP_ERROR_RATE = 0.01


def say(message: str) -> None:
    print(f"[load {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def setup_world(url: str, officers: int, staff: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "setup.json"
    outcome = run.worker(url, "load-setup", "--officers", str(officers), "--staff", str(staff), "--output", str(path))
    if "error" in outcome:
        raise RuntimeError(f"load setup failed: {outcome}")
    say(f"world: {outcome}")
    return path


def start_server(url: str) -> tuple[subprocess.Popen, str]:
    port = run._free_port()
    env = run.env_for(url)
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            "config/gunicorn.py",
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while True:
        try:
            if run.load.probe(port, "/healthz", "")[0] == 200:
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            pass
        if server.poll() is not None or time.time() > deadline:
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.5)


def start_worker(url: str) -> subprocess.Popen:
    """The background jobs' worker, as production runs one beside gunicorn."""
    return subprocess.Popen(
        [run.PYTHON, "manage.py", "run_jobs", "--verbosity", "0"],
        cwd=ROOT,
        env=run.env_for(url),
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def locust(host: str, setup: Path, *, users: int, seconds: int, label: str, offset: int = 0) -> dict[str, Any]:
    """One headless locust run: the aggregated figures, each request's, and the writes it counted."""
    prefix = OUT / label
    tally = OUT / f"{label}-tally.json"
    tally.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LOAD_ACCOUNTS": str(setup),
        "LOAD_TALLY": str(tally),
        "LOAD_ACCOUNT_OFFSET": str(offset),
    }
    command = [
        str(LOCUST),
        "-f",
        "bench/locustfile.py",
        "--headless",
        "--host",
        host,
        "-u",
        str(users),
        # every user started within about 20 s; at the end each finishes its round, so no write is cut
        "-r",
        str(max(1, round(users / 20, 1))),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "120",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    started = time.time()
    average_before = load_average()
    with open(f"{prefix}.log", "w", encoding="utf-8") as log:
        subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows.pop("Aggregated")
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])

    def figures(row):
        return {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "rps": round(float(row["Requests/s"]), 1),
        }

    return {
        "users": users,
        "seconds": seconds,
        "wall_seconds": round(time.time() - started),
        **figures(total),
        "error_rate": round(failures / requests, 5) if requests else None,
        "load_average_1m_at_start_and_end": [average_before, load_average()],
        "by_request": {name: figures(row) for name, row in sorted(rows.items())},
        "tally": json.loads(tally.read_text()) if tally.exists() else {},
    }


def verify(url: str, setup: Path, tally: dict[str, Any], label: str) -> dict[str, Any]:
    path = OUT / f"{label}-tally-merged.json"
    path.write_text(json.dumps(tally))
    return run.worker(url, "load-verify", "--setup", str(setup), "--tally", str(path))


def merge_tallies(runs: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = {"ok": {}, "conflict": {}, "failed": {}}
    for row in runs:
        for outcome, kinds in (row.get("tally") or {}).items():
            for kind, n in kinds.items():
                merged.setdefault(outcome, {})[kind] = merged.setdefault(outcome, {}).get(kind, 0) + n
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", 1_000_000)))
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--minutes",
        type=float,
        default=float(os.environ.get("LOAD_MINUTES", 10)),
        help="The run at twice the sustained concurrency (default 10).",
    )
    parser.add_argument(
        "--step-seconds",
        type=int,
        default=None,
        help="Each step of the step-up (default 60; 20 when --minutes is under 5).",
    )
    parser.add_argument("--p95-ms", type=float, default=500.0)
    parser.add_argument(
        "--database",
        default=os.environ.get("LOAD_DATABASE"),
        help="PostgreSQL database (default loadrun, loadrun_<scale> at another scale, so a short run "
        "does not regenerate the million).",
    )
    parser.add_argument("--officers", type=int, default=200, help="Associations with an officer and a draft.")
    parser.add_argument("--staff", type=int, default=40, help="Staff accounts reviewing.")
    args = parser.parse_args(argv)
    if not LOCUST.exists():
        parser.error(f"{LOCUST} is missing: `make load` creates .venv-load from requirements/load.txt")
    step_seconds = args.step_seconds or (60 if args.minutes >= 5 else 20)
    command = " ".join(
        ["python bench/loadrun.py", *(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))]
    )
    average_at_start = load_average()
    started = time.time()
    database = args.database or ("loadrun" if args.scale == 1_000_000 else f"loadrun_{args.scale}")
    url = run.database_url("postgresql", args.scale, args.seed, pg_database=database)
    generation = run.prepare("postgresql", url, scale=args.scale, seed=args.seed, fresh=False)
    setup = setup_world(url, args.officers, args.staff)
    server, host = start_server(url)
    worker = start_worker(url)
    try:
        # Every worker's first requests load code, templates and catalogues: not part of any step.
        warm_up = locust(host, setup, users=8, seconds=max(20, step_seconds // 2), label="warm-up")
        say(f"warm-up: p95 {warm_up['p95_ms']} ms, {warm_up['requests']} requests")
        steps: list[dict[str, Any]] = []
        sustained, launched = 0, 8
        for users in STEPS:
            row = locust(host, setup, users=users, seconds=step_seconds, label=f"step-{users}", offset=launched)
            launched += users
            steps.append(row)
            within = row["p95_ms"] <= args.p95_ms and (row["error_rate"] or 0) <= MAX_STEP_ERROR_RATE
            say(
                f"step {users} users: p95 {row['p95_ms']} ms, {row['rps']} req/s, errors {row['error_rate']}, "
                f"load average {row['load_average_1m_at_start_and_end']} -> {'within' if within else 'beyond'}"
            )
            if not within:
                break
            sustained = users
        steps_check = verify(url, setup, merge_tallies([warm_up, *steps]), "steps")
        say(f"step-up writes: {steps_check}")
        concurrency = 2 * (sustained or STEPS[0])
        setup = setup_world(url, args.officers, args.staff)
        say(f"the run: {concurrency} users (twice {sustained}) for {args.minutes} min")
        main_run = locust(host, setup, users=concurrency, seconds=int(args.minutes * 60), label="run", offset=launched)
        check = verify(url, setup, main_run["tally"], "run")
        say(
            f"run: p95 {main_run['p95_ms']} ms, {main_run['rps']} req/s, errors {main_run['error_rate']}; "
            f"writes: {check}"
        )
    finally:
        stop_server(server)
        stop_server(worker)
    workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
    load = {
        "command": command,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "database": "postgresql",
        "machine": run.machine_info(["postgresql"]),
        "load_average_1m_at_start_and_end": [average_at_start, load_average()],
        "seconds": round(time.time() - started),
        "server": f"gunicorn -c config/gunicorn.py ({workers} sync workers), one `run_jobs` worker, "
        "bench.wsgi (DEBUG off, second factor on), PostgreSQL on the same machine",
        "client": "locust (one process, on the same machine), people signed in with password and TOTP, "
        "1-3 s between rounds and the pauses of bench/scenario.py within them; "
        "officers : staff : members = 5 : 1 : 4",
        "data": {k: generation.get(k) for k in ("people", "memberships", "associations", "note")},
        "target_p95_ms": args.p95_ms,
        "step_seconds": step_seconds,
        "steps": steps,
        "sustained_users": sustained,
        "run": {**main_run, "minutes": args.minutes},
        "writes": check,
        "step_writes": steps_check,
    }
    output = json.loads(results.RESULTS_PATH.read_text()) if results.RESULTS_PATH.exists() else {}
    output["load"] = load
    results.write_json(output)
    if output.get("databases"):
        results.write_markdown(output)
    say(f"wrote {results.RESULTS_PATH.relative_to(ROOT)} and {results.MARKDOWN_PATH.relative_to(ROOT)}")
    return 0 if check.get("no_write_lost") else 1


if __name__ == "__main__":
    sys.exit(main())
