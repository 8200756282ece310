"""The dashboard's view state: one query string <-> one `Store.stats` call.

Pages, downloads and `/api/stats` all parse the URL with `parse_view`, so a permalink, a download link and an
API call with the same query string compute the same numbers. The canonical form (`ViewQuery.canonical`)
drops empty values and sorts the rest; it is the key of the result cache and the permalink the pages show.

URL parameters:
  metric=NAME            the statistic (a name from the catalog)
  by=DIM (repeatable)    group-by dimensions, in order
  <dimension>=VALUE      a filter on any dimension of the metric (`administration` is the stats argument)
  date_from, date_to     ISO dates; fy_from, fy_to fiscal years; at=ISO date (for `pending`)
  opt.<name>=VALUE       a methodology option (see /methodology)
  partial=show           time charts also draw the partial last period (fiscal year, month, administration)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

# Parameters that are arguments of `Store.stats` rather than dimension filters.
RESERVED = ("metric", "by", "date_from", "date_to", "fy_from", "fy_to", "administration", "at", "partial")
# `partial=show`: time charts also draw the period the release covers only in part (default: they end at
# the last complete one). Display only: the numbers, the table and the downloads are the same either way.
PARTIAL_SHOW = "show"
OPTION_PREFIX = "opt."


class ViewError(ValueError):
    """A query string a user wrote that cannot be answered; the message names the parameter.

    `status` is the HTTP status: 400 when the query string itself is wrong (an unknown name, a value that
    does not parse), 422 when it is well formed but the metric or the release cannot take a value (e.g.
    `at` on a flow metric, an asylum code the release does not know), 413 for a text that is too long.
    """

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ViewQuery:
    """Everything that decides the numbers of one view."""

    metric: str
    by: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    fy_from: int | None = None
    fy_to: int | None = None
    administration: str | None = None
    at: str | None = None
    options: tuple[tuple[str, str], ...] = field(default=())
    show_partial: bool = False

    def pairs(self) -> list[tuple[str, str]]:
        """The query as (name, value) pairs in canonical order: metric, by, filters, time, options."""
        pairs: list[tuple[str, str]] = [("metric", self.metric)]
        pairs += [("by", dim) for dim in self.by]
        pairs += sorted(self.where)
        for name in ("date_from", "date_to", "fy_from", "fy_to", "administration", "at"):
            value = getattr(self, name)
            if value is not None:
                pairs.append((name, str(value)))
        pairs += [(OPTION_PREFIX + name, value) for name, value in sorted(self.options)]
        if self.show_partial:
            pairs.append(("partial", PARTIAL_SHOW))
        return pairs

    @property
    def canonical(self) -> str:
        """The normalised query string: the cache key and the permalink."""
        return urlencode(self.pairs())

    def stats_kwargs(
        self, *, option_defaults: Mapping[str, Any] | None = None, last_fiscal_year: int = 2100
    ) -> dict[str, Any]:
        """Keyword arguments for `Store.stats(metric, **kwargs)`; option values take their default's type."""
        kwargs: dict[str, Any] = {"by": list(self.by)}
        if self.where:
            grouped: dict[str, list[str]] = {}
            for name, value in self.where:
                grouped.setdefault(name, []).append(value)
            # One value stays a plain value; a repeated filter (`court=ARL&court=NYC`) means any of them.
            kwargs["where"] = {
                name: values[0] if len(values) == 1 else values for name, values in grouped.items()
            }
        if self.date_from:
            kwargs["date_from"] = dt.date.fromisoformat(self.date_from)
        if self.date_to:
            kwargs["date_to"] = dt.date.fromisoformat(self.date_to)
        if self.fy_from is not None or self.fy_to is not None:
            # An open end is 1900 (before any case) or the release's own FY, not a far-future year:
            # `pending` takes the end of the last fiscal year as its date.
            last = self.fy_to or max(last_fiscal_year, self.fy_from or 0)
            kwargs["fiscal_years"] = (self.fy_from or 1900, last)
        if self.administration:
            kwargs["administration"] = self.administration
        if self.at:
            kwargs["at"] = dt.date.fromisoformat(self.at)
        if self.options:
            defaults = option_defaults or {}
            kwargs["options"] = {
                name: coerce_option(value, defaults.get(name)) for name, value in self.options
            }
        return kwargs

    def replace(self, **changes: Any) -> ViewQuery:
        """A copy with some fields changed (used to build links between views)."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return ViewQuery(**values)


def parse_view(
    params: Iterable[tuple[str, str]],
    *,
    metrics: Mapping[str, Any],
    default_metric: str = "completions",
) -> ViewQuery:
    """Build a `ViewQuery` from URL parameters, checking every name against the metric catalog."""
    params = [(key, "" if value is None else value) for key, value in params]
    for key, value in params:
        # An empty filter is an error, as in the Python API and the CLI (an empty form field of the page's
        # own parameters, such as fy_from or by, is left out).
        if not value.strip() and key not in RESERVED and not key.startswith(OPTION_PREFIX):
            raise ViewError(f"filter {key!r} has an empty value; give a value or leave the filter out")
    items = [(key, value.strip()) for key, value in params if value.strip() != ""]
    single = {key: value for key, value in items}
    metric_name = single.get("metric", default_metric)
    metric = metrics.get(metric_name)
    if metric is None:
        raise ViewError(f"metric={metric_name!r} is not in the catalog; see /methodology for the names")
    dimensions = tuple(metric.dimensions)
    by = _unique(value for key, value in items if key == "by")
    for dim in by:
        if dim not in dimensions:
            raise ViewError(
                f"by={dim!r} is not a dimension of {metric_name}; allowed: {', '.join(dimensions)}"
            )
    where, options = [], []
    for key, value in items:
        if key.startswith(OPTION_PREFIX):
            option = _option(key[len(OPTION_PREFIX) :], value, metric)
            if option is not None:
                options.append(option)
        elif key not in RESERVED:
            if key not in dimensions:
                raise ViewError(
                    f"filter {key!r} is not a dimension of {metric_name}; allowed: {', '.join(dimensions)}"
                )
            where.append((key, value))
    return ViewQuery(
        metric=metric_name,
        by=by,
        where=tuple(sorted(set(where))),
        date_from=_iso_date(single, "date_from"),
        date_to=_iso_date(single, "date_to"),
        fy_from=_year(single, "fy_from"),
        fy_to=_year(single, "fy_to"),
        administration=single.get("administration"),
        at=_iso_date(single, "at"),
        options=tuple(sorted(dict(options).items())),
        show_partial=_show_partial(single),
    )


def _show_partial(single: Mapping[str, str]) -> bool:
    value = single.get("partial")
    if value is None or value == "hide":
        return False
    if value != PARTIAL_SHOW:
        raise ViewError(f"partial={value!r} is not valid; write partial=show or leave it out")
    return True


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return tuple(seen)


def option_defaults(metric: Any) -> dict[str, Any]:
    """A metric's options as name -> default (the catalog gives Option objects; a mapping works too)."""
    options = metric.options or {}
    if isinstance(options, Mapping):
        return dict(options)
    return {option.name: option.default for option in options}


