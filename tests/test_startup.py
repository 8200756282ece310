"""What `immcourt stats` imports in a new process (issue 11, fast start), and that the statistic it fetches
as Python rows becomes the same Arrow table DuckDB's own Arrow export gives.

The import test is about which modules a new process loads, never about time (docs/BENCHMARKS.md has the
times, from bench/startup.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import immcourt
from immcourt.limits import ServeLimits
from immcourt.metrics.catalog import METRICS
from tests.builders import MiniRelease

# Runs the console script's entry point, then writes the names of the modules it loaded (at exit: the
# command ends with SystemExit) to the file named by IMMCOURT_MODULES_OUT.
ENTRY = """
import atexit, json, os, sys
atexit.register(lambda: open(os.environ["IMMCOURT_MODULES_OUT"], "w").write(json.dumps(sorted(sys.modules))))
from immcourt.cli import main
sys.argv[0] = "immcourt"
main()
"""

# Nothing `stats` uses: Arrow and what it brings, the loader, the sample generator, the claim checker, the
# web server, the Spark engine, the methodology page.
NOT_ON_THE_STATS_PATH = (
    "pyarrow",
    "numpy",
    "pandas",
    "polars",
    "fastapi",
    "starlette",
    "uvicorn",
    "pyspark",
    "sqlglot",
    "immcourt.ingest",
    "immcourt.sample",
    "immcourt.claims",
    "immcourt.web",
    "immcourt.spark",
    "immcourt.diff",
    "immcourt.metrics.methodology",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    # Three removal orders and one relief grant at Houston, one removal order at New York (hand counts).
    release = MiniRelease()
    for idn in (1, 2, 3):
        release.case(idn, nat="HO").proceeding(idn, idn * 10, comp="2020-01-15", dec="X", court="HOU")
    release.case(4, nat="GT").proceeding(4, 40, comp="2020-02-15", dec="R", court="HOU")
    release.case(5, nat="GT").proceeding(5, 50, comp="2021-03-01", dec="X", court="NYC")
    return release.store(tmp_path_factory.mktemp("startup"))


def _new_process(tmp_path, *args: str) -> tuple[str, set[str]]:
    """Run `immcourt ARGS` in a new Python process: (its standard output, the modules it imported)."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "IMMCOURT_MODULES_OUT": str(out)}
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(out.read_text()))


def _loaded(modules: set[str], name: str) -> bool:
    return any(module == name or module.startswith(name + ".") for module in modules)


def test_stats_csv_in_a_new_process_imports_only_what_it_uses(store, tmp_path):
    stdout, modules = _new_process(
        tmp_path, "stats", "completions", "--by", "court", "--store", str(store), "--format", "csv"
    )
    lines = stdout.splitlines()
    assert lines[0] == "data,court,value,numerator,denominator,n"
    counts = {line.split(",")[1]: int(line.split(",")[2]) for line in lines[1:]}
    assert sorted(counts.values()) == [1, 4]  # NYC 1, HOU 3 + 1
    assert _loaded(modules, "duckdb") and "immcourt.cli.stats" in modules  # it did run the stats path
    loaded = [name for name in NOT_ON_THE_STATS_PATH if _loaded(modules, name)]
    assert loaded == [], f"imported on the stats path: {loaded}"
    assert not _loaded(modules, "rich"), "csv output prints nothing with rich"


def test_stats_table_in_a_new_process_uses_rich_but_not_arrow(store, tmp_path):
    stdout, modules = _new_process(
        tmp_path, "stats", "asylum_grant_rate", "--by", "nationality", "--store", str(store)
    )
    assert "asylum_grant_rate" in stdout and "SAMPLE DATA" in stdout
    assert _loaded(modules, "rich")
    loaded = [name for name in NOT_ON_THE_STATS_PATH if _loaded(modules, name)]
    assert loaded == [], f"imported on the stats path: {loaded}"


def test_rows_become_the_arrow_table_duckdb_exports(store):
    """Every metric by each of its dimensions: Result.table built from the Python rows (the CLI's route)
    equals the table of the confined store, which fetches through DuckDB's own Arrow export."""
    plain, confined = immcourt.open(store), immcourt.open(store, limits=ServeLimits())
    try:
        asked = 0
        for metric in METRICS:
            for dimension in metric.dimensions:
                rows = plain.stats(metric.name, by=dimension)
                arrow = confined.stats(metric.name, by=dimension)
                what = f"{metric.name} by {dimension}"
                assert rows.table.schema == arrow.table.schema, what
                assert rows.table.equals(arrow.table), what
                assert rows.to_dicts() == arrow.table.to_pylist(), what
                assert rows.columns == arrow.table.column_names, what
                asked += 1
        assert asked == sum(len(metric.dimensions) for metric in METRICS)
    finally:
        plain.close()
        confined.close()
