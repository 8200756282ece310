"""The one code path that computes what the dashboard shows: pages, downloads and `/api/` use `Dashboard`.

`Dashboard` opens the store read-only once, answers `ViewQuery`s through `Store.stats` and keeps the answers
in an LRU cache keyed by the canonical query string (the store is immutable while it is served, so a cached
answer never goes stale). One lock serialises calls into the store because a DuckDB connection must not be
used by two threads at once; the cache is checked again under the lock so twenty clients asking the same
question compute it once.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from immcourt.limits import (
    CHECK_SECONDS,
    MAX_CHECK_CHARS,
    MAX_CONCURRENT_CHECKS,
    ServeLimits,
    extract_limit,
)
from immcourt.metrics.display import options_plain
from immcourt.metrics.periods import PARTIAL_DIMENSIONS, is_partial, partial_end, partial_start
from immcourt.sqlsafe import DEADLINE, QueryTimeout
from immcourt.web import guard
from immcourt.web.query import ViewError, ViewQuery, option_defaults, option_text, parse_view

log = logging.getLogger(__name__)


class ServiceUnavailable(RuntimeError):
    """The server cannot answer now (a query or claim check ran past its time limit, or too many claim
    checks are running); HTTP 503 with the message."""


SAMPLE_NOTICE = "SAMPLE DATA: synthetic cases made by `immcourt sample`; not real EOIR records"
TIME_DIMENSIONS = ("fiscal_year", "calendar_year", "month")
PARTIAL_COLUMN = "partial_period"
# Options that set a minimum-n threshold (metrics/options.py), in the order a reader would try them.
MIN_N_OPTIONS = ("min_n", "judge_min_decisions", "judge_year_min")


@dataclass(frozen=True)
class ReleaseStamp:
    """What every chart, table and download says about where its numbers come from."""

    release_id: str
    is_sample: bool
    ingested_at: str
    records_through: str | None = None  # ISO date, metrics/periods.py
    records_from: str | None = None  # ISO date: the earliest case start (metrics/periods.py)

    @property
    def label(self) -> str:
        sample = " (SAMPLE: synthetic data)" if self.is_sample else ""
        return f"EOIR release {self.release_id}{sample}"

    @property
    def through_text(self) -> str:
        """`records through 2026-10-31` (or that the release has no date)."""
        return f"records through {self.records_through or 'an unknown date'}"

    @property
    def from_text(self) -> str:
        """`records from 1999-10-07` ("" when the release has no dated case)."""
        return f"records from {self.records_from}" if self.records_from else ""


@dataclass
class ViewResult:
    """A computed view: the table plus everything needed to label, chart and download it."""

    query: ViewQuery
    metric: Any
    table: pa.Table
    value_column: str | None
    sql: str
    stamp: ReleaseStamp
    options: dict[str, Any]
    exclusions: Any
    suppressed: Any
    convention: str | None = None
    # Result.metadata(): the one serialiser of a statistic's provenance (same keys as the CLI's JSON).
    metadata: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def columns(self) -> list[str]:
        return list(self.table.column_names)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Rows as JSON-safe dicts (dates as ISO text, decimals as floats, NaN as null)."""
        if "rows" not in self._cache:
            self._cache["rows"] = [
                {key: json_safe(value) for key, value in row.items()} for row in self.table.to_pylist()
            ]
        return self._cache["rows"]

    @property
    def own_options(self) -> dict[str, Any]:
        """The options that apply to this metric (the metrics layer resolves every option)."""
        names = option_defaults(self.metric)
        return {name: value for name, value in self.options.items() if name in names} or self.options

    @property
    def options_text(self) -> str:
        """The metric's options with the values used, for stamps (downloads' metadata carry all of them)."""
        return (
            ", ".join(f"{name}={option_text(value)}" for name, value in sorted(self.own_options.items()))
            or "none"
        )

    @property
    def options_plain(self) -> str:
        """The metric's options as one plain-English line (metrics/display.py), for pages and charts."""
        return options_plain(self.own_options)

    @property
    def all_options_text(self) -> str:
        return (
            ", ".join(f"{name}={option_text(value)}" for name, value in sorted(self.options.items()))
            or "none"
        )

    @property
    def filters_text(self) -> str:
        """The filters in words, for chart subtitles and download headers."""
        parts = [f"{name}={value}" for name, value in self.query.where]
        query = self.query
        if query.fy_from or query.fy_to:
            parts.append(f"FY {query.fy_from or '…'}–{query.fy_to or '…'}")
        if query.date_from or query.date_to:
            parts.append(f"dates {query.date_from or '…'} to {query.date_to or '…'}")
        if query.administration:
            parts.append(f"administration={query.administration}")
        if query.at:
            parts.append(f"at {query.at}")
        return "; ".join(parts) or "all cases"

    @property
    def suppressed_summary(self) -> list[tuple[str, int]]:
        """Withheld cells counted by reason (the metrics layer lists each hidden cell with its reason)."""
        counts: dict[str, int] = {}
        for cell in self.suppressed or []:
            reason = cell.get("reason", "below the minimum n") if isinstance(cell, Mapping) else cell
            reason = str(reason)
            counts[reason] = counts.get(reason, 0) + 1
        return sorted(counts.items(), key=lambda item: -item[1])

    @property
    def hidden_hint(self) -> str:
        """When minimum-n rules hid every cell: how many decisions there are and which option lowers the
        threshold (empty when something is shown or nothing was hidden)."""
        if not self.suppressed or any(
            self.value_column and row.get(self.value_column) is not None for row in self.rows
        ):
            return ""
        total = sum(int(cell.get("n") or 0) for cell in self.suppressed if isinstance(cell, Mapping))
        reasons = " ".join(
            str(cell.get("reason", "")) for cell in self.suppressed if isinstance(cell, Mapping)
        )
        names = [name for name in MIN_N_OPTIONS if name in option_defaults(self.metric)]
        if "judge" not in reasons and "judge" not in self.query.by:
            names = [name for name in names if not name.startswith("judge")]
        defaults = option_defaults(self.metric)
        options = " or ".join(
            f"opt.{name} (now {option_text(self.options.get(name, defaults[name]))})" for name in names
        )
        cells = len(self.suppressed)
        plural = "s" if cells != 1 else ""
        text = f"Every cell is below the minimum n: {total:,} records in {cells:,} hidden cell{plural}."
        return text + (f" Lowering {options} shows them." if options else "")

    def stamp_lines(self) -> list[str]:
        """The provenance lines written into every download and chart."""
        lines = [
            f"immcourt {self.metric.name}: {self.metric.description}",
            f"source: {self.stamp.label}; "
            + (f"{self.stamp.from_text}; " if self.stamp.from_text else "")
            + f"{self.stamp.through_text}; ingested {self.stamp.ingested_at}",
            f"filters: {self.filters_text}; grouped by: {', '.join(self.query.by) or 'nothing'}",
            f"options: {self.options_text}",
            f"query: {self.query.canonical}",
        ]
        if self.convention:
            lines.insert(3, f"convention: {self.convention}")
        if self.exclusions:
            lines.append(f"excluded records: {json.dumps(json_safe(self.exclusions), sort_keys=True)}")
        if self.suppressed:
            lines.append(
                f"suppressed (below minimum n): {json.dumps(json_safe(self.suppressed), sort_keys=True)}"
            )
        if self.stamp.is_sample:
            lines.insert(0, SAMPLE_NOTICE)
        return lines

    @property
    def time_dimension(self) -> str | None:
        """The first grouping that is a period whose completeness can be judged (x axis of time charts)."""
        return next((dim for dim in self.query.by if dim in PARTIAL_DIMENSIONS), None)

    @property
    def partial_periods(self) -> list[str]:
        """Values of the time grouping that the release covers only in part (metrics/periods.py)."""

        def build() -> list[str]:
            start = self.partial_at_start
            return start + [value for value in self.partial_at_end if value not in start]

        return self.memo("partial_periods", build)

    @property
    def partial_at_start(self) -> list[str]:
        """Periods that begin before the records-from day (the data starts inside them)."""
        return self._partial_beside("partial_at_start", self.stamp.records_from, partial_start)

    @property
    def partial_at_end(self) -> list[str]:
        """Periods that end after the records-through day (the extract stops inside them)."""
        return self._partial_beside("partial_at_end", self.stamp.records_through, partial_end)

    def _partial_beside(
        self, key: str, day: str | None, rule: Callable[[str, Any, dt.date | None], bool]
    ) -> list[str]:
        """Periods `rule` (metrics/periods.py) finds partial against the ISO day `day`; memoised as `key`."""
        bound = dt.date.fromisoformat(day) if day else None
        return self.memo(key, lambda: self._partial(lambda dim, value: rule(dim, value, bound)))

    def _partial(self, test: Callable[[str, Any], bool]) -> list[str]:
        dim = self.time_dimension
        if dim is None:
            return []
        values = dict.fromkeys(row.get(dim) for row in self.rows)  # each period once, in row order
        return list(dict.fromkeys(str(value) for value in values if test(dim, value)))

    def is_partial_row(self, row: Mapping[str, Any]) -> bool:
        """Whether a row of this view belongs to a partial period (False when not grouped by a period)."""
        dim = self.time_dimension
        return dim is not None and str(row.get(dim)) in set(self.partial_periods)

    @property
    def download_table(self) -> pa.Table:
        """The table the downloads carry: the view's, plus `partial_period` when grouped by a period."""
        through, start = self.stamp.records_through, self.stamp.records_from
        day = dt.date.fromisoformat(through) if through else None
        first = dt.date.fromisoformat(start) if start else None
        return with_partial_column(self.table, self.query.by, day, first)

    def has(self, key: str) -> bool:
        return key in self._cache

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Cache something derived from this result (chart spec, rendered image) with the result itself."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]


