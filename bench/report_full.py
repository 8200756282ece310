"""The "Full size" section of docs/BENCHMARKS.md, from bench/full_size.py's results (one JSON per size)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.common import machine_line, write_section

TITLE = "Full size: bench/full_size.py (make bench-full)"


def _mib(step: dict | None) -> str:
    return f"{step['peak_rss_mib']:,}" if step else "-"


def _cell(step: dict | None) -> str:
    """wall s (CPU s)"""
    return f"{step['seconds']:,.1f} ({step['cpu_seconds']:,.1f})" if step else "-"


def _ratio(ours: dict | None, floor: dict | None) -> str:
    if not ours or not floor:
        return "-"
    return f"{ours['seconds'] / floor['seconds']:.2f}x ({ours['cpu_seconds'] / floor['cpu_seconds']:.2f}x)"


def write_report(paths: list[Path]) -> None:
    results = sorted(
        (json.loads(p.read_text()) for p in paths if p.name.startswith("full-")), key=lambda r: r["cases"]
    )
    tables = [json.loads(p.read_text()) for p in paths if p.name.startswith("table-")]
    if not results:
        return
    lines = [
        f"Machine: {machine_line()}.",
        "Releases: a generated 200,000-case SAMPLE (synthetic) release, grown to 2M and 12M cases by "
        "`../shared/tools/scaleup.py` (every core table's lines replicated with ids shifted by copy x 10^8, "
        "byte for byte: defects, cp1252, NUL and CRLF kept; tbl_schedule grown 98/60 times as much, to the "
        "~45M rows of a real release at 12M cases). Each step runs in its own process; time is wall time "
        "with CPU time (user + system, both cores) in brackets; peak RSS is that process's (`wait4`). "
        "The bare DuckDB load is `read_csv(all_varchar, tab, no quoting, latin-1, ignore_errors)` → Parquet "
        "(zstd) of the same files, in the same run; from a zip it first streams each member to a file. The "
        "load average (1 minute, 2 cores) is shown before/after each ingest.",
        "",
        "| cases | core rows (tbl_schedule) | table GB | ingest, folder: s (CPU s) | bare DuckDB, folder "
        "| immcourt / DuckDB | ingest, zip | bare DuckDB, zip | immcourt / DuckDB, zip | load before/after |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        s = r["steps"]
        rows = sum(r["rows"].values())
        schedule = r["rows"].get("tbl_schedule", 0)
        loads = ", ".join(
            f"{s[k]['load_before']}/{s[k]['load_after']}"
            for k in ("ingest_folder", "duckdb_folder")
            if k in s
        )
        lines.append(
            f"| {r['cases']:,} | {rows / 1e6:,.1f}M ({schedule / 1e6:,.1f}M) | {r['table_bytes'] / 1e9:,.2f} "
            f"| {_cell(s.get('ingest_folder'))} | {_cell(s.get('duckdb_folder'))} "
            f"| {_ratio(s.get('ingest_folder'), s.get('duckdb_folder'))} "
            f"| {_cell(s.get('ingest_zip'))} | {_cell(s.get('duckdb_zip'))} "
            f"| {_ratio(s.get('ingest_zip'), s.get('duckdb_zip'))} | {loads} |"
        )
    lines += [
        "",
        "Peak RSS (MiB) of each step, and the model and query steps:",
        "",
        "| cases | ingest, folder | bare DuckDB, folder | ingest, zip | bare DuckDB, zip "
        "| model build + counts: s (CPU s) | its RSS "
        "| every metric by one dimension + pending series, one process: slowest / median ms | its RSS "
        "| `immcourt stats` in a new process, median of 3: s (CPU s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for r in results:
        s = r["steps"]
        queries = s.get("queries", {}).get("ms", {})
        slowest = max(queries.items(), key=lambda item: item[1]) if queries else None
        query_cell = (
            f"{slowest[1]:,.0f} ({slowest[0]}) / {statistics.median(queries.values()):,.0f}"
            if slowest
            else "-"
        )
        new_process = "; ".join(
            f"`{name}` {v['seconds']:.2f} ({v['cpu_seconds']:.2f})"
            for name, v in r.get("stats_new_process", {}).items()
        )
        lines.append(
            f"| {r['cases']:,} | {_mib(s.get('ingest_folder'))} | {_mib(s.get('duckdb_folder'))} "
            f"| {_mib(s.get('ingest_zip'))} | {_mib(s.get('duckdb_zip'))} | {_cell(s.get('model'))} "
            f"| {_mib(s.get('model'))} | {query_cell} | {_mib(s.get('queries'))} | {new_process or '-'} |"
        )
    for r in tables:
        step = r["ingest"]
        lines += [
            "",
            f"One table alone (`bench/full_size.py table`): {r['table']} of the {r['cases']:,}-case release, "
            f"{step['rows']:,} rows, {step['bytes'] / 1e9:,.2f} GB: ingest {_cell(step)} s, peak RSS "
            f"**{step['peak_rss_mib']:,} MiB**; load {step['load_before']}/{step['load_after']}; "
            f"{r['started']} to {r['finished']}.",
        ]
    lines += [f"\n{r['cases']:,} cases: {r['note']}" for r in results if r.get("note")]
    finished = "; ".join(f"{r['cases']:,} cases {r['started']} to {r.get('finished', '?')}" for r in results)
    lines += ["", f"Measured: {finished}."]
    write_section(TITLE, "\n".join(lines))
