"""The full-size benchmark (issue 11): a release of real size, ingested, modelled and queried, with time and
peak RSS at each size, beside a bare DuckDB load of the same files in the same run.

    .venv/bin/python bench/full_size.py release --cases 2000000      # build the grown release (once)
    .venv/bin/python bench/full_size.py run --cases 200000,2000000   # measure; writes docs/BENCHMARKS.md
    make bench-full                                                  # both, at 200k, 2M and 12M cases

How a release of real size is made: a generated 200,000-case SAMPLE (synthetic) release is grown by
`../shared/tools/scaleup.py` (the project's sibling folder; a fresh clone has it beside it in CI), which
replicates every core table's lines with every id column shifted by copy x 10**8, byte for byte (cp1252,
NUL, CRLF and every injected defect kept), and scales Count.txt. So a grown release holds N copies of the
same 200,000 case histories under different ids: its sizes and defects are real-size, its statistics are
the sample's times N. tbl_schedule is grown more than the others (SCHEDULE_ROWS_PER_CASE) so that at 12M
cases it has ~45M rows, the size of a real release's. The releases live under DATA (default /work/data,
`IMMCOURT_BENCH_DATA` overrides it), never in the repository; results go to DATA/bench-out
(`IMMCOURT_BENCH_OUT` overrides it).

Every measured step runs in its own process started by this one, which reads that child's peak RSS and CPU
time from `os.wait4` (the kernel's accounting of that one process and what it waited for) and its wall time.
The machine is shared: the load average is recorded before and after every step, and CPU time is the
steadier measure when it is high.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("IMMCOURT_BENCH_DATA", "/work/data"))
SCALEUP = Path(os.environ.get("IMMCOURT_SCALEUP", ROOT.parent / "shared" / "tools" / "scaleup.py"))
BASE_CASES = 200_000
BASE_SEED = 20261201
# Real releases hold ~45M schedule rows for ~12M cases (3.75 a case); the sample has ~2.3 a case, so
# tbl_schedule gets this many copies per copy of the other tables (45M rows at 60 copies).
SCHEDULE_FACTOR = 98 / 60
RELEASE = "EOIR Case Data"


def base_release() -> Path:
    """The 200,000-case sample (folder format) every grown release starts from, generated on first use."""
    target = DATA / "sample-200k"
    folder = target / RELEASE
    if not (folder / "Count.txt").is_file():
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "immcourt"),
                "sample",
                "--cases",
                str(BASE_CASES),
                "--seed",
                str(BASE_SEED),
                "--format",
                "dir",
                "--out",
                str(target),
                "-q",
            ],
            check=True,
        )
        _note(target.name, f"`immcourt sample --cases {BASE_CASES} --seed {BASE_SEED} --format dir`")
    return folder


def release_dir(cases: int) -> Path:
    """The folder release of `cases` cases (the base sample itself, or a grown copy of it)."""
    if cases == BASE_CASES:
        return base_release()
    return DATA / f"scaled-{_label(cases)}" / RELEASE


def build_release(cases: int) -> Path:
    """Grow the base sample to `cases` cases (a multiple of 200,000) with scaleup.py (reused when done)."""
    if cases % BASE_CASES:
        sys.exit(f"--cases {cases}: must be a multiple of {BASE_CASES:,} (the grown sample)")
    source = base_release()
    if cases == BASE_CASES:
        return source
    copies = cases // BASE_CASES
    schedule_copies = round(copies * SCHEDULE_FACTOR)
    target = release_dir(cases)
    if (target / ".complete").is_file():
        return target
    if not SCALEUP.is_file():
        sys.exit(
            f"{SCALEUP} is missing: the full-size benchmark grows a sample with ../shared/tools/scaleup.py "
            "(set IMMCOURT_SCALEUP to its path)"
        )
    shutil.rmtree(target.parent, ignore_errors=True)
    work = target.parent / ".work"
    tables = sorted(p.stem for p in (source / RELEASE).glob("*.csv"))
    others = ",".join(t for t in tables if t != "tbl_schedule")
    started = time.perf_counter()
    # Two runs (the other tables at `copies`, tbl_schedule at `schedule_copies`) into two folders, merged.
    _scaleup(source, target, copies, others)
    _scaleup(source, work, schedule_copies, "tbl_schedule")
    shutil.move(work / RELEASE / "tbl_schedule.csv", target / RELEASE / "tbl_schedule.csv")
    schedule_line = next(
        line for line in (work / "Count.txt").read_bytes().split(b"\n") if line.startswith(b"tbl_schedule\t")
    )
    count = (target / "Count.txt").read_bytes().rstrip(b"\r\n")
    (target / "Count.txt").write_bytes(count + b"\n" + schedule_line.rstrip(b"\r\n") + b"\n")
    shutil.rmtree(work)
    seconds = time.perf_counter() - started
    _note(
        target.parent.name,
        f"bench/full_size.py release --cases {cases}: the sample-200k release grown by "
        f"../shared/tools/scaleup.py, {copies} copies (tbl_schedule {schedule_copies}) with ids shifted by "
        f"copy x 10**8; {seconds:.0f} s",
    )
    (target / ".complete").write_text("done\n")
    return target


def _scaleup(source: Path, out: Path, copies: int, only: str) -> None:
    subprocess.run(
        [sys.executable, str(SCALEUP), str(source), str(out), "--copies", str(copies), "--only", only],
        check=True,
    )


def _note(name: str, how: str) -> None:
    readme = DATA / "README.txt"
    lines = readme.read_text().splitlines() if readme.is_file() else ["Generated data (never committed)."]
    lines = [line for line in lines if not line.startswith(f"{name}/:")] + [f"{name}/: {how}"]
    readme.write_text("\n".join(lines) + "\n")


def _label(cases: int) -> str:
    return f"{cases // 1_000_000}m" if cases % 1_000_000 == 0 else f"{cases // 1000}k"


# Results and the stores measured go here (IMMCOURT_BENCH_OUT overrides it, e.g. to measure a branch beside
# another run's results without touching them).
OUT = Path(os.environ.get("IMMCOURT_BENCH_OUT", DATA / "bench-out"))
ZIP_NAME = "EOIR Case Data.zip"
STATS_RUNS = 3
# Every metric is asked by one dimension in the query step; the new-process step asks these.
NEW_PROCESS = (
    ("completions", "court"),
    ("asylum_grant_rate", "nationality"),
    ("pending", "fiscal_year"),
)


def release_zip(cases: int) -> Path:
    """The release as one zip (Deflate, level 1 to make it quickly: inflating costs about the same at any
    level), made from the folder once."""
    folder = release_dir(cases)
    target = folder.parent / ZIP_NAME
    if not target.is_file():
        temporary = target.with_suffix(".tmp.zip")
        temporary.unlink(missing_ok=True)
        subprocess.run(["zip", "-q", "-r", "-1", str(temporary), RELEASE], cwd=folder.parent, check=True)
        temporary.rename(target)
    return target


def _tables(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.csv") if "lookup" not in {q.lower() for q in p.parent.parts})


# -- the steps, each run in a child process -------------------------------------------------------------


def step_ingest(source: str, store: str) -> dict:
    from immcourt.ingest import ingest_release

    report = ingest_release(source, store=store, progress=False)
    return {"rows": sum(r.loaded for r in report.tables.values()), "bytes": report.bytes_read}


def step_ingest_table(source: str, store: str, table: str) -> dict:
    from immcourt.ingest import ingest_release

    report = ingest_release(source, store=store, progress=False, tables=[table])
    return {"rows": sum(r.loaded for r in report.tables.values()), "bytes": report.bytes_read}


def step_duckdb(source: str, out: str) -> dict:
    """The floor: every core table read by DuckDB's read_csv (all VARCHAR, tab, no quoting) into Parquet
    (zstd); from a zip, each member is first streamed to a temporary file (DuckDB cannot read a zip)."""
    import zipfile

    import duckdb
    import zipfile_deflate64  # noqa: F401 - Deflate64 members

    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET temp_directory = '{target / '.spill'}'")

    def load(path: Path, name: str) -> None:
        con.execute(
            f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true, delim = '\\t', quote = '', "
            "escape = '', header = true, encoding = 'latin-1', ignore_errors = true, null_padding = true, "
            f"strict_mode = false)) TO '{target / name}.parquet' (FORMAT parquet, COMPRESSION zstd)"
        )

    if source.endswith(".zip"):
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                lower = info.filename.lower()
                if not lower.endswith(".csv") or "/lookup/" in f"/{lower}":
                    continue
                temporary = target / "member.csv"
                with archive.open(info) as member, open(temporary, "wb") as sink:
                    shutil.copyfileobj(member, sink, 1 << 20)
                load(temporary, Path(info.filename).stem)
                temporary.unlink()
    else:
        for path in _tables(Path(source)):
            load(path, path.stem)
    return {}


def step_model(store: str) -> dict:
    """What `immcourt ingest` does after the load: build and persist the default model, and its counts."""
    from immcourt.metrics.api import open_store
    from immcourt.model.build import materialize

    started = time.perf_counter()
    materialize(store)
    built = time.perf_counter() - started
    db = open_store(store)
    db.warm()
    cases = db.connection().sql(f"SELECT count(*) FROM {db.cases_table()}").fetchall()[0][0]
    db.close()
    return {"build_seconds": built, "cases": cases}


def step_queries(store: str) -> dict:
    """In one process: the pending series, then every metric of the catalog by one dimension (all years)."""
    import immcourt
    from immcourt.metrics.catalog import METRICS

    db = immcourt.open(store)
    timings: dict[str, float] = {}

    def timed(label: str, **kwargs: object) -> None:
        started = time.perf_counter()
        db.stats(**kwargs)  # type: ignore[arg-type]
        timings[label] = (time.perf_counter() - started) * 1000

    timed("pending series by month", metric="pending", by="month")
    timed("pending series by fiscal_year", metric="pending", by="fiscal_year")
    for metric in METRICS:
        dimension = "court" if "court" in metric.dimensions else metric.dimensions[0]
        timed(f"{metric.name} by {dimension}", metric=metric.name, by=dimension)
    db.close()
    return {"ms": timings}


STEPS = {
    "ingest": step_ingest,
    "ingest_table": step_ingest_table,
    "duckdb": step_duckdb,
    "model": step_model,
    "queries": step_queries,
}


def _measure(step: str, *args: str) -> dict:
    """Run one step in a child process: wall time, CPU time and peak RSS of that child, loads around it."""
    before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "step", step, *args], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode:
        sys.exit(f"step {step} {' '.join(args)} failed ({child.returncode})")
    result = json.loads(output.strip().splitlines()[-1]) if output.strip() else {}
    result.update(
        step=step,
        seconds=round(seconds, 2),
        cpu_seconds=round(usage.ru_utime + usage.ru_stime, 2),
        peak_rss_mib=round(usage.ru_maxrss / 1024),
        load_before=round(before, 1),
        load_after=round(os.getloadavg()[0], 1),
    )
    print(json.dumps(result), flush=True)
    return result


def _stats_new_process(store: Path) -> dict:
    """`immcourt stats METRIC --by DIMENSION` in a new process, STATS_RUNS times each: median wall time.
    bench/startup.py measures the same beside bare DuckDB and an earlier revision, with bytecode compiled."""
    found = {}
    for metric, dimension in NEW_PROCESS:
        walls, cpus = [], []
        for _ in range(STATS_RUNS):
            started = time.perf_counter()
            child = subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "immcourt"),
                    "stats",
                    metric,
                    "--by",
                    dimension,
                    "--store",
                    str(store),
                    "--format",
                    "csv",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.perf_counter() - started)
            cpus.append(usage.ru_utime + usage.ru_stime)
        found[f"{metric} --by {dimension}"] = {
            "seconds": round(statistics.median(walls), 2),
            "cpu_seconds": round(statistics.median(cpus), 2),
        }
    print(json.dumps(found), flush=True)
    return found


ALL_STEPS = ("ingest", "zip", "model", "queries", "stats")


def run_size(cases: int, *, with_zip: bool, steps: tuple[str, ...] = ALL_STEPS) -> dict:
    """The measurements `steps` at one size, merged into OUT/full-<label>.json (saved after every step, so a
    run cut short keeps what it measured; without "ingest" the store of an earlier run is reused)."""
    folder = build_release(cases)
    label = _label(cases)
    work = OUT / label
    path = OUT / f"full-{label}.json"
    if "ingest" in steps or not path.is_file():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        tables = _tables(folder)
        counts = (folder / "Count.txt").read_text(encoding="cp1252").splitlines()
        result: dict = {
            "cases": cases,
            "table_bytes": sum(p.stat().st_size for p in tables),
            "rows": {
                line.split("\t")[0]: int(line.split("\t")[1].split()[0])
                for line in counts[1:]
                if "\t" in line
            },
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "steps": {},
        }
    else:
        result = json.loads(path.read_text())

    def save() -> None:
        result["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        path.write_text(json.dumps(result, indent=2) + "\n")

    measured = result["steps"]
    if "ingest" in steps:
        measured["ingest_folder"] = _measure("ingest", str(folder), str(work / "store"))
        save()
        measured["duckdb_folder"] = _measure("duckdb", str(folder), str(work / "duckdb"))
        shutil.rmtree(work / "duckdb")
        save()
    if with_zip and "zip" in steps:
        archive = release_zip(cases)
        measured["ingest_zip"] = _measure("ingest", str(archive), str(work / "store-zip"))
        shutil.rmtree(work / "store-zip")
        save()
        measured["duckdb_zip"] = _measure("duckdb", str(archive), str(work / "duckdb-zip"))
        shutil.rmtree(work / "duckdb-zip")
        save()
    if "model" in steps:
        measured["model"] = _measure("model", str(work / "store"))
        save()
    if "queries" in steps:
        measured["queries"] = _measure("queries", str(work / "store"))
        save()
    if "stats" in steps:
        result["stats_new_process"] = _stats_new_process(work / "store")
        save()
    return result


def run_table(cases: int, table: str) -> dict:
    """Ingest of one table alone (the largest, tbl_schedule: memory must not grow with it)."""
    folder = build_release(cases)
    work = OUT / f"{_label(cases)}-{table}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result = {
        "cases": cases,
        "table": table,
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "ingest": _measure("ingest_table", str(folder), str(work / "store"), table),
    }
    result["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    shutil.rmtree(work)
    (OUT / f"table-{_label(cases)}-{table}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("release", help="build the grown release of --cases cases")
    make.add_argument("--cases", type=int, required=True)
    run = sub.add_parser("run", help="measure at each size of --cases (comma-separated)")
    run.add_argument("--cases", default="200000,2000000,12000000")
    run.add_argument("--steps", default=",".join(ALL_STEPS), help=f"some of {','.join(ALL_STEPS)}")
    run.add_argument(
        "--no-report", action="store_true", help="only write the JSON results, not docs/BENCHMARKS.md"
    )
    run.add_argument(
        "--zip-up-to", type=int, default=2_000_000, help="also measure from a zip up to this size"
    )
    one = sub.add_parser("table", help="measure the ingest of one table alone at --cases")
    one.add_argument("--cases", type=int, default=12_000_000)
    one.add_argument("--table", default="tbl_schedule")
    sub.add_parser("report", help="(re)write the docs/BENCHMARKS.md section from the results measured")
    step = sub.add_parser("step")
    step.add_argument("name", choices=sorted(STEPS))
    step.add_argument("args", nargs="*")
    args = parser.parse_args()
    if args.command == "release":
        print(build_release(args.cases))
    elif args.command == "step":
        print(json.dumps(STEPS[args.name](*args.args)))
    elif args.command == "run":
        for cases in (int(c) for c in args.cases.split(",")):
            steps = tuple(args.steps.split(","))
            run_size(cases, with_zip=cases <= args.zip_up_to, steps=steps)
            if not args.no_report:
                report()
    elif args.command == "table":
        run_table(args.cases, args.table)
        report()
    else:
        report()


def report() -> None:
    from bench.report_full import write_report

    write_report(sorted([*OUT.glob("full-*.json"), *OUT.glob("table-*.json")]))


if __name__ == "__main__":
    main()
