"""`ingest_release`: a release (zip or folder) → a published, reconciled `release=<id>` folder."""

from __future__ import annotations

import errno
import gc
import json
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from immcourt import __version__
from immcourt.ingest.checks import code_sets
from immcourt.ingest.columns import (
    degraded_column_notes,
    header_columns,
    missing_column_message,
    missing_needed,
    over_threshold,
    unparseable_dates,
    unparseable_warning,
)
from immcourt.ingest.identity import (
    date_source_warning,
    differences,
    replaced_warning,
    replacement_message,
    stored_manifest,
)
from immcourt.ingest.lookups import load_lookup
from immcourt.ingest.prepare import EncodingError, Prepared, decode_cp1252, prepare, strip_bom
from immcourt.ingest.repair import is_bigint
from immcourt.ingest.schema import REQUIRED_LOOKUPS, REQUIRED_TABLES, primary_key
from immcourt.ingest.table import Quarantined, TableResult, load_table
from immcourt.limits import batch_memory_limit, batch_spill_dir
from immcourt.release import MAX_LOOKUP_BYTES, Member, Release, ReleaseError, one_line, open_release
from immcourt.sqlsafe import UnsafeSqlText, batch_connection, quote_ident, quote_path
from immcourt.store import (
    LOOKUP_DIR,
    QUARANTINE_FILE,
    RELEASE_FILE,
    StoreError,
    clean_leftovers,
    publish,
    refresh_catalog,
    release_dir,
    staging_dir,
)

