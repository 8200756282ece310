"""Vectorised look at every line of a block: its field count and its primary key, without a Python loop.

The byte pass hands each line-aligned block here. Lines whose field count differs from the header (and
blank lines) are "odd": their text is kept for the repair step and the line is replaced in the prepared
file by ODD_MARK, so DuckDB sees only well-formed rows plus one-field marker rows it pads and the loader
skips. With no line ever skipped by DuckDB, a row's ordinal is its physical line. The primary key field of
every well-formed line (the column the schema names, wherever the header puts it) is parsed so duplicates can
be found before the bulk pass.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from immcourt.ingest.repair import REDACTED

ODD_MARK = b"\x03"  # stands in for a line set aside; a lone ETX is never a real EOIR row
_MAX_FAST_DIGITS = 18  # keys of up to 18 digits cannot overflow int64

# Memory of the primary keys: up to KEY_MEMORY_ROWS (key, line) pairs (16 bytes each: 64 MB) stay in memory;
# past that every pair goes to one of KEY_BUCKETS files by a hash of its key, so the duplicate check reads one
# bucket at a time (a 45M-row table: 64 buckets of ~0.7M rows, 11 MB each) instead of holding and sorting
# every key at once. Pairs are written in batches of KEY_FLUSH_ROWS.
KEY_MEMORY_ROWS = 4_000_000
KEY_FLUSH_ROWS = 1_000_000
KEY_BUCKETS = 64
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads sequential ids evenly


def key_bucket(keys: np.ndarray, buckets: int = KEY_BUCKETS) -> np.ndarray:
    """The bucket (0 .. buckets - 1, a power of two) of each int64 key, from the high bits of a
    multiplicative hash (wrapping uint64 arithmetic)."""
    shift = np.uint64(64 - (buckets.bit_length() - 1))
    return ((keys.view(np.uint64) * _HASH_MULTIPLIER) >> shift).astype(np.intp)


@dataclass
class KeyPairs:
    """The (key, line) pairs of a table's well-formed lines: in memory while few, else hash-partitioned into
    KEY_BUCKETS files of int64 pairs under `spill` (created on first use, removed by `discard`)."""

    spill: Path | None = None
    memory_rows: int | None = None  # None: KEY_MEMORY_ROWS
    _keys: list[np.ndarray] = field(default_factory=list)
    _lines: list[np.ndarray] = field(default_factory=list)
    _pending: int = 0
    rows: int = 0
    spilled: bool = False

    def add(self, keys: np.ndarray, lines: np.ndarray) -> None:
        self._keys.append(keys)
        self._lines.append(lines)
        self._pending += len(keys)
        self.rows += len(keys)
        if self.spill is not None and (
            (self.spilled and self._pending >= KEY_FLUSH_ROWS)
            or self._pending > (KEY_MEMORY_ROWS if self.memory_rows is None else self.memory_rows)
        ):
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        assert self.spill is not None
        self.spill.mkdir(parents=True, exist_ok=True)
        pairs = np.column_stack([np.concatenate(self._keys), np.concatenate(self._lines)])
        self._keys, self._lines, self._pending = [], [], 0
        buckets = key_bucket(np.ascontiguousarray(pairs[:, 0]))
        order = np.argsort(buckets, kind="stable")
        bounds = np.searchsorted(buckets[order], np.arange(KEY_BUCKETS + 1))
        pairs = pairs[order]
        for bucket in range(KEY_BUCKETS):
            start, stop = int(bounds[bucket]), int(bounds[bucket + 1])
            if stop > start:
                with open(self.spill / f"{bucket}.bin", "ab") as sink:
                    pairs[start:stop].tofile(sink)
        self.spilled = True

    def finish(self) -> None:
        """Write what is still in memory once the table has spilled (call after the last block)."""
        if self.spilled:
            self._flush()

    def groups(self) -> Iterator[tuple[np.ndarray, np.ndarray, int | None]]:
        """(keys, lines, bucket) per bucket when spilled, else once (keys, lines, None) for all pairs; a key's
        every line is in one group."""
        if not self.spilled:
            yield self.arrays() + (None,)
            return
        assert self.spill is not None
        for bucket in range(KEY_BUCKETS):
            path = self.spill / f"{bucket}.bin"
            pairs = np.fromfile(path, np.int64) if path.is_file() else np.empty(0, np.int64)
            pairs = pairs.reshape(-1, 2)
            yield pairs[:, 0].copy(), pairs[:, 1].copy(), bucket

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (keys, lines) pair in line order (reads the buckets back when spilled: for tests)."""
        if self.spilled:
            parts = [(k, ln) for k, ln, _ in self.groups()]
            keys = np.concatenate([k for k, _ in parts])
            lines = np.concatenate([ln for _, ln in parts])
            order = np.argsort(lines, kind="stable")
            return keys[order], lines[order]
        if not self._keys:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(self._keys), np.concatenate(self._lines)

    def discard(self) -> None:
        """Free the pairs (memory and files)."""
        self._keys, self._lines, self._pending = [], [], 0
        if self.spill is not None:
            shutil.rmtree(self.spill, ignore_errors=True)


