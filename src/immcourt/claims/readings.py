"""Readings: one concrete question to the API (metric × filters × period × options), run and matched.

Every statistic, its unit and whether it is a share come from the metric catalog (``Store.metrics()`` or
``immcourt.metrics.catalog.METRICS`` when no store is given); nothing here re-derives a statistic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from immcourt.claims.claim import Claim

MAX_READINGS = 8


def catalog(store: Any = None) -> dict[str, Any]:
    """Metric name → catalog Metric, from the store's public API (or the catalog module itself)."""
    metrics = getattr(store, "metrics", None)
    if callable(metrics):
        try:
            return {m.name: m for m in metrics()}
        except Exception:  # noqa: BLE001 - a fake store without a catalog falls back to the module
            pass
    from immcourt.metrics.catalog import METRICS

    return {m.name: m for m in METRICS}


def dimension_kind(name: str) -> str | None:
    """The catalog's kind of a dimension (label, integer, boolean, time); None if the catalog has none."""
    from immcourt.metrics.catalog import DIMENSIONS_BY_NAME

    found = DIMENSIONS_BY_NAME.get(name)
    return found.kind if found is not None else None


def is_share_metric(metric: str, metrics: dict[str, Any] | None = None) -> bool:
    """Whether the catalog declares ``metric`` a share (kind ``share``)."""
    found = (metrics or catalog()).get(metric)
    return bool(found is not None and found.kind == "share")


@dataclass
class Period:
    """The API's period arguments for one reading, with a label a reader understands."""

    label: str
    fiscal_years: tuple[int, int] | None = None
    date_from: date | None = None
    date_to: date | None = None
    administration: str | None = None
    at: date | None = None
    natural: bool = True

    def api_kwargs(self) -> dict[str, Any]:
        names = ("fiscal_years", "date_from", "date_to", "administration", "at")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def last_day(self) -> date | None:
        """The last day the period covers (None: open-ended or the whole release)."""
        if self.at is not None:
            return self.at
        if self.fiscal_years:
            return date(self.fiscal_years[1], 9, 30)
        if self.date_to is not None:
            return self.date_to
        if self.administration:
            from immcourt.claims.times import administrations

            found = next((a for a in administrations() if a.name == self.administration), None)
            return found.last_day if found is not None else None
        return None

    def canonical(self) -> str:
        """A short stable form for tests and the scorer: FY2019, FY2019-FY2021, a..b, admin:X, at:d, all."""
        if self.fiscal_years:
            a, b = self.fiscal_years
            return f"FY{a}" if a == b else f"FY{a}-FY{b}"
        if self.administration:
            return f"admin:{self.administration}"
        if self.at is not None:
            return f"at:{self.at.isoformat()}"
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else ""
            end = self.date_to.isoformat() if self.date_to else ""
            return f"{start}..{end}"
        if "pending" in self.label:
            return "at:release"
        return "all"


