"""`immcourt stats`, `immcourt metrics` and `immcourt sql`: the metric catalog from the command line."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from immcourt.metrics.api import Result, open_store
from immcourt.metrics.catalog import METRICS
from immcourt.metrics.compile import compile_sql, make_request
from immcourt.metrics.methodology import methodology_markdown
from immcourt.metrics.options import StatsError
from immcourt.model.build import ModelError

FORMATS = ("table", "csv", "json", "parquet")


def _fail(message: str) -> None:
    Console(stderr=True, soft_wrap=True).print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code=2)


def _parse_pairs(pairs: list[str], flag: str) -> dict[str, list[str]]:
    """['nationality=GT', 'court=HOU,NYC'] -> {'nationality': ['GT'], 'court': ['HOU', 'NYC']}."""
    parsed: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            _fail(f"{flag} {pair!r} must look like NAME=VALUE")
        parsed.setdefault(name.strip(), []).extend(v.strip() for v in value.split(",") if v.strip())
    return parsed


def _parse_fy(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    first, _, last = text.partition(":")
    try:
        return (int(first), int(last or first))
    except ValueError:
        _fail(f"--fy {text!r} must be a fiscal year (2024) or a range (2022:2024)")
    return None


def _request_kwargs(by, where, date_from, date_to, fy, administration, at, option) -> dict[str, object]:
    options = {name: ",".join(values) for name, values in _parse_pairs(option, "--option").items()}
    return {
        "by": by,
        "where": _parse_pairs(where, "--where"),
        "date_from": date_from,
        "date_to": date_to,
        "fiscal_years": _parse_fy(fy),
        "administration": administration,
        "at": at,
        "options": options,
    }


def register(app: typer.Typer) -> None:
    """Add `stats`, `metrics` and `sql` to the app."""
    app.command("stats")(stats)
    app.command("metrics")(metrics)
    app.command("sql")(sql)


STORE_HELP = "Store folder written by `immcourt ingest`."


def stats(
    metric: str = typer.Argument(..., help="Metric name; `immcourt metrics` lists them."),
    store: Path = typer.Option(Path("store"), "--store", help=STORE_HELP),
    release: str | None = typer.Option(None, "--release", help="Release id (default: the newest)."),
    by: list[str] = typer.Option([], "--by", help="Dimension to group by (repeatable)."),
    where: list[str] = typer.Option([], "--where", help="Filter DIMENSION=VALUE[,VALUE] (repeatable)."),
    date_from: str | None = typer.Option(None, "--from", help="First date, YYYY-MM-DD."),
    date_to: str | None = typer.Option(None, "--to", help="Last date, YYYY-MM-DD."),
    fy: str | None = typer.Option(None, "--fy", help="Fiscal years, e.g. 2024 or 2022:2024."),
    administration: str | None = typer.Option(None, "--administration", help="e.g. Obama, 'Trump I', Biden."),
    at: str | None = typer.Option(None, "--at", help="Date for `pending`, YYYY-MM-DD."),
    option: list[str] = typer.Option([], "--option", help="Methodology option NAME=VALUE (repeatable)."),
    fmt: str = typer.Option("table", "--format", help="table, csv, json or parquet."),
    output: Path | None = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
) -> None:
    """Compute one statistic from a store, with its release, options and exclusions."""
    if fmt not in FORMATS:
        _fail(f"--format {fmt!r} is not valid; choose one of: {', '.join(FORMATS)}")
    if fmt == "parquet" and output is None:
        _fail("--format parquet needs --output FILE")
    try:
        db = open_store(store, release=release)
        result = db.stats(
            metric, **_request_kwargs(by, where, date_from, date_to, fy, administration, at, option)
        )
    except (StatsError, ModelError) as error:
        _fail(str(error))
        return
    _write(result, fmt, output)


def _write(result: Result, fmt: str, output: Path | None) -> None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        meta = {b"immcourt": json.dumps(result.metadata(), default=str).encode()}
        pq.write_table(result.table.replace_schema_metadata(meta), output)
        return
    if fmt == "table":
        text = _render_table(result, output is None)
    elif fmt == "csv":
        text = _render_csv(result)
    else:
        text = (
            json.dumps({"metadata": result.metadata(), "rows": result.to_dicts()}, default=str, indent=2)
            + "\n"
        )
    if output is None:
        if fmt != "table":
            sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _footer_lines(result: Result) -> list[str]:
    lines = [f"Release: {result.release.label}"]
    if result.release.is_sample:
        lines.append("SAMPLE DATA: synthetic records, not real court data")
    if result.convention:
        lines.append(f"Grant rate convention: {result.convention}")
    if result.where:
        lines.append("Filters: " + ", ".join(f"{k}={'|'.join(map(str, v))}" for k, v in result.where.items()))
    period = {name: value for name, value in result.period.items() if value not in (None, (), [])}
    if period:
        lines.append("Period: " + ", ".join(f"{name}={value}" for name, value in period.items()))
    lines.append("Options: " + ", ".join(f"{k}={v}" for k, v in result.options.items()))
    if result.exclusions:
        lines.append("Excluded: " + "; ".join(f"{reason}: {n:,}" for reason, n in result.exclusions.items()))
    else:
        lines.append("Excluded: none")
    if result.suppressed:
        lines.append(
            f"Hidden by minimum-n rules: {len(result.suppressed)} cells ({result.metric.min_n_rule})"
        )
    return lines


def _render_table(result: Result, to_terminal: bool) -> str:
    table = Table(
        title=f"{result.metric.name} ({result.metric.unit})", caption="\n".join(_footer_lines(result))
    )
    for name in result.table.column_names:
        table.add_column(name, justify="left" if name in result.by else "right")
    for row in result.to_dicts():
        table.add_row(*(_format_cell(name, row[name]) for name in result.table.column_names))
    console = Console(file=None if to_terminal else io.StringIO(), width=140)
    console.print(table)
    return "" if to_terminal else console.file.getvalue()  # type: ignore[union-attr]


def _format_cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}" if name == "value" and value <= 1 else f"{value:,.1f}"
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and name not in ("fiscal_year", "calendar_year")
    ):
        return f"{value:,}"
    return str(value)


def _render_csv(result: Result) -> str:
    buffer = io.StringIO()
    buffer.write(f"# metric: {result.metric.name} ({result.metric.unit})\n")
    for line in _footer_lines(result):
        buffer.write(f"# {line}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.table.column_names)
    for row in result.to_dicts():
        writer.writerow(["" if row[name] is None else row[name] for name in result.table.column_names])
    return buffer.getvalue()


def metrics(
    store: Path | None = typer.Option(None, "--store", help="Also show which release the store serves."),
    markdown: bool = typer.Option(False, "--markdown", help="Print docs/METHODOLOGY.md (generated)."),
) -> None:
    """List the metric catalog: names, definitions, dimensions, options and minimum-n rules."""
    if markdown:
        sys.stdout.write(methodology_markdown())
        return
    console = Console()
    if store is not None:
        try:
            console.print(f"Store {store}: release {open_store(store).release.label}")
        except StatsError as error:
            _fail(str(error))
    table = Table(title="immcourt metrics", show_lines=True)
    table.add_column("metric", no_wrap=True)
    for column in ("unit", "definition", "dimensions", "options (default)"):
        table.add_column(column)
    for metric in METRICS:
        table.add_row(
            metric.name,
            metric.unit,
            metric.description,
            ", ".join(metric.dimensions),
            ", ".join(f"{o.name}={o.default}" for o in metric.options),
        )
    console.print(table)


def sql(
    metric: str = typer.Argument(..., help="Metric name."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP + " (optional: names the release)."),
    by: list[str] = typer.Option([], "--by"),
    where: list[str] = typer.Option([], "--where"),
    date_from: str | None = typer.Option(None, "--from"),
    date_to: str | None = typer.Option(None, "--to"),
    fy: str | None = typer.Option(None, "--fy"),
    administration: str | None = typer.Option(None, "--administration"),
    at: str | None = typer.Option(None, "--at"),
    option: list[str] = typer.Option([], "--option"),
) -> None:
    """Print the SQL that `immcourt stats` would run for the same arguments."""
    try:
        release_id, default_at = "?", date.today()
        if store is not None:
            info = open_store(store).release
            release_id, default_at = info.id, info.release_date or default_at
        request = make_request(
            metric, **_request_kwargs(by, where, date_from, date_to, fy, administration, at, option)
        )
        sys.stdout.write(compile_sql(request, release_id=release_id, default_at=default_at))
    except StatsError as error:
        _fail(str(error))
