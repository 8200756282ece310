"""`SparkConnection`: the DuckDB statements immcourt writes, run on a SparkSession.

The model (model/sql/*.sql, run by model/build.py) and the metrics (metrics/compile.py, api.py) are
written once, in DuckDB's dialect. This class gives model/build.py and metrics/api.py the few methods of
a DuckDB connection they call (`execute(...).fetchall()/fetchone()`, `sql(...).to_arrow_table()`,
`executemany`), parses each statement with sqlglot and runs it on Spark:

    SELECT / WITH ...                       -> transpiled to Spark SQL; values stay bound parameters
                                               (DuckDB `?` / `$v1` become Spark's `?` / `:v1`)
    CREATE [OR REPLACE] TEMP TABLE t AS ... -> the query, checkpointed (computed once), as temp view t
    CREATE [OR REPLACE] TEMP VIEW v AS ...  -> the query as temp view v (computed when read)
    CREATE TEMP TABLE t (columns)           -> an empty temp view, filled by executemany(INSERT ...)
    DROP TABLE / VIEW                       -> the temp view dropped
    DESCRIBE relation | query               -> (column, type) rows
    read_parquet('path') in FROM            -> spark.read.parquet(path): a path is never SQL text

Anything sqlglot cannot carry raises (ErrorLevel.RAISE) rather than running something else; the model
SQL is written in forms both engines read (see the comments in model/sql/). Each connection works in its
own session (`newSession`): its temporary views never meet another store's.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from immcourt.engine import EngineError

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel
except ImportError:  # pragma: no cover - the spark extra brings it
    raise EngineError("engine spark needs sqlglot: pip install 'immcourt[spark]'") from None

READ = "duckdb"
WRITE = "spark"
_PARQUET_VIEWS = itertools.count(1)


def to_spark_sql(sql: str, *, pretty: bool = False) -> str:
    """DuckDB-dialect `sql` (one or more statements) as Spark SQL; comments are kept. Raises
    sqlglot.errors.UnsupportedError for a construct Spark SQL has no equivalent for."""
    statements = sqlglot.transpile(
        sql, read=READ, write=WRITE, pretty=pretty, unsupported_level=ErrorLevel.RAISE
    )
    return ";\n".join(statements)


class _Rows:
    """What `execute` returns: the rows of the last statement, read like a DuckDB result."""

    def __init__(self, rows: list[tuple]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple]:
        return list(self._rows)

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None


class _Relation:
    """What `sql` returns: a Spark DataFrame read like a DuckDB relation."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    def to_arrow_table(self) -> pa.Table:
        return to_arrow(self.frame)

    def fetchall(self) -> list[tuple]:
        return [tuple(row) for row in self.frame.collect()]


def to_arrow(frame: Any) -> pa.Table:
    """A Spark DataFrame as an Arrow table (Spark 4's toArrow; Spark 3.5 through its rows)."""
    if hasattr(frame, "toArrow"):
        return frame.toArrow()
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = to_arrow_schema(frame.schema)
    return pa.Table.from_pylist([row.asDict() for row in frame.collect()], schema=schema)


