"""Load test of the dashboard API: 20 concurrent clients (wrk) against `immcourt serve` on 127.0.0.1.

Serves the shared 1,000,000-case SAMPLE store (bench/common.py makes it once), first asks every query in
the mix once in turn (cold: computed by DuckDB, then cached per normalised query string), then lets wrk's
20 connections pick queries from the same mix at random for a fixed time. Records cold times, p50/p95/p99
latency under load, throughput and errors in docs/BENCHMARKS.md (section `bench/web.py`).

Run from the project root: `.venv/bin/python bench/web.py` (IMMCOURT_BENCH_CASES=50000 for a quick trial).
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import BENCH_CASES, DATA, machine_line, size_name, store_dir, write_section  # noqa: E402

CLIENTS = 20
THREADS = 2
DURATION_S = int(os.environ.get("IMMCOURT_BENCH_WEB_SECONDS", "30"))
TARGET_P95_MS = 150

# The mix: what a journalist's session on the dashboard asks the API (overview charts, explorer cuts,
# filters, an option that changes the model, stock series, catalog and release).
QUERIES = [
    "/api/metrics",
    "/api/release",
    "/api/stats?metric=completions",
    "/api/stats?metric=completions&by=fiscal_year",
    "/api/stats?metric=completions&by=fiscal_year&by=outcome",
    "/api/stats?metric=completions&by=administration&by=outcome",
    "/api/stats?metric=completions&by=court",
    "/api/stats?metric=completions&by=nationality",
    "/api/stats?metric=completions&by=fiscal_year&nationality=MEXICO",
    "/api/stats?metric=completions&by=fiscal_year&nationality=GUATEMALA&fy_from=2015",
    "/api/stats?metric=allowed_to_remain_share&by=fiscal_year",
    "/api/stats?metric=allowed_to_remain_share&by=administration",
    "/api/stats?metric=allowed_to_remain_share&by=fiscal_year&opt.withholding_as=removal",
    "/api/stats?metric=removed_share&by=fiscal_year",
    "/api/stats?metric=closed_without_merits&by=fiscal_year",
    "/api/stats?metric=closed_without_merits&by=fiscal_year&opt.include_admin_closure=yes",
    "/api/stats?metric=new_cases&by=fiscal_year",
    "/api/stats?metric=pending&by=fiscal_year",
    "/api/stats?metric=pending&at=2024-09-30&by=court",
    "/api/stats?metric=asylum_decisions&by=fiscal_year&by=asylum_decision",
    "/api/stats?metric=asylum_grant_rate&by=fiscal_year",
    "/api/stats?metric=asylum_grant_rate&by=nationality&fy_from=2020",
    "/api/stats?metric=asylum_grant_rate&by=judge",
    "/api/stats?metric=asylum_grant_rate&by=fiscal_year&opt.grant_rate=eoir",
    "/api/stats?metric=median_days_to_completion&by=fiscal_year",
    "/api/stats?metric=in_absentia_share&by=fiscal_year",
    "/api/stats?metric=represented_share&by=fiscal_year&by=custody",
    "/api/stats?metric=completions&by=fiscal_year&by=outcome&opt.admin_closure_as=pending",
]

LUA = """
local paths = {%s}
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(store: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-c", "from immcourt.cli import main; main()", "serve", "--store", str(store),
               "--host", "127.0.0.1", "--port", str(port), "--no-warm"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"immcourt serve exited: {server.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/metrics", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("immcourt serve did not answer within 300 s")


def cold_pass(base: str) -> list[tuple[str, float, int]]:
    """Each query once, in turn: the time to compute it (first sight) and its status."""
    timings = []
    for path in QUERIES:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=600) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        timings.append((path, (time.perf_counter() - started) * 1000, status))
    return timings


def run_wrk(base: str) -> dict[str, float]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    paths = ", ".join(f'"{path}"' for path in QUERIES)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % paths)
    command = ["wrk", "-t", str(THREADS), "-c", str(CLIENTS), "-d", f"{DURATION_S}s", "--timeout", "10s",
               "-s", script.name, base]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    values = [int(part) for part in line.split()[1:]]
    names = [
        "requests",
        "duration_us",
        "connect",
        "read",
        "write",
        "status",
        "timeout",
        "p50",
        "p95",
        "p99",
        "max",
    ]
    result = dict(zip(names, values, strict=True))
    result["errors"] = sum(result[name] for name in ("connect", "read", "write", "status", "timeout"))
    return result


