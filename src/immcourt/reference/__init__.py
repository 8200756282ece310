"""Small official aggregates bundled with immcourt, each with its source and vintage.

They are cross-checks for the claim checker (a number from CBP or from TRAC's own reports), never the main
computation: that always comes from the ingested release. ``build.py`` regenerates the CBP aggregate.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

CBP_SOURCE = "CBP Nationwide Encounters (public data portal export, FY2020-FY2023; ends Sept. 2023)"
EOIR_SOURCE = "EOIR Adjudication Statistics: Pending Cases, New Cases, and Total Completions"
TRAC_SOURCE = "TRAC published figures"
ASYLUM_SOURCE = "EOIR Adjudication Statistics: Asylum Decision Rates by Nationality"


@dataclass(frozen=True)
class ReferenceFigure:
    """One published number, with enough provenance to cite it next to a verdict."""

    source: str
    vintage: str
    metric: str
    period: str
    value: float
    unit: str
    note: str = ""

    def citation(self) -> str:
        return f"{self.source} ({self.vintage}): {self.metric}, {self.period} = {self.value:,.0f} {self.unit}"


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with resources.files(__package__).joinpath("data", name).open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def cbp_encounters() -> list[ReferenceFigure]:
    """CBP nationwide encounters, one figure per fiscal year FY2020-FY2023."""
    return [
        ReferenceFigure(
            source=CBP_SOURCE,
            vintage="FY2020-FY2023 export",
            metric="nationwide encounters",
            period=f"FY{row['fiscal_year']}",
            value=float(row["encounters"]),
            unit="encounters",
        )
        for row in _rows("cbp_encounters_by_fy.csv")
    ]


def cbp_encounters_total(*, fiscal_years: tuple[int, int]) -> tuple[float, list[int]]:
    """Sum of bundled CBP encounters over a fiscal-year range, and the years actually available."""
    first, last = fiscal_years
    figures = [f for f in cbp_encounters() if first <= int(f.period[2:]) <= last]
    return sum(f.value for f in figures), [int(f.period[2:]) for f in figures]


def eoir_workload(*, edition: str | None = None) -> list[ReferenceFigure]:
    """EOIR's published pending / new cases / completions by fiscal year; newest edition unless named."""
    rows = _rows("eoir_pending_receipts_completions.csv")
    chosen = edition or max(row["edition_data_generated"] for row in rows)
    figures = []
    for row in rows:
        if row["edition_data_generated"] != chosen:
            continue
        period = f"{row['period'].replace('FY', 'FY' + row['fiscal_year'])}"
        for column, metric in (
            ("pending_end_of_period", "pending at end of period"),
            ("initial_receipts", "new cases (initial receipts)"),
            ("total_completions", "total completions"),
        ):
            figures.append(
                ReferenceFigure(
                    source=EOIR_SOURCE,
                    vintage=f"data generated {chosen}",
                    metric=metric,
                    period=period,
                    value=float(row[column]),
                    unit="cases",
                )
            )
    return figures


def eoir_editions() -> list[str]:
    return sorted({row["edition_data_generated"] for row in _rows("eoir_pending_receipts_completions.csv")})


def trac_figures() -> list[ReferenceFigure]:
    """Figures TRAC published (report, date, period), as bundled."""
    return [
        ReferenceFigure(
            source=f"{row['publisher']} {row['publication']}",
            vintage=row["date"],
            metric=row["metric"],
            period=row["period"],
            value=float(row["value"]),
            unit=row["unit"],
            note=row["note"],
        )
        for row in _rows("published_figures.csv")
    ]


@dataclass(frozen=True)
class AsylumDecisions:
    """One row of EOIR's "Asylum Decision Rates by Nationality" (None where EOIR printed no number)."""

    edition: str  # data generated, YYYY-MM-DD
    fiscal_year: int
    nationality: str
    grants: int | None
    denials: int | None
    other: int | None


def eoir_asylum_decisions() -> list[AsylumDecisions]:
    """EOIR's asylum decisions by nationality, FY2018-FY2021, every bundled edition (7)."""

    def number(text: str) -> int | None:
        return int(text) if text.strip() else None

    return [
        AsylumDecisions(
            edition=row["edition_data_generated"],
            fiscal_year=int(row["fiscal_year"]),
            nationality=row["nationality"],
            grants=number(row["grants"]),
            denials=number(row["denials"]),
            other=number(row["other"]),
        )
        for row in _rows("eoir_asylum_decisions_by_nationality.csv")
    ]


def eoir_workload_rows() -> list[dict[str, str]]:
    """The rows of EOIR's pending / new cases / completions table, every edition, as bundled."""
    return [dict(row) for row in _rows("eoir_pending_receipts_completions.csv")]
