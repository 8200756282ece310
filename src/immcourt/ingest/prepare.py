"""The byte pass: turn a member's raw bytes into a clean UTF-8 file DuckDB can split at full speed.

One streamed pass per member does everything that must look at every byte, in C-speed `bytes` operations:
it hashes the raw bytes, strips NUL, makes every line end the same (CRLF and a lone CR both end a physical
line, as in every common reader), decodes cp1252 (bytes cp1252 leaves undefined fall back to latin-1) only in
chunks that are not pure ASCII, and (in `lines.py`) sets aside every line whose field count is off, blank
lines included, leaving a marker in its place. Physical line numbers in the output equal those of the source.

Line ends: a member whose first block ends its lines in CRLF (EOIR's own files; a few bare LFs, rows split
inside a cell, allowed) keeps CRLF, and every line of the output then ends in CRLF (`Prepared.line_end`):
blocks that already do so are written as they are, and a CR is put before a bare LF (an LF after a lone CR)
in the few places needed. Any other member gets a single LF after every line. Either way a line's text is
the same; only its end differs, and the reader is told which (`new_line`), so DuckDB splits the same rows.
Keeping CRLF saves rewriting every block.
A UTF-8 byte-order mark before the header is dropped; a file in UTF-16 or UTF-32 (by its byte-order mark or
its NUL-interleaved header) is refused with :class:`EncodingError`, since stripping its NULs would only make
its non-ASCII text wrong.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from immcourt.ingest.lines import KeyPairs, LineFacts, analyse_block


def _cp1252_with_latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; latin-1 maps them to the same code point.
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("cp1252-latin1", _cp1252_with_latin1_fallback)


def decode_cp1252(data: bytes) -> str:
    """cp1252 text, undefined bytes read as latin-1 (never fails)."""
    return data.decode("cp1252", errors="cp1252-latin1")


def encode_cp1252(text: str) -> bytes:
    """The inverse of :func:`decode_cp1252`, used to store quarantined lines as their original bytes."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return b"".join(_encode_char(char) for char in text)


def _encode_char(char: str) -> bytes:
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return char.encode("latin-1", errors="replace")


UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


class EncodingError(ValueError):
    """A member in an encoding the ingest cannot read (the message says which and what to do)."""


def strip_bom(head: bytes) -> int:
    """How many leading bytes of a member are a UTF-8 byte-order mark (0 or 3); raises EncodingError for a
    UTF-16/UTF-32 mark, or a first line whose every other byte is NUL (UTF-16 without a mark)."""
    for mark, encoding in _WIDE_BOMS.items():
        if head.startswith(mark):
            raise EncodingError(
                f"starts with a {encoding} byte-order mark; EOIR files are cp1252 text: "
                "save it as cp1252 (or re-download the release)"
            )
    first_line = head[:4096].split(b"\n", 1)[0]
    odd, even = first_line[1::2], first_line[0::2]
    if len(first_line) >= 8 and odd.count(0) * 10 >= len(odd) * 9 and even.count(0) * 10 < len(even):
        raise EncodingError(
            "has a header in UTF-16 (a NUL after every character); EOIR files are cp1252 text: "
            "save it as cp1252 (or re-download the release)"
        )
    return len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0


@dataclass
class Prepared:
    """What the byte pass learnt about one member."""

    path: Path
    raw_bytes: int
    sha256: str
    lines: int  # physical lines, header included
    blank_lines: int  # empty data lines (after the header)
    nul_bytes: int
    header: list[str]
    facts: LineFacts = field(default_factory=LineFacts)  # odd lines (set aside) and primary keys
    key_name: str | None = None  # the primary key column asked for...
    key_column: int | None = None  # ...and its position in the header (None: absent, or none asked)
    line_end: bytes = b"\n"  # how every line of the prepared file ends: b"\n" or b"\r\n"


