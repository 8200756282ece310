"""Records-through and partial periods (metrics/periods.py), checked against hand-worked calendar facts,
and how the CLI and the dashboard mark them."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

import immcourt
from immcourt.metrics.periods import (
    is_partial,
    last_complete_fiscal_year,
    partial_label,
    period_end,
    records_through,
)


def test_records_through_is_the_day_before_the_release() -> None:
    assert records_through(date(2026, 11, 1)) == date(2026, 10, 31)
    assert records_through(date(2024, 3, 1)) == date(2024, 2, 29)  # leap year
    assert records_through(None) is None


@pytest.mark.parametrize(
    ("dimension", "value", "end"),
    [
        ("fiscal_year", 2027, date(2027, 9, 30)),
        ("fiscal_year", "2026", date(2026, 9, 30)),
        ("calendar_year", 2026, date(2026, 12, 31)),
        ("month", "2024-02", date(2024, 2, 29)),
        ("month", "2023-02", date(2023, 2, 28)),
        ("administration", "Biden", date(2025, 1, 19)),
        ("administration", "trump ii", date(9999, 12, 31)),
        ("administration", "Nobody", None),
        ("fiscal_year", "unknown", None),
        ("court", "ARL", None),
    ],
)
def test_period_end(dimension, value, end) -> None:
    assert period_end(dimension, value) == end


def test_release_of_2026_11_01_has_fy2027_partial_and_fy2026_complete() -> None:
    through = date(2026, 10, 31)
    assert is_partial("fiscal_year", 2027, through)
    assert not is_partial("fiscal_year", 2026, through)
    assert is_partial("month", "2026-11", through) and not is_partial("month", "2026-10", through)
    assert is_partial("administration", "Trump II", through)
    assert not is_partial("administration", "Biden", through)
    assert not is_partial("fiscal_year", 2027, None)
    assert partial_label("fiscal_year", 2027, through) == "FY2027 (partial, through 2026-10-31)"
    assert partial_label("fiscal_year", 2026, through) == "2026"
    assert last_complete_fiscal_year(through) == 2026
    assert last_complete_fiscal_year(date(2026, 9, 29)) == 2025
    assert last_complete_fiscal_year(date(2026, 9, 30)) == 2026


@pytest.fixture(scope="module")
def through(small_store) -> date:
    return immcourt.open(small_store).release.records_through


def test_release_info_knows_its_last_day(small_store, through) -> None:
    db = immcourt.open(small_store)
    assert through == db.release.release_date - (date(2000, 1, 2) - date(2000, 1, 1))
    assert db.stats("completions").metadata()["records_through"] == through.isoformat()


def test_cli_names_the_last_day_and_the_partial_year(small_store, through) -> None:
    from immcourt.cli.stats import _footer_lines

    lines = _footer_lines(immcourt.open(small_store).stats("completions", by=["fiscal_year"]))
    assert f"records through {through.isoformat()}" in lines[0]
    partial_fy = last_complete_fiscal_year(through) + 1
    assert f"Partial periods (the release ends inside them): {partial_fy}" in lines


def test_web_chart_ends_at_the_last_complete_year_unless_asked(small_store, through) -> None:
    from immcourt.web.app import create_app
    from immcourt.web.charts import chart_spec
    from immcourt.web.service import Dashboard

    board = Dashboard(small_store)
    partial_fy = last_complete_fiscal_year(through) + 1
    result = board.view([("metric", "completions"), ("by", "fiscal_year")])
    assert result.partial_periods == [str(partial_fy)]
    assert partial_fy in [row["fiscal_year"] for row in result.rows]  # the table keeps it
    drawn = [row["fiscal_year"] for row in chart_spec(result)["data"]["values"]]
    assert partial_fy not in drawn and partial_fy - 1 in drawn
    shown = board.view([("metric", "completions"), ("by", "fiscal_year"), ("partial", "show")])
    spec = chart_spec(shown)
    drawn = {row["fiscal_year"]: row["partial_period"] for row in spec["data"]["values"]}
    assert drawn[partial_fy] is True and drawn[partial_fy - 1] is False
    assert spec["encoding"]["opacity"]["field"] == "partial_period"
    assert f"{partial_fy}: partial period (drawn lighter)" in spec["title"]["subtitle"]

    client = TestClient(create_app(small_store))
    page = client.get("/explore?metric=completions&by=fiscal_year")
    assert page.status_code == 200
    assert f"records through {through.isoformat()}" in page.text
    assert f"Fiscal year {partial_fy} is partial" in page.text and "partial=show" in page.text
    assert page.text.count('data-testid="partial-row"') == 1  # the table marks the partial year
    assert client.get("/explore?metric=completions&partial=maybe").status_code == 400
