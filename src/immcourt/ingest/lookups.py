"""Lookup tables: small, so parsed in Python; every column VARCHAR, trimmed, empty → NULL."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from immcourt.ingest.prepare import decode_cp1252, encode_cp1252
from immcourt.ingest.table import Quarantined, unique_header


def load_lookup(name: str, data: bytes, out: Path) -> tuple[int, list[Quarantined]]:
    """Write one lookup to `out`; returns the rows written and the lines quarantined (too many fields).

    Short rows are padded with NULL (lookups end early when their last columns are empty); blank lines are
    skipped.
    """
    text = decode_cp1252(data.replace(b"\x00", b""))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = unique_header([field.strip() for field in lines[0].split("\t")]) if lines and lines[0] else []
    columns: list[list[str | None]] = [[] for _ in header]
    bad: list[Quarantined] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) > len(header):
            bad.append(
                Quarantined(
                    table=f"Lookup/{name}",
                    line=number,
                    raw=encode_cp1252(line),
                    reason="too_many_fields",
                    detail=f"{len(fields)} fields, header has {len(header)}",
                )
            )
            continue
        fields += [""] * (len(header) - len(fields))
        for column, value in zip(columns, fields, strict=True):
            column.append(value.strip() or None)
    table = pa.table({h: pa.array(c, type=pa.string()) for h, c in zip(header, columns, strict=True)})
    pq.write_table(table, out)
    return table.num_rows, bad
