"""Metric values on hand-built releases, SQL snapshots, portability and the generated methodology."""

from __future__ import annotations

import os
import warnings
from datetime import date
from pathlib import Path

import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot.errors import ErrorLevel

import immcourt
from immcourt.metrics.catalog import METRICS
from immcourt.metrics.compile import compile_sql, make_request
from immcourt.metrics.methodology import methodology_markdown
from immcourt.metrics.options import StatsError
from tests.builders import MiniRelease

PROJECT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE_SNAPSHOTS = os.environ.get("IMMCOURT_UPDATE_SNAPSHOTS") == "1"


def four_outcomes() -> MiniRelease:
    # Completed in FY2020: removal (X), voluntary departure (V), withholding under a removal order (E),
    # relief (R). One more case removed in FY2021 in absentia, and one pending case.
    return (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, comp="2020-01-10", dec="X")
        .case(2)
        .proceeding(2, 20, comp="2020-02-10", dec="V")
        .case(3)
        .proceeding(3, 30, comp="2020-03-10", dec="E")
        .case(4, e28="2019-04-01")
        .proceeding(4, 40, comp="2020-04-10", dec="R")
        .case(5)
        .proceeding(5, 50, comp="2020-11-10", dec="X", absentia="Y")
        .case(6)
        .proceeding(6, 60)
    )


def value(result, **dims) -> object:
    rows = [row for row in result.to_dicts() if all(row[k] == v for k, v in dims.items())]
    assert len(rows) == 1, rows
    return rows[0]["value"]


def test_withholding_under_removal_order_under_both_options(tmp_path):
    db = immcourt.open(four_outcomes().store(tmp_path))
    fy2020 = {"fiscal_years": (2020, 2020), "options": {"min_n": 0}}
    # relief (default): remain = {E, R} = 2 of 4, removed = {X, V} = 2 of 4
    assert db.stats("allowed_to_remain_share", **fy2020).to_dicts()[0]["value"] == pytest.approx(0.5)
    assert db.stats("removed_share", **fy2020).to_dicts()[0]["value"] == pytest.approx(0.5)
    # removal: remain = {R} = 1/4, removed = {X, V, E} = 3/4
    removal = {"fiscal_years": (2020, 2020), "options": {"min_n": 0, "withholding_as": "removal"}}
    assert db.stats("allowed_to_remain_share", **removal).to_dicts()[0]["value"] == pytest.approx(0.25)
    row = db.stats("removed_share", **removal).to_dicts()[0]
    assert (row["numerator"], row["denominator"], row["value"]) == (3, 4, pytest.approx(0.75))


def test_completions_by_fiscal_year_and_outcome(tmp_path):
    db = immcourt.open(four_outcomes().store(tmp_path))
    result = db.stats("completions", by=["fiscal_year", "outcome"])
    got = {(row["fiscal_year"], row["outcome"]): row["value"] for row in result.to_dicts()}
    assert got == {
        (2020, "removal_order"): 1,
        (2020, "voluntary_departure"): 1,
        (2020, "protection_under_removal_order"): 1,
        (2020, "relief_granted"): 1,
        (2021, "removal_order"): 1,
        # every series lists every period for every group: 0 where the class had no completion
        (2021, "voluntary_departure"): 0,
        (2021, "protection_under_removal_order"): 0,
        (2021, "relief_granted"): 0,
    }
    assert result.table.column_names == ["fiscal_year", "outcome", "value", "numerator", "denominator", "n"]


def test_in_absentia_and_represented_and_pending(tmp_path):
    db = immcourt.open(four_outcomes().store(tmp_path))
    # removal orders: case 1 (not in absentia), case 5 (in absentia) -> 1/2
    assert db.stats("in_absentia_share", options={"min_n": 0}).to_dicts()[0]["value"] == pytest.approx(0.5)
    # represented: only case 4 (E-28 before completion) of 5 completed -> 0.2
    assert db.stats("represented_share", options={"min_n": 0}).to_dicts()[0]["value"] == pytest.approx(0.2)
    # all six start 2019-03-01; on 2020-03-01 cases 1 and 2 are completed -> 4 pending
    assert db.stats("pending", at="2020-03-01").to_dicts()[0]["value"] == 4
    # FY-end series: FY2019 6 pending; FY2020 6 - 4 = 2; FY2021 2 - 1 = 1, carried to the release
    # date's fiscal year (2025-06-30: FY2025)
    series = {r["fiscal_year"]: r["value"] for r in db.stats("pending", by="fiscal_year").to_dicts()}
    assert series == {2019: 6, 2020: 2, 2021: 1, 2022: 1, 2023: 1, 2024: 1, 2025: 1}


