"""Bundled reference aggregates: rebuilt from the raw public files by an independent path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from immcourt import reference
from immcourt.reference.build import build


def test_cbp_totals_match_an_independent_sum_of_the_raw_export(shared_dir: Path) -> None:
    raw = pd.read_csv(
        shared_dir / "data/published/cbp-nationwide-encounters-fy20-fy23-state.csv", thousands=","
    )
    expected = raw.groupby("Fiscal Year")["Encounter Count"].sum().to_dict()
    bundled = {int(f.period[2:]): f.value for f in reference.cbp_encounters()}
    assert bundled == {year: float(total) for year, total in expected.items()}
    assert sorted(bundled) == [2020, 2021, 2022, 2023]


def test_build_script_reproduces_the_bundled_files(shared_dir: Path, tmp_path: Path) -> None:
    build(shared_dir=shared_dir / "data/published", out_dir=tmp_path)
    bundled = Path(reference.__file__).with_name("data")
    for name in (
        "cbp_encounters_by_fy.csv",
        "eoir_pending_receipts_completions.csv",
        "published_figures.csv",
    ):
        assert (tmp_path / name).read_text() == (bundled / name).read_text(), name


def test_eoir_workload_editions_and_a_known_figure() -> None:
    assert reference.eoir_editions() == ["2021-04-19", "2026-04-22"]
    pending = {f.period: f.value for f in reference.eoir_workload() if f.metric == "pending at end of period"}
    assert pending["FY2024"] == 3_925_351  # EOIR, data generated 2026-04-22
    old = {
        f.period: f.value
        for f in reference.eoir_workload(edition="2021-04-19")
        if f.metric == "total completions"
    }
    assert old["FY2020"] == 231_659
    assert "FY2021 Q2" in old  # a partial year keeps its label


def test_cbp_total_over_a_range_reports_the_years_it_has() -> None:
    total, years = reference.cbp_encounters_total(fiscal_years=(2022, 2025))
    assert years == [2022, 2023]
    assert total == pytest.approx(2_766_582 + 3_201_144)


def test_trac_figures_keep_their_provenance() -> None:
    figures = reference.trac_figures()
    assert len(figures) == 18
    backlog = next(f for f in figures if f.metric == "active cases pending")
    assert (
        backlog.value == 3_716_106 and backlog.source == "TRAC quick facts" and backlog.vintage == "2024-10"
    )
    assert "3,716,106" in backlog.citation()
