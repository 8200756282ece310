"""`immcourt serve`: the web dashboard and its JSON API over one store, opened read-only."""

from __future__ import annotations

from pathlib import Path

import typer

from immcourt.limits import ServeLimits


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
    max_models: int = typer.Option(
        ServeLimits.max_models,
        "--max-models",
        min=1,
        help="Case models for non-default options kept in memory (least recently used dropped).",
    ),
    query_seconds: float = typer.Option(
        ServeLimits.query_seconds,
        "--query-seconds",
        min=1,
        help="Time limit of one statistic (model build and time waiting for the server included); past it "
        "the request gets a 503.",
    ),
    max_queued_builds: int = typer.Option(
        ServeLimits.max_queued_builds,
        "--max-queued-builds",
        min=0,
        help="Requests needing a model for other options (not yet in memory) that may wait for the server "
        "at once; one more gets a 503 with Retry-After at once.",
    ),
    memory_limit: str = typer.Option(ServeLimits.memory_limit, "--memory-limit", help="DuckDB memory cap."),
    max_by: int = typer.Option(
        ServeLimits.max_by, "--max-by", min=1, help="Dimensions one request may cut by (more: a 422)."
    ),
    max_cells: int = typer.Option(
        ServeLimits.max_cells, "--max-cells", min=1, help="Rows one answer may hold (more: a 422)."
    ),
) -> None:
    """Serve the dashboard (overview, explorer, profiles, claim check, methodology, release) and /api/."""
    from rich.console import Console

    err = Console(stderr=True, soft_wrap=True, highlight=False)
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
    busy = port_in_use(host, port)
    if busy:
        err.print(f"[red]error:[/] cannot listen on {host}:{port}: {busy}; pick another with --port")
        raise typer.Exit(2)
    import uvicorn

    from immcourt.web.app import create_app, server_options

    try:
        limits = ServeLimits(
            memory_limit=memory_limit,
            max_models=max_models,
            query_seconds=query_seconds,
            max_queued_builds=max_queued_builds,
            max_by=max_by,
            max_cells=max_cells,
        )
        application = create_app(store, release=release, warm=warm, limits=limits)
    except (ValueError, OSError) as error:  # the metrics layer's errors name the file and what to do
        err.print(f"[red]error:[/] --store {store}: {error}")
        raise typer.Exit(2) from None
    err.print(
        f"immcourt dashboard for release {application.state.dashboard.stamp.release_id} on http://{host}:{port}/"
    )
    config = uvicorn.Config(
        application,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        **server_options(),
    )
    stopping_server(config, application).run()


# Seconds a stopping server (SIGTERM, Ctrl-C) gives requests in flight before it closes them.
SHUTDOWN_SECONDS = 2


def stopping_server(config: object, application: object) -> object:
    """A uvicorn.Server that, on SIGTERM or Ctrl-C, also interrupts the statement DuckDB is running (the
    Dashboard's store), so a long query ends at once instead of holding the shutdown until it finishes;
    requests still in flight get SHUTDOWN_SECONDS. uvicorn is imported only when serving."""
    import uvicorn

    class _StoppingServer(uvicorn.Server):
        def __init__(self, config: uvicorn.Config, application: object) -> None:
            super().__init__(config)
            self.application = application

        def handle_exit(self, sig: int, frame: object) -> None:
            super().handle_exit(sig, frame)
            board = getattr(getattr(self.application, "state", None), "dashboard", None)
            if board is not None:
                board.interrupt()

    return _StoppingServer(config, application)


def port_in_use(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on (e.g. "address already in use"), or None when it can.

    Binds a socket the way uvicorn will (SO_REUSEADDR) and closes it at once, so a busy port is one clear
    line before anything is printed, instead of uvicorn's abort after the start message.
    """
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"unknown host ({error.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return (error.strerror or str(error)).lower()
    return None
