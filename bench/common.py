"""Shared set-up for the benchmark scripts: one 1,000,000-case sample release and its store, made once.

The sample and store live in the data folder: `IMMCOURT_BENCH_DATA` when set (e.g. /work/data, shared by
several clones), else bench/out/ (gitignored). They are named by size (`sample-1m/`, `store-1m/` for
1,000,000 cases; `sample-200000/` otherwise) and reused by every bench script; a file lock in that folder
keeps two scripts that start together from generating them twice. A fresh clone has none: the first bench
script to need them generates the sample (`immcourt sample`, seed BENCH_SEED, about 6 minutes of CPU at
1,000,000 cases) and ingests it (about 30 s).
"""

from __future__ import annotations

import fcntl
import os
import platform
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
DATA = Path(os.environ.get("IMMCOURT_BENCH_DATA") or OUT)
BENCH_CASES = int(os.environ.get("IMMCOURT_BENCH_CASES", "1000000"))
BENCH_SEED = 20261123


@contextmanager
def _locked(name: str, folder: Path = DATA):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def size_name(cases: int = BENCH_CASES) -> str:
    """'1m' for 1,000,000 cases, '200k' for 200,000, else the number: the suffix of the data folders."""
    if cases % 1_000_000 == 0:
        return f"{cases // 1_000_000}m"
    if cases % 1_000 == 0:
        return f"{cases // 1_000}k"
    return str(cases)


def sample_dir(cases: int = BENCH_CASES) -> Path:
    """The folder holding the generated sample (its zip and its oracle), generating it on first use."""
    from immcourt.sample import generate

    target = DATA / f"sample-{size_name(cases)}"
    with _locked(target.name):
        if not (target / "oracle" / "manifest.json").exists():
            generate(cases=cases, seed=BENCH_SEED, out=target, fmt="zip")
    return target


def release_zip(cases: int = BENCH_CASES) -> Path:
    """The generated release zip."""
    return sample_dir(cases) / "EOIR Case Data.zip"


def store_dir(cases: int = BENCH_CASES) -> Path:
    """A store holding the ingested sample, ingesting it on first use."""
    from immcourt.ingest import ingest_release

    zip_path = release_zip(cases)
    target = DATA / f"store-{size_name(cases)}"
    with _locked(target.name):
        if not any(target.glob("release=*")):
            ingest_release(zip_path, store=target, progress=False)
    return target


def machine_line() -> str:
    """Machine and date, for the header of a benchmark section."""
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM; "
        f"Python {platform.python_version()}; commit {_commit()}"
    )


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


_BENCHMARKS_HEADER = (
    "# Benchmarks\n\nEvery number here was measured by a script under bench/ on a 1,000,000-case SAMPLE "
    "(synthetic) release unless the section says otherwise.\n"
)


def write_section(title: str, body: str) -> None:
    """Replace (or append) the section headed `## title` in docs/BENCHMARKS.md."""
    path = Path(__file__).resolve().parents[1] / "docs" / "BENCHMARKS.md"
    with _locked("benchmarks-md", OUT):
        text = path.read_text() if path.exists() else _BENCHMARKS_HEADER
        header = f"## {title}\n"
        start = text.find(header)
        section = header + "\n" + body.strip() + "\n\n"
        if start == -1:
            text = text.rstrip() + "\n\n" + section
        else:
            end = text.find("\n## ", start + len(header))
            text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
        path.write_text(text)
