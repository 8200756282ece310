"""`immcourt fetch`: download the current EOIR release (resumable; skipped when unchanged)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("fetch")(fetch)


def fetch(
    out: Path = typer.Option(Path("."), "--out", "-o", help="Folder to download into."),
    url: str = typer.Option(None, "--url", help="Release URL (default: EOIR's `EOIR Case Data.zip`)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a download bar."),
) -> None:
    """Download the release zip into OUT, resuming a partial download; skip it when the server's copy is
    unchanged (ETag / Last-Modified)."""
    from rich.console import Console

    from immcourt.fetch import DEFAULT_URL, FetchError, fetch_release

    console, err = Console(), Console(stderr=True)
    try:
        result = fetch_release(url=url or DEFAULT_URL, out=out, progress=progress)
    except FetchError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("[red]interrupted:[/red] the partial download is kept; re-run to resume", highlight=False)
        raise typer.Exit(130) from None
    if result.skipped:
        console.print(f"{result.path} is up to date (unchanged on the server); nothing downloaded")
    elif result.resumed_from:
        console.print(
            f"{result.path}: resumed at {result.resumed_from:,} bytes, "
            f"downloaded {result.bytes_downloaded:,} more"
        )
    else:
        console.print(f"{result.path}: downloaded {result.bytes_downloaded:,} bytes")
