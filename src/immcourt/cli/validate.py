"""`immcourt validate`: compare an ingested release with EOIR's published series (immcourt.validate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # pragma: no cover - rich is imported where it prints
    from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("validate")(validate)


def validate(
    store: Path = typer.Option(Path("store"), "--store", "-s", help="The store folder."),
    release: str = typer.Option(None, "--release", help="Release id (default: the newest in the store)."),
    as_json: bool = typer.Option(False, "--json", help="Print every comparison as JSON."),
    strict: bool = typer.Option(
        False, "--strict", help="Exit with status 2 when a real release drifts beyond the tolerance."
    ),
) -> None:
    """Compare a release's new cases, completions, pending and asylum decisions by fiscal year with
    EOIR's published figures (counts for a real release, each year's share for a sample)."""
    from rich.console import Console

    from immcourt.metrics.api import StatsError
    from immcourt.model.build import ModelError
    from immcourt.validate import validate as run

    try:
        result = run(store, release=release)
    except (StatsError, ModelError) as error:
        Console(stderr=True).print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_validation(result, Console())
    if strict and result.flags:
        raise typer.Exit(2)


def print_validation(result, console: Console) -> None:  # noqa: ANN001 - a Validation
    """One table per series (published, computed, deviation or shares), then flags, notes, definitions."""
    from rich.table import Table

    from immcourt.validate import DEFINITIONS, TOLERANCE

    label = result.release_id + (" (SAMPLE DATA)" if result.is_sample else "")
    if result.is_sample:
        console.print(
            f"[bold]release {label} vs EOIR's published series: counts are not comparable (synthetic data); "
            "compared by each year's share of the years shown[/bold]"
        )
    else:
        console.print(f"[bold]release {label} vs EOIR's published series (deviation = computed / EOIR - 1)")
    for series in result.series():
        rows = [c for c in result.comparisons if c.series == series]
        table = Table(title=f"{series}: {rows[0].source}", title_justify="left")
        for column in ("FY", "EOIR", "release", "deviation" if not result.is_sample else "EOIR share"):
            table.add_column(column, justify="right")
        if result.is_sample:
            table.add_column("release share", justify="right")
            table.add_column("difference", justify="right")
        for c in rows:
            cells = [str(c.fiscal_year), f"{c.published:,.0f}", f"{c.computed:,.0f}"]
            if result.is_sample:
                cells += [
                    _percent(c.share_published),
                    _percent(c.share_computed),
                    _points(c.share_difference),
                ]
            else:
                cells.append("—" if c.deviation is None else f"{c.deviation:+.1%}")
            table.add_row(*cells)
        console.print(table)
        if series in DEFINITIONS:
            console.print(f"  [dim]{DEFINITIONS[series]}[/dim]", highlight=False)
    if result.flags:
        console.print(
            f"[bold red]WARNING: this release drifts from EOIR's published completions by more than "
            f"±{TOLERANCE:.0%}:[/bold red]"
        )
        for flag in result.flags:
            console.print(f"[red]  {flag}[/red]", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]note: {note}[/yellow]", highlight=False)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f} pts"
