"""The Python API: `immcourt.open(store).stats(metric, by=..., where=..., ...) -> Result`.

A Store holds one DuckDB connection over one release's parquet files; the `cases` relation is built
once per model-option set on that connection (or read from the copy an earlier process persisted in the
release folder, see model/build.py), then every statistic is one aggregate query on it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from immcourt.engine import DEFAULT_ENGINE, EngineError, check_engine, dialect_comment
from immcourt.limits import ServeLimits, batch_memory_limit, batch_spill_dir
from immcourt.metrics.catalog import DIMENSIONS_BY_NAME, METRICS, TIME_DIMENSIONS, Metric
from immcourt.metrics.compile import (
    Request,
    compile_query,
    compile_sql,
    foreign_options,
    get_metric,
    make_request,
)
from immcourt.metrics.filters import (
    UnknownFilterValue,
    Vocabulary,
    ambiguous_filter_notes,
    label_dimensions,
    resolve_filters,
    vocabulary,
)
from immcourt.metrics.integrity import defect_counts, integrity_exclusions, negative_durations, tables_read
from immcourt.metrics.options import StatsError, model_options
from immcourt.metrics.periods import coverage_notes
from immcourt.model.build import (
    CACHE_FILE,
    CODED_LOOKUPS,
    MODEL_COUNTS_FILE,
    MODEL_OPTION_DEFAULTS,
    ModelError,
    asylum_code_choices,
    attach_release,
    build_cases,
    cache_entry,
    cases_table_name,
    check_asylum_codes,
    decision_exclusions,
    drop_cases,
    materialize,
    model_exclusions,
    resolve_model_options,
)
from immcourt.sqlsafe import QueryTimeout, QueryTimer, batch_connection, locked_connection, quote_ident
from immcourt.store import StoreError, release_dir

if TYPE_CHECKING:  # pragma: no cover - pyarrow is imported only when an Arrow table is asked for
    import pyarrow as pa

__all__ = [
    "QueryTimeout",
    "ReleaseInfo",
    "Result",
    "ServeLimits",
    "StatsError",
    "Store",
    "UnknownFilterValue",
    "open_store",
]


QUARANTINE_PREFIX = "quarantined rows ("  # + table + ")": an exclusion listed for the tables a number reads

# The Arrow type (a pyarrow.type_for_alias name) of each DuckDB type a statistic's columns have: a
# statistic is fetched as Python rows (no pyarrow import on the CLI's path) and becomes an Arrow table
# only when one is asked for (Result.table), typed as DuckDB's own Arrow export types it. A column of any
# other type makes _fetch take the Arrow route, so the types stay exactly DuckDB's.
ARROW_TYPES = {
    "BIGINT": "int64",
    "INTEGER": "int32",
    "SMALLINT": "int16",
    "TINYINT": "int8",
    "DOUBLE": "double",
    "FLOAT": "float",
    "BOOLEAN": "bool",
    "VARCHAR": "string",
    "DATE": "date32",
}


@dataclass(frozen=True)
class ReleaseInfo:
    """What every number must carry about where it came from (from `_release.json`)."""

    id: str
    is_sample: bool
    ingested_at: str | None
    source: str | None
    path: Path
    # Rows quarantined per table (_quarantine.parquet); None only until the Store opening it counts them.
    quarantined: dict[str, int] | None = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def release_date(self) -> date | None:
        """The date in the release id (`YYYY-MM-DD`, possibly prefixed `sample-`)."""
        try:
            return date.fromisoformat(self.id.removeprefix("sample-")[:10])
        except ValueError:
            return None

    @property
    def records_through(self) -> date | None:
        """The last day the release covers (metrics/periods.py: the release date minus one day)."""
        from immcourt.metrics.periods import records_through

        return records_through(self.release_date)

    @property
    def label(self) -> str:
        return f"{self.id} (SAMPLE DATA)" if self.is_sample else self.id


@dataclass
class Result:
    """One statistic's table and everything needed to trust it."""

    metric: Metric
    by: tuple[str, ...]
    where: dict[str, tuple[object, ...]]
    period: dict[str, object]
    options: dict[str, str | int]
    release: ReleaseInfo
    sql: str
    columns: list[str]  # the statistic's columns: the `by` dimensions, value, numerator, denominator, n
    rows: list[tuple[Any, ...]]  # its rows as Python values (None for an empty cell), in `columns` order
    exclusions: dict[str, int]
    suppressed: list[dict[str, object]]
    # What a reader must know to read the numbers right: a filter label that matched several codes, a
    # period the release covers only in part or not at all (metrics/periods.py).
    notes: list[str] = field(default_factory=list)
    records_from: date | None = None  # the release's earliest case start (metrics/periods.py)
    engine: str = DEFAULT_ENGINE  # immcourt.engine: which engine computed it (`sql` is in its dialect)
    # The Arrow type of each column (a pyarrow.type_for_alias name, or a pyarrow DataType), for `table`.
    column_types: tuple[Any, ...] = ()
    _arrow: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def table(self) -> pa.Table:
        """The rows as an Arrow table, typed as DuckDB types them (built on first use: pyarrow is imported
        only by callers that ask for Arrow, pandas or polars)."""
        if self._arrow is None:
            self._arrow = _arrow_table(self.columns, self.column_types, self.rows)
        return self._arrow

    @property
    def runnable_sql(self) -> str:
        """`sql` as people can run it against the store's catalog.duckdb (metrics/printed_sql.py); on the
        Spark engine `sql` itself (it reads the model relations immcourt builds in the Spark session)."""
        from immcourt.metrics.printed_sql import runnable_sql

        if self.engine != "duckdb":
            return self.sql
        return runnable_sql(
            self.sql,
            release_dir=self.release.path,
            model_options=model_options(self.options),
            min_n_rule=self.metric.min_n_rule,
        )

    @property
    def convention(self) -> str | None:
        """The grant-rate convention, named next to every asylum grant rate."""
        if self.metric.name != "asylum_grant_rate":
            return None
        if self.options["grant_rate"] == "eoir":
            return "EOIR: grants / (grants + denials + other)"
        return "TRAC: grants / (grants + denials)"

    def to_arrow(self) -> pa.Table:
        return self.table

    def to_pandas(self):  # noqa: ANN201 - pandas is imported lazily
        return self.table.to_pandas()

    def to_polars(self):  # noqa: ANN201 - polars is imported lazily
        import polars as pl

        return pl.from_arrow(self.table)

    def to_dicts(self) -> list[dict[str, object]]:
        """One dict per row, keys in `columns` order."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """The values of one column, top to bottom. Raises KeyError for a column the result lacks."""
        if name not in self.columns:
            raise KeyError(name)
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def metadata(self) -> dict[str, object]:
        """Provenance for every output (CLI json/csv/parquet, the web API's /api/stats and downloads): the
        one serialiser of a Result's metadata, so the keys are the same everywhere."""
        return {
            "metric": self.metric.name,
            "unit": self.metric.unit,
            "engine": self.engine,
            "release": self.release.id,
            "records_through": str(self.release.records_through or ""),
            "records_from": str(self.records_from or ""),
            "sample_data": self.release.is_sample,
            "ingested_at": self.release.ingested_at,
            "convention": self.convention,
            "by": list(self.by),
            "where": {k: [str(v) for v in vals] for k, vals in self.where.items()},
            "period": {k: (str(v) if v is not None else None) for k, v in self.period.items()},
            "options": self.options,
            "exclusions": self.exclusions,
            "suppressed_cells": len(self.suppressed),
            "suppressed": [{k: _plain(v) for k, v in cell.items()} for cell in self.suppressed],
            "notes": list(self.notes),
            "sql": self.sql,
        }


def _plain(value: object) -> object:
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


class Store:
    """One release of a store, ready to answer statistics."""

    def __init__(
        self,
        release: ReleaseInfo,
        *,
        limits: ServeLimits | None = None,
        engine: str | None = None,
        spark: Any = None,
    ):
        """`limits` None: a normal connection that persists newly built models into the release folder
        (CLI, Python API). With limits: the confined, read-only store the web server uses.

        `engine` (immcourt.engine: 'duckdb' by default, or 'spark') runs the same model and metric SQL;
        `spark` is a SparkSession to use (default: immcourt.spark.spark_session()). The Spark engine builds
        the model in its session (it neither reads nor writes the store's persisted model) and takes no
        `limits`. Raises EngineError for an unknown engine or a missing PySpark / Java."""
        self.release = release
        self.limits = limits
        self.engine = check_engine(engine)
        folder = release.path.resolve()
        if self.engine == "spark":
            if limits is not None:
                raise EngineError("engine spark takes no serving limits: the web server runs on DuckDB")
            from immcourt.spark import SparkConnection, spark_session

            self._con = SparkConnection(spark if spark is not None else spark_session())
        elif limits is None:  # memory capped, spilling to a temporary folder (limits.batch_memory_limit)
            self._con = batch_connection(batch_spill_dir(), memory_limit=batch_memory_limit())
        else:
            self._con = locked_connection(sorted(folder.rglob("*.parquet")), memory_limit=limits.memory_limit)
        if release.quarantined is None:  # counted on this connection: a new process starts one DuckDB
            batch = self.engine == "duckdb" and limits is None
            self.release = release = dataclasses.replace(
                release, quarantined=_quarantine_counts(release.path, self._con if batch else None)
            )
        self._timer = QueryTimer(limits.query_seconds if limits else None)
        self._lock = threading.Lock()
        self._exclusions_by_table: dict[str, dict[str, int]] = {}
        self._defects_by_table: dict[str, tuple[dict[str, dict[str, int]], int]] = {}
        self._decision_exclusions: dict[str, dict[str, int]] = {}  # per asylum_decisions table
        # (model options, cases table) already built or loaded on this connection: a later query skips
        # build_cases' catalog lookup (milliseconds a query, which a 40-query claim check pays 40 times).
        self._ready: dict[str, str] = {}
        self._labels: dict[str, list[str]] = {}
        self._models: OrderedDict[str, None] = OrderedDict()  # non-default `cases` tables, oldest first
        self._default_table = cases_table_name(MODEL_OPTION_DEFAULTS)
        self._asylum_choices: set[str] | None = None
        self._vocabularies: dict[tuple[str, str], Vocabulary] = {}
        self._shared: dict[tuple[str, str], tuple[str, ...]] = {}
        self._entries: dict[str, Path | None] = {}  # `cases` table → its persisted cache entry, if any
        self._counts: dict[str, dict[str, Any]] = {}  # `cases` table → counts by name (_model_counts)
        # The `src_*` views over the release's files (attach_release reads every file's footer: ~50 ms at
        # 2M cases, more as files grow) are made when a statement needs them: a statistic served from the
        # persisted model reads only the model's files. The web server and Spark attach at once.
        self._folder = folder
        self._attached = False
        if limits is not None or self.engine != "duckdb":
            self._attach()

    def _attach(self) -> None:
        """Create the `src_*` views (attach_release) once, before the first statement that reads them."""
        if not self._attached:
            attach_release(self._con, release_dir=self._folder)
            self._attached = True

    def metrics(self) -> list[Metric]:
        return list(METRICS)

    def metric(self, name: str) -> Metric:
        return get_metric(name)

    def cases_table(self, options: Mapping[str, object] | None = None) -> str:
        """Build (once) and return the name of the `cases` table for these options."""
        request = make_request("completions", options=options)
        with self._lock, self._timer.limit(self._con):
            return self._build_cases(request)

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The underlying connection, with the release's `src_*` views (read the `cases_*` tables through
        cases_table())."""
        with self._lock:
            self._attach()
        return self._con

    def stats(
        self,
        metric: str,
        *,
        by: Sequence[str] | str = (),
        where: Mapping[str, object] | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        fiscal_years: Sequence[int] | int | None = None,
        administration: str | None = None,
        at: date | str | None = None,
        options: Mapping[str, object] | None = None,
    ) -> Result:
        """Compute `metric` cut by `by`, filtered by `where` and the period; see docs/METHODOLOGY.md."""
        request = make_request(
            metric,
            by=[by] if isinstance(by, str) else by,
            where=where,
            date_from=date_from,
            date_to=date_to,
            fiscal_years=fiscal_years,
            administration=administration,
            at=at,
            options=options,
        )
        try:
            asked = _asked_period(request)
            # The first case start is needed only when a period is asked (a whole-release number has none).
            first = self.records_from() if any(v is not None for v in asked.values()) else None
            period_notes = coverage_notes(release_date=self.release.release_date, records_from=first, **asked)
        except ValueError as error:
            raise StatsError(str(error)) from None
        if self.limits is not None and len(request.by) > self.limits.max_by:
            raise StatsError(
                f"by: {len(request.by)} dimensions ({', '.join(request.by)}); this server cuts by at most "
                f"{self.limits.max_by} at once: drop one or filter by it instead"
            )
        # One lock per query (a claim check takes it once per reading, not for the whole check).
        with self._lock, self._timer.limit(self._con):
            table = self._build_cases(request)
            # A filter value that is no label or code of its dimension raises UnknownFilterValue; a
            # lookup label also brings in its code.
            vocabularies = self._filter_vocabularies(request)
            checked = dataclasses.replace(
                request,
                where=resolve_filters(request, vocabularies),
                shared_labels=self._shared_labels(request),
            )
            notes = [*period_notes, *ambiguous_filter_notes(request, vocabularies)]
            # A column the statistics read, missing (--partial) or mostly unparseable: worded at ingest
            # (ingest/columns.py) and kept in _release.json, so the stats path never imports the ingest.
            notes += [str(note) for note in self.release.raw.get("column_notes") or []]
            notes += [
                f"option {name} does not apply to {request.metric.name}: not used"
                for name in foreign_options(request.metric, options)
            ]
            release = {"release_id": self.release.id, "default_at": self.release.release_date}
            sql = compile_sql(checked, **release)
            if self.engine == "spark":
                from immcourt.spark import to_spark_sql

                sql = dialect_comment(self.engine) + "\n" + to_spark_sql(sql, pretty=True) + "\n"
            query, parameters = compile_query(checked, **release)
            self._check_grid_size(checked)
            fetched = self._fetch(query, parameters)
            named_judges = self._named_judge_totals(checked)
            read = tables_read(request)
            exclusions = {
                reason: n
                for reason, n in self._exclusions(table).items()
                if not reason.startswith(QUARANTINE_PREFIX) or reason[len(QUARANTINE_PREFIX) : -1] in read
            }
            if request.metric.source == "asylum_decisions":
                exclusions.update(
                    self._model_counts(
                        table,
                        "decision_exclusions",
                        lambda: decision_exclusions(self._con, decisions_table=request.table),
                    )
                )
            exclusions.update(self._integrity(table, request))
            exclusions.update(self._unknown_flag_exclusions(checked))
        fetched = _order_columns(fetched, request.by)
        fetched, suppressed = _suppress(fetched, request, named_judges)
        result = Result(
            metric=request.metric,
            by=request.by,
            where=request.where,
            period=request.period,
            options=request.options,
            release=self.release,
            sql=sql,
            columns=list(fetched.columns),
            rows=fetched.rows,
            exclusions=exclusions,
            suppressed=suppressed,
            notes=notes,
            records_from=self.records_from() if any(d in TIME_DIMENSIONS for d in request.by) else None,
            engine=self.engine,
            column_types=fetched.types,
        )
        result._arrow = fetched.arrow  # an Arrow table already read (web server, Spark) is not built again
        return result

    def _shared_labels(self, request: Request) -> dict[str, tuple[str, ...]]:
        """Per coded `by` dimension, the labels (upper-cased) two or more codes share in the release's lookup
        or in the metric's relation (shown as `LABEL (CODE)`, see Request.shared_labels)."""
        found: dict[str, tuple[str, ...]] = {}
        for name in request.by:
            dimension = DIMENSIONS_BY_NAME[name]
            if not dimension.code_column or dimension.kind != "label" or name == "custody":
                continue
            key = (request.table, name)
            if key not in self._shared:
                # A scan of the model relation (and the lookup): it depends on the release and the model
                # options only, so it is kept with the model's counts (_model_counts) like them.
                labels = self._model_counts(
                    request.cases_table,
                    f"shared_labels {request.table} {name}",
                    lambda dimension=dimension: self._count_shared_labels(request.table, dimension),
                )
                self._shared[key] = tuple(labels)
            if self._shared[key]:
                found[name] = self._shared[key]
        return found

    def _count_shared_labels(self, relation: str, dimension: Any) -> list[str]:
        """The labels (upper-cased, sorted) two or more codes of `dimension` share in model relation
        `relation` or in the release's lookup of it (see _shared_labels)."""
        column, code = dimension.column, dimension.code_column
        labels = {
            row[0]
            for row in self._con.execute(
                f"SELECT UPPER({column}) FROM {quote_ident(relation)} "
                f"WHERE {column} IS NOT NULL GROUP BY 1 HAVING count(DISTINCT {code}) > 1"
            ).fetchall()
        }
        if dimension.lookup is not None:
            table, code_col, label_col = dimension.lookup
            label = f"UPPER(TRIM({quote_ident(label_col)}))"
            code = f"UPPER(TRIM({quote_ident(code_col)}))"
            try:
                rows = self._con.execute(
                    f"SELECT {label} FROM {quote_ident('src_' + table)} WHERE {label} <> '' "
                    f"GROUP BY 1 HAVING count(DISTINCT {code}) > 1"
                ).fetchall()
            except duckdb.Error:  # the release has no such lookup
                rows = []
            labels.update(row[0] for row in rows)
        return sorted(labels)

    def _filter_vocabularies(self, request: Request) -> dict[str, Vocabulary]:
        vocabularies = {}
        for dimension in label_dimensions(request):
            key = (request.table, dimension.name)
            if key not in self._vocabularies:
                tables = [request.table, request.cases_table]
                self._attach()  # the vocabularies read the release's lookups
                self._vocabularies[key] = vocabulary(self._con, dimension, tables, request.metric.basis)
            vocabularies[dimension.name] = self._vocabularies[key]
        return vocabularies

    def _build_cases(self, request: Request) -> str:
        options = model_options(request.options)
        ready_key = repr(sorted(options.items()))
        if ready_key in self._ready:
            return self._touch(self._ready[ready_key])
        resolved = resolve_model_options(options)
        if resolved["asylum_codes"] != MODEL_OPTION_DEFAULTS["asylum_codes"]:
            if self._asylum_choices is None:
                self._attach()
                self._asylum_choices = asylum_code_choices(self._con)
            try:
                check_asylum_codes(resolved["asylum_codes"], self._asylum_choices)
            except ModelError as error:
                raise StatsError(str(error)) from None
        entry = cache_entry(self.release.path.resolve(), options)
        # The counts kept beside DuckDB's persisted model are not the Spark engine's to read or write.
        persisted = self.engine == "duckdb" and (entry / CACHE_FILE).is_file()
        if not persisted or not self._readable(entry):
            self._attach()  # the model is built from the release's `src_*` views
        # Passing the release folder lets a table persisted by an earlier process be read, not rebuilt
        # (DuckDB only: the Spark engine builds its own model, from the same SQL).
        table = build_cases(
            self._con,
            options=options,
            release_dir=self.release.path.resolve() if self.engine == "duckdb" else None,
            persist=self.limits is None,
        )
        if table not in self._entries:
            persisted = self.engine == "duckdb" and (entry / CACHE_FILE).is_file()  # also when just built
            self._entries[table] = entry if persisted else None
        self._ready[ready_key] = table
        return self._touch(table)

    def _readable(self, entry: Path) -> bool:
        """Whether every Parquet file of a persisted model entry opens (its footer reads): if one does not,
        build_cases rebuilds the model, which needs the release's `src_*` views."""
        if self._attached:
            return True
        paths = [str(path.resolve()) for path in sorted(entry.glob("*.parquet"))]
        try:
            self._con.execute("SELECT count(*) FROM parquet_schema(?)", [paths]).fetchall()
        except duckdb.Error:
            return False
        return True

    def _touch(self, table: str) -> str:
        if table != self._default_table:
            self._remember_model(table)
        return table

    def warm(self) -> None:
        """Build (or read) the default model and compute the counts every statistic reports (and the labels
        codes share, and the first case start), keeping them beside the persisted model (`immcourt ingest`
        calls it once), so a new process answers its first statistic without scanning the whole model
        (see _model_counts)."""
        table = self.cases_table()
        decisions = table.replace("cases_", "asylum_decisions_", 1)
        with self._lock, self._timer.limit(self._con):
            self._exclusions(table)
            self._model_counts(table, "defect_counts", lambda: defect_counts(self._con, table))
            self._model_counts(table, "negative_durations", lambda: negative_durations(self._con, table))
            self._model_counts(
                table,
                "decision_exclusions",
                lambda: decision_exclusions(self._con, decisions_table=decisions),
            )
            # The labels codes share, of every coded dimension a metric is cut by (a scan each).
            for metric in METRICS:
                for name in metric.dimensions:
                    self._shared_labels(make_request(metric.name, by=[name]))
        self.records_from()

    def _model_counts(self, table: str, name: str, compute: Callable[[], Any]) -> Any:
        """A count that depends on the release and the model options only (records the model leaves out,
        marked cases, ...): computed once per `cases` table, and kept in MODEL_COUNTS_FILE of the model's
        persisted cache entry, so a new process reads it instead of scanning the model again (1 s at 2M
        cases). The entry is immutable (its name hashes the release's manifest, the options and the model
        code), so the file can never be stale. The web server (limits set) reads it but never writes it."""
        counts = self._counts.setdefault(table, {})
        if name in counts:
            return counts[name]
        entry = self._entries.get(table)
        path = entry / MODEL_COUNTS_FILE if entry is not None else None
        stored: dict[str, Any] = {}
        if path is not None and path.is_file():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stored = {}
        if name in stored:
            counts[name] = stored[name]
            return counts[name]
        self._attach()  # some counts read the release's files (its quarantine, lookups)
        counts[name] = compute()
        if path is not None and self.limits is None:
            temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
            try:
                temporary.write_text(
                    json.dumps({**stored, name: counts[name]}, sort_keys=True), encoding="utf-8"
                )
                os.replace(temporary, path)  # readers see the old file or the new one, never half of one
            except OSError:  # a read-only store: the count is simply not kept
                temporary.unlink(missing_ok=True)
        return counts[name]

    def _decision_exclusion_counts(self, decisions_table: str) -> dict[str, int]:
        # Counted once per asylum_decisions table: they depend on the release and the model options only.
        if decisions_table not in self._decision_exclusions:
            self._attach()
            found = decision_exclusions(self._con, decisions_table=decisions_table)
            self._decision_exclusions[decisions_table] = found
        return dict(self._decision_exclusions[decisions_table])

    def _remember_model(self, table: str) -> None:
        """Keep at most limits.max_models non-default `cases` tables (least recently used dropped)."""
        self._models[table] = None
        self._models.move_to_end(table)
        bound = self.limits.max_models if self.limits is not None else None
        while bound is not None and len(self._models) > max(bound, 1):
            oldest, _ = self._models.popitem(last=False)
            drop_cases(self._con, oldest)
            self._exclusions_by_table.pop(oldest, None)
            self._counts.pop(oldest, None)
            self._defects_by_table.pop(oldest, None)
            self._decision_exclusions.pop(oldest.replace("cases_", "asylum_decisions_", 1), None)
            self._ready = {k: v for k, v in self._ready.items() if v != oldest}

    def models_in_memory(self) -> list[str]:
        """Names of the non-default `cases` tables held now (bounded by ServeLimits.max_models)."""
        with self._lock:
            return list(self._models)

    def _check_grid_size(self, request: Request) -> None:
        """On a confined store, refuse before running it a flow series whose grid (every period for every
        group of the other dimensions) would pass limits.max_cells: groups and periods are counted by two
        small aggregates, so the product is known without building it."""
        time_dims = [name for name in request.by if name in TIME_DIMENSIONS]
        if self.limits is None or not time_dims or len(request.by) < 2 or request.metric.kind == "pending":
            return
        counts = []
        for by in ((time_dims[0],), tuple(name for name in request.by if name != time_dims[0])):
            query, parameters = compile_query(
                dataclasses.replace(request, by=by),
                release_id=self.release.id,
                default_at=self.release.release_date,
            )
            rows = self._con.execute(f"SELECT count(*) FROM ({query})", parameters).fetchall()
            counts.append(int(rows[0][0]) if rows else 0)
        cells = counts[0] * counts[1]
        if cells > self.limits.max_cells:
            raise StatsError(
                f"the answer would have {cells:,} rows ({counts[0]:,} periods x {counts[1]:,} groups), more "
                f"than the {self.limits.max_cells:,} this server returns; cut by fewer dimensions or filter "
                "(e.g. nationality=..., or a shorter period)"
            )

    def _fetch(self, query: str, parameters: dict[str, object]) -> _Fetched:
        """Run the statement; on a confined store stream its rows and stop past limits.max_cells.

        On DuckDB (unconfined) the rows come as Python values, with their DuckDB types mapped to Arrow
        (ARROW_TYPES), and pyarrow is not imported; otherwise through Arrow."""
        relation = self._con.sql(query, params=parameters)
        if self.limits is None:
            types = [str(t) for t in getattr(relation, "types", ())]  # immcourt.spark's relation has none
            if types and all(t in ARROW_TYPES for t in types):
                return _Fetched(
                    tuple(relation.columns), tuple(ARROW_TYPES[t] for t in types), relation.fetchall()
                )
            return _Fetched.of_arrow(relation.to_arrow_table())
        import pyarrow as pa

        cap = self.limits.max_cells
        reader = relation.to_arrow_reader(min(cap + 1, 100_000))
        batches, rows = [], 0
        for batch in reader:
            batches.append(batch)
            rows += batch.num_rows
            if rows > cap:
                reader.close()  # the rest is never computed
                raise StatsError(
                    f"the answer has more than {cap:,} rows, more than this server returns; cut by fewer "
                    "dimensions or filter (e.g. by nationality=..., or a shorter period)"
                )
        return _Fetched.of_arrow(pa.Table.from_batches(batches, schema=reader.schema))

    def interrupt(self) -> None:
        """Stop the statement running on this store's connection now (the server shutting down)."""
        self._con.interrupt()

    def _named_judge_totals(self, request: Request) -> dict[str, int] | None:
        """For a judge-rule metric filtered by judge but not cut by it: each named judge's decisions in the
        request's window (the judge rules apply whenever a judge is named); None when it does not apply."""
        if not _judge_rules_apply(request) or "judge" in request.by:
            return None
        probe = dataclasses.replace(request, by=("judge",))
        probe = dataclasses.replace(probe, shared_labels=self._shared_labels(probe))  # `NAME (CODE)`
        query, parameters = compile_query(
            probe, release_id=self.release.id, default_at=self.release.release_date
        )
        rows = self._con.execute(query, parameters).fetchall()
        return {str(row[0]): int(row[-1]) for row in rows}

    def _unknown_flag_exclusions(self, request: Request) -> dict[str, int]:
        """Records a yes/no filter on a flag dimension (criminal_charge, aggravated_felony) left out because
        their value is unknown under the chosen rule, counted with the request's other filters and period."""
        found: dict[str, int] = {}
        for name, values in request.where.items():
            dimension = DIMENSIONS_BY_NAME[name]
            if dimension.kind != "flag" or any(str(v).strip().lower() == "unknown" for v in values):
                continue
            probe = dataclasses.replace(request, by=(), where={**request.where, name: ("unknown",)})
            query, parameters = compile_query(
                probe, release_id=self.release.id, default_at=self.release.release_date
            )
            # Read to the end: DuckDB refuses the next statement's .sql() while a result is unfinished.
            rows = self._con.execute(query, parameters).fetchall()
            row = rows[0] if rows else None
            count = int(row[-1]) if row else 0
            if count:
                rule = f"{dimension.rule_option}={request.options[dimension.rule_option]}"
                reason = f"{request.metric.unit} with {name} unknown under {rule} (not matched by the filter)"
                if request.metric.kind == "pending" and any(d in TIME_DIMENSIONS for d in request.by):
                    # A pending series is counted once, on the date a single pending figure would use.
                    years = probe.fiscal_years
                    on = probe.at or probe.date_to or (date(years[1], 9, 30) if years else None)
                    reason += f", pending on {on or self.release.release_date}"
                found[reason] = count
        return found

    def _exclusions(self, cases_table: str) -> dict[str, int]:
        # Counted once per `cases` table: they depend on the release and the model options only.
        if cases_table not in self._exclusions_by_table:
            found = {f"{QUARANTINE_PREFIX}{table})": n for table, n in self.release.quarantined.items() if n}
            found.update(
                self._model_counts(
                    cases_table,
                    "model_exclusions",
                    lambda: model_exclusions(self._con, cases_table=cases_table),
                )
            )
            self._exclusions_by_table[cases_table] = found
        return dict(self._exclusions_by_table[cases_table])

    def _integrity(self, cases_table: str, request: Request) -> dict[str, int]:
        # The marked cases and negative durations depend on the cases table only; counted once per table.
        if cases_table not in self._defects_by_table:
            self._defects_by_table[cases_table] = (
                self._model_counts(
                    cases_table, "defect_counts", lambda: defect_counts(self._con, cases_table)
                ),
                self._model_counts(
                    cases_table, "negative_durations", lambda: negative_durations(self._con, cases_table)
                ),
            )
        defects, negative = self._defects_by_table[cases_table]
        return integrity_exclusions(
            request,
            defects=defects,
            reconciliation=self.release.raw.get("reconciliation") or {},
            negative=negative,
        )

    def records_from(self) -> date | None:
        """The first day the release covers: its earliest case start (metrics/periods.py), or None for a
        release without a dated case. Computed once per Store."""
        if not hasattr(self, "_records_from"):
            table = self.cases_table()

            def first_start() -> str | None:  # kept with the model's counts (_model_counts) as ISO text
                row = self._con.execute(f"SELECT min(start_date) FROM {quote_ident(table)}").fetchall()
                return row[0][0].isoformat() if row and row[0][0] is not None else None

            with self._lock, self._timer.limit(self._con):
                first = self._model_counts(table, "records_from", first_start)
            self._records_from = date.fromisoformat(first) if first else None
        return self._records_from

    def dimension_labels(self, name: str) -> list[str]:
        """The labels the release's own lookup gives a coded dimension (nationality names, base cities,
        judges, languages, custody), sorted; [] for a dimension without one (the claim checker's names)."""
        lookup = next((coded for coded in CODED_LOOKUPS if coded.name == name), None)
        if lookup is None:
            return []
        if name not in self._labels:
            # Identifiers come from model/build.py's CODED_LOOKUPS, never from the release or a request.
            column, table = quote_ident(lookup.label), quote_ident(f"src_{lookup.table}")
            sql = f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
            with self._lock:
                self._attach()
                rows = self._con.execute(sql).fetchall()
            self._labels[name] = sorted(str(row[0]).strip() for row in rows if str(row[0]).strip())
        return list(self._labels[name])

    def close(self) -> None:
        self._con.close()