@dataclass
class Reading:
    """One concrete question for the API and, once run, its answer.

    ``where`` holds every filter the sentence's qualifiers asked for; ``take`` says which column of the
    answer is the value ("value", or "numerator" for the count of a share's numerator). A change reading
    (``change`` set) is also run on ``base_period`` and compares the two.
    """

    metric: str
    label: str
    period: Period
    where: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    natural: bool = True
    per: float = 1.0  # days per unit the writer used ("4.3 years"), to compare a median in days
    complement: bool = False  # value is 1 - the metric's share (a denial rate from a grant rate)
    take: str = "value"
    share: bool = False  # the catalog declares the metric a share
    kind: str = ""  # the catalog's kind of the metric (count, share, median_days, pending)
    dimensions: tuple[str, ...] = ()  # the catalog's dimensions of the metric
    change: str | None = None
    base_period: Period | None = None
    base_where: dict[str, Any] | None = None  # the base's filters when it is another group (national)
    base_value: float | None = None
    end_value: float | None = None
    value: float | None = None
    n: int | None = None
    sql: str | None = None
    release: str | None = None
    error: str | None = None
    matches: bool | None = None
    alternative: bool = False  # read on another value the same words name (``Qualifier.alternatives``)
    # what the answering Result left out, by reason (``Result.exclusions``: quarantined rows, cases left out)
    exclusions: dict[str, int] = field(default_factory=dict)
    derivation: str | None = None

    @property
    def filters_text(self) -> str:
        shown = (
            " or ".join(map(str, v)) if isinstance(v, (tuple, list)) else str(v) for v in self.where.values()
        )
        return ", ".join(f"{k} = {v}" for k, v in zip(self.where, shown, strict=True)) or "no filter"

    def to_dict(self) -> dict[str, Any]:
        period = {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.period.api_kwargs().items()
        }
        return {
            "metric": self.metric,
            "label": self.label,
            "where": {k: list(v) if isinstance(v, tuple) else v for k, v in self.where.items()},
            "filters": self.filters_text,
            "period": self.period.label,
            "period_arguments": period,
            "options": self.options,
            "natural": self.natural and self.period.natural,
            "change": self.change,
            "base_period": self.base_period.label if self.base_period else None,
            "base_value": self.base_value,
            "end_value": self.end_value,
            "value": self.value,
            "n": self.n,
            "matches": self.matches,
            "sql": self.sql,
            "derivation": self.derivation,
            "release": self.release,
            "error": self.error,
            "exclusions": dict(self.exclusions),
        }

    @property
    def exclusions_text(self) -> str:
        """ "quarantined rows: 3; cases left out: 1" (reasons with a count); "" when nothing was left out."""
        return "; ".join(f"{reason}: {n:,}" for reason, n in self.exclusions.items() if n)


# --------------------------------------------------------------------------------------------- running


def _ask(
    store: Any, reading: Reading, period: Period, where: dict[str, Any] | None = None
) -> tuple[float | None, int | None, str | None, str | None]:
    """(value, n, sql, release) of one reading on one period, the value taken from the column it names."""
    result = store.stats(
        reading.metric,
        where=(reading.where if where is None else where) or None,
        options=reading.options or None,
        **period.api_kwargs(),
    )
    rows = result.to_dicts()
    release = getattr(result, "release", None)
    value: float | None
    n: int | None
    if not rows:
        value, n = (None, None) if reading.share and reading.take == "value" else (0.0, 0)
    else:
        row = rows[0]
        raw = row.get(reading.take)
        value = float(raw) if raw is not None else None
        if reading.share and reading.take == "value" and row.get("denominator"):
            value = float(row["numerator"]) / float(row["denominator"])
        n = row.get("n")
    if value is not None and reading.complement:
        value = 1.0 - value
    reading.exclusions = dict(getattr(result, "exclusions", None) or {})
    return value, n, getattr(result, "sql", None), getattr(release, "id", release)


def run_reading(store: Any, reading: Reading) -> Reading:
    """Ask the API; a reading the API refuses records the error instead of stopping the whole check."""
    try:
        value, reading.n, reading.sql, reading.release = _ask(store, reading, reading.period)
        if reading.change and reading.base_period is not None:
            base, _, _, _ = _ask(store, reading, reading.base_period, reading.base_where)
            reading.base_value, reading.end_value = base, value
            value = change_value(reading.change, base, value)
            reading.derivation = (
                f"{reading.change} between {reading.base_period.label} and {reading.period.label}"
                + (" (base: the national figure)" if reading.base_where is not None else "")
            )
        reading.value = value
        if reading.value is None:
            reading.error = "no value: too few cases for this statistic (suppressed) or none at all"
    except Exception as error:  # noqa: BLE001 - any API refusal becomes part of the report, not a crash
        reading.error = f"{type(error).__name__}: {error}"
    return reading


def change_value(kind: str, base: float | None, end: float | None) -> float | None:
    """difference (end - base), ratio (end / base), points (100 × (end - base) of shares), percent change."""
    if base is None or end is None:
        return None
    if kind == "difference":
        return abs(end - base)
    if kind == "points":
        return abs(end - base) * 100.0
    if kind == "ratio":
        return end / base if base else None
    if kind == "percent_change":
        return abs(end / base - 1.0) * 100.0 if base else None
    return end


