"""`immcourt check`: table, JSON and HTML outputs and the one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from immcourt.cli import app
from tests.test_claims_seeds import _mini_store

TEXT = (
    "In fiscal year 2021, 4 asylum cases were terminated. Agents recorded 2 million encounters in FY2021.\n"
)


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["check", *args], input=stdin)


def test_json_output_has_every_reading_with_sql_and_release(tmp_path: Path) -> None:
    store = _mini_store(tmp_path / "store")
    article = tmp_path / "article.txt"
    article.write_text(TEXT)
    result = _run(str(article), "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["is_sample"] is True and "SAMPLE" in data["notice"]
    first, second = data["claims"]
    assert first["verdict"] == "supported" and first["readings"][0]["value"] == 4
    assert first["readings"][0]["sql"] and first["readings"][0]["release"] == "sample-2025-06-30"
    assert first["readings"][0]["period_arguments"] == {"fiscal_years": [2021, 2021]}
    assert second["verdict"] == "not_checkable" and "CBP" in second["source"]
    # FY2021 CBP nationwide encounters in the bundled aggregate: 1,956,519
    assert "1,956,519" in second["cross_checks"][0]


def test_html_report_is_self_contained_and_highlights_claims(tmp_path: Path) -> None:
    store = _mini_store(tmp_path / "store")
    out = tmp_path / "report.html"
    result = _run("-", "--store", str(store), "--format", "html", "--output", str(out), stdin=TEXT)
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "computed on SAMPLE (synthetic) data" in html
    assert len(re.findall(r"<mark class=\"v-", html)) >= 2
    assert "<details><summary>SQL</summary>" in html
    assert not re.search(r"<(?:link|script)[^>]+(?:href|src)=", html)  # no external assets


def test_table_output_names_the_sample(tmp_path: Path) -> None:
    store = _mini_store(tmp_path / "store")
    result = _run("-", "--store", str(store), stdin=TEXT)
    assert result.exit_code == 0, result.output
    assert "SAMPLE" in result.stdout and "supported" in result.stdout


def test_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "nope.txt"), "--store", str(tmp_path))
    assert result.exit_code == 2
    assert "nope.txt: no such file" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_store_is_one_clear_line(tmp_path: Path) -> None:
    result = _run("-", "--store", str(tmp_path / "nostore"), stdin=TEXT)
    assert result.exit_code == 2 and "immcourt ingest" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_as_of_date_is_one_clear_line(tmp_path: Path) -> None:
    store = _mini_store(tmp_path / "store")
    result = _run("-", "--store", str(store), "--as-of", "April 2024", stdin=TEXT)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
