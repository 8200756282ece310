"""Lossless ingest of an EOIR release into the Parquet store.

`ingest_release(source, store=...)` reads every table as bytes (NUL stripped, cp1252, tab-split with quoting
disabled, trimmed, empty → NULL), types the columns by `variable_types.csv`, repairs the rows with a wrong
field count only when the repair is certain, quarantines the rest with a reason, reconciles every table
against its physical lines and `Count.txt`, and publishes `STORE/release=<id>/` atomically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from immcourt.ingest.run import IngestError, IngestReport, Reconciliation, ingest_release

__all__ = ["IngestError", "IngestReport", "Reconciliation", "ingest_release"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `immcourt stats` reads the ingest's rules (checks.py) but must not pay for the
    # loader (pyarrow.parquet, the byte pass) in every new process.
    if name in __all__:
        from immcourt.ingest import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
