"""Benchmark: build of the model, every metric by one dimension over all years, and pending (issue 8).

Run from the project root: `.venv/bin/python bench/metrics.py` (or `make bench-metrics`), which makes the
1,000,000-case sample and its store first when the data folder lacks them (bench/common.py:
`IMMCOURT_BENCH_DATA`, default bench/out/). IMMCOURT_BENCH_CASES overrides the size for a trial run;
`--pending-only` skips the all-metrics table. Writes its section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

import immcourt  # noqa: E402
from bench.common import BENCH_CASES, machine_line, store_dir, write_section  # noqa: E402
from immcourt.metrics.catalog import METRICS  # noqa: E402
from immcourt.model.build import MODEL_RELATIONS, attach_release, build_cases, materialize  # noqa: E402
from immcourt.sqlsafe import quote_path  # noqa: E402

RUNS = 5
# One dimension per metric: the commonest cut, and one coded dimension to exercise the lookups.
CUTS = ("fiscal_year", "court")


class _StepTimes(logging.Handler):
    """Collects model/build.py's "model step <file>: <s> s" debug lines."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.steps: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "model step %s: %.3f s":
            name, seconds = record.args
            self.steps[name] = seconds


def _build_from_scratch(store: Path) -> tuple[float, float, dict[str, float]]:
    """Wall and CPU seconds (all threads of the process) to build the default model (cases, case_periods,
    asylum_decisions, exclusions) in memory, bypassing the store's persisted copy, and the wall seconds of
    each SQL step. CPU time is the steadier measure on a shared machine."""
    release_dir = next(store.glob("release=*"))
    con = duckdb.connect(":memory:")
    attach_release(con, release_dir=release_dir)
    handler = _StepTimes()
    logger = logging.getLogger("immcourt.model.build")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        build_cases(con)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        con.close()
    return seconds, cpu, handler.steps


def _median_ms(call) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _timed(call) -> tuple[float, float, object, float]:
    """(first call ms, median wall ms of the next RUNS calls, the last answer, median CPU ms of those calls:
    every thread of this process, the steadier measure when other jobs share the cores)."""
    started = time.perf_counter()
    answer = call()
    first = (time.perf_counter() - started) * 1000
    timings, cpu = [], []
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        answer = call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return first, statistics.median(timings), answer, statistics.median(cpu)


# Baselines, written by hand here (not by the metrics compiler) over the persisted model's Parquet file
# `case_periods.parquet` on a plain DuckDB connection: the floor the API's own work (request checks,
# compiling, exclusions, a complete series) adds to. `{periods}` is the file, `?` the date. Like the
# default options, they leave out the cases the model marks defective (`defect`).
HAND_PENDING_AT = """
SELECT count(*) FROM read_parquet({periods}, hive_partitioning = false)
WHERE pending AND defect IS NULL AND period_from <= ? AND (period_to IS NULL OR period_to > ?)
"""
# The monthly series as one running sum of +1 (the month a pending period starts) and -1 (the month it
# ends) per month, to the month holding the release date.
HAND_SERIES_RUNNING_SUM = """
WITH spans AS (
    SELECT year(period_from) * 12 + month(period_from) - 1 AS enter,
           year(period_to) * 12 + month(period_to) - 1 AS leave
    FROM read_parquet({periods}, hive_partitioning = false)
    WHERE pending AND defect IS NULL
),
moves AS (
    SELECT enter AS m, 1 AS change FROM spans
    UNION ALL SELECT leave, -1 FROM spans WHERE leave IS NOT NULL
),
net AS (SELECT m, sum(change) AS change FROM moves GROUP BY m),
months AS (SELECT unnest(range((SELECT min(enter) FROM spans), ? + 1)) AS m)
SELECT months.m, sum(coalesce(net.change, 0)) OVER (ORDER BY months.m) AS pending
FROM months LEFT JOIN net USING (m) ORDER BY months.m
"""
# The same series as a range join per month (what issue 8 warned against): every pending period is
# matched against every month end it covers.
HAND_SERIES_RANGE_JOIN = """
WITH periods AS (
    SELECT period_from, period_to FROM read_parquet({periods}, hive_partitioning = false)
    WHERE pending AND defect IS NULL
),
months AS (
    SELECT m, last_day(make_date(CAST(m // 12 AS INTEGER), CAST(m % 12 + 1 AS INTEGER), 1)) AS month_end
    FROM (
        SELECT unnest(range(
            (SELECT min(year(period_from) * 12 + month(period_from) - 1) FROM periods), ? + 1)) AS m
    )
)
SELECT months.m, count(p.period_from) AS pending
FROM months LEFT JOIN periods AS p
    ON p.period_from <= months.month_end AND (p.period_to IS NULL OR p.period_to > months.month_end)
GROUP BY months.m ORDER BY months.m
"""


