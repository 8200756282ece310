"""Time `immcourt sample` for the default demo size (50,000 cases) and the benchmark size (1,000,000).

Writes into bench/out/ (deleted afterwards) and records the section "bench/sample_generate.py" of
docs/BENCHMARKS.md. Wall time depends on what else runs on the machine, so CPU time and the load
average are recorded too. IMMCOURT_BENCH_CASES replaces the 1,000,000 for a quick trial.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import BENCH_CASES, OUT, machine_line, write_section  # noqa: E402
from immcourt.sample import generate  # noqa: E402

DEMO_CASES = 50_000


def _timed(cases: int) -> dict:
    target = OUT / f"sample-timing-{cases}"
    shutil.rmtree(target, ignore_errors=True)
    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    result = generate(cases=cases, seed=20261123, out=target, fmt="zip", quiet=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    size = result.release.stat().st_size
    shutil.rmtree(target, ignore_errors=True)
    return {
        "cases": cases,
        "rows": sum(result.row_counts.values()),
        "wall": wall,
        "cpu": cpu,
        "zip_mb": size / 1e6,
        "load": (load_before + os.getloadavg()[0]) / 2,
    }


def main() -> None:
    runs = [_timed(DEMO_CASES), _timed(BENCH_CASES)]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        machine_line(),
        "",
        "Generation of a SAMPLE (synthetic) release, zip format, realistic defects, seed 20261123.",
        "",
        "| cases | rows (all tables) | wall s | CPU s | cases/s (wall) | zip MB | load avg during run |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run['cases']:,} | {run['rows']:,} | {run['wall']:.1f} | {run['cpu']:.1f} | "
            f"{run['cases'] / run['wall']:,.0f} | {run['zip_mb']:.0f} | {run['load']:.1f} |"
        )
    lines += ["", f"Peak resident memory of the process over both runs: {peak_mib:,.0f} MiB."]
    write_section("bench/sample_generate.py", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
