"""Turn a request (metric, dimensions, filters, period, options) into one SQL statement.

Compiling needs no data: the SQL names the model relation built for the request's model options.
`compile_query` is what runs: every free-text value of the request (a filter such as `nationality=...`)
is a bound parameter (`$v1`, `$v2`...); the other values are checked first (years are integers, dates are
dates, months are YYYY-MM, administrations come from model/administrations.csv). `compile_sql` is the same
statement with the values written in as literals by sqlsafe.quote_literal, for people (`immcourt sql`,
`Result.sql`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import jinja2

from immcourt.metrics.catalog import DIMENSIONS_BY_NAME, METRICS_BY_NAME, TIME_DIMENSIONS, Dimension, Metric
from immcourt.metrics.integrity import (
    APPLICATION_DIMENSIONS,
    DEFECT_OPTION,
    application_guarded,
    defect_filters,
)
from immcourt.metrics.options import StatsError, model_options, resolve_options
from immcourt.model.build import cases_table_name, model_table_name, read_administrations
from immcourt.sqlsafe import UnsafeSqlText, literal_expression, quote_literal

SQL_DIR = Path(__file__).resolve().parent / "sql"
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class Request:
    """A fully validated request; build one with make_request."""

    metric: Metric
    by: tuple[str, ...]
    where: dict[str, tuple[object, ...]]
    date_from: date | None
    date_to: date | None
    fiscal_years: tuple[int, int] | None
    administration: str | None
    at: date | None
    options: dict[str, str | int] = field(default_factory=dict)
    # Per coded dimension, the labels (upper-cased) two or more codes share in the release: such a label
    # is shown with its code, `MIAMI (KRO)`, so groups are by code and never merged (Store.stats fills it).
    shared_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def cases_table(self) -> str:
        return cases_table_name(model_options(self.options))

    @property
    def table(self) -> str:
        """The model relation the metric reads (its `source`) for the request's model options."""
        return model_table_name(self.metric.source, model_options(self.options))

    @property
    def period(self) -> dict[str, object]:
        """The period as given (None where unset)."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "fiscal_years": self.fiscal_years,
            "administration": self.administration,
            "at": self.at,
        }


def get_metric(name: str) -> Metric:
    """The catalog entry for `name`, or a StatsError listing the valid names."""
    metric = METRICS_BY_NAME.get(str(name).strip())
    if metric is None:
        raise StatsError(f"unknown metric {name!r}; valid metrics: {', '.join(METRICS_BY_NAME)}")
    return metric


def make_request(
    metric: str | Metric,
    *,
    by: Iterable[str] = (),
    where: Mapping[str, object] | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    fiscal_years: Sequence[int] | int | None = None,
    administration: str | None = None,
    at: date | str | None = None,
    options: Mapping[str, object] | None = None,
) -> Request:
    """Validate every part of a request; errors name the bad value and list the valid ones."""
    chosen = metric if isinstance(metric, Metric) else get_metric(metric)
    dims = tuple(dict.fromkeys(_check_dimension(chosen, name) for name in by))
    if chosen.kind == "pending" and sum(name in TIME_DIMENSIONS for name in dims) > 1:
        raise StatsError("pending takes at most one time dimension (fiscal_year, calendar_year or month)")
    filters = {_check_dimension(chosen, name): _as_values(values) for name, values in (where or {}).items()}
    if chosen.kind == "pending" and any(name in TIME_DIMENSIONS for name in filters):
        raise StatsError("pending cannot be filtered on a time dimension; use at, fiscal_years or dates")
    if at is not None and chosen.kind != "pending":
        raise StatsError(
            f"at applies only to pending (a count on one day); {chosen.name} counts events over a period: "
            "use fiscal_years or date_from/date_to"
        )
    for name, values in filters.items():
        if not values or any(value is None or not str(value).strip() for value in values):
            raise StatsError(f"filter {name} has an empty value; give a value or leave the filter out")
    request = Request(
        metric=chosen,
        by=dims,
        where=filters,
        date_from=_as_date(date_from, "date_from"),
        date_to=_as_date(date_to, "date_to"),
        fiscal_years=_as_fiscal_years(fiscal_years),
        administration=_check_administration(administration),
        at=_as_date(at, "at"),
        options=resolve_options(options),
    )
    _check_applies(request)
    return request


def foreign_options(metric: Metric, given: Mapping[str, object] | None) -> list[str]:
    """The given option names `metric` does not read (the CLI and the web refuse them; the Python API, whose
    callers pass one option set to several metrics, notes them in Result.notes)."""
    own = {option.name for option in metric.options}
    return [name for name in (given or {}) if name not in own]


def _check_applies(request: Request) -> None:
    """Refuse what would be silently ignored: an inverted date range, and for pending (a count on one day)
    more than one way of naming that day."""
    metric = request.metric
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise StatsError(
            f"date_from={request.date_from} is after date_to={request.date_to}: the range ends before it "
            "starts"
        )
    if metric.kind != "pending":
        return
    series = any(name in TIME_DIMENSIONS for name in request.by)
    if series:
        if request.at is not None:
            raise StatsError(
                "at does not apply to pending by period (each period's count is taken at its end); name "
                "the periods with fiscal_years or date_from/date_to"
            )
        return
    given = [name for name in ("at", "date_to", "fiscal_years") if request.period[name] is not None]
    if len(given) > 1:
        raise StatsError(
            f"pending counts cases on one day, and {' and '.join(given)} each name it; give only one"
        )
    for name in ("date_from", "administration"):
        if request.period[name] is not None:
            raise StatsError(
                f"{name} does not apply to pending on one day; give at (or cut by fiscal_year or month for "
                "a series)"
            )


def _check_dimension(metric: Metric, name: str) -> str:
    name = str(name).strip()
    if name not in metric.dimensions:
        raise StatsError(
            f"dimension {name!r} is not available for metric {metric.name}; valid dimensions: "
            f"{', '.join(metric.dimensions)}"
        )
    return name


def _as_values(values: object) -> tuple[object, ...]:
    if isinstance(values, list | tuple | set | frozenset):
        return tuple(values)
    return (values,)


def _as_date(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise StatsError(f"{name}={value!r} is not a date; write it as YYYY-MM-DD") from None


def _as_fiscal_years(value: Sequence[int] | int | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        years = (int(value), int(value)) if isinstance(value, int | str) else tuple(int(v) for v in value)
    except ValueError:
        raise StatsError(f"fiscal_years={value!r} must be a year or a (first, last) pair of years") from None
    if len(years) != 2 or years[0] > years[1]:
        raise StatsError(f"fiscal_years={value!r} must be a (first, last) pair with first <= last")
    return (years[0], years[1])


def administration_names() -> list[str]:
    """Administrations in order, as named in model/administrations.csv."""
    return [row["administration"] for row in read_administrations()]


def _check_administration(value: str | None) -> str | None:
    if value is None:
        return None
    for name in administration_names():
        if name.casefold() == str(value).strip().casefold():
            return name
    raise StatsError(f"unknown administration {value!r}; valid: {', '.join(administration_names())}")


# -- SQL ---------------------------------------------------------------------------------------------


def quote(value: object) -> str:
    """A SQL string literal of a checked value or a constant (sqlsafe.quote_literal)."""
    return quote_literal(str(value))


class _Values:
    """Where a free-text request value goes: a named parameter (`$v1`) collected in `parameters`, or (for
    the display text) a literal quoted by sqlsafe."""

    def __init__(self, *, bind: bool) -> None:
        self.bind = bind
        self.parameters: dict[str, object] = {}

    def __call__(self, value: str) -> str:
        if not self.bind:
            try:
                return literal_expression(value)
            except UnsafeSqlText as error:  # a lone surrogate
                raise StatsError(str(error)) from None
        name = f"v{len(self.parameters) + 1}"
        self.parameters[name] = value
        return f"${name}"


def _dimension(name: str, options: Mapping[str, object]) -> Dimension:
    """The catalog dimension with the column its rule option picks (see Dimension.column_for).

    An application dimension (asylum_case, asylum_decision) of a case whose application rows are
    defective reads as unknown under defective_cases=exclude (metrics/integrity.py): the case stays in
    the count, in an `unknown` group, so the groups of every dimension add up to the plain total.
    """
    dimension = DIMENSIONS_BY_NAME[name]
    if name in APPLICATION_DIMENSIONS and options.get(DEFECT_OPTION, "exclude") == "exclude":
        return replace(dimension, column=application_guarded(dimension.column))
    if dimension.rule_option is None:
        return dimension
    return replace(dimension, column=dimension.column_for(options))


def _time_column(name: str, basis: str) -> str:
    return f"receipt_{name}" if basis == "receipt" else name


def dimension_expr(
    dimension: Dimension,
    basis: str,
    shared: Sequence[str] = (),
    bind: Callable[[str], str] | None = None,
) -> str:
    """SQL: the value a dimension shows (its label, else its code, else 'unknown').

    A label in `shared` (upper-cased labels two or more codes share) is shown as `LABEL (CODE)`; `bind`
    makes each such label a parameter (they come from the release)."""
    if dimension.kind == "time":
        return _time_column(dimension.column, basis)
    if dimension.code_column and dimension.name != "custody":
        plain = f"COALESCE({dimension.column}, {dimension.code_column}, 'unknown')"
        if not shared or bind is None:
            return plain
        labels = ", ".join(bind(label) for label in shared)
        column, code = dimension.column, dimension.code_column
        with_code = f"{column} || ' (' || {code} || ')'"
        return f"CASE WHEN UPPER({column}) IN ({labels}) THEN {with_code} ELSE {plain} END"
    if dimension.kind == "boolean":
        return dimension.column
    if dimension.kind == "flag":
        column = dimension.column
        return f"CASE WHEN {column} THEN 'yes' WHEN NOT {column} THEN 'no' ELSE 'unknown' END"
    return f"COALESCE({dimension.column}, 'unknown')"


def _filter_expr(dimension: Dimension, values: tuple[object, ...], basis: str, bind: _Values) -> str:
    if dimension.kind == "boolean" and dimension.name in APPLICATION_DIMENSIONS:
        return _flag_filter(dimension, values)  # yes / no / unknown (a defective application row)
    if dimension.kind == "boolean":
        flags = {_as_bool(dimension, value) for value in values}
        return f"{dimension.column} IN ({', '.join('TRUE' if f else 'FALSE' for f in sorted(flags))})"
    if dimension.kind == "flag":
        return _flag_filter(dimension, values)
    if dimension.name in ("fiscal_year", "calendar_year"):
        years = ", ".join(str(_as_int(dimension, value)) for value in values)
        return f"{_time_column(dimension.column, basis)} IN ({years})"
    if dimension.name == "administration":
        names = ", ".join(quote(_check_administration(str(value))) for value in values)
        return f"{_time_column(dimension.column, basis)} IN ({names})"
    if dimension.name == "month":
        months = ", ".join(quote(_as_month(value)) for value in values)
        return f"{_time_column(dimension.column, basis)} IN ({months})"
    # A label (as shown, 'unknown' included) or a code; codes of `code_labels` become their labels.
    code_labels = {code.upper(): label.upper() for code, label in dimension.code_labels}
    wanted = sorted({code_labels.get(str(v).strip().upper(), str(v).strip().upper()) for v in values})
    upper = ", ".join(bind(value) for value in wanted)
    shown = f"UPPER({dimension_expr(dimension, basis)}) IN ({upper})"
    if dimension.code_column:
        return f"({shown} OR UPPER({dimension.code_column}) IN ({upper}))"
    return shown


def _as_month(value: object) -> str:
    text = str(value).strip()
    year, dash, month = text.partition("-")
    if len(year) == 4 and year.isdigit() and dash and len(month) == 2 and month.isdigit():
        if 1 <= int(month) <= 12:
            return text
    raise StatsError(f"month={value!r} must be a month written YYYY-MM, e.g. 2024-09")


def _flag_filter(dimension: Dimension, values: tuple[object, ...]) -> str:
    """yes / no / unknown (true / false words accepted too) on a nullable BOOLEAN column."""
    parts = []
    for value in dict.fromkeys(str(v).strip().lower() for v in values):
        if value == "unknown":
            parts.append(f"{dimension.column} IS NULL")
        else:
            parts.append(f"{dimension.column} IS {'TRUE' if _as_bool(dimension, value) else 'FALSE'}")
    return "(" + " OR ".join(parts) + ")"


def _as_bool(dimension: Dimension, value: object) -> bool:
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    extra = " or unknown" if dimension.kind == "flag" or dimension.name in APPLICATION_DIMENSIONS else ""
    raise StatsError(f"{dimension.name}={value!r} must be yes or no{extra}")


def _as_int(dimension: Dimension, value: object) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise StatsError(f"{dimension.name}={value!r} must be a year such as 2024") from None


def _fiscal_year_sql(d: str) -> str:
    return f"CAST(YEAR({d}) + CASE WHEN MONTH({d}) >= 10 THEN 1 ELSE 0 END AS INTEGER)"


def _period_filters(
    request: Request, date_column: str, fiscal_year_column: str, admin_column: str
) -> list[str]:
    filters = []
    if request.date_from:
        filters.append(f"{date_column} >= DATE {quote(request.date_from.isoformat())}")
    if request.date_to:
        filters.append(f"{date_column} <= DATE {quote(request.date_to.isoformat())}")
    if request.fiscal_years:
        first, last = request.fiscal_years
        filters.append(f"{fiscal_year_column} BETWEEN {first} AND {last}")
    if request.administration and admin_column:
        filters.append(f"{admin_column} = {quote(request.administration)}")
    return filters


@functools.cache
def _template(source: str) -> jinja2.Template:
    """A catalog condition compiled once (conditions are constants of the catalog)."""
    return jinja2.Template(source)


@functools.cache
def _environment() -> jinja2.Environment:
    # One environment per process: it caches the parsed templates (parsing costs ~70 ms a request).
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(SQL_DIR), undefined=jinja2.StrictUndefined, trim_blocks=False
    )


def _render(template: str, **context: object) -> str:
    text = _environment().get_template(template).render(**context)
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


@dataclass(frozen=True)
class _Period:
    """A time dimension as consecutive integers, so a series can list every period in its range.

    fiscal_year and calendar_year are the year itself, month is year * 12 + month - 1, administration
    is its rank in administrations.csv.
    """

    name: str

    def index_of(self, d: str, basis: str = "completion") -> str:
        """SQL: the period index of date expression `d` (administration: of the relation's column)."""
        if self.name == "fiscal_year":
            return _fiscal_year_sql(d)
        if self.name == "calendar_year":
            return f"CAST(YEAR({d}) AS INTEGER)"
        if self.name == "month":
            return f"CAST(YEAR({d}) * 12 + MONTH({d}) - 1 AS INTEGER)"
        column = _time_column("administration", basis)
        ranks = " ".join(f"WHEN {quote(a)} THEN {i}" for i, a in enumerate(administration_names()))
        return f"CASE {column} {ranks} END"

    def label(self, index: str) -> str:
        """SQL: the value shown for period `index`."""
        if self.name in ("fiscal_year", "calendar_year"):
            return f"CAST({index} AS INTEGER)"
        if self.name == "month":
            return f"CAST({index} // 12 AS VARCHAR) || '-' || LPAD(CAST({index} % 12 + 1 AS VARCHAR), 2, '0')"
        names = " ".join(f"WHEN {i} THEN {quote(a)}" for i, a in enumerate(administration_names()))
        return f"CASE {index} {names} END"

    def of_date(self, day: date) -> int:
        """The index of the period holding `day` (not for administration)."""
        if self.name == "fiscal_year":
            return day.year + (1 if day.month >= 10 else 0)
        if self.name == "calendar_year":
            return day.year
        return day.year * 12 + day.month - 1

    def end_of(self, index: int) -> date:
        """Last day of period `index` (not for administration)."""
        if self.name == "fiscal_year":
            return date(index, 9, 30)
        if self.name == "calendar_year":
            return date(index, 12, 31)
        year, month = divmod(index + 1, 12)
        return date(year, month + 1, 1) - timedelta(days=1)

    def of_value(self, value: object) -> int:
        """The index of a filter value of this dimension."""
        if self.name in ("fiscal_year", "calendar_year"):
            return int(str(value).strip())
        if self.name == "month":
            text = _as_month(value)
            return int(text[:4]) * 12 + int(text[5:]) - 1
        return administration_names().index(_check_administration(str(value)) or "")


def compile_sql(request: Request, *, release_id: str = "?", default_at: date | None = None) -> str:
    """The SQL statement answering `request` (see the templates in metrics/sql/), values written in as
    quoted literals: the text people read and can run elsewhere. What immcourt runs is compile_query."""
    return _compile(request, release_id=release_id, default_at=default_at, bind=_Values(bind=False))


def compile_query(
    request: Request, *, release_id: str = "?", default_at: date | None = None
) -> tuple[str, dict[str, object]]:
    """The statement answering `request` with its free-text values as named parameters, and the values:
    run it as `con.execute(sql, parameters)`."""
    values = _Values(bind=True)
    sql = _compile(request, release_id=release_id, default_at=default_at, bind=values)
    return sql, values.parameters


def _compile(request: Request, *, release_id: str, default_at: date | None, bind: _Values) -> str:
    """The statement; see compile_sql.

    A request cut by a time dimension lists every period from the first to the last asked (or in the
    data) for every group: flows show 0 (shares and medians no value, n = 0) where nothing happened,
    pending carries its count.
    """
    metric = request.metric
    options_context = {"options": request.options}
    population = _template(metric.population).render(**options_context)
    numerator = _template(metric.numerator).render(**options_context) if metric.numerator else None
    filters = [
        _filter_expr(_dimension(name, request.options), values, metric.basis, bind)
        for name, values in request.where.items()
    ]
    filters += defect_filters(request)  # option defective_cases (metrics/integrity.py)
    time_dims = [name for name in request.by if name in TIME_DIMENSIONS]
    # The release id goes into a `--` comment: anything but [A-Za-z0-9_.?-] (a line break would end it)
    # is written as `_`.
    shown_id = re.sub(r"[^A-Za-z0-9_.?\-]", "_", str(release_id))
    common = {"metric": metric, "release_id": shown_id, "cases_table": request.table}
    if metric.kind == "pending" and time_dims:
        return _compile_pending_series(request, population, filters, time_dims[0], common, default_at, bind)
    if metric.kind == "pending":
        at = request.at or request.date_to or _fiscal_year_end(request) or default_at
        if at is None:
            raise StatsError("pending needs a date: give `at` (YYYY-MM-DD)")
        literal = f"DATE {quote(at.isoformat())}"
        filters += [f"period_from <= {literal}", f"(period_to IS NULL OR period_to > {literal})"]
    else:
        filters += _period_filters(
            request,
            _date_column(metric.basis),
            _time_column("fiscal_year", metric.basis),
            _time_column("administration", metric.basis),
        )
    dims = [
        {
            "name": name,
            "expr": dimension_expr(
                _dimension(name, request.options), metric.basis, request.shared_labels.get(name, ()), bind
            ),
            "order": _order_expr(name, metric.basis),
            # the series' time dimension (the first asked); a second one groups like any other
            "time": bool(time_dims) and name == time_dims[0],
        }
        for name in request.by
    ]
    grid = None
    if time_dims and metric.kind != "pending":
        period = _Period(time_dims[0])
        dims = [
            {**d, "expr": period.index_of(_date_column(metric.basis), metric.basis)} if d["time"] else d
            for d in dims
        ]
        lo, hi = _asked_range(request, period, stock=False)
        grid = {
            "name": period.name,
            "label": period.label("p.period"),
            "lo": "NULL" if lo is None else str(lo),
            "hi": "NULL" if hi is None else str(hi),
            "only": _grid_values(request, period),
        }
    return _render(
        "aggregate.sql",
        dims=dims,
        population=population,
        numerator=numerator,
        filters=filters,
        grid=grid,
        **common,
    )


def _date_column(basis: str) -> str:
    return {"receipt": "start_date", "decision": "decision_date"}.get(basis, "completion_date")


def _grid_values(request: Request, period: _Period) -> list[int] | None:
    # A filter on the series' own time dimension keeps only those periods.
    values = request.where.get(period.name)
    return sorted({period.of_value(value) for value in values}) if values else None


def _asked_range(request: Request, period: _Period, *, stock: bool) -> tuple[int | None, int | None]:
    """First and last period index the request asks for (None: from the data).

    Flows take the periods holding date_from / date_to; a stock (pending at each period's end) takes
    the periods whose end lies within [date_from, date_to].
    """
    if period.name == "administration":
        if request.administration is None:
            return None, None
        rank = administration_names().index(request.administration)
        return rank, rank
    firsts: list[date] = []
    lasts: list[date] = []
    if request.fiscal_years:
        firsts.append(date(request.fiscal_years[0] - 1, 10, 1))
        lasts.append(date(request.fiscal_years[1], 9, 30))
    if request.date_from:
        firsts.append(request.date_from)
    if request.date_to:
        lasts.append(request.date_to)
    lo = period.of_date(max(firsts)) if firsts else None
    hi = None
    if lasts:
        last = min(lasts)
        hi = period.of_date(last)
        if stock and period.end_of(hi) > last:
            hi -= 1  # that period ends after the last day asked: its end-of-period count is not asked
    return lo, hi


def _order_expr(name: str, basis: str) -> str:
    # Administrations sort in time order, not alphabetically.
    if name != "administration":
        return name
    column = _time_column("administration", basis)
    ranks = " ".join(f"WHEN {quote(a)} THEN {i}" for i, a in enumerate(administration_names()))
    return f"CASE {column} {ranks} END"


def _fiscal_year_end(request: Request) -> date | None:
    return date(request.fiscal_years[1], 9, 30) if request.fiscal_years else None


def _compile_pending_series(
    request: Request,
    population: str,
    filters: list[str],
    time_dim: str,
    common: dict[str, object],
    default_at: date | None,
    bind: _Values,
) -> str:
    if request.administration:
        raise StatsError("pending by period cannot take an administration period; use fiscal_years or dates")
    period = _Period(time_dim)
    dims = [
        {
            "name": name,
            "expr": dimension_expr(
                _dimension(name, request.options), "pending", request.shared_labels.get(name, ()), bind
            ),
        }
        for name in request.by
        if name != time_dim
    ]
    lo, hi = _asked_range(request, period, stock=True)
    if hi is None and default_at is not None:
        hi = period.of_date(default_at)  # the series runs to the period holding the release date
    return _render(
        "pending_series.sql",
        dims=dims,
        population=population,
        filters=filters,
        period=period,
        time_dim=time_dim,
        enter=period.index_of("period_from"),
        leave=period.index_of("period_to"),
        label=period.label("series.period"),
        lo="NULL" if lo is None else str(lo),
        hi="NULL" if hi is None else str(hi),
        **common,
    )
