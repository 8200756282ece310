"""Rows whose field count differs from the header: repair them only when the repair is certain.

These rows are rare (tens per million), so they are handled here in plain Python after DuckDB has set them
aside. A repair is accepted only when exactly one candidate row results and every typed column of it parses;
anything else is quarantined with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

REDACTED = "b6"
_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?: ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,6})?)?")

# The bulk path's twins of these checks are CELL_SQL in table.py.

REMOVED_EMPTY_FIELD = "removed_stray_empty_field"
MERGED_FIELDS = "merged_adjacent_fields"
JOINED_SPLIT_LINE = "joined_split_line"
KEPT_AS_IS = None


SHAPE_LIMIT = 300  # a column with more distinct values (or shapes) than this in the sample is not checked


_SHAPES = str.maketrans(
    {
        **{c: "9" for c in "0123456789"},
        **{c: "A" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
    }
)


def shape(value: str) -> str:
    """A value's shape: digits → 9, ASCII letters → A (`"55376"` → `"99999"`, `"NE"` → `"AA"`)."""
    return value.translate(_SHAPES)


@dataclass
class ColumnProfile:
    """What a column holds in the rows that loaded cleanly: its values when few, else their shapes."""

    values: frozenset[str] | None
    shapes: frozenset[str] | None

    def admits(self, value: str) -> bool:
        value = value.strip()
        if not value or value == REDACTED:
            return True
        if self.values is not None:
            return value in self.values
        if self.shapes is not None:
            return shape(value) in self.shapes
        return "\t" not in value


@dataclass
class Rejected:
    """A physical line DuckDB could not load as one row."""

    line: int
    text: str

    @property
    def fields(self) -> list[str]:
        return self.text.split("\t")


@dataclass
class Outcome:
    """What happened to one rejected line (or pair of lines)."""

    line: int
    text: str  # the original text, lines joined by LF for a split row
    fields: list[str] | None  # the row to load, or None when quarantined
    repair: str | None
    reason: str | None = None
    detail: str | None = None
    merged_lines: int = 0


def cell_parses(value: str, kind: str | None) -> bool:
    """Whether a cell holds a valid value (or nothing, or the redaction marker) for its schema type."""
    value = value.strip()
    if not value or value == REDACTED or kind in (None, "String"):
        return True
    if kind == "Numeric":
        return is_bigint(value)
    if kind == "Boolean":
        return value in ("0", "1")
    if kind == "Date":
        return _date_parses(value)
    return True


def is_bigint(value: str) -> bool:
    return _NUMBER.fullmatch(value) is not None and -(2**63) <= int(value) < 2**63


