"""A release checks itself against what EOIR published (issue 9).

`validate(store)` computes, from the ingested release, the series EOIR publishes and compares them year by
year with the bundled editions (`reference/`):

- workload by fiscal year (EOIR "Pending Cases, New Cases, and Total Completions", the edition nearest the
  release): new cases (`new_cases`), completions (`completions`, one per case), completed proceedings (every
  B_TblProceeding row with a COMP_DATE, which is what EOIR counts), pending at the fiscal year's end;
- asylum decisions by fiscal year, FY2018-FY2021 (EOIR "Asylum Decision Rates by Nationality", the newest
  edition of each year): grants and denials summed over nationalities, per nationality in `to_dict()`.

A real release is compared count by count; completed proceedings that drift from EOIR's total completions by
more than TOLERANCE in any full fiscal year are flagged. A sample release is synthetic: its counts are not
comparable, so each series is compared by shape (each year's share of the years compared).
The definitions that explain the known differences, and the tolerances, live with the data in reference/.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from immcourt.metrics.api import Store, open_store
from immcourt.reference import (
    EOIR_SOURCE,
    SHAPE_TOLERANCE,
    TOLERANCE,
    VALIDATION_DEFINITIONS,
    eoir_asylum_decisions,
    eoir_workload_rows,
)

DEFINITIONS = VALIDATION_DEFINITIONS

ASYLUM_SOURCE_NAME = "EOIR Asylum Decision Rates by Nationality"


@dataclass
class Comparison:
    """One published number next to the one computed from the release."""

    series: str
    fiscal_year: int
    published: float
    computed: float
    source: str
    share_published: float | None = None  # the year's share of the series over the years compared
    share_computed: float | None = None
    nationality: str | None = None

    @property
    def deviation(self) -> float | None:
        """computed / published - 1 (None when nothing was published)."""
        return self.computed / self.published - 1 if self.published else None

    @property
    def share_difference(self) -> float | None:
        """Difference of the two shares, in share points (computed - published)."""
        if self.share_published is None or self.share_computed is None:
            return None
        return self.share_computed - self.share_published


@dataclass
class Validation:
    """The comparisons of one release with EOIR's published series."""

    release_id: str
    is_sample: bool
    workload_edition: str
    comparisons: list[Comparison] = field(default_factory=list)
    by_nationality: list[Comparison] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def mode(self) -> str:
        return "shape" if self.is_sample else "count"

    def series(self) -> list[str]:
        return list(dict.fromkeys(c.series for c in self.comparisons))

    def to_dict(self) -> dict[str, Any]:
        def row(c: Comparison) -> dict[str, Any]:
            return {**asdict(c), "deviation": c.deviation, "share_difference": c.share_difference}

        return {
            "release": self.release_id,
            "sample_data": self.is_sample,
            "mode": self.mode,
            "tolerance": TOLERANCE,
            "workload_edition": self.workload_edition,
            "comparisons": [row(c) for c in self.comparisons],
            "asylum_by_nationality": [row(c) for c in self.by_nationality],
            "flags": self.flags,
            "notes": self.notes,
            "definitions": DEFINITIONS,
        }


def validate(store: str | Path, *, release: str | None = None) -> Validation:
    """Compare one release of `store` (the newest by default) with EOIR's bundled published series."""
    db = open_store(store, release=release)
    try:
        return validate_store(db)
    finally:
        db.close()


def validate_store(db: Store) -> Validation:
    """The comparisons for an open Store (the web's confined one too: only `stats` is called on it)."""
    info = db.release
    released = info.release_date or date.today()
    edition, published = _workload_edition(released)
    result = Validation(release_id=info.id, is_sample=info.is_sample, workload_edition=edition)
    # A needed column missing (--partial) or mostly unparseable: named first (ingest/columns.py)
    result.notes += [str(note) for note in (getattr(info, "raw", None) or {}).get("column_notes") or []]
    years = [year for year in sorted(published) if date(year, 9, 30) <= released]
    computed = {
        "new cases": _by_year(db.stats("new_cases", by="fiscal_year")),
        "completions": _by_year(db.stats("completions", by="fiscal_year")),
        "completed proceedings": _completed_proceedings(db),
        "pending": _by_year(db.stats("pending", by="fiscal_year")),
    }
    columns = {
        "new cases": "initial_receipts",
        "completions": "total_completions",
        "completed proceedings": "total_completions",
        "pending": "pending_end_of_period",
    }
    source = f"{EOIR_SOURCE} (data generated {edition})"
    for series, column in columns.items():
        values = [
            (year, float(published[year][column]), float(computed[series].get(year, 0))) for year in years
        ]
        result.comparisons += _compared(series, values, source)
    result.comparisons += _asylum(db, result)
    if not years:
        result.notes.append(f"the release ({released}) covers no full fiscal year of the edition {edition}")
    _flag(result)
    return result


