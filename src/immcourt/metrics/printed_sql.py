"""The SQL people are shown (`immcourt sql --store`, the explorer, download metadata), made runnable.

The aggregate that compile.py writes reads `cases_<key>`, a table that exists only inside an immcourt
process. Printed for people, it is preceded by the one statement that makes that name from the case model
persisted in the store (`release=<id>/model/<entry>/cases.parquet`, written by `immcourt ingest` for the
default options and by `immcourt stats` for others), and followed by a note on the minimum-n step, which
runs after the aggregate in Python (metrics/api.py). Run it as printed from the store folder:

    cd STORE && duckdb catalog.duckdb < query.sql
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from immcourt.model.build import CACHE_DIR, MODEL_RELATIONS, cache_entry, model_table_name
from immcourt.sqlsafe import quote_ident, quote_literal


def runnable_sql(sql: str, *, release_dir: Path, model_options: Mapping[str, str], min_n_rule: str) -> str:
    """`sql` (reading model relations such as `cases_<key>`) preceded by a view over each persisted relation
    it names and followed by the suppression note. `release_dir` is the `release=<id>` folder; paths are
    relative to the store."""
    entry = cache_entry(Path(release_dir), model_options)
    built = all((entry / name).is_file() for name in MODEL_RELATIONS.values())
    lines = [
        "-- Runs as printed with DuckDB from the store folder: cd STORE && duckdb catalog.duckdb",
        "-- The case model for these options"
        + (
            " (persisted in the store):"
            if built
            else " is not in the store yet: run `immcourt stats` "
            "with the same --option values once to build it, then:"
        ),
    ]
    for relation, file_name in MODEL_RELATIONS.items():
        table = model_table_name(relation, model_options)
        if table not in sql:
            continue
        relative = f"{Path(release_dir).name}/{CACHE_DIR}/{entry.name}/{file_name}"
        lines += [
            f"CREATE OR REPLACE TEMP VIEW {quote_ident(table)} AS",
            f"    SELECT * FROM read_parquet({quote_literal(relative)}, hive_partitioning = false);",
        ]
    lines += [
        "",
        sql.rstrip().rstrip(";") + ";",
        "",
        f"-- Minimum-n step (applied after this query): {min_n_rule}.",
        "-- immcourt leaves those cells out of its result and lists each under `suppressed`.",
    ]
    return "\n".join(lines) + "\n"
