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


# How a release's numbers compare with EOIR's published series (immcourt.validate, docs/METHODOLOGY.md).
TOLERANCE = 0.10  # completed proceedings vs EOIR's total completions, per full fiscal year
SHAPE_TOLERANCE = 0.05  # sample releases: a year's share may differ by this many points before it is noted

VALIDATION_DEFINITIONS: dict[str, str] = {
    "new cases": "EOIR counts initial receipts: charging documents filed with the court in the year. "
    "immcourt dates a case by its first proceeding's OSC_DATE (the NTA date, which can precede the "
    "filing by weeks), else INPUT_DATE, so cases near 1 October can fall in the other fiscal year.",
    "completions": "EOIR's total completions count every completed proceeding: initial completions and "
    "subsequent ones (after a case is reopened, recalendared or remanded), and in older editions "
    "administrative closures and other completions. immcourt's `completions` count each case once, at the "
    "final completion of its deciding proceeding, and leave out changes of venue and transfers; expect them "
    "to be lower.",
    "completed proceedings": "Every B_TblProceeding row with a COMP_DATE in the year, whatever the decision "
    "(changes of venue and transfers included): the closest the release comes to EOIR's count. This is the "
    "series the tolerance applies to.",
    "pending": "EOIR counts pending cases at the end of the period and, since 2021, leaves administratively "
    "closed cases out (inactive). immcourt's `pending` counts cases started and not finally completed by "
    "30 September (administrative closures count as completions under the default admin_closure_as=closed). "
    "A later edition revises earlier years (both editions are bundled).",
    "asylum decisions": "EOIR counts decisions on asylum applications and splits them into grants, denials, "
    "other (abandoned, withdrawn, not adjudicated) and administrative closures. immcourt's "
    "`asylum_decisions` also count each decided ASYL application, dated by the completion of its "
    "proceeding; an application whose case has a defective row is left out by default "
    "(defective_cases). Part-year editions (FY2020, FY2021 before October) cover only the months to their "
    "data date.",
    "sample": "A sample release is synthetic: its counts are not comparable with EOIR's. Its shape is: each "
    "year's share of the years compared.",
}


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
