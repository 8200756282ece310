"""`immcourt stats`, `immcourt metrics` and `immcourt sql`: the metric catalog from the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import date
from pathlib import Path

import typer

from immcourt.engine import ENGINES, EngineError, check_engine, dialect_comment
from immcourt.metrics.api import Result, open_store
from immcourt.metrics.catalog import METRICS
from immcourt.metrics.compile import compile_sql, foreign_options, get_metric, make_request
from immcourt.metrics.display import format_value
from immcourt.metrics.options import StatsError, model_options
from immcourt.metrics.periods import PARTIAL_DIMENSIONS, partial_end, partial_start
from immcourt.metrics.printed_sql import runnable_sql
from immcourt.model.build import ModelError

FORMATS = ("table", "csv", "json", "parquet")


def _fail(message: str) -> None:
    from rich.console import Console  # rich only where it prints: csv and json output need none of it

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
    # `2022:2024`, `2022-2024` and `2022..2024` all mean fiscal years 2022 to 2024.
    match = re.fullmatch(r"\s*(\d{4})\s*(?:(?::|-|–|\.\.)\s*(\d{4})\s*)?", text)
    if match is None:
        _fail(f"--fy {text!r} must be a fiscal year (2024) or a range (2022:2024 or 2022-2024)")
        return None
    first, last = int(match[1]), int(match[2] or match[1])
    if last < first:
        _fail(f"--fy {text!r}: the range ends before it starts; write {last}:{first}")
    return (first, last)


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
ENGINE_HELP = (
    f"SQL engine: {' or '.join(ENGINES)} (spark: pip install 'immcourt[spark]', Java 17+; "
    "README 'Running on Spark')."
)


def stats(
    metric: str = typer.Argument(..., help="Metric name; `immcourt metrics` lists them."),
    store: Path = typer.Option(Path("store"), "--store", help=STORE_HELP),
    release: str | None = typer.Option(None, "--release", help="Release id (default: the newest)."),
    by: list[str] = typer.Option([], "--by", help="Dimension to group by (repeatable)."),
    where: list[str] = typer.Option([], "--where", help="Filter DIMENSION=VALUE[,VALUE] (repeatable)."),
    date_from: str | None = typer.Option(None, "--from", help="First date, YYYY-MM-DD."),
    date_to: str | None = typer.Option(None, "--to", help="Last date, YYYY-MM-DD."),
    fy: str | None = typer.Option(None, "--fy", help="Fiscal years, e.g. 2024, 2022:2024 or 2022-2024."),
    administration: str | None = typer.Option(None, "--administration", help="e.g. Obama, 'Trump I', Biden."),
    at: str | None = typer.Option(None, "--at", help="Date for `pending`, YYYY-MM-DD."),
    option: list[str] = typer.Option([], "--option", help="Methodology option NAME=VALUE (repeatable)."),
    fmt: str = typer.Option("table", "--format", help="table, csv, json or parquet."),
    output: Path | None = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    engine: str = typer.Option("duckdb", "--engine", help=ENGINE_HELP),
) -> None:
    """Compute one statistic from a store, with its release, options and exclusions."""
    if fmt not in FORMATS:
        _fail(f"--format {fmt!r} is not valid; choose one of: {', '.join(FORMATS)}")
    if fmt == "parquet" and output is None:
        _fail("--format parquet needs --output FILE")
    try:
        kwargs = _request_kwargs(by, where, date_from, date_to, fy, administration, at, option)
        foreign = foreign_options(get_metric(metric), kwargs["options"])  # type: ignore[arg-type]
        if foreign:
            own = ", ".join(option.name for option in get_metric(metric).options)
            _fail(f"--option {foreign[0]} does not apply to {metric}; its options: {own}")
        db = open_store(store, release=release, engine=engine)
        result = db.stats(metric, **kwargs)
    except (StatsError, ModelError, EngineError) as error:
        _fail(str(error))
        return
    _write(result, fmt, output)


def _write(result: Result, fmt: str, output: Path | None) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        meta = {b"immcourt": json.dumps(result.metadata(), default=str).encode()}
        table = result.table
        if result.release.is_sample:  # like the web downloads: the data itself says SAMPLE
            table = table.add_column(0, "data", pa.array(["SAMPLE"] * table.num_rows, pa.string()))
        pq.write_table(table.replace_schema_metadata(meta), output)
        return
    if fmt == "table":
        text = _render_table(result, output is None)
    elif fmt == "csv":
        text = _render_csv(result)
        _csv_sidecar(result, output)
    else:
        text = json.dumps({"metadata": result.metadata(), "rows": _json_rows(result)}, default=str, indent=2)
        text += "\n"
    if output is None:
        if fmt != "table":
            sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _footer_lines(result: Result) -> list[str]:
    through = result.release.records_through
    lines = [f"Release: {result.release.label}, records through {through or 'an unknown date'}"]
    partial = partial_periods(result)
    if partial:
        lines.append(f"Partial periods (the release ends inside them): {', '.join(partial)}")
    started = partial_periods(result, at_start=True)
    if started:
        lines.append(
            f"Partial periods (records from {result.records_from}: the data starts inside them): "
            + ", ".join(started)
        )
    lines += [f"Note: {note}" for note in result.notes]
    if result.release.is_sample:
        lines.append("SAMPLE DATA: synthetic records, not real court data")
    if result.convention:
        lines.append(f"Grant rate convention: {result.convention}")
    if result.where:
        lines.append("Filters: " + ", ".join(f"{k}={'|'.join(map(str, v))}" for k, v in result.where.items()))
    period = {name: value for name, value in result.period.items() if value not in (None, (), [])}
    if period:
        lines.append("Period: " + ", ".join(f"{name}={value}" for name, value in period.items()))
    own = {option.name for option in result.metric.options}  # the options this metric reads
    lines.append("Options: " + ", ".join(f"{k}={v}" for k, v in result.options.items() if k in own))
    if result.exclusions:
        lines.append("Excluded: " + "; ".join(f"{reason}: {n:,}" for reason, n in result.exclusions.items()))
    else:
        lines.append("Excluded: none")
    if result.suppressed:
        lines.append(
            f"Hidden by minimum-n rules: {len(result.suppressed)} cells ({result.metric.min_n_rule})"
        )
    lines.append(f"SQL: {sql_command(result)}")
    return lines


def sql_command(result: Result) -> str:
    """The `immcourt sql ...` command that prints the statement behind `result`, runnable as printed
    against the store's catalog.duckdb: the same metric, --by, --where, period and the options that differ
    from their defaults, with --store and --release; shell-quoted (`--format json` carries the SQL)."""
    import shlex

    parts = ["immcourt", "sql", result.metric.name]
    parts += ["--store", str(result.release.path.parent), "--release", result.release.id]
    for name in result.by:
        parts += ["--by", name]
    for name, values in result.where.items():
        parts += ["--where", f"{name}={','.join(map(str, values))}"]
    period = result.period
    years = period.get("fiscal_years")
    if years:
        first, last = years
        parts += ["--fy", str(first) if first == last else f"{first}:{last}"]
    for key, flag in (("date_from", "--from"), ("date_to", "--to"), ("administration", "--administration")):
        if period.get(key) not in (None, ""):
            parts += [flag, str(period[key])]
    if period.get("at") is not None:
        parts += ["--at", str(period["at"])]
    for option in result.metric.options:
        value = result.options.get(option.name, option.default)
        if str(value) != str(option.default):
            parts += ["--option", f"{option.name}={value}"]
    return shlex.join(parts)


def partial_periods(result: Result, *, at_start: bool = False) -> list[str]:
    """Values of the result's period grouping that the release covers only in part (metrics/periods.py):
    those it ends inside, or (`at_start`) those its records start inside."""
    dim = next((name for name in result.by if name in PARTIAL_DIMENSIONS), None)
    if dim is None or dim not in result.columns:
        return []
    values = dict.fromkeys(str(v) for v in result.column(dim))
    if at_start:
        return [value for value in values if partial_start(dim, value, result.records_from)]
    return [value for value in values if partial_end(dim, value, result.release.records_through)]


def _render_table(result: Result, to_terminal: bool) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result.metric.name} ({result.metric.unit})")
    for name in result.columns:
        table.add_column(name, justify="left" if name in result.by else "right")
    for row in result.to_dicts():
        table.add_row(*(_format_cell(name, row[name], result.metric.kind) for name in result.columns))
    console = Console(file=None if to_terminal else io.StringIO(), width=140)
    console.print(table)
    # The provenance lines go below the table at the terminal's width, not wrapped to the table's.
    for line in _footer_lines(result):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    return "" if to_terminal else console.file.getvalue()  # type: ignore[union-attr]


def _format_cell(name: str, value: object, kind: str | None = None) -> str:
    """One table cell as people read it: the rule of metrics/display.py, shared with the web."""
    return format_value(value, column=name, kind=kind)


def _render_csv(result: Result) -> str:
    """Header row and data only, so pandas, R and Excel read it as it is; the provenance goes to a sidecar
    `<name>.metadata.json` (with --output) or standard error. A sample's rows carry `data` = SAMPLE."""
    columns = result.columns
    sample = result.release.is_sample
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow((["data"] if sample else []) + columns)
    for row in result.to_dicts():
        cells = ["" if row[name] is None else row[name] for name in columns]
        writer.writerow((["SAMPLE"] if sample else []) + cells)
    return buffer.getvalue()