class Dashboard:
    """The store opened read-only, its metric catalog, and a cache of computed views."""

    def __init__(
        self,
        store_dir: str | Path,
        *,
        release: str | None = None,
        cache_size: int = 512,
        limits: ServeLimits | None = None,
        check_seconds: float = CHECK_SECONDS,
    ) -> None:
        import immcourt

        self.store_dir = Path(store_dir)
        # Confined: reads only the release's files, never writes the store, bounded models and queries.
        self.limits = limits or ServeLimits()
        self.store = immcourt.open(self.store_dir, release=release, limits=self.limits)
        self.check_seconds = check_seconds
        # None: the limit grows with the text (limits.extract_limit); tests set a fixed number of seconds.
        self.extract_seconds: float | None = None
        self._check_slots = threading.BoundedSemaphore(MAX_CONCURRENT_CHECKS)
        self._check_pool = ThreadPoolExecutor(MAX_CONCURRENT_CHECKS, thread_name_prefix="immcourt-check")
        self.metrics: dict[str, Any] = {metric.name: metric for metric in self.store.metrics()}
        self.stamp = _release_stamp(self.store)
        self.last_fiscal_year = _fiscal_year_of_release(self.stamp.release_id)
        self.records_through = getattr(self.store.release, "records_through", None)
        self._cache: OrderedDict[str, Any] = OrderedDict()  # ViewResults and derived values
        self._cache_size = cache_size
        self._static: dict[str, Any] = {}
        self._store_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        # The store's queue (_store_turn): requests needing a model not built yet that wait for the store,
        # and the model option sets built here (the default one is built by ingest and warmed).
        self._queue_lock = threading.Lock()
        self._builds_waiting = 0
        # (at most limits.max_models, as the store keeps: an older one may have been dropped and rebuilt)
        self._models_built: OrderedDict[str, None] = OrderedDict()

    def interrupt(self) -> None:
        """Stop the query running on the store now and take no new claim checks (the server is stopping)."""
        self._check_pool.shutdown(wait=False, cancel_futures=True)
        interrupt = getattr(self.store, "interrupt", None)
        if interrupt is not None:
            interrupt()

    def close(self) -> None:
        """Let running claim checks finish and take no new ones (a newer Dashboard replaced this one)."""
        self._check_pool.shutdown(wait=False)

    @contextmanager
    def _store_turn(self, *, model: str | None = None) -> Iterator[None]:
        """Wait for the store (one query at a time), bounded: the wait counts in the request's time limit
        (limits.query_seconds, from now: sqlsafe.DEADLINE makes the statement's own timer stop at it), and
        at most limits.max_queued_builds requests needing a model not built yet (`model`: its `cases` table
        name) wait at once; one more is a ServiceUnavailable (503 with Retry-After) at once."""
        seconds = self.limits.query_seconds
        started = time.monotonic()
        building = model is not None and model not in self._models_built
        if building:
            with self._queue_lock:
                if self._builds_waiting >= self.limits.max_queued_builds:
                    raise ServiceUnavailable(
                        f"{self._builds_waiting} queries needing a model for other options are already "
                        f"waiting for the server (its limit is {self.limits.max_queued_builds}); retry in a "
                        "minute, or use the default options"
                    )
                self._builds_waiting += 1
        try:
            acquired = self._store_lock.acquire(timeout=seconds if seconds else -1)
        finally:
            if building:
                with self._queue_lock:
                    self._builds_waiting -= 1
        if not acquired:
            raise ServiceUnavailable(
                f"the server was busy with other queries for the whole {seconds:g} s limit of this one; "
                "retry later"
            )
        token = DEADLINE.set(started + seconds if seconds else None)
        try:
            yield
            if model is not None:
                with self._queue_lock:
                    self._models_built[model] = None
                    self._models_built.move_to_end(model)
                    while len(self._models_built) > max(self.limits.max_models, 1):
                        self._models_built.popitem(last=False)
        finally:
            DEADLINE.reset(token)
            self._store_lock.release()

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Cache something that depends only on the (immutable) store, such as the catalog's JSON."""
        with self._cache_lock:
            if key in self._static:
                return self._static[key]
        value = build()
        with self._cache_lock:
            return self._static.setdefault(key, value)

    # --- views -------------------------------------------------------------------------------------------
    def parse(self, params: Iterable[tuple[str, str]], *, default_metric: str = "completions") -> ViewQuery:
        return parse_view(params, metrics=self.metrics, default_metric=default_metric)

    def compute(self, query: ViewQuery) -> ViewResult:
        """The numbers of one view, from the cache when this exact query was answered before."""
        key = query.canonical
        cached = self._cached(key)
        if cached is not None:
            return cached
        with self._store_turn(model=self._model_of(query)):
            cached = self._cached(key)
            if cached is not None:
                return cached
            result = self._run(query)
        with self._cache_lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def _model_of(self, query: ViewQuery) -> str | None:
        """The `cases` table a query's model options need, or None for the default model (always built)."""
        from immcourt.model.build import MODEL_OPTION_DEFAULTS, ModelError, cases_table_name

        metric = self.metrics[query.metric]
        try:
            options = (
                query.stats_kwargs(
                    option_defaults=option_defaults(metric), last_fiscal_year=self.last_fiscal_year
                ).get("options")
                or {}
            )
            chosen = {k: str(v) for k, v in options.items() if k in MODEL_OPTION_DEFAULTS}
            name = cases_table_name(chosen)
        except (ValueError, ModelError, ViewError):
            return None  # the query itself will say what is wrong
        return None if name == cases_table_name() else name

    def cached(self, query: ViewQuery) -> ViewResult | None:
        """The answer to `query` if it was computed before (cheap: no store access)."""
        return self._cached(query.canonical)

    def view(self, params: Iterable[tuple[str, str]], *, default_metric: str = "completions") -> ViewResult:
        return self.compute(self.parse(params, default_metric=default_metric))

    def _cached(self, key: str) -> ViewResult | None:
        with self._cache_lock:
            result = self._cache.get(key)
            if result is not None:
                self._cache.move_to_end(key)
            return result

    def _run(self, query: ViewQuery) -> ViewResult:
        metric = self.metrics[query.metric]
        try:
            kwargs = query.stats_kwargs(
                option_defaults=option_defaults(metric), last_fiscal_year=self.last_fiscal_year
            )
            res = self.store.stats(query.metric, **kwargs)
        except QueryTimeout as error:
            raise ServiceUnavailable(f"{query.metric}: {error}; try a narrower query") from None
        except duckdb.InterruptException:  # not the time limit: the server is stopping
            raise ServiceUnavailable(f"{query.metric}: the query was stopped (server stopping)") from None
        except duckdb.OutOfMemoryException:
            raise ServiceUnavailable(
                f"{query.metric}: the query needs more memory than the server's limit "
                f"({self.limits.memory_limit}); try a narrower query"
            ) from None
        except ValueError as error:
            # The metrics layer rejects combinations the URL parser cannot know about (e.g. `at` on a flow).
            raise ViewError(f"{query.metric}: {error}", status=422) from error
        table = res.to_arrow()
        return ViewResult(
            query=query,
            metric=metric,
            table=table,
            value_column=value_column(table, by=query.by, metric_name=query.metric),
            sql=str(getattr(res, "runnable_sql", None) or getattr(res, "sql", "")),
            stamp=self.stamp,
            options=dict(getattr(res, "options", None) or option_defaults(metric)),
            exclusions=getattr(res, "exclusions", None),
            suppressed=getattr(res, "suppressed", None),
            convention=getattr(res, "convention", None),
            metadata=json_safe(res.metadata()) if callable(getattr(res, "metadata", None)) else {},
        )

    def check_claims(self, text: str, *, as_of: dt.date | None = None) -> Any:
        """The claim checker on the served store (its CheckReport); the page and the API both call this.

        Bounded: a text over MAX_CHECK_CHARS is a ViewError (413); at most MAX_CONCURRENT_CHECKS run at
        once (one more waits for a slot up to `check_seconds`, then ServiceUnavailable); the text is first
        read in a child process killed after `extract_seconds` (web/guard.py: a regular expression cannot
        be interrupted in-process); the check then runs on its own worker thread and is abandoned after
        `check_seconds` (ServiceUnavailable), its remaining readings refused. The store lock is taken per
        query inside Store.stats, never for the whole check, so statistics keep flowing meanwhile.
        """
        try:
            from immcourt.claims import check_text
        except ImportError as error:  # claims is built separately; say so instead of failing obscurely
            raise ViewError(f"the claim checker is not available in this build ({error})") from error
        if len(text) > MAX_CHECK_CHARS:
            raise ViewError(
                f"text: {len(text):,} characters; the claim checker takes at most {MAX_CHECK_CHARS:,}",
                status=413,
            )
        if not self._check_slots.acquire(timeout=self.check_seconds):  # queued behind running checks
            raise ServiceUnavailable(
                f"{MAX_CONCURRENT_CHECKS} claim checks were running for {self.check_seconds:g} s; retry later"
            )
        try:
            seconds = self.extract_seconds if self.extract_seconds is not None else extract_limit(len(text))
            if guard.reads_in_time(text, seconds) is False:
                raise ServiceUnavailable(
                    f"reading the claims in this text took longer than {seconds:g} s and was "
                    "stopped; check a shorter text"
                )
            store = DeadlineStore(self.store, time.monotonic() + self.check_seconds)
            future = self._check_pool.submit(_checked, check_text, text, store, as_of)
        except BaseException:
            self._check_slots.release()
            raise
        future.add_done_callback(lambda _: self._check_slots.release())  # freed when it really ends
        try:
            report = future.result(timeout=self.check_seconds)
        except FutureTimeout:
            store.expired = True
            report = None
        if report is None or store.expired:
            raise ServiceUnavailable(
                f"the claim check took longer than {self.check_seconds:g} s and was stopped; "
                "check a shorter text"
            )
        return report

    # --- profiles (metrics/profiles.py: index tables, headlines, judge beside court and nation) ---------
    def stats(self, metric: str, **kwargs: Any) -> Any:
        """`Store.stats` with the server's errors: too slow is ServiceUnavailable, a value the metric or the
        release cannot take a ViewError (422) that keeps the metrics layer's error as its cause."""
        try:
            return self.store.stats(metric, **kwargs)
        except QueryTimeout as error:
            raise ServiceUnavailable(f"{metric}: {error}; try a narrower query") from None
        except duckdb.OutOfMemoryException:
            raise ServiceUnavailable(
                f"{metric}: the query needs more memory than the server's limit ({self.limits.memory_limit})"
            ) from None
        except ValueError as error:
            raise ViewError(f"{metric}: {error}", status=422) from error

    def derived(self, key: str, build: Callable[[], Any]) -> Any:
        """A value built from several statistics (an index table, a comparison), cached like a view."""
        cached = self._cached(key)
        if cached is not None:
            return cached
        with self._store_turn():
            cached = self._cached(key)
            if cached is not None:
                return cached
            value = build()
        with self._cache_lock:
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def profile_index(self, kind: str, query: ViewQuery) -> Any:
        """The index table of courts, nationalities or judges under the query's filters, years, options."""
        from immcourt.metrics.profiles import profile_index

        kwargs = self._profile_kwargs(query)
        return self.derived(
            f"index:{kind}:{query.canonical}", lambda: profile_index(self.stats, kind, **kwargs)
        )

    def judge_comparison(self, judge: str, query: ViewQuery) -> Any:
        """The judge's asylum grant rate beside the court's and the nation's over the judge's years."""
        from immcourt.metrics.profiles import judge_comparison

        options = self._profile_kwargs(query)["options"]
        return self.derived(
            f"compare:{judge}:{query.canonical}", lambda: judge_comparison(self.stats, judge, options=options)
        )

    def headlines(
        self, query: ViewQuery, *, fiscal_years: tuple[int, int] | None = None, judge: bool = False
    ) -> Any:
        """Headline numbers under the query's filters: the last complete fiscal year unless `fiscal_years`
        (metrics/periods.py decides which year is complete); pending on the records-through day."""
        from immcourt.metrics.periods import last_complete_fiscal_year
        from immcourt.metrics.profiles import headlines

        through = self.records_through
        kwargs = self._profile_kwargs(query)
        if fiscal_years is None:
            last = last_complete_fiscal_year(through) or self.last_fiscal_year
            if query.fy_to is not None:  # the page's own range ends earlier
                last = min(last, query.fy_to)
            fiscal_years = (last, last)
        return self.derived(
            f"headlines:{fiscal_years}:{judge}:{query.canonical}",
            lambda: headlines(
                self.stats,
                where=kwargs["where"],
                fiscal_years=fiscal_years,
                pending_on=through,
                options=kwargs["options"],
                judge=judge,
            ),
        )

    def _profile_kwargs(self, query: ViewQuery) -> dict[str, Any]:
        metric = self.metrics[query.metric]
        kwargs = query.stats_kwargs(
            option_defaults=option_defaults(metric), last_fiscal_year=self.last_fiscal_year
        )
        return {
            "where": kwargs.get("where", {}),
            "fiscal_years": kwargs.get("fiscal_years"),
            "options": kwargs.get("options"),
        }

    # --- catalog and release -----------------------------------------------------------------------------
    def dimension_values(self, dimension: str, *, metric: str = "completions", limit: int = 400) -> list[str]:
        """Values of a dimension, most frequent first, to fill a filter's choices."""
        if dimension not in self.metrics[metric].dimensions:
            return []
        result = self.compute(ViewQuery(metric=metric, by=(dimension,)))
        rows = [row for row in result.rows if row.get(dimension) not in (None, "")]
        if result.value_column:
            rows.sort(key=lambda row: -(row.get(result.value_column) or 0))
        return [str(row[dimension]) for row in rows[:limit]]

    def validation(self) -> dict[str, Any] | None:
        """The release against EOIR's published series (immcourt.validate), computed once; None when it
        cannot be computed (the reason is logged)."""

        def build() -> dict[str, Any] | None:
            from immcourt.validate import validate_store

            try:
                return json_safe(validate_store(self.store).to_dict())
            except Exception:  # the release page still shows everything else
                log.exception("comparison with EOIR's published series failed")
                return None

        return self.memo("validation", build)

    def release_info(self) -> dict[str, Any]:
        """The release's `_release.json` (reconciliation, quarantine counts, files, hashes)."""
        release = self.store.release
        info = getattr(release, "raw", None) or getattr(self.store, "release_info", None)
        if not isinstance(info, Mapping):
            path = self.store_dir / f"release={self.stamp.release_id}" / "_release.json"
            info = json.loads(path.read_text()) if path.exists() else {}
        info = {"id": self.stamp.release_id, "is_sample": self.stamp.is_sample, **dict(info)}
        if info.get("source"):  # the file it came from, not where it sat on the server's disk
            info["source"] = Path(str(info["source"])).name
        info["records_through"] = self.stamp.records_through
        quarantined = getattr(release, "quarantined", None)
        if quarantined is not None:
            info.setdefault("quarantine_counts", dict(quarantined))
        return info


