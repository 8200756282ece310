"""The one place SQL text is made from names and paths, and the locked-down connection the server reads with.

Rules (docs/RELIABILITY.md, "Security"): a value from a release or a request never becomes SQL text.
Values go as bound parameters (`con.execute(sql, [value])`). What cannot be bound is quoted here:

- identifiers (a column named in a table header, a table or lookup named by a release member, a column
  found in a Parquet schema) go through `quote_ident`;
- literals only where DuckDB cannot bind: paths and settings in DDL or `SET`, and the display text of a
  compiled statement (`immcourt sql`); `quote_literal` refuses NUL and other control characters, and
  `quote_path` also refuses the glob characters a reader would expand.

`locked_connection()` is the server's DuckDB connection: in memory, external access off except the exact
files it is given (read), no extension installing or loading, configuration locked, a memory limit, no
spill folder; `QueryTimer` interrupts a statement that runs longer than its limit, or whose client left
(`CancelToken` in the `CANCEL` context variable).
"""

from __future__ import annotations

import contextvars
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

# Characters a SQL identifier or literal made here may never hold: NUL, other C0/C1 controls, and the
# Unicode line and paragraph separators. (A quote is fine: it is doubled.)
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


class UnsafeSqlText(ValueError):
    """A name or text that cannot be made into SQL safely; the message names it (repr) and why."""


def quote_ident(name: str) -> str:
    """`name` as a double-quoted SQL identifier (`a"b` → `"a""b"`); refuses NUL and control characters."""
    _check_text(name, what="identifier")
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str | Path, *, allow_controls: bool = False) -> str:
    """`text` as a single-quoted SQL string literal (`it's` → `'it''s'`), for DDL/SET where DuckDB cannot
    bind a parameter (paths, settings) and for the display text of compiled statements.

    DuckDB's standard strings give backslashes no meaning, so doubling the quote is the whole escape; NUL
    and control characters are refused (UnsafeSqlText) rather than trusted to the parser;
    `allow_controls` lets a program's own constant through (e.g. ingest's never-a-cell marker), never NUL.
    """
    text = str(text)
    if allow_controls:
        if "\x00" in text:
            raise UnsafeSqlText(f"literal {text!r} holds NUL; refused")
    else:
        _check_text(text, what="literal")
    return "'" + text.replace("'", "''") + "'"


def literal_expression(text: str) -> str:
    """A SQL expression equal to `text` for any text: a quoted literal, with each control character (which
    quote_literal refuses) written as `chr(n)`, e.g. `('a' || chr(0) || 'b')`. For display text of
    statements whose real run binds the value as a parameter."""
    parts, start = [], 0
    for match in _FORBIDDEN.finditer(text):
        if match.start() > start:
            parts.append(quote_literal(text[start : match.start()]))
        parts.append(f"chr({ord(match.group())})")
        start = match.end()
    if not parts:
        return quote_literal(text)
    if start < len(text):
        parts.append(quote_literal(text[start:]))
    return "(" + " || ".join(parts) + ")"


GLOB_CHARACTERS = frozenset("*?[]{}\\")


def quote_path(path: str | Path) -> str:
    """A file path as a SQL literal for a DuckDB reader (`read_parquet(...)`), which would expand `*`, `?`,
    `[...]`, `{...}` and backslashes as a glob pattern: a path holding one is refused (UnsafeSqlText)."""
    text = str(path)
    odd = sorted(GLOB_CHARACTERS.intersection(text))
    if odd:
        shown = " ".join(odd)
        raise UnsafeSqlText(f"path {text!r} holds {shown}, which DuckDB reads as a pattern; rename it")
    return quote_literal(text)


def _check_text(text: str, *, what: str) -> None:
    if not isinstance(text, str):
        raise UnsafeSqlText(f"{what} {text!r} is not text")
    if _FORBIDDEN.search(text) or any(unicodedata.category(ch) == "Cs" for ch in text):
        raise UnsafeSqlText(f"{what} {text!r} holds a control character; refused")


# -- the server's connection ---------------------------------------------------------------------------


class QueryTimeout(RuntimeError):
    """A statement ran longer than its time limit and was interrupted."""


