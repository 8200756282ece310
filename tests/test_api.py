"""The Python API's Result object and the `immcourt stats / metrics / sql` commands."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app
from tests.builders import MiniRelease


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    # Three removal orders and one relief grant, all in FY2020 at Houston; one Guatemalan relief grant.
    release = MiniRelease()
    for idn in (1, 2, 3):
        release.case(idn, nat="HO").proceeding(idn, idn * 10, comp="2020-01-15", dec="X", court="HOU")
    release.case(4, nat="GT").proceeding(4, 40, comp="2020-02-15", dec="R", court="HOU")
    return release.store(tmp_path_factory.mktemp("api"))


def test_result_carries_provenance_and_converts(store):
    db = immcourt.open(store)
    assert db.release.id == "sample-2025-06-30" and db.release.is_sample
    assert [m.name for m in db.metrics()][0] == "completions"
    result = db.stats("completions", by=["outcome"], where={"nationality": "honduras"})
    assert result.to_dicts() == [
        {"outcome": "removal_order", "value": 3, "numerator": None, "denominator": None, "n": 3}
    ]
    assert result.to_pandas()["value"].tolist() == [3]
    assert result.to_polars()["value"].to_list() == [3]
    assert result.to_arrow().num_rows == 1
    assert "FROM cases_" in result.sql and "'HONDURAS'" in result.sql
    assert result.options["withholding_as"] == "relief" and result.options["min_n"] == 10
    assert result.where == {"nationality": ("honduras",)}
    assert result.metric.name == "completions" and result.by == ("outcome",)
    assert isinstance(result.exclusions, dict)


def test_release_selection(tmp_path):
    MiniRelease().case(1).proceeding(1, 10, comp="2020-01-01", dec="X").parquet_store(
        tmp_path, release_id="2024-01-31"
    )
    MiniRelease().case(1).proceeding(1, 10, comp="2020-01-01", dec="V").parquet_store(
        tmp_path, release_id="2025-03-31"
    )
    assert immcourt.open(tmp_path).release.id == "2025-03-31"
    older = immcourt.open(tmp_path, release="2024-01-31")
    assert older.stats("completions", by="outcome").to_dicts()[0]["outcome"] == "removal_order"
    with pytest.raises(ValueError, match="releases: 2024-01-31, 2025-03-31"):
        immcourt.open(tmp_path, release="1999-01-01")


runner = CliRunner()


def test_cli_csv_is_plain_csv_with_provenance_beside_it(store, tmp_path):
    args = ["stats", "removed_share", "--store", str(store), "--by", "court", "--option", "min_n=1"]
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    # stdout is the CSV only (pandas/R/Excel read it as it is); a sample's rows say SAMPLE in a column
    assert result.stdout.splitlines() == [
        "data,court,value,numerator,denominator,n",
        "SAMPLE,Houston,0.75,3,4,4",
    ]
    notes = result.stderr
    assert "sample-2025-06-30" in notes and "SAMPLE DATA" in notes and "withholding_as=relief" in notes
    assert "Excluded" in notes
    out = tmp_path / "removed.csv"
    assert runner.invoke(app, [*args, "--format", "csv", "--output", str(out)]).exit_code == 0
    sidecar = json.loads((tmp_path / "removed.metadata.json").read_text())
    assert sidecar["release"] == "sample-2025-06-30" and sidecar["sample_data"] is True
    assert out.read_text().splitlines()[1] == "SAMPLE,Houston,0.75,3,4,4"  # 3 of 4 Houston completions


def test_cli_csv_names_its_filters_and_period(store):
    args = ["stats", "removed_share", "--store", str(store), "--where", "court=Houston", "--fy", "2020:2022"]
    result = runner.invoke(app, [*args, "--option", "min_n=1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Filters: court=Houston" in result.stderr
    assert "Period: fiscal_years=(2020, 2022)" in result.stderr


def test_cli_json_and_parquet_carry_metadata(store, tmp_path):
    result = runner.invoke(
        app,
        [
            "stats",
            "completions",
            "--store",
            str(store),
            "--fy",
            "2020",
            "--where",
            "nationality=GT",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["rows"][0]["value"] == 1
    assert payload["metadata"]["sample_data"] is True
    assert payload["metadata"]["period"]["fiscal_years"] == "(2020, 2020)"
    out = tmp_path / "out.parquet"
    result = runner.invoke(
        app, ["stats", "completions", "--store", str(store), "--format", "parquet", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.column("value").to_pylist() == [4]
    assert json.loads(table.schema.metadata[b"immcourt"])["release"] == "sample-2025-06-30"


def test_cli_errors_are_one_line_without_traceback(store):
    result = runner.invoke(app, ["stats", "completions", "--store", str(store), "--by", "planet"])
    assert result.exit_code == 2
    assert "dimension 'planet'" in result.output and "Traceback" not in result.output
    missing = runner.invoke(app, ["stats", "completions", "--store", str(store / "nowhere")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_cli_metrics_and_sql(store):
    listing = runner.invoke(app, ["metrics"])
    assert listing.exit_code == 0 and "asylum_grant_rate" in listing.stdout
    sql = runner.invoke(
        app, ["sql", "completions", "--by", "fiscal_year", "--option", "deciding_proceeding=last_completed"]
    )
    assert sql.exit_code == 0 and sql.stdout.startswith("-- dialect: DuckDB\n-- immcourt metric completions")
    plain = runner.invoke(app, ["sql", "completions", "--by", "fiscal_year"])
    # a different deciding-proceeding option reads a different `cases` table
    assert plain.stdout.split("FROM ")[1].split()[0] != sql.stdout.split("FROM ")[1].split()[0]
    # --engine spark prints the same statement in Spark SQL (no PySpark needed), saying so first
    spark = runner.invoke(app, ["sql", "completions", "--by", "month", "--engine", "spark"])
    assert spark.exit_code == 0, spark.output
    assert spark.stdout.startswith("-- dialect: Spark SQL")
    assert "EXPLODE(" in spark.stdout and " DIV 12" in spark.stdout and "UNNEST" not in spark.stdout
    wrong = runner.invoke(app, ["sql", "completions", "--engine", "oracle"])
    assert wrong.exit_code != 0 and "duckdb, spark" in wrong.output


def test_cli_csv_and_json_read_in_pandas_as_they_are(store):
    """`stats --format csv` and `--format json` open in pandas without any cleaning; every row carries every
    column (the sample's `data` column too), and both give the same table."""
    import io

    import pandas as pd

    args = [
        "stats",
        "completions",
        "--store",
        str(store),
        "--by",
        "court",
        "--by",
        "outcome",
    ]
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert as_csv.exit_code == 0 and as_json.exit_code == 0, as_csv.output + as_json.output
    frame = pd.read_csv(io.StringIO(as_csv.stdout))
    assert list(frame.columns) == ["data", "court", "outcome", "value", "numerator", "denominator", "n"]
    assert frame[["outcome", "value"]].values.tolist() == [["relief_granted", 1], ["removal_order", 3]]
    rows = json.loads(as_json.stdout)["rows"]
    assert all(list(row) == list(frame.columns) for row in rows)
    from_json = pd.DataFrame(rows)
    assert (from_json["data"] == "SAMPLE").all() and from_json["value"].tolist() == [1, 3]
    pd.testing.assert_frame_equal(
        from_json[["court", "outcome", "value", "n"]], frame[["court", "outcome", "value", "n"]]
    )
