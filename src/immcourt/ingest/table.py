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
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from immcourt.ingest.lines import ODD_MARK, LineFacts
from immcourt.ingest.prepare import Prepared, decode_cp1252, encode_cp1252
from immcourt.ingest.repair import (
    REDACTED,
    SHAPE_LIMIT,
    ColumnProfile,
    Outcome,
    Rejected,
    is_bigint,
    resolve,
    shape,
)
from immcourt.ingest.schema import SQL_TYPES, column_types, expected_columns
from immcourt.sqlsafe import UnsafeSqlText, quote_ident, quote_literal

# How each schema type turns a trimmed, non-empty cell `{v}` into its typed value (NULL when it fails). The
# gates keep TRY_CAST from accepting forms EOIR never writes (`1.5`, `1e3`, `0x1A`, ISO `T` timestamps);
# LIKE is used for dates because it costs a fraction of a regular expression.
CELL_SQL = {
    "Numeric": "CASE WHEN regexp_full_match({v}, '[+-]?[0-9]{1,19}') THEN TRY_CAST({v} AS BIGINT) END",
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


def _reader(path: Path, width: int) -> str:
    """read_csv over the prepared file with one spare column. Marker rows are padded with NULL; every other
    row has exactly `width` fields, so DuckDB must not set anything aside (it raises instead of dropping)."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width + 1))
    return (
        f"read_csv({quote_literal(str(path))}, columns = {{{columns}}}, header = true, delim = '\\t', "
        f"quote = '', escape = '', auto_detect = false, null_padding = true, "
        f"nullstr = {quote_literal(NO_NULL_TEXT, allow_controls=True)}, max_line_size = 16777216)"
    )


def _well_formed(width: int) -> str:
    """SQL true for a real row (not a padded marker of a set-aside line)."""
    condition = f"c{width - 1} IS NOT NULL AND c{width} IS NULL"
    if width != 1:
        return condition
    return condition + f" AND c0 IS DISTINCT FROM {quote_literal(ODD_MARK.decode(), allow_controls=True)}"


def load_table(con: duckdb.DuckDBPyConnection, *, table: str, prepared: Prepared, out: Path) -> TableResult:
    """Write `out` (Parquet) for one table and return its reconciliation counts and quarantined lines."""
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
    reader = _reader(prepared.path, width)

    odd = [Rejected(line=line, text=decode_cp1252(raw)) for line, raw in sorted(prepared.facts.odd.items())]
    needs_profiles = any(len(r.fields) == width + 1 for r in odd)
    profiles = _profiles(con, reader=reader, width=width) if needs_profiles else None
    # The repairs check a key in the first column only; a key elsewhere is checked by KeyLines below.
    outcomes = resolve(odd, kinds, key_is_number=key == 0, profiles=profiles)
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
    loaded = _write_parquet(
        con,
        columns=columns,
        reader=reader,
        width=width,
        extra_table=f"{tag}_extra",
        excluded=np.array(sorted(excluded_lines), np.int64),
        facts=prepared.facts,
        out=out,
    )
    con.execute(f"DROP TABLE IF EXISTS {tag}_extra")

    kept_repairs = [o for o in extra if o.repair and o.line not in excluded_lines]
    result = TableResult(
        table=table,
        data_lines=max(prepared.lines - 1, 0),
        loaded=loaded,
        repaired=len(kept_repairs),
        merged=sum(o.merged_lines for o in outcomes),
        blank=prepared.blank_lines,
    )
    for outcome in kept_repairs:
        kind = outcome.repair.split("@")[0]
        result.repairs[kind] = result.repairs.get(kind, 0) + 1
    result.quarantined = [_quarantine(table, o) for o in outcomes if o.fields is None]
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
    """Primary keys of a table: the line of each key's first row, and the lines to quarantine by key.

    Found with numpy from the byte pass's keys, so the bulk pass only has to leave the excluded lines out."""

    keys: np.ndarray
    lines: np.ndarray
    excluded: list[tuple[int, str, str]]  # (line, reason, detail)

    @classmethod
    def empty(cls) -> KeyLines:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), [])

    @classmethod
    def build(cls, prepared: Prepared, extra: list[Outcome]) -> KeyLines:
        """Keys from the byte pass plus the repaired rows; a key that is not a whole number, or that repeats
        an earlier line's key, puts its line in `excluded`."""
        keys, lines = prepared.facts.keys()
        bad: list[tuple[int, str, str]] = []
        slow_keys, slow_lines = [], []
        slow = [(line, decode_cp1252(raw).strip()) for line, raw in prepared.facts.slow_keys]
        slow += [(o.line, o.fields[prepared.key_column or 0].strip()) for o in extra]
        for line, text in slow:
            if is_bigint(text):
                slow_keys.append(int(text))
                slow_lines.append(line)
            else:
                shown = f"'{text}'" if text else "is empty"
                bad.append((line, "bad_key", f"primary key {shown} is not a whole number"))
        keys = np.concatenate([keys, np.array(slow_keys, np.int64)])
        lines = np.concatenate([lines, np.array(slow_lines, np.int64)])
        order = np.lexsort((lines, keys))  # by key, then by line: the first of a run is the one kept
        keys, lines = keys[order], lines[order]
        first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.empty(0, bool)
        repeats = np.flatnonzero(~first)
        if len(repeats):
            run_starts = np.flatnonzero(first)
            first_lines = lines[run_starts[np.searchsorted(run_starts, repeats, side="right") - 1]]
            bad += [
                (int(line), "duplicate_key", f"key {int(key)} first seen on line {int(first_line)}")
                for line, key, first_line in zip(lines[repeats], keys[repeats], first_lines, strict=True)
            ]
        return cls(keys[first], lines[first], sorted(bad))


