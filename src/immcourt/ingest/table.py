"""Load one core table: DuckDB splits and types the bulk in one pass, Python decides the few odd lines.

The byte pass (prepare.py / lines.py) already set aside every line whose field count is off and parsed every
primary key, so before DuckDB reads anything we know which lines to repair or quarantine and which keys
repeat.
The single DuckDB pass then types every cell and writes the Parquet file, adding the rows repaired in Python
and leaving out the quarantined duplicate / unparseable keys.
"""

from __future__ import annotations

import json
import queue
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from immcourt.ingest.checks import UNKNOWN_CODE, CellChecks
from immcourt.ingest.lines import ODD_MARK, LineFacts, key_bucket
from immcourt.ingest.prepare import Prepared, decode_cp1252, encode_cp1252
from immcourt.ingest.repair import (
    FILLED_TAIL,
    REDACTED,
    SHAPE_LIMIT,
    SHORT_ROW,
    TRAILING_COMMA,
    ColumnProfile,
    Outcome,
    Rejected,
    cell_parses,
    is_bigint,
    repair_kind,
    repair_shifted,
    resolve,
    shape,
)
from immcourt.ingest.schema import SQL_TYPES, column_types, expected_columns
from immcourt.sqlsafe import UnsafeSqlText, quote_ident, quote_literal

# How each schema type turns a trimmed, non-empty cell `{v}` into its typed value (NULL when it fails). The
# gates keep TRY_CAST from accepting forms EOIR never writes (`1.5`, `1e3`, `0x1A`, ISO `T` timestamps);
# LIKE is used for dates because it costs a fraction of a regular expression. A whole number written as
# BIGINT writes it back (no sign, no leading zero: nearly every cell) passes the gate without the regular
# expression, which costs more than the cast and its round trip; every other cell takes the gate as before.
CELL_SQL = {
    "Numeric": (
        "CASE WHEN TRY_CAST({v} AS BIGINT)::VARCHAR = {v} THEN TRY_CAST({v} AS BIGINT) "
        "WHEN regexp_full_match({v}, '[+-]?[0-9]{1,19}') THEN TRY_CAST({v} AS BIGINT) END"
    ),
    "Date": (
        "CASE WHEN {v} LIKE '____-__-__' OR {v} LIKE '____-__-__ __:__:__%' "
        "THEN TRY_CAST({v} AS TIMESTAMP)::DATE END"
    ),
    "Boolean": "CASE {v} WHEN '1' THEN true WHEN '0' THEN false END",
    "String": "CASE WHEN {v} = '" + REDACTED + "' THEN NULL ELSE {v} END",
}
ISSUE_KIND = {"Numeric": "bad_number", "Date": "bad_date", "Boolean": "bad_bool"}


@dataclass
class Quarantined:
    table: str
    line: int
    raw: bytes
    reason: str
    detail: str


@dataclass
class TableResult:
    """Counts for the reconciliation of one table, and the quarantined lines."""

    table: str
    data_lines: int
    loaded: int
    repaired: int
    merged: int
    blank: int
    quarantined: list[Quarantined] = field(default_factory=list)
    columns_missing: list[str] = field(default_factory=list)
    columns_unknown: list[str] = field(default_factory=list)
    repairs: dict[str, int] = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)  # "unknown_code:NAT" → cells (checks.py)


def _sql(name: str) -> str:
    return resources.files(__package__).joinpath("sql", name).read_text(encoding="utf-8")


# Columns the ingest adds to every table (and `_ok`, used while typing): a header column of the same name is
# renamed like a repeated one, `_line_2`.
RESERVED_COLUMNS = ("_line", "_repaired", "_issues", "_ok")


def unique_header(header: list[str]) -> list[str]:
    """Header names made unique (a repeated name gets `_2`, `_3`...; so does one of RESERVED_COLUMNS) and
    non-empty."""
    seen: dict[str, int] = {name.upper(): 1 for name in RESERVED_COLUMNS}
    names = []
    for position, name in enumerate(header):
        name = name or f"column{position + 1}"
        count = seen.get(name.upper(), 0) + 1
        seen[name.upper()] = count
        names.append(name if count == 1 else f"{name}_{count}")
    return names


# Written for every field, so only padding (a missing field) comes back as NULL; no real cell equals it.
NO_NULL_TEXT = "\x1b\x1a\x1b"


