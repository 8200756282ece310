"""Vectorised look at every line of a block: its field count and its primary key, without a Python loop.

The byte pass hands each line-aligned block here. Lines whose field count differs from the header (and
blank lines) are "odd": their text is kept for the repair step and the line is replaced in the prepared
file by ODD_MARK, so DuckDB sees only well-formed rows plus one-field marker rows it pads and the loader
skips. With no line ever skipped by DuckDB, a row's ordinal is its physical line. The primary key field of
every well-formed line (the column the schema names, wherever the header puts it) is parsed so duplicates can
be found before the bulk pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ODD_MARK = b"\x03"  # stands in for a line set aside; a lone ETX is never a real EOIR row
_MAX_FAST_DIGITS = 18  # keys of up to 18 digits cannot overflow int64


@dataclass
class LineFacts:
    """What the line pass found in a whole file (lines are physical line numbers, header = 1)."""

    odd: dict[int, bytes] = field(default_factory=dict)  # line → raw text (cp1252, no line end)
    blank: int = 0
    key_chunks: list[np.ndarray] = field(default_factory=list)
    line_chunks: list[np.ndarray] = field(default_factory=list)
    slow_keys: list[tuple[int, bytes]] = field(
        default_factory=list
    )  # (line, key text) needing a careful parse
    padded: set[int] = field(default_factory=set)  # columns with a cell that trimming would change

    def keys(self) -> tuple[np.ndarray, np.ndarray]:
        """(keys, lines) of the well-formed lines whose key was parsed on the fast path."""
        if not self.key_chunks:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(self.key_chunks), np.concatenate(self.line_chunks)


def analyse_block(
    block: bytes, *, width: int, first_line: int, facts: LineFacts, key_column: int | None = 0
) -> tuple[bytes, int]:
    """Record the odd lines and keys (field `key_column`, none when None) of a line-aligned block (each line
    ends in LF); return the block with its odd lines replaced by ODD_MARK, and its number of lines (counted
    here, where the line ends are found anyway)."""
    if not block:
        return block, 0
    data = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(data == 10)
    starts = np.empty(len(ends), np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    tab_positions = np.flatnonzero(data == 9)
    first_tab = np.searchsorted(tab_positions, starts)  # index of each line's first tab (if it has one)
    tabs = np.searchsorted(tab_positions, ends) - first_tab
    odd = (tabs + 1 != width) | (ends == starts)
    good = ~odd
    if key_column is not None and key_column < width:
        # A well-formed line has width - 1 tabs: its field k starts after tab k - 1 and ends at tab k.
        key_starts = starts[good] if key_column == 0 else tab_positions[first_tab[good] + key_column - 1] + 1
        key_ends = ends[good] if key_column == width - 1 else tab_positions[first_tab[good] + key_column]
        _record_keys(data, block, key_starts, key_ends, first_line + np.flatnonzero(good), facts)
    _record_padded(data, starts, ends, tab_positions, first_tab, width, facts)
    if not odd.any():
        return block, len(ends)
    return _replace_odd_lines(block, starts, ends, np.flatnonzero(odd), first_line, facts), len(ends)


# Bytes whose cp1252 character is a Unicode space separator, the only characters DuckDB's trim() removes.
_SPACE, _NBSP = 0x20, 0xA0


def _record_padded(
    data: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    tab_positions: np.ndarray,
    first_tab: np.ndarray,
    width: int,
    facts: LineFacts,
) -> None:
    """Note the columns where some cell starts or ends with a space (or NBSP), so the bulk pass trims only
    those: trimming every cell is the costliest step of the typing query, and most columns never need it.

    Looks only at the bytes next to a tab or a line end (a few gathers, no pass over the block); odd lines
    may add a column needlessly, never miss one (trimming a column that needs none changes nothing)."""
    # The block ends in LF, so a tab is never its last byte; before a tab at 0, index -1 reads that LF.
    edges = (
        (tab_positions, data[1:][tab_positions]),  # first byte of each cell after a tab
        (tab_positions - 1, data[tab_positions - 1]),  # last byte of each cell before a tab
        (starts, data[starts]),  # first byte of each line
        (ends - 1, data[ends - 1]),  # last byte of each line
    )
    for positions, edge_bytes in edges:
        hit = (edge_bytes == _SPACE) | (edge_bytes == _NBSP)
        if hit.any():
            facts.padded.update(_columns(positions[hit], ends, tab_positions, first_tab, width))


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
    ends: np.ndarray,
    odd_index: np.ndarray,
    first_line: int,
    facts: LineFacts,
) -> bytes:
    pieces = []
    position = 0
    for index in odd_index.tolist():
        start, end = int(starts[index]), int(ends[index])
        if start == end:
            facts.blank += 1
        else:
            facts.odd[first_line + index] = block[start:end]
        pieces.append(block[position:start])
        pieces.append(ODD_MARK)
        position = end
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
    facts.key_chunks.append(values[fast])
    facts.line_chunks.append(lines[fast])
    for position in np.flatnonzero(~fast).tolist():
        facts.slow_keys.append((int(lines[position]), block[int(starts[position]) : int(key_ends[position])]))