def main() -> None:
    started = time.perf_counter()
    had_store = any((DATA / f"store-{size_name(BENCH_CASES)}").glob("release=*"))
    store = store_dir()
    prepare_s = time.perf_counter() - started
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_started = time.perf_counter()
    server = start_server(store, port)
    startup_s = time.perf_counter() - server_started
    load_before = os.getloadavg()[0]
    try:
        cold = cold_pass(base)
        load = run_wrk(base)
        load["loadavg"] = (load_before, os.getloadavg()[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(cold, load, prepare_s=prepare_s, reused=had_store, startup_s=startup_s)


def report(cold, load, *, prepare_s: float, reused: bool, startup_s: float) -> None:
    cold_ms = [ms for _, ms, _ in cold]
    cold_errors = [f"{path} -> {status}" for path, _, status in cold if status != 200]
    seconds = load["duration_us"] / 1e6
    verdict = "met" if load["p95"] / 1000 < TARGET_P95_MS and load["errors"] == 0 else "NOT met"
    slowest = sorted(cold, key=lambda item: -item[1])[:3]
    store_line = (
        f"reused the existing bench/out store ({prepare_s:.1f} s to check)"
        if reused
        else f"the store was not there yet: waiting for it and making it (sample generation and ingest, "
        f"shared with the other bench scripts under a file lock) took {prepare_s:.0f} s"
    )
    ms = {name: load[name] / 1000 for name in ("p50", "p95", "p99", "max")}
    rows = [
        (
            "requests under load",
            f"{load['requests']:,} in {seconds:.1f} s ({load['requests'] / seconds:,.0f} req/s)",
        ),
        ("latency p50 / p95 / p99 / max", "{p50:.1f} / {p95:.1f} / {p99:.1f} / {max:.1f} ms".format(**ms)),
        (
            "errors (connect, read, write, non-2xx, timeout)",
            f"{load['errors']} ({load['connect']}, {load['read']}, {load['write']}, {load['status']}, "
            f"{load['timeout']})",
        ),
        (f"target p95 < {TARGET_P95_MS} ms, zero errors", verdict),
        (
            "cold pass (first computation of each query)",
            f"median {statistics.median(cold_ms):,.0f} ms, max {max(cold_ms):,.0f} ms, total "
            f"{sum(cold_ms) / 1000:,.1f} s; errors: {', '.join(cold_errors) or 'none'}",
        ),
        (
            "1-minute load average before / after (other engineers share the machine)",
            "{:.1f} / {:.1f}".format(*load["loadavg"]),
        ),
        ("slowest cold queries", "; ".join(f"`{path}` {ms:,.0f} ms" for path, ms, _ in slowest)),
    ]
    table = "\n".join(
        ["| measure | value |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]
    )
    body = f"""
Machine: {machine_line()}; `nproc` = {os.cpu_count()}.
Data: {BENCH_CASES:,}-case SAMPLE (synthetic) release; {store_line}.
Server: `immcourt serve --no-warm` (one uvicorn process, results cached per normalised query string),
answering {startup_s:.1f} s after start. (`--warm`, the default, computes the overview's queries in the
background at start; it is off here so the cold pass below measures a cold server.)
Load: `wrk -t{THREADS} -c{CLIENTS} -d{DURATION_S}s`: {CLIENTS} concurrent connections on 127.0.0.1 picking at
random from {len(QUERIES)} API queries (`/api/stats` cuts with filters and options, `/api/metrics`,
`/api/release`),
after one cold pass over the same queries.

{table}

The latencies under load are cache hits: the store is immutable while served, so each distinct query is
computed once (the cold pass) and then served from the in-process LRU keyed by the normalised query.
"""
    write_section("bench/web.py", body)
    print(body)


if __name__ == "__main__":
    main()
