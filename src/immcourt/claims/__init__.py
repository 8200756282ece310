"""Check the numbers in a text against the immigration court data: extract → interpret → verdict → report.

``check_text(text, store=db)`` is the entry point shared by ``immcourt check`` and the web dashboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from immcourt.claims.claim import Claim, TimeRef
from immcourt.claims.extract import extract_claims
from immcourt.claims.interpret import Interpretation, interpret
from immcourt.claims.qualifiers import Lexicon
from immcourt.claims.readings import Reading, catalog, run_readings
from immcourt.claims.report import SAMPLE_NOTICE, CheckReport, ClaimResult
from immcourt.claims.times import dateline
from immcourt.claims.verdict import SUPPORTED, VERDICTS, Verdict, decide, format_value

NOT_ASKED = "not asked: the natural readings already match"

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

    ``as_of`` is the article's date: "current backlog" is read at that date, "since 2022" runs to it. Without
    it, a full date in the article's dateline (its first two lines) is used, and the report says so.
    """
    notices = []
    if as_of is None and (found := dateline(text)) is not None:
        as_of = found
        notices.append(f"article date {found.isoformat()} taken from its dateline (give --as-of to override)")
    release = getattr(store, "release", None)
    cache: dict[str, Any] = {}
    results = []
    metrics = catalog(store)
    lexicon = Lexicon.from_store(store)
    first_day = _records_from(store)
    for claim in extract_claims(text, as_of=as_of, lexicon=lexicon):
        interpretation = before_the_release(interpret(claim, as_of=as_of, metrics=metrics), first_day)
        readings = interpretation.readings
        # The natural readings first; the other definitions are asked only when those do not all match.
        natural = [r for r in readings if r.natural and r.period.natural]
        run_readings(store, natural, cache)
        verdict = decide(claim, readings, as_of=as_of, interpretation=interpretation)
        others = [r for r in readings if r not in natural]
        if verdict.category == SUPPORTED and natural:
            for reading in others:
                reading.error = NOT_ASKED
        else:
            run_readings(store, others, cache)
            verdict = decide(claim, readings, as_of=as_of, interpretation=interpretation)
        results.append(ClaimResult(claim, readings, verdict))
    _note_changes(results)
    return CheckReport(
        text=text,
        results=results,
        release_id=getattr(release, "id", None),
        is_sample=bool(getattr(release, "is_sample", False)),
        as_of=as_of,
        notices=notices,
    )


def _records_from(store: Any) -> date | None:
    """The release's first record day (``Store.records_from``), None when the store cannot say."""
    getter = getattr(store, "records_from", None)
    try:
        return getter() if callable(getter) else None
    except Exception:  # noqa: BLE001 - a store without it (a test double) just skips the rule
        return None


def before_the_release(interpretation: Interpretation, first_day: date | None) -> Interpretation:
    """Not checkable when every reading's period ends before the release's first record (``first_day``):
    nothing in the release can say what happened then, and a count of 0 there is no fact (tester-5 F40)."""
    readings = interpretation.readings
    if first_day is None or not readings:
        return interpretation
    ends = [r.period.last_day() for r in readings]
    bases = [r.base_period.last_day() for r in readings if r.base_period is not None]
    if all(end is not None and end < first_day for end in ends + bases):
        label = readings[0].period.label
        return Interpretation(
            status="not checkable: before the release",
            concept=interpretation.concept,
            reason=f"The release's records start on {first_day.isoformat()}; nothing in it can say what "
            f"happened in {label} (a count of 0 there would be the lack of records, not a fact).",
        )
    return interpretation


def _note_changes(results: list[ClaimResult]) -> None:
    """ "from A to B": each end is checked on its own period; the second's verdict also states the change."""
    for before, result in zip(results, results[1:], strict=False):
        claim = result.claim
        if (
            claim.change != "from_to"
            or claim.change_from_value is None
            or before.claim.value != claim.change_from_value
        ):
            continue
        start, end = before.best, result.best
        first, last = claim.change_from_value, claim.value
        if (
            claim.change_from is not None
            and claim.change_from.years
            and claim.time.years
            and claim.change_from.years[0] > claim.time.years[0]
        ):
            # "fell to 3,538 in FY2025 from 3,766 in FY2024": shown in the order of time, base first
            start, end, first, last = end, start, last, first
        if start is None or end is None or start.value is None or end.value is None or not start.value:
            continue
        claimed = last - first
        computed = end.value - start.value
        share = end.share and start.share
        scale = 100.0 if share else 1.0
        unit = " points" if share else ""
        result.verdict.explanation += (
            f" Change: claimed {first:,.4g} → {last:,.4g} ({claimed:+,.4g}{unit}); "
            f"computed {format_value(start.value, start.metric, start.share)} → "
            f"{format_value(end.value, end.metric, end.share)} ({computed * scale:+,.4g}{unit}, "
            f"×{end.value / start.value:.2f})."
        )
