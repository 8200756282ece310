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
`IMMCOURT_BENCH_DATA` overrides it), never in the repository.

Every measured step runs in its own process started by this one, which reads the child's peak RSS from
`getrusage(RUSAGE_CHILDREN)` (via bench/peak.py's wrapper) and its wall and CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
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
            [str(ROOT / ".venv" / "bin" / "immcourt"), "sample", "--cases", str(BASE_CASES), "--seed",
             str(BASE_SEED), "--format", "dir", "--out", str(target), "-q"],
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
    """Grow the base sample to `cases` cases (a multiple of 200,000) with scaleup.py; reuses a finished one."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("release", help="build the grown release of --cases cases")
    make.add_argument("--cases", type=int, required=True)
    args = parser.parse_args()
    if args.command == "release":
        print(build_release(args.cases))


if __name__ == "__main__":
    main()
