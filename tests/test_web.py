"""The dashboard's API, pages and downloads against a real store built from a generated ~2,000-case sample.

Expected values come from independent paths: the Python API (`immcourt.open(store).stats`) for the same
question, sums that must agree across groupings, and the files inside the store.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import immcourt

EXPECTED_METRICS = {
    "completions", "allowed_to_remain_share", "removed_share", "closed_without_merits", "new_cases",
    "pending", "asylum_decisions", "asylum_grant_rate", "median_days_to_completion", "in_absentia_share",
    "represented_share",
}  # fmt: skip


@pytest.fixture(scope="module")
def web_store(small_store) -> Path:
    """The suite's store of one ingested SAMPLE release of 2,000 generated cases (tests/conftest.py)."""
    return small_store


@pytest.fixture(scope="module")
def client(web_store) -> TestClient:
    from immcourt.web.app import create_app

    return TestClient(create_app(web_store))


@pytest.fixture(scope="module")
def db(web_store):
    return immcourt.open(web_store)


def _rows(result) -> list[dict]:
    return json.loads(json.dumps(result.to_dicts(), default=str))


def test_metrics_endpoint_lists_the_catalog(client):
    body = client.get("/api/metrics").json()
    assert {metric["name"] for metric in body} == EXPECTED_METRICS
    completions = next(metric for metric in body if metric["name"] == "completions")
    assert "outcome" in completions["dimensions"]
    withholding = next(option for option in completions["options"] if option["name"] == "withholding_as")
    assert withholding["default"] == "relief" and set(withholding["choices"]) == {"relief", "removal"}


def test_stats_matches_the_python_api_and_is_stamped(client, db):
    body = client.get("/api/stats?metric=completions&by=fiscal_year&by=outcome").json()
    direct = db.stats("completions", by=["fiscal_year", "outcome"])
    assert body["rows"] == _rows(direct)
    assert body["release"] == db.release.id and body["sample_data"] is True
    assert body["release"].startswith("sample-")
    # One serialiser: every metadata key of the CLI's JSON (Result.metadata) is in the API's answer, equal.
    meta = direct.metadata()
    assert set(meta) <= set(body)
    for key in ("release", "records_through", "sample_data", "by", "where", "exclusions", "notes"):
        assert body[key] == meta[key], key
    assert body["notice"].startswith("SAMPLE DATA")
    assert body["options"]["withholding_as"] == "relief"
    assert "SELECT" in body["sql"].upper()


def test_groupings_add_up_to_the_total(client):
    total = client.get("/api/stats?metric=completions").json()["rows"][0]["value"]
    by_year = client.get("/api/stats?metric=completions&by=fiscal_year").json()["rows"]
    by_outcome = client.get("/api/stats?metric=completions&by=outcome").json()["rows"]
    assert total > 0
    assert sum(row["value"] for row in by_year) == total
    assert sum(row["value"] for row in by_outcome) == total


def test_a_filter_equals_that_group(client):
    by_nationality = client.get("/api/stats?metric=completions&by=nationality").json()["rows"]
    biggest = max(by_nationality, key=lambda row: row["value"])
    filtered = client.get(
        "/api/stats", params={"metric": "completions", "nationality": biggest["nationality"]}
    )
    assert filtered.json()["rows"][0]["value"] == biggest["value"]
    assert filtered.json()["where"] == {"nationality": [biggest["nationality"]]}


def test_an_option_changes_the_numbers_it_should(client, db):
    query = "/api/stats?metric=removed_share&by=fiscal_year&opt.withholding_as=removal"
    body = client.get(query).json()
    assert body["options"]["withholding_as"] == "removal"
    assert body["rows"] == _rows(
        db.stats("removed_share", by=["fiscal_year"], options={"withholding_as": "removal"})
    )
    assert "opt.withholding_as=removal" in body["query"]