def prepare(chunks: Iterable[bytes], out: Path, *, key: str | None = None) -> Prepared:
    """Write the cleaned UTF-8 text of `chunks` to `out` and return counts, hash and header.

    `key` names the primary key column (matched case-insensitively in the header, wherever it stands):
    its values are parsed in the line pass so duplicates can be found. Raises EncodingError for UTF-16/32.
    """
    digest = hashlib.sha256()
    state = Prepared(
        path=out, raw_bytes=0, sha256="", lines=0, blank_lines=0, nul_bytes=0, header=[], key_name=key
    )
    state.facts.key_pairs = KeyPairs(spill=out.with_name(out.name + ".keys"))  # a large table's keys go there
    carry = b""
    seen_header = False
    crlf: bool | None = None  # keep CRLF line ends (decided by the first block)
    with open(out, "wb") as sink:
        for chunk in _hashed_without_bom(chunks, digest, state):
            if b"\x00" in chunk:
                before = len(chunk)
                chunk = chunk.replace(b"\x00", b"")
                state.nul_bytes += before - len(chunk)
            cut = _last_line_end(chunk)
            if cut >= 0:  # the usual case: the block is the carry and the chunk up to its last line end...
                if not carry:
                    block = chunk if cut == len(chunk) - 1 else chunk[: cut + 1]
                else:  # ...copied once (not joined, then cut)
                    block = b"".join((carry, memoryview(chunk)[: cut + 1]))
                carry = chunk[cut + 1 :]
            else:  # no line end in the chunk: one may still close a line of the carry (a lone CR before)
                data = carry + chunk
                cut = _last_line_end(data)
                if cut < 0:
                    carry = data
                    continue
                block, carry = (data, b"") if cut == len(data) - 1 else (data[: cut + 1], data[cut + 1 :])
            if crlf is None:
                crlf = _keeps_crlf(block)
                state.line_end = b"\r\n" if crlf else b"\n"
            seen_header = _emit(block, sink, state, seen_header, crlf=crlf)
        if carry:
            tail = _normalise_newlines(carry)
            tail = tail if tail.endswith(b"\n") else tail + b"\n"
            if crlf is None:
                crlf = False
            _emit(tail, sink, state, seen_header, crlf=crlf)
    state.facts.key_pairs.finish()
    state.sha256 = digest.hexdigest()
    return state


def _last_line_end(data: bytes) -> int:
    """The position of the last line end (LF, or a CR) of `data` that certainly ends a line, or -1: a CR
    ending `data` may be the first half of a CRLF, so the line end before it is taken."""
    cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
    if cut == len(data) - 1 and data.endswith(b"\r"):
        cut = max(data.rfind(b"\n", 0, cut), data.rfind(b"\r", 0, cut))
    return cut


_HEAD = 4096  # bytes looked at for a byte-order mark and a UTF-16 header


def _hashed_without_bom(chunks: Iterable[bytes], digest: Any, state: Prepared) -> Iterator[bytes]:
    """The chunks, hashed and counted as they are, with a UTF-8 byte-order mark dropped from the start (the
    first _HEAD bytes are gathered first, so a mark split across chunks is seen too)."""
    stream = iter(chunks)
    head = b""
    for chunk in stream:
        digest.update(chunk)
        state.raw_bytes += len(chunk)
        head += chunk
        if len(head) >= _HEAD:
            break
    if head:
        yield head[strip_bom(head) :]
    for chunk in stream:
        digest.update(chunk)
        state.raw_bytes += len(chunk)
        yield chunk


def _emit(block: bytes, sink: BinaryIO, state: Prepared, seen_header: bool, *, crlf: bool) -> bool:
    """Write one line-aligned block (its line ends as read: CRLF, lone CR or LF), with every line ended as
    `crlf` says; returns whether the header has been written."""
    ends = None
    if crlf:
        block, ends = _as_crlf(block)
    else:
        block = _normalise_newlines(block)
    if not seen_header:
        header_line, _, block = block.partition(b"\n")
        state.header = _split_header(header_line.removesuffix(b"\r") if crlf else header_line)
        if state.key_name is not None:
            upper = [name.upper() for name in state.header]
            if state.key_name.upper() in upper:
                state.key_column = upper.index(state.key_name.upper())
        sink.write(_to_utf8(header_line) + b"\n")
        state.lines += 1
        ends = None  # they were found in the block with its header
    first_line = state.lines + 1
    block, lines = analyse_block(
        block,
        width=len(state.header),
        first_line=first_line,
        facts=state.facts,
        key_column=state.key_column,
        crlf=crlf,
        ends=ends,
    )
    state.lines += lines
    state.blank_lines = state.facts.blank
    sink.write(_to_utf8(block))
    return True


