"""The dashboard application: `create_app(store_dir)` wires store, pages, API and static files."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from immcourt import __version__
from immcourt.web import api, pages
from immcourt.web.query import ViewError
from immcourt.web.service import Dashboard

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    store_dir: str | Path, *, release: str | None = None, cache_size: int = 512, warm: bool = False
) -> FastAPI:
    """A FastAPI app serving one release of a store (the newest unless `release` names one), read-only.

    `warm` computes the overview's charts in a background thread at start, so the first visitor does not
    wait for the case model to be built (about 20 s on a million cases).
    """
    dashboard = Dashboard(store_dir, release=release, cache_size=cache_size)
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
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="immcourt API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    @app.exception_handler(ViewError)
    async def _view_error(request: Request, error: ViewError):  # a user's query, not a server fault
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(error)}, status_code=error.status_code)
        return HTMLResponse(pages.render_error(request, str(error)), status_code=error.status_code)

    return app