class FollowStore:
    """The Dashboard of a store that may change while it is served: when a release is ingested (or
    re-ingested) under the running server, the next request opens the store again instead of failing.

    The store's signature is each `release=<id>/_release.json` with its modification time and size (ingest
    publishes a release by renaming a finished folder into place, so a half-written release is never
    seen); it is checked at most every `interval` seconds. If opening the new state fails, the old
    Dashboard keeps serving and the error is logged.
    """

    def __init__(self, make: Callable[[], Dashboard], store_dir: str | Path, *, interval: float = 1.0):
        self._make = make
        self._store_dir = Path(store_dir)
        self._interval = interval
        self._lock = threading.Lock()
        self._signature = self.signature()
        self._checked_at = time.monotonic()
        self.board = make()

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """(folder, mtime_ns, bytes) of every published release's `_release.json`, sorted."""
        entries = []
        for manifest in self._store_dir.glob("release=*/_release.json"):
            try:
                info = manifest.stat()
            except OSError:  # removed while listing
                continue
            entries.append((manifest.parent.name, info.st_mtime_ns, info.st_size))
        return tuple(sorted(entries))

    def current(self) -> Dashboard:
        """The Dashboard for the store as it is now (re-opened if its releases changed)."""
        if time.monotonic() - self._checked_at < self._interval:
            return self.board
        with self._lock:
            if time.monotonic() - self._checked_at < self._interval:
                return self.board
            self._checked_at = time.monotonic()
            signature = self.signature()
            if signature != self._signature:
                try:
                    board = self._make()
                except Exception:  # keep serving what we have; the next check tries again
                    log.exception("store %s changed but could not be opened again", self._store_dir)
                else:
                    log.warning(
                        "store %s changed: now serving release %s", self._store_dir, board.stamp.release_id
                    )
                    old, self.board, self._signature = self.board, board, signature
                    old.close()
            return self.board