def test_permalink_is_canonical(client):
    first = client.get("/api/stats?by=fiscal_year&metric=completions&opt.withholding_as=relief").json()
    second = client.get("/api/stats?metric=completions&by=fiscal_year").json()
    # The default option value is dropped, so both spellings share one permalink and one cache entry.
    assert first["query"] == second["query"] == "metric=completions&by=fiscal_year"


def test_user_errors_are_400_with_the_parameter_named(client):
    cases = {
        "/api/stats?metric=backlogs": "metric='backlogs'",
        "/api/stats?metric=completions&by=planet": "by='planet'",
        "/api/stats?metric=completions&opt.withholding_as=sometimes": "withholding_as",
        "/api/stats?metric=completions&fy_from=20x4": "fy_from",
    }
    for url, named in cases.items():
        response = client.get(url)
        assert response.status_code == 400, url
        assert named in response.json()["detail"], url


def test_csv_download_is_the_view_with_its_stamp(client, db):
    query = "metric=completions&by=fiscal_year&fy_from=2020"
    response = client.get(f"/download/view.csv?{query}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "#" not in response.text  # no comment lines: parsers read the file as it is
    data = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["data"] for row in data} == {"SAMPLE"}
    last_fy = max(int(row["fiscal_year"]) for row in _rows(db.stats("completions", by=["fiscal_year"])))
    expected = db.stats("completions", by=["fiscal_year"], fiscal_years=(2020, last_fy)).to_dicts()
    assert [(int(row["fiscal_year"]), int(row["value"])) for row in data] == [
        (row["fiscal_year"], row["value"]) for row in expected
    ]
    assert [row["partial_period"] for row in data] == ["false"] * (len(data) - 1) + ["true"]
    meta = client.get(f"/download/view.metadata.json?{query}").json()  # the sidecar
    assert meta["release"] == db.release.id and meta["is_sample"] == "true"
    assert "withholding_as=relief" in meta["notice"] and meta["records_through"]


def test_parquet_and_xlsx_downloads_carry_release_and_options(client, db):
    query = "metric=asylum_grant_rate&by=fiscal_year"
    table = pq.read_table(io.BytesIO(client.get(f"/download/view.parquet?{query}").content))
    meta = json.loads(table.schema.metadata[b"immcourt"])
    assert meta["release"] == db.release.id and meta["is_sample"] == "true"
    assert json.loads(meta["options"])["grant_rate"] == "trac"
    assert meta["convention"].startswith("TRAC")
    assert table.column_names[0] == "data" and set(table.column("data").to_pylist()) == {"SAMPLE"}
    rows = [
        {k: v for k, v in row.items() if k not in ("data", "partial_period")} for row in table.to_pylist()
    ]
    assert rows == db.stats("asylum_grant_rate", by=["fiscal_year"]).to_dicts()
    book = zipfile.ZipFile(io.BytesIO(client.get(f"/download/view.xlsx?{query}").content))
    assert 'name="metadata"' in book.read("xl/workbook.xml").decode()
    strings = book.read("xl/sharedStrings.xml").decode()
    assert db.release.id in strings and "grant_rate" in strings


def test_chart_images_render_from_the_same_spec(client, db):
    query = "metric=completions&by=fiscal_year&by=outcome"
    spec = client.get(f"/api/chart?{query}").json()
    assert spec["usermeta"]["immcourt"] == {"query": query, "release": db.release.id}
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "SAMPLE DATA" in subtitle and db.release.id in subtitle and "withholding as relief" in subtitle
    png = client.get(f"/download/view.png?{query}")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(f"/download/view.svg?{query}").text
    assert svg.lstrip().startswith("<svg") and db.release.id in svg


