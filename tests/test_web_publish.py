"""Issue 13 on the dashboard: unknown names are a 404 with suggestions, hidden-everything says why,
downloads open as they are in pandas, file names carry the filters, small fixes (a11y, release page)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import immcourt


@pytest.fixture(scope="module")
def client(small_store) -> TestClient:
    from immcourt.web.app import create_app

    return TestClient(create_app(small_store))


@pytest.fixture(scope="module")
def courts(small_store) -> list[str]:
    rows = immcourt.open(small_store).stats("completions", by=["court"]).to_dicts()
    return sorted(row["court"] for row in rows)


def test_misspelled_court_profile_is_a_404_with_did_you_mean(client, courts) -> None:
    court = courts[0]
    typo = court[:-1] + ("X" if court[-1] != "X" else "Y")
    page = client.get("/profile/court", params={"value": typo})
    assert page.status_code == 404
    assert f"did you mean {court}" in page.text and "is not in release" in page.text
    assert client.get("/profile/court", params={"value": court}).status_code == 200


def test_unknown_nationality_and_judge_in_the_explorer_and_overview_are_404(client) -> None:
    for url in (
        "/explore?metric=completions&by=fiscal_year&nationality=ATLANTIS",
        "/?nationality=ATLANTIS",
        "/profile/judge?value=NOBODY%20AT%20ALL",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "is not in release" in response.text


def test_all_cells_hidden_says_how_many_records_and_which_option(client, small_store) -> None:
    db = immcourt.open(small_store)
    judges = db.stats("asylum_grant_rate", by=["judge"])
    assert all(row["value"] is None for row in judges.to_dicts()) or not judges.to_dicts()
    total = sum(cell["n"] for cell in judges.suppressed)
    page = client.get("/explore?metric=asylum_grant_rate&by=judge")
    assert page.status_code == 200
    assert f"{total:,} records in {len(judges.suppressed):,} hidden cells" in page.text
    assert "opt.judge_min_decisions (now 100)" in page.text and "opt.min_n (now 10)" in page.text


def test_csv_download_opens_in_pandas_as_it_is(client) -> None:
    import io

    import pandas as pd

    response = client.get(
        "/download/view.csv?metric=allowed_to_remain_share&by=fiscal_year&nationality=MEXICO"
    )
    frame = pd.read_csv(io.BytesIO(response.content))
    assert list(frame.columns[:2]) == ["data", "fiscal_year"] and set(frame["data"]) == {"SAMPLE"}
    assert frame["value"].between(0, 1).all()  # raw fractions in files
    assert frame["partial_period"].dtype == bool
    name = response.headers["content-disposition"]
    assert 'filename="SAMPLE-allowed_to_remain_share-by-fiscal_year-nationality=MEXICO-' in name


def test_printed_sql_runs_as_printed_against_the_catalog(small_store, client, monkeypatch) -> None:
    import duckdb
    from typer.testing import CliRunner

    from immcourt.cli import app
    from immcourt.engine import dialect_comment

    db = immcourt.open(small_store)
    result = db.stats("asylum_grant_rate", by=["fiscal_year"])
    printed = CliRunner().invoke(
        app, ["sql", "asylum_grant_rate", "--store", str(small_store), "--by", "fiscal_year"]
    )
    assert printed.exit_code == 0, printed.output
    # `immcourt sql` names its dialect on the first line (engine.py), then prints the runnable SQL.
    assert printed.stdout == dialect_comment("duckdb") + "\n" + result.runnable_sql
    assert "Minimum-n step (applied after this query)" in printed.stdout
    monkeypatch.chdir(small_store)
    with duckdb.connect("catalog.duckdb", read_only=True) as con:
        rows = con.sql(printed.stdout).fetchall()
    hidden = {cell["fiscal_year"] for cell in result.suppressed}
    shown = [(row[0], row[1]) for row in rows if row[0] not in hidden]
    assert shown == [(row["fiscal_year"], row["value"]) for row in result.to_dicts()]
    assert len(rows) == len(result.to_dicts()) + len(hidden)
    for metric in ("pending", "median_days_to_completion", "asylum_decisions"):  # every model relation
        other = db.stats(metric, by=["fiscal_year"])
        with duckdb.connect("catalog.duckdb", read_only=True) as con:
            ran = con.sql(other.runnable_sql).fetchall()
        assert len(ran) == len(other.to_dicts()) + len(other.suppressed), metric
    page = client.get("/explore?metric=asylum_grant_rate&by=fiscal_year").text
    assert "CREATE OR REPLACE TEMP VIEW" in page and "cd STORE &amp;&amp; duckdb catalog.duckdb" in page


def test_shares_are_written_alike_on_screen() -> None:
    from immcourt.cli.stats import _format_cell
    from immcourt.metrics.display import format_value

    assert format_value(0.41234, column="value", kind="share") == "41.2%"
    assert format_value(0.05, column="value", kind="share") == "5.0%"
    assert format_value(12345, column="n", kind="share") == "12,345"
    assert format_value(2024, column="fiscal_year", kind="count") == "2024"
    assert format_value(None, column="value", kind="share") == ""
    assert _format_cell("value", 0.41234, "share") == "41.2%"


def test_share_table_cells_on_the_page_are_percent(client, small_store) -> None:
    rows = immcourt.open(small_store).stats("allowed_to_remain_share", by=["fiscal_year"]).to_dicts()
    page = client.get("/explore?metric=allowed_to_remain_share&by=fiscal_year").text
    first = rows[0]
    small = ' <abbr class="small-n" title="from fewer than 30 decisions">small n</abbr>'
    assert f">{first['value'] * 100:.1f}%{small if first['denominator'] < 30 else ''}</td>" in page
    assert ("small n" in page) == any(row["denominator"] < 30 for row in rows)


def _result(rows, by, kind="share"):
    """A ViewResult over hand-made rows (no store): what the chart builder sees."""
    import pyarrow as pa

    from immcourt.web.query import ViewQuery
    from immcourt.web.service import ReleaseStamp, ViewResult

    unit = "share" if kind == "share" else "cases"
    metric = type("M", (), {"name": "allowed_to_remain_share", "unit": unit, "kind": kind,
                            "description": "d", "options": {}, "dimensions": by})()  # fmt: skip
    return ViewResult(
        query=ViewQuery(metric=metric.name, by=tuple(by)),
        metric=metric,
        table=pa.Table.from_pylist(rows),
        value_column="value",
        sql="",
        stamp=ReleaseStamp("2026-11-01", False, "", "2026-10-31"),
        options={},
        exclusions={},
        suppressed=[],
    )


def test_share_lines_break_at_a_withheld_year_and_small_n_is_marked() -> None:
    from immcourt.web.charts import chart_spec

    rows = [  # FY2022 withheld: the line must not join 2021 to 2023
        {"fiscal_year": 2020, "value": 0.5, "denominator": 100, "n": 100},
        {"fiscal_year": 2021, "value": 0.4, "denominator": 12, "n": 12},
        {"fiscal_year": 2023, "value": 0.3, "denominator": 80, "n": 80},
        {"fiscal_year": 2024, "value": 0.2, "denominator": 90, "n": 90},
    ]
    spec = chart_spec(_result(rows, ["fiscal_year"]))
    data = spec["data"]["values"]
    assert [row["_segment"] for row in data] == [0, 0, 1, 1]
    assert [row["small_n"] for row in data] == [False, True, False, False]
    line, marks = spec["layer"]
    assert line["mark"]["type"] == "line" and line["encoding"]["detail"][0]["field"] == "_segment"
    assert marks["mark"]["type"] == "text" and marks["encoding"]["text"] == {"value": "small n"}
    assert spec["description"].startswith("Line chart: Allowed to remain share by fiscal year")


def test_categories_are_bars_with_human_labels_and_plain_options() -> None:
    from immcourt.metrics.display import options_plain
    from immcourt.web.charts import chart_spec

    rows = [
        {"administration": "Obama", "outcome": "asylum_granted", "value": 0.2, "denominator": 50, "n": 50},
        {"administration": "Biden", "outcome": "removal_order", "value": 0.3, "denominator": 50, "n": 50},
    ]
    spec = chart_spec(_result(rows, ["administration", "outcome"]))
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["xOffset"]["field"] == "outcome"
    assert {row["outcome"] for row in spec["data"]["values"]} == {"Asylum granted", "Removal order"}
    assert "Asylum granted" in spec["encoding"]["color"]["scale"]["domain"]
    assert options_plain({"withholding_as": "relief", "include_admin_closure": False}) == (
        "Options: include admin closure: no; withholding as relief"
    )


def test_stacked_bars_are_named_beside_the_last_bar_not_by_colour_alone() -> None:
    """Counts by fiscal year and outcome: one stack order (outcomes' fixed order, bottom first), white
    edges, and the last bar's segments named at their middles; a segment under 6% of the tallest bar gets
    no label (it would overlap)."""
    from immcourt.web.charts import chart_spec

    rows = [
        {"fiscal_year": 2024, "outcome": "asylum_granted", "value": 10, "n": 10},
        {"fiscal_year": 2024, "outcome": "removal_order", "value": 30, "n": 30},
        {"fiscal_year": 2025, "outcome": "asylum_granted", "value": 20, "n": 20},
        {"fiscal_year": 2025, "outcome": "terminated", "value": 2, "n": 2},  # 2 < 6% of 80: no label
        {"fiscal_year": 2025, "outcome": "removal_order", "value": 58, "n": 58},
    ]
    spec = chart_spec(_result(rows, ["fiscal_year", "outcome"], kind="count"))
    bars, names = spec["layer"]
    assert bars["mark"] == {"type": "bar", "stroke": "#fff", "strokeWidth": 0.6}
    assert bars["encoding"]["order"]["field"] == "_stack"
    assert bars["encoding"]["color"]["sort"] == ["Asylum granted", "Terminated", "Removal order"]
    labels = names["data"]["values"]
    # bottom-up in FY2025: granted 0-20 (middle 10), terminated 20-22, removal 22-80 (middle 51)
    assert labels == [
        {"fiscal_year": 2025, "_label_y": 10.0, "_label": "Asylum granted"},
        {"fiscal_year": 2025, "_label_y": 51.0, "_label": "Removal order"},
    ]
    assert names["mark"]["type"] == "text" and names["encoding"]["y"]["stack"] is None
    by_court = chart_spec(
        _result(
            [{**row, "court": str(row["fiscal_year"])} for row in rows], ["court", "outcome"], kind="count"
        )
    )
    assert "layer" not in by_court  # courts sorted by size: no last bar to name


def test_small_fixes_skip_link_release_path_fy_dash_and_busy_port(client, small_store, tmp_path) -> None:
    import socket

    from immcourt.cli.serve import port_in_use
    from immcourt.cli.stats import _parse_fy

    page = client.get("/").text
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert 'aria-label="Bar chart: ' in page or 'aria-label="Line chart: ' in page
    assert "data-autosubmit" in page  # forms submit on Apply; app.js no longer listens to `change`
    release = client.get("/release").text
    assert str(small_store) not in release and str(tmp_path.anchor + "tmp") not in release
    assert "EOIR Case Data.zip" in release
    assert client.get("/api/release").json()["release"]["source"] == "EOIR Case Data.zip"
    assert _parse_fy("2024-2025") == _parse_fy("2024:2025") == (2024, 2025)
    assert _parse_fy("2024") == (2024, 2024)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert port_in_use("127.0.0.1", taken.getsockname()[1]) == "address already in use"
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert port_in_use("127.0.0.1", port) is None


def test_selects_do_not_submit_on_change() -> None:
    from pathlib import Path

    script = (Path(__file__).resolve().parents[1] / "src/immcourt/web/static/app.js").read_text()
    assert 'addEventListener("change", () => {\n        if (field' not in script
    assert "navigate(form)" in script and "metric.dataset.initial" in script


def test_cli_parquet_of_a_sample_says_sample_in_the_data(small_store, tmp_path) -> None:
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from immcourt.cli import app

    out = tmp_path / "c.parquet"
    args = ["stats", "completions", "--store", str(small_store), "--by", "outcome", "--format", "parquet"]
    assert CliRunner().invoke(app, [*args, "--output", str(out)]).exit_code == 0
    table = pq.read_table(out)
    assert table.column_names[:2] == ["data", "outcome"] and set(table.column("data").to_pylist()) == {
        "SAMPLE"
    }
