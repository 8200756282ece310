"""`immcourt serve`: the web dashboard and its JSON API over one store, opened read-only."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

err = Console(stderr=True, soft_wrap=True, highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("serve")(serve)


def serve(
    store: Path = typer.Option(..., "--store", help="Store folder made by `immcourt ingest`."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."
    ),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    release: str | None = typer.Option(None, "--release", help="Release id to serve (default: the newest)."),
    warm: bool = typer.Option(True, "--warm/--no-warm", help="Compute the overview's charts at start."),
) -> None:
    """Serve the dashboard (overview, explorer, profiles, claim check, methodology, release) and /api/."""
    if not store.is_dir():
        err.print(
            f"[red]error:[/] --store {store}: no such folder; "
            f"make one with `immcourt ingest RELEASE --store {store}`"
        )
        raise typer.Exit(2)
    if not any(store.glob("release=*")):
        err.print(
            f"[red]error:[/] --store {store}: holds no ingested release; "
            f"run `immcourt ingest RELEASE --store {store}`"
        )
        raise typer.Exit(2)
    import uvicorn

    from immcourt.web.app import create_app

    try:
        application = create_app(store, release=release, warm=warm)
    except (ValueError, OSError) as error:  # the metrics layer's errors name the file and what to do
        err.print(f"[red]error:[/] --store {store}: {error}")
        raise typer.Exit(2) from None
    err.print(
        f"immcourt dashboard for release {application.state.dashboard.stamp.release_id} on http://{host}:{port}/"
    )
    uvicorn.run(application, host=host, port=port, log_level="warning")
