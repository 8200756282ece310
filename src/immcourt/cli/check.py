"""`immcourt check`: check the numbers in an article against the immigration court data."""

from __future__ import annotations

import re
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from immcourt.limits import MAX_CHECK_CHARS

if TYPE_CHECKING:  # pragma: no cover - rich is imported where it prints
    from rich.console import Console


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"


def _fail(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


def _read_text(source: str) -> str:
    """The text to check, at most limits.MAX_CHECK_CHARS characters (a longer one is a one-line error)."""
    if source == "-":
        raw = sys.stdin.buffer.read(4 * MAX_CHECK_CHARS + 1)
        return _bounded(_decoded(raw, "standard input"), "standard input")
    path = Path(source)
    if not path.is_file():
        _fail(f"{path}: no such file; give a text file to check, or - to read standard input.")
    if path.stat().st_size > 4 * MAX_CHECK_CHARS:  # more bytes than any text within the limit can take
        _fail(
            f"{path}: {path.stat().st_size:,} bytes; the claim checker takes at most {MAX_CHECK_CHARS:,} "
            "characters: split the text"
        )
    return _bounded(_decoded(path.read_bytes(), str(path)), str(path))


# Control characters a text never holds (tab, line feed, form feed and carriage return are text).
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _decoded(raw: bytes, where: str) -> str:
    """UTF-8 (else cp1252) text; a file that is neither, or that holds NUL or other control characters
    (an image, a PDF, a zip), is a one-line error."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        bad = _BINARY.search(text)
        if bad is None:
            return text
        _fail(
            f"{where}: not a text file (character {bad.start():,} is the control character {bad.group()!r}); "
            "give plain text, e.g. save it as .txt"
        )
    _fail(f"{where}: not a text file (neither UTF-8 nor Windows-1252); give plain text, e.g. save it as .txt")
    return ""


def _bounded(text: str, where: str) -> str:
    if len(text) > MAX_CHECK_CHARS:
        _fail(f"{where}: more than {MAX_CHECK_CHARS:,} characters, the claim checker's limit: split the text")
    return text


def _parse_date(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        _fail(f"--as-of {raw!r}: not a date; write it as YYYY-MM-DD (the article's publication date).")
    return None


def _open_store(store: Path, release: str | None = None):
    import immcourt

    if not store.exists():
        _fail(f"{store}: no store here; create one with `immcourt ingest RELEASE --store {store}`.")
    try:
        return immcourt.open(store, release=release)
    except Exception as error:  # noqa: BLE001 - any failure to open is one line for the user
        _fail(f"{store}: cannot open the store ({error}); re-run `immcourt ingest` into it.")
    return None


def check(
    source: str = typer.Argument(..., metavar="FILE|-", help="Text file to check, or - for standard input."),
    store: Path = typer.Option(Path("store"), "--store", help="Store created by `immcourt ingest`."),
    release: str | None = typer.Option(None, "--release", help="Release id (default: the newest)."),
    output_format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, json or html."),
    output: Path | None = typer.Option(
        None, "--output", help="Write the report here instead of the terminal."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Article date (YYYY-MM-DD): 'current' means then."
    ),
) -> None:
    """Find every numeric claim in a text and say, claim by claim, what the court data show."""
    from rich.console import Console

    from immcourt.claims import check_text

    text = _read_text(source)
    report = check_text(text, store=_open_store(store, release), as_of=_parse_date(as_of))
    if output_format is OutputFormat.table:
        if output:
            with output.open("w", encoding="utf-8") as handle:
                _print_table(report, Console(file=handle, width=160))
        else:
            _print_table(report, Console() if sys.stdout.isatty() else Console(width=160))
        return
    rendered = report.to_json() if output_format is OutputFormat.json else report.to_html()
    if output:
        output.write_text(rendered, encoding="utf-8")
        Console(stderr=True).print(f"wrote {output} ({len(report.claims)} claims)", highlight=False)
    else:
        sys.stdout.write(rendered + "\n")


def _print_table(report, console: Console) -> None:  # noqa: ANN001 - CheckReport, imported lazily
    from immcourt.claims import SAMPLE_NOTICE

    if report.is_sample:
        console.print(f"[bold yellow]{SAMPLE_NOTICE}[/]")
    console.print(report.to_rich_table())
    if not report.claims:
        console.print("No numeric claims found.")


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("check")(check)