def _texts_of_excluded(
    path: Path, excluded: list[tuple[int, str, str]], extra: list[Outcome]
) -> dict[int, str]:
    from_extra = {o.line: o.text for o in extra}
    wanted = sorted({line for line, _, _ in excluded if line not in from_extra})
    return {**read_lines(path, wanted), **from_extra}


PROFILE_ROWS = 20_000


def _profiles(con: duckdb.DuckDBPyConnection, *, reader: str, width: int) -> list[ColumnProfile]:
    """Per column, the distinct values (or value shapes) of the first PROFILE_ROWS well-formed rows."""
    sample = con.sql(
        f"SELECT * FROM (SELECT * FROM {reader} LIMIT {PROFILE_ROWS}) WHERE {_well_formed(width)}"
    ).to_arrow_table()
    profiles = []
    for i in range(width):
        distinct = pc.unique(sample.column(i)).to_pylist()  # strip each distinct text once, not every cell
        values = {v.strip() for v in distinct if v and v.strip()}
        shapes = {shape(v) for v in values} if len(values) > SHAPE_LIMIT else set()
        profiles.append(
            ColumnProfile(
                values=frozenset(values) if len(values) <= SHAPE_LIMIT else None,
                shapes=frozenset(shapes)
                if len(values) > SHAPE_LIMIT and len(shapes) <= SHAPE_LIMIT
                else None,
            )
        )
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
    ) -> str:
        """The typing query over `source`; only the columns in `padded` (all when it is None) are trimmed:
        the byte pass found which columns have a cell that trimming would change."""
        width = len(self.names)
        output = [f"t{i} AS {quote_ident(name)}" for i, name in enumerate(self.names)]
        output += [f"NULL::{SQL_TYPES[self.types[n]]} AS {quote_ident(n)}" for n in self.missing]
        return _sql("typed_rows.sql").format(
            source=source,
            ok=ok,
            carried=carried,
            trimmed_columns=", ".join(_trimmed(i, padded is None or i in padded) for i in range(width)),
            trimmed_names=", ".join(f"v{i}" for i in range(width)),
            typed_columns=", ".join(f"{_cell(kind, f'v{i}')} AS t{i}" for i, kind in enumerate(self.kinds)),
            output_columns=", ".join(output),
            issues=_issues_sql(self.names, self.kinds),
        )


def _trimmed(index: int, trim: bool) -> str:
    value = f"trim(c{index})" if trim else f"c{index}"
    return f"nullif({value}, '') AS v{index}"


BATCH_ROWS = 122_880


