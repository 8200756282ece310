"""Crash harness: SIGKILL `immcourt ingest` at random points of a release replacement; check the store.

Used by `tests/test_crash.py` (a few runs in `make test`) and run long by `make crash`
(`python -m tests.crash_release --runs 100`, see docs/RELIABILITY.md). Each run replaces release `2026-01-05`
(5 or 6 cases, alternating, so old and new differ) with `immcourt ingest ... --model` in a child process and
kills it with SIGKILL, either after a random delay or at a random file-system step (the child counts its
renames, replaces, symlinks, deletions and directory creations and kills itself at the k-th one, so the
few-millisecond publish window is hit as often as the long load). Then:
- the release is readable at once, with the old or the new content, never missing or mixed;
- the next, uninterrupted ingest succeeds and leaves no leftover (`.tmp-*`, `.old-*`, `.link-*`,
  `.catalog.duckdb.<pid>`, unreferenced versions, model staging folders), and the catalog opens.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from immcourt.store import leftovers, list_releases, open_release
from tests.fuzz_release import COUNT_FILE, base_members, write_folder

RELEASE_ID = "2026-01-05"

# The child: count file-system steps and SIGKILL itself at step K (0: never), then run the CLI.
CHILD = r"""
import os, pathlib, shutil, signal, sys
kill_at = int(os.environ.get("CRASH_AT_STEP", "0"))
steps = [0]
def step():
    steps[0] += 1
    if steps[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
def wrap(owner, name):
    real = getattr(owner, name)
    def wrapped(*args, **kwargs):
        step()
        result = real(*args, **kwargs)
        step()
        return result
    setattr(owner, name, wrapped)
for owner, name in [(os, "replace"), (os, "rename"), (shutil, "rmtree"), (pathlib.Path, "rename"),
                    (pathlib.Path, "replace"), (pathlib.Path, "symlink_to"), (pathlib.Path, "mkdir"),
                    (pathlib.Path, "unlink"), (pathlib.Path, "write_text")]:
    wrap(owner, name)
import atexit
atexit.register(lambda: print(f"STEPS {steps[0]}", file=sys.stderr))
from immcourt.cli import app
sys.argv = ["immcourt", *sys.argv[1:]]
app()
"""


def release_variant(root: Path, cases: int) -> Path:
    """The fuzz base release with `cases` cases in A_TblCase (5 or 6) and a Count.txt that agrees."""
    members = base_members()
    table = "EOIR Case Data/A_TblCase.csv"
    if cases == 6:
        members[table] += b"6\tHO\tSP\tN\tRMV\t\tAUSTIN\t\r\n"  # C_ASY_TYPE empty
        members[COUNT_FILE] = members[COUNT_FILE].replace(b"A_TblCase\t5 rows", b"A_TblCase\t6 rows")
    return write_folder(root, members)


def ingest_command(source: Path, store: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        CHILD,
        "ingest",
        str(source),
        "--store",
        str(store),
        "--release-id",
        RELEASE_ID,
        "--replace",  # each run replaces the release with other content on purpose
        "--no-progress",
        "--model",
    ]


def run_child(
    source: Path, store: Path, *, kill_at_step: int = 0, kill_after: float | None = None
) -> tuple[int, int]:
    """Run the ingest; returns (exit code, file-system steps counted; -1 when killed)."""
    env = {**os.environ, "CRASH_AT_STEP": str(kill_at_step)}
    child = subprocess.Popen(
        ingest_command(source, store), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if kill_after is not None:
        try:
            child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
    _, err = child.communicate()
    steps = next((int(line.split()[1]) for line in err.splitlines() if line.startswith("STEPS ")), -1)
    return child.returncode, steps


def cases_in(store: Path) -> int:
    con, _ = open_release(store, RELEASE_ID)
    try:
        return con.execute("SELECT count(*) FROM A_TblCase").fetchall()[0][0]
    finally:
        con.close()


def deep_leftovers(store: Path) -> list[str]:
    """Leftovers of the store (store.leftovers) plus staging folders anywhere below it (model cache)."""
    found = [str(p) for p in leftovers(store)]
    found += [str(p) for p in store.rglob(".tmp-*")]
    return found


@dataclass
class Tally:
    runs: int = 0
    killed: int = 0  # the child died of SIGKILL (others finished before the kill)
    readable: int = 0
    old_seen: int = 0
    new_seen: int = 0
    clean_after_next: int = 0
    failures: list[str] = field(default_factory=list)


def crash_runs(runs: int, seed: int = 0, base: Path | None = None) -> Tally:
    rng = random.Random(seed)
    base = base or Path(tempfile.mkdtemp(prefix="immcourt-crash-"))
    store = base / "store"
    sources = {n: release_variant(base / f"release{n}", n) for n in (5, 6)}
    code, _ = run_child(sources[5], store)
    assert code == 0 and cases_in(store) == 5, "the first ingest failed"
    started = time.perf_counter()
    code, total_steps = run_child(sources[6], store)  # a replacement: its steps and time place the kills
    full_seconds = time.perf_counter() - started
    assert code == 0 and cases_in(store) == 6, "the replacing ingest failed"
    current = 6
    tally = Tally()
    for run in range(runs):
        new = 5 if current == 6 else 6
        if run % 2 == 0:
            code, _ = run_child(sources[new], store, kill_at_step=rng.randint(1, max(total_steps, 1)))
        else:
            code, _ = run_child(sources[new], store, kill_after=rng.uniform(0.0, full_seconds * 1.1))
        tally.runs += 1
        tally.killed += code == -signal.SIGKILL
        try:
            seen = cases_in(store)
        except Exception as error:  # noqa: BLE001 - any failure to read is what this harness looks for
            tally.failures.append(f"run {run}: release not readable after the kill: {error}")
            seen = None
        if seen in (current, new):
            tally.readable += 1
            tally.old_seen += seen == current
            tally.new_seen += seen == new
        elif seen is not None:
            tally.failures.append(f"run {run}: {seen} cases, expected {current} or {new}")
        code, _ = run_child(sources[new], store)
        if code != 0:
            tally.failures.append(f"run {run}: the next ingest failed with exit {code}")
        if (left := deep_leftovers(store)) or cases_in(store) != new or len(list_releases(store)) != 1:
            tally.failures.append(
                f"run {run}: after the next ingest: leftovers {left}, {cases_in(store)} cases"
            )
        else:
            tally.clean_after_next += 1
        try:
            with duckdb.connect(str(store / "catalog.duckdb"), read_only=True) as con:
                con.execute(f"SET file_search_path = '{store}'")
                assert con.execute("SELECT count(*) FROM latest.A_TblCase").fetchall() == [(new,)]
        except Exception as error:  # noqa: BLE001
            tally.failures.append(f"run {run}: catalog after the next ingest: {error}")
        current = new
    shutil.rmtree(base, ignore_errors=True)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("bench/out/crash.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    tally = crash_runs(args.runs, args.seed)
    summary = {**tally.__dict__, "seconds": round(time.perf_counter() - started, 1)}
    text = json.dumps(summary, indent=2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")
    print(text)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
