"""`immcourt sample`: write a synthetic EOIR release (and its oracle) for demos and tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer


def sample(
    cases: Annotated[int, typer.Option("--cases", help="Number of cases to invent.")] = 50_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; same seed and options give the same bytes.")
    ] = 1,
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the release and its oracle/ into.")
    ] = Path("sample"),
    fmt: Annotated[str, typer.Option("--format", help="zip (EOIR Case Data.zip) or dir (a folder).")] = "zip",
    defects: Annotated[
        str, typer.Option("--defects", help="realistic (inject EOIR's data defects) or none.")
    ] = ("realistic"),
    release_date: Annotated[
        str | None,
        typer.Option(
            "--release-date",
            help="YYYY-MM-DD; nothing happens after it (default: the generator's DEFAULT_RELEASE_DATE).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    next_month: Annotated[
        bool,
        typer.Option(
            "--next-month",
            help="Write the same cases (same --seed, --cases, --release-date) one month after "
            "--release-date: some decided, a few changed or vanished, new cases added; "
            "oracle/changes.parquet lists every row added, removed or changed (what `immcourt diff` finds).",
        ),
    ] = False,
) -> None:
    """Generate a SAMPLE (synthetic, not real) release in EOIR's format, plus an oracle of its contents."""
    from rich.console import Console

    # Imported here, not at the top: the generator (pyarrow, the simulator) is no cost of other commands.
    from immcourt.sample import DEFAULT_RELEASE_DATE, SampleError, generate

    console = Console(stderr=True)
    started = time.monotonic()
    try:
        result = generate(
            cases=cases,
            seed=seed,
            out=out,
            fmt=fmt,
            defects=defects,
            release_date=release_date or DEFAULT_RELEASE_DATE,
            quiet=quiet,
            next_month=next_month,
        )
    except SampleError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    except OSError as error:
        console.print(
            f"[red]error:[/red] cannot write to {out}: {error.strerror or error}; "
            "choose a writable --out folder"
        )
        raise typer.Exit(1) from None
    elapsed = time.monotonic() - started
    rows = sum(result.row_counts.values())
    console.print(f"SAMPLE release (synthetic data): {result.release}")
    console.print(
        f"oracle: {result.oracle}   {cases:,} cases, {rows:,} rows, "
        f"{sum(result.defect_counts.values()):,} defect records, {elapsed:.1f} s"
    )


def register(app: typer.Typer) -> None:
    """Add `immcourt sample` to the app."""
    app.command("sample")(sample)
