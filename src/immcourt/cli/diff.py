"""`immcourt diff RELEASE_A RELEASE_B --store DIR`: what changed between two releases (immcourt.diff)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # pragma: no cover - rich is imported where it prints
    from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("diff")(diff)


def diff(
    release_a: str = typer.Argument(
        ..., help="The earlier release id (see the store's release=<id> folders)."
    ),
    release_b: str = typer.Argument(..., help="The later release id."),
    store: Path = typer.Option(Path("store"), "--store", "-s", help="The store holding both releases."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole comparison as JSON."),
    all_cells: bool = typer.Option(
        False, "--all", help="List every statistic cell, not only those that moved."
    ),
    statistics: bool = typer.Option(True, "--stats/--no-stats", help="Also compare the catalog statistics."),
    keys: str = typer.Option(
        None,
        "--keys",
        help="Instead, list the keys of TABLE:CHANGE as CSV (table,change,key), e.g. A_TblCase:removed for "
        "the IDNCASE of every case that vanished; CHANGE is added, removed or changed.",
    ),
) -> None:
    """Records added, removed and changed per table (by the table's key) between two releases, and the
    statistics that moved (new cases, completions, pending, allowed-to-remain share, asylum grant rate, by
    fiscal year), each with both values and the difference."""
    from rich.console import Console
    from rich.markup import escape

    from immcourt.diff import DiffError, diff_releases
    from immcourt.metrics.api import StatsError, open_store
    from immcourt.model.build import ModelError

    err = Console(stderr=True)
    try:
        db_a = open_store(store, release=release_a)
        db_b = open_store(store, release=release_b)
        if keys is not None:
            _print_keys(db_a, db_b, keys)
            return
        result = diff_releases(db_a, db_b, statistics=statistics, all_cells=all_cells)
    except (StatsError, ModelError, DiffError) as error:
        err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), default=str, indent=2) + "\n")
        return
    print_diff(result, Console(width=160) if not sys.stdout.isatty() else Console())


def _print_keys(db_a, db_b, spec: str) -> None:  # noqa: ANN001 - two immcourt Stores
    from immcourt.diff import DiffError, changed_keys

    table, _, change = spec.partition(":")
    if not change:
        raise DiffError(f"--keys {spec!r} must be TABLE:CHANGE, e.g. A_TblCase:removed")
    found = changed_keys(db_a.release.path.resolve(), db_b.release.path.resolve(), table, change)
    sys.stdout.write("table,change,key\n" + "".join(f"{table},{change},{key}\n" for key in found))


def print_diff(result, console: Console) -> None:  # noqa: ANN001 - an immcourt.diff.ReleaseDiff
    """The record table, then one table per statistic that moved."""
    from rich.table import Table

    from immcourt.diff import CHANGED_RULE
    from immcourt.metrics.display import format_difference, format_value

    sample = " (SAMPLE DATA)" if result.is_sample else ""
    records = Table(
        title=f"Records: release {result.release_a} → {result.release_b}{sample}",
        caption=f"{CHANGED_RULE} {result.seconds_records:.1f} s.",
        caption_justify="left",
    )
    for column in (
        "table",
        "key",
        "rows A",
        "rows B",
        "added",
        "removed",
        "changed",
        "unchanged",
        "quarantined A / B",
        "columns changed (rows)",
    ):
        records.add_column(
            column, justify="left" if column in ("table", "key", "columns changed (rows)") else "right"
        )
    for t in result.tables:
        columns = ", ".join(f"{name} {n:,}" for name, n in list(t.columns_changed.items())[:4])
        if len(t.columns_changed) > 4:
            columns += f", +{len(t.columns_changed) - 4} more"
        records.add_row(
            t.table,
            t.key,
            f"{t.rows_a:,}",
            f"{t.rows_b:,}",
            f"{t.added:,}",
            f"{t.removed:,}",
            f"{t.changed:,}",
            f"{t.unchanged:,}",
            f"{t.quarantined_a:,} / {t.quarantined_b:,}",
            columns,
        )
    console.print(records)
    for t in result.tables:
        if t.columns_only_a or t.columns_only_b:
            console.print(
                f"{t.table}: columns only in {result.release_a}: {', '.join(t.columns_only_a) or 'none'}; "
                f"only in {result.release_b}: {', '.join(t.columns_only_b) or 'none'}",
                highlight=False,
            )
    if result.vanished:
        v = result.vanished
        console.print(
            f"Cases of {result.release_a} missing from {result.release_b}: {v.total:,}; "
            f"in {result.release_a} they were "
            + ", ".join(f"{name} {n:,}" for name, n in v.by_outcome.items())
            + "; started in FY "
            + ", ".join(f"{year} {n:,}" for year, n in v.by_receipt_fiscal_year.items()),
            highlight=False,
        )
    unchanged = []
    for summary in result.statistics:
        if not summary.moved:
            unchanged.append(summary.statistic)
            continue
        table = Table(
            title=f"{summary.statistic} ({summary.unit}): {len(summary.moved)} of {summary.cells} "
            "cells differ",
            title_justify="left",
        )
        for name in summary.by:
            table.add_column(name)
        table.add_column(result.release_a, justify="right")
        table.add_column(result.release_b, justify="right")
        table.add_column("difference", justify="right")
        for change in summary.moved:
            table.add_row(
                *(
                    format_value(change.cells[name], column=name, kind=None)
                    + (" (partial)" if result.partial(name, change.cells[name]) else "")
                    for name in summary.by
                ),
                format_value(change.a, column="value", kind=summary.kind),
                format_value(change.b, column="value", kind=summary.kind),
                format_difference(change.difference, kind=summary.kind),
            )
        console.print(table)
        for label, excluded in (
            (result.release_a, summary.exclusions_a),
            (result.release_b, summary.exclusions_b),
        ):
            if excluded:
                text = "; ".join(f"{reason}: {n:,}" for reason, n in excluded.items())
                console.print(f"  excluded in {label}: {text}", highlight=False)
    if unchanged:
        console.print(f"Statistics unchanged in every cell: {', '.join(unchanged)}", highlight=False)
    if result.statistics:
        console.print(
            f"Statistics: default options, both releases; {result.seconds_statistics:.1f} s. "
            "Shares are compared in percentage points (pp). Records through: "
            f"{result.release_a} {result.records_through_a or 'unknown'}, "
            f"{result.release_b} {result.records_through_b or 'unknown'}; a period either release covers "
            "only in part is marked (partial).",
            highlight=False,
        )
    if result.is_sample:
        console.print("SAMPLE DATA: synthetic records, not real court data", highlight=False)
