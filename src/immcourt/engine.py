"""Which SQL engine answers statistics: the one place that names the engines and picks the default.

`duckdb` (the default) runs everything in-process. `spark` runs the same model and metric SQL on PySpark
over the same Parquet store (immcourt/spark/: the DuckDB text is transpiled to Spark SQL by sqlglot); it
needs `pip install 'immcourt[spark]'` and a Java runtime. Imports no project module.
"""

from __future__ import annotations

ENGINES: tuple[str, ...] = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
# The SQL dialect each engine reads (sqlglot's dialect names); the SQL shown to people says which.
DIALECTS: dict[str, str] = {"duckdb": "duckdb", "spark": "spark"}


class EngineError(ValueError):
    """An unknown engine, or one whose software is not installed (the message says what to do)."""


def check_engine(name: str | None) -> str:
    """`name` normalised ('Spark' -> 'spark'; None -> the default); EngineError listing the valid ones."""
    if name is None:
        return DEFAULT_ENGINE
    engine = str(name).strip().lower()
    if engine not in ENGINES:
        raise EngineError(f"engine {name!r} is not valid; choose one of: {', '.join(ENGINES)}")
    return engine


def dialect_comment(engine: str) -> str:
    """The first line of every SQL text shown to people: which dialect it is written in."""
    if engine == "spark":
        return "-- dialect: Spark SQL (transpiled by sqlglot from the DuckDB statement immcourt compiles)"
    return "-- dialect: DuckDB"
