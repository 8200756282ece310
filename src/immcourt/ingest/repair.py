"""Rows whose field count differs from the header: repair them only when the repair is certain.

These rows are rare (tens per million), so they are handled here in plain Python after DuckDB has set them
aside. A repair is accepted only when exactly one candidate row results in which every typed cell parses and
every coded cell is a code of its lookup; anything else is quarantined with a reason. The kinds (issue 9):

- one to MAX_EXTRA extra fields (stray tabs): drop stray empty fields and/or merge adjacent text fields;
- the right field count with shifted cells (a stray tab plus a missing last field), detected in the bulk
  pass from a run of failing cells: drop k stray empty fields and leave the last k columns empty;
- too few fields with only trailing columns missing: loaded with the tail NULL (`short_row`);
- a lone `,` after the last field: removed (`removed_trailing_comma`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

REDACTED = "b6"
_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?: ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,6})?)?")

# The bulk path's twins of these checks are CELL_SQL in table.py.

REMOVED_EMPTY_FIELD = "removed_stray_empty_field"
MERGED_FIELDS = "merged_adjacent_fields"
JOINED_SPLIT_LINE = "joined_split_line"
SHORT_ROW = "short_row"  # trailing columns missing: loaded with the tail NULL
FILLED_TAIL = "filled_missing_tail"  # a shift repair left the last columns empty
TRAILING_COMMA = "removed_trailing_comma"
KEPT_AS_IS = None

MAX_EXTRA = 8  # the most stray fields a repair may remove (a peer repairs 2 to 8)
MAX_CANDIDATES = 8  # the search stops after this many distinct candidate rows


def repair_kind(label: str) -> str:
    """`a@3+a@4+b@9` → `a x2+b`: the kinds of a repair label, without positions, repeats counted."""
    kinds: dict[str, int] = {}
    for part in label.split("+"):
        name = part.split("@")[0]
        kinds[name] = kinds.get(name, 0) + 1
    return "+".join(name if n == 1 else f"{name} x{n}" for name, n in kinds.items())


def strip_trailing_comma(text: str) -> str | None:
    """The line without a lone `,` after its last field, or None when it has none (`,,` is not lone)."""
    stripped = text.rstrip(" ")
    if stripped.endswith(",") and not stripped.endswith(",,"):
        return stripped[:-1]
    return None


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


@functools.lru_cache(maxsize=1 << 16)  # the repair search asks the same few values again and again
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


@functools.lru_cache(maxsize=1 << 16)
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


def row_parses(
    fields: list[str],
    kinds: list[str | None],
    *,
    key_is_number: bool,
    code_ok: CodeCheck | None = None,
) -> bool:
    """Every typed cell parses, every coded cell is a code, and the primary key (first column) is present
    when it is a number."""
    if key_is_number and not is_bigint(fields[0].strip()):
        return False
    return all(
        cell_parses(value, kind) and (code_ok is None or code_ok(i, value))
        for i, (value, kind) in enumerate(zip(fields, kinds, strict=True))
    )


CodeCheck = Callable[[int, str], bool]  # (column index, cell text) → whether it is a valid code


def resolve(
    rejected: list[Rejected],
    kinds: list[str | None],
    *,
    key_is_number: bool,
    profiles: list[ColumnProfile] | None = None,
    code_ok: CodeCheck | None = None,
) -> list[Outcome]:
    """Decide each set-aside line (blank lines are only counted, never passed here): repair or quarantine."""
    outcomes: list[Outcome] = []
    pending = sorted(rejected, key=lambda r: r.line)
    # A short line next to another short line may be a piece of a row split by a line break (even one the
    # split-row rejoin cannot join): it is never loaded as a row that ends early.
    short_lines = {r.line for r in pending if len(r.fields) < len(kinds)}
    index = 0
    while index < len(pending):
        current = pending[index]
        following = pending[index + 1] if index + 1 < len(pending) else None
        if following is not None and _is_split_pair(current, following, kinds):
            outcomes.append(
                _join_split(current, following, kinds, key_is_number=key_is_number, code_ok=code_ok)
            )
            index += 2
            continue
        outcomes.append(
            _repair_single(
                current,
                kinds,
                key_is_number=key_is_number,
                profiles=profiles,
                code_ok=code_ok,
                lone=current.line - 1 not in short_lines and current.line + 1 not in short_lines,
            )
        )
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
    first: Rejected,
    second: Rejected,
    kinds: list[str | None],
    *,
    key_is_number: bool,
    code_ok: CodeCheck | None,
) -> Outcome:
    # The line break fell inside one value: its two halves are the last field of the first line and the
    # first field of the second.
    head, tail = first.fields, second.fields
    fields = head[:-1] + [head[-1] + tail[0]] + tail[1:]
    text = first.text + "\n" + second.text
    if row_parses(fields, kinds, key_is_number=key_is_number, code_ok=code_ok):
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
    row: Rejected,
    kinds: list[str | None],
    *,
    key_is_number: bool,
    profiles: list[ColumnProfile] | None,
    code_ok: CodeCheck | None,
    lone: bool = True,
) -> Outcome:
    text, comma = row.text, None
    if (stripped := strip_trailing_comma(text)) is not None:
        text, comma = stripped, TRAILING_COMMA
    fields, width = text.split("\t"), len(kinds)

    def labelled(label: str | None) -> str | None:
        return "+".join(part for part in (label, comma) if part) or None

    if len(fields) == width:  # DuckDB set it aside for another reason; the typed pass will flag its cells
        return Outcome(row.line, row.text, fields, labelled(KEPT_AS_IS))
    if len(fields) < width:
        padded = fields + [""] * (width - len(fields))
        if lone and row_parses(padded, kinds, key_is_number=key_is_number, code_ok=code_ok):
            return Outcome(row.line, row.text, padded, labelled(f"{SHORT_ROW}@{len(fields) + 1}"))
        why = (
            "a leading value is not valid" if lone else "next to another short line (a piece of a split row?)"
        )
        return Outcome(
            row.line,
            row.text,
            None,
            None,
            reason="too_few_fields",
            detail=f"{len(fields)} fields, header has {width}; {why}",
        )
    extra = len(fields) - width
    if extra > MAX_EXTRA:
        return Outcome(
            row.line,
            row.text,
            None,
            None,
            reason="too_many_fields",
            detail=f"{len(fields)} fields, header has {width} (more than {MAX_EXTRA} extra)",
        )
    candidates = alignments(
        fields, kinds, key_is_number=key_is_number, code_ok=code_ok, extra=extra, missing=0
    )
    chosen = _certain(candidates, width, profiles)
    if chosen is not None:
        repaired, how = chosen
        return Outcome(row.line, row.text, list(repaired), labelled(how))
    reason = "ambiguous_shift" if candidates else "unrepairable_shift"
    return Outcome(
        row.line,
        row.text,
        None,
        None,
        reason=reason,
        detail=f"{len(fields)} fields, header has {width}; {len(candidates)} repairs parse",
    )


def repair_shifted(
    line: int,
    text: str,
    kinds: list[str | None],
    *,
    key_is_number: bool,
    profiles: list[ColumnProfile] | None = None,
    code_ok: CodeCheck | None = None,
) -> Outcome:
    """A row with the right field count whose cells fail from one point on (kind 3): exactly one way of
    dropping k stray empty fields (any 1 <= k <= MAX_EXTRA; the key never moves) and leaving the last k
    columns empty must make every cell parse and every code valid (no
    merging of fields: a stray tab that splits a value changes the field count); otherwise the row is
    quarantined."""
    fields, width = text.split("\t"), len(kinds)
    candidates: dict[tuple[str, ...], str] = {}
    for k in range(1, min(MAX_EXTRA, width - 1) + 1):
        found = alignments(
            fields,
            kinds,
            key_is_number=key_is_number,
            code_ok=code_ok,
            extra=k,
            missing=k,
            first=1,
            merges=False,
        )
        for row_, how in found.items():
            candidates.setdefault(row_, f"{how}+{FILLED_TAIL}@{width - k + 1}")
        if len(candidates) > MAX_CANDIDATES:
            break
    chosen = _certain(candidates, width, profiles)
    if chosen is not None:
        return Outcome(line, text, list(chosen[0]), chosen[1])
    return Outcome(
        line,
        text,
        None,
        None,
        reason="ambiguous_shift" if candidates else "unrepairable_shift",
        detail=f"cells fail from one point on; {len(candidates)} shift repairs parse",
    )


def _certain(
    candidates: dict[tuple[str, ...], str], width: int, profiles: list[ColumnProfile] | None
) -> tuple[tuple[str, ...], str] | None:
    if len(candidates) > 1 and profiles is not None and all(_moves(how) <= 1 for how in candidates.values()):
        # Types alone cannot tell where a stray field sits inside a run of text columns; keep the candidates
        # whose moved cells look like what those columns hold elsewhere in the table. Only for one stray
        # field: with several, the column profiles were seen to pick a wrong repair (a bond row with eight
        # stray tabs, from the sample's oracle), so several candidates there always mean quarantine.
        disputed = [i for i in range(width) if len({candidate[i] for candidate in candidates}) > 1]
        plausible = {row_: how for row_, how in candidates.items() if _plausible(row_, disputed, profiles)}
        if len(plausible) == 1:
            candidates = plausible
    if len(candidates) == 1:
        return next(iter(candidates.items()))
    return None


def alignments(
    fields: list[str],
    kinds: list[str | None],
    *,
    key_is_number: bool,
    code_ok: CodeCheck | None,
    extra: int,
    missing: int,
    first: int = 0,
    merges: bool = True,
) -> dict[tuple[str, ...], str]:
    """Distinct valid rows (up to MAX_CANDIDATES) made from `fields` by removing exactly `extra` fields:
    dropping stray empty fields (at index `first` or later) or merging adjacent non-empty fields into one
    text cell (unless `merges` is false); the last `missing` columns are left empty. Maps each row to how
    it was made (`removed_stray_empty_field@3+merged_adjacent_fields@9`, 1-based field positions)."""
    width = len(kinds)
    filled = width - missing
    n = len(fields)
    if n - extra != filled or filled < 1:
        return {}
    results: dict[tuple[str, ...], str] = {}
    dead: set[tuple[int, int, bool]] = set()

    empty = [not value.strip() for value in fields]
    checked: dict[tuple[int, int, int], bool] = {}
    row: list[str] = []  # the candidate being built (shared, extended and shortened as the search goes)
    how: list[str] = []

    def ok(start: int, stop: int, column: int) -> bool:
        """Whether fields[start:stop], joined by tabs, is a valid cell of `column` (memoised)."""
        key = (start, stop, column)
        if key not in checked:
            value = "\t".join(fields[start:stop])
            valid = not (column == 0 and key_is_number and not is_bigint(value.strip()))
            checked[key] = (
                valid and cell_parses(value, kinds[column]) and (code_ok is None or code_ok(column, value))
            )
        return checked[key]

    def search(i: int, used: int, took_empty: bool) -> bool:
        """Extend `row` from field i; True when at least one result came out of this state."""
        if len(results) >= MAX_CANDIDATES:
            return True
        state = (i, used, took_empty)
        if state in dead:
            return False
        column = i - used
        if i == n:
            if column == filled and used == extra:
                results.setdefault(tuple(row + [""] * missing), "+".join(how))
                return True
            return False
        found = False
        # A run of empty fields: the stray ones are the first of the run (one canonical row per choice).
        # Stray fields may also follow the last column.
        if empty[i] and used < extra and i >= first and not took_empty:
            how.append(f"{REMOVED_EMPTY_FIELD}@{i + 1}")
            found |= search(i + 1, used + 1, False)
            how.pop()
        if column == filled:
            if not found:
                dead.add(state)
            return found
        if ok(i, i + 1, column):
            row.append(fields[i])
            found |= search(i + 1, used, empty[i])
            row.pop()
        if merges and kinds[column] in (None, "String") and not empty[i] and i >= first:
            for more in range(1, extra - used + 1):
                if i + more >= n or empty[i + more]:
                    break
                if ok(i, i + more + 1, column):
                    row.append("\t".join(fields[i : i + more + 1]))
                    how.append(f"{MERGED_FIELDS}@{i + 1}")
                    found |= search(i + more + 1, used + more, False)
                    how.pop()
                    row.pop()
        if not found:
            dead.add(state)
        return found

    search(0, 0, False)
    return results


def _moves(how: str) -> int:
    """How many stray fields a repair removes or merges (filling a missing tail moves nothing)."""
    return sum(1 for step in how.split("+") if not step.startswith(FILLED_TAIL))


def _plausible(candidate: tuple[str, ...], disputed: list[int], profiles: list[ColumnProfile]) -> bool:
    """Whether every cell the candidates disagree on looks like its column."""
    return all(profiles[i].admits(candidate[i]) for i in disputed)