def _checked(check_text: Callable[..., Any], text: str, store: Any, as_of: dt.date | None = None) -> Any:
    """Run one check (`as_of`: the article's date, or None); an error the checker raises becomes a 422
    naming it (logged with its traceback)."""
    try:
        return check_text(text, store=store, as_of=as_of)
    except (ViewError, ServiceUnavailable, QueryTimeout):
        raise
    except Exception as error:
        log.exception("claim check failed")
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ViewError(
            f"the claim checker could not read this text ({type(error).__name__}: {first[:200]})", status=422
        ) from None


class DeadlineStore:
    """A store whose `stats` refuses work (QueryTimeout) once `deadline` (time.monotonic()) has passed,
    so an abandoned claim check stops at its next reading; everything else is the wrapped store's."""

    def __init__(self, store: Any, deadline: float) -> None:
        self._store = store
        self._deadline = deadline
        self.expired = False

    def stats(self, *args: Any, **kwargs: Any) -> Any:
        if self.expired or time.monotonic() > self._deadline:
            self.expired = True
            raise QueryTimeout("the claim check ran out of time")
        return self._store.stats(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _release_stamp(store: Any) -> ReleaseStamp:
    release = store.release
    ingested = getattr(release, "ingested_at", None) or ""
    through = getattr(release, "records_through", None)
    first = store.records_from() if hasattr(store, "records_from") else None
    return ReleaseStamp(
        records_from=first.isoformat() if first else None,
        release_id=str(release.id),
        is_sample=bool(getattr(release, "is_sample", False)),
        ingested_at=str(ingested),
        records_through=through.isoformat() if through else None,
    )


def with_partial_column(
    table: pa.Table, by: Iterable[str], through: dt.date | None, start: dt.date | None = None
) -> pa.Table:
    """Add `partial_period` (bool) when the view is grouped by a period: true for a fiscal year, month,
    calendar year or administration the release covers only in part, at its end (`through`) or its start
    (`start`, the records-from day) (metrics/periods.py)."""
    dim = next((name for name in by if name in PARTIAL_DIMENSIONS), None)
    if dim is None or dim not in table.column_names or (through is None and start is None):
        return table
    flags = [is_partial(dim, value, through, start) for value in table.column(dim).to_pylist()]
    return table.append_column(PARTIAL_COLUMN, pa.array(flags, pa.bool_()))


def _fiscal_year_of_release(release_id: str) -> int:
    """The fiscal year the release date falls in: the open end of a `fy_from`-only range."""
    try:
        day = dt.date.fromisoformat(release_id.removeprefix("sample-")[:10])
    except ValueError:
        return dt.date.today().year + 1
    return day.year + 1 if day.month >= 10 else day.year


def value_column(table: pa.Table, *, by: Iterable[str], metric_name: str) -> str | None:
    """The column holding the statistic: `value` or the metric's name, else the first numeric non-key one."""
    keys = set(by)
    names = [name for name in table.column_names if name not in keys]
    for preferred in ("value", metric_name):
        if preferred in names:
            return preferred
    for name in names:
        kind = table.schema.field(name).type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            return name
    return None


def json_safe(value: Any) -> Any:
    """A value JSON can carry: ISO dates, floats for decimals, None for NaN, recursion into containers."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(item) for item in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if hasattr(value, "__dict__"):
        return {key: json_safe(item) for key, item in vars(value).items() if not key.startswith("_")}
    return str(value)
