"""Score the claim checker against the annotated sentence sets (JSON lines).

Used by the tests (tests/test_claims_*.py) and bench/claims.py so both report the same numbers. The sets are
found by file name (``annotated_sets``): ``claims_sentences.jsonl`` and ``claims_dev<N>.jsonl`` are
development sets; ``claims_holdout.jsonl`` is holdout-1, which was looked at while tuning and is therefore
scored as a development set; ``claims_holdout<N>.jsonl`` (N >= 2) are holdouts written before any tuning on
them, and the newest of them (highest N) is the one the issue's targets are tested on (``target_set``). A
holdout that has since been looked at while tuning (``SEEN_IN_TUNING``) is scored as a development set.
One line: {"text", "split"?, "as_of"?, "kind"?, "claims": [...], "not_claims"?: [...]}; a claim:
{"value", "unit", "hedge"?, "time"?, "metric", "filters"?, "period"?, "status"?, "change"?, "requires"?}.
- ``metric``: the catalog metric of the first (most natural) reading, or "not_checkable".
- ``filters``: the reading's filters (catalog dimension → value; a list for several values).
- ``period``: ``readings.Period.canonical()`` of that reading; a change is "<base>-><end>".
- ``status``: "checkable", "outside the data" or "not checkable: <qualifier key>" (the group the data
  cannot isolate). ``requires``: catalog dimensions the expected reading needs; while the catalog lacks one,
  the right answer is "not checkable: <that dimension>".
- ``not_claims``: numbers that must not be taken as claims (ages, house numbers, page counts, phones).
Measures: recall, precision, metric mapping, mapping with qualifiers (metric + every filter + status),
period accuracy, and readings that dropped a qualifier (must be zero).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from immcourt.claims.claim import Claim
from immcourt.claims.extract import extract_claims
from immcourt.claims.interpret import Interpretation, interpret
from immcourt.claims.qualifiers import bundled_lexicon
from immcourt.claims.readings import Reading, catalog


@dataclass
class Score:
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    mapped_right: int = 0
    qualified_right: int = 0
    periods_expected: int = 0
    periods_right: int = 0
    dropped_qualifier: int = 0
    field_errors: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    mapping_errors: list[str] = field(default_factory=list)
    qualifier_errors: list[str] = field(default_factory=list)
    period_errors: list[str] = field(default_factory=list)
    dropped_errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def mapping_accuracy(self) -> float:
        return self.mapped_right / self.matched if self.matched else 1.0

    @property
    def qualified_accuracy(self) -> float:
        return self.qualified_right / self.matched if self.matched else 1.0

    @property
    def period_accuracy(self) -> float:
        return self.periods_right / self.periods_expected if self.periods_expected else 1.0


def load_annotations(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class AnnotatedSet:
    """One annotated sentence file: ``role`` is "development" (looked at while tuning) or "holdout"."""

    name: str
    path: Path
    role: str
    order: int


_SET_FILE = re.compile(
    r"^claims_(?:(?P<sentences>sentences)|dev(?P<dev>\d+)|holdout(?P<holdout>\d*))\.jsonl$"
)


# Holdouts looked at while tuning (number → the date it became a development set, and why); see
# tests/claims_holdout2.md. The targets are then tested on the newest holdout not in here.
SEEN_IN_TUNING: dict[int, str] = {
    1: "looked at while tuning from the start",
    2: "2026-12-01: scored, then its failure kinds were fixed (issue 15)",
    3: "2026-12-01: scored once blind, then its failure kinds were fixed (issue 15)",
    4: "2026-12-01: scored blind twice (before, after claims15d), then its failure kinds were fixed",
    5: "2026-12-01: scored blind once (main c829f0e), then its failure kinds were fixed (branch claims15h)",
}


def annotated_sets(directory: Path) -> list[AnnotatedSet]:
    """Every annotated set in ``directory`` (the tests folder), development sets first, then holdouts by age.

    Adding ``claims_holdout<N>.jsonl`` (or ``claims_dev<N>.jsonl``) is all it takes to have it scored.
    """
    found = []
    for path in sorted(directory.glob("claims_*.jsonl")):
        match = _SET_FILE.match(path.name)
        if match is None:
            continue
        if match.group("sentences"):
            found.append(AnnotatedSet("development", path, "development", 0))
        elif match.group("dev"):
            number = int(match.group("dev"))
            found.append(AnnotatedSet(f"development-{number}", path, "development", number))
        elif match.group("holdout") in ("", "1"):
            found.append(AnnotatedSet("holdout-1 (seen during tuning)", path, "development", 1))
        else:
            number = int(match.group("holdout"))
            if number in SEEN_IN_TUNING:
                name = f"holdout-{number} (seen during tuning)"
                found.append(AnnotatedSet(name, path, "development", 100 + number))
            else:
                found.append(AnnotatedSet(f"holdout-{number}", path, "holdout", 100 + number))
    return sorted(found, key=lambda s: s.order)


def target_set(directory: Path) -> AnnotatedSet:
    """The set the issue's targets are tested on: the newest holdout not yet seen in tuning, else the newest
    holdout of all (seen in tuning, so the number is a development score)."""
    sets = annotated_sets(directory)
    holdouts = [s for s in sets if s.role == "holdout"]
    if holdouts:
        return holdouts[-1]
    return [s for s in sets if s.name.startswith("holdout-")][-1]


def predicted_metric(claim: Claim, *, as_of: date | None = None) -> str:
    readings = interpret(claim, as_of=as_of).readings
    return readings[0].metric if readings else "not_checkable"


# Annotators name units at different grains ("days", "points", "dollars"); the checker's Claim has four
# units. A number is matched within its family, so an annotation's finer unit is not a miss plus a
# spurious claim; what the number measures is scored by the metric mapping, not here.
_UNIT_FAMILY = {
    "percent": "percent",
    "share": "percent",
    "points": "percent",
    "percentage_points": "percent",
    "percent_change": "percent",
    "count": "count",
    "days": "count",
    "months": "count",
    "years": "count",
    "dollars": "count",
    "count_per_year": "count",
    "ratio": "ratio",
}


def _same_value(claim: Claim, expected: dict) -> bool:
    same_family = _UNIT_FAMILY.get(claim.unit, claim.unit) == _UNIT_FAMILY.get(
        expected["unit"], expected["unit"]
    )
    value = claim.value
    if claim.unit == "share" and expected["unit"] != "share":
        value *= 100  # "one in five" is the share 0.2; an annotation may write it as 20 percent
    return same_family and abs(value - expected["value"]) <= 1e-3 * max(1.0, expected["value"])


def field_differences(claim: Claim, expected: dict) -> list[str]:
    """Fields where an extracted claim disagrees with its annotation (only the fields annotated)."""
    problems = []
    if "hedge" in expected and claim.hedge != expected["hedge"]:
        problems.append(f"hedge {claim.hedge} != {expected['hedge']}")
    time = expected.get("time")
    if time:
        if claim.time.kind != time["kind"]:
            problems.append(f"time kind {claim.time.kind} != {time['kind']}")
        if "years" in time and list(claim.time.years) != time["years"]:
            problems.append(f"years {list(claim.time.years)} != {time['years']}")
        if time.get("administration") and claim.time.administration != time["administration"]:
            problems.append(f"administration {claim.time.administration} != {time['administration']}")
    if "upper" in expected and claim.upper != expected["upper"]:
        problems.append(f"upper {claim.upper} != {expected['upper']}")
    return problems


_YES_NO = {"yes": True, "no": False}


def _norm(value: Any) -> Any:
    """One spelling per filter value: a one-item list is its item; "yes"/"no" labels are booleans."""
    if isinstance(value, (list, tuple)):
        items = sorted(str(v) for v in value)
        return items[0] if len(items) == 1 else items
    if isinstance(value, str) and value.lower() in _YES_NO:
        return _YES_NO[value.lower()]
    return value


def _key_words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _names_same_group(got_status: str, want_status: str) -> bool:
    """'not checkable: juvenile' answers 'not checkable: unaccompanied children (juvenile)'."""
    prefix = "not checkable:"
    if not (got_status.startswith(prefix) and want_status.startswith(prefix)):
        return False
    got, want = _key_words(got_status[len(prefix) :]), _key_words(want_status[len(prefix) :])
    return bool(got) and (f" {got} " in f" {want} " or f" {want} " in f" {got} ")


def reading_filters(reading: Reading) -> dict[str, Any]:
    return {k: _norm(v) for k, v in reading.where.items()}


_SPAN = re.compile(r"^(\d{4})-10-01\.\.(\d{4})-09-30$")


def same_period(got: str, want: str) -> bool:
    """Two canonical periods name the same days ("2021-10-01..2022-09-30" is FY2022)."""
    return _fiscal_form(got) == _fiscal_form(want)


def _fiscal_form(period: str) -> str:
    parts = []
    for part in period.split("->"):
        match = _SPAN.match(part)
        if match and int(match.group(2)) > int(match.group(1)):
            first, last = int(match.group(1)) + 1, int(match.group(2))
            part = f"FY{first}" if first == last else f"FY{first}-FY{last}"
        parts.append(part)
    return "->".join(parts)


def reading_period(reading: Reading) -> str:
    if reading.change and reading.base_period is not None and reading.base_where is None:
        return f"{reading.base_period.canonical()}->{reading.period.canonical()}"
    return reading.period.canonical()


def expected_status(expected: dict, dimensions: set[str]) -> str:
    missing = [d for d in expected.get("requires", ()) if d not in dimensions]
    if missing:
        return f"not checkable: {missing[0]}"
    status = expected.get("status")
    if status:
        return status
    return "checkable" if expected["metric"] != "not_checkable" else "not checkable"


# Filters that name the statistic's own definition (alternative readings differ in them), not a group.
_DEFINITION_KEYS = ("outcome", "asylum_decision", "asylum_case")


def _status(interpretation: Interpretation) -> str:
    return interpretation.status


def score(annotations: list[dict]) -> Score:
    metrics = catalog()
    dimensions = {d for m in metrics.values() for d in m.dimensions}
    lexicon = bundled_lexicon()
    result = Score()
    for item in annotations:
        as_of = date.fromisoformat(item["as_of"]) if item.get("as_of") else None
        claims = extract_claims(item["text"], as_of=as_of, lexicon=lexicon)
        expected = list(item["claims"])
        result.expected += len(expected)
        result.predicted += len(claims)
        unmatched = list(expected)
        for claim in claims:
            twin = next((e for e in unmatched if _same_value(claim, e)), None)
            if twin is None:
                result.spurious.append(f"{claim.text!r} ({claim.unit}) in: {item['text']}")
                continue
            unmatched.remove(twin)
            result.matched += 1
            for problem in field_differences(claim, twin):
                result.field_errors.append(f"{claim.text!r}: {problem} in: {item['text']}")
            _score_mapping(
                result, claim, twin, item, interpret(claim, as_of=as_of, metrics=metrics), dimensions
            )
        result.misses.extend(f"{e['value']} in: {item['text']}" for e in unmatched)
    return result


def _score_mapping(
    result: Score, claim: Claim, twin: dict, item: dict, interpretation: Interpretation, dimensions: set[str]
) -> None:
    want_status = expected_status(twin, dimensions)
    got_status = _status(interpretation)
    first = interpretation.readings[0] if interpretation.readings else None
    got_metric = first.metric if first else "not_checkable"
    where = f"{claim.text!r} in: {item['text']}"
    if want_status == "checkable":
        metric_right = got_metric == twin["metric"]
    elif want_status.startswith("not checkable:") and twin["metric"] != "not_checkable":
        metric_right = got_status.startswith("not checkable") or got_metric == twin["metric"]
    else:
        metric_right = got_metric == "not_checkable" and (
            want_status != "outside the data" or got_status == "outside the data"
        )
    if metric_right:
        result.mapped_right += 1
    else:
        result.mapping_errors.append(
            f"{where}: {got_metric} [{got_status}] != {twin['metric']} [{want_status}]"
        )
    want_filters = {k: _norm(v) for k, v in (twin.get("filters") or {}).items()}
    if want_status == "checkable":
        filters_right = "filters" not in twin or (
            first is not None and reading_filters(first) == want_filters
        )
        qualified = metric_right and got_status == "checkable" and filters_right
    else:
        named = {f"not checkable: {q.key}" for q in interpretation.missing}
        qualified = (
            got_status == want_status
            or want_status in named
            or _names_same_group(got_status, want_status)
            or any(_names_same_group(n, want_status) for n in named)
            or (want_status == "not checkable" and got_status.startswith("not checkable"))
        )
    if qualified:
        result.qualified_right += 1
    else:
        got_filters = reading_filters(first) if first else {}
        result.qualifier_errors.append(
            f"{where}: {got_metric} {got_filters} [{got_status}] != "
            f"{twin['metric']} {want_filters} [{want_status}]"
        )
    # A reading that lacks a filter the sentence asks for must never be able to reach a verdict.
    needed = want_filters if want_status == "checkable" else {}
    # A value the same words equally name (``Qualifier.alternatives``: "Judge Holridge" when three judges
    # share the surname) filters on the named group too: another reading, never a dropped one.
    alternatives = {(q.dimension, _norm(a)) for q in claim.qualifiers for a in q.alternatives}
    for reading in interpretation.readings:
        have = reading_filters(reading)
        if any(
            have.get(k) != v and (k, have.get(k)) not in alternatives
            for k, v in needed.items()
            if k not in _DEFINITION_KEYS
        ) or (want_status.startswith("not checkable:") and twin["metric"] != "not_checkable"):
            result.dropped_qualifier += 1
            result.dropped_errors.append(f"{where}: reading {reading.label} {have}")
            break
    if "period" in twin and want_status == "checkable" and first is not None:
        result.periods_expected += 1
        got = reading_period(first)
        if same_period(got, twin["period"]) or (
            "period_alt" in twin and same_period(got, twin["period_alt"])
        ):
            result.periods_right += 1
        else:
            result.period_errors.append(f"{where}: {got} != {twin['period']}")
