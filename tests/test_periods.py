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
    period_start,
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
    # the first fiscal year, which the data starts inside, is named too (records from: the first case start)
    result = immcourt.open(small_store).stats("completions", by=["fiscal_year"])
    first = result.records_from
    assert first is not None and result.metadata()["records_from"] == first.isoformat()
    started = [line for line in _footer_lines(result) if "the data starts inside them" in line]
    first_fy = first.year + (1 if first.month >= 10 else 0)
    expected = [] if first == date(first_fy - 1, 10, 1) else [str(first_fy)]
    assert started == (
        [f"Partial periods (records from {first}: the data starts inside them): {first_fy}"]
        if expected
        else []
    )


def test_web_chart_ends_at_the_last_complete_year_unless_asked(small_store, through) -> None:
    from immcourt.web.app import create_app
    from immcourt.web.charts import chart_spec
    from immcourt.web.service import Dashboard

    board = Dashboard(small_store)
    partial_fy = last_complete_fiscal_year(through) + 1
    # From FY2010: the release's start (records from, a partial first year) is outside this view.
    result = board.view([("metric", "completions"), ("by", "fiscal_year"), ("fy_from", "2010")])
    assert result.partial_periods == [str(partial_fy)]
    assert partial_fy in [row["fiscal_year"] for row in result.rows]  # the table keeps it
    drawn = [row["fiscal_year"] for row in chart_spec(result)["data"]["values"]]
    assert partial_fy not in drawn and partial_fy - 1 in drawn
    shown = board.view(
        [("metric", "completions"), ("by", "fiscal_year"), ("fy_from", "2010"), ("partial", "show")]
    )
    spec = chart_spec(shown)
    drawn = {row["fiscal_year"]: row["partial_period"] for row in spec["data"]["values"]}
    assert drawn[partial_fy] is True and drawn[partial_fy - 1] is False
    assert spec["encoding"]["opacity"]["field"] == "partial_period"
    assert f"{partial_fy}: partial period (drawn lighter)" in spec["title"]["subtitle"]

    client = TestClient(create_app(small_store))
    page = client.get("/explore?metric=completions&by=fiscal_year&fy_from=2010")
    assert page.status_code == 200
    assert f"records through {through.isoformat()}" in page.text
    assert f"Fiscal year {partial_fy} (records through {through.isoformat()}) is partial" in page.text
    assert "partial=show" in page.text
    assert page.text.count('data-testid="partial-row"') == 1  # the table marks the partial year
    assert client.get("/explore?metric=completions&partial=maybe").status_code == 400


@pytest.mark.parametrize(
    ("dimension", "value", "start"),
    [
        ("fiscal_year", 2025, date(2024, 10, 1)),
        ("calendar_year", "2025", date(2025, 1, 1)),
        ("month", "2024-02", date(2024, 2, 1)),
        ("administration", "Biden", date(2021, 1, 20)),
        ("administration", "Nobody", None),
        ("court", "ARL", None),
    ],
)
def test_period_start(dimension, value, start) -> None:
    assert period_start(dimension, value) == start


def test_a_period_the_data_starts_inside_is_partial() -> None:
    first = date(1999, 10, 7)  # records from
    assert is_partial("fiscal_year", 2000, None, first) and not is_partial("fiscal_year", 2001, None, first)
    assert is_partial("month", "1999-10", None, first) and not is_partial("month", "1999-11", None, first)
    assert is_partial("administration", "Clinton", None, first)
    assert not is_partial("administration", "G.W. Bush", None, first)
    assert not is_partial("month", "1999-10", None, date(1999, 10, 1))  # starts on the month's first day
    assert is_partial("fiscal_year", 2027, date(2026, 10, 31), first)  # and the end still counts


def test_records_from_is_the_earliest_case_start(tmp_path) -> None:
    from tests.builders import MiniRelease

    release = MiniRelease()
    release.case(1).proceeding(1, 10, osc="2019-03-05", comp="2020-01-10", dec="X")
    release.case(2).proceeding(2, 20, osc="2019-04-01")
    # case 3's first proceeding has no OSC_DATE: its INPUT_DATE (2019-03-02) starts it
    release.case(3).proceeding(3, 30, osc=None, input_date="2019-03-02")
    db = immcourt.open(release.store(tmp_path))
    assert db.records_from() == date(2019, 3, 2)