def _reader(path: Path, width: int, line_end: bytes = b"\n") -> str:
    """read_csv over the prepared file with one spare column. Marker rows are padded with NULL; every other
    row has exactly `width` fields, so DuckDB must not set anything aside (it raises instead of dropping).
    `line_end` is how every line of the file ends (Prepared.line_end: LF, or CRLF)."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width + 1))
    new_line = "\\r\\n" if line_end == b"\r\n" else "\\n"
    return (
        f"read_csv({quote_literal(str(path))}, columns = {{{columns}}}, header = true, delim = '\\t', "
        f"new_line = '{new_line}', quote = '', escape = '', auto_detect = false, null_padding = true, "
        f"nullstr = {quote_literal(NO_NULL_TEXT, allow_controls=True)}, max_line_size = 16777216)"
    )


def _well_formed(width: int) -> str:
    """SQL true for a real row (not a padded marker of a set-aside line)."""
    condition = f"c{width - 1} IS NOT NULL AND c{width} IS NULL"
    if width != 1:
        return condition
    return condition + f" AND c0 IS DISTINCT FROM {quote_literal(ODD_MARK.decode(), allow_controls=True)}"


def load_table(
    con: duckdb.DuckDBPyConnection,
    *,
    table: str,
    prepared: Prepared,
    out: Path,
    codes: dict[str, frozenset[str]] | None = None,
    release_date: date | None = None,
) -> TableResult:
    """Write `out` (Parquet) for one table and return its reconciliation counts and quarantined lines.

    `codes` (column → valid codes, from the release's lookups) and `release_date` drive the cell checks of
    checks.py; without them only the types are checked."""
    names = unique_header(prepared.header)
    for position, name in enumerate(names, start=1):
        try:
            quote_ident(name)
        except UnsafeSqlText:
            raise UnsafeSqlText(
                f"line 1, header field {position} {name!r} holds a control character; fix the header"
            ) from None
    width = len(names)
    types = column_types(table)
    kinds = [types.get(name.upper()) for name in names]
    key = prepared.key_column  # the schema's primary key, wherever the header puts it (None: no key)
    key_is_number = key is not None
    tag = f"t{abs(hash((table, str(out)))) % 10**8}"
    reader = _reader(prepared.path, width, prepared.line_end)
    checks = CellChecks.for_table(table, names, kinds, codes=codes or {}, release_date=release_date)

    known: dict[tuple[int, str], bool] = {}  # the repair search asks the same cells many times

    def code_ok(column: int, value: str) -> bool:
        ok = known.get((column, value))
        if ok is None:
            ok = known[(column, value)] = checks.code_ok(names[column], value)
        return ok

    odd = [Rejected(line=line, text=decode_cp1252(raw)) for line, raw in sorted(prepared.facts.odd.items())]
    needs_profiles = any(len(r.fields) > width for r in odd)
    profiles = _profiles(con, reader=reader, width=width, kinds=kinds) if needs_profiles else None
    # The repairs check a key in the first column only; a key elsewhere is checked by KeyLines below.
    outcomes = resolve(odd, kinds, key_is_number=key == 0, profiles=profiles, code_ok=code_ok)
    extra = [o for o in outcomes if o.fields is not None]
    keys = KeyLines.build(prepared, extra) if key_is_number else KeyLines.empty()
    excluded = keys.excluded
    excluded_lines = {line for line, _, _ in excluded}
    _create_extra_table(con, f"{tag}_extra", [o for o in extra if o.line not in excluded_lines], width)
    quarantined_texts = _texts_of_excluded(prepared.path, excluded, extra)

    expected = expected_columns(table)
    present = {n.upper() for n in names}
    missing = [c for c in expected if c not in present]
    columns = _ColumnsSql(names=names, kinds=kinds, missing=missing, types=types)
    written = _write_parquet(
        con,
        columns=columns,
        reader=reader,
        width=width,
        extra_table=f"{tag}_extra",
        excluded=np.array(sorted(excluded_lines), np.int64),
        facts=prepared.facts,
        out=out,
        checks=checks,
        shifted=_ShiftRepair(
            path=prepared.path,
            kinds=kinds,
            names=names,
            key_is_number=key == 0,
            code_ok=code_ok,
            table=f"{tag}_shifted",
            coded=frozenset(i for i, name in enumerate(names) if name in checks.codes),
        ),
    )
    con.execute(f"DROP TABLE IF EXISTS {tag}_extra")
    con.execute(f"DROP TABLE IF EXISTS {tag}_shifted")

    kept_repairs = [o for o in extra if o.repair and o.line not in excluded_lines]
    labels = [o.repair for o in kept_repairs] + written.repairs
    result = TableResult(
        table=table,
        data_lines=max(prepared.lines - 1, 0),
        loaded=written.rows,
        repaired=len(labels) + written.commas,
        merged=sum(o.merged_lines for o in outcomes),
        blank=prepared.blank_lines,
    )
    for label in labels:
        kind = repair_kind(label)
        result.repairs[kind] = result.repairs.get(kind, 0) + 1
    if written.commas:
        result.repairs[TRAILING_COMMA] = result.repairs.get(TRAILING_COMMA, 0) + written.commas
    result.flagged = dict(sorted(checks.counts.items()))
    result.quarantined = [_quarantine(table, o) for o in outcomes if o.fields is None]
    result.quarantined += [_quarantine(table, o) for o in written.quarantined]
    result.quarantined += [
        Quarantined(
            table=table,
            line=line,
            raw=encode_cp1252(quarantined_texts.get(line, "")),
            reason=reason,
            detail=detail,
        )
        for line, reason, detail in excluded
    ]
    result.columns_missing = missing
    result.columns_unknown = [n for n in names if expected and n.upper() not in set(expected)]
    return result


@dataclass
class KeyLines:
    """The lines to quarantine by primary key (a key that is not a whole number, or repeats another line's).

    Found with numpy from the byte pass's (key, line) pairs, one hash bucket at a time when the table had too
    many keys to keep in memory (lines.KeyPairs), so the bulk pass only has to leave the excluded lines out.
    """

    excluded: list[tuple[int, str, str]]  # (line, reason, detail)

    @classmethod
    def empty(cls) -> KeyLines:
        return cls([])

    @classmethod
    def build(cls, prepared: Prepared, extra: list[Outcome]) -> KeyLines:
        """Keys from the byte pass plus the repaired rows; a key that is not a whole number, or that repeats
        an earlier line's key, puts its line in `excluded`. A row that ended early (`short_row`) gives way to
        a complete row with the same key, wherever it is: a truncated copy is the likelier duplicate.
        Frees the byte pass's pairs (memory and spill files)."""
        bad: list[tuple[int, str, str]] = []
        slow_keys, slow_lines, slow_short = [], [], []
        slow = [(line, decode_cp1252(raw).strip(), False) for line, raw in prepared.facts.slow_keys]
        slow += [
            (o.line, o.fields[prepared.key_column or 0].strip(), (o.repair or "").startswith(SHORT_ROW))
            for o in extra
        ]
        for line, text, short in slow:
            if is_bigint(text):
                slow_keys.append(int(text))
                slow_lines.append(line)
                slow_short.append(short)
            else:
                shown = f"'{text}'" if text else "is empty"
                bad.append((line, "bad_key", f"primary key {shown} is not a whole number"))
        more_keys = np.array(slow_keys, np.int64)
        more_lines = np.array(slow_lines, np.int64)
        more_short = np.array(slow_short, bool)
        pairs = prepared.facts.key_pairs
        buckets = key_bucket(more_keys) if pairs.spilled else None
        try:
            for keys, lines, bucket in pairs.groups():
                pick = np.ones(len(more_keys), bool) if buckets is None else buckets == bucket
                bad += _repeated_keys(
                    np.concatenate([keys, more_keys[pick]]),
                    np.concatenate([lines, more_lines[pick]]),
                    np.concatenate([np.zeros(len(keys), bool), more_short[pick]]),
                )
        finally:
            pairs.discard()
        return cls(sorted(bad))


def _repeated_keys(keys: np.ndarray, lines: np.ndarray, short: np.ndarray) -> list[tuple[int, str, str]]:
    """(line, "duplicate_key", detail) for every line whose key an earlier line holds; the pairs given hold
    every line of each of their keys. By key, then complete rows before short ones, then by line: the first
    of a run is the one kept."""
    if not len(keys):
        return []
    order = np.lexsort((lines, short, keys))
    keys, lines = keys[order], lines[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    repeats = np.flatnonzero(~first)
    if not len(repeats):
        return []
    run_starts = np.flatnonzero(first)
    first_lines = lines[run_starts[np.searchsorted(run_starts, repeats, side="right") - 1]]
    return [
        (int(line), "duplicate_key", f"key {int(key)} kept from line {int(first_line)}")
        for line, key, first_line in zip(lines[repeats], keys[repeats], first_lines, strict=True)
    ]


def _texts_of_excluded(
    path: Path, excluded: list[tuple[int, str, str]], extra: list[Outcome]
) -> dict[int, str]:
    from_extra = {o.line: o.text for o in extra}
    wanted = sorted({line for line, _, _ in excluded if line not in from_extra})
    return {**read_lines(path, wanted), **from_extra}


PROFILE_ROWS = 20_000


def _batch_profiles(batch: pa.Table | None, names: list[str], kinds: list[str | None]) -> list[ColumnProfile]:
    """Profiles (see _profiles) from the first typed rows written: the rows held back as possibly shifted
    are not among them, so they do not vouch for their own cells. Text cells are typed as written."""
    profiles = []
    for name, kind in zip(names, kinds, strict=True):
        if batch is None or kind not in (None, "String"):
            profiles.append(ColumnProfile(values=None, shapes=None))
            continue
        distinct = pc.unique(batch.column(name)).to_pylist()
        profiles.append(_profile({v.strip() for v in distinct if v and v.strip()}))
    return profiles


def _profile(values: set[str]) -> ColumnProfile:
    if len(values) <= SHAPE_LIMIT:
        return ColumnProfile(values=frozenset(values), shapes=None)
    shapes = {shape(v) for v in values}
    return ColumnProfile(values=None, shapes=frozenset(shapes) if len(shapes) <= SHAPE_LIMIT else None)


def _profiles(
    con: duckdb.DuckDBPyConnection,
    *,
    reader: str,
    width: int,
    kinds: list[str | None] | None = None,
) -> list[ColumnProfile]:
    """Per text column, the distinct values (or value shapes) of the first PROFILE_ROWS well-formed rows.
    Typed columns get an open profile: their type is checked already, and a few rows cannot list their
    values."""
    sample = con.sql(f"SELECT * FROM {reader} LIMIT {PROFILE_ROWS}").to_arrow_table()
    keep = pc.and_(pc.is_valid(sample.column(width - 1)), pc.is_null(sample.column(width))).to_numpy(
        zero_copy_only=False
    )
    sample = sample.filter(pa.array(keep))
    if width == 1:
        sample = sample.filter(pc.not_equal(sample.column(0), ODD_MARK.decode()))
    profiles = []
    for i in range(width):
        if kinds is not None and kinds[i] not in (None, "String"):
            profiles.append(ColumnProfile(values=None, shapes=None))
            continue
        distinct = pc.unique(sample.column(i)).to_pylist()  # strip each distinct text once, not every cell
        profiles.append(_profile({v.strip() for v in distinct if v and v.strip()}))
    return profiles


def _create_extra_table(con: duckdb.DuckDBPyConnection, name: str, extra: list[Outcome], width: int) -> None:
    columns = {
        "_line": pa.array([o.line for o in extra], pa.int64()),
        "_repaired": pa.array([o.repair for o in extra], pa.string()),
    }
    for i in range(width):
        columns[f"c{i}"] = pa.array([o.fields[i] if o.fields[i] != "" else None for o in extra], pa.string())
    con.register(f"{name}_arrow", pa.table(columns))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


@dataclass
class _ColumnsSql:
    """The SQL fragments that trim, type and describe a table's columns (from the header and the schema)."""

    names: list[str]
    kinds: list[str | None]
    missing: list[str]
    types: dict[str, str]

    def query(
        self,
        *,
        source: str,
        ok: str,
        carried: str = "",
        padded: set[int] | None = None,
        redacted: set[int] | None = None,
        trailing_comma: bool = False,
    ) -> str:
        """The typing query over `source`; only the columns in `padded` (all when it is None) are trimmed:
        the byte pass found which columns have a cell that trimming would change. Likewise only the cells of
        the columns in `redacted` (all when None) are compared with the redaction mark: the byte pass found
        the columns where its bytes occur at all. With `trailing_comma`, a lone `,` ending the last cell is
        removed (and `_comma` says where)."""
        width = len(self.names)
        output = [f"t{i} AS {quote_ident(name)}" for i, name in enumerate(self.names)]
        output += [f"NULL::{SQL_TYPES[self.types[n]]} AS {quote_ident(n)}" for n in self.missing]
        trimmed = [_trimmed(i, padded is None or i in padded) for i in range(width)]
        comma = "false"
        if trailing_comma and width:
            last = f"rtrim(c{width - 1})"
            comma = f"coalesce(suffix({last}, ',') AND NOT suffix({last}, ',,'), false)"
            trimmed[-1] = (
                f"nullif(trim(CASE WHEN {comma} THEN substr({last}, 1, length({last}) - 1) "
                f"ELSE {last} END), '') AS v{width - 1}"
            )
        return _sql("typed_rows.sql").format(
            source=source,
            ok=ok,
            comma=comma,
            carried=carried,
            trimmed_columns=", ".join(trimmed),
            trimmed_names=", ".join(f"v{i}" for i in range(width)),
            typed_columns=", ".join(
                f"{_cell(kind, f'v{i}', redacted is None or i in redacted)} AS t{i}"
                for i, kind in enumerate(self.kinds)
            ),
            output_columns=", ".join(output),
            issues=_issues_sql(self.names, self.kinds, redacted),
        )


def _trimmed(index: int, trim: bool) -> str:
    value = f"trim(c{index})" if trim else f"c{index}"
    return f"nullif({value}, '') AS v{index}"


BATCH_ROWS = 122_880
# Rows of a Parquet row group: four batches. Each row group costs a dictionary, statistics and compression
# contexts per column; four times fewer took 7% less of the writer's CPU time and made smaller files.
GROUP_ROWS = 4 * BATCH_ROWS


class _BackgroundWriter:
    """A Parquet writer on its own thread, so compressing one batch overlaps DuckDB producing the next
    (pyarrow releases the GIL while it encodes)."""

    def __init__(self, out: Path, schema: pa.Schema) -> None:
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=4)
        # Dictionaries for text columns only. Whole-number columns are ids and line numbers, nearly all
        # distinct: the writer hashed every value only to fall back to plain encoding (a quarter of its
        # CPU time). Dates are 4 bytes that compress well as they are: their dictionaries cost 5-8% of the
        # writer's CPU time to save 4% of the bytes (200k sample, four-batch row groups).
        dictionary = [f.name for f in schema if pa.types.is_string(f.type)]
        # No min/max statistics for text columns: the rows are in line order, so a text column's range
        # prunes nothing, and computing it took a sixth of the writer's CPU time (0.15 s of 0.9 s at 200k).
        statistics = [f.name for f in schema if not pa.types.is_string(f.type)]
        self._writer = pq.ParquetWriter(
            out, schema, compression="zstd", use_dictionary=dictionary, write_statistics=statistics
        )
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        gathered: list[pa.Table] = []  # written as one row group once they reach GROUP_ROWS
        rows = 0
        while True:
            table = self._queue.get()
            if table is not None:
                gathered.append(table)
                rows += table.num_rows
                if rows < GROUP_ROWS:
                    continue
            if self._error is None and gathered:
                try:
                    self._writer.write_table(pa.concat_tables(gathered), row_group_size=max(rows, 1))
                except BaseException as error:  # handed to the producing thread in put() / __exit__
                    self._error = error
            gathered, rows = [], 0
            if table is None:
                return

    def put(self, table: pa.Table) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(table)

    def __enter__(self) -> _BackgroundWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        self._writer.close()
        if self._error is not None and exc[0] is None:
            raise self._error


@dataclass
class _ShiftRepair:
    """What the bulk pass needs to repair rows whose cells are shifted (kind 3, repair.repair_shifted)."""

    path: Path
    kinds: list[str | None]
    names: list[str]
    key_is_number: bool
    code_ok: object
    table: str
    coded: frozenset[int] = frozenset()

    def is_shift(self, fields: list[str]) -> bool:
        """A run of failing cells: from the first typed or coded cell that fails, at least two fail and
        they are at least half of the non-empty checked cells from there on."""
        checked = [
            (value, i)
            for i, value in enumerate(fields)
            if value.strip() and (self.kinds[i] not in (None, "String") or i in self.coded)
        ]
        failing = [i for value, i in checked if not self._ok(i, value)]
        if len(failing) < 2:
            return False
        after = [i for _, i in checked if i >= failing[0]]
        return 2 * len(failing) >= len(after)

    def _ok(self, column: int, value: str) -> bool:
        return cell_parses(value, self.kinds[column]) and self.code_ok(column, value)


@dataclass
class _Written:
    rows: int = 0
    commas: int = 0
    repairs: list[str] = field(default_factory=list)
    quarantined: list[Outcome] = field(default_factory=list)


HOLD_LIMIT = 50_000  # rows held back as possibly shifted; past this the failures are systematic, not shifts
UNCHECKED_SHIFT = "not_checked_for_shift:*"  # flagged count of the rows past HOLD_LIMIT, loaded as they are
_FAILURE_KINDS = ('"kind":"bad_', '"kind":"unknown_code"')


def _write_parquet(
    con: duckdb.DuckDBPyConnection,
    *,
    columns: _ColumnsSql,
    reader: str,
    width: int,
    extra_table: str,
    excluded: np.ndarray,
    facts: LineFacts,
    out: Path,
    checks: CellChecks,
    shifted: _ShiftRepair,
) -> _Written:
    """Stream the typed rows from DuckDB (which parses and types in parallel, in file order) into `out`.

    Numbering rows here instead of with row_number() keeps DuckDB's pipeline parallel: a window over the
    whole scan would run it on one thread. Rows with two or more failing cells are held back and, once the
    bulk is written, repaired as shifted rows, quarantined, or written as they are (see _ShiftRepair).
    """
    query = columns.query(
        source=reader,
        ok=_well_formed(width),
        padded=facts.padded,
        redacted=facts.redacted,
        trailing_comma=facts.trailing_comma,
    )
    bulk = con.sql(query).to_arrow_reader(BATCH_ROWS)
    names = [field.name for field in bulk.schema if field.name not in ("_issues", "_ok", "_comma")]
    schema = pa.schema(
        [bulk.schema.field(n) for n in names]
        + [pa.field("_line", pa.int64()), pa.field("_repaired", pa.string()), bulk.schema.field("_issues")]
    )
    written = _Written()
    held: list[pa.Table] = []
    held_rows = 0
    first_batch: pa.Table | None = None  # what the columns hold, for the shift repair's profiles
    next_line = 2
    with _BackgroundWriter(out, schema) as writer:
        for batch in bulk:
            lines = np.arange(next_line, next_line + batch.num_rows, dtype=np.int64)
            next_line += batch.num_rows
            keep = batch.column("_ok").to_numpy(zero_copy_only=False)
            # `excluded` is sorted and the batch's lines are consecutive: find its few excluded lines.
            low, high = np.searchsorted(excluded, [lines[0], lines[-1] + 1]) if len(lines) else (0, 0)
            if high > low:
                keep = keep.copy()
                keep[excluded[low:high] - lines[0]] = False
            table = _kept_rows(pa.Table.from_batches([batch]), keep)
            repaired = pa.nulls(table.num_rows, pa.string())
            if facts.trailing_comma:
                comma = table.column("_comma")
                written.commas += pc.sum(comma).as_py() or 0
                repaired = pc.if_else(comma, pa.scalar(TRAILING_COMMA), repaired)
            table = pa.Table.from_arrays(
                [table.column(n) for n in names] + [pa.array(lines[keep]), repaired, table.column("_issues")],
                schema=schema,
            )
            table = checks.apply(table)
            suspect = _suspects(table)
            if suspect is not None and held_rows >= HOLD_LIMIT:
                checks.counts[UNCHECKED_SHIFT] = checks.counts.get(UNCHECKED_SHIFT, 0) + int(suspect.sum())
            elif suspect is not None:
                held.append(table.take(pa.array(np.flatnonzero(suspect))))  # a few rows: copied
                held_rows += held[-1].num_rows
                table = _kept_rows(table, ~suspect)  # the rest: zero-copy slices
            if first_batch is None and table.num_rows:
                first_batch = table.slice(0, PROFILE_ROWS)
            writer.put(table)
            written.rows += table.num_rows
        repaired = con.sql(
            columns.query(source=extra_table, ok="true", carried="_line, _repaired, ")
        ).to_arrow_table()
        if repaired.num_rows:
            keep = ~np.isin(repaired.column("_line").to_numpy(), excluded)
            repaired = checks.apply(repaired.filter(pa.array(keep)).select(schema.names).cast(schema))
            repaired = _flag_missing_tails(repaired, columns.names)
            writer.put(repaired)
            written.rows += repaired.num_rows
        if held:
            profiles = _batch_profiles(first_batch, shifted.names, shifted.kinds)
            for table in _resolve_held(
                con, pa.concat_tables(held), columns, shifted, checks, written, profiles
            ):
                writer.put(table.select(schema.names).cast(schema))
                written.rows += table.num_rows
    return written


def _suspects(table: pa.Table) -> np.ndarray | None:
    """A mask of the rows with two or more failing cells (bad values or unknown codes), or None."""
    issues = table.column("_issues")
    if issues.null_count == table.num_rows:
        return None
    failures = pc.add(*[pc.count_substring(issues, kind) for kind in _FAILURE_KINDS])
    suspect = pc.fill_null(pc.greater_equal(failures, 2), False).to_numpy(zero_copy_only=False)
    return suspect if suspect.any() else None


def _resolve_held(
    con: duckdb.DuckDBPyConnection,
    held: pa.Table,
    columns: _ColumnsSql,
    shifted: _ShiftRepair,
    checks: CellChecks,
    written: _Written,
    profiles: list[ColumnProfile],
) -> list[pa.Table]:
    """Repair (exactly one shift makes every cell valid), quarantine (a shift no single repair explains),
    or keep as they are (failing cells that are not a shift) the held-back rows."""
    line_numbers = held.column("_line").to_pylist()
    rows = _cells_as_written(held, shifted.names)
    commas = held.column("_repaired").to_pylist()
    keep = np.ones(held.num_rows, bool)
    repaired: list[Outcome] = []
    quarantined: list[Outcome] = []
    for index, (line, fields) in enumerate(zip(line_numbers, rows, strict=True)):
        if not shifted.is_shift(fields):
            continue
        outcome = repair_shifted(
            line,
            "\t".join(fields),
            shifted.kinds,
            key_is_number=shifted.key_is_number,
            profiles=profiles,
            code_ok=shifted.code_ok,  # type: ignore[arg-type]
        )
        if outcome.reason == "unrepairable_shift":
            continue  # no shift explains the failing cells: they stay flagged, NULL where unparseable
        keep[index] = False
        checks.forget(held.column("_issues")[index].as_py())
        if commas[index]:
            written.commas -= 1  # not a repair of its own: the row is quarantined or repaired as a shift
        if outcome.fields is None:
            quarantined.append(outcome)
            continue
        if commas[index]:
            outcome.repair = f"{outcome.repair}+{TRAILING_COMMA}"
        repaired.append(outcome)
        written.repairs.append(outcome.repair or "")
    if quarantined:  # the quarantine keeps the line as written
        texts = read_lines(shifted.path, [o.line for o in quarantined])
        for outcome in quarantined:
            outcome.text = texts.get(outcome.line, outcome.text)
        written.quarantined += quarantined
    result = [held.filter(pa.array(keep))]
    if repaired:
        _create_extra_table(con, shifted.table, repaired, len(shifted.names))
        typed = con.sql(columns.query(source=shifted.table, ok="true", carried="_line, _repaired, "))
        typed_rows = checks.apply(typed.to_arrow_table().select(held.column_names).cast(held.schema))
        result.append(_flag_missing_tails(typed_rows, shifted.names))
    return result


def _cells_as_written(held: pa.Table, names: list[str]) -> list[list[str]]:
    """The fields of the held rows as the line holds them (trimmed; a trailing comma removed): text cells
    as stored, cells set to NULL from their `_issues` raw text, typed cells in a form that parses the same.
    Rebuilt instead of read from the file, which would mean a second pass over it."""
    columns = {name: held.column(name).to_pylist() for name in names}
    issues = [json.loads(text) if text else [] for text in held.column("_issues").to_pylist()]
    rows = []
    for index, row_issues in enumerate(issues):
        raw = {issue["column"]: issue["raw"] for issue in row_issues if issue["kind"] != UNKNOWN_CODE}
        fields = []
        for name in names:
            value = columns[name][index]
            if name in raw:
                fields.append(str(raw[name]))
            elif value is None:
                fields.append("")
            elif isinstance(value, bool):
                fields.append("1" if value else "0")
            elif isinstance(value, date):
                fields.append(value.isoformat())
            else:
                fields.append(str(value))
        rows.append(fields)
    return rows


_MISSING_TAIL = re.compile(rf"(?:{SHORT_ROW}|{FILLED_TAIL})@([0-9]+)")


def _flag_missing_tails(table: pa.Table, names: list[str]) -> pa.Table:
    """Add a `short_row` issue for every cell a repair left empty because the line had no field for it
    (`short_row@N` / `filled_missing_tail@N`: columns N.. of the header), so they stay distinct from cells
    written empty."""
    labels = table.column("_repaired").to_pylist()
    issues = table.column("_issues").to_pylist()
    changed = False
    for row, label in enumerate(labels):
        match = _MISSING_TAIL.search(label or "")
        if match is None:
            continue
        entries = [
            '{"column":' + json.dumps(name) + ',"kind":"short_row","raw":""}'
            for name in names[int(match[1]) - 1 :]
        ]
        old = issues[row]
        issues[row] = "[" + ",".join(([old[1:-1]] if old else []) + entries) + "]"
        changed = True
    if not changed:
        return table
    index = table.column_names.index("_issues")
    return table.set_column(index, table.field(index), pa.array(issues, pa.string()))


def _kept_rows(table: pa.Table, keep: np.ndarray) -> pa.Table:
    """`table` without the rows where `keep` is false, as zero-copy slices: the dropped rows are few and
    scattered, and Table.filter would copy every column of every batch."""
    if keep.all():
        return table
    if not keep.any():
        return table.slice(0, 0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], keep.view(np.int8), [0]))))  # run starts and stops
    runs = edges.reshape(-1, 2).tolist()
    return pa.concat_tables([table.slice(start, stop - start) for start, stop in runs])


