"""Start-up of `immcourt stats METRIC --by DIMENSION` in a new process (issue 11 item 4), beside its floor
and the code it replaces, in one run.

    .venv/bin/python bench/startup.py --store 200k=/work/data/bench-out/200k/store \\
        --store 2m=/work/data/bench-out/2m/store --base main

For each store and each of NEW_PROCESS (bench/full_size.py's three statistics by one dimension), RUNS
times, interleaved so the machine's load weighs on all three alike:

- floor: `python -c "import duckdb; duckdb.connect().execute(SQL).fetchall()"` run from the store folder,
  SQL being the statement immcourt ran (Result.runnable_sql: the persisted case model as a view, then the
  metric's query). A new process can do no less: start Python, import DuckDB, read the model's Parquet.
- base: the immcourt of git revision --base (its `src/` exported to a temporary folder by `git archive`),
  the same command and arguments, with this checkout's virtual environment;
- now: this checkout's immcourt.

Each variant's source is compiled to bytecode first (as an installed wheel is; this machine sets
PYTHONDONTWRITEBYTECODE, which would otherwise make every run compile immcourt's modules again), and each
runs once untimed first (the page cache, and the counts a store keeps beside its model). Time is wall time
and CPU time (user + system, from `os.wait4`) of the child, median of RUNS. The two immcourt variants must
print byte for byte the same (stdout and stderr), else the script stops. The load average (1 minute) is
recorded before and after. `-X importtime` of one `now` run gives the import time by top-level package.

Results go to bench-out/startup-<label>.json in the data folder (IMMCOURT_BENCH_DATA, default /work/data)
and a Markdown table to standard output (for docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.full_size import NEW_PROCESS, OUT  # noqa: E402 - after the path set-up

PYTHON = str(ROOT / ".venv" / "bin" / "python")
RUNS = 5
# Runs immcourt's console-script entry point from the `src` folder named by PYTHONPATH.
ENTRY = "import sys; from immcourt.cli import main; sys.argv[0] = 'immcourt'; main()"
FLOOR = "import sys, duckdb; duckdb.connect().execute(open(sys.argv[1]).read()).fetchall()"


def _export(revision: str, into: Path) -> Path:
    """`src/` of git `revision` in folder `into` (read from the repository, which is left as it is)."""
    archive = subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def _run(args: list[str], *, env: dict[str, str], cwd: Path | None = None) -> tuple[float, float, bytes]:
    """Run one child: (wall s, CPU s of that child alone from wait4, its stdout + stderr)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as sink:
        child = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = sink.read()
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{output.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, output


def _env(src: Path | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _floor_sql(store: Path, metric: str, dimension: str, folder: Path) -> Path:
    """The statement immcourt runs for METRIC by DIMENSION, runnable from the store folder, in a file."""
    import immcourt

    db = immcourt.open(store)
    try:
        text = db.stats(metric, by=dimension).runnable_sql
    finally:
        db.close()
    path = folder / f"{metric}-{dimension}.sql"
    path.write_text(text, encoding="utf-8")
    return path


def _import_breakdown(src: Path, store: Path, metric: str, dimension: str) -> dict[str, float]:
    """Import time (ms, the modules' own time summed by top-level package) of one `now` run."""
    args = [PYTHON, "-X", "importtime", "-c", ENTRY, "stats", metric, "--by", dimension]
    args += ["--store", str(store), "--format", "csv"]
    done = subprocess.run(args, env=_env(src), capture_output=True, text=True, check=True)
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        package = name.strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(own) / 1000
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def measure(label: str, store: Path, *, base: Path, now: Path, runs: int, fmt: str) -> dict:
    """Floor, base and now for every NEW_PROCESS statistic on `store`; the import breakdown of `now`."""
    found: dict = {
        "store": str(store),
        "label": label,
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": round(os.getloadavg()[0], 1),
        "runs": runs,
        "format": fmt,
        "statistics": {},
    }
    with tempfile.TemporaryDirectory() as scratch:
        for metric, dimension in NEW_PROCESS:
            sql = _floor_sql(store, metric, dimension, Path(scratch))
            args = ["stats", metric, "--by", dimension, "--store", str(store), "--format", fmt]
            variants = {
                "floor": ([PYTHON, "-c", FLOOR, str(sql)], _env(None), store),
                "base": ([PYTHON, "-c", ENTRY, *args], _env(base), None),
                "now": ([PYTHON, "-c", ENTRY, *args], _env(now), None),
            }
            outputs = {name: _run(a, env=e, cwd=c)[2] for name, (a, e, c) in variants.items()}  # warm-up
            if outputs["base"] != outputs["now"]:
                raise SystemExit(f"{metric} --by {dimension}: the output differs from --base's")
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
            for _ in range(runs):
                for name, (a, e, c) in variants.items():
                    wall, cpu, _ = _run(a, env=e, cwd=c)
                    times[name].append((wall, cpu))
            found["statistics"][f"{metric} --by {dimension}"] = {
                name: {
                    "seconds": round(statistics.median(w for w, _ in pairs), 3),
                    "cpu_seconds": round(statistics.median(c for _, c in pairs), 3),
                    "runs": [[round(w, 3), round(c, 3)] for w, c in pairs],
                }
                for name, pairs in times.items()
            }
            print(json.dumps({label: found["statistics"][f"{metric} --by {dimension}"]}), flush=True)
    found["imports_ms"] = _import_breakdown(now, store, *NEW_PROCESS[1])
    found["load_after"] = round(os.getloadavg()[0], 1)
    found["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return found


def table(results: list[dict], base: str, commit: str) -> str:
    """The Markdown table of docs/BENCHMARKS.md: wall s (CPU s), median of runs, per store and statistic."""
    lines = [
        f"`immcourt stats METRIC --by DIMENSION --format {results[0]['format']}` in a new process, median "
        f"of {results[0]['runs']} runs: wall s (CPU s). base = {base}, now = {commit}.",
        "",
        "| store | statistic | floor: python + duckdb + the query | immcourt base | immcourt now | "
        "now / floor (CPU) | load before/after |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for found in results:
        for name, variants in found["statistics"].items():
            cells = [f"{variants[v]['seconds']:.2f} ({variants[v]['cpu_seconds']:.2f})" for v in variants]
            ratio = variants["now"]["cpu_seconds"] / variants["floor"]["cpu_seconds"]
            loads = f"{found['load_before']}/{found['load_after']}"
            lines.append(f"| {found['label']} | `{name}` | {' | '.join(cells)} | {ratio:.1f}x | {loads} |")
    lines += ["", "Import time of `now` by package (ms, own time summed; one `-X importtime` run):", ""]
    for found in results:
        top = ", ".join(f"{name} {ms:.0f}" for name, ms in list(found["imports_ms"].items())[:12])
        lines.append(f"- {found['label']}: {top}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", action="append", required=True, help="LABEL=PATH (repeatable)")
    parser.add_argument("--base", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--format", default="csv", choices=("csv", "table", "json"))
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    base_commit = subprocess.run(
        ["git", "rev-parse", "--short", args.base], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        base = _export(args.base, Path(scratch))
        now = ROOT / "src"
        for tree in (base, now):
            compileall.compile_dir(str(tree), quiet=1)
            where = subprocess.run(
                [PYTHON, "-c", "import immcourt; print(immcourt.__file__)"],
                env=_env(tree),
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            if not where.startswith(str(tree)):  # the PYTHONPATH copy must win over the editable install
                raise SystemExit(f"immcourt imported from {where}, not from {tree}")
        for item in args.store:
            label, _, path = item.partition("=")
            found = measure(label, Path(path), base=base, now=now, runs=args.runs, fmt=args.format)
            found.update(commit=commit, base=f"{args.base} ({base_commit})")
            (OUT / f"startup-{label}.json").write_text(json.dumps(found, indent=2) + "\n")
            results.append(found)
    print(table(results, f"{args.base} ({base_commit})", commit))


if __name__ == "__main__":
    main()