def _json_rows(result: Result) -> list[dict[str, object]]:
    """The rows as JSON objects with the same columns as the CSV: each row carries every column (None for
    an empty cell) and, for a sample, `data` = SAMPLE first."""
    columns = result.columns
    sample = result.release.is_sample
    return [
        {**({"data": "SAMPLE"} if sample else {}), **{name: row.get(name) for name in columns}}
        for row in result.to_dicts()
    ]


def _csv_sidecar(result: Result, output: Path | None) -> None:
    lines = [f"metric: {result.metric.name} ({result.metric.unit})", *_footer_lines(result)]
    if output is None:
        sys.stderr.write("".join(f"{line}\n" for line in lines))
        return
    meta = {**result.metadata(), "notice": lines}
    sidecar = output.with_name(output.stem + ".metadata.json")
    sidecar.write_text(json.dumps(meta, default=str, indent=2) + "\n", encoding="utf-8")


def metrics(
    store: Path | None = typer.Option(None, "--store", help="Also show which release the store serves."),
    markdown: bool = typer.Option(False, "--markdown", help="Print docs/METHODOLOGY.md (generated)."),
) -> None:
    """List the metric catalog: names, definitions, dimensions, options and minimum-n rules."""
    if markdown:
        from immcourt.metrics.methodology import methodology_markdown  # only for --markdown

        sys.stdout.write(methodology_markdown())
        return
    from rich.console import Console
    from rich.table import Table

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
    release: str | None = typer.Option(
        None, "--release", help="Release id, with --store (default: the newest)."
    ),
    by: list[str] = typer.Option([], "--by"),
    where: list[str] = typer.Option([], "--where"),
    date_from: str | None = typer.Option(None, "--from"),
    date_to: str | None = typer.Option(None, "--to"),
    fy: str | None = typer.Option(None, "--fy"),
    administration: str | None = typer.Option(None, "--administration"),
    at: str | None = typer.Option(None, "--at"),
    option: list[str] = typer.Option([], "--option"),
    engine: str = typer.Option("duckdb", "--engine", help=ENGINE_HELP + " Prints that engine's dialect."),
) -> None:
    """Print the SQL that `immcourt stats` would run; with --store it runs as printed in DuckDB."""
    try:
        engine = check_engine(engine)
        release_id, default_at, info = "?", date.today(), None
        if store is not None:
            info = open_store(store, release=release).release
            release_id, default_at = info.id, info.release_date or default_at
        request = make_request(
            metric, **_request_kwargs(by, where, date_from, date_to, fy, administration, at, option)
        )
        text = compile_sql(request, release_id=release_id, default_at=default_at)
        if engine == "spark":  # the same statement transpiled (immcourt.spark); no PySpark needed
            from immcourt.spark.connection import to_spark_sql

            text = dialect_comment(engine) + "\n" + to_spark_sql(text, pretty=True) + "\n"
            text += (
                "-- It reads the model relations (cases_<key>, ...) that `immcourt stats --engine spark`"
                " builds in its Spark session.\n"
            )
        elif info is not None:  # runnable as printed against the store's catalog.duckdb
            text = runnable_sql(
                text,
                release_dir=info.path,
                model_options=model_options(request.options),
                min_n_rule=request.metric.min_n_rule,
            )
        if engine == "duckdb":
            text = dialect_comment(engine) + "\n" + text
        sys.stdout.write(text)
    except (StatsError, EngineError) as error:
        _fail(str(error))