def option_choices(metric: Any) -> dict[str, tuple[str, ...] | None]:
    """A metric's options as name -> allowed values (None: free value such as a number or a code list)."""
    options = metric.options or {}
    if isinstance(options, Mapping):
        return {
            name: ("false", "true") if isinstance(default, bool) else None
            for name, default in options.items()
        }
    return {option.name: getattr(option, "choices", None) for option in options}


def option_specs(metric: Any) -> list[dict[str, Any]]:
    """Name, default, choices and description of each option of a metric (for forms and the methodology)."""
    choices = option_choices(metric)
    described = (
        {}
        if isinstance(metric.options or {}, Mapping)
        else {option.name: getattr(option, "description", "") for option in metric.options}
    )
    return [
        {
            "name": name,
            "default": option_text(default),
            "choices": list(choices[name]) if choices.get(name) else None,
            "description": described.get(name, ""),
        }
        for name, default in option_defaults(metric).items()
    ]


def _option(name: str, value: str, metric: Any) -> tuple[str, str] | None:
    """Validate one option; an option set to its default is dropped so both spellings share a permalink."""
    known = option_defaults(metric)
    if name not in known:
        allowed = ", ".join(known) or "none"
        raise ViewError(f"option {OPTION_PREFIX}{name} does not apply to {metric.name}; options: {allowed}")
    choices = option_choices(metric).get(name)
    if choices and value.strip().lower() not in choices:
        raise ViewError(f"option {OPTION_PREFIX}{name}={value!r} is not one of: {', '.join(choices)}")
    try:
        coerced = coerce_option(value, known[name])
    except ValueError as error:
        raise ViewError(f"option {OPTION_PREFIX}{name}={value!r}: {error}") from None
    return None if coerced == known[name] else (name, value)


def coerce_option(value: str, default: Any) -> Any:
    """Turn an option's URL text into the type of its default (bool, int, float, list or text)."""
    if isinstance(default, bool):
        lowered = value.lower().strip()
        if lowered not in {"true", "false", "1", "0", "yes", "no"}:
            raise ValueError("write true or false")
        return lowered in {"true", "1", "yes"}
    if isinstance(default, int):
        text = value.strip()
        if not (text.isascii() and text.isdigit()):  # not int(): its message is Python's, not the user's
            raise ValueError("write a whole number in digits (e.g. 30), not a fraction, sign or exponent")
        return int(text)
    if isinstance(default, float):
        try:
            return float(value)
        except ValueError:
            raise ValueError("write a number (e.g. 0.5)") from None
    if isinstance(default, list | tuple):
        return type(default)(part.strip() for part in value.split(",") if part.strip())
    return value.strip()


def option_text(value: Any) -> str:
    """How an option value is written in a URL (the inverse of `coerce_option`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(part) for part in value)
    return str(value)


def _iso_date(single: Mapping[str, str], name: str) -> str | None:
    value = single.get(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ViewError(f"{name}={value!r} is not a date; write it as YYYY-MM-DD") from None


def _year(single: Mapping[str, str], name: str) -> int | None:
    value = single.get(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or not 1900 <= int(value) <= 2100:
        raise ViewError(f"{name}={value!r} is not a fiscal year; write it as four digits, e.g. 2024")
    return int(value)
