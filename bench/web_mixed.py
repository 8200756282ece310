"""Load test with uncached queries and claim checks mixed in: 50 clients for 60 s (issue 12).

Unlike bench/web.py (whose load is cache hits after a cold pass), nearly every request here is new to the
server: wrk's Lua script builds each `/api/stats` URL from random parts (metric, group-by, a fiscal-year
window, a nationality filter, now and then a model option), so DuckDB computes most of them, while one
request in ten is a `POST /api/check` of a short article. Records throughput, p50/p95/p99 latency and
errors (any non-2xx counts) in docs/BENCHMARKS.md (section `bench/web_mixed.py`).

Run from the project root: `.venv/bin/python bench/web_mixed.py` (1,000,000 cases, the bench store);
`IMMCOURT_BENCH_CASES=50000 IMMCOURT_BENCH_MIXED_SECONDS=20` for a quick trial.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import BENCH_CASES, machine_line, store_dir, write_section  # noqa: E402
from bench.web import free_port, start_server  # noqa: E402

CLIENTS = 50
THREADS = 2
DURATION_S = int(os.environ.get("IMMCOURT_BENCH_MIXED_SECONDS", "60"))
CHECK_SHARE = 0.1

METRICS = ["completions", "allowed_to_remain_share", "removed_share", "new_cases", "asylum_grant_rate",
           "in_absentia_share", "median_days_to_completion", "closed_without_merits"]  # fmt: skip
# Groupings and options every metric above takes (a combination a metric refuses would be a 400).
BY = ["", "&by=fiscal_year", "&by=court", "&by=fiscal_year&by=custody"]
NATIONALITIES = ["", "MEXICO", "GUATEMALA", "HONDURAS", "EL SALVADOR", "CHINA", "INDIA", "VENEZUELA"]
OPTIONS = ["", "", "", "&opt.deciding_proceeding=last_completed", "&opt.admin_closure_as=pending"]
ARTICLE = (
    "Immigration judges completed 250,000 cases in fiscal year 2023, and 60% of asylum seekers were "
    "denied. The backlog passed 2 million pending cases in 2024. Judges granted asylum in 14,000 cases."
)

LUA = """
local metrics = {%(metrics)s}
local by = {%(by)s}
local nats = {%(nats)s}
local options = {%(options)s}
local check_body = %(body)s
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local function pick(list) return list[math.random(#list)] end
request = function()
  if math.random() < %(check_share)s then
    return wrk.format("POST", "/api/check", {["Content-Type"] = "application/json"}, check_body)
  end
  local first = math.random(2001, 2024)
  local last = math.random(first, 2025)
  local path = "/api/stats?metric=" .. pick(metrics) .. pick(by) .. "&fy_from=" .. first .. "&fy_to=" .. last
  local nat = pick(nats)
  if nat ~= "" then path = path .. "&nationality=" .. nat:gsub(" ", "%%%%20") end
  return wrk.format("GET", path .. pick(options))
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def lua_list(items: list[str]) -> str:
    return ", ".join(json.dumps(item) for item in items)


def run_wrk(base: str) -> dict[str, float]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (or `make wrk`)")
    script_text = LUA % {
        "metrics": lua_list(METRICS),
        "by": lua_list(BY),
        "nats": lua_list(NATIONALITIES),
        "options": lua_list(OPTIONS),
        "body": json.dumps(json.dumps({"text": ARTICLE})),
        "check_share": CHECK_SHARE,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    command = ["wrk", "-t", str(THREADS), "-c", str(CLIENTS), "-d", f"{DURATION_S}s", "--timeout", "60s",
               "-s", script.name, base]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    names = ["requests", "duration_us", "connect", "read", "write", "status", "timeout", "p50", "p95", "p99",
             "max"]  # fmt: skip
    result = dict(zip(names, [int(part) for part in line.split()[1:]], strict=True))
    result["errors"] = sum(result[name] for name in ("connect", "read", "write", "status", "timeout"))
    return result


def main() -> None:
    store = store_dir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = start_server(store, port)
    startup_s = time.perf_counter() - started
    load_before = os.getloadavg()[0]
    try:
        load = run_wrk(base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()[0]
    seconds = load["duration_us"] / 1e6
    ms = {name: load[name] / 1000 for name in ("p50", "p95", "p99", "max")}
    verdict = "met" if load["errors"] == 0 else "NOT met"
    rows = [
        ("requests", f"{load['requests']:,} in {seconds:.1f} s ({load['requests'] / seconds:,.1f} req/s)"),
        (
            "latency p50 / p95 / p99 / max",
            "{p50:,.0f} / {p95:,.0f} / {p99:,.0f} / {max:,.0f} ms".format(**ms),
        ),
        (
            "errors (connect, read, write, non-2xx, timeout)",
            f"{load['errors']} ({load['connect']}, {load['read']}, {load['write']}, {load['status']}, "
            f"{load['timeout']})",
        ),
        ("target: zero errors (p95 recorded, no target: nearly every request is computed)", verdict),
        ("1-minute load average before / after", f"{load_before:.1f} / {load_after:.1f}"),
    ]
    table = "\n".join(["| measure | value |", "|---|---|", *(f"| {n} | {v} |" for n, v in rows)])
    body = f"""
Machine: {machine_line()}; `nproc` = {os.cpu_count()}.
Data: {BENCH_CASES:,}-case SAMPLE (synthetic) release. Server: `immcourt serve --no-warm` with its default
limits (locked-down read-only store, 8 in-memory models, 60 s per query, claim checks 2 at a time),
answering {startup_s:.1f} s after start.
Load: `wrk -t{THREADS} -c{CLIENTS} -d{DURATION_S}s`: {CLIENTS} connections; each request is a
`/api/stats` URL built from random parts ({len(METRICS)} metrics x {len(BY)} groupings x fiscal-year
windows x {len(NATIONALITIES)} nationality filters x {len(OPTIONS)} option choices: nearly all uncached)
or, one time in {round(1 / CHECK_SHARE)}, a `POST /api/check` of a three-claim article.

{table}
"""
    write_section("bench/web_mixed.py", body)
    print(body)


if __name__ == "__main__":
    main()
