"""A claim text is first read in a child process with a time limit, so a text the extractor is slow on can
be stopped: a regular expression holds the GIL for the whole of one match, so no thread in the server can
interrupt it (or even run) meanwhile, but a process can be killed.

The child comes from a `forkserver` that has already imported the extractor, so each read costs a fork
(milliseconds), not an interpreter start. Only after the child finished within EXTRACT_SECONDS does the
server run the real check (which reads the text again, now known to take no longer than that).
"""

from __future__ import annotations

import multiprocessing
import threading

from immcourt.limits import EXTRACT_SECONDS

_CONTEXT = None
_LOCK = threading.Lock()


def _context():  # noqa: ANN202 - a multiprocessing context
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["immcourt.web.guard", "immcourt.claims.extract"])
            _CONTEXT = context
        return _CONTEXT


def _read(text: str) -> None:
    from immcourt.claims.extract import extract_claims

    extract_claims(text)


def reads_in_time(text: str, seconds: float = EXTRACT_SECONDS) -> bool | None:
    """True when the extractor reads `text` within `seconds` in a child process, False when it had to be
    killed, None when the child failed otherwise (the caller then runs the check and reports its error)."""
    process = _context().Process(target=_read, args=(text,), daemon=True)
    process.start()
    process.join(seconds)
    if process.is_alive():
        process.kill()
        process.join()
        return False
    return True if process.exitcode == 0 else None
