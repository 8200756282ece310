"""`immcourt stats` (table and csv) names the `immcourt sql` command behind its number, and that command
prints SQL that gives the same number (tester5 F44)."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from immcourt.cli import app
from tests.builders import RELEASE_ID, MiniRelease


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    release = MiniRelease()
    release.case(1, nat="MX").proceeding(1, 10, osc="2019-03-05", comp="2020-01-10", dec="X")
    release.case(2, nat="MX").proceeding(2, 20, osc="2019-04-01", comp="2020-02-01", dec="X")
    release.case(3, nat="GT").proceeding(3, 30, osc="2019-04-01", comp="2020-03-01", dec="X")
    return release.store(tmp_path_factory.mktemp("sql-footer"))


def _footer_command(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("SQL: ")]
    assert len(lines) == 1, output
    return lines[0].removeprefix("SQL: ")


def test_the_footer_names_the_command(store: Path) -> None:
    runner = CliRunner()
    args = ["stats", "completions", "--store", str(store), "--fy", "2020", "--where", "nationality=MX"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    command = _footer_command(table.output)
    assert command == (
        f"immcourt sql completions --store {shlex.quote(str(store))} --release {RELEASE_ID} "
        "--where nationality=MX --fy 2020"
    )
    csv = runner.invoke(app, [*args, "--format", "csv"])
    assert _footer_command(csv.stderr if csv.stderr_bytes is not None else csv.output) == command


def test_the_command_prints_sql_giving_the_same_number(store: Path) -> None:
    runner = CliRunner()
    stats = runner.invoke(
        app,
        [
            "stats",
            "completions",
            "--store",
            str(store),
            "--fy",
            "2020",
            "--where",
            "nationality=MX",
            "--format",
            "json",
        ],
    )
    assert json.loads(stats.output)["rows"][0]["value"] == 2  # MX in FY2020: cases 1 and 2
    table = runner.invoke(
        app, ["stats", "completions", "--store", str(store), "--fy", "2020", "--where", "nationality=MX"]
    )
    printed = runner.invoke(app, shlex.split(_footer_command(table.output))[1:])
    assert printed.exit_code == 0, printed.output
    here = os.getcwd()
    os.chdir(store)  # the printed SQL runs from the store folder: `cd STORE && duckdb catalog.duckdb`
    try:
        con = duckdb.connect("catalog.duckdb", read_only=True)
        rows = con.execute(printed.output).fetchall()
        con.close()
    finally:
        os.chdir(here)
    assert rows[-1][-1] == 2
