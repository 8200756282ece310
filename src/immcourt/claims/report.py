"""The result of checking a text: per-claim readings and verdicts, as JSON, HTML or a Rich table."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.table import Table

from immcourt.claims.claim import Claim
from immcourt.claims.readings import Reading
from immcourt.claims.verdict import Verdict, format_value

SAMPLE_NOTICE = "computed on SAMPLE (synthetic) data — not real court records"


@dataclass
class ClaimResult:
    claim: Claim
    readings: list[Reading]
    verdict: Verdict

    @property
    def best(self) -> Reading | None:
        """The reading shown first: a matching natural one, else the first natural, else any."""
        ranked = sorted(self.readings, key=lambda r: (r.error is not None, not r.natural, not r.matches))
        return ranked[0] if ranked else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.claim.to_dict(),
            "verdict": self.verdict.category,
            "verdict_label": self.verdict.label,
            "explanation": self.verdict.explanation,
            "source": self.verdict.source,
            "cross_checks": self.verdict.cross_checks,
            "readings": [reading.to_dict() for reading in self.readings],
        }


@dataclass
class CheckReport:
    text: str
    results: list[ClaimResult]
    release_id: str | None
    is_sample: bool
    as_of: date | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def claims(self) -> list[ClaimResult]:
        return self.results

    def to_dict(self) -> dict[str, Any]:
        return {
            "release": self.release_id,
            "is_sample": self.is_sample,
            "notice": SAMPLE_NOTICE if self.is_sample else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "notices": list(self.notices),
            "claims": [result.to_dict() for result in self.results],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, default=str)

    def to_html(self, *, standalone: bool = True) -> str:
        """A self-contained HTML page; ``standalone=False`` gives a fragment (scoped CSS) to embed."""
        env = Environment(
            loader=PackageLoader("immcourt.claims", "templates"), autoescape=select_autoescape()
        )
        template = env.get_template("report.html")
        return template.render(
            segments=_segments(self.text, self.results),
            results=self.results,
            release=self.release_id,
            is_sample=self.is_sample,
            notice=SAMPLE_NOTICE,
            format_value=format_value,
            standalone=standalone,
            notices=self.notices,
        )

    def to_rich_table(self) -> Table:
        title = f"Claims checked against release {self.release_id}"
        if self.is_sample:
            title += f" — {SAMPLE_NOTICE}"
        table = Table(title=title, show_lines=True, caption="; ".join(self.notices) or None)
        for column in ("claim", "reading", "computed", "verdict", "source"):
            table.add_column(column)
        for result in self.results:
            best = result.best
            table.add_row(
                f"{result.claim.text} — {result.claim.subject} ({result.claim.time.describe()})",
                (
                    f"{best.label}\nfilters: {best.filters_text}"
                    + (f"\nleft out: {best.exclusions_text}" if best.exclusions_text else "")
                    if best
                    else "—"
                ),
                format_value(best.value, best.metric, best.share)
                if best and not best.change
                else (f"{best.value:.2f}" if best and best.value is not None else "—"),
                result.verdict.label
                + (f": {result.verdict.explanation}" if result.verdict.category == "not_checkable" else ""),
                "\n".join([result.verdict.source, *result.verdict.cross_checks[:2]]),
            )
        return table


def _segments(text: str, results: list[ClaimResult]) -> list[tuple[str, ClaimResult | None]]:
    """The text cut into plain pieces and claim pieces, in order, for highlighting."""
    pieces: list[tuple[str, ClaimResult | None]] = []
    cursor = 0
    for result in sorted(results, key=lambda r: r.claim.start):
        if result.claim.start < cursor:
            continue
        pieces.append((text[cursor : result.claim.start], None))
        pieces.append((text[result.claim.start : result.claim.end], result))
        cursor = result.claim.end
    pieces.append((text[cursor:], None))
    return pieces
