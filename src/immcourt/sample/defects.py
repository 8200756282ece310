"""Inject the defects real EOIR releases have (research §3) into rows on their way to the file, and record
each one for the oracle: where it is (physical line), what was written and what the clean value was."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .schema import column_types, columns

# What ingest is expected to do with each kind (the `expect` column of defects.parquet).
EXPECT = {
    "nul": "normalize",
    "trailing_space": "normalize",
    "cp1252": "keep",
    "b6": "flag",
    "bad_date": "flag",
    "extra_tab": "repair",
    "split_line": "repair",
    "short_row": "flag",  # loaded with the missing tail NULL (issue 9, kind 6)
    "duplicate": "quarantine",
    "junk_code": "keep",  # kept as written; flagged unknown_code where the column has a lookup
    "trailing_comma": "repair",  # a lone `,` after the last field (kind 1)
    "shifted_row": "repair",  # stray tab, (empty) last field missing: right count, cells shifted (kind 3)
    "multi_tab": "repair",  # 2 to 8 stray tabs after one value (kind 4)
    "implausible_date": "flag",  # the 1900-01-01 placeholder or a year far in the future (kind 7)
}
# Probability per written row that one defect of a given kind is injected (where the table allows it).
RATE_PER_KIND = 3e-4

# Which kinds may hit which table, and the columns they may touch. Columns that decide the truth (ids,
# OSC/COMP dates, decision letters, case type, E-28 date) are left alone so every defect is recoverable
# or plainly visible; rows that are quarantined (short_row, duplicate) only come from tables whose loss
# does not change a case's outcome.
B6_COLUMNS = {
    "A_TblCase": ("ALIEN_CITY", "ALIEN_ZIPCODE", "C_BIRTHDATE", "DATE_OF_ENTRY"),
    "B_TblProceeding": ("PREV_IJ_CODE", "TRANS_NBR", "DEPORTED_2"),
}
BAD_DATE_COLUMNS = {
    "A_TblCase": ("DATE_OF_ENTRY", "LATEST_HEARING", "ADDRESS_CHANGEDON"),
    "B_TblProceeding": ("HEARING_DATE", "DATE_APPEAL_DUE_STATUS"),
    "tbl_schedule": ("UPDATE_DATE", "INPUT_DATE"),
    "D_TblAssociatedBond": ("UPDATE_DATE", "DATE_APPEAL_DUE"),
}
BAD_DATES = ("1000", "2049-13-45 00:00:00.000", "0000-00-00", "1899-02-30 00:00:00.000")
JUNK_CODES = {
    "A_TblCase": ("CUSTODY", ("SP", "ENG", "MAN", "POR")),
    "B_TblProceeding": ("CRIM_IND", ("LOS", "BOS", "ELP", "NYC", "SNA")),
}
TEXT_COLUMNS = {
    "A_TblCase": ("ALIEN_CITY", "ALIEN_STATE", "LANG", "NAT", "SITE_TYPE"),
    "B_TblProceeding": ("HEARING_LOC_CODE", "LANG", "IJ_CODE", "CRIM_IND"),
    "tbl_Court_Appln": ("APPL_CODE",),
    "B_TblProceedCharges": ("CHARGE",),
    "tbl_schedule": ("LANG", "HEARING_LOC_CODE", "IJ_CODE", "ADJ_MEDIUM", "SCHEDULE_TYPE"),
    "tbl_RepsAssigned": ("STRATTYLEVEL", "BASE_CITY_CODE"),
    "D_TblAssociatedBond": ("BASE_CITY_NAME", "HEARING_LOC_CODE"),
    "tbl_CustodyHistory": ("CUSTODY",),
}
SPLIT_COLUMNS = {
    "A_TblCase": ("ALIEN_CITY",),
    "B_TblProceeding": ("HEARING_LOC_CODE",),
    "tbl_schedule": ("SCHEDULE_TYPE",),
    "tbl_RepsAssigned": ("STRATTYLEVEL",),
}
EXTRA_TAB_COLUMNS = {
    "A_TblCase": ("ALIEN_CITY",),
    "B_TblProceeding": ("HEARING_LOC_CODE",),
    "tbl_Court_Appln": ("APPL_CODE",),
    "D_TblAssociatedBond": ("BASE_CITY_CODE",),
}
TRAILING_COMMA_TABLES = frozenset({"A_TblCase", "tbl_Court_Appln", "B_TblProceedCharges", "tbl_schedule"})
# The shifted cells must make typed cells fail, so the stray tab goes before a run of dates and codes.
SHIFT_COLUMNS = {
    "A_TblCase": ("LANG",),
    "B_TblProceeding": ("HEARING_LOC_CODE",),
    "D_TblAssociatedBond": ("BASE_CITY_CODE",),
}
IMPLAUSIBLE_DATES = {
    "A_TblCase": ("DATE_OF_ENTRY", "1900-01-01 00:00:00.000"),
    "B_TblProceeding": ("TRANS_IN_DATE", "1900-01-01 00:00:00.000"),
    "D_TblAssociatedBond": ("UPDATE_DATE", "2925-03-01 00:00:00.000"),
}
QUARANTINE_TABLES = frozenset({"tbl_schedule", "B_TblProceedCharges", "tbl_RepsAssigned", "tbl_Court_Appln"})


def kinds_for(table: str) -> tuple[str, ...]:
    kinds = ["nul", "trailing_space"]
    if table in B6_COLUMNS:
        kinds.append("b6")
    if table in BAD_DATE_COLUMNS:
        kinds.append("bad_date")
    if table in EXTRA_TAB_COLUMNS:
        kinds += ["extra_tab", "multi_tab"]
    if table in SHIFT_COLUMNS:
        kinds.append("shifted_row")
    if table in TRAILING_COMMA_TABLES:
        kinds.append("trailing_comma")
    if table in IMPLAUSIBLE_DATES:
        kinds.append("implausible_date")
    if table in SPLIT_COLUMNS:
        kinds.append("split_line")
    if table in QUARANTINE_TABLES:
        kinds += ["short_row", "duplicate"]
    if table in JUNK_CODES:
        kinds.append("junk_code")
    return tuple(kinds)


@dataclass
class Defect:
    table: str
    line: int
    kind: str
    column: str | None
    raw_value: str
    clean_value: str

    def record(self) -> dict:
        return {
            "table": self.table,
            "line": self.line,
            "kind": self.kind,
            "column": self.column,
            "raw_value": self.raw_value,
            "clean_value": self.clean_value,
            "expect": EXPECT[self.kind],
        }


class Injector:
    """Turns one clean row (list of str) into the physical text written for it, maybe with one defect."""

    def __init__(self, table: str, enabled: bool):
        self.table = table
        self.enabled = enabled
        self.columns = columns(table)
        self.index = {name: i for i, name in enumerate(self.columns)}
        self.kinds = kinds_for(table)
        self.rate = RATE_PER_KIND * len(self.kinds)
        types = column_types(table)
        self.string_columns = [c for c in self.columns if types[c] == "String"]

    def choose(self, draw: float, forced: str | None) -> str | None:
        """The kind to inject into a row given its uniform draw (None for a clean row)."""
        if not self.enabled:
            return None
        if forced is not None:
            return forced if forced in self.kinds else None
        if draw < self.rate:
            return self.kinds[int(draw / self.rate * len(self.kinds))]
        return None

    def apply(self, rng: random.Random, kind: str, values: list[str], line: int) -> tuple[str, Defect] | None:
        """Physical text (without the final line end) for `values` with a `kind` defect, or None if the
        row offers no place for it."""
        handler = getattr(self, f"_{kind}")
        return handler(rng, values, line)

    # Each handler returns (text, defect) or None.
    def _pick(self, rng, values, names, need_value=True) -> str | None:
        options = [c for c in names if c in self.index and (values[self.index[c]] or not need_value)]
        options = [c for c in options if values[self.index[c]].isascii()]
        return rng.choice(options) if options else None

    def _replace(self, values, column, raw) -> str:
        changed = list(values)
        changed[self.index[column]] = raw
        return "\t".join(changed)

    def _defect(self, line, kind, column, raw, clean) -> Defect:
        return Defect(self.table, line, kind, column, raw, clean)

    def _nul(self, rng, values, line):
        column = self._pick(rng, values, TEXT_COLUMNS[self.table])
        if column is None:
            return None
        clean = values[self.index[column]]
        cut = rng.randint(0, len(clean))
        raw = clean[:cut] + "\x00" * rng.randint(1, 2) + clean[cut:]
        return self._replace(values, column, raw), self._defect(line, "nul", column, raw, clean)

    def _trailing_space(self, rng, values, line):
        column = self._pick(rng, values, TEXT_COLUMNS[self.table])
        if column is None:
            return None
        clean = values[self.index[column]]
        raw = clean + " " * rng.randint(1, 5)
        return self._replace(values, column, raw), self._defect(line, "trailing_space", column, raw, clean)

    def _b6(self, rng, values, line):
        column = self._pick(rng, values, B6_COLUMNS[self.table], need_value=False)
        clean = values[self.index[column]]
        return self._replace(values, column, "b6"), self._defect(line, "b6", column, "b6", clean)

    def _bad_date(self, rng, values, line):
        column = self._pick(rng, values, BAD_DATE_COLUMNS[self.table])
        if column is None:
            return None
        raw = rng.choice(BAD_DATES)
        return self._replace(values, column, raw), self._defect(
            line, "bad_date", column, raw, values[self.index[column]]
        )

    def _junk_code(self, rng, values, line):
        column, junk = JUNK_CODES[self.table]
        raw = rng.choice(junk)
        return self._replace(values, column, raw), self._defect(
            line, "junk_code", column, raw, values[self.index[column]]
        )

    def _extra_tab(self, rng, values, line):
        column = self._pick(rng, values, EXTRA_TAB_COLUMNS[self.table])
        if column is None:
            return None
        clean = values[self.index[column]]
        raw = clean + "\t"  # an empty field appears after this one: the rest of the row shifts right
        return self._replace(values, column, raw), self._defect(line, "extra_tab", column, raw, clean)

    def _multi_tab(self, rng, values, line):
        column = self._pick(rng, values, EXTRA_TAB_COLUMNS[self.table])
        if column is None:
            return None
        clean = values[self.index[column]]
        raw = clean + "\t" * rng.randint(2, 8)  # empty fields appear after this one
        return self._replace(values, column, raw), self._defect(line, "multi_tab", column, raw, clean)

    def _shifted_row(self, rng, values, line):
        column = self._pick(rng, values, SHIFT_COLUMNS[self.table])
        if column is None or values[-1]:
            return None  # the dropped last field must be empty for the repair to restore the row
        clean = values[self.index[column]]
        changed = list(values)
        changed[self.index[column]] = clean + "\t"
        text = "\t".join(changed[:-1])  # same field count as the header, every cell after the tab shifted
        return text, self._defect(line, "shifted_row", column, clean + "\t", clean)

    def _trailing_comma(self, rng, values, line):
        column = self.columns[-1]
        clean = values[-1]
        return "\t".join(values) + ",", self._defect(line, "trailing_comma", column, clean + ",", clean)

    def _implausible_date(self, rng, values, line):
        column, raw = IMPLAUSIBLE_DATES[self.table]
        return self._replace(values, column, raw), self._defect(
            line, "implausible_date", column, raw, values[self.index[column]]
        )

    def _split_line(self, rng, values, line):
        column = self._pick(rng, values, SPLIT_COLUMNS[self.table])
        if column is None:
            return None
        clean = values[self.index[column]]
        raw = clean + rng.choice(("\r\n", "\n"))  # a line break typed at the end of the field
        return self._replace(values, column, raw), self._defect(line, "split_line", column, raw, clean)

    def _short_row(self, rng, values, line):
        keep = rng.randint(max(1, len(values) // 2), len(values) - 2)
        text = "\t".join(values[:keep])
        return text, self._defect(line, "short_row", self.columns[keep], text, "\t".join(values))

    def _duplicate(self, rng, values, line):
        return None  # duplicates are appended by the writer; see TableWriter.add_duplicate
