"""Periods wholly before the release's first record are an error, never a zero (tester5 F40).

The hand-built release: case 3 starts first, on its INPUT_DATE 2019-03-02 (no OSC_DATE), so records run from
2019-03-02; case 1 is the only completion (2020-01-10, FY2020).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app
from immcourt.metrics.options import StatsError
from immcourt.metrics.periods import coverage_notes
from tests.builders import MiniRelease


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    release = MiniRelease()
    release.case(1).proceeding(1, 10, osc="2019-03-05", comp="2020-01-10", dec="X")
    release.case(2).proceeding(2, 20, osc="2019-04-01")
    release.case(3).proceeding(3, 30, osc=None, input_date="2019-03-02")
    return release.store(tmp_path_factory.mktemp("records-start"))


def test_the_rule_itself() -> None:
    first = date(2019, 3, 2)
    release = date(2025, 7, 1)
    with pytest.raises(ValueError, match=r"ends 2018-09-30, before the release's first record"):
        coverage_notes(release_date=release, records_from=first, fiscal_years=(1990, 2018))
    with pytest.raises(ValueError, match=r"at=2019-03-01 is before the release's first record"):
        coverage_notes(release_date=release, records_from=first, at=date(2019, 3, 1))
    with pytest.raises(ValueError, match="ends 2001-01-19"):  # Clinton's last day
        coverage_notes(release_date=release, records_from=first, administration="Clinton")
    assert coverage_notes(release_date=release, records_from=first, at=first) == []
    assert coverage_notes(release_date=release, records_from=first, fiscal_years=(2017, 2020)) == [
        "records from 2019-03-02; FY2017-FY2018 end before it: no records, not zero cases",
        "records from 2019-03-02; FY2019 is partial: the data starts inside it",
    ]
    assert coverage_notes(
        release_date=release, records_from=first, date_from=date(2019, 1, 1), date_to=date(2019, 6, 30)
    ) == ["records from 2019-03-02; the period asked starts 2019-01-01: earlier days have no records"]


def test_api_refuses_a_period_before_the_records(store: Path) -> None:
    db = immcourt.open(store)
    assert db.records_from() == date(2019, 3, 2)
    with pytest.raises(StatsError, match=r"records from 2019-03-02"):
        db.stats("completions", fiscal_years=(1990, 1995))
    with pytest.raises(StatsError, match=r"at=1800-01-01 is before the release's first record"):
        db.stats("pending", at="1800-01-01")
    with pytest.raises(StatsError, match=r"ends 2018-12-31, before"):
        db.stats("completions", date_to="2018-12-31")


def test_a_range_reaching_before_the_records_is_answered_with_a_note(store: Path) -> None:
    db = immcourt.open(store)
    result = db.stats("completions", fiscal_years=(2018, 2020))
    assert result.rows[0][-1] == 1  # case 1, completed 2020-01-10
    assert "records from 2019-03-02; FY2018 ends before it: no records, not zero cases" in result.notes
    assert "records from 2019-03-02; FY2019 is partial: the data starts inside it" in result.notes


def test_cli_and_web_say_the_same(store: Path) -> None:
    run = CliRunner().invoke(app, ["stats", "pending", "--store", str(store), "--at", "1900-01-01"])
    assert run.exit_code == 2  # the CLI's exit status for a request it refuses (as after the records)
    assert "before the release's first record (records from 2019-03-02)" in " ".join(run.output.split())
    from immcourt.web.app import create_app

    client = TestClient(create_app(store))
    answer = client.get("/api/stats", params={"metric": "completions", "fy_from": 1990, "fy_to": 1995})
    assert 400 <= answer.status_code < 500
    assert "records from 2019-03-02" in answer.text
