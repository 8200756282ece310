"""Compare two releases: records added, removed and changed per table, and the statistics that moved.

Records: each core table of release A is joined with the same table of release B on the table's primary
key (`ingest.schema.primary_key`), one DuckDB FULL OUTER JOIN over the two Parquet files per table; the rule
is `CHANGED_RULE`. Statistics: each of `STATISTICS` on both releases through the metrics API. Both are
written out in docs/METHODOLOGY.md ("Comparing two releases", from `methodology_markdown()`).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from immcourt.ingest.schema import CORE_TABLES, primary_key
from immcourt.metrics.api import Store
from immcourt.metrics.periods import is_partial
from immcourt.sqlsafe import quote_ident

# A release's Parquet file, its path bound as a parameter. Not read as a Hive partition: the folder name
# `release=<id>` would otherwise add a `release` column that differs on every row.
PARQUET = "read_parquet(?, hive_partitioning = false)"
# The ingest's bookkeeping columns: where a row sits in the file and what the ingest did to it.
INGEST_COLUMNS = frozenset({"_line", "_repaired", "_issues"})

KEYED_TABLES = CORE_TABLES  # compared by primary key
# (label, metric, by, fixed filters): the statistics a monthly update moves, all by fiscal year.
STATISTICS: tuple[tuple[str, str, tuple[str, ...], dict[str, object]], ...] = (
    ("new cases by fiscal year", "new_cases", ("fiscal_year",), {}),
    ("completions by fiscal year", "completions", ("fiscal_year",), {}),
    ("completions by fiscal year and outcome", "completions", ("fiscal_year", "outcome"), {}),
    ("pending at the end of each fiscal year", "pending", ("fiscal_year",), {}),
    ("allowed-to-remain share by fiscal year", "allowed_to_remain_share", ("fiscal_year",), {}),
    ("asylum decisions by fiscal year", "asylum_decisions", ("fiscal_year",), {}),
    ("asylum grant rate by fiscal year", "asylum_grant_rate", ("fiscal_year",), {}),
)


CHANGED_RULE = (
    "Rows are matched on the table's key. Added: a key only in the later release; removed: only in the "
    "earlier one; changed: a key in both whose row differs in any column both releases have, compared as "
    "loaded (typed, trimmed, an unusable cell NULL; NULL against a value counts as a change). Where a row "
    "sits in the file and what the ingest repaired (_line, _repaired, _issues) are not compared. A row "
    "quarantined in one release only is missing from its table there, so it counts as removed or added: each "
    "release's quarantine count is shown beside the table."
)


def methodology_markdown() -> str:
    """The "Comparing two releases" section of docs/METHODOLOGY.md."""
    lines = [
        "## Comparing two releases (`immcourt diff`, `/diff`)\n",
        f"{CHANGED_RULE} Keys: {', '.join(f'{t} {primary_key(t)}' for t in KEYED_TABLES)}.\n",
        "Statistics compared (default options, each release's own records-through date; a fiscal year either "
        "release covers only in part is marked partial; a difference of shares is in percentage points):\n",
    ]
    lines += [f"- {label}: `{metric}` by {', '.join(by)}" for label, metric, by, _ in STATISTICS]
    lines.append(
        "\nA cell is listed when its value differs (`--all`: every cell); each statistic carries both "
        "releases' exclusions. The cases of the earlier release missing from the later one are described as "
        "the earlier release's model had them (pending or by outcome, and by the fiscal year they started). "
        "The sample generator's `--next-month` release is the same cases one month later, with an oracle "
        "of every row added, removed or changed (`oracle/changes.parquet`) that the tests compare the diff "
        "against.\n"
    )
    return "\n".join(lines)


class DiffError(ValueError):
    """Two releases that cannot be compared (one missing, the same release twice); one line."""


@dataclass
class TableDiff:
    """One table's records: counts in each release and what the key join found."""

    table: str
    key: str
    rows_a: int
    rows_b: int
    added: int
    removed: int
    changed: int
    unchanged: int
    columns_changed: dict[str, int] = field(default_factory=dict)  # column -> changed rows, most first
    columns_only_a: list[str] = field(default_factory=list)
    columns_only_b: list[str] = field(default_factory=list)
    quarantined_a: int = 0
    quarantined_b: int = 0


