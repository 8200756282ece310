"""The byte pass: turn a member's raw bytes into a clean UTF-8 file DuckDB can split at full speed.

One streamed pass per member does everything that must look at every byte, in C-speed `bytes` operations:
it hashes the raw bytes, strips NUL, makes every line end a single LF (CRLF and a lone CR both end a physical
line, as in every common reader), decodes cp1252 (bytes cp1252 leaves undefined fall back to latin-1) only in
chunks that are not pure ASCII, and (in `lines.py`) sets aside every line whose field count is off, blank
lines included, leaving a marker in its place. Physical line numbers in the output equal those of the source.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from immcourt.ingest.lines import LineFacts, analyse_block


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


def prepare(chunks: Iterable[bytes], out: Path) -> Prepared:
    """Write the cleaned UTF-8 text of `chunks` to `out` and return counts, hash and header."""
    digest = hashlib.sha256()
    state = Prepared(path=out, raw_bytes=0, sha256="", lines=0, blank_lines=0, nul_bytes=0, header=[])
    carry = b""
    seen_header = False
    with open(out, "wb") as sink:
        for chunk in chunks:
            digest.update(chunk)
            state.raw_bytes += len(chunk)
            if b"\x00" in chunk:
                before = len(chunk)
                chunk = chunk.replace(b"\x00", b"")
                state.nul_bytes += before - len(chunk)
            data = carry + chunk
            cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
            if cut == len(data) - 1 and data.endswith(b"\r"):
                cut = max(data.rfind(b"\n", 0, cut), data.rfind(b"\r", 0, cut))  # may be half of a CRLF
            if cut < 0:
                carry = data
                continue
            block, carry = data[: cut + 1], data[cut + 1 :]
            seen_header = _emit(_normalise_newlines(block), sink, state, seen_header)
        if carry:
            tail = _normalise_newlines(carry)
            _emit(tail if tail.endswith(b"\n") else tail + b"\n", sink, state, seen_header)
    state.sha256 = digest.hexdigest()
    return state


def _emit(block: bytes, sink: BinaryIO, state: Prepared, seen_header: bool) -> bool:
    """Write one line-aligned block (every line ends in LF); returns whether the header has been written."""
    if not seen_header:
        header_line, _, block = block.partition(b"\n")
        state.header = _split_header(header_line)
        sink.write(_to_utf8(header_line) + b"\n")
        state.lines += 1
    first_line = state.lines + 1
    block, lines = analyse_block(block, width=len(state.header), first_line=first_line, facts=state.facts)
    state.lines += lines
    state.blank_lines = state.facts.blank
    sink.write(_to_utf8(block))
    return True


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
