"""`immcourt ingest`: load a release (zip or folder) into the Parquet store, losslessly and reconciled."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # pragma: no cover - rich is imported where it prints
    from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("ingest")(ingest)


def ingest(
    source: Path = typer.Argument(..., help="The release: `EOIR Case Data.zip` or its unpacked folder."),
    store: Path = typer.Option(Path("store"), "--store", "-s", help="The store folder to publish into."),
    release_id: str = typer.Option(
        None,
        "--release-id",
        help="Override the release id, YYYY-MM-DD: the date EOIR published the release (default: the date a "
        "sample's SAMPLE-README.txt states, else the newest member date of the zip or, with a "
        "warning, of the folder's files; `sample-` prefixed for sample releases).",
    ),
    tables: str = typer.Option(None, "--tables", help="Only these tables, comma-separated."),
    skip_existing: bool = typer.Option(
        False, "--skip-existing", help="Do nothing if the release is in the store."
    ),
    accept_count_mismatch: bool = typer.Option(
        False, "--accept-count-mismatch", help="Warn instead of failing when Count.txt disagrees."
    ),
    partial: bool = typer.Option(
        False,
        "--partial",
        help="Load a release that lacks tables, lookups or columns the statistics need (they then come out "
        "empty, and every statistic notes a missing column); without it such a release is refused, naming "
        "what is missing.",
    ),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="Replace a release of the same id already in the store whose content differs (without it the "
        "ingest refuses, so numbers cited from a release never change under its id unnoticed).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a machine-readable summary."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar per table."),
    model: bool = typer.Option(
        True,
        "--model/--no-model",
        help="Also build the case model (default options) and keep it in the store, so that the first "
        "statistic of every later command is fast.",
    ),
) -> None:
    """Ingest a release into STORE/release=<id>/ (Parquet + quarantine + reconciliation), atomically."""
    from rich.console import Console
    from rich.markup import escape

    from immcourt.ingest import IngestError, ingest_release
    from immcourt.release import one_line

    err = Console(stderr=True)
    try:
        report = ingest_release(
            source,
            store=store,
            release_id=release_id,
            progress=progress and not as_json,
            tables=[t.strip() for t in tables.split(",") if t.strip()] if tables else None,
            skip_existing=skip_existing,
            accept_count_mismatch=accept_count_mismatch,
            partial=partial,
            replace=replace,
        )
    except IngestError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("[red]interrupted:[/red] nothing was published; re-run the same command", highlight=False)
        raise typer.Exit(130) from None
    except Exception as error:  # a bug in immcourt: still one line, and nothing was published
        if os.environ.get("IMMCOURT_TRACEBACK"):
            raise
        first_line = (str(error).strip().splitlines() or [""])[0]
        err.print(
            f"[red]error:[/red] {escape(str(source))}: unexpected {type(error).__name__} "
            f"({escape(one_line(first_line))}); nothing was "
            "published. This is a bug in immcourt: please report it (IMMCOURT_TRACEBACK=1 shows where)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    if model and not report.skipped:
        _build_model(store, report.release_id, quiet=as_json)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    console = Console()
    print_reconciliation(report, console)
    if model and not report.skipped and not tables:
        _print_validation(store, report.release_id, console)


def _print_validation(store: Path, release_id: str, console: Console) -> None:
    """The release against EOIR's published series (the same as `immcourt validate`)."""
    from immcourt.cli.validate import print_validation
    from immcourt.metrics.api import StatsError
    from immcourt.model.build import ModelError
    from immcourt.validate import validate

    try:
        result = validate(store, release=release_id)
    except (StatsError, ModelError) as error:
        console.print(f"[yellow]not compared with EOIR's published series: {error}[/yellow]")
        return
    print_validation(result, console)


def _build_model(store: Path, release_id: str, *, quiet: bool) -> None:
    """Build the default case model once, now, rather than in the first query of every later process."""
    from rich.console import Console
    from rich.markup import escape

    from immcourt.metrics.api import build_model
    from immcourt.model.build import ModelError

    def build() -> None:
        build_model(store, release=release_id)  # the model and the counts every statistic reports

    err = Console(stderr=True)
    try:
        if quiet:
            build()
        else:
            with err.status("building the case model (kept in the store for later queries)"):
                build()
    except ModelError as error:
        # The release is published either way; a model problem (e.g. a decision description the outcome
        # map does not know) must be fixed before statistics can be computed, and every stats call says so.
        err.print(
            f"[red]error:[/red] the release was ingested, but its case model failed: {escape(str(error))}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None


def print_reconciliation(report, console: Console) -> None:  # noqa: ANN001 - an IngestReport
    """Print the per-table reconciliation (lines, loaded, repaired, quarantined, Count.txt)."""
    from rich.markup import escape
    from rich.table import Table

    label = f"{report.release_id}" + (" (SAMPLE DATA)" if report.is_sample else "")
    if report.skipped:
        console.print(f"release {label} is already in the store at {report.path}; skipped")
        return
    table = Table(title=f"release {label} → {report.path}")
    for column in ("table", "lines", "loaded", "repaired", "quarantined", "merged", "blank", "Count.txt"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name, rec in report.tables.items():
        count = "—" if rec.count_txt is None else f"{rec.count_txt:,}" + ("" if rec.count_matches else " ≠")
        table.add_row(
            name,
            f"{rec.data_lines:,}",
            f"{rec.loaded:,}",
            f"{rec.repaired:,}",
            f"{rec.quarantined:,}",
            f"{rec.merged:,}",
            f"{rec.blank:,}",
            count,
        )
    console.print(table)
    console.print(
        f"{len(report.lookups)} lookups; {report.bytes_read / 1e6:,.1f} MB in {report.seconds:,.1f} s"
    )
    for name, columns in report.columns_missing.items():
        console.print(f"[yellow]{name}: columns missing (loaded as NULL): {', '.join(columns)}[/yellow]")
    for name, columns in report.columns_unknown.items():
        console.print(f"[yellow]{name}: unknown columns kept as text: {', '.join(columns)}[/yellow]")
    # A needed date column mostly unparseable (ingest/columns.py) is said loudly: its numbers are low.
    loud = tuple(f"{t}.{c}:" for t, columns in report.columns_unparseable.items() for c in columns)
    for warning in report.warnings:
        if loud and warning.startswith(loud):
            console.print(f"[bold red]WARNING: {escape(warning)}[/bold red]", highlight=False)
        else:
            console.print(f"[yellow]warning: {warning}[/yellow]")
    for name, rec in report.tables.items():
        changed = {**rec.repairs, **{f"quarantined {k}": v for k, v in rec.quarantine_reasons.items()}}
        changed.update({f"flagged {k}": v for k, v in rec.flagged.items()})
        if changed:
            listed = ", ".join(f"{kind} {n:,}" for kind, n in sorted(changed.items()))
            console.print(f"{name}: {listed}", highlight=False)