def run_readings(store: Any, readings: list[Reading], cache: dict[str, Any] | None = None) -> list[Reading]:
    """Run readings with as few API calls as possible (``cache`` carries answers across claims).

    Readings of one metric, period and options that differ only in `outcome` or `asylum_case` are answered
    from one query cut by those dimensions: a count is the sum of the chosen rows, a share the sum of their
    numerators over the sum of their denominators (exact over a partition). A share whose query hid a small
    cell is asked on its own, so a hidden cell never biases a sum.
    """
    cache = {} if cache is None else cache
    for reading in readings:
        dims = _batch_dims(reading)
        if dims:
            batch_key = _batch_key(reading, dims)
            if batch_key not in cache:
                cache[batch_key] = _run_batch(store, reading, dims)
            batch = cache[batch_key]
            if not (batch.suppressed and reading.share):
                _fill_from_batch(reading, batch, dims)
                continue
        key = repr(
            (
                reading.metric,
                sorted(reading.where.items(), key=str),
                sorted(reading.options.items()),
                reading.take,
                reading.complement,
                reading.change,
                sorted(reading.period.api_kwargs().items()),
                sorted(reading.base_period.api_kwargs().items()) if reading.base_period else None,
                sorted(reading.base_where.items(), key=str) if reading.base_where is not None else None,
            )
        )
        if key not in cache:
            cache[key] = run_reading(store, _copy(reading))
        done = cache[key]
        for name in (
            "value",
            "n",
            "sql",
            "release",
            "error",
            "base_value",
            "end_value",
            "derivation",
            "exclusions",
        ):
            setattr(reading, name, getattr(done, name))
    return readings


_BATCHED = ("outcome", "asylum_case")


def _batch_dims(reading: Reading) -> tuple[str, ...]:
    """The dimensions a reading can be answered by cutting on (none for medians and changes)."""
    if reading.change or reading.kind not in ("count", "pending", "share"):
        return ()
    # only a dimension the reading filters on: an all-cases figure is never a sum over a cut (a cut need
    # not partition the cases; `immcourt stats` asks without one, and the checker's number must equal it)
    dims = tuple(d for d in _BATCHED if d in reading.dimensions and d in reading.where)
    if reading.kind == "share":
        dims = tuple(d for d in dims if d == "asylum_case")
    return dims


def _batch_key(reading: Reading, dims: tuple[str, ...]) -> str:
    others = sorted(((k, v) for k, v in reading.where.items() if k not in dims), key=str)
    return repr(
        (
            "batch",
            reading.metric,
            dims,
            others,
            sorted(reading.options.items()),
            sorted(reading.period.api_kwargs().items()),
        )
    )


@dataclass
class _Batch:
    rows: list[dict[str, Any]] | None = None
    sql: str | None = None
    release: str | None = None
    error: str | None = None
    suppressed: bool = False
    exclusions: dict[str, int] = field(default_factory=dict)


def _run_batch(store: Any, reading: Reading, dims: tuple[str, ...]) -> _Batch:
    try:
        result = store.stats(
            reading.metric,
            by=dims,
            where={k: v for k, v in reading.where.items() if k not in dims} or None,
            options=reading.options or None,
            **reading.period.api_kwargs(),
        )
        release = getattr(result, "release", None)
        return _Batch(
            rows=result.to_dicts(),
            sql=getattr(result, "sql", None),
            release=getattr(release, "id", release),
            suppressed=bool(getattr(result, "suppressed", None)),
            exclusions=dict(getattr(result, "exclusions", None) or {}),
        )
    except Exception as error:  # noqa: BLE001 - any API refusal becomes part of the report, not a crash
        return _Batch(error=f"{type(error).__name__}: {error}")