class SparkConnection:
    """A DuckDB-connection look-alike over a SparkSession (see the module docstring)."""

    dialect = WRITE

    def __init__(self, session: Any) -> None:
        try:
            self.spark = session.newSession()
        except Exception:  # noqa: BLE001 - Spark Connect has no newSession: share the caller's session
            self.spark = session
        self._relations: dict[str, Any] = {}  # name (casefolded) -> DataFrame (or path) behind the view
        self._empty: dict[str, str] = {}  # name -> DDL schema of a CREATE TABLE (columns) not yet filled

    # -- the DuckDB connection methods immcourt calls ------------------------------------------------

    def execute(self, sql: str, parameters: Sequence[object] | Mapping[str, object] | None = None) -> _Rows:
        """Run every statement of `sql`; the rows of the last one."""
        rows: list[tuple] = []
        for statement in _parse(sql):
            rows = self._run(statement, parameters)
        return _Rows(rows)

    def sql(self, query: str, params: Sequence[object] | Mapping[str, object] | None = None) -> _Relation:
        """One query as a relation (`.to_arrow_table()`)."""
        statements = _parse(query)
        if len(statements) != 1:
            raise ValueError(f"expected one query, got {len(statements)} statements")
        return _Relation(self._query(statements[0], params))

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """`INSERT INTO t VALUES (?, ...)` for each row: fills a table made by CREATE TABLE t (columns)."""
        statement = _parse(sql)[0]
        if not isinstance(statement, exp.Insert):
            raise ValueError("executemany takes INSERT INTO <table> VALUES (?, ...)")
        name = statement.this.name if isinstance(statement.this, exp.Table) else statement.this.this.name
        key = name.casefold()
        if key not in self._empty:
            raise ValueError(f"executemany: {name} is not a table created with CREATE TABLE (columns)")
        frame = self.spark.createDataFrame([tuple(row) for row in rows], schema=self._empty.pop(key))
        self._register(name, frame, materialize=True)

    def file_columns(self, paths: Sequence[str]) -> dict[str, list[str]]:
        """Each parquet file's column names, from its footer (model/build.py's attach_release)."""
        import pyarrow.parquet as pq

        return {str(path): list(pq.read_schema(str(path)).names) for path in paths}

    def interrupt(self) -> None:
        """Cancel running Spark jobs (metrics/api.py's QueryTimer calls it)."""
        self.spark.sparkContext.cancelAllJobs()

    def close(self) -> None:
        """Drop every temporary view this connection made (the SparkSession stays for other users)."""
        for name in list(self._relations):
            self._forget(name)

    # -- catalog -------------------------------------------------------------------------------------

    def relation_exists(self, name: str) -> bool:
        """Whether this connection made a table or view called `name`."""
        return name.casefold() in self._relations or name.casefold() in self._empty

    def relation_kind(self, name: str) -> str | None:
        return "VIEW" if self.relation_exists(name) else None

    # -- statements ----------------------------------------------------------------------------------

    def _run(self, statement: exp.Expression, parameters: Any) -> list[tuple]:
        if isinstance(statement, exp.Create):
            return self._create(statement, parameters)
        if isinstance(statement, exp.Drop):
            for table in statement.args.get("tables") or [statement.this]:
                self._forget(table.name)
            return []
        if isinstance(statement, exp.Describe):
            target = statement.this
            if isinstance(target, exp.Table) and not isinstance(target.this, exp.Func):
                frame = self.spark.table(_spark_name(target.name))
            else:
                frame = self._query(target, parameters)
            return [(field.name, field.dataType.simpleString()) for field in frame.schema.fields]
        return [tuple(row) for row in self._query(statement, parameters).collect()]

    def _create(self, statement: exp.Create, parameters: Any) -> list[tuple]:
        kind = str(statement.args.get("kind") or "").upper()
        target = statement.this
        if isinstance(target, exp.Schema):  # CREATE TABLE t (columns): filled by executemany
            name = target.this.name
            columns = ", ".join(
                f"{column.name} {column.args['kind'].sql(dialect=WRITE)}"
                for column in target.expressions
                if isinstance(column, exp.ColumnDef)
            )
            self._forget(name)
            self._empty[name.casefold()] = columns
            return []
        query = statement.expression
        if kind not in ("TABLE", "VIEW") or query is None:
            raise ValueError(f"the Spark engine cannot run: {statement.sql(dialect=READ)[:120]}")
        self._register(target.name, self._query(query, parameters), materialize=kind == "TABLE")
        return []

    def _register(self, name: str, frame: Any, *, materialize: bool) -> None:
        if materialize:
            # Computed once, now, and its lineage cut: what DuckDB's CREATE TEMP TABLE does. (A lazy
            # persist() measured 3-4x slower: later plans grow to hold every step before them.)
            frame = frame.localCheckpoint(eager=True)
        self._forget(name)
        frame.createOrReplaceTempView(_spark_name(name))
        self._relations[name.casefold()] = frame

    def _forget(self, name: str) -> None:
        key = name.casefold()
        self._empty.pop(key, None)
        if key in self._relations:
            del self._relations[key]
            self.spark.catalog.dropTempView(_spark_name(name))

    def _query(self, query: exp.Expression, parameters: Any) -> Any:
        query, parameters = self._parquet_sources(query, parameters)
        text = query.sql(dialect=WRITE, unsupported_level=ErrorLevel.RAISE)
        if parameters:
            args = dict(parameters) if isinstance(parameters, Mapping) else list(parameters)
            return self.spark.sql(text, args=args)
        return self.spark.sql(text)

    def _read_parquet(self, path: str) -> Any:
        if not _hidden(path):
            return self.spark.read.parquet(path)
        # Spark's file listing skips names starting with `_` or `.` (the store's `_quarantine.parquet`):
        # such a file is read here and handed over (it holds the quarantined lines only).
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        try:
            return self.spark.createDataFrame(table)
        except (TypeError, ValueError):  # Spark 3.5 takes pandas, not Arrow
            return self.spark.createDataFrame(table.to_pandas())

    def _parquet_sources(self, query: exp.Expression, parameters: Any) -> tuple[exp.Expression, Any]:
        """Each `read_parquet(path)` becomes a temporary view over spark.read.parquet(path); a path given
        as the `?` parameter is taken from `parameters` (and removed from them)."""
        sources = list(query.find_all(exp.ReadParquet))
        if not sources:
            return query, parameters
        query = query.copy()
        positional = list(parameters) if isinstance(parameters, Sequence) else None
        for source in query.find_all(exp.ReadParquet):
            first = source.expressions[0]
            if isinstance(first, exp.Placeholder) and positional:
                path = str(positional.pop(0))
            elif isinstance(first, exp.Literal) and first.is_string:
                path = first.this
            else:
                raise ValueError("read_parquet takes a path (a string or one `?` parameter)")
            name = f"immcourt_parquet_{next(_PARQUET_VIEWS)}"
            self._read_parquet(path).createOrReplaceTempView(name)
            self._relations[name] = path
            replacement = exp.to_identifier(name)
            parent = source.parent
            if isinstance(parent, exp.Table):
                parent.set("this", replacement)
            else:
                source.replace(exp.Table(this=replacement))
        return query, (positional if positional is not None else parameters)


def _hidden(path: str) -> bool:
    return path.replace("\\", "/").rsplit("/", 1)[-1].startswith(("_", "."))


def _parse(sql: str) -> list[exp.Expression]:
    return [statement for statement in sqlglot.parse(sql, read=READ) if statement is not None]


def _spark_name(name: str) -> str:
    # Temporary view names: the model's own identifiers (model/build.py), letters, digits and `_`.
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a relation name the Spark engine makes: {name!r}")
    return name