@dataclass
class StatChange:
    """One cell of a statistic whose value differs between the releases (None: absent or suppressed)."""

    statistic: str
    metric: str
    unit: str
    kind: str  # the metric's kind (count, share, pending, median_days): how to write its values
    cells: dict[str, Any]  # the dimension values, e.g. {"fiscal_year": 2026}
    a: float | None
    b: float | None
    difference: float | None


@dataclass
class StatSummary:
    """One compared statistic: its cells that moved and what each release excluded from it."""

    statistic: str
    metric: str
    unit: str
    kind: str
    by: list[str]
    moved: list[StatChange]
    cells: int
    exclusions_a: dict[str, int]
    exclusions_b: dict[str, int]


@dataclass
class VanishedCases:
    """The cases of release A missing from release B (A_TblCase keys removed), as release A's model saw
    them: by outcome (`pending` when A had them pending) and by the fiscal year they started in."""

    total: int
    by_outcome: dict[str, int]
    by_receipt_fiscal_year: dict[str, int]


@dataclass
class ReleaseDiff:
    release_a: str
    release_b: str
    is_sample: bool
    records_through_a: date | None
    records_through_b: date | None
    tables: list[TableDiff]
    statistics: list[StatSummary]
    vanished: VanishedCases | None
    seconds_records: float
    seconds_statistics: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def partial(self, dimension: str, value: object) -> bool:
        """Whether a period of a statistic's cell is covered only in part by either release."""
        return is_partial(dimension, value, self.records_through_a) or is_partial(
            dimension, value, self.records_through_b
        )


def release_tables(folder: Path) -> dict[str, Path]:
    """A release folder's core tables (name -> Parquet file), the quarantine and lookups left out."""
    return {p.stem: p for p in sorted(folder.glob("*.parquet")) if not p.name.startswith("_")}


