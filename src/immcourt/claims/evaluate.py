"""Score the extractor and the metric mapping against an annotated sentence set (JSON lines).

Used by tests/test_claims_sentences.py and bench/claims.py so both report the same numbers.
Each line: {"text", "claims": [{"value", "unit", "hedge", "time": {...}, "metric"}]}; "metric" is the metric
of the first (most natural) reading, or "not_checkable".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from immcourt.claims.extract import Claim, extract_claims
from immcourt.claims.interpret import readings_for


@dataclass
class Score:
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    mapped_right: int = 0
    field_errors: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    mapping_errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def mapping_accuracy(self) -> float:
        return self.mapped_right / self.matched if self.matched else 1.0


def load_annotations(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predicted_metric(claim: Claim) -> str:
    readings = readings_for(claim)
    return readings[0].metric if readings else "not_checkable"


def _same_value(claim: Claim, expected: dict) -> bool:
    return claim.unit == expected["unit"] and abs(claim.value - expected["value"]) <= 1e-3 * max(
        1.0, expected["value"]
    )


def field_differences(claim: Claim, expected: dict) -> list[str]:
    """Fields where an extracted claim disagrees with its annotation."""
    problems = []
    if claim.hedge != expected["hedge"]:
        problems.append(f"hedge {claim.hedge} != {expected['hedge']}")
    time = expected["time"]
    if claim.time.kind != time["kind"]:
        problems.append(f"time kind {claim.time.kind} != {time['kind']}")
    if "years" in time and list(claim.time.years) != time["years"]:
        problems.append(f"years {list(claim.time.years)} != {time['years']}")
    if time.get("administration") and claim.time.administration != time["administration"]:
        problems.append(f"administration {claim.time.administration} != {time['administration']}")
    if "upper" in expected and claim.upper != expected["upper"]:
        problems.append(f"upper {claim.upper} != {expected['upper']}")
    return problems


def score(annotations: list[dict]) -> Score:
    result = Score()
    for item in annotations:
        claims = extract_claims(item["text"])
        expected = list(item["claims"])
        result.expected += len(expected)
        result.predicted += len(claims)
        unmatched = list(expected)
        for claim in claims:
            twin = next((e for e in unmatched if _same_value(claim, e)), None)
            if twin is None:
                result.spurious.append(f"{claim.text!r} in: {item['text']}")
                continue
            unmatched.remove(twin)
            result.matched += 1
            for problem in field_differences(claim, twin):
                result.field_errors.append(f"{claim.text!r}: {problem} in: {item['text']}")
            metric = predicted_metric(claim)
            if metric == twin["metric"]:
                result.mapped_right += 1
            else:
                result.mapping_errors.append(
                    f"{claim.text!r}: {metric} != {twin['metric']} in: {item['text']}"
                )
        result.misses.extend(f"{e['value']} in: {item['text']}" for e in unmatched)
    return result