def test_median_days_and_new_cases(tmp_path):
    db = immcourt.open(four_outcomes().store(tmp_path))
    # days from 2019-03-01: 315 (2020-01-10), 346, 375, 406, 620 -> median 375
    assert db.stats("median_days_to_completion", options={"min_n": 0}).to_dicts()[0]["value"] == 375
    assert db.stats("new_cases", by="fiscal_year").to_dicts() == [
        {"fiscal_year": 2019, "value": 6, "numerator": None, "denominator": None, "n": 6}
    ]


def test_asylum_grant_rate_conventions_and_decisions(tmp_path):
    # Granted: cases 1, 2; denied: case 3; withdrawn (other): case 4. All completed in FY2022.
    release = MiniRelease()
    for idn, (dec, appl) in enumerate([("R", "G"), ("R", "F"), ("X", "D"), ("X", "W")], start=1):
        release.case(idn).proceeding(idn, idn * 10, comp="2022-01-01", dec=dec).application(
            idn, idn * 10, "ASYL", appl
        )
    db = immcourt.open(release.store(tmp_path))
    trac = db.stats("asylum_grant_rate", options={"min_n": 0})
    assert trac.to_dicts()[0]["value"] == pytest.approx(2 / 3)
    assert trac.convention.startswith("TRAC")
    eoir = db.stats("asylum_grant_rate", options={"min_n": 0, "grant_rate": "eoir"})
    assert eoir.to_dicts()[0]["value"] == pytest.approx(2 / 4)
    decisions = db.stats("asylum_decisions", by="asylum_decision")
    assert {r["asylum_decision"]: r["value"] for r in decisions.to_dicts()} == {"granted": 2, "denied": 1}
    # 4 decisions < min_n 10: the share is hidden and reported
    hidden = db.stats("asylum_grant_rate")
    assert hidden.to_dicts() == [] and len(hidden.suppressed) == 1


def test_judge_rule_hides_judges_below_the_threshold(tmp_path):
    # Judge AAA: 3 decisions, judge BBB: 1 decision; with judge_min_decisions=2 only AAA is shown.
    release = MiniRelease()
    for idn, judge in enumerate(["AAA", "AAA", "AAA", "BBB"], start=1):
        release.case(idn).proceeding(idn, idn * 10, comp="2022-01-01", dec="R", judge=judge)
        release.application(idn, idn * 10, "ASYL", "G" if idn != 2 else "D")
    db = immcourt.open(release.store(tmp_path))
    result = db.stats("asylum_grant_rate", by="judge", options={"min_n": 0, "judge_min_decisions": 2})
    assert [(r["judge"], r["numerator"], r["denominator"]) for r in result.to_dicts()] == [
        ("Judge Alpha", 2, 3)
    ]
    assert [s["judge"] for s in result.suppressed] == ["Judge Beta"]


def test_closed_without_merits_with_and_without_admin_closures(tmp_path):
    release = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, comp="2020-01-01", dec="T")
        .case(2)
        .proceeding(2, 20, comp="2020-01-01", dec="U")
        .case(3)
        .proceeding(3, 30, comp="2020-01-01", other="A")
        .case(4)
        .proceeding(4, 40, comp="2020-01-01", other="F")
    )
    db = immcourt.open(release.store(tmp_path))
    # terminated (T) + dismissed (U, and F failure to prosecute) = 3; with admin closure (A) = 4
    assert db.stats("closed_without_merits").to_dicts()[0]["value"] == 3
    assert (
        db.stats("closed_without_merits", options={"include_admin_closure": "yes"}).to_dicts()[0]["value"]
        == 4
    )


def test_every_metric_cut_by_asylum_case_takes_asylum_codes(tmp_path):
    """A dimension defined by an option (asylum_case by asylum_codes) brings that option to every metric cut
    by it. Found by the reference model: closed_without_merits by asylum_case used the default codes
    whatever asylum_codes said. By hand: case 1 (dismissed, U) filed only ASYW; case 2 (dismissed) filed
    ASYL. Under ASYL,ASYW both are asylum cases; under ASYL only case 2 is."""
    release = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, comp="2020-01-01", dec="U")
        .application(1, 10, "ASYW", None)
        .case(2)
        .proceeding(2, 20, comp="2020-01-01", dec="U")
        .application(2, 20, "ASYL", None)
    )
    db = immcourt.open(release.store(tmp_path))
    rows = db.stats("closed_without_merits", by=("asylum_case",)).to_dicts()
    assert {row["asylum_case"]: row["value"] for row in rows} == {True: 2}
    only_asyl = db.stats("closed_without_merits", by=("asylum_case",), options={"asylum_codes": "ASYL"})
    assert {row["asylum_case"]: row["value"] for row in only_asyl.to_dicts()} == {True: 1, False: 1}
    for metric in db.metrics():
        if "asylum_case" in metric.dimensions:
            assert "asylum_codes" in {option.name for option in metric.options}, metric.name
        if "represented" in metric.dimensions:
            assert "representation" in {option.name for option in metric.options}, metric.name


