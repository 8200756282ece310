"""Benchmark `immcourt diff` (records and statistics) against a naive pandas diff of the same two releases.

The pair is a generated SAMPLE release and its `--next-month` release (same seed), both ingested into one
store; it is made on first use under `$IMMCOURT_BENCH_DATA/diff-<cases>/` (default bench/out/). Each mode runs
in its own process, started by a small measuring process that reads `getrusage(RUSAGE_CHILDREN).ru_maxrss`
after it ends, so the peak RSS belongs to that one mode. The pandas baseline must find the same counts.

    .venv/bin/python bench/diff.py [--cases 200000]   # measure, write the section of docs/BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.common import OUT, machine_line, write_section  # noqa: E402

SEED = 20261201
TITLE = "bench/diff.py"
MODES = ("records", "statistics", "pandas")


def pair_store(cases: int) -> Path:
    """The store holding the release and its next month, generated and ingested on first use."""
    from immcourt.ingest import ingest_release
    from immcourt.sample import generate

    base = Path(os.environ.get("IMMCOURT_BENCH_DATA") or OUT) / f"diff-{cases // 1000}k"
    store = base / "store"
    if len(list(store.glob("release=*"))) < 2:
        for name, later in (("a", False), ("b", True)):
            if not (base / name / "oracle" / "manifest.json").exists():
                generate(cases=cases, seed=SEED, out=base / name, fmt="zip", quiet=True, next_month=later)
            ingest_release(base / name / "EOIR Case Data.zip", store=store, progress=False)
    return store


def _releases(store: Path) -> tuple[Path, Path]:
    folders = sorted(store.glob("release=*"))
    return folders[-2].resolve(), folders[-1].resolve()


def run(mode: str, store: Path) -> dict:
    started = time.perf_counter()
    if mode == "records":
        from immcourt.diff import diff_tables

        counts = {t.table: [t.added, t.removed, t.changed] for t in diff_tables(*_releases(store))}
    elif mode == "statistics":
        import immcourt
        from immcourt.diff import diff_statistics

        ids = sorted(p.name.removeprefix("release=") for p in store.glob("release=*"))
        db_a, db_b = immcourt.open(store, release=ids[-2]), immcourt.open(store, release=ids[-1])
        counts = {s.statistic: len(s.moved) for s in diff_statistics(db_a, db_b)}
    else:
        counts = _pandas(*_releases(store))
    return {"seconds": time.perf_counter() - started, "counts": counts}


def _pandas(folder_a: Path, folder_b: Path) -> dict:
    """The naive way: load both tables whole, outer-merge on the key, compare every shared column."""
    import pandas as pd

    from immcourt.diff import INGEST_COLUMNS, release_tables
    from immcourt.ingest.schema import primary_key

    counts = {}
    files_a, files_b = release_tables(folder_a), release_tables(folder_b)
    for table in sorted(files_a):
        key = primary_key(table)
        a, b = pd.read_parquet(files_a[table]), pd.read_parquet(files_b[table])
        merged = a.merge(b, on=key, how="outer", suffixes=("_a", "_b"), indicator=True)
        both = merged[merged["_merge"] == "both"]
        shared = [c for c in a.columns if c in b.columns and c != key and c not in INGEST_COLUMNS]
        changed = pd.Series(False, index=both.index)
        for column in shared:
            left, right = both[f"{column}_a"], both[f"{column}_b"]
            changed |= ~((left == right) | (left.isna() & right.isna()))
        counts[table] = [
            int((merged["_merge"] == "right_only").sum()),
            int((merged["_merge"] == "left_only").sum()),
            int(changed.sum()),
        ]
    return counts


def measure(mode: str, store: Path) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--run", mode, "--store", str(store)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(child.stdout)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--run", choices=MODES)
    parser.add_argument("--measure", choices=MODES)
    parser.add_argument("--store", type=Path)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run, args.store)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.store)))
        return
    store = pair_store(args.cases)
    load = os.getloadavg()
    results = {}
    for mode in MODES:
        out = subprocess.run(
            [sys.executable, __file__, "--measure", mode, "--store", str(store)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[mode] = json.loads(out.stdout)
    assert results["records"]["counts"] == results["pandas"]["counts"], "pandas and immcourt disagree"
    rows = sum(sum(v) for v in results["records"]["counts"].values())
    body = [
        f"{machine_line()}; load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.",
        "",
        f"A {args.cases:,}-case SAMPLE release and its `--next-month` release (seed {SEED}, realistic "
        f"defects), both in one store; {rows:,} rows added, removed or changed in all. Same counts from "
        "both record diffs (checked by the script). The later release draws its defects afresh, so these "
        "counts include rows quarantined or emptied by a defect in one release only (tests/test_diff.py "
        "bounds them; a `--defects none` pair matches the generator's oracle exactly).",
        "",
        "| mode | what | wall s | peak RSS MiB |",
        "|---|---|---|---|",
        f"| records | `immcourt diff --no-stats`: one DuckDB FULL OUTER JOIN per table | "
        f"{results['records']['seconds']:.1f} | {results['records']['peak_rss_mib']:.0f} |",
        f"| statistics | the {len(results['statistics']['counts'])} statistics of diff.STATISTICS on both "
        "releases (models already built by ingest) | "
        f"{results['statistics']['seconds']:.1f} | {results['statistics']['peak_rss_mib']:.0f} |",
        f"| pandas (baseline) | both tables loaded whole, outer merge, column-by-column compare | "
        f"{results['pandas']['seconds']:.1f} | {results['pandas']['peak_rss_mib']:.0f} |",
        "",
        f"Data: `{store.parent}/`. Run again: `IMMCOURT_BENCH_DATA={store.parent.parent} .venv/bin/python "
        f"bench/diff.py --cases {args.cases}`. On a shared machine wall times are upper bounds; read the "
        "ratio to the baseline measured in the same run.",
    ]
    write_section(TITLE, "\n".join(body))
    print("\n".join(body))


if __name__ == "__main__":
    main()
