"""Benchmark: build of the `cases` relation and every metric by one dimension over all years.

Run from the project root: `.venv/bin/python bench/metrics.py` (IMMCOURT_BENCH_CASES overrides the
1,000,000-case sample size for a trial run). Writes its section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import immcourt  # noqa: E402
from bench.common import BENCH_CASES, machine_line, store_dir, write_section  # noqa: E402
from immcourt.metrics.catalog import METRICS  # noqa: E402

RUNS = 5
# One dimension per metric: the commonest cut, and one coded dimension to exercise the lookups.
CUTS = ("fiscal_year", "court")


def main() -> None:
    store = store_dir()
    db = immcourt.open(store)
    started = time.perf_counter()
    db.cases_table()
    build_seconds = time.perf_counter() - started
    rows = db.connection().sql(f"SELECT count(*) FROM {db.cases_table()}").fetchall()[0][0]
    lines = [
        f"Machine: {machine_line()}",
        f"Release {db.release.label}: {BENCH_CASES:,} generated cases (SAMPLE DATA); "
        f"`cases` relation {rows:,} rows.",
        "",
        f"- Build of the `cases` relation (default options, in memory): **{build_seconds:.2f} s**",
        "",
        f"Each metric over all years, median of {RUNS} runs after the build (ms):",
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
    body = "\n".join(lines)
    print(body)
    write_section("bench/metrics.py", body)


if __name__ == "__main__":
    main()