QUARANTINE_SCHEMA = pa.schema(
    [
        ("table", pa.string()),
        ("line", pa.int64()),
        ("raw", pa.binary()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("idncase", pa.int64()),  # the IDNCASE field of the raw line when it is a whole number, else NULL
    ]
)


# The byte pass reads a member in blocks of this size: its numpy temporaries then stay in the CPU's cache
# and in reused memory (4 MB blocks took 14% more CPU time, 16 MB ones 80% more, on the 200k sample).
PREPARE_CHUNK = 1 << 20
PREPARE_AHEAD = 2  # byte passes always queued ahead of the table DuckDB is loading...
PREPARE_AHEAD_BYTES = 512 << 20  # ...and more while the queued members add up to less than this


class IngestError(Exception):
    """An ingest that cannot complete; the message is one line naming the file or table and what to do
    (control characters, e.g. in a damaged member's name, are escaped)."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


@dataclass
class Reconciliation:
    """Where every physical line of a table went, and what Count.txt says."""

    data_lines: int
    loaded: int
    repaired: int
    quarantined: int
    merged: int
    blank: int
    count_txt: int | None
    count_matches: bool | None
    repairs: dict[str, int] = field(default_factory=dict)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)  # "unknown_code:NAT" → cells kept but flagged


@dataclass
class IngestReport:
    """What `ingest_release` did; `to_dict()` is the `--json` summary."""

    release_id: str
    is_sample: bool
    source: str
    path: str
    skipped: bool = False
    tables: dict[str, Reconciliation] = field(default_factory=dict)
    lookups: dict[str, int] = field(default_factory=dict)
    columns_missing: dict[str, list[str]] = field(default_factory=dict)
    columns_unknown: dict[str, list[str]] = field(default_factory=dict)
    # table → needed date column → [unparseable cells, non-empty cells], above the warning share
    columns_unparseable: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes_read: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ingest_release(
    source: str | Path,
    *,
    store: str | Path,
    release_id: str | None = None,
    progress: bool = True,
    tables: list[str] | None = None,
    skip_existing: bool = False,
    accept_count_mismatch: bool = False,
    memory_limit: str | None = None,
    threads: int | None = None,
    partial: bool = False,
    replace: bool = False,
) -> IngestReport:
    """Ingest a release zip or folder into `store` as `release=<id>` (atomically) and return the report.

    Every physical line of every table ends up loaded (possibly repaired), quarantined, merged into the line
    before it (a row split by a line break) or counted as blank; the ingest fails when that or Count.txt does
    not add up (unless `accept_count_mismatch`, which turns the Count.txt check into a warning).

    Raises IngestError (one line naming the file, table or lookup and what to do) for anything that would
    publish an unusable or incomplete release: a table Count.txt lists but the release lacks, a table or
    lookup the model needs missing (schema.REQUIRED_TABLES / REQUIRED_LOOKUPS; `partial=True`, or `tables`,
    loads a release without them), a lookup without rows or without the columns the model reads, a member
    that is corrupt, encrypted, too large or in UTF-16. Nothing is published then, and the previous release
    of the same id stays as it was. A release whose id is already in the store with different content is
    refused unless `replace` (ingest/identity.py); the same content is published again.
    """
    started = time.perf_counter()
    try:
        release = open_release(source, release_id=release_id)
    except ReleaseError as error:
        raise IngestError(str(error)) from error
    try:
        release_dir(store, release.release_id)
    except StoreError as error:
        release.close()
        raise IngestError(f"{source}: {error}") from None
    with release:
        report = IngestReport(
            release_id=release.release_id,
            is_sample=release.is_sample,
            source=str(Path(source).resolve()),
            path=str(release_dir(store, release.release_id)),
        )
        if skip_existing and (release_dir(store, release.release_id) / RELEASE_FILE).is_file():
            report.skipped = True
            return report
        dated = date_source_warning(release.release_id, release.date_source)
        if dated is not None:
            report.warnings.append(dated)
        # The objects that exist now (modules, mostly: pyarrow, DuckDB, numpy) live on; moved out of the
        # cyclic garbage collector's sight, its full collections during the load stop walking them again.
        gc.freeze()
        try:
            _build(
                release,
                report,
                store=Path(store),
                wanted=tables,
                progress=progress,
                accept_count_mismatch=accept_count_mismatch,
                memory_limit=memory_limit,
                threads=threads,
                partial=partial or bool(tables),
                replace=replace,
            )
        finally:
            gc.unfreeze()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _build(
    release: Release,
    report: IngestReport,
    *,
    store: Path,
    wanted: list[str] | None,
    progress: bool,
    accept_count_mismatch: bool,
    memory_limit: str | None,
    threads: int | None,
    partial: bool,
    replace: bool,
) -> None:
    selected = _selected_tables(release, wanted)
    _check_complete(release, partial=partial)
    _check_columns(release, selected, partial=partial)
    # Compared after the load, by every member's SHA-256: a damaged release is refused for its damage first.
    stored = stored_manifest(release_dir(store, release.release_id))
    try:
        store.mkdir(parents=True, exist_ok=True)
        clean_leftovers(store)
        staging = staging_dir(store, release.release_id)
    except OSError as error:
        raise IngestError(_os_message(store, error)) from error
    try:
        _fill(
            release,
            report,
            staging=staging,
            selected=selected,
            progress=progress,
            accept_count_mismatch=accept_count_mismatch,
            memory_limit=memory_limit,
            threads=threads,
            partial=partial,
        )
        if stored is not None:
            _check_replacement(release, report, stored, staging / RELEASE_FILE, replace=replace)
        publish(staging, store=store, release_id=release.release_id)
    except ReleaseError as error:  # a member that cannot be read, also when found in the byte-pass thread
        shutil.rmtree(staging, ignore_errors=True)
        raise IngestError(str(error)) from error
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise IngestError(_os_message(store, error)) from error
    except duckdb.Error as error:  # outside a table's load (those name the table): e.g. the spill folder
        shutil.rmtree(staging, ignore_errors=True)
        raise IngestError(_duckdb_message(str(store), error)) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        refresh_catalog(store)
    except (OSError, duckdb.Error) as error:
        report.warnings.append(
            f"{store / 'catalog.duckdb'}: not updated ({error}); the release itself is fine"
        )


def _check_complete(release: Release, *, partial: bool) -> None:
    """Stop, naming it, when a table Count.txt lists or one the model needs is missing (found under no
    folder by its name or header), or a lookup the model needs is missing."""
    present = {name.lower() for name in [*release.tables, *release.lookups]}
    missing = [name for name in release.count_txt if name.lower() not in present]
    if not partial:
        missing += [name for name in REQUIRED_TABLES if name.lower() not in present and name not in missing]
    for name in missing:
        why = "listed in Count.txt" if name in release.count_txt else "needed by every statistic"
        raise IngestError(
            f"{release.source}: table {name} is missing ({why}){release.hint_for(name)}; "
            "re-download the release"
        )
    if not partial:
        lookups = {name.lower() for name in release.lookups}
        for name in REQUIRED_LOOKUPS:
            if name.lower() not in lookups:
                raise IngestError(
                    f"{release.source}: lookup {name} is missing (it names the codes statistics use)"
                    f"{release.hint_for(name)}; re-download the release"
                )


def _check_replacement(
    release: Release, report: IngestReport, stored: dict[str, Any], manifest: Path, *, replace: bool
) -> None:
    """Refuse (or, with `replace`, record) a content different from the stored release's of the same id,
    by every member's SHA-256 (ingest/identity.py)."""
    staged = json.loads(manifest.read_text(encoding="utf-8"))
    changed = differences(stored.get("files") or [], staged["files"], "sha256")
    if not changed:
        return
    if not replace:
        raise IngestError(replacement_message(release.release_id, stored, changed, source=release.source))
    report.warnings.append(replaced_warning(release.release_id, stored, changed))
    staged["warnings"] = report.warnings
    manifest.write_text(json.dumps(staged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _check_columns(release: Release, selected: dict[str, Member], *, partial: bool) -> None:
    """Stop, naming file and column, when a table lacks a column the statistics read (ingest/columns.py);
    read from each table's first bytes, before anything is loaded. `partial` lets it through."""
    if partial:
        return
    for name, member in selected.items():
        try:
            head = release.head(member)
        except ReleaseError as error:
            raise IngestError(str(error)) from error
        missing = missing_needed(name, header_columns(head))
        if missing:
            raise IngestError(missing_column_message(release.source, member.name, missing))


def _load_lookups(
    release: Release, report: IngestReport, folder: Path, *, partial: bool
) -> list[Quarantined]:
    """Write every lookup (read whole, bounded by MAX_LOOKUP_BYTES) and check it is usable: a header, and for
    the lookups the model needs, rows and the columns it reads. Runs before any table: a release refused for
    a lookup costs seconds, not the whole load."""
    quarantined: list[Quarantined] = []
    required = {name.lower(): columns for name, columns in REQUIRED_LOOKUPS.items()}
    for name, member in release.lookups.items():
        data = release.read_small(member, MAX_LOOKUP_BYTES, "EOIR lookup")
        try:
            data = data[strip_bom(data) :]
        except EncodingError as error:
            raise IngestError(f"{release.source}: {member.name} {error}") from error
        header = data.replace(b"\x00", b"").split(b"\n", 1)[0].strip()
        if not header:
            raise IngestError(
                f"{release.source}: lookup {member.name} is empty (no header line); re-download the release"
            )
        rows, bad = load_lookup(name, data, folder / f"{name}.parquet")
        report.lookups[name] = rows
        quarantined += bad
        needed = required.get(name.lower())
        if needed is None or partial:
            if rows == 0:
                report.warnings.append(f"{member.name}: lookup has no rows")
            continue
        columns = {column.upper() for column in pq.read_schema(folder / f"{name}.parquet").names}
        absent = [column for column in needed if column.upper() not in columns]
        if absent:
            raise IngestError(
                f"{release.source}: lookup {member.name} has no column {', '.join(absent)} "
                "(statistics read it); the file is damaged or not EOIR's: re-download the release"
            )
        if rows == 0:
            raise IngestError(
                f"{release.source}: lookup {member.name} has no rows (statistics need its codes); "
                "re-download the release"
            )
    return quarantined


def _duckdb_message(table: str, error: duckdb.Error) -> str:
    """The real cause of a DuckDB failure: out of disk or memory, or a file DuckDB cannot parse."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, duckdb.IOException | duckdb.OutOfMemoryException):
        return f"{table}: the load failed ({first_line}); check free space and memory, and re-run"
    return f"{table}: cannot be read as an EOIR table ({first_line}); re-download the release"


def _check_header(release: Release, member: Member, name: str, prepared: Prepared) -> None:
    """A table needs a header, and the primary key column the schema names in it."""
    if prepared.raw_bytes == 0 or not any(prepared.header):
        raise IngestError(
            f"{release.source}: table {member.name} is empty (no header line); re-download the release"
        )
    if prepared.key_name is not None and prepared.key_column is None:
        shown = "\t".join(prepared.header[:4])[:80]
        raise IngestError(
            f"{release.source}: table {member.name} has no {prepared.key_name} column (its primary key; "
            f"the header starts {shown!r}); the file is damaged or not EOIR's: re-download the release"
        )


def _os_message(store: Path, error: OSError) -> str:
    where = error.filename or store
    if error.errno == errno.ENOSPC:
        return f"{where}: disk full; free space (the store needs about the size of the release) and re-run"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}: not writable; choose a --store folder you can write to"
    return f"{where}: {error.strerror or error}; check the path and re-run"


def _connect(staging: Path, memory_limit: str | None, threads: int | None) -> duckdb.DuckDBPyConnection:
    """DuckDB for the loads: memory capped (limits.batch_memory_limit(), or the caller's), spilling inside
    the staging folder (or under $IMMCOURT_TEMP_DIR), so it is removed with it whatever happens."""
    con = batch_connection(
        batch_spill_dir(staging),
        memory_limit=memory_limit or batch_memory_limit(),
        threads=int(threads or os.cpu_count() or 2),
    )
    con.execute("SET preserve_insertion_order = true")  # row order is how physical lines are recovered
    con.execute("SET streaming_buffer_size = '64MB'")  # let DuckDB run ahead of the Parquet writer
    return con


def _fill(
    release: Release,
    report: IngestReport,
    *,
    staging: Path,
    selected: dict[str, Member],
    progress: bool,
    accept_count_mismatch: bool,
    memory_limit: str | None,
    threads: int | None,
    partial: bool,
) -> None:
    work = staging / ".work"
    work.mkdir()
    (staging / LOOKUP_DIR).mkdir()
    files: list[dict[str, Any]] = []
    quarantined: list[Quarantined] = []
    for member in [*selected.values(), *release.lookups.values()]:
        try:
            quote_ident(member.stem)  # the stem names a Parquet file and a view of the catalog
            quote_path(member.stem)  # ... which DuckDB must read as a plain path
        except UnsafeSqlText as error:
            raise IngestError(f"{release.source}: member {member.name!r}: {error}") from None
    lookup_quarantine = _load_lookups(release, report, staging / LOOKUP_DIR, partial=partial)
    # The tables' coded cells are checked against the lookups, loaded first.
    codes = code_sets(
        {name: pq.read_table(staging / LOOKUP_DIR / f"{name}.parquet") for name in release.lookups}
    )
    release_date = _release_date(release.release_id)
    headers: dict[str, list[str]] = {}
    con = _connect(staging, memory_limit, threads)
    # Smallest tables first: the loads, not the byte passes, are the longer chain, so DuckDB should start
    # soon (nothing overlaps the first byte pass) and never wait for a byte pass; the small loads leave time
    # for the big byte passes to run ahead. Results are still recorded in the release's table order.
    items = sorted(selected.items(), key=lambda item: item[1].size)
    order = list(selected)
    done: dict[str, tuple[dict[str, Any], TableResult]] = {}
    # The byte passes run one after another in a thread while DuckDB loads the tables already prepared:
    # inflating, hashing and numpy release the GIL, so the two overlap on the second core. Queueing more
    # than the next table lets a long byte pass start while short loads run, instead of running alone after
    # them; the queue is bounded (see PREPARE_AHEAD_BYTES) because every queued table is a file on disk.
    with _Progress(enabled=progress) as bar, ThreadPoolExecutor(max_workers=1) as ahead:
        pending: list[tuple[Future, int, int]] = []  # (byte pass, progress task, member bytes), table order
        submitted = 0

        def top_up() -> None:
            nonlocal submitted
            while submitted < len(items) and (
                len(pending) < PREPARE_AHEAD or sum(size for *_, size in pending) < PREPARE_AHEAD_BYTES
            ):
                name, member = items[submitted]
                task = bar.add(name, member.size)
                chunks = bar.track(task, release.iter_chunks(member, chunk_size=PREPARE_CHUNK))
                future = ahead.submit(prepare, chunks, work / f"{name}.txt", key=primary_key(name))
                pending.append((future, task, member.size))
                submitted += 1

        try:
            for name, member in items:
                top_up()
                future, task, _ = pending.pop(0)
                try:
                    prepared = future.result()
                except EncodingError as error:
                    raise IngestError(f"{release.source}: {member.name} {error}") from error
                _check_header(release, member, name, prepared)
                top_up()
                bar.phase(task, f"{name}: typing")
                headers[name] = prepared.header
                try:
                    result = load_table(
                        con,
                        table=name,
                        prepared=prepared,
                        out=staging / f"{name}.parquet",
                        codes=codes,
                        release_date=release_date,
                    )
                except UnsafeSqlText as error:
                    raise IngestError(f"{member.name}: {error}") from None
                except duckdb.Error as error:
                    raise IngestError(_duckdb_message(name, error)) from error
                prepared.path.unlink()
                bar.done(task, name, result, member.size)
                file = {"name": member.name, "bytes": prepared.raw_bytes, "sha256": prepared.sha256}
                done[name] = (file, result)
                while order and order[0] in done:  # record every table whose predecessors are recorded
                    file, result = done.pop(order.pop(0))
                    files.append(file)
                    report.bytes_read += file["bytes"]
                    quarantined += result.quarantined
                    count = _count_of(release, result.table)
                    _reconcile(report, result, count, accept_count_mismatch)
        except BaseException:
            ahead.shutdown(wait=False, cancel_futures=True)  # fail now, not after the queued byte passes
            raise
    con.close()
    quarantined += lookup_quarantine
    table_members = {m.name for m in selected.values()}
    files += [
        {"name": m.name, "bytes": m.size, "sha256": release.sha256(m)}
        for m in release.members
        if m.name not in table_members
    ]
    _write_quarantine(quarantined, headers, staging / QUARANTINE_FILE)
    _check_counts_listed(release, report, selected)
    for name in report.tables:  # needed date columns that mostly failed to parse (ingest/columns.py)
        counts = unparseable_dates(staging / f"{name}.parquet", name)
        for column, (bad, cells) in over_threshold(counts).items():
            report.columns_unparseable.setdefault(name, {})[column] = [bad, cells]
            report.warnings.append(unparseable_warning(name, column, bad, cells))
    report.warnings += [
        f"{member.name}: not loaded (neither a table nor a lookup: EOIR's are plain .csv files)"
        for member in release.unread
    ]
    _write_manifest(release, report, files, staging / RELEASE_FILE)
    shutil.rmtree(work)


def _selected_tables(release: Release, wanted: list[str] | None) -> dict:
    if not wanted:
        return dict(release.tables)
    by_lower = {name.lower(): name for name in release.tables}
    unknown = [name for name in wanted if name.lower() not in by_lower]
    if unknown:
        raise IngestError(
            f"{release.source}: no table {', '.join(unknown)} in this release "
            f"(it has {', '.join(sorted(release.tables))})"
        )
    return {by_lower[name.lower()]: release.tables[by_lower[name.lower()]] for name in wanted}


def _reconcile(report: IngestReport, result: TableResult, count: int | None, accept_mismatch: bool) -> None:
    quarantined = len(result.quarantined)
    reasons: dict[str, int] = {}
    for item in result.quarantined:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    accounted = result.loaded + quarantined + result.merged + result.blank
    if accounted != result.data_lines:
        raise IngestError(
            f"{result.table}: {result.data_lines} data lines but {accounted} accounted for "
            f"(loaded {result.loaded}, quarantined {quarantined}, merged {result.merged}, "
            f"blank {result.blank}); this is a bug in immcourt, please report it"
        )
    matches = None if count is None else result.loaded + quarantined == count
    if matches is False:
        message = (
            f"{result.table}: Count.txt says {count} rows but the file holds "
            f"{result.loaded + quarantined} (loaded {result.loaded} + quarantined {quarantined})"
        )
        if result.loaded + quarantined < count:
            cause = "the file may be truncated: re-download it"
        else:
            cause = "the file has rows Count.txt does not list (extra lines, or another release's Count.txt)"
        if not accept_mismatch:
            raise IngestError(f"{message}; {cause}, or pass --accept-count-mismatch to load it anyway")
        report.warnings.append(message)
    report.tables[result.table] = Reconciliation(
        data_lines=result.data_lines,
        loaded=result.loaded,
        repaired=result.repaired,
        quarantined=quarantined,
        merged=result.merged,
        blank=result.blank,
        count_txt=count,
        count_matches=matches,
        repairs=dict(result.repairs),
        quarantine_reasons=reasons,
        flagged=dict(result.flagged),
    )
    if result.columns_missing:
        report.columns_missing[result.table] = result.columns_missing
    if result.columns_unknown:
        report.columns_unknown[result.table] = result.columns_unknown


def _count_of(release: Release, table: str) -> int | None:
    """Count.txt's row count of a table, matching names case-insensitively (a file `a_tblcase.csv` is still
    A_TblCase)."""
    counts = {name.lower(): n for name, n in release.count_txt.items()}
    return counts.get(table.lower())


def _check_counts_listed(release: Release, report: IngestReport, selected: dict) -> None:
    if not release.count_txt:
        report.warnings.append(f"{release.source}: no Count.txt; row counts could not be checked")
        return
    for name in selected:
        if _count_of(release, name) is None:
            report.warnings.append(f"{name}: not listed in Count.txt; its row count could not be checked")


def _release_date(release_id: str) -> date | None:
    """The date in a release id (`YYYY-MM-DD`, maybe prefixed `sample-`), or None."""
    try:
        return date.fromisoformat(release_id.removeprefix("sample-")[:10])
    except ValueError:
        return None


def quarantined_idncase(raw: bytes, header: list[str]) -> int | None:
    """The IDNCASE of a quarantined line, read from the field at the header's IDNCASE position (most
    quarantined lines keep their leading fields right), or None when there is no whole number there."""
    upper = [name.upper() for name in header]
    if "IDNCASE" not in upper:
        return None
    fields = decode_cp1252(raw).split("\t")
    position = upper.index("IDNCASE")
    text = fields[position].strip() if position < len(fields) else ""
    return int(text) if is_bigint(text) else None


def _write_quarantine(items: list[Quarantined], headers: dict[str, list[str]], path: Path) -> None:
    columns = {
        "table": [q.table for q in items],
        "line": [q.line for q in items],
        "raw": [q.raw for q in items],
        "reason": [q.reason for q in items],
        "detail": [q.detail for q in items],
        "idncase": [quarantined_idncase(q.raw, headers.get(q.table, [])) for q in items],
    }
    pq.write_table(pa.table(columns, schema=QUARANTINE_SCHEMA), path)


def _write_manifest(release: Release, report: IngestReport, files: list[dict[str, Any]], path: Path) -> None:
    manifest = {
        "id": release.release_id,
        "is_sample": release.is_sample,
        "release_date_source": release.date_source,
        "source": str(Path(release.source).resolve()),
        "files": sorted(files, key=lambda f: f["name"]),
        "count_txt": release.count_txt,
        "reconciliation": {name: asdict(rec) for name, rec in report.tables.items()},
        "lookups": report.lookups,
        "columns_missing": report.columns_missing,
        "columns_unknown": report.columns_unknown,
        "columns_unparseable": report.columns_unparseable,
        # worded here, read by every statistic (metrics never imports the ingest)
        "column_notes": degraded_column_notes(
            {"columns_missing": report.columns_missing, "columns_unparseable": report.columns_unparseable}
        ),
        "warnings": report.warnings,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "version": __version__,
    }
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


class _Progress:
    """Rich progress per table (bytes/s while reading, rows/s when done), or nothing when disabled."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._progress = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TransferSpeedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(bar_width=20),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self._progress.__enter__()
        self._started: dict[int, float] = {}
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def add(self, name: str, total: int) -> int:
        task = (
            self._progress.add_task(f"{name}: reading", total=total) if self._progress else len(self._started)
        )
        self._started[task] = time.perf_counter()
        return task

    def track(self, task: int, chunks: Iterator[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            if self._progress is not None:
                self._progress.advance(task, len(chunk))
            yield chunk

    def phase(self, task: int, description: str) -> None:
        if self._progress is not None:
            self._progress.update(task, description=description)

    def done(self, task: int, name: str, result: TableResult, size: int) -> None:
        if self._progress is None:
            return
        seconds = max(time.perf_counter() - self._started[task], 1e-9)
        self._progress.update(
            task,
            completed=size,
            description=(f"{name}: {result.loaded:,} rows ({result.loaded / seconds:,.0f}/s)"),
        )
