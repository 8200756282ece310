"""The `immcourt` command: a Typer app whose verbs live one per module in this package.

Each module defines ``register(app)``; the verbs only call the core library.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="immcourt",
    help=(
        "Statistics from the U.S. immigration courts' public case data (EOIR), "
        "and a checker for published numbers."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One module per verb family. Order is the order of `immcourt --help`.
_VERB_MODULES = (
    "sample",
    "ingest",
    "validate",
    "fetch",
    "update",
    "diff",
    "stats",
    "check",
    "serve",
    "demo",
)

for _name in _VERB_MODULES:
    importlib.import_module(f"immcourt.cli.{_name}").register(app)


def main() -> None:
    """Console-script entry point."""
    app()
