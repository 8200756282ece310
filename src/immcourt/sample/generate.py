"""`generate()`: write a synthetic EOIR release (zip or folder) and its oracle, chunk by chunk."""

from __future__ import annotations

import json
import random
import shutil
import zipfile
from collections import Counter
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from immcourt import __version__

from .cases import CaseSimulator, Ids
from .defects import EXPECT, RATE_PER_KIND
from .nextmonth import MonthAdvance, monthly_new_cases, next_release_date
from .profile import load_profile
from .schema import CORE_FOLDER, LOOKUP_FOLDER, LOOKUPS, TABLES, columns, lookup_bytes
from .timeline import Calendar
from .writer import TableWriter

RELEASE_NAME = "EOIR Case Data"
CHUNK_CASES = 5_000
DEFAULT_RELEASE_DATE = date(2026, 11, 1)
FIRST_IDNCASE = 1_000_001
# Fast Deflate: generation speed matters more than a few MB of zip size for a sample.
COMPRESS_LEVEL = 1
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

TRUTH_SCHEMA = pa.schema(
    [
        ("IDNCASE", pa.int64()),
        ("case_type", pa.string()),
        ("nat", pa.string()),
        ("start_date", pa.date32()),
        ("outcome", pa.string()),
        ("completion_date", pa.date32()),
        ("asylum_case", pa.bool_()),
        ("asylum_decision", pa.string()),
        ("represented", pa.bool_()),
        ("in_absentia", pa.bool_()),
        ("court", pa.string()),
        ("custody", pa.string()),
        ("proceedings", pa.int32()),
        ("criminal_charge_deciding_proceeding", pa.bool_()),
        ("criminal_charge_any_proceeding", pa.bool_()),
        ("criminal_charge_charges", pa.bool_()),
        ("aggravated_felony_charges", pa.bool_()),
        ("prosecutorial_discretion", pa.bool_()),
    ]
)
DEFECT_SCHEMA = pa.schema(
    [
        ("table", pa.string()),
        ("line", pa.int64()),
        ("kind", pa.string()),
        ("column", pa.string()),
        ("raw_value", pa.string()),
        ("clean_value", pa.string()),
        ("expect", pa.string()),
    ]
)

README = """SAMPLE DATA - NOT REAL IMMIGRATION COURT CASES

This archive was produced by `immcourt sample` (version {version}). It imitates the layout of the
Executive Office for Immigration Review's "EOIR Case Data" release: tab-delimited tables, a Lookup folder
and Count.txt. Every case, person, date, judge assignment and decision in it is invented by a random
generator (seed {seed}, {cases} cases, defects: {defects}). The code lists and court names come from
real EOIR lookup tables and the shapes follow published aggregates; judge names are invented (the judge
codes and pseudo-judges keep the real lookup's shape). No row describes a real person or a real
proceeding. Do not quote numbers computed from it as facts about the immigration courts.

Release date: {release_date}
"""


class SampleError(ValueError):
    """A generate() argument a user can get wrong."""


@dataclass
class SampleResult:
    release: Path  # the zip file, or the release folder
    oracle: Path
    cases: int
    row_counts: dict[str, int]
    defect_counts: dict[str, int] = field(default_factory=dict)


def generate(
    *,
    cases: int,
    seed: int,
    out: str | Path,
    fmt: str = "zip",
    defects: str = "realistic",
    release_date: date | str = DEFAULT_RELEASE_DATE,
    quiet: bool = False,
    next_month: bool = False,
) -> SampleResult:
    """Write a synthetic release of `cases` cases (same arguments -> same bytes) plus its oracle.

    `next_month=True` writes instead the same cases one month after `release_date` (see nextmonth.py):
    some decided, a few changed or vanished, new cases added; the release is dated a month later and
    `oracle/changes.parquet` lists every row added, removed or changed against the release of the same
    arguments without `next_month`."""
    release_date = _check(cases, fmt, defects, release_date)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    build = out / ".build"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir()
    table_dir = build if fmt == "zip" else out / RELEASE_NAME / CORE_FOLDER
    table_dir.mkdir(parents=True, exist_ok=True)
    oracle = out / "oracle"
    shutil.rmtree(oracle, ignore_errors=True)
    (oracle / "clean").mkdir(parents=True)
    (oracle / "truth").mkdir()

    calendar = Calendar.for_release(release_date)
    simulator = CaseSimulator(load_profile(), calendar)
    advance = None
    base_date = release_date
    if next_month:
        release_date = next_release_date(base_date)
        advance = MonthAdvance(simulator, CaseSimulator(simulator.p, Calendar.for_release(release_date)))
    with ExitStack() as stack:
        writers = {t: TableWriter(t, table_dir / f"{t}.csv", defects=defects == "realistic") for t in TABLES}
        for writer in writers.values():
            stack.callback(writer.close)
        truth = stack.enter_context(pq.ParquetWriter(oracle / "truth" / "cases.parquet", TRUTH_SCHEMA))
        progress = stack.enter_context(_progress(quiet, cases))
        _generate_cases(simulator, writers, truth, cases=cases, seed=seed, progress=progress, advance=advance)
        if advance is not None:
            added = monthly_new_cases(simulator, cases, base_date)
            _generate_new_cases(advance, writers, truth, first=FIRST_IDNCASE + cases, count=added, seed=seed)
    row_counts = {t: w.rows for t, w in writers.items()}
    members = _small_members(
        row_counts, seed=seed, cases=cases, defects=defects, release_date=release_date
    )
    if advance is not None:  # the README says which release this one follows
        note = (
            f"This release is the same invented cases one month after the release of {base_date.isoformat()} "
            "(immcourt sample --next-month): some decided, a few changed or vanished, new cases added.\n"
        )
        members["SAMPLE-README.txt"] += note.replace("\n", "\r\n").encode("ascii")
    if fmt == "zip":
        release = out / f"{RELEASE_NAME}.zip"
        _write_zip(release, build, members, release_date)
    else:
        release = out / RELEASE_NAME
        for name, data in members.items():
            target = release / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    shutil.rmtree(build, ignore_errors=True)
    defect_counts = _write_oracle(
        oracle,
        writers,
        seed=seed,
        cases=cases,
        defects=defects,
        fmt=fmt,
        release_date=release_date,
        row_counts=row_counts,
        advance=advance,
        base_date=base_date,
    )
    return SampleResult(
        release=release, oracle=oracle, cases=cases, row_counts=row_counts, defect_counts=defect_counts
    )


