"""The dashboard application: `create_app(store_dir)` wires store, pages, API and static files."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from immcourt import __version__
from immcourt.limits import MAX_BODY_BYTES, MAX_QUERY_BYTES, MAX_REQUEST_LINE_BYTES, ServeLimits
from immcourt.sqlsafe import QueryTimeout
from immcourt.web import api, diff, pages
from immcourt.web.query import ViewError
from immcourt.web.service import Dashboard, FollowStore, ServiceUnavailable

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    store_dir: str | Path,
    *,
    release: str | None = None,
    cache_size: int = 512,
    warm: bool = False,
    limits: ServeLimits | None = None,
) -> FastAPI:
    """A FastAPI app serving one release of a store (the newest unless `release` names one), read-only.
    A release ingested (or re-ingested) while it serves is picked up by the next request (FollowStore).

    `warm` computes the overview's charts in a background thread at start, so the first visitor does not
    wait for the case model to be built (about 20 s on a million cases). `limits` confines the store
    (default ServeLimits(): locked-down DuckDB, bounded in-memory models, per-query time limit).
    """
    follow = FollowStore(
        lambda: Dashboard(store_dir, release=release, cache_size=cache_size, limits=limits), store_dir
    )
    dashboard = follow.board
    if warm:
        threading.Thread(
            target=pages.warm_overview, args=(dashboard,), name="immcourt-warm", daemon=True
        ).start()
    app = FastAPI(
        docs_url=None,  # served below from the vendored Swagger UI instead of FastAPI's CDN default
        redoc_url=None,
        title="immcourt dashboard API",
        version=__version__,
        description=(
            "Statistics from the U.S. immigration courts' public case data (EOIR), computed by the immcourt "
            f"metric catalog from release {dashboard.stamp.release_id}"
            + (" (SAMPLE: synthetic data)." if dashboard.stamp.is_sample else ".")
        ),
    )
    app.state.dashboard = dashboard
    app.state.follow = follow  # a release ingested while serving is picked up by the next request
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(diff.router)  # /diff: two releases compared
    app.include_router(diff.api_router)

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="immcourt API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    def _error(request: Request, message: str, status: int, headers: dict[str, str] | None = None):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        return HTMLResponse(pages.render_error(request, message), status_code=status, headers=headers)

    @app.exception_handler(ViewError)
    async def _view_error(request: Request, error: ViewError):  # a user's query, not a server fault
        return _error(request, str(error), getattr(error, "status", 400))

    @app.exception_handler(ServiceUnavailable)
    @app.exception_handler(QueryTimeout)
    async def _unavailable(request: Request, error: Exception):  # too slow or too busy: retry later
        return _error(request, str(error), 503, {"Retry-After": "5"})

    app.add_middleware(RequestLimits, max_body=MAX_BODY_BYTES, max_query=MAX_QUERY_BYTES)
    return app


def server_options() -> dict[str, object]:
    """uvicorn settings `immcourt serve` uses: the h11 parser with room for a request line up to
    MAX_REQUEST_LINE_BYTES, so a long query string reaches RequestLimits and gets its 414 (a longer one
    is refused by uvicorn with a 400)."""
    return {"http": "h11", "h11_max_incomplete_event_size": MAX_REQUEST_LINE_BYTES}


class _TooLarge(Exception):
    pass


class RequestLimits:
    """ASGI middleware: a query string over `max_query` bytes is a 414, a body over `max_body` bytes a
    413 (by Content-Length, or counted while it streams), each with a one-line JSON `detail`."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_query: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_query = max_query

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if len(query) > self.max_query:
            message = f"query string: {len(query):,} bytes; at most {self.max_query:,}"
            await JSONResponse({"detail": message}, status_code=414)(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        too_large = f"request body over {self.max_body:,} bytes (the claim checker takes at most that)"
        if length.isdigit() and len(length) < 20 and int(length) > self.max_body:
            await JSONResponse({"detail": too_large}, status_code=413)(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:  # whatever the app answers to a cut-off body is replaced by the 413
                await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:  # _TooLarge, or whatever the app wrapped it in
            if not exceeded:
                raise
        if exceeded:
            await JSONResponse({"detail": too_large}, status_code=413)(scope, receive, send)
