"""Benchmark: build of the `cases` relation and every metric by one dimension over all years.

Run from the project root: `.venv/bin/python bench/metrics.py` (IMMCOURT_BENCH_CASES overrides the
1,000,000-case sample size for a trial run). Writes its section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

import immcourt  # noqa: E402
from bench.common import BENCH_CASES, machine_line, store_dir, write_section  # noqa: E402
from immcourt.metrics.catalog import METRICS  # noqa: E402
from immcourt.model.build import attach_release, build_cases, materialize  # noqa: E402

RUNS = 5
# One dimension per metric: the commonest cut, and one coded dimension to exercise the lookups.
CUTS = ("fiscal_year", "court")


def _build_from_scratch(store: Path) -> float:
    """Seconds to build the default `cases` table in memory, bypassing the store's persisted copy."""
    release_dir = next(store.glob("release=*"))
    con = duckdb.connect(":memory:")
    attach_release(con, release_dir=release_dir)
    started = time.perf_counter()
    build_cases(con)
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def _median_ms(call) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _pending_lines(db) -> list[str]:
    """Pending at a date and pending series from `case_periods` (target < 300 ms each)."""
    release_day = db.release.release_date
    at = date(release_day.year - 1, 9, 30) if release_day else date(2024, 9, 30)
    cuts = [
        (f"pending at {at} (one range filter)", {"at": at}),
        (f"pending at {at} by court", {"at": at, "by": "court"}),
        ("pending series by month (every month, running sum)", {"by": "month"}),
        ("pending series by fiscal year", {"by": "fiscal_year"}),
        ("pending series by month and court", {"by": ["month", "court"]}),
    ]
    periods = db.connection().sql(f"SELECT count(*) FROM {_periods(db)}")
    lines = [
        f"Pending from `case_periods` ({periods.fetchall()[0][0]:,} periods), median of {RUNS} runs:",
        "",
        "| query | ms |",
        "|---|---:|",
    ]
    for label, kwargs in cuts:
        lines.append(f"| {label} | {_median_ms(lambda kwargs=kwargs: db.stats('pending', **kwargs)):.0f} |")
        print(lines[-1], flush=True)
    return lines


def _periods(db) -> str:
    return db.cases_table().replace("cases_", "case_periods_", 1)


def main() -> None:
    store = store_dir()
    build_seconds = _build_from_scratch(store)
    materialize(store)  # what `immcourt ingest` does after loading a release
    started = time.perf_counter()
    db = immcourt.open(store)
    db.cases_table()
    load_seconds = time.perf_counter() - started
    rows = db.connection().sql(f"SELECT count(*) FROM {db.cases_table()}").fetchall()[0][0]
    lines = [
        f"Machine: {machine_line()}",
        f"Release {db.release.label}: {BENCH_CASES:,} generated cases (SAMPLE DATA); "
        f"`cases` relation {rows:,} rows.",
        "",
        f"- Build of the `cases` relation from scratch (default options): **{build_seconds:.2f} s**"
        " (paid once, by `immcourt ingest`, which keeps the result in the store)",
        f"- Opening the store in a new process with the persisted model: **{load_seconds:.2f} s**",
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
            timings = []
            for _ in range(RUNS):
                started = time.perf_counter()
                db.stats(metric.name, by=cut)
                timings.append((time.perf_counter() - started) * 1000)
            median = statistics.median(timings)
            worst = max(worst, median)
            cells.append(f"{median:.0f}")
        lines.append(f"| {metric.name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    lines += ["", f"Slowest median: {worst:.0f} ms (target: < 300 ms per metric by one dimension)."]
    lines += ["", *_pending_lines(db)]
    body = "\n".join(lines)
    print(body)
    write_section("bench/metrics.py", body)


if __name__ == "__main__":
    main()
