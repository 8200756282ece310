"""`immcourt update`: the monthly update in one command: fetch the current release, ingest it, model it.

Each step only calls the core library (fetch.py, ingest/, model/); this module decides nothing but the order
and what to tell the user. A release the server has not changed, already in the store, is left alone.
"""

from __future__ import annotations

from pathlib import Path

import typer

DOWNLOADS_DIR = ".downloads"  # inside the store: the zip and its ETag / Last-Modified, for the next update


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("update")(update)


def update(
    store: Path = typer.Option(Path("store"), "--store", "-s", help="The store folder to publish into."),
    url: str = typer.Option(None, "--url", help="Release URL (default: EOIR's `EOIR Case Data.zip`)."),
    downloads: Path = typer.Option(
        None, "--downloads", help=f"Folder for the downloaded zip (default: STORE/{DOWNLOADS_DIR})."
    ),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress bars."),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="Replace a stored release of the same id whose content differs (EOIR republished it); without "
        "it such an update is refused, naming what differs.",
    ),
) -> None:
    """Fetch the current release, ingest it and build the case model, in one command; nothing is done when
    the server's copy is unchanged and already in the store. `immcourt serve` picks the new release up."""
    from rich.console import Console
    from rich.markup import escape

    from immcourt.fetch import DEFAULT_URL, FetchError, fetch_release
    from immcourt.ingest import IngestError, ingest_release
    from immcourt.metrics.api import build_model
    from immcourt.model.build import ModelError

    console, err = Console(), Console(stderr=True)
    folder = downloads or store / DOWNLOADS_DIR

    def fail(message: str, code: int = 1) -> None:
        err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(code)

    try:
        if progress:
            console.rule("[bold]1/3 fetch: the current release (skipped when the server's copy is unchanged)")
        fetched = fetch_release(url=url or DEFAULT_URL, out=folder, progress=progress)
        if progress:
            console.rule("[bold]2/3 ingest: every line loaded, repaired or quarantined, reconciled")
        report = ingest_release(
            fetched.path,
            store=store,
            progress=progress,
            skip_existing=fetched.skipped and not replace,  # --replace: ingest the kept download again
            replace=replace,
        )
        if report.skipped:
            console.print(
                f"release {report.release_id} is up to date in {store} (the server's copy is unchanged); "
                "nothing to do",
                highlight=False,
            )
            return
        if progress:
            console.rule("[bold]3/3 model: the cases of OUTCOMES.md, kept in the store")
            with err.status("building the case model"):
                build_model(store, release=report.release_id)
        else:
            build_model(store, release=report.release_id)
    except FetchError as error:
        fail(str(error))
    except IngestError as error:
        fail(f"{error}; the store is unchanged (the download is kept in {folder}; re-run after fixing)")
    except ModelError as error:
        fail(f"release ingested, but its case model failed: {error}")
    except OSError as error:
        fail(f"{error.filename or store}: {error.strerror or error}; check that --store is a writable folder")
    except KeyboardInterrupt:
        err.print("[red]interrupted:[/red] nothing new was published; re-run: a download resumes")
        raise typer.Exit(130) from None
    from immcourt.cli.ingest import print_reconciliation

    print_reconciliation(report, console)
    console.print(
        f"release {report.release_id} ingested and modelled in {store}; a running `immcourt serve` serves it "
        "from its next request on",
        highlight=False,
    )
