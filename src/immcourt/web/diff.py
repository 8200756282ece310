"""The release comparison page `/diff?a=<id>&b=<id>` and its JSON `/api/diff?a=&b=` (immcourt.diff).

Its own module and template, so the other pages stay as they are. The records are compared on a confined
DuckDB connection that can read the two releases' files only; the statistics through two confined stores
(the same ServeLimits as the dashboard). A comparison is computed once per pair and kept with the dashboard.
"""

from __future__ import annotations

from typing import Any

import duckdb
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from immcourt.diff import CHANGED_RULE, ReleaseDiff, diff_releases
from immcourt.metrics.display import format_difference, format_value
from immcourt.sqlsafe import QueryTimer, locked_connection
from immcourt.store import list_releases
from immcourt.web.api import ERRORS, ErrorBody, dashboard
from immcourt.web.pages import render
from immcourt.web.query import ViewError
from immcourt.web.service import Dashboard, json_safe

router = APIRouter(include_in_schema=False)
# The API's declared errors, plus 404 for a release the store lacks.
api_router = APIRouter(
    tags=["api"],
    responses={
        **ERRORS,
        404: {"model": ErrorBody, "description": "A release the store lacks (the message lists the others)"},
    },
)


def _pair(board: Dashboard, a: str | None, b: str | None) -> tuple[list[str], str | None, str | None]:
    """The store's release ids (oldest first) and the pair to compare: by default the two newest. An id the
    store lacks is a 404 naming the ids it holds."""
    ids = [info.id for info in list_releases(board.store_dir)]
    for name, value in (("a", a), ("b", b)):
        if value is not None and value not in ids:
            raise ViewError(
                f"release {value!r} (parameter {name}) is not in this store; releases: {', '.join(ids)}",
                status=404,
            )
    if a is None and b is None and len(ids) >= 2:
        a, b = ids[-2], ids[-1]
    if a is not None and a == b:
        raise ViewError(f"release {a!r} compared with itself; choose two different releases", status=422)
    return ids, a, b


def compare(board: Dashboard, a: str, b: str) -> ReleaseDiff:
    """The comparison of releases `a` and `b` of the dashboard's store, computed once per pair."""

    def build() -> ReleaseDiff:
        import immcourt

        limits = board.limits
        db_a = immcourt.open(board.store_dir, release=a, limits=limits)
        db_b = immcourt.open(board.store_dir, release=b, limits=limits)
        files = [p for db in (db_a, db_b) for p in db.release.path.resolve().rglob("*.parquet")]
        con = locked_connection(files, memory_limit=limits.memory_limit)
        try:
            with QueryTimer(limits.query_seconds).limit(con):
                return diff_releases(db_a, db_b, con=con)
        except duckdb.OutOfMemoryException:
            raise ViewError(
                f"comparing {a} with {b} needs more than the server's memory limit ({limits.memory_limit}); "
                f"run `immcourt diff {a} {b} --store STORE` on the command line",
                status=503,
            ) from None
        finally:
            con.close()
            db_a.close()
            db_b.close()

    return board.memo(f"diff:{a}\x00{b}", build)


@router.get("/diff", response_class=HTMLResponse)
def diff_page(request: Request, a: str | None = None, b: str | None = None) -> HTMLResponse:
    board = dashboard(request)
    ids, a, b = _pair(board, a, b)
    result = compare(board, a, b) if a and b else None
    return render(
        request,
        "diff.html",
        releases=ids,
        a=a,
        b=b,
        result=result,
        rows=_stat_rows(result),
        changed_rule=CHANGED_RULE,
    )


@api_router.get(
    "/api/diff",
    summary="Compare two releases of the store: records and statistics",
    response_model=dict[str, Any],
)
def diff_api(request: Request, a: str, b: str) -> JSONResponse:
    board = dashboard(request)
    _pair(board, a, b)
    return JSONResponse(json_safe(compare(board, a, b).to_dict()))


def _stat_rows(result: ReleaseDiff | None) -> list[dict[str, Any]]:
    """Each statistic that moved with its cells written for people (metrics/display.py)."""
    if result is None:
        return []
    out = []
    for summary in result.statistics:
        cells = []
        for change in summary.moved:
            labels = []
            for name in summary.by:
                text = format_value(change.cells[name], column=name, kind=None)
                labels.append(f"{text} (partial)" if result.partial(name, change.cells[name]) else text)
            cells.append(
                {
                    "labels": labels,
                    "a": format_value(change.a, column="value", kind=summary.kind),
                    "b": format_value(change.b, column="value", kind=summary.kind),
                    "difference": format_difference(change.difference, kind=summary.kind),
                }
            )
        out.append({"summary": summary, "cells": cells})
    return out