def _cell(kind: str | None, value: str, redacted: bool = True) -> str:
    """The typed value of a cell; a text cell of a column without the redaction mark is itself."""
    if not redacted and kind in (None, "String"):
        return value
    return CELL_SQL[kind or "String"].replace("{v}", value)


def _issues_sql(names: list[str], kinds: list[str | None], redacted: set[int] | None = None) -> str:
    """A JSON list of {column, kind, raw} for every cell set to NULL, or NULL when there is none. Only the
    columns in `redacted` (all when None) can hold the redaction mark (see _ColumnsSql.query).

    Built as text with concat_ws (which skips NULLs): a list of structs per row costs several times more.
    """
    fragments, conditions = [], []
    for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        marked = redacted is None or i in redacted
        if marked:
            conditions.append(f"v{i} = '{REDACTED}'")
        if kind in ISSUE_KIND:
            conditions.append(f"(t{i} IS NULL AND v{i} IS NOT NULL)")
        # The header's name goes into the JSON text, and that text into SQL, each through its own quoting
        # (json.dumps, then quote_literal): a name with quotes or `'); COPY ...` stays a harmless string.
        column = json.dumps(name)
        if marked:
            mark = quote_literal(f'{{"column":{column},"kind":"redacted","raw":"b6"}}')
            fragments.append(f"CASE WHEN v{i} = '{REDACTED}' THEN {mark} END")
        if kind in ISSUE_KIND:
            head = quote_literal(f'{{"column":{column},"kind":"{ISSUE_KIND[kind]}","raw":')
            not_mark = f" AND v{i} <> '{REDACTED}'" if marked else ""
            fragments.append(
                f"CASE WHEN t{i} IS NULL AND v{i} IS NOT NULL{not_mark} "
                f"THEN {head} || to_json(v{i}) || '}}' END"
            )
    if not fragments:
        return "NULL::VARCHAR"
    # Only rows with an issue build the text: CASE evaluates its THEN branch on the matching rows alone.
    any_issue = " OR ".join(conditions)
    return f"CASE WHEN {any_issue} THEN '[' || concat_ws(',', {', '.join(fragments)}) || ']' END"


