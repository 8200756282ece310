"""immcourt: trustworthy statistics from the U.S. immigration courts' public case data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from immcourt.limits import ServeLimits
    from immcourt.metrics.api import Store


def open(  # noqa: A001 - mirrors sqlite3/duckdb naming
    store: str | Path,
    *,
    release: str | None = None,
    limits: ServeLimits | None = None,
    engine: str | None = None,
    spark: Any = None,
) -> Store:
    """Open a store read-only and return the object that serves every statistic.

    ``release`` picks one ingested release by id; the newest one is used when it is omitted. ``limits``
    (immcourt.limits.ServeLimits) confines it for untrusted requests, as the web server does.
    ``engine`` is ``"duckdb"`` (default) or ``"spark"`` (``pip install 'immcourt[spark]'``: the same model
    and metrics on PySpark; ``spark`` an existing SparkSession, else immcourt.spark.spark_session()).
    """
    from immcourt.metrics.api import open_store

    return open_store(store, release=release, limits=limits, engine=engine, spark=spark)
