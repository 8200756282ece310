"""Downloads of exactly the current view, each stamped with release, options and query.

Every data file opens as it is in pandas, R, Excel and Sheets: CSV is one header row and the data (no
comment lines); its metadata is the sidecar `view.metadata.json` (same query string). XLSX: a `data` sheet
and a `metadata` sheet. Parquet: the stamp in the schema metadata under `immcourt`. PNG/SVG: the view's
Vega-Lite spec rendered by vl-convert, whose title and subtitle carry the stamp.

Sample data cannot be mistaken for real data: for a sample release every file name starts `SAMPLE-` and
every data file's first column is `data`, holding `SAMPLE` on every row (a column parsers keep; a first
line of text would break them). Grouped by a period, the data carry `partial_period` (metrics/periods.py).
Shares are raw fractions 0-1 (metrics/display.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from immcourt.metrics.display import SHARE_FILE_NOTE, is_share
from immcourt.web.charts import image_spec
from immcourt.web.service import ViewResult, json_safe

SQL_NOTE = (
    "The sql field runs as printed with DuckDB from the store folder (duckdb catalog.duckdb); it is the "
    "aggregate before the minimum-n step, after which the cells listed under suppressed are left out."
)


@dataclass(frozen=True)
class Format:
    extension: str
    media_type: str
    render: Callable[[ViewResult], bytes]


SAMPLE_COLUMN = "data"
SAMPLE_VALUE = "SAMPLE"


def data_table(result: ViewResult) -> pa.Table:
    """The table every data download carries: the view's rows, `partial_period` when grouped by a period,
    and first a `data` column of `SAMPLE` when the release is synthetic."""
    table = result.download_table
    if result.stamp.is_sample:
        table = table.add_column(0, SAMPLE_COLUMN, pa.array([SAMPLE_VALUE] * table.num_rows, pa.string()))
    return table


def _data_rows(result: ViewResult) -> tuple[list[str], list[dict]]:
    table = data_table(result)
    return table.column_names, [{k: json_safe(v) for k, v in row.items()} for row in table.to_pylist()]


def to_csv(result: ViewResult) -> bytes:
    """Header row, then data; booleans as true/false, missing as empty (what pandas and R read back)."""
    columns, rows = _data_rows(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in columns])
    return buffer.getvalue().encode("utf-8")


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_metadata_json(result: ViewResult) -> bytes:
    """The sidecar of the CSV: every stamp field, the SQL and the exclusions, as one JSON object."""
    return (json.dumps(metadata(result), indent=2, sort_keys=True) + "\n").encode("utf-8")


def metadata(result: ViewResult) -> dict[str, str]:
    """The stamp as flat text fields (Parquet metadata and the XLSX metadata sheet)."""
    return {
        "release": result.stamp.release_id,
        "records_through": result.stamp.records_through or "",
        "records_from": result.stamp.records_from or "",
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
        "sql_note": SQL_NOTE,
        "value_format": SHARE_FILE_NOTE if is_share(getattr(result.metric, "kind", None)) else "",
        "partial_periods": ", ".join(result.partial_periods),
        "notice": "\n".join(result.stamp_lines()),
    }


def to_parquet(result: ViewResult) -> bytes:
    schema_metadata = dict(result.table.schema.metadata or {})
    schema_metadata[b"immcourt"] = json.dumps(metadata(result), sort_keys=True).encode("utf-8")
    table = data_table(result).replace_schema_metadata(schema_metadata)
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
    columns, rows = _data_rows(result)
    data = workbook.add_worksheet("data")
    data.write_row(0, 0, columns, bold)
    for row_number, row in enumerate(rows, start=1):
        data.write_row(row_number, 0, [row[name] for name in columns])
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
    "metadata.json": Format("metadata.json", "application/json", to_metadata_json),
    "parquet": Format("parquet", "application/vnd.apache.parquet", to_parquet),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "png": Format("png", "image/png", to_png),
    "svg": Format("svg", "image/svg+xml", to_svg),
}


def filename(result: ViewResult, extension: str) -> str:
    """A file name that says what is inside: SAMPLE first when synthetic, metric, grouping, filters,
    period, options, release; e.g.
    `SAMPLE-completions-by-fiscal_year-nationality=MEXICO-fy2018-2024-sample-2026-11-01.csv`.
    Characters other than letters, digits, `.`, `_`, `=`, `-` become `_`."""
    query = result.query
    parts = ["SAMPLE"] if result.stamp.is_sample else []
    parts.append(result.metric.name)
    if query.by:
        parts.append("by-" + "-".join(query.by))
    parts += [f"{name}={value}" for name, value in query.where]
    if query.fy_from or query.fy_to:
        parts.append(f"fy{query.fy_from or ''}-{query.fy_to or ''}")
    if query.date_from or query.date_to:
        parts.append(f"{query.date_from or ''}_to_{query.date_to or ''}")
    if query.administration:
        parts.append(f"administration={query.administration}")
    if query.at:
        parts.append(f"at={query.at}")
    parts += [f"{name}={value}" for name, value in query.options]
    parts.append(result.stamp.release_id)
    stem = re.sub(r"[^A-Za-z0-9._=-]+", "_", "-".join(parts))
    return stem[:200] + f".{extension}"
