"""Bounds on untrusted input and on the work one request may cause: one place for every limit.

The web server and the CLI read these; docs/RELIABILITY.md ("Security") says why each value was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    - every stats call (model build included) is interrupted after `query_seconds` (QueryTimeout);
    - a request may cut by at most `max_by` dimensions, and its table may hold at most `max_cells` rows
      (StatsError, HTTP 422): the rows are streamed from DuckDB and the query is stopped at the first row
      past the cap, so no answer bigger than that is ever built in Python (where DuckDB's memory limit
      does not reach).
    """

    memory_limit: str = "2GB"
    max_models: int = 8
    query_seconds: float | None = 60.0
    max_by: int = 3
    max_cells: int = 200_000
