"""The columns statistics read: refused when a table lacks one, warned about when most of one fails to parse.

Two rules, both about the columns the model reads (`schema.NEEDED_COLUMNS`, the same list as
model/build.py's CORE_SOURCES):

- **A needed column missing** (a header cell renamed or dropped, e.g. `COMP_DATE` → `COMPLETION_DT` in
  B_TblProceeding): the ingest refuses the release before loading anything, in one line naming the file and
  the column (`missing_columns`, `missing_column_message`). `--partial` loads it anyway (the column is NULL);
  every statistic of such a release then carries a note naming the column (`degraded_column_notes`).
- **A needed date column mostly unparseable** (e.g. a release writing COMP_DATE as `MM/DD/YYYY`): when more
  than `UNPARSEABLE_WARN_SHARE` of the column's non-empty cells could not be read as dates, the ingest warns
  (naming table, column, count and share), records it in `_release.json` (`columns_unparseable`), the
  release's validation summary names it, and every statistic carries a note next to its number. The cells
  themselves are NULL with a `bad_date` issue, counted in each number's exclusions as before.

`degraded_column_notes` is the one place the notes are worded; the ingest writes them into `_release.json`
(`column_notes`), which every statistic and the validation summary read (the stats path never imports the
ingest).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from immcourt.ingest.schema import NEEDED_COLUMNS, column_types, primary_key
from immcourt.sqlsafe import quote_ident

# A needed date column with more than this share of its non-empty cells unparseable is named at ingest
# and next to every statistic (docs/METHODOLOGY.md, "Columns the statistics need"). EOIR's dates parse
# almost always (the sample injects ~0.03% bad cells per defect kind); 1% is far above that noise and far
# below a format change (which makes nearly every cell unparseable).
UNPARSEABLE_WARN_SHARE = 0.01


def needed_date_columns(table: str) -> tuple[str, ...]:
    """The needed columns of `table` the schema types as dates (COMP_DATE, OSC_DATE, ...); () for others."""
    types = column_types(table)
    return tuple(c for c in _needed(table) if types.get(c) == "Date")


def _needed(table: str) -> tuple[str, ...]:
    for name, columns in NEEDED_COLUMNS.items():
        if name.lower() == table.lower():
            return columns
    return ()


def header_columns(head: bytes) -> list[str]:
    """The column names (upper case, trimmed) of a table's first bytes: NULs and a byte-order mark dropped
    (a UTF-16 or UTF-32 file is refused by the byte pass, naming its encoding), tab-split."""
    head = head.replace(b"\x00", b"")
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(mark)
    first = re.split(rb"[\r\n]", head, maxsplit=1)[0]
    return [name.strip().upper() for name in first.decode("cp1252", errors="replace").split("\t")]


def missing_needed(table: str, header: list[str]) -> list[str]:
    """The needed columns of `table` (schema.NEEDED_COLUMNS) its header lacks, in the list's order; the
    table's primary key is left to the key check (ingest/run.py), whose message says it is the key."""
    present = {name.strip().upper() for name in header}
    key = primary_key(table)
    return [column for column in _needed(table) if column.upper() not in present and column != key]


def missing_column_message(source: object, member: str, missing: list[str]) -> str:
    """The one-line refusal: file, column(s), and what to do."""
    noun = "column" if len(missing) == 1 else "columns"
    return (
        f"{source}: {member} has no {noun} {', '.join(missing)} (statistics read it: without it they would "
        "silently come out 0 or empty); the file is damaged or its header renamed: re-download the release, "
        "or pass --partial to load it anyway (every statistic then notes the missing column)"
    )


def unparseable_dates(path: Path, table: str) -> dict[str, tuple[int, int]]:
    """Per needed date column of a loaded table's Parquet file: (cells that did not parse as a date, non-empty
    cells). Read from the `bad_date` issues of `_issues` (the unparseable cells are NULL there)."""
    columns = list(needed_date_columns(table))
    if not columns:
        return {}
    con = duckdb.connect(":memory:")
    try:
        names = {
            str(name).upper(): str(name)
            for (name,) in con.execute("SELECT name FROM parquet_schema(?)", [str(path)]).fetchall()
        }
        present = [c for c in columns if c in names]
        if not present or "_ISSUES" not in names:
            return {}
        bad = dict(
            con.execute(
                "SELECT upper(i.column), count(*) FROM ("
                '  SELECT unnest(from_json(_issues, \'[{"column":"VARCHAR","kind":"VARCHAR"}]\')) AS i'
                "  FROM read_parquet(?) WHERE _issues IS NOT NULL"
                ") WHERE i.kind = 'bad_date' GROUP BY 1",
                [str(path)],
            ).fetchall()
        )
        counts = ", ".join(f"count({quote_ident(names[c])})" for c in present)
        valid = con.execute(f"SELECT {counts} FROM read_parquet(?)", [str(path)]).fetchall()[0]
    finally:
        con.close()
    return {c: (int(bad.get(c, 0)), int(bad.get(c, 0)) + int(n)) for c, n in zip(present, valid, strict=True)}


def over_threshold(counts: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The columns whose unparseable share is above UNPARSEABLE_WARN_SHARE."""
    return {
        c: (bad, cells)
        for c, (bad, cells) in counts.items()
        if cells and bad / cells > UNPARSEABLE_WARN_SHARE
    }


def unparseable_warning(table: str, column: str, bad: int, cells: int) -> str:
    """The ingest warning (and validation-summary line) for one mostly unparseable date column."""
    return (
        f"{table}.{column}: {bad:,} of {cells:,} non-empty cells ({bad / cells:.1%}) are not dates the "
        f"ingest reads (over the {UNPARSEABLE_WARN_SHARE:.0%} threshold); they are NULL, so "
        f"statistics reading {column} leave those rows out: check the release's date format"
    )


def degraded_column_notes(manifest: dict[str, Any]) -> list[str]:
    """The notes every statistic of a release carries for a needed column it lacks (loaded with --partial)
    or that is mostly unparseable; [] for a sound release. `manifest` is the release's `_release.json`."""
    notes = []
    for table, columns in sorted((manifest.get("columns_missing") or {}).items()):
        lacking = [c for c in columns if c.upper() in {n.upper() for n in _needed(table)}]
        if lacking:
            notes.append(
                f"the release's {table} has no column {', '.join(lacking)} (loaded with --partial): "
                "statistics reading it count those values as missing, so this number may be too low or 0"
            )
    for table, columns in sorted((manifest.get("columns_unparseable") or {}).items()):
        for column, (bad, cells) in sorted(columns.items()):
            notes.append(
                f"{table}.{column}: {bad:,} of {cells:,} cells ({bad / cells:.1%}) could not be read as "
                "dates at ingest; rows needing them are left out (see exclusions): this number may be too low"
            )
    return notes