def diff_tables(
    folder_a: Path,
    folder_b: Path,
    *,
    quarantined_a: dict[str, int] | None = None,
    quarantined_b: dict[str, int] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[TableDiff]:
    """Per core table of either release: rows added, removed and changed by the table's key (see the module
    docstring). `con` may be a confined connection that can read both folders' files (the web's)."""
    own = con is None
    con = con or duckdb.connect(":memory:")
    try:
        files_a, files_b = release_tables(folder_a), release_tables(folder_b)
        out = []
        for table in sorted(files_a.keys() | files_b.keys()):
            out.append(
                _diff_table(
                    con,
                    table,
                    files_a.get(table),
                    files_b.get(table),
                    quarantined_a or {},
                    quarantined_b or {},
                )
            )
        return out
    finally:
        if own:
            con.close()


def _columns(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    return {
        row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {PARQUET}", [str(path)]).fetchall()
    }


def _count(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    return con.execute(f"SELECT count(*) FROM {PARQUET}", [str(path)]).fetchall()[0][0]


def _diff_table(con, table, path_a, path_b, quarantined_a, quarantined_b) -> TableDiff:
    key = primary_key(table)
    base = {
        "table": table,
        "quarantined_a": quarantined_a.get(table, 0),
        "quarantined_b": quarantined_b.get(table, 0),
    }
    if path_a is None or path_b is None:  # the table is in one release only: every row added or removed
        rows_a = _count(con, path_a) if path_a else 0
        rows_b = _count(con, path_b) if path_b else 0
        return TableDiff(
            key=key or "",
            rows_a=rows_a,
            rows_b=rows_b,
            added=rows_b,
            removed=rows_a,
            changed=0,
            unchanged=0,
            **base,
        )
    types_a, types_b = _columns(con, path_a), _columns(con, path_b)
    if key is None or key not in types_a or key not in types_b:
        raise DiffError(f"{table}: no primary key column in both releases; it cannot be compared row by row")
    shared = [c for c in types_a if c in types_b and c not in INGEST_COLUMNS and c != key]
    k = quote_ident(key)

    def differs(column: str) -> str:
        return _differs(column, types_a, types_b)

    both = f"a.{k} IS NOT NULL AND b.{k} IS NOT NULL"
    any_change = " OR ".join(f"({differs(c)})" for c in shared) or "false"
    per_column = "".join(f", count(*) FILTER (WHERE {both} AND {differs(c)})" for c in shared)
    query = (
        f"SELECT count(a.{k}), count(b.{k}), count(*) FILTER (WHERE b.{k} IS NULL), "
        f"count(*) FILTER (WHERE a.{k} IS NULL), "
        f"count(*) FILTER (WHERE {both} AND ({any_change})){per_column} "
        f"FROM {PARQUET} AS a FULL OUTER JOIN {PARQUET} AS b ON a.{k} = b.{k}"
    )
    row = con.execute(query, [str(path_a), str(path_b)]).fetchall()[0]
    rows_a, rows_b, removed, added, changed = row[:5]
    by_column = {c: n for c, n in zip(shared, row[5:], strict=True) if n}
    return TableDiff(
        key=key,
        rows_a=rows_a,
        rows_b=rows_b,
        added=added,
        removed=removed,
        changed=changed,
        unchanged=rows_a - removed - changed,
        columns_changed=dict(sorted(by_column.items(), key=lambda item: (-item[1], item[0]))),
        columns_only_a=[c for c in types_a if c not in types_b and c not in INGEST_COLUMNS],
        columns_only_b=[c for c in types_b if c not in types_a and c not in INGEST_COLUMNS],
        **base,
    )


def changed_keys(
    folder_a: Path, folder_b: Path, table: str, change: str, *, con: duckdb.DuckDBPyConnection | None = None
) -> list[int]:
    """The keys of `table` that were `change` (added, removed or changed, as in diff_tables), ascending."""
    if change not in ("added", "removed", "changed"):
        raise DiffError(f"change {change!r} must be added, removed or changed")
    path_a, path_b = release_tables(folder_a).get(table), release_tables(folder_b).get(table)
    key = primary_key(table)
    if path_a is None or path_b is None or key is None:
        raise DiffError(f"table {table!r} is not in both releases with a key; it has no row-by-row changes")
    own = con is None
    con = con or duckdb.connect(":memory:")
    try:
        types_a, types_b = _columns(con, path_a), _columns(con, path_b)
        k = quote_ident(key)
        if change == "added":
            where = f"a.{k} IS NULL"
        elif change == "removed":
            where = f"b.{k} IS NULL"
        else:
            shared = [c for c in types_a if c in types_b and c not in INGEST_COLUMNS and c != key]
            any_change = " OR ".join(f"({_differs(c, types_a, types_b)})" for c in shared) or "false"
            where = f"a.{k} IS NOT NULL AND b.{k} IS NOT NULL AND ({any_change})"
        query = (
            f"SELECT coalesce(a.{k}, b.{k}) AS key FROM {PARQUET} AS a "
            f"FULL OUTER JOIN {PARQUET} AS b ON a.{k} = b.{k} WHERE {where} ORDER BY key"
        )
        return [row[0] for row in con.execute(query, [str(path_a), str(path_b)]).fetchall()]
    finally:
        if own:
            con.close()


def _differs(column: str, types_a: dict[str, str], types_b: dict[str, str]) -> str:
    """SQL: the column's value differs between rows `a` and `b` (NULL against a value too)."""
    a, b = f"a.{quote_ident(column)}", f"b.{quote_ident(column)}"
    if types_a[column] != types_b[column]:  # a column retyped between releases: compare the text
        a, b = f"CAST({a} AS VARCHAR)", f"CAST({b} AS VARCHAR)"
    return f"{a} IS DISTINCT FROM {b}"


def vanished_cases(db_a: Store, keys: list[int]) -> VanishedCases:
    """What release A's model (default options) says about the cases `keys` that release B lacks."""
    import pyarrow as pa

    con = db_a.connection()
    cases = db_a.cases_table()
    con.register("_vanished", pa.table({"idncase": pa.array(keys, pa.int64())}))
    try:
        rows = con.execute(
            "SELECT coalesce(c.outcome, CASE WHEN c.completion_date IS NULL THEN 'pending' "
            "ELSE 'no outcome (excluded)' END), CAST(c.receipt_fiscal_year AS VARCHAR) "
            f"FROM _vanished AS v JOIN {cases} AS c USING (idncase)"
        ).fetchall()
    finally:
        con.unregister("_vanished")
    by_outcome: dict[str, int] = {}
    by_year: dict[str, int] = {}
    for outcome, year in rows:
        by_outcome[outcome] = by_outcome.get(outcome, 0) + 1
        by_year[year or "unknown"] = by_year.get(year or "unknown", 0) + 1
    missing = len(keys) - len(rows)
    if missing:  # a key of A_TblCase the model has no case for (e.g. a case without proceedings)
        by_outcome["not in the model"] = missing
    return VanishedCases(
        total=len(keys),
        by_outcome=dict(sorted(by_outcome.items(), key=lambda item: -item[1])),
        by_receipt_fiscal_year=dict(sorted(by_year.items())),
    )


def diff_statistics(db_a: Store, db_b: Store, *, all_cells: bool = False) -> list[StatSummary]:
    """Each of STATISTICS on both releases (default options): the cells whose value differs (every cell
    with `all_cells`). A cell present in one release only has None on the other side."""
    out = []
    for label, metric, by, where in STATISTICS:
        res_a = db_a.stats(metric, by=list(by), where=where or None)
        res_b = db_b.stats(metric, by=list(by), where=where or None)
        cells_a = {tuple(row[d] for d in by): row["value"] for row in res_a.to_dicts()}
        cells_b = {tuple(row[d] for d in by): row["value"] for row in res_b.to_dicts()}
        moved = []
        for cell in sorted(cells_a.keys() | cells_b.keys(), key=lambda c: tuple(str(v) for v in c)):
            a, b = cells_a.get(cell), cells_b.get(cell)
            if a == b and not all_cells:
                continue
            difference = None if a is None or b is None else b - a
            moved.append(
                StatChange(
                    statistic=label,
                    metric=metric,
                    unit=res_a.metric.unit,
                    kind=res_a.metric.kind,
                    cells=dict(zip(by, cell, strict=True)),
                    a=a,
                    b=b,
                    difference=difference,
                )
            )
        out.append(
            StatSummary(
                statistic=label,
                metric=metric,
                unit=res_a.metric.unit,
                kind=res_a.metric.kind,
                by=list(by),
                moved=moved,
                cells=len(cells_a.keys() | cells_b.keys()),
                exclusions_a=dict(res_a.exclusions),
                exclusions_b=dict(res_b.exclusions),
            )
        )
    return out


def diff_releases(
    db_a: Store,
    db_b: Store,
    *,
    statistics: bool = True,
    all_cells: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
) -> ReleaseDiff:
    """Release A (the older, usually) against release B of the same or another store."""
    if db_a.release.path.resolve() == db_b.release.path.resolve():
        raise DiffError(f"release {db_a.release.id} compared with itself; name two different releases")
    started = time.perf_counter()
    tables = diff_tables(
        db_a.release.path.resolve(),
        db_b.release.path.resolve(),
        quarantined_a=db_a.release.quarantined,
        quarantined_b=db_b.release.quarantined,
        con=con,
    )
    records = time.perf_counter() - started
    stats = diff_statistics(db_a, db_b, all_cells=all_cells) if statistics else []
    vanished = None
    if statistics and any(t.table == "A_TblCase" and t.removed for t in tables):
        keys = changed_keys(
            db_a.release.path.resolve(), db_b.release.path.resolve(), "A_TblCase", "removed", con=con
        )
        vanished = vanished_cases(db_a, keys)
    return ReleaseDiff(
        release_a=db_a.release.id,
        release_b=db_b.release.id,
        is_sample=db_a.release.is_sample or db_b.release.is_sample,
        records_through_a=db_a.release.records_through,
        records_through_b=db_b.release.records_through,
        tables=tables,
        statistics=stats,
        vanished=vanished,
        seconds_records=records,
        seconds_statistics=time.perf_counter() - started - records,
    )
