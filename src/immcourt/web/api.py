"""`/api/`: the JSON API. Its numbers come from the same `Dashboard.compute` as the pages and downloads."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from immcourt.limits import MAX_CHECK_CHARS
from immcourt.metrics.catalog import DIMENSIONS_BY_NAME, METRICS_BY_NAME
from immcourt.metrics.compile import administration_names
from immcourt.web.charts import chart_spec
from immcourt.web.downloads import FORMATS, filename
from immcourt.web.query import ViewError, option_specs
from immcourt.web.service import Dashboard, ViewResult, json_safe


class ErrorBody(BaseModel):
    """Every error of the API: one line naming the parameter and what to do (a list of field errors only
    for a malformed JSON body of /api/check)."""

    detail: str | list[dict[str, Any]]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# Declared on every /api/ route, so the OpenAPI schema lists what a client can get back.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error(
        "The query string is wrong: an unknown metric, dimension or option, or a value that won't parse"
    ),
    413: _error("The request body is too large (the claim checker's limit is named)"),
    414: _error("The query string is too long"),
    422: _error("Well formed, but the metric or release cannot take a value (e.g. `at` on a flow metric)"),
    503: _error("A query or claim check ran past its time limit, or the server is busy; retry later"),
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)

STATS_DESCRIPTION = (
    "Any metric by any of its dimensions. Besides the parameters below, every dimension of the metric is a "
    "filter (`?nationality=GUATEMALA`), and `opt.<name>=<value>` sets a methodology option "
    "(see /api/metrics for names and defaults). The same query string works on /explore and /download/."
)


# What the schema says each parameter takes (documentation; the parser checks and names bad values).
# A valid value can still be refused when parameters combine badly (a dimension of another metric,
# `at` on a flow metric): a 400/422 naming why.
_METRIC = {"enum": list(METRICS_BY_NAME)}
_DIMENSION = {"items": {"type": "string", "enum": sorted(DIMENSIONS_BY_NAME)}}
_DATE = {"format": "date"}
_YEAR = {"pattern": "^(19[0-9]{2}|20[0-9]{2}|2100)$"}
_ADMINISTRATION = {"enum": administration_names()}


def dashboard(request: Request) -> Dashboard:
    """The Dashboard answering this request: the store as it is now (a newly ingested release is picked
    up, see service.FollowStore)."""
    follow = getattr(request.app.state, "follow", None)
    if follow is None:
        return request.app.state.dashboard
    board = follow.current()
    request.app.state.dashboard = board
    return board


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelled field is a 422, never silently ignored

    text: str = Field(
        description="Text with numeric claims about the immigration courts "
        f"(at most {MAX_CHECK_CHARS:,} characters; a longer one is a 413)",
        min_length=1,
    )
    as_of: str | None = Field(
        default=None,
        description="The article's date, YYYY-MM-DD: 'current', 'last year', 'so far' are read at it "
        "(as `immcourt check --as-of`); a value that is not a date is a 400. Without it, a date in the "
        "text's dateline is used.",
        examples=["2026-11-15"],
    )


def stats_payload(result: ViewResult) -> dict[str, Any]:
    """The JSON form of a computed view (also embedded in the explorer page): the Result's metadata
    (metrics/api.py Result.metadata, the same keys as `immcourt stats --format json`) plus the rows."""
    where = {name: [str(v) for v in values] for name, values in _grouped(result.query.where).items()}
    metadata = {
        "metric": result.metric.name,
        "release": result.stamp.release_id,
        "records_through": result.stamp.records_through or "",
        "sample_data": result.stamp.is_sample,
        "ingested_at": result.stamp.ingested_at,
        "convention": result.convention,
        "by": list(result.query.by),
        "where": where,
        "options": json_safe(result.options),
        "exclusions": json_safe(result.exclusions),
        "suppressed_cells": len(result.suppressed or []),
        "suppressed": json_safe(result.suppressed or []),
        "notes": [],
        **result.metadata,
    }
    return {
        **metadata,
        "query": result.query.canonical,
        "notice": result.stamp_lines()[0] if result.stamp.is_sample else None,
        "value_column": result.value_column,
        "columns": result.columns,
        "rows": result.rows,
        "sql": result.sql,  # as people can run it against the store's catalog.duckdb
    }


def _grouped(pairs: Any) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def metric_payload(metric: Any) -> dict[str, Any]:
    return {
        "name": metric.name,
        "description": metric.description,
        "unit": metric.unit,
        "dimensions": list(metric.dimensions),
        "options": option_specs(metric),
        "min_n": json_safe(getattr(metric, "min_n", None)),
    }


@router.get(
    "/metrics",
    summary="The metric catalog: names, definitions, dimensions, options and defaults",
    response_model=list[dict[str, Any]],
)
async def metrics(request: Request) -> Response:
    board = dashboard(request)
    body = board.memo(
        "metrics", lambda: _encode([metric_payload(metric) for metric in board.metrics.values()])
    )
    return Response(body, media_type="application/json")


@router.get(
    "/stats",
    summary="One statistic for the given query",
    description=STATS_DESCRIPTION,
    response_model=dict[str, Any],
)
async def stats(
    request: Request,
    metric: Annotated[str, Query(description="metric name", json_schema_extra=_METRIC)] = "completions",
    by: Annotated[
        list[str] | None,
        Query(description="group-by dimension; repeat for several", json_schema_extra=_DIMENSION),
    ] = None,
    date_from: Annotated[str | None, Query(description="YYYY-MM-DD", json_schema_extra=_DATE)] = None,
    date_to: Annotated[str | None, Query(description="YYYY-MM-DD", json_schema_extra=_DATE)] = None,
    fy_from: Annotated[str | None, Query(description="first fiscal year", json_schema_extra=_YEAR)] = None,
    fy_to: Annotated[str | None, Query(description="last fiscal year", json_schema_extra=_YEAR)] = None,
    administration: Annotated[str | None, Query(json_schema_extra=_ADMINISTRATION)] = None,
    at: Annotated[
        str | None,
        Query(description="YYYY-MM-DD; only for pending (a 422 otherwise)", json_schema_extra=_DATE),
    ] = None,
) -> Response:
    # The declared parameters document the API; parsing reads the whole query string so filters and
    # options (whose names depend on the metric) go through the same parser as the pages.
    board = dashboard(request)
    query = board.parse(request.query_params.multi_items())
    # A cached answer is returned on the event loop; only a computation goes to a worker thread (the
    # thread hand-off costs more than the lookup itself, and most requests are repeats).
    result = board.cached(query) or await run_in_threadpool(board.compute, query)
    # The encoded body is cached with the result: a repeated query costs a dictionary lookup, not a
    # re-serialisation (that is what keeps p95 low under concurrent clients; see bench/web.py).

    def encode() -> bytes:
        return _encode(stats_payload(result))

    body = (
        result.memo("json", encode)
        if result.has("json")
        else await run_in_threadpool(result.memo, "json", encode)
    )
    return Response(body, media_type="application/json")


@router.get("/chart", summary="The Vega-Lite spec of the chart for a query (same parameters as /api/stats)")
def chart(request: Request) -> dict[str, Any]:
    return chart_spec(dashboard(request).view(request.query_params.multi_items()))


@router.get(
    "/release",
    summary="The release being served: metadata, files, reconciliation, quarantine counts",
    response_model=dict[str, Any],
)
async def release(request: Request) -> Response:
    board = dashboard(request)
    body = board.memo(
        "release",
        lambda: _encode({"stamp": json_safe(board.stamp), "release": json_safe(board.release_info())}),
    )
    return Response(body, media_type="application/json")


@router.post("/check", summary="Check the numeric claims in a text against the release")
def check(request: Request, body: Annotated[CheckRequest, Body()]) -> Response:
    payload = dashboard(request).check_claims(body.text, as_of=article_date(body.as_of)).to_json()
    text = payload if isinstance(payload, str) else json.dumps(json_safe(payload))
    return Response(text, media_type="application/json")


def article_date(raw: str | None) -> date | None:
    """The `as_of` of a claim check: None when absent, a date when it is one, else a ViewError (400)
    naming the field (the value itself is not echoed)."""
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ViewError(
            "as_of: not a date; write it as YYYY-MM-DD (the article's publication date), or leave it out"
        ) from None


def _encode(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def download_response(result: ViewResult, extension: str) -> Response:
    fmt = FORMATS.get(extension)
    if fmt is None:
        raise ViewError(f"download format {extension!r} is unknown; use one of {', '.join(FORMATS)}")
    return Response(
        fmt.render(result),
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename(result, fmt.extension)}"'},
    )