def _workload_edition(released: date) -> tuple[str, dict[int, dict[str, str]]]:
    """The newest edition generated on or before the release date (else the oldest), full years only."""
    rows = eoir_workload_rows()
    editions = sorted({row["edition_data_generated"] for row in rows})
    before = [e for e in editions if date.fromisoformat(e) <= released]
    edition = before[-1] if before else editions[0]
    return edition, {
        int(row["fiscal_year"]): row
        for row in rows
        if row["edition_data_generated"] == edition and row["period"] == "FY"
    }


def _by_year(result: Any) -> dict[int, float]:
    return {int(row["fiscal_year"]): float(row["value"]) for row in result.to_dicts() if row["fiscal_year"]}


def _completed_proceedings(db: Store) -> dict[int, float]:
    """B_TblProceeding rows with a COMP_DATE, by fiscal year, read on a connection of its own (the store's
    connection is used under the store's lock only)."""
    path = db.release.path / "B_TblProceeding.parquet"
    if not path.is_file():
        return {}
    with duckdb.connect(":memory:") as con:
        rows = con.execute(
            "SELECT CAST(year(COMP_DATE) + CASE WHEN month(COMP_DATE) >= 10 THEN 1 ELSE 0 END AS INTEGER), "
            "count(*) FROM read_parquet(?, hive_partitioning = false) WHERE COMP_DATE IS NOT NULL GROUP BY 1",
            [str(path)],
        ).fetchall()
    return {int(year): float(n) for year, n in rows}


def _compared(series: str, values: list[tuple[int, float, float]], source: str) -> list[Comparison]:
    total_published = sum(p for _, p, _ in values)
    total_computed = sum(c for _, _, c in values)
    return [
        Comparison(
            series=series,
            fiscal_year=year,
            published=published,
            computed=computed,
            source=source,
            share_published=published / total_published if total_published else None,
            share_computed=computed / total_computed if total_computed else None,
        )
        for year, published, computed in values
    ]


def _asylum(db: Store, result: Validation) -> list[Comparison]:
    """Grants and denials per fiscal year, FY2018-2021, from each year's newest edition."""
    rows = eoir_asylum_decisions()
    newest = {
        year: max(r.edition for r in rows if r.fiscal_year == year) for year in {r.fiscal_year for r in rows}
    }
    chosen = [r for r in rows if r.edition == newest[r.fiscal_year]]
    years = sorted(newest)
    stats = db.stats(
        "asylum_decisions",
        by=["fiscal_year", "nationality", "asylum_decision"],
        fiscal_years=(years[0], years[-1]),
    ).to_dicts()
    computed: dict[tuple[int, str, str], float] = {}
    for row in stats:
        key = (int(row["fiscal_year"]), str(row["nationality"]).upper(), str(row["asylum_decision"]))
        computed[key] = computed.get(key, 0.0) + float(row["value"])
    out: list[Comparison] = []
    for decision, attribute in (("granted", "grants"), ("denied", "denials")):
        series = f"asylum {attribute}"
        values = []
        for year in years:
            published = sum(getattr(r, attribute) or 0 for r in chosen if r.fiscal_year == year)
            mine = sum(n for (y, _, d), n in computed.items() if y == year and d == decision)
            values.append((year, float(published), mine))
        for comparison in _compared(series, values, ASYLUM_SOURCE_NAME):
            comparison.source += f" (data generated {newest[comparison.fiscal_year]})"
            out.append(comparison)
        for r in chosen:
            published = getattr(r, attribute)
            if published:
                mine = computed.get((r.fiscal_year, r.nationality.upper(), decision), 0.0)
                result.by_nationality.append(
                    Comparison(
                        series,
                        r.fiscal_year,
                        float(published),
                        mine,
                        ASYLUM_SOURCE_NAME,
                        nationality=r.nationality,
                    )
                )
    partial = [f"FY{y} ({e})" for y, e in sorted(newest.items()) if date.fromisoformat(e) < date(y, 9, 30)]
    if partial:
        result.notes.append("asylum editions covering part of their year: " + ", ".join(partial))
    return out


def _flag(result: Validation) -> None:
    if result.is_sample:
        result.notes.append(DEFINITIONS["sample"])
        for c in result.comparisons:
            difference = c.share_difference
            if difference is not None and abs(difference) > SHAPE_TOLERANCE:
                result.notes.append(
                    f"{c.series} FY{c.fiscal_year}: share {c.share_computed:.1%} "
                    f"vs EOIR {c.share_published:.1%}"
                )
        return
    for c in result.comparisons:
        if c.series == "completed proceedings" and c.deviation is not None and abs(c.deviation) > TOLERANCE:
            result.flags.append(
                f"completed proceedings FY{c.fiscal_year}: {c.computed:,.0f} vs EOIR {c.published:,.0f} "
                f"({c.deviation:+.1%}, tolerance ±{TOLERANCE:.0%}): "
                "the release may be incomplete or defective"
            )
