"""Bounds on untrusted input and on the work one request may cause: one place for every limit.

The web server and the CLI read these; docs/RELIABILITY.md ("Security") says why each value was chosen.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Claim check (web and `immcourt check`): characters of text accepted, and seconds one check may take.
MAX_CHECK_CHARS = 50_000
CHECK_SECONDS = 30.0
# Seconds the extractor may take to read a text (in a child process that is killed past it; web/guard.py):
# EXTRACT_SECONDS plus EXTRACT_SECONDS_PER_1000_CHARS per thousand characters, at most CHECK_SECONDS
# (extract_limit). Reading is 0.3 s for 50,000 characters on an idle machine; the allowance keeps a text
# within MAX_CHECK_CHARS checkable on a loaded one (a fixed 2 s refused an 11,690-character article at
# load 8), while still bounding how long one regular expression can hold the server's GIL.
EXTRACT_SECONDS = 3.0
EXTRACT_SECONDS_PER_1000_CHARS = 0.4


def extract_limit(chars: int) -> float:
    """Seconds the extractor may take on a text of `chars` characters (see EXTRACT_SECONDS)."""
    return min(CHECK_SECONDS, EXTRACT_SECONDS + EXTRACT_SECONDS_PER_1000_CHARS * chars / 1000)


# Claim checks running at once on the server; one more waits for a slot (up to CHECK_SECONDS, then 503).
MAX_CONCURRENT_CHECKS = 2

# HTTP: bytes of a request body (a claim check's text, encoded, plus JSON/form overhead) and of the
# query string. The text limit is in characters; the body limit is set so that every text within it fits
# however it is encoded: 12 bytes a character is the most any character takes (a character outside the
# Basic Multilingual Plane is `\ud83d\ude00` in JSON and `%F0%9F%98%80` in a form), plus 4,096 bytes of
# JSON/form around it. A request line longer than MAX_REQUEST_LINE_BYTES never reaches the application
# (uvicorn's parser refuses it); one between the two limits gets a clean 414.
MAX_BODY_BYTES = 12 * MAX_CHECK_CHARS + 4_096
MAX_QUERY_BYTES = 8_192
MAX_REQUEST_LINE_BYTES = 2 << 20


@dataclass(frozen=True)
class ServeLimits:
    """How a Store answering untrusted requests (the web server) is confined (metrics/api.py):

    - its DuckDB connection is sqlsafe.locked_connection(): it reads the release's own Parquet files and
      nothing else, cannot write a file, load an extension or change a setting; `memory_limit` caps it;
    - `cases` tables for non-default model options are built in memory only (never persisted), and at
      most `max_models` of them are kept (least recently used dropped first); the default one stays;
    - every stats call (model build included) is interrupted after `query_seconds` (QueryTimeout),
      counted from when the request reached the store's queue: time spent waiting for another request's
      query or model build counts (web/service.py; sqlsafe.DEADLINE);
    - at most `max_queued_builds` requests needing a model for other options not yet in memory wait for the
      store at once; one more is answered 503 with Retry-After at once (a build takes seconds to minutes,
      so a stranger's list of option sets cannot keep the server busy for hours);
    - a request may cut by at most `max_by` dimensions, and its table may hold at most `max_cells` rows
      (StatsError, HTTP 422): the rows are streamed from DuckDB and the query is stopped at the first row
      past the cap, so no answer bigger than that is ever built in Python (where DuckDB's memory limit
      does not reach).
    """

    memory_limit: str = "2GB"
    max_models: int = 8
    query_seconds: float | None = 60.0
    max_queued_builds: int = 2
    max_by: int = 3
    max_cells: int = 200_000


# DuckDB's memory in the batch work of one process: the ingest's loads, the model build, and the queries of
# the CLI and the Python API (the web server has ServeLimits.memory_limit). Past it DuckDB spills to a
# temporary folder, so peak RSS stays bounded whatever the size of the release (< 2 GB measured with
# 45M-row tables, docs/BENCHMARKS.md "Full size"). The environment overrides both, for every command:
# IMMCOURT_MEMORY_LIMIT (a DuckDB size: "4GB", "800MB") and IMMCOURT_TEMP_DIR (the folder under which each
# process spills; by default the ingest spills inside the release it is writing, the rest in the system's
# temporary folder).
BATCH_MEMORY_LIMIT = "1GB"
MEMORY_LIMIT_ENV = "IMMCOURT_MEMORY_LIMIT"
TEMP_DIR_ENV = "IMMCOURT_TEMP_DIR"


def batch_memory_limit() -> str:
    """DuckDB's memory limit for batch work: $IMMCOURT_MEMORY_LIMIT, else BATCH_MEMORY_LIMIT; raises
    ValueError (one line naming the variable) for a value that is not a size like `800MB` or `4GB`."""
    value = os.environ.get(MEMORY_LIMIT_ENV, "").strip()
    if not value:
        return BATCH_MEMORY_LIMIT
    if not _SIZE.fullmatch(value):
        raise ValueError(f"{MEMORY_LIMIT_ENV}={value!r} is not a size like 800MB or 4GB; fix or unset it")
    return value


_SIZE = re.compile(r"[0-9]+(\.[0-9]+)? ?([KMGT]i?B|B)", re.IGNORECASE)


def batch_spill_dir(default_parent: Path | None = None) -> Path:
    """A folder for this process's spill files (DuckDB creates it when it first spills and removes it when
    the connection closes): under $IMMCOURT_TEMP_DIR, else under `default_parent`, else the system's
    temporary folder. The name holds the process id, so processes never share one."""
    parent = os.environ.get(TEMP_DIR_ENV, "").strip()
    base = Path(parent) if parent else (default_parent or Path(tempfile.gettempdir()))
    return base / f"immcourt-spill-{os.getpid()}-{next(_spill_numbers)}"


_spill_numbers = itertools.count()