BARE_LF_SHARE = 100  # a CRLF member may have at most one bare LF in this many line ends in its first block


def _line_ends(block: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(bytes, LF positions, which LFs follow a CR, number of CRs) of a line-aligned block."""
    data = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(data == 10)
    paired = data[ends - 1] == 13
    if len(ends) and ends[0] == 0:
        paired[0] = False  # index -1 read the block's last byte, not a byte before the LF
    # numpy counts the CRs several times faster than bytes.count (a byte-at-a-time loop)
    return data, ends, paired, int(np.count_nonzero(data == 13))


def _keeps_crlf(block: bytes) -> bool:
    """Whether a member whose first line-aligned block is `block` keeps CRLF line ends: its header and
    nearly every line end in CRLF (a bare LF in at most one line end in BARE_LF_SHARE: a row split inside a
    cell), and it has no lone CR. Anything else (LF files, mixed or CR-only ends) is normalised to LF."""
    _, ends, paired, crs = _line_ends(block)
    pairs = int(paired.sum())
    return (
        bool(len(ends))
        and bool(paired[0])
        and crs == pairs
        and (len(ends) - pairs) * BARE_LF_SHARE <= len(ends)
    )


def _as_crlf(block: bytes) -> tuple[bytes, np.ndarray | None]:
    """The block with every line ended by CRLF, and its LF positions (None when it had to change). The
    line ends are those of _normalise_newlines (each CRLF, and each other CR or LF, ends one line): a CR goes
    before each bare LF and an LF after each lone CR, which are few, so the block is copied once at most."""
    data, ends, paired, crs = _line_ends(block)
    pairs = int(paired.sum())
    if pairs == len(ends) and crs == pairs:
        return block, ends
    inserts = [(int(at), b"\r") for at in ends[~paired]]  # before a bare LF
    if crs != pairs:
        crs_at = np.flatnonzero(data == 13)
        follower = data[np.minimum(crs_at + 1, len(data) - 1)]  # a CR ending the block reads itself
        lone = crs_at[(follower != 10) | (crs_at + 1 >= len(data))]
        inserts += [(int(at) + 1, b"\n") for at in lone]  # after a lone CR
    inserts.sort()
    pieces = []
    position = 0
    for at, text in inserts:
        pieces += (block[position:at], text)
        position = at
    pieces.append(block[position:])
    return b"".join(pieces), None


def _normalise_newlines(block: bytes) -> bytes:
    if b"\r" not in block:
        return block
    block = block.replace(b"\r\n", b"\n")
    return block.replace(b"\r", b"\n") if b"\r" in block else block


# The UTF-8 bytes of every cp1252 byte: cp1252 is one byte per character, so a block can be converted byte
# by byte, and only its few non-ASCII bytes need converting.
_UTF8_OF_BYTE = [decode_cp1252(bytes([value])).encode("utf-8") for value in range(256)]
_FEW_NON_ASCII = 100  # at most one non-ASCII byte in this many: convert those alone, not the whole block


def _to_utf8(block: bytes) -> bytes:
    if block.isascii():
        return block
    high = np.flatnonzero(np.frombuffer(block, np.uint8) >= 0x80).tolist()
    if len(high) * _FEW_NON_ASCII > len(block):
        return decode_cp1252(block).encode("utf-8")
    pieces = []
    position = 0
    for index in high:
        pieces += (block[position:index], _UTF8_OF_BYTE[block[index]])
        position = index + 1
    pieces.append(block[position:])
    return b"".join(pieces)


def _split_header(line: bytes) -> list[str]:
    return [name.strip() for name in decode_cp1252(line).split("\t")]
