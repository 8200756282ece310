"""How a number is written for people: one rule for the CLI table, the web table and chart tooltips.

Files (CSV, XLSX, Parquet, JSON) carry raw values: a share is a fraction 0-1 at full precision, so a
reader's own tools can round it; their metadata say so (`value_format`).

- share (kind `share`, columns `value` of a share metric): percent with one decimal, `41.2%`
- counts and other integers: thousands separators, `12,345`; years are written as they are (`2024`)
- other floats (median days): one decimal with separators, `1,234.5`
- a rate computed from fewer than SMALL_N (30) decisions carries a `small n` mark on screen
- a change between two releases: signed, `+1,234`, shares in percentage points `+0.8 pp`
- options in one plain-English line: `Options: withholding as relief; include admin closure: no`
"""

from __future__ import annotations

YEAR_COLUMNS = ("fiscal_year", "calendar_year")
# A rate from fewer decisions than this is shown with a "small n" mark (charts and tables); it is still
# shown when it passes the metric's minimum n, which decides whether it is shown at all.
SMALL_N = 30
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


def format_difference(value: object, *, kind: str | None) -> str:
    """A change between two values, signed: `+1,234` / `-56` for counts, `+0.8 pp` (percentage points) for
    shares, `+12.5` for other floats; '' when one side is missing."""
    if value is None:
        return ""
    if is_share(kind) and isinstance(value, int | float):
        return f"{float(value) * 100:+.1f} pp"
    if isinstance(value, int):
        return f"{value:+,}"
    if isinstance(value, float):
        return f"{value:+,.1f}"
    return str(value)


def options_plain(options: dict[str, object]) -> str:
    """Options as one line people read: `Options: withholding as relief; include admin closure: no`."""
    parts = []
    for name, value in sorted(options.items()):
        words = name.replace("_", " ")
        if isinstance(value, bool):
            parts.append(f"{words}: {'yes' if value else 'no'}")
        elif words.endswith((" as", " by")):
            parts.append(f"{words} {value}")
        else:
            text = ",".join(map(str, value)) if isinstance(value, list | tuple) else value
            parts.append(f"{words}: {text}")
    return "Options: " + ("; ".join(parts) if parts else "none")