@dataclass
class LineFacts:
    """What the line pass found in a whole file (lines are physical line numbers, header = 1)."""

    odd: dict[int, bytes] = field(default_factory=dict)  # line → raw text (cp1252, no line end)
    blank: int = 0
    key_pairs: KeyPairs = field(default_factory=KeyPairs)
    slow_keys: list[tuple[int, bytes]] = field(
        default_factory=list
    )  # (line, key text) needing a careful parse
    padded: set[int] = field(default_factory=set)  # columns with a cell that trimming would change
    # Columns where the bytes `b6` (EOIR's redaction mark, repair.REDACTED) occur at all: only their cells
    # can be redacted, so the bulk pass looks for the mark in those alone (a superset: `ab6` counts too).
    redacted: set[int] = field(default_factory=set)
    trailing_comma: bool = False  # some line ends in `,` (a stray comma after the last field, kind 1)

    def keys(self) -> tuple[np.ndarray, np.ndarray]:
        """(keys, lines) of the well-formed lines whose key was parsed on the fast path, in line order."""
        return self.key_pairs.arrays()


def analyse_block(
    block: bytes,
    *,
    width: int,
    first_line: int,
    facts: LineFacts,
    key_column: int | None = 0,
    crlf: bool = False,
    ends: np.ndarray | None = None,
) -> tuple[bytes, int]:
    """Record the odd lines and keys (field `key_column`, none when None) of a line-aligned block (each line
    ends in LF, or in CRLF when `crlf`; `ends`, the LF positions, when already known); return the block with
    its odd lines replaced by ODD_MARK (their line ends kept), and its number of lines (counted here, where
    the line ends are found anyway)."""
    if not block:
        return block, 0
    data = np.frombuffer(block, np.uint8)
    if ends is None:
        ends = np.flatnonzero(data == 10)
    starts = np.empty(len(ends), np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    stops = ends - 1 if crlf else ends  # where each line's text stops: its CR or its LF
    tab_positions = np.flatnonzero(data == 9)
    first_tab = np.searchsorted(tab_positions, starts)  # index of each line's first tab (if it has one)
    # A line's tabs end where the next line's begin (no tab between a line's text and the next line), and
    # the block's last line holds the last of them: no second binary search, for the line ends, is needed.
    tabs = np.diff(first_tab, append=len(tab_positions))
    odd = (tabs + 1 != width) | (stops == starts)
    good = ~odd
    if key_column is not None and key_column < width:
        # A well-formed line has width - 1 tabs: its field k starts after tab k - 1 and ends at tab k.
        key_starts = starts[good] if key_column == 0 else tab_positions[first_tab[good] + key_column - 1] + 1
        key_ends = stops[good] if key_column == width - 1 else tab_positions[first_tab[good] + key_column]
        _record_keys(data, block, key_starts, key_ends, first_line + np.flatnonzero(good), facts)
    _record_padded(data, stops, tab_positions, first_tab, width, facts, crlf=crlf, ascii=block.isascii())
    if _REDACTED_BYTES in block:  # a fast substring search; most blocks have no `b6` anywhere
        _record_redacted(data, stops, tab_positions, first_tab, width, facts)
    if not facts.trailing_comma and (data[stops - 1] == _COMMA).any():
        facts.trailing_comma = True
    if not odd.any():
        return block, len(ends)
    return _replace_odd_lines(block, starts, stops, np.flatnonzero(odd), first_line, facts), len(ends)


# Bytes whose cp1252 character is a Unicode space separator, the only characters DuckDB's trim() removes.
_SPACE, _NBSP = 0x20, 0xA0
_COMMA = 0x2C
_TAB, _LF, _CR = 0x09, 0x0A, 0x0D


def _record_padded(
    data: np.ndarray,
    stops: np.ndarray,
    tab_positions: np.ndarray,
    first_tab: np.ndarray,
    width: int,
    facts: LineFacts,
    *,
    crlf: bool = False,
    ascii: bool = False,
) -> None:
    """Note the columns where some cell starts or ends with a space (or NBSP), so the bulk pass trims only
    those: trimming every cell is the costliest step of the typing query, and most columns never need it.

    Looks at the bytes on either side of each space (far fewer than the tabs): a space after a tab or at a
    line's start begins a cell, one before a tab or the line's end (its CR in a CRLF block, whose only CRs
    end lines) ends one. Odd lines may add a column needlessly, never miss one (trimming a column that needs
    none changes nothing). With `ascii` (the block has no byte >= 0x80) there is no NBSP to look for."""
    spaces = np.flatnonzero(data == _SPACE) if ascii else np.flatnonzero((data == _SPACE) | (data == _NBSP))
    if not len(spaces):
        return
    # The block ends in LF, so a space is never its last byte; before a space at 0, index -1 reads that LF.
    before, after = data[spaces - 1], data[spaces + 1]
    line_end = _CR if crlf else _LF
    starts_cell = (before == _TAB) | (before == _LF)
    ends_cell = (after == _TAB) | (after == line_end)
    if not (starts_cell.any() or ends_cell.any()):
        return
    # A space just after a tab is placed at that tab, whose next cell it begins (as _columns counts).
    after_tab = before == _TAB
    positions = np.concatenate([spaces[after_tab] - 1, spaces[starts_cell & ~after_tab], spaces[ends_cell]])
    facts.padded.update(_columns(positions, stops, tab_positions, first_tab, width))


_REDACTED_BYTES = REDACTED.encode("ascii")


def _record_redacted(
    data: np.ndarray,
    stops: np.ndarray,
    tab_positions: np.ndarray,
    first_tab: np.ndarray,
    width: int,
    facts: LineFacts,
) -> None:
    """Note the columns of every cell holding the bytes `b6` (a cell that trims to EOIR's redaction mark
    holds them; a longer cell holding them only adds its column needlessly)."""
    first, second = _REDACTED_BYTES
    positions = np.flatnonzero((data[:-1] == first) & (data[1:] == second))
    facts.redacted.update(_columns(positions, stops, tab_positions, first_tab, width))


def _columns(
    positions: np.ndarray, ends: np.ndarray, tab_positions: np.ndarray, first_tab: np.ndarray, width: int
) -> list[int]:
    """The columns of the cells holding (or, for a tab, ending just before) the given byte positions."""
    line = np.searchsorted(ends, positions)  # the first line end at or after the position
    column = np.searchsorted(tab_positions, positions, side="right") - first_tab[line]
    return np.unique(column[(column >= 0) & (column < width)]).tolist()


def _replace_odd_lines(
    block: bytes,
    starts: np.ndarray,
    stops: np.ndarray,
    odd_index: np.ndarray,
    first_line: int,
    facts: LineFacts,
) -> bytes:
    pieces = []
    position = 0
    for index in odd_index.tolist():
        start, stop = int(starts[index]), int(stops[index])
        if start == stop:
            facts.blank += 1
        else:
            facts.odd[first_line + index] = block[start:stop]
        pieces.append(block[position:start])
        pieces.append(ODD_MARK)
        position = stop
    pieces.append(block[position:])
    return b"".join(pieces)


def _record_keys(
    data: np.ndarray,
    block: bytes,
    starts: np.ndarray,
    key_ends: np.ndarray,
    lines: np.ndarray,
    facts: LineFacts,
) -> None:
    """Parse the keys made only of 1-18 ASCII digits with array arithmetic; leave the rest to Python."""
    if not len(starts):
        return
    lengths = key_ends - starts
    width = int(min(max(int(lengths.max()), 1), _MAX_FAST_DIGITS))
    offsets = np.arange(-width, 0)  # the last `width` bytes before each key's end, right-aligned
    inside = offsets >= -lengths[:, None]
    digits = data[np.maximum(key_ends[:, None] + offsets, 0)].astype(np.int64) - 48
    fast = (
        (lengths >= 1)
        & (lengths <= _MAX_FAST_DIGITS)
        & np.all(((digits >= 0) & (digits <= 9)) | ~inside, axis=1)
    )
    values = np.where(inside, digits, 0) @ (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))
    facts.key_pairs.add(values[fast], lines[fast])
    for position in np.flatnonzero(~fast).tolist():
        facts.slow_keys.append((int(lines[position]), block[int(starts[position]) : int(key_ends[position])]))