def _check(cases: int, fmt: str, defects: str, release_date: date | str) -> date:
    if cases < 1:
        raise SampleError(f"--cases must be at least 1 (got {cases})")
    if fmt not in ("zip", "dir"):
        raise SampleError(f"--format must be zip or dir (got {fmt!r})")
    if defects not in ("realistic", "none"):
        raise SampleError(f"--defects must be realistic or none (got {defects!r})")
    if isinstance(release_date, str):
        try:
            release_date = date.fromisoformat(release_date)
        except ValueError:
            raise SampleError(f"--release-date must be YYYY-MM-DD (got {release_date!r})") from None
    if not date(2001, 1, 1) <= release_date <= date(2100, 1, 1):
        raise SampleError(f"--release-date must fall between 2001 and 2100 (got {release_date})")
    return release_date


def _generate_cases(simulator, writers, truth, *, cases, seed, progress, advance=None) -> None:
    ids = Ids()
    for chunk, first in enumerate(range(0, cases, CHUNK_CASES)):
        # Content and defects draw from separate streams, so defects="none" keeps the same clean rows.
        rng = random.Random(f"{seed}:{chunk}:content")
        defect_rng = random.Random(f"{seed}:{chunk}:defects")
        later_rng = random.Random(f"{seed}:{chunk}:next-month")
        count = min(CHUNK_CASES, cases - first)
        results = []
        for offset in range(count):
            result = simulator.simulate(rng, FIRST_IDNCASE + first + offset, ids)
            if advance is not None:
                result = advance.advance(result, later_rng)
                if result is None:  # the case vanished from the later release
                    continue
            results.append(result)
        _write_chunk(results, writers, truth, defect_rng)
        progress(count)


def _generate_new_cases(advance: MonthAdvance, writers, truth, *, first: int, count: int, seed: int) -> None:
    """The cases that start in the month between the two releases, after every earlier case."""
    for chunk, start in enumerate(range(0, count, CHUNK_CASES)):
        rng = random.Random(f"{seed}:{chunk}:next-month-new")
        defect_rng = random.Random(f"{seed}:{chunk}:next-month-new-defects")
        results = [
            advance.new_case(rng, first + offset) for offset in range(start, min(start + CHUNK_CASES, count))
        ]
        _write_chunk(results, writers, truth, defect_rng)


def _write_chunk(results: list, writers, truth, defect_rng: random.Random) -> None:
    """One chunk of simulated cases: every table's rows (defects drawn from `defect_rng`) and their truth."""
    buffers: dict[str, list[dict[str, str]]] = {t: [] for t in TABLES}
    for result in results:
        for table, rows in result.tables.items():
            buffers[table].extend(rows)
    for table in TABLES:
        writers[table].write(buffers[table], defect_rng)
    truth.write_table(_truth_table([result.truth for result in results]))


def _truth_table(truths: list[dict]) -> pa.Table:
    arrays = []
    for column in TRUTH_SCHEMA:
        values = [t[column.name] for t in truths]
        if column.type == pa.date32():  # day ordinals -> days since 1970-01-01
            values = [None if v is None else v - EPOCH_ORDINAL for v in values]
            arrays.append(pa.array(values, pa.int32()).cast(pa.date32()))
        else:
            arrays.append(pa.array(values, column.type))
    return pa.Table.from_arrays(arrays, schema=TRUTH_SCHEMA)