def _quarantine(table: str, outcome: Outcome) -> Quarantined:
    return Quarantined(
        table=table,
        line=outcome.line,
        raw=encode_cp1252(outcome.text),
        reason=outcome.reason or "unknown",
        detail=outcome.detail or "",
    )


READ_LINES_CHUNK = 1 << 20  # small enough for a block and its line ends to stay in the CPU's cache


def read_lines(path: Path, wanted: list[int]) -> dict[int, str]:
    """The text of the given physical lines (1-based) of a prepared file, by counting LFs chunk by chunk
    (without the line end, LF or CRLF).

    Only the chunks holding a wanted line are searched for line ends (with numpy, not by splitting them into
    a list of lines), and only the wanted lines are sliced out and decoded."""
    result: dict[int, str] = {}
    if not wanted:
        return result
    targets = iter(sorted(wanted))
    target = next(targets)
    line_at_start = 1
    carry = b""
    with open(path, "rb") as handle:
        while target is not None and (chunk := handle.read(READ_LINES_CHUNK)):
            data = carry + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data
                continue
            block, carry = memoryview(data)[: cut + 1], data[cut + 1 :]
            ends = None
            is_end = np.frombuffer(block, np.uint8) == 10
            lines_in_block = int(np.count_nonzero(is_end))  # several times faster than bytes.count
            while target is not None and target < line_at_start + lines_in_block:
                if ends is None:
                    ends = np.flatnonzero(is_end)
                index = target - line_at_start
                start = int(ends[index - 1]) + 1 if index else 0
                # A line of a CRLF file ends in CR; no line of an LF one holds a CR (prepare.py).
                result[target] = bytes(block[start : int(ends[index])]).removesuffix(b"\r").decode("utf-8")
                target = next(targets, None)
            line_at_start += lines_in_block
    return result
