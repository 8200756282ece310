"""Write one table: header, rows with their defects, duplicates appended later, and the oracle records."""

from __future__ import annotations

import random
from pathlib import Path

from .defects import Defect, Injector
from .schema import ENCODING, columns

LINE_END = "\r\n"
# Kinds still owed (not yet injected in this table) are forced every this many rows, so that even a small
# sample holds every kind without clustering them at the top of the file.
OWED_SPACING = 13


# Defects that leave a physical line with fewer fields than the header.
BREAKS_FIELD_COUNT = ("short_row", "split_line")


class TableWriter:
    """Streams a table to `path`; counts physical lines (header = line 1) and logical rows."""

    def __init__(self, table: str, path: Path, *, defects: bool):
        self.table = table
        self.path = path
        self.columns = columns(table)
        self.blanks = [""] * len(self.columns)
        self.injector = Injector(table, defects)
        self.handle = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.handle.write(("\t".join(self.columns) + LINE_END).encode(ENCODING))
        self.line = 1
        self.rows = 0
        self.defects: list[dict] = []
        self.clean_rows: list[list[str]] = []
        # Every kind this table allows is injected at least once, in its first suitable rows.
        self.owed = list(self.injector.kinds) if defects else []
        # Last physical line of the latest row written with the wrong field count (short or split). A second
        # such row right after it could read as one split row, so the oracle would no longer be certain.
        self.broken_until = -1

    def write(self, rows: list[dict[str, str]], rng: random.Random) -> None:
        """Write one chunk of rows; duplicates chosen in this chunk are appended after it."""
        out: list[str] = []
        duplicates: list[list[str]] = []
        names, blanks, rate, draw_next = self.columns, self.blanks, self.injector.rate, rng.random
        for row in rows:
            values = list(map(row.get, names, blanks))
            self.rows += 1
            self.line += 1
            # Always one draw per row, so the defect stream stays aligned whatever is forced.
            draw = draw_next()
            if draw < rate or (self.owed and self.rows % OWED_SPACING == 0):
                text = self._maybe_defective(rng, draw, values, duplicates)
            else:
                text = "\t".join(values)
            if not text.isascii() and text.count("\t") == len(names) - 1:
                self._record(self._cp1252(values, self.line), values)
            out.append(text)
            self.line += text.count("\n")  # a split row takes two physical lines
        for values in duplicates:
            self.rows += 1
            self.line += 1
            text = "\t".join(values)
            self._record(Defect(self.table, self.line, "duplicate", None, text, text), values)
            out.append(text)
        if out:
            self.handle.write((LINE_END.join(out) + LINE_END).encode(ENCODING))

    def _maybe_defective(self, rng, draw: float, values: list[str], duplicates: list[list[str]]) -> str:
        forced = self.owed[0] if self.owed and self.rows % OWED_SPACING == 0 else None
        kind = self.injector.choose(draw, forced)
        if kind == "duplicate":
            duplicates.append(values)
            self._paid(kind)
        elif kind in BREAKS_FIELD_COUNT and self.broken_until == self.line - 1:
            return "\t".join(values)  # owed kinds stay owed and are forced again a few rows later
        elif kind is not None:
            result = self.injector.apply(rng, kind, values, self.line)
            if result is not None:
                text, defect = result
                if kind in BREAKS_FIELD_COUNT:
                    self.broken_until = self.line + text.count("\n")
                self._record(defect, values)
                self._paid(kind)
                return text
        return "\t".join(values)

    def _paid(self, kind: str) -> None:
        if self.owed and self.owed[0] == kind:
            self.owed.pop(0)

    def _record(self, defect: Defect, values: list[str]) -> None:
        self.defects.append(defect.record())
        self.clean_rows.append([*values, defect.line])

    def _cp1252(self, values: list[str], line: int) -> Defect:
        """Non-ASCII text is content, not damage; it is listed so ingest can check its decoding."""
        index = next(i for i, v in enumerate(values) if not v.isascii())
        value = values[index]
        return Defect(self.table, line, "cp1252", self.columns[index], value, value)

    def close(self) -> None:
        self.handle.close()
