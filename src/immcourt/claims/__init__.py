"""Check the numbers in a text against the immigration court data: extract → interpret → verdict → report.

``check_text(text, store=db)`` is the entry point shared by ``immcourt check`` and the web dashboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from immcourt.claims.extract import Claim, TimeRef, extract_claims
from immcourt.claims.interpret import Reading, readings_for, run_readings
from immcourt.claims.report import SAMPLE_NOTICE, CheckReport, ClaimResult
from immcourt.claims.verdict import VERDICTS, Verdict, decide

__all__ = [
    "Claim",
    "TimeRef",
    "Reading",
    "Verdict",
    "CheckReport",
    "ClaimResult",
    "VERDICTS",
    "SAMPLE_NOTICE",
    "check_text",
    "extract_claims",
]


def check_text(text: str, *, store: Any, as_of: date | None = None) -> CheckReport:
    """Find every numeric claim in ``text`` and check it against ``store`` (an opened immcourt store).

    ``as_of`` is the article's date: "current backlog" is read at that date, "since 2022" runs to it.
    """
    release = getattr(store, "release", None)
    cache: dict[str, Any] = {}
    results = []
    for claim in extract_claims(text, as_of=as_of):
        readings = run_readings(store, readings_for(claim, as_of=as_of), cache)
        results.append(ClaimResult(claim, readings, decide(claim, readings, as_of=as_of)))
    return CheckReport(
        text=text,
        results=results,
        release_id=getattr(release, "id", None),
        is_sample=bool(getattr(release, "is_sample", False)),
        as_of=as_of,
    )
