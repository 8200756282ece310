"""The hand-worked examples of issue 8, each with the value worked out from OUTCOMES.md by hand."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app
from immcourt.metrics.api import UnknownFilterValue
from tests.builders import MiniRelease


def removed_then_reopened() -> MiniRelease:
    # Removal order 2019-03-01; a new proceeding opened 2025-03-01 and still open.
    return (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, osc="2018-05-01", comp="2019-03-01", dec="X")
        .proceeding(1, 11, osc="2018-05-01", input_date="2025-03-01")
    )


def admin_closed_recalendared_removed() -> MiniRelease:
    # Administrative closure 2019-06-01, recalendared 2023-03-01, removal order 2024-01-15.
    return (
        MiniRelease()
        .case(2)
        .proceeding(2, 20, osc="2018-05-01", comp="2019-06-01", other="A")
        .proceeding(2, 21, osc="2018-05-01", input_date="2023-03-01", comp="2024-01-15", dec="X")
    )


def pending_on(db, day: str, **options) -> int:
    return db.stats("pending", at=day, options=options).to_dicts()[0]["value"]


@pytest.mark.parametrize(
    "day, expected", [("2020-11-15", 0), ("2022-09-30", 0), ("2024-06-30", 0), ("2025-06-01", 1)]
)
def test_removal_order_then_reopening_is_not_pending_in_between(tmp_path, day, expected):
    db = immcourt.open(removed_then_reopened().parquet_store(tmp_path))
    assert pending_on(db, day) == expected


@pytest.mark.parametrize(
    "day, closed, pending",
    [
        ("2020-11-15", 0, 1),
        ("2022-09-30", 0, 1),
        ("2023-06-01", 1, 1),
        ("2024-01-15", 0, 0),
        ("2024-06-30", 0, 0),
    ],
)
def test_admin_closure_recalendared_then_removed(tmp_path, day, closed, pending):
    db = immcourt.open(admin_closed_recalendared_removed().parquet_store(tmp_path))
    assert pending_on(db, day) == closed  # default admin_closure_as=closed
    assert pending_on(db, day, admin_closure_as="pending") == pending


def test_pending_series_follows_the_history(tmp_path):
    # Both cases together, by fiscal year end: case 1 pending at the end of FY2018 only (removed in
    # FY2019, reopened in FY2025); case 2 pending at the end of FY2018, closed FY2019-FY2022,
    # pending at the end of FY2023 (recalendared), removed in FY2024. Release date 2025-06-30: FY2025.
    release = removed_then_reopened()
    other = admin_closed_recalendared_removed()
    release.cases += other.cases
    release.proceedings += other.proceedings
    db = immcourt.open(release.parquet_store(tmp_path))
    series = {r["fiscal_year"]: r["value"] for r in db.stats("pending", by="fiscal_year").to_dicts()}
    assert series == {2018: 2, 2019: 0, 2020: 0, 2021: 0, 2022: 0, 2023: 1, 2024: 0, 2025: 1}
    inactive = db.stats("pending", by="fiscal_year", options={"admin_closure_as": "pending"}).to_dicts()
    assert {r["fiscal_year"]: r["value"] for r in inactive} == {
        2018: 2, 2019: 1, 2020: 1, 2021: 1, 2022: 1, 2023: 1, 2024: 0, 2025: 1,
    }  # fmt: skip


def test_filtered_pending_series_has_every_year(tmp_path):
    # Four Guatemalan cases started in FY2021, still open; a Honduran case with events in FY2022.
    release = MiniRelease()
    for idn in range(1, 5):
        release.case(idn, nat="GT").proceeding(idn, idn * 10, osc="2021-02-01")
    release.case(9, nat="HO").proceeding(9, 90, osc="2021-11-01", comp="2022-03-01", dec="X")
    db = immcourt.open(release.parquet_store(tmp_path))
    rows = db.stats("pending", by="fiscal_year", where={"nationality": "GUATEMALA"}).to_dicts()
    assert {r["fiscal_year"]: r["value"] for r in rows} == {2021: 4, 2022: 4, 2023: 4, 2024: 4, 2025: 4}


def test_every_asylum_application_is_a_decision(tmp_path):
    release = (
        MiniRelease()
        # case 1: denied, granted and withdrawn ASYL applications in one proceeding: relief granted
        .case(1)
        .proceeding(1, 10, comp="2022-01-10", dec="R")
        .application(1, 10, "ASYL", "D")
        .application(1, 10, "ASYL", "G")
        .application(1, 10, "ASYL", "W")
        # case 2: granted 2019-05-01, then after a remand denied 2021-03-01 (removal order)
        .case(2)
        .proceeding(2, 20, comp="2019-05-01", dec="R")
        .application(2, 20, "ASYL", "G")
        .proceeding(2, 21, input_date="2020-01-01", comp="2021-03-01", dec="X")
        .application(2, 21, "ASYL", "D")
        # case 3: denied 2020-01-10, reopened and pending again
        .case(3)
        .proceeding(3, 30, comp="2020-01-10", dec="X")
        .application(3, 30, "ASYL", "D")
        .proceeding(3, 31, input_date="2024-01-01")
        # not decisions: M not adjudicated, an ASYW application, an undecided ASYL application
        .application(3, 30, "ASYL", "M")
        .application(3, 30, "ASYW", "G")
        .application(3, 31, "ASYL", None)
    )
    db = immcourt.open(release.parquet_store(tmp_path))
    decisions = db.stats("asylum_decisions", by=["fiscal_year", "asylum_decision"]).to_dicts()
    got = {(r["fiscal_year"], r["asylum_decision"]): r["value"] for r in decisions if r["value"]}
    assert got == {
        (2019, "granted"): 1,
        (2020, "denied"): 1,
        (2021, "denied"): 1,
        (2022, "denied"): 1,
        (2022, "granted"): 1,
    }
    trac = db.stats("asylum_grant_rate", options={"min_n": 0}).to_dicts()[0]
    assert (trac["numerator"], trac["denominator"]) == (2, 5)
    eoir = db.stats("asylum_grant_rate", options={"min_n": 0, "grant_rate": "eoir"}).to_dicts()[0]
    assert (eoir["numerator"], eoir["denominator"]) == (2, 6)  # + the withdrawn application
    # the case-level outcome still says asylum granted for case 1
    completions = db.stats("completions", by="outcome").to_dicts()
    assert {r["outcome"]: r["value"] for r in completions} == {"asylum_granted": 1, "removal_order": 1}


def test_judge_threshold_counts_decisions_not_cases(tmp_path):
    # One case, one proceeding, three ASYL decisions by judge AAA: shown with judge_min_decisions=3.
    release = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, comp="2022-01-10", dec="R", judge="AAA")
        .application(1, 10, "ASYL", "G")
        .application(1, 10, "ASYL", "D")
        .application(1, 10, "ASYL", "G")
    )
    db = immcourt.open(release.parquet_store(tmp_path))
    options = {"min_n": 0, "judge_min_decisions": 3}
    rows = db.stats("asylum_grant_rate", by="judge", options=options).to_dicts()
    assert [(r["judge"], r["numerator"], r["denominator"]) for r in rows] == [("Judge Alpha", 2, 3)]
    hidden = db.stats("asylum_grant_rate", by="judge", options={**options, "judge_min_decisions": 4})
    assert hidden.to_dicts() == [] and [s["judge"] for s in hidden.suppressed] == ["Judge Alpha"]


def coded() -> MiniRelease:
    return (
        MiniRelease()
        .case(1, asy_type="E", nat="GT")
        .proceeding(1, 10, comp="2020-01-01", dec="X", custody="R")
        .case(2, asy_type="I", nat="HO")
        .proceeding(2, 20, comp="2020-01-01", dec="D", custody="D", case_type="DEP")
    )


@pytest.mark.parametrize(
    "where, expected",
    [
        ({"asylum_type": "E"}, 1),
        ({"asylum_type": "defensive"}, 1),
        ({"asylum_type": ["E", "I"]}, 2),
        ({"custody": "R"}, 1),
        ({"custody": "released"}, 1),
        ({"case_type": "RMV"}, 1),
        ({"case_type": "deportation"}, 1),
        ({"nationality": "gt"}, 1),
        ({"nationality": "MEXICO"}, 0),  # in the lookup, no case: a real zero
    ],
)
def test_filters_take_codes_and_labels(tmp_path, where, expected):
    db = immcourt.open(coded().parquet_store(tmp_path))
    assert db.stats("completions", where=where).to_dicts()[0]["value"] == expected


def test_a_filter_matching_nothing_is_an_error_with_suggestions(tmp_path):
    db = immcourt.open(coded().parquet_store(tmp_path))
    with pytest.raises(UnknownFilterValue, match="nationality='GUATAMALA'.*did you mean GUATEMALA"):
        db.stats("completions", where={"nationality": "GUATAMALA"})
    with pytest.raises(UnknownFilterValue, match="asylum_type='X'"):
        db.stats("asylum_grant_rate", where={"asylum_type": "X"})


def test_the_cli_exits_non_zero_on_a_filter_matching_nothing(tmp_path):
    store = coded().parquet_store(tmp_path)
    result = CliRunner().invoke(
        app, ["stats", "completions", "--store", str(store), "--where", "nationality=GUATAMALA"]
    )
    assert result.exit_code == 2
    assert "did you mean GUATEMALA" in result.output


def test_the_web_answers_422_on_a_filter_matching_nothing(tmp_path):
    from fastapi.testclient import TestClient

    from immcourt.web.app import create_app

    client = TestClient(create_app(coded().parquet_store(tmp_path)))
    response = client.get("/api/stats?metric=completions&nationality=GUATAMALA")
    assert response.status_code == 422
    assert "did you mean GUATEMALA" in response.json()["detail"]
    assert client.get("/api/stats?metric=completions&nationality=GUATEMALA").status_code == 200