def test_filters_periods_and_administrations(tmp_path):
    release = (
        MiniRelease()
        .case(1, nat="GT")
        .proceeding(1, 10, comp="2021-01-19", dec="X", court="HOU")
        .case(2, nat="HO")
        .proceeding(2, 20, comp="2021-01-20", dec="X", court="HOU")
        .case(3, nat="GT")
        .proceeding(3, 30, comp="2021-01-20", dec="X", court="NYC")
    )
    db = immcourt.open(release.store(tmp_path))
    assert db.stats("completions", administration="biden").to_dicts()[0]["value"] == 2
    assert db.stats("completions", administration="Trump I").to_dicts()[0]["value"] == 1
    # display name, case-insensitive, or code
    assert db.stats("completions", where={"nationality": "guatemala"}).to_dicts()[0]["value"] == 2
    assert db.stats("completions", where={"court": ["HOU", "new york"]}).to_dicts()[0]["value"] == 3
    assert db.stats("completions", date_from="2021-01-20", date_to="2021-01-20").to_dicts()[0]["value"] == 2
    by_admin = db.stats("completions", by="administration")
    assert {r["administration"]: r["value"] for r in by_admin.to_dicts()} == {"Biden": 2, "Trump I": 1}


@pytest.fixture(scope="module")
def errors_db(tmp_path_factory):
    return immcourt.open(four_outcomes().parquet_store(tmp_path_factory.mktemp("errors")))


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda db: db.stats("nope"), "valid metrics: completions"),
        (lambda db: db.stats("completions", by="planet"), "valid dimensions: fiscal_year"),
        (
            lambda db: db.stats("completions", options={"withholding_as": "maybe"}),
            "choose one of: relief, removal",
        ),
        (lambda db: db.stats("completions", options={"colour": "red"}), "valid options: deciding_proceeding"),
        (lambda db: db.stats("completions", administration="Lincoln"), "valid: "),
        (lambda db: db.stats("pending", by="outcome"), "not available for metric pending"),
        (lambda db: db.stats("completions", date_from="yesterday"), "YYYY-MM-DD"),
    ],
)
def test_errors_name_the_bad_value_and_list_the_valid_ones(errors_db, call, fragment):
    db = errors_db
    with pytest.raises(StatsError, match=fragment.replace("(", r"\(")):
        call(db)


# -- SQL snapshots and portability ---------------------------------------------------------------------

SNAPSHOT_CUTS = (("fiscal_year",), ("court", "fiscal_year"))


def _snapshot_sql(metric_name: str, by: tuple[str, ...]) -> str:
    by = tuple(d for d in by if d in next(m for m in METRICS if m.name == metric_name).dimensions)
    request = make_request(metric_name, by=by, where={"nationality": "GUATEMALA"}, fiscal_years=(2022, 2024))
    return compile_sql(request, release_id="snapshot", default_at=None)


@pytest.mark.parametrize("metric", [m.name for m in METRICS])
def test_sql_snapshot(metric):
    sql = "\n".join(f"-- by: {', '.join(by)}\n{_snapshot_sql(metric, by)}" for by in SNAPSHOT_CUTS)
    path = SNAPSHOTS / f"{metric}.sql"
    if UPDATE_SNAPSHOTS or not path.exists():
        if not UPDATE_SNAPSHOTS:
            pytest.fail(f"missing snapshot {path}; run with IMMCOURT_UPDATE_SNAPSHOTS=1 to create it")
        path.parent.mkdir(exist_ok=True)
        path.write_text(sql)
    assert sql == path.read_text(), (
        f"SQL for {metric} changed; review and regenerate with IMMCOURT_UPDATE_SNAPSHOTS=1"
    )


@pytest.mark.parametrize("metric", [m.name for m in METRICS])
@pytest.mark.parametrize(
    "by", [(), ("fiscal_year",), ("court", "fiscal_year"), ("month",), ("administration",)]
)
def test_sql_transpiles_to_spark(metric, by):
    sql = (
        _snapshot_sql(metric, by)
        if metric != "pending" or by
        else compile_sql(make_request("pending", at="2024-09-30"), release_id="x")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spark = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)
    assert spark and "SELECT" in spark[0].upper()