def test_every_page_renders_and_says_sample(client, db):
    judge = client.get("/api/stats?metric=completions&by=judge").json()["rows"][0]["judge"]
    court = client.get("/api/stats?metric=completions&by=court").json()["rows"][0]["court"]
    pages = [
        "/", "/?nationality=MEXICO&fy_from=2019", "/explore?metric=pending&by=fiscal_year", "/methodology",
        "/release", "/profile/court", f"/profile/court?value={court}", "/profile/nationality?value=MEXICO",
        f"/profile/judge?value={judge}", "/check",
    ]  # fmt: skip
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "SAMPLE DATA" in response.text and db.release.id in response.text, path


def test_judge_profile_withholds_rates_below_the_minimum(client, db):
    # With ~2,000 cases no judge reaches TRAC's 100 asylum decisions, so every judge-year rate is withheld.
    decisions = db.stats("asylum_decisions", by=["judge"]).to_dicts()
    judge = max(decisions, key=lambda row: row["value"])
    assert judge["value"] < 100
    page = client.get("/profile/judge", params={"value": judge["judge"]}).text
    assert "fewer than 100 decisions" in page


def test_release_endpoint_reports_reconciliation(client, web_store, db):
    body = client.get("/api/release").json()
    on_disk = json.loads((web_store / f"release={db.release.id}" / "_release.json").read_text())
    assert body["release"]["reconciliation"] == on_disk["reconciliation"]
    assert body["stamp"]["release_id"] == db.release.id
    page = client.get("/release").text
    assert "Reconciliation" in page


def test_release_page_compares_the_release_with_eoir(client, web_store):
    # A sample release: shapes only, with the counts said to be not comparable (issue 9).
    from immcourt.validate import validate

    expected = validate(web_store)
    page = html.unescape(client.get("/release").text)
    assert "Compared with EOIR's published figures" in page and "not comparable" in page
    fy2019 = next(c for c in expected.comparisons if c.series == "new cases" and c.fiscal_year == 2019)
    assert f"{fy2019.share_computed * 100:.1f}%" in page and f"{fy2019.published:,.0f}" in page
    assert page.count('data-testid="validation"') == len(expected.series())


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/metrics", "/api/stats", "/api/release", "/api/check", "/api/chart"} <= set(paths)
    assert "post" in paths["/api/check"]
    names = {parameter["name"] for parameter in paths["/api/stats"]["get"]["parameters"]}
    assert {"metric", "by", "fy_from", "fy_to", "at"} <= names


def test_claim_check_api_and_page(client):
    text = "Immigration judges completed 1,234 cases in fiscal year 2023."
    response = client.post("/api/check", json={"text": text})
    assert response.status_code == 200
    assert isinstance(response.json(), dict | list)
    page = client.post("/check", data={"text": text})
    assert page.status_code == 200 and 'data-testid="check-report"' in page.text
    assert "1,234" in page.text  # the report (escaped into the frame's srcdoc) quotes the claim
    assert client.post("/api/check", json={"text": ""}).status_code == 422


def test_serve_cli_rejects_a_missing_store_in_one_line(tmp_path):
    from immcourt.cli import app

    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder" in result.output and result.output.strip().count("\n") <= 1
    assert "Traceback" not in result.output


def test_a_filter_one_panel_cannot_take_is_explained_in_that_panel(client):
    page = client.get("/?administration=Biden")
    assert page.status_code == 200
    # `pending` is a stock: the metrics layer refuses an administration period for it; the other eight
    # overview panels apply the filter.
    assert page.text.count("Not available for this view: pending") == 1
    queries = re.findall(r'data-query="([^"]*)"', page.text)
    assert len(queries) == 8 and all("administration=Biden" in html.unescape(query) for query in queries)


def test_serve_cli_names_the_releases_when_asked_for_a_missing_one(web_store, db):
    from immcourt.cli import app

    result = CliRunner().invoke(app, ["serve", "--store", str(web_store), "--release", "1999-01-01"])
    assert result.exit_code == 2
    assert "1999-01-01" in result.output and db.release.id in result.output  # lists the releases there
    assert "Traceback" not in result.output
