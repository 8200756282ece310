"""Cell checks after typing: coded cells against the release's own lookups, and dates against the
plausibility rule (docs/METHODOLOGY.md, "Plausible dates").

They run on the Arrow batches the typing query streams out (vectorised `is_in` and comparisons), so a
clean cell costs a hash probe or a comparison; only the rare failing cells are touched in Python.

- `unknown_code`: a non-empty cell of a coded column (CODED_COLUMNS) that is not a code of its lookup.
  The value is kept as written and the cell is listed in `_issues`.
- `implausible_date`: a date before MIN_EVENT_DATE, a completion / filing / decision date after the
  release date, or a COMP_DATE before its own row's OSC_DATE. The cell is set to NULL (the raw date is in
  `_issues`), so the model never uses it.

The one place these rules live; the model reads the flags from `_issues`, the docs describe them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UNKNOWN_CODE = "unknown_code"
IMPLAUSIBLE_DATE = "implausible_date"

# Column (upper case, in any table) → (lookup, code column, optional (filter column, value)).
CODED_COLUMNS: dict[str, tuple[str, str, tuple[str, str] | None]] = {
    "DEC_CODE": ("tblLookupCourtDecision", "strDecCode", ("strDecType", "C")),
    "OTHER_COMP": ("tblLookupCourtDecision", "strDecCode", ("strDecType", "O")),
    "APPL_CODE": ("tblLookUp_Appln", "strcode", None),
    "APPL_DEC": ("tblLookupCourtAppDecisions", "strCourtApplnDecCode", None),
    "CASE_TYPE": ("tblLookupCaseType", "strCode", None),
    "NAT": ("tblLookupNationality", "NAT_CODE", None),
    "LANG": ("tblLanguage", "strCode", None),
    "CUSTODY": ("tblLookupCustodyStatus", "strCode", None),
    "BASE_CITY_CODE": ("tblLookupBaseCity", "BASE_CITY_CODE", None),
    "HEARING_LOC_CODE": ("tblLookupHloc", "HEARING_LOC_CODE", None),
    "IJ_CODE": ("tblLookupJudge", "JUDGE_CODE", None),
}

# Plausibility of dates (one rule per date column).
MIN_EVENT_DATE = date(1950, 1, 1)  # EOIR writes 1900-01-01 as a placeholder; no court event predates 1950
# Dates that may lie after the release date: scheduled hearings and deadlines. Every other date column
# records something that happened (a completion, a filing, a decision, an entry) and cannot be later
# than the release that reports it.
FUTURE_ALLOWED_MARKERS = ("HEARING", "DUE", "ADJ")
FUTURE_ALLOWED_COLUMNS = frozenset({"C_RELEASE_DATE", "UP_BOND_DATE"})  # expected release, upcoming bond date
# (later column, earlier column) within one row: the later one is implausible when it comes first.
ORDERED_DATES: dict[str, tuple[tuple[str, str], ...]] = {
    "B_TblProceeding": (("COMP_DATE", "OSC_DATE"),),
}


def future_allowed(column: str) -> bool:
    """Whether a date column may hold a date after the release date (scheduled events, deadlines)."""
    name = column.upper()
    return name in FUTURE_ALLOWED_COLUMNS or any(marker in name for marker in FUTURE_ALLOWED_MARKERS)


def date_rule(column: str, release_date: date | None) -> tuple[date, date | None]:
    """(earliest, latest or None) plausible value of a date column."""
    return MIN_EVENT_DATE, (None if future_allowed(column) or release_date is None else release_date)


def code_sets(lookups: dict[str, pa.Table]) -> dict[str, frozenset[str]]:
    """Column → its valid codes (upper case, trimmed), for every coded column whose lookup the release has.

    `lookups` maps lookup names (any case) to their tables (every column a string)."""
    by_lower = {name.lower(): table for name, table in lookups.items()}
    sets: dict[str, frozenset[str]] = {}
    for column, (lookup, code_column, only) in CODED_COLUMNS.items():
        table = by_lower.get(lookup.lower())
        if table is None:
            continue
        names = {name.lower(): name for name in table.column_names}
        if code_column.lower() not in names:
            continue
        codes = table.column(names[code_column.lower()]).to_pylist()
        if only is not None:
            if only[0].lower() not in names:
                continue
            kinds = table.column(names[only[0].lower()]).to_pylist()
            codes = [c for c, k in zip(codes, kinds, strict=True) if (k or "").strip().upper() == only[1]]
        values = frozenset(c.strip().upper() for c in codes if c and c.strip())
        if values:
            sets[column] = values
    return sets


@dataclass
class CellChecks:
    """The checks for one table: which columns are coded (with their codes) and which hold dates."""

    codes: dict[str, frozenset[str]] = field(default_factory=dict)  # column as in the header → codes
    dates: dict[str, tuple[date, date | None]] = field(default_factory=dict)
    ordered: tuple[tuple[str, str], ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # "kind:COLUMN" → cells flagged

    def __post_init__(self) -> None:
        self._value_sets = {
            column: pa.array(sorted(codes), pa.string()) for column, codes in self.codes.items()
        }

    @classmethod
    def for_table(
        cls,
        table: str,
        names: list[str],
        kinds: list[str | None],
        *,
        codes: dict[str, frozenset[str]],
        release_date: date | None,
    ) -> CellChecks:
        coded = {
            name: codes[name.upper()]
            for name, kind in zip(names, kinds, strict=True)
            if name.upper() in codes and kind in (None, "String")
        }
        dates = {
            name: date_rule(name, release_date)
            for name, kind in zip(names, kinds, strict=True)
            if kind == "Date"
        }
        present = {n.upper(): n for n in names}
        ordered = tuple(
            (present[later], present[earlier])
            for later, earlier in ORDERED_DATES.get(table, ())
            if later in present and earlier in present
        )
        return cls(codes=coded, dates=dates, ordered=ordered)

    def code_ok(self, column: str, value: str) -> bool:
        """Whether a cell's text is a valid code of its column (always true for uncoded columns)."""
        codes = self.codes.get(column)
        text = value.strip()
        return codes is None or not text or text == "b6" or text.upper() in codes

    def forget(self, issues: str | None) -> None:
        """Take back the counts of a row's flags (the row was quarantined or is checked again)."""
        for issue in json.loads(issues) if issues else []:
            key = f"{issue['kind']}:{issue['column']}"
            if key in self.counts:
                self.counts[key] -= 1
                if not self.counts[key]:
                    del self.counts[key]

    def apply(self, table: pa.Table) -> pa.Table:
        """`table` with implausible dates set to NULL and every flagged cell appended to `_issues`."""
        if table.num_rows == 0 or not (self.codes or self.dates):
            return table
        flags: list[tuple[np.ndarray, str, str, pa.Array]] = []  # (rows, column, kind, raw texts)
        for column, codes in self.codes.items():
            values = table.column(column)
            bad = pc.and_(
                pc.is_valid(values), pc.invert(pc.is_in(values, value_set=self._value_sets[column]))
            )
            rows = np.flatnonzero(bad.to_numpy(zero_copy_only=False))
            if len(rows):
                texts = values.take(pa.array(rows)).to_pylist()
                keep = [i for i, t in enumerate(texts) if t.strip().upper() not in codes]
                if keep:
                    flags.append((rows[keep], column, UNKNOWN_CODE, [texts[i] for i in keep]))
        nulled: dict[str, np.ndarray] = {}
        for column, (earliest, latest) in self.dates.items():
            values = table.column(column)
            bad = pc.less(values, pa.scalar(earliest, pa.date32()))
            if latest is not None:
                bad = pc.or_(bad, pc.greater(values, pa.scalar(latest, pa.date32())))
            for later, earlier in self.ordered:
                if later == column:
                    bad = pc.or_kleene(bad, pc.less(values, table.column(earlier)))
            rows = np.flatnonzero(pc.fill_null(bad, False).to_numpy(zero_copy_only=False))
            if len(rows):
                texts = [d.isoformat() for d in values.take(pa.array(rows)).to_pylist()]
                flags.append((rows, column, IMPLAUSIBLE_DATE, texts))
                nulled[column] = rows
        if not flags:
            return table
        for column, rows in nulled.items():
            mask = np.zeros(table.num_rows, bool)
            mask[rows] = True
            index = table.column_names.index(column)
            values = table.column(column)
            table = table.set_column(
                index, table.field(index), pc.if_else(pa.array(mask), pa.nulls(1, values.type)[0], values)
            )
        return self._add_issues(table, flags)

    def _add_issues(self, table: pa.Table, flags: list[tuple[np.ndarray, str, str, list[str]]]) -> pa.Table:
        added: dict[int, list[str]] = {}
        for rows, column, kind, texts in flags:
            key = f"{kind}:{column}"
            self.counts[key] = self.counts.get(key, 0) + len(rows)
            entry = '{"column":' + json.dumps(column) + ',"kind":"' + kind + '","raw":'
            for row, text in zip(rows.tolist(), texts, strict=True):
                added.setdefault(row, []).append(entry + json.dumps(text) + "}")
        index = table.column_names.index("_issues")
        rows = sorted(added)
        current = table.column(index).take(pa.array(rows)).to_pylist()
        merged = []
        for row, old in zip(rows, current, strict=True):
            parts = ([old[1:-1]] if old else []) + added[row]
            merged.append("[" + ",".join(parts) + "]")
        mask = np.zeros(table.num_rows, bool)
        mask[rows] = True
        column = pc.replace_with_mask(
            table.column(index).combine_chunks(), pa.array(mask), pa.array(merged, pa.string())
        )
        return table.set_column(index, table.field(index), column)