def _date_parses(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if not match:
        return False
    year, month, day, hour, minute, second = match.groups()
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return hour is None or (int(hour) < 24 and int(minute) < 60 and int(second) < 60)


def row_parses(fields: list[str], kinds: list[str | None], *, key_is_number: bool) -> bool:
    """Every typed cell parses and the primary key (first column) is present when it is a number."""
    if key_is_number and not is_bigint(fields[0].strip()):
        return False
    return all(cell_parses(value, kind) for value, kind in zip(fields, kinds, strict=True))


def resolve(
    rejected: list[Rejected],
    kinds: list[str | None],
    *,
    key_is_number: bool,
    profiles: list[ColumnProfile] | None = None,
) -> list[Outcome]:
    """Decide each set-aside line (blank lines are only counted, never passed here): repair or quarantine."""
    outcomes: list[Outcome] = []
    pending = sorted(rejected, key=lambda r: r.line)
    index = 0
    while index < len(pending):
        current = pending[index]
        following = pending[index + 1] if index + 1 < len(pending) else None
        if following is not None and _is_split_pair(current, following, kinds):
            outcomes.append(_join_split(current, following, kinds, key_is_number=key_is_number))
            index += 2
            continue
        outcomes.append(_repair_single(current, kinds, key_is_number=key_is_number, profiles=profiles))
        index += 1
    return outcomes


def _is_split_pair(first: Rejected, second: Rejected, kinds: list[str | None]) -> bool:
    """Two adjacent short lines are one row split by a line break only if their field counts add up and
    the break falls inside a text column: an embedded CR/LF cannot occur inside a number, date or bit.
    Two truncated rows (`id, id, id` then `id, id, id, code`) can add up too; they stay two rows."""
    width = len(kinds)
    count_first, count_second = len(first.fields), len(second.fields)
    return (
        second.line == first.line + 1
        and count_first < width
        and count_second < width
        and count_first + count_second - 1 == width
        and kinds[count_first - 1] in (None, "String")
    )


def _join_split(
    first: Rejected, second: Rejected, kinds: list[str | None], *, key_is_number: bool
) -> Outcome:
    # The line break fell inside one value: its two halves are the last field of the first line and the
    # first field of the second.
    head, tail = first.fields, second.fields
    fields = head[:-1] + [head[-1] + tail[0]] + tail[1:]
    text = first.text + "\n" + second.text
    if row_parses(fields, kinds, key_is_number=key_is_number):
        return Outcome(first.line, text, fields, JOINED_SPLIT_LINE, merged_lines=1)
    return Outcome(
        first.line,
        text,
        None,
        None,
        reason="split_line_bad_values",
        detail=f"lines {first.line}-{second.line} join to {len(kinds)} fields but a typed value "
        "does not parse",
        merged_lines=1,
    )


def _repair_single(
    row: Rejected, kinds: list[str | None], *, key_is_number: bool, profiles: list[ColumnProfile] | None
) -> Outcome:
    fields, width = row.fields, len(kinds)
    if len(fields) == width:  # DuckDB set it aside for another reason; the typed pass will flag its cells
        return Outcome(row.line, row.text, fields, KEPT_AS_IS)
    if len(fields) < width:
        return Outcome(
            row.line,
            row.text,
            None,
            None,
            reason="too_few_fields",
            detail=f"{len(fields)} fields, header has {width}",
        )
    if len(fields) > width + 1:
        return Outcome(
            row.line,
            row.text,
            None,
            None,
            reason="too_many_fields",
            detail=f"{len(fields)} fields, header has {width}",
        )
    candidates = _one_extra_field_candidates(fields, kinds, key_is_number=key_is_number)
    if len(candidates) > 1 and profiles is not None:
        # Types alone cannot tell where a stray field sits inside a run of text columns; keep the candidates
        # whose moved cells look like what those columns hold elsewhere in the table.
        disputed = [i for i in range(width) if len({candidate[i] for candidate in candidates}) > 1]
        plausible = {row_: how for row_, how in candidates.items() if _plausible(row_, disputed, profiles)}
        if len(plausible) == 1:
            candidates = plausible
    if len(candidates) == 1:
        ((repaired, how),) = candidates.items()
        return Outcome(row.line, row.text, list(repaired), how)
    reason = "ambiguous_shift" if candidates else "unrepairable_shift"
    return Outcome(
        row.line,
        row.text,
        None,
        None,
        reason=reason,
        detail=f"{len(fields)} fields, header has {width}; {len(candidates)} repairs parse",
    )


def _one_extra_field_candidates(
    fields: list[str], kinds: list[str | None], *, key_is_number: bool
) -> dict[tuple[str, ...], str]:
    """Distinct valid rows made by dropping one empty field or merging two adjacent non-empty fields."""
    candidates: dict[tuple[str, ...], str] = {}
    for position, value in enumerate(fields):
        if not value.strip():
            candidate = fields[:position] + fields[position + 1 :]
            if row_parses(candidate, kinds, key_is_number=key_is_number):
                candidates.setdefault(tuple(candidate), f"{REMOVED_EMPTY_FIELD}@{position + 1}")
    for position in range(len(fields) - 1):
        left, right = fields[position], fields[position + 1]
        if left.strip() and right.strip():
            candidate = fields[:position] + [f"{left}\t{right}"] + fields[position + 2 :]
            if row_parses(candidate, kinds, key_is_number=key_is_number):
                candidates.setdefault(tuple(candidate), f"{MERGED_FIELDS}@{position + 1}")
    return candidates


def _plausible(candidate: tuple[str, ...], disputed: list[int], profiles: list[ColumnProfile]) -> bool:
    """Whether every cell the candidates disagree on looks like its column."""
    return all(profiles[i].admits(candidate[i]) for i in disputed)