def locked_connection(
    readable: Iterable[str | Path], *, memory_limit: str = "2GB", threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that can read exactly the files `readable` and nothing else.

    External access is off (`read_text`, `read_csv`, `glob`, `ATTACH`, `COPY ... TO` any other path fail
    with a PermissionException), extensions are neither installed nor loaded (not even automatically),
    there is no spill folder, `memory_limit` caps memory, and the configuration is locked (`SET` fails).
    The files are allowed as exact paths, not folders, so no new file can be created anywhere.
    """
    config: dict[str, str | bool | int] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": memory_limit,
    }
    if threads:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    try:
        con.execute("SET temp_directory = ''")  # no spill files: a too-large query fails, it writes nothing
        # allowed_paths can only be set once the database runs, and before external access is turned off.
        con.execute("SET allowed_paths = ?", [sorted({str(Path(p).resolve()) for p in readable})])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


class QueryCancelled(RuntimeError):
    """The statement was stopped because the one who asked for it is gone (client disconnected)."""


class CancelToken:
    """Set by whoever serves a request (web/app.py, in the CANCEL context variable); `cancel()` interrupts
    the statement QueryTimer.limit is running for that request, and refuses any it would start later.
    Only the request's own statement is interrupted: the token is attached to a connection only while
    that request's statement holds it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self._con: duckdb.DuckDBPyConnection | None = None

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            if self._con is not None:
                self._con.interrupt()

    def attach(self, con: duckdb.DuckDBPyConnection | None) -> None:
        with self._lock:
            if con is not None and self.cancelled:
                raise QueryCancelled("the client went away; the query was not run")
            self._con = con


CANCEL: contextvars.ContextVar[CancelToken | None] = contextvars.ContextVar("immcourt_cancel", default=None)
# When the request being served must end (time.monotonic()), set by whoever serves it (web/service.py): a
# QueryTimer then stops its statement at the earlier of its own seconds and this deadline, so the time a
# request waited for the store counts in its limit.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("immcourt_deadline", default=None)


def batch_connection(
    spill: Path, *, memory_limit: str, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection for batch work (ingest, model build, CLI and API queries): memory
    capped at `memory_limit` (callers pass limits.batch_memory_limit()), spilling to the folder `spill` (its
    parent must exist; DuckDB creates the folder on first use and removes it on close), `threads` threads
    (default: DuckDB's, one per core), and no progress bar on the terminal."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = {quote_literal(memory_limit)}")
        con.execute(f"SET temp_directory = {quote_literal(spill)}")
        con.execute("SET enable_progress_bar = false")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
    except BaseException:
        con.close()
        raise
    return con


class QueryTimer:
    """Interrupt a connection's running statement after `seconds` (DuckDB has no statement timeout).

    Use as `with timer.limit(con): con.execute(...)`; a statement cut short raises QueryTimeout.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds

    @contextmanager
    def limit(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        token = CANCEL.get()
        if token is not None:
            token.attach(con)
        try:
            with self._timed(con):
                yield
        except duckdb.InterruptException:
            if token is not None and token.cancelled:
                raise QueryCancelled("the client went away; the query was stopped") from None
            raise
        finally:
            if token is not None:
                token.attach(None)

    @contextmanager
    def _timed(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        if not self.seconds:
            yield
            return
        seconds = self.seconds
        deadline = DEADLINE.get()
        if deadline is not None:  # the request's own limit, time spent waiting for the store included
            seconds = min(seconds, deadline - time.monotonic())
            if seconds <= 0:
                raise QueryTimeout(
                    f"the request waited its whole {self.seconds:g} s for the store and was stopped"
                )
        fired = threading.Event()

        def interrupt() -> None:
            fired.set()
            con.interrupt()

        timer = threading.Timer(seconds, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        except duckdb.InterruptException as error:
            if fired.is_set():
                waited = " (time waiting for the store included)" if deadline is not None else ""
                raise QueryTimeout(
                    f"the query took longer than {self.seconds:g} s{waited} and was stopped"
                ) from None
            raise error
        finally:
            timer.cancel()
