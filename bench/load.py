"""Load against a local HTTP server: `wrk` when installed, else a bounded Python client
(threads, http.client keep-alive, a fixed number of requests and a time cap)."""

import http.client
import re
import shutil
import subprocess
import threading
import time
from typing import Any


def probe(port: int, path: str, cookie: str) -> tuple[int, int]:
    """One request: (status, body length), to check the page really renders before loading it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def _wrk(port: int, path: str, cookie: str, *, seconds: int, connections: int) -> dict[str, Any]:
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)", output)
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": round(rps, 1),
        "requests": requests,
        "latency_ms": round(float(latency.group(1)) * factor, 1),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def _python(
    port: int, path: str, cookie: str, *, seconds: int, connections: int, max_requests: int = 100_000
) -> dict[str, Any]:
    lock = threading.Lock()
    counts = {"requests": 0, "errors": 0, "latency": 0.0}
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < deadline:
            with lock:
                if counts["requests"] >= max_requests:
                    break
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            with lock:
                counts["requests"] += 1
                counts["errors"] += 0 if ok else 1
                counts["latency"] += time.perf_counter() - started
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    done = counts["requests"]
    return {
        "rps": round(done / elapsed, 1),
        "requests": done,
        "errors": counts["errors"],
        "latency_ms": round(counts["latency"] / done * 1000, 1) if done else None,
    }


def client_name() -> str:
    return "wrk" if shutil.which("wrk") else "python http.client threads"


def run_load(port: int, path: str, cookie: str, *, seconds: int, connections: int) -> dict[str, Any]:
    if shutil.which("wrk"):
        return _wrk(port, path, cookie, seconds=seconds, connections=connections)
    return _python(port, path, cookie, seconds=seconds, connections=connections)