@dataclass(frozen=True)
class _Fetched:
    """A statement's answer: column names, each column's Arrow type (see Result.column_types), rows."""

    columns: tuple[str, ...]
    types: tuple[Any, ...]
    rows: list[tuple[Any, ...]]
    arrow: Any = None  # the same rows as the Arrow table they were read from, when they were

    @classmethod
    def of_arrow(cls, table: pa.Table) -> _Fetched:
        values = [column.to_pylist() for column in table.columns]
        rows = list(zip(*values, strict=True)) if values else []
        return cls(tuple(table.column_names), tuple(field.type for field in table.schema), rows, table)


def _arrow_table(columns: Sequence[str], types: Sequence[Any], rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    """`rows` as an Arrow table whose columns have `types` (type_for_alias names or DataTypes)."""
    import pyarrow as pa

    arrow_types = [pa.type_for_alias(t) if isinstance(t, str) else t for t in types]
    schema = pa.schema(list(zip(columns, arrow_types, strict=True)))
    arrays = [pa.array([row[i] for row in rows], type=t) for i, t in enumerate(arrow_types)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _order_columns(fetched: _Fetched, by: Iterable[str]) -> _Fetched:
    wanted = [*by, "value", "numerator", "denominator", "n"]
    keep = [fetched.columns.index(name) for name in wanted if name in fetched.columns]
    if keep == list(range(len(fetched.columns))):
        return fetched
    return _Fetched(
        tuple(fetched.columns[i] for i in keep),
        tuple(fetched.types[i] for i in keep),
        [tuple(row[i] for i in keep) for row in fetched.rows],
    )


def _asked_period(request: Request) -> dict[str, Any]:
    """The request's period as coverage_notes takes it (pending's day: at, else date_to, else FY end)."""
    names = ("fiscal_years", "date_from", "date_to", "administration")
    period = {name: request.period[name] for name in names}
    if request.metric.kind == "pending" and not any(name in TIME_DIMENSIONS for name in request.by):
        day = request.at or request.date_to
        if day is None and request.fiscal_years:
            day = date(request.fiscal_years[1], 9, 30)
        return {"at": day}
    return {**period, "at": request.at}


def _judge_rules_apply(request: Request) -> bool:
    """The judge rules (judge_min_decisions, judge_year_min) apply to a metric that has them whenever a
    judge is named: cut by judge or filtered by one."""
    has_rules = "judge_min_decisions" in {option.name for option in request.metric.options}
    return has_rules and ("judge" in request.by or "judge" in request.where)


def _suppress(
    fetched: _Fetched, request: Request, named_judges: dict[str, int] | None = None
) -> tuple[_Fetched, list[dict[str, object]]]:
    """Hide cells the metric's minimum-n rules do not allow; report each hidden cell with its reason.

    `named_judges`: for a request filtered by judge (not cut by it), each named judge's decisions in the
    window; if any has fewer than judge_min_decisions, every cell is hidden (it holds that judge's
    decisions)."""
    metric, options = request.metric, request.options
    if metric.kind not in ("share", "median_days"):
        return fetched, []
    rows = [dict(zip(fetched.columns, row, strict=True)) for row in fetched.rows]
    too_small_judges: set[object] = set()
    judges = _judge_rules_apply(request)
    if judges and "judge" in request.by:
        totals: dict[object, int] = {}
        for row in rows:
            totals[row["judge"]] = totals.get(row["judge"], 0) + int(row["n"])
        too_small_judges = {j for j, n in totals.items() if n < int(options["judge_min_decisions"])}
    small_named = sorted(
        name for name, n in (named_judges or {}).items() if n < int(options["judge_min_decisions"])
    )
    has_year = any(name in TIME_DIMENSIONS for name in request.by)
    kept, hidden = [], []
    for values, row in zip(fetched.rows, rows, strict=True):
        found = _suppression_reason(row, request, too_small_judges, has_year, judges)
        if small_named and found is None:
            reason = (
                f"judge {', '.join(small_named)} has fewer than {options['judge_min_decisions']} decisions "
                "in the window"
            )
            found = (reason, "judge_min_decisions")
        if found:
            reason, option = found
            cell = {name: row[name] for name in request.by}
            hidden.append({**cell, "n": row["n"], "reason": reason, "option": option})
        else:
            kept.append(values)
    if not hidden:
        return fetched, []
    return dataclasses.replace(fetched, rows=kept, arrow=None), hidden


def _suppression_reason(
    row: dict, request: Request, small_judges: set[object], has_year: bool, judges: bool
) -> tuple[str, str] | None:
    """(why the cell is hidden, the option whose lower value would show it), or None to show it."""
    options = request.options
    if judges:
        if "judge" in request.by and row["judge"] in small_judges:
            reason = f"judge has fewer than {options['judge_min_decisions']} decisions in the window"
            return reason, "judge_min_decisions"
        if has_year and int(row["n"]) < int(options["judge_year_min"]):
            return f"judge-year has fewer than {options['judge_year_min']} decisions", "judge_year_min"
    if int(row["n"]) < int(options["min_n"]):
        return f"fewer than min_n={options['min_n']} records", "min_n"
    return None


# -- opening a store -----------------------------------------------------------------------------------


def open_store(
    store: str | Path,
    *,
    release: str | None = None,
    limits: ServeLimits | None = None,
    engine: str | None = None,
    spark: Any = None,
) -> Store:
    """Open one release of `store` (the newest by release date when `release` is None); `limits` confines
    it for serving untrusted requests (see ServeLimits); `engine` and `spark` pick the SQL engine (see
    Store)."""
    root = Path(store)
    engine = check_engine(engine)
    opened = {"limits": limits, "engine": engine, "spark": spark}
    if (root / "_release.json").exists() and root.name.startswith("release="):
        return Store(_release_info(root, quarantine=False), **opened)
    if not root.is_dir():
        raise StatsError(f"store {root} does not exist; run `immcourt ingest` first or pass --store")
    candidates = sorted(path for path in root.glob("release=*") if path.is_dir())
    if not candidates:
        raise StatsError(
            f"store {root} holds no release (no release=<id> folder); run `immcourt ingest` first"
        )
    if release is not None:
        try:
            chosen = release_dir(root, release)
        except StoreError as error:
            raise StatsError(str(error)) from None
        if not chosen.is_dir():
            ids = ", ".join(path.name.removeprefix("release=") for path in candidates)
            raise StatsError(f"release {release!r} is not in store {root}; releases: {ids}")
        return Store(_release_info(chosen, quarantine=False), **opened)
    infos = [_release_info(path, quarantine=False) for path in candidates]
    newest = max(infos, key=lambda info: (info.release_date or date.min, info.ingested_at or "", info.id))
    return Store(newest, **opened)


def build_model(store: str | Path, *, release: str | None = None) -> None:
    """Build and persist the default model of a release (model.build.materialize) and the counts every
    statistic reports (Store.warm), as `immcourt ingest`, `update` and `demo` do after loading a release,
    so no later process pays for either. Raises ModelError as materialize does."""
    materialize(store, release=release)
    db = open_store(store, release=release)
    try:
        db.warm()
    finally:
        db.close()


def _release_info(path: Path, *, quarantine: bool = True) -> ReleaseInfo:
    """A release folder's ReleaseInfo; `quarantine` False leaves `quarantined` None (Store counts them)."""
    meta: dict[str, Any] = {}
    meta_path = path / "_release.json"
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            raise StatsError(f"{meta_path} is not valid JSON; re-run `immcourt ingest`") from None
    release_id = str(meta.get("id") or path.name.removeprefix("release="))
    return ReleaseInfo(
        id=release_id,
        is_sample=bool(meta.get("is_sample", release_id.startswith("sample-"))),
        ingested_at=meta.get("ingested_at"),
        source=str(meta.get("source")) if meta.get("source") is not None else None,
        path=path,
        quarantined=_quarantine_counts(path) if quarantine else None,
        raw=meta,
    )


def _quarantine_counts(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> dict[str, int]:
    """Rows quarantined per table in `path`/_quarantine.parquet, read on `con` (else on a connection of
    its own, closed after)."""
    quarantine = path / "_quarantine.parquet"
    if not quarantine.exists():
        return {}
    own = con is None
    reader = duckdb.connect(":memory:") if con is None else con
    try:
        rows = reader.execute(
            'SELECT CAST("table" AS VARCHAR), count(*) FROM read_parquet(?) GROUP BY 1 ORDER BY 1',
            [str(quarantine)],
        ).fetchall()
    except duckdb.Error:
        return {}
    finally:
        if own:
            reader.close()
    return {str(table): int(n) for table, n in rows}