def _pending_lines(db, periods_file: Path) -> list[str]:
    """Pending at a date and the pending series by month (issue 8: target < 300 ms each, in an open
    process), each beside hand-written DuckDB baselines over the same Parquet file in the same run; the
    answers are checked equal before any time is reported."""
    release_day = db.release.release_date or date(2026, 11, 1)
    at = date(release_day.year - 1, 9, 30)
    last_month = release_day.year * 12 + release_day.month - 1
    plain = duckdb.connect(":memory:")
    periods = quote_path(periods_file)
    n_periods = plain.sql(f"SELECT count(*) FROM read_parquet({periods}, hive_partitioning = false)")
    lines = [
        f"Pending from `case_periods` ({n_periods.fetchall()[0][0]:,} periods), in this already-open process "
        f"(new-process start excluded). First call, then median of {RUNS} calls (ms):",
        "",
        "| question | how | first ms | median ms | median CPU ms | answer |",
        "|---|---|---:|---:|---:|---|",
    ]

    def row(question: str, how: str, timing: tuple[float, float, object, float], answer: str) -> None:
        first, median, _, cpu = timing
        lines.append(f"| {question} | {how} | {first:.0f} | {median:.0f} | {cpu:.0f} | {answer} |")
        print(lines[-1], flush=True)

    api_at = _timed(lambda: db.stats("pending", at=at))
    hand_at = _timed(lambda: plain.execute(HAND_PENDING_AT.format(periods=periods), [at, at]).fetchall())
    api_count, hand_count = api_at[2].to_dicts()[0]["value"], hand_at[2][0][0]
    if api_count != hand_count:
        raise SystemExit(f"pending at {at}: API {api_count} != hand-written {hand_count}")
    question = f"pending at {at}"
    row(question, "`db.stats('pending', at=...)` (target < 300 ms)", api_at, f"{api_count:,} cases")
    row(question, "baseline: hand-written DuckDB range filter on the Parquet file", hand_at, "same")

    api_series = _timed(lambda: db.stats("pending", by="month"))
    running = _timed(
        lambda: plain.execute(HAND_SERIES_RUNNING_SUM.format(periods=periods), [last_month]).fetchall()
    )
    joined = _timed(
        lambda: plain.execute(HAND_SERIES_RANGE_JOIN.format(periods=periods), [last_month]).fetchall()
    )
    api_values = [r["value"] for r in api_series[2].to_dicts()]
    for name, answer in (("running sum", running[2]), ("range join", joined[2])):
        values = [int(v) for _, v in answer]
        if values != api_values:
            raise SystemExit(f"pending by month: API and hand-written {name} differ")
    question = "pending series by month"
    shown = f"{len(api_values)} months, last {api_values[-1]:,}"
    row(question, "`db.stats('pending', by='month')` (target < 300 ms)", api_series, shown)
    row(question, "baseline: hand-written running sum of +1/-1 per month", running, "same")
    row(question, "baseline: hand-written range join, one per month end", joined, "same")

    for label, kwargs in (
        (f"pending at {at} by court", {"at": at, "by": "court"}),
        ("pending series by fiscal year", {"by": "fiscal_year"}),
        ("pending series by month and court", {"by": ["month", "court"]}),
    ):
        timing = _timed(lambda kwargs=kwargs: db.stats("pending", **kwargs))
        row(label, "`db.stats`", timing, f"{timing[2].table.num_rows:,} rows")
    plain.close()
    return lines


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _new_process_lines(store: Path, at: date) -> list[str]:
    """The same two questions from a new `immcourt stats` process (Python start, imports, opening the
    store): reported for reference, outside issue 8's target."""
    cli = Path(sys.executable).with_name("immcourt")
    lines = ["", "The same from a new process (`immcourt stats`, for reference; not the target):", ""]
    for args in (["--at", at.isoformat()], ["--by", "month", "--format", "csv"]):
        command = [str(cli), "stats", "pending", "--store", str(store), *args]
        timings, cpu = [], []
        for _ in range(3):
            started, cpu_started = time.perf_counter(), _children_cpu()
            subprocess.run(command, check=True, capture_output=True)
            timings.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - cpu_started)
        shown = " ".join(["immcourt", *command[1:]])
        lines.append(
            f"- `{shown}`: median of 3 {statistics.median(timings):.2f} s wall, "
            f"{statistics.median(cpu):.2f} s CPU"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--pending-only", action="store_true", help="only the model build and the pending section (issue 8)"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/BENCHMARKS.md")
    args = parser.parse_args()
    command = "IMMCOURT_BENCH_DATA=... " if os.environ.get("IMMCOURT_BENCH_DATA") else ""
    command += f".venv/bin/python bench/metrics.py {' '.join(sys.argv[1:])}".rstrip()
    load_before = os.getloadavg()
    store = store_dir()
    build_seconds, build_cpu, steps = _build_from_scratch(store)
    entry = materialize(store)  # what `immcourt ingest` does after loading a release
    if entry is None:
        raise SystemExit(f"{store}: the model could not be persisted (read-only store?)")
    started = time.perf_counter()
    db = immcourt.open(store)
    db.cases_table()
    load_seconds = time.perf_counter() - started
    rows = db.connection().sql(f"SELECT count(*) FROM {db.cases_table()}").fetchall()[0][0]
    shown_steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
    lines = [
        f"Machine: {machine_line()}",
        f"Command: `{command}` (data: {store}).",
        "Load average (1, 5, 15 min) at the start: " + ", ".join(f"{x:.1f}" for x in load_before) + ".",
        f"Release {db.release.label}: {BENCH_CASES:,} generated cases (SAMPLE DATA); "
        f"`cases` relation {rows:,} rows.",
        "",
        f"- Build of the model from scratch (default options: `cases`, `case_periods`, `asylum_decisions`, "
        "`exclusions`): "
        f"**{build_seconds:.2f} s** wall, {build_cpu:.1f} s CPU (paid once, by `immcourt ingest`, which "
        "keeps the result in the store). "
        f"Steps (wall): {shown_steps}.",
        f"- Opening the store and its persisted model (views over the Parquet files; in this process): "
        f"**{load_seconds:.2f} s**",
    ]
    if not args.pending_only:
        lines += _metric_lines(db)
    lines += ["", *_pending_lines(db, entry / MODEL_RELATIONS["case_periods"])]
    release_day = db.release.release_date or date(2026, 11, 1)
    lines += _new_process_lines(store, date(release_day.year - 1, 9, 30))
    lines += ["", "Load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg())]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        title = "bench/metrics.py --pending-only" if args.pending_only else "bench/metrics.py"
        write_section(title, body)


def _metric_lines(db) -> list[str]:
    lines = [
        "",
        f"Each metric over all years, on the persisted model, median of {RUNS} runs (ms):",
        "",
        "| metric | " + " | ".join(f"by {cut}" for cut in CUTS) + " |",
        "|---|" + "---|" * len(CUTS),
    ]
    worst = 0.0
    for metric in METRICS:
        cells = []
        for cut in CUTS:
            median = _median_ms(lambda metric=metric, cut=cut: db.stats(metric.name, by=cut))
            worst = max(worst, median)
            cells.append(f"{median:.0f}")
        lines.append(f"| {metric.name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    lines += ["", f"Slowest median: {worst:.0f} ms (target: < 300 ms per metric by one dimension)."]
    return lines


if __name__ == "__main__":
    main()