def test_methodology_doc_is_current():
    committed = (PROJECT / "docs" / "METHODOLOGY.md").read_text(encoding="utf-8")
    assert committed == methodology_markdown(), (
        "docs/METHODOLOGY.md is stale: immcourt metrics --markdown > it"
    )


# -- properties ------------------------------------------------------------------------------------------

DAY = st.integers(min_value=0, max_value=2500)
CASE = st.tuples(
    DAY,
    st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),
    st.sampled_from(["X", "V", "R", "T", "U", "E", "O", None]),
    st.sampled_from([None, "A", "C"]),
)


def _release_from(cases: list[tuple]) -> MiniRelease:
    from datetime import date, timedelta

    origin = date(2015, 10, 1)
    release = MiniRelease()
    for idn, (start, duration, dec, other) in enumerate(cases, start=1):
        osc = (origin + timedelta(days=start)).isoformat()
        comp = None if duration is None else (origin + timedelta(days=start + duration)).isoformat()
        if comp and dec is None and other is None:
            dec = "X"
        release.case(idn).proceeding(
            idn,
            idn * 10,
            osc=osc,
            comp=comp,
            dec=dec if comp else None,
            other=other if comp and not dec else None,
        )
    return release


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(CASE, min_size=1, max_size=30))
def test_properties_on_random_releases(tmp_path_factory, cases):
    # parquet written directly (no ingest) keeps the many examples fast; ingest is exercised elsewhere
    db = immcourt.open(_release_from(cases).parquet_store(tmp_path_factory.mktemp("prop")))
    by_fy = {r["fiscal_year"]: r["value"] for r in db.stats("completions", by="fiscal_year").to_dicts()}
    by_outcome = db.stats("completions", by=["fiscal_year", "outcome"]).to_dicts()
    # outcome classes sum to completions
    for fy, total in by_fy.items():
        assert sum(r["value"] for r in by_outcome if r["fiscal_year"] == fy) == total
    # shares lie in [0, 1]
    for name in ("allowed_to_remain_share", "removed_share", "represented_share", "in_absentia_share"):
        for row in db.stats(name, by="fiscal_year", options={"min_n": 0}).to_dicts():
            if row["n"]:  # a year without a record is listed with no value
                assert 0.0 <= row["value"] <= 1.0
            else:
                assert row["value"] is None
    # pending at FY end t+1 = pending at t + receipts - completions (admin_closure_as=closed)
    receipts = {r["fiscal_year"]: r["value"] for r in db.stats("new_cases", by="fiscal_year").to_dicts()}
    years = range(2016, 2024)
    first = db.records_from()

    def pending_at(fy: int) -> int:
        if first is None or date(fy, 9, 30) < first:  # before the first record nothing is pending, and the
            with pytest.raises(StatsError, match="before the release's first record"):  # API says so (F40)
                db.stats("pending", at=f"{fy}-09-30")
            return 0
        return db.stats("pending", at=f"{fy}-09-30").to_dicts()[0]["value"]

    pending = {fy: pending_at(fy) for fy in years}
    for fy in years[1:]:
        assert pending[fy] == pending[fy - 1] + receipts.get(fy, 0) - by_fy.get(fy, 0)
    series = {r["fiscal_year"]: r["value"] for r in db.stats("pending", by="fiscal_year").to_dicts()}
    for fy, count in series.items():
        if fy in pending:
            assert count == pending[fy]


def test_pending_series_carries_counts_through_periods_without_events(tmp_path):
    # Houston: one case from FY2019 (2019-03-01) completed in FY2022. New York: one case from FY2020,
    # still open. No event anywhere in FY2021, yet it has its row; every court gets every fiscal year
    # from the first start (FY2019) to the release date's (2025-06-30: FY2025): New York has 0 pending
    # in FY2019.
    release = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, osc="2019-03-01", comp="2022-01-01", dec="X", court="HOU")
        .case(2)
        .proceeding(2, 20, osc="2020-03-01", court="NYC")
    )
    db = immcourt.open(release.parquet_store(tmp_path))
    rows = db.stats("pending", by=["court", "fiscal_year"]).to_dicts()
    got = {(r["court"], r["fiscal_year"]): r["value"] for r in rows}
    assert got == {
        ("Houston", 2019): 1,
        ("Houston", 2020): 1,
        ("Houston", 2021): 1,
        ("Houston", 2022): 0,
        ("Houston", 2023): 0,
        ("Houston", 2024): 0,
        ("Houston", 2025): 0,
        ("New York", 2019): 0,
        ("New York", 2020): 1,
        ("New York", 2021): 1,
        ("New York", 2022): 1,
        ("New York", 2023): 1,
        ("New York", 2024): 1,
        ("New York", 2025): 1,
    }
