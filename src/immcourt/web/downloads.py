"""Downloads of exactly the current view, each stamped with release, options and query.

CSV: leading `#` lines, then a header row and the data. XLSX: a `data` sheet and a `metadata` sheet.
Parquet: the stamp in the schema metadata under `immcourt`. PNG/SVG: the view's Vega-Lite spec rendered
by vl-convert, whose title and subtitle carry the stamp.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from immcourt.web.charts import image_spec
from immcourt.web.service import ViewResult, json_safe


@dataclass(frozen=True)
class Format:
    extension: str
    media_type: str
    render: Callable[[ViewResult], bytes]


def to_csv(result: ViewResult) -> bytes:
    buffer = io.StringIO()
    for line in result.stamp_lines():
        buffer.write(f"# {line}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if row[name] is None else row[name] for name in result.columns])
    return buffer.getvalue().encode("utf-8")


def metadata(result: ViewResult) -> dict[str, str]:
    """The stamp as flat text fields (Parquet metadata and the XLSX metadata sheet)."""
    return {
        "release": result.stamp.release_id,
        "is_sample": "true" if result.stamp.is_sample else "false",
        "ingested_at": result.stamp.ingested_at,
        "metric": result.metric.name,
        "description": str(result.metric.description),
        "unit": str(result.metric.unit),
        "query": result.query.canonical,
        "filters": result.filters_text,
        "by": ",".join(result.query.by),
        "options": json.dumps(json_safe(result.options), sort_keys=True),
        "exclusions": json.dumps(json_safe(result.exclusions), sort_keys=True),
        "suppressed": json.dumps(json_safe(result.suppressed), sort_keys=True),
        "convention": result.convention or "",
        "sql": result.sql,
        "notice": "\n".join(result.stamp_lines()),
    }


def to_parquet(result: ViewResult) -> bytes:
    schema_metadata = dict(result.table.schema.metadata or {})
    schema_metadata[b"immcourt"] = json.dumps(metadata(result), sort_keys=True).encode("utf-8")
    table = result.table.replace_schema_metadata(schema_metadata)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def to_xlsx(result: ViewResult) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    data = workbook.add_worksheet("data")
    data.write_row(0, 0, result.columns, bold)
    for row_number, row in enumerate(result.rows, start=1):
        data.write_row(row_number, 0, [row[name] for name in result.columns])
    data.freeze_panes(1, 0)
    about = workbook.add_worksheet("metadata")
    about.set_column(0, 0, 14)
    about.set_column(1, 1, 100)
    for row_number, (name, value) in enumerate(metadata(result).items()):
        about.write_string(row_number, 0, name, bold)
        about.write_string(row_number, 1, value)
    workbook.close()
    return buffer.getvalue()


def to_png(result: ViewResult) -> bytes:
    import vl_convert

    return result.memo(
        "png", lambda: vl_convert.vegalite_to_png(image_spec(result), scale=2, vl_version="6.4")
    )


def to_svg(result: ViewResult) -> bytes:
    import vl_convert

    return result.memo(
        "svg", lambda: vl_convert.vegalite_to_svg(image_spec(result), vl_version="6.4").encode("utf-8")
    )


FORMATS: dict[str, Format] = {
    "csv": Format("csv", "text/csv; charset=utf-8", to_csv),
    "parquet": Format("parquet", "application/vnd.apache.parquet", to_parquet),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "png": Format("png", "image/png", to_png),
    "svg": Format("svg", "image/svg+xml", to_svg),
}


def filename(result: ViewResult, extension: str) -> str:
    """A file name that says what is inside: metric, grouping, release, and SAMPLE when synthetic."""
    parts = [result.metric.name, *result.query.by, result.stamp.release_id]
    if result.stamp.is_sample and "sample" not in result.stamp.release_id:
        parts.append("SAMPLE")
    return "-".join(part.replace("/", "_") for part in parts) + f".{extension}"