def _small_members(
    row_counts: dict[str, int], *, seed: int, cases: int, defects: str, release_date: date
) -> dict[str, bytes]:
    """Lookups, Count.txt and the README, by member name (the big tables are streamed separately)."""
    members = {f"{LOOKUP_FOLDER}/{name}.csv": lookup_bytes(name) for name in LOOKUPS}
    count = "TableName\tContent\n" + "".join(f"{t}\t{n} rows copied.\n" for t, n in row_counts.items())
    members["Count.txt"] = count.encode("ascii")
    # The release date is stated in the release itself, so a copy of the folder keeps it (release.py).
    readme = README.format(
        version=__version__, seed=seed, cases=cases, defects=defects, release_date=release_date.isoformat()
    )
    members["SAMPLE-README.txt"] = readme.replace("\n", "\r\n").encode("ascii")
    return members


def _zip_info(name: str, release_date: date, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(release_date.year, release_date.month, release_date.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    # ZipFile.open(ZipInfo, "w") ignores the archive's compresslevel; the level travels on the ZipInfo
    # (attribute renamed in Python 3.13).
    try:
        info.compress_level = COMPRESS_LEVEL
    except AttributeError:
        info._compresslevel = COMPRESS_LEVEL
    info.external_attr = 0o644 << 16
    info.create_system = 3
    info.file_size = size  # lets zipfile choose ZIP64 up front for members over 4 GB
    return info


def _write_zip(path: Path, build: Path, members: dict[str, bytes], release_date: date) -> None:
    partial = path.with_suffix(".zip.partial")
    with zipfile.ZipFile(
        partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    ) as archive:
        for table in TABLES:
            source = build / f"{table}.csv"
            info = _zip_info(f"{CORE_FOLDER}/{table}.csv", release_date, source.stat().st_size)
            with open(source, "rb") as src, archive.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        for name, data in members.items():
            with archive.open(_zip_info(name, release_date, len(data)), "w") as dst:
                dst.write(data)
    partial.replace(path)


def _write_oracle(
    oracle: Path,
    writers,
    *,
    seed,
    cases,
    defects,
    fmt,
    release_date,
    row_counts,
    advance=None,
    base_date=None,
) -> dict:
    records = [record for writer in writers.values() for record in writer.defects]
    pq.write_table(pa.Table.from_pylist(records, schema=DEFECT_SCHEMA), oracle / "defects.parquet")
    for table, writer in writers.items():
        names = [*columns(table), "_line"]
        data = {name: [row[i] for row in writer.clean_rows] for i, name in enumerate(names)}
        schema = pa.schema([*((name, pa.string()) for name in names[:-1]), ("_line", pa.int64())])
        pq.write_table(pa.Table.from_pydict(data, schema=schema), oracle / "clean" / f"{table}.parquet")
    counts = Counter(record["kind"] for record in records)
    manifest = {
        "generator": "immcourt sample",
        "version": __version__,
        "is_sample": True,
        "seed": seed,
        "cases": cases,
        "defects": defects,
        "format": fmt,
        "release_date": release_date.isoformat(),
        "row_counts": row_counts,
        "defect_rates": {
            kind: (RATE_PER_KIND if defects == "realistic" else 0.0) for kind in EXPECT if kind != "cp1252"
        },
        "defect_rate_unit": "probability per written row of a table that allows the kind; each allowed kind "
        "is also injected at least once per table",
        "defect_counts": dict(sorted(counts.items())),
        "expect": EXPECT,
    }
    if advance is not None:
        changes = advance.changes_table()
        pq.write_table(changes, oracle / "changes.parquet")
        pairs = zip(changes.column("table").to_pylist(), changes.column("change").to_pylist(), strict=True)
        tally = Counter(pairs)
        manifest["next_month"] = {
            "previous_release_date": base_date.isoformat(),
            "cases_in_release": cases + advance.reasons["new_case"] - advance.reasons["vanished"],
            "cases_by_reason": dict(sorted(advance.reasons.items())),
            "rows_by_table": {
                table: {change: tally[(table, change)] for change in ("added", "removed", "changed")}
                for table in row_counts
            },
            "note": "changes.parquet: every row added, removed or changed against the release of the same "
            "seed, cases and release date without --next-month, by the table's key (its first column); rows "
            "compared as written before defects were injected",
        }
    (oracle / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return dict(counts)


def _progress(quiet: bool, total: int):
    """A context yielding `advance(n)`: a Rich bar with cases/s, or a no-op when quiet."""
    if quiet:
        return nullcontext(lambda n: None)
    return _RichProgress(total)


class _RichProgress:
    def __init__(self, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("generating cases"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
        )
        self.total = total

    def __enter__(self):
        import time

        self.progress.__enter__()
        self.started = time.monotonic()
        self.task = self.progress.add_task("cases", total=self.total, rate="")
        self._time = time.monotonic
        return self.advance

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)
        done = self.progress.tasks[0].completed
        elapsed = max(self._time() - self.started, 1e-9)
        self.progress.update(self.task, rate=f"{done / elapsed:,.0f} cases/s")

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)