def _wanted(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _fill_from_batch(reading: Reading, batch: _Batch, dims: tuple[str, ...]) -> None:
    reading.sql, reading.release, reading.error = batch.sql, batch.release, batch.error
    reading.exclusions = dict(batch.exclusions)
    if batch.rows is None:
        return
    rows = batch.rows
    picked = []
    for dim in dims:
        if dim in reading.where:
            wanted = _wanted(reading.where[dim])
            rows = [row for row in rows if row.get(dim) in wanted]
            picked.append(f"{dim} in {wanted}")
    reading.derivation = "sum of the rows of this query with " + (" and ".join(picked) or "any value")
    reading.n = sum(int(row.get("n") or 0) for row in rows)
    if reading.share:
        numerator = sum(float(row.get("numerator") or 0) for row in rows)
        denominator = sum(float(row.get("denominator") or 0) for row in rows)
        reading.value = numerator / denominator if denominator else None
        if reading.value is not None and reading.complement:
            reading.value = 1.0 - reading.value
    elif reading.take == "numerator":
        reading.value = float(sum(float(row.get("numerator") or 0) for row in rows))
    else:
        reading.value = float(sum(float(row.get("value") or 0) for row in rows))
    if reading.value is None:
        reading.error = "no value: no cases in this population and period"


def _copy(reading: Reading) -> Reading:
    return Reading(**{k: getattr(reading, k) for k in reading.__dataclass_fields__})


# --------------------------------------------------------------------------------------------- matching


# The largest relative error an unhedged round figure may carry and still be "supported" (decided 2026-12-01).
ROUND_FIGURE_CAP = 0.10
# "about half", "roughly a third": a hedged fraction word stands for this share of itself either way.
HEDGED_FRACTION = 0.10


def tolerance(claim: Claim) -> float:
    """Half a unit of the last significant digit the writer used ("3.5 million" → 50,000; "77%" → 0.5 pt)."""
    if claim.unit == "share":
        return 0.025  # "one in four" stands for roughly 22–28 percent
    if claim.unit == "percent":
        return 0.5 * 10 ** (-claim.decimals)
    if claim.unit == "ratio":
        return 0.05 * claim.value
    digits = re.sub(r"[^\d.]", "", claim.text.split("-")[0].split("–")[0]) or "0"
    try:
        scale = claim.value / float(digits) if float(digits) else 1.0
    except ValueError:
        return max(0.5, claim.value * 0.005)
    if "." in digits:
        step = 10 ** (-len(digits.split(".")[1])) * scale
    else:
        stripped = digits.rstrip("0")
        step = 10 ** (len(digits) - len(stripped)) * scale if stripped else 1.0
        if step <= 1:  # an exact-looking count ("18,119"): allow 0.5% for revisions between releases
            return max(0.5, claim.value * 0.005)
    if claim.hedge == "exact":
        # an unhedged round figure ("3,000") stands for its last significant digit, but never for a value more
        # than ROUND_FIGURE_CAP off: "3,000" covers 2,700-3,300, not 2,500-3,499 (tester-5 F39; METHODOLOGY)
        return min(step / 2, ROUND_FIGURE_CAP * claim.value)
    return step / 2


def claimed_in_metric_units(claim: Claim, share: bool) -> tuple[float, float | None]:
    """The claimed value (and upper bound) on the metric's scale: shares as fractions."""
    # the ends of a from/to pair are levels (a change of its own is only a difference, ratio, ...)
    if share and claim.unit in ("percent", "share") and claim.change in (None, "from_to"):
        factor = 0.01 if claim.unit == "percent" else 1.0
        return claim.value * factor, (claim.upper * factor if claim.upper is not None else None)
    return claim.value, claim.upper


def value_matches(
    claim: Claim, metric: str, computed: float | None, *, share: bool | None = None
) -> bool | None:
    """Whether a computed value bears the claim out, given its rounding and its hedge."""
    if computed is None or (isinstance(computed, float) and math.isnan(computed)):
        return None
    share = is_share_metric(metric) if share is None else share
    claimed, upper = claimed_in_metric_units(claim, share)
    level = claim.change in (None, "from_to")
    tol = tolerance(claim) * (0.01 if share and claim.unit == "percent" and level else 1.0)
    if upper is not None:
        return claimed - tol <= computed <= upper + tol
    hedge = claim.hedge
    # A bound ("more than 350,000") is a threshold, not a rounded value: allow only data revisions (0.5%).
    slack = min(tol, 0.005 * claimed)
    if hedge == "more_than":
        return computed > claimed - slack
    if hedge == "at_least":
        return computed >= claimed - slack
    if hedge == "fewer_than":
        return computed < claimed + slack
    if hedge == "at_most":
        return computed <= claimed + slack
    if hedge == "nearly":
        return 0.9 * claimed < computed <= claimed + slack
    if hedge == "about":
        # "about half": a fraction word is coarse already; 10% of it either way (45-55%), as "roughly 4,000"
        relative = HEDGED_FRACTION if claim.unit == "share" else 0.05
        return abs(computed - claimed) <= max(tol, relative * claimed)
    return abs(computed - claimed) <= tol
