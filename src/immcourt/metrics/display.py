"""How a number is written for people: one rule for the CLI table, the web table and chart tooltips.

Files (CSV, XLSX, Parquet, JSON) carry raw values: a share is a fraction 0-1 at full precision, so a
reader's own tools can round it; their metadata say so (`value_format`).

- share (kind `share`, columns `value` of a share metric): percent with one decimal, `41.2%`
- counts and other integers: thousands separators, `12,345`; years are written as they are (`2024`)
- other floats (median days): one decimal with separators, `1,234.5`
"""

from __future__ import annotations

YEAR_COLUMNS = ("fiscal_year", "calendar_year")
SHARE_FILE_NOTE = "value is a fraction from 0 to 1 (multiply by 100 for percent); shown as 41.2% on screen"


def is_share(kind: str | None) -> bool:
    """Whether a metric's values are fractions 0-1 (`Metric.kind == 'share'`)."""
    return kind == "share"


def format_value(value: object, *, column: str, kind: str | None, value_column: str = "value") -> str:
    """One cell as people read it; '' for a missing value. See the module docstring for the rules."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column == value_column and is_share(kind) and isinstance(value, int | float):
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, int) and column not in YEAR_COLUMNS:
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)