class _BackgroundWriter:
    """A Parquet writer on its own thread, so compressing one batch overlaps DuckDB producing the next
    (pyarrow releases the GIL while it encodes)."""

    def __init__(self, out: Path, schema: pa.Schema) -> None:
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=4)
        self._writer = pq.ParquetWriter(out, schema, compression="zstd")
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while (table := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._writer.write_table(table)
                except BaseException as error:  # handed to the producing thread in put() / __exit__
                    self._error = error

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
) -> int:
    """Stream the typed rows from DuckDB (which parses and types in parallel, in file order) into `out`.

    Numbering rows here instead of with row_number() keeps DuckDB's pipeline parallel: a window over the
    whole scan would run it on one thread.
    """
    query = columns.query(source=reader, ok=_well_formed(width), padded=facts.padded)
    bulk = con.sql(query).to_arrow_reader(BATCH_ROWS)
    names = [field.name for field in bulk.schema if field.name not in ("_issues", "_ok")]
    schema = pa.schema(
        [bulk.schema.field(n) for n in names]
        + [pa.field("_line", pa.int64()), pa.field("_repaired", pa.string()), bulk.schema.field("_issues")]
    )
    written = 0
    next_line = 2
    with _BackgroundWriter(out, schema) as writer:
        for batch in bulk:
            lines = np.arange(next_line, next_line + batch.num_rows, dtype=np.int64)
            next_line += batch.num_rows
            keep = batch.column("_ok").to_numpy(zero_copy_only=False) & ~np.isin(lines, excluded)
            table = _kept_rows(pa.Table.from_batches([batch]), keep)
            table = pa.Table.from_arrays(
                [table.column(n) for n in names]
                + [pa.array(lines[keep]), pa.nulls(table.num_rows, pa.string()), table.column("_issues")],
                schema=schema,
            )
            writer.put(table)
            written += table.num_rows
        repaired = con.sql(
            columns.query(source=extra_table, ok="true", carried="_line, _repaired, ")
        ).to_arrow_table()
        if repaired.num_rows:
            keep = ~np.isin(repaired.column("_line").to_numpy(), excluded)
            repaired = repaired.filter(pa.array(keep)).select(schema.names).cast(schema)
            writer.put(repaired)
            written += repaired.num_rows
    return written


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


def _cell(kind: str | None, value: str) -> str:
    return CELL_SQL[kind or "String"].replace("{v}", value)


def _issues_sql(names: list[str], kinds: list[str | None]) -> str:
    """A JSON list of {column, kind, raw} for every cell set to NULL, or NULL when there is none.

    Built as text with concat_ws (which skips NULLs): a list of structs per row costs several times more.
    """
    fragments, conditions = [], []
    for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        conditions.append(f"v{i} = '{REDACTED}'")
        if kind in ISSUE_KIND:
            conditions.append(f"(t{i} IS NULL AND v{i} IS NOT NULL)")
        # The header's name goes into the JSON text, and that text into SQL, each through its own quoting
        # (json.dumps, then quote_literal): a name with quotes or `'); COPY ...` stays a harmless string.
        column = json.dumps(name)
        redacted = quote_literal(f'{{"column":{column},"kind":"redacted","raw":"b6"}}')
        fragments.append(f"CASE WHEN v{i} = '{REDACTED}' THEN {redacted} END")
        if kind in ISSUE_KIND:
            head = quote_literal(f'{{"column":{column},"kind":"{ISSUE_KIND[kind]}","raw":')
            fragments.append(
                f"CASE WHEN t{i} IS NULL AND v{i} IS NOT NULL AND v{i} <> '{REDACTED}' "
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


def read_lines(path: Path, wanted: list[int]) -> dict[int, str]:
    """The text of the given physical lines (1-based) of a prepared file, by counting LFs chunk by chunk.

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
        while target is not None and (chunk := handle.read(1 << 24)):
            data = carry + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data
                continue
            block, carry = memoryview(data)[: cut + 1], data[cut + 1 :]
            ends = None
            lines_in_block = data.count(b"\n", 0, cut + 1)
            while target is not None and target < line_at_start + lines_in_block:
                if ends is None:
                    ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
                index = target - line_at_start
                start = int(ends[index - 1]) + 1 if index else 0
                result[target] = bytes(block[start : int(ends[index])]).decode("utf-8")
                target = next(targets, None)
            line_at_start += lines_in_block
    return result
