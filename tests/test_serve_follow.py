"""Issue 13 item 6: `serve` picks up a release ingested under it, `check --release`, and `immcourt demo`
leaves the store's other releases alone."""

from __future__ import annotations

import shutil

from fastapi.testclient import TestClient
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app


def _second_release(tmp_path, release_date: str):
    from immcourt.sample import generate

    out = tmp_path / f"sample-{release_date}"
    generate(cases=300, seed=3, out=out, fmt="zip", quiet=True, release_date=release_date)
    return out / "EOIR Case Data.zip"


def test_a_release_ingested_while_serving_is_picked_up(small_store, tmp_path) -> None:
    from immcourt.ingest import ingest_release
    from immcourt.web.app import create_app

    store = tmp_path / "store"
    shutil.copytree(small_store, store)
    first = immcourt.open(store).release.id
    application = create_app(store)
    application.state.follow._interval = 0  # check the store on every request
    client = TestClient(application)
    assert client.get("/api/release").json()["stamp"]["release_id"] == first
    before = client.get("/api/stats?metric=completions").json()["rows"]

    newer = ingest_release(_second_release(tmp_path, "2027-03-01"), store=store, progress=False).release_id
    assert newer == "sample-2027-03-01" != first
    response = client.get("/api/stats?metric=completions")
    assert response.status_code == 200
    assert client.get("/api/release").json()["stamp"]["release_id"] == newer
    assert response.json()["rows"] != before  # 300 cases, not 2,000
    page = client.get("/")
    assert page.status_code == 200 and "records through 2027-02-28" in page.text


def test_check_takes_release(small_store, tmp_path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("Immigration judges completed 1,500 cases in fiscal year 2023.\n", encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["check", str(text), "--store", str(small_store), "--format", "json",
                             "--release", immcourt.open(small_store).release.id])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    missing = runner.invoke(app, ["check", str(text), "--store", str(small_store), "--release", "1999-01-01"])
    assert missing.exit_code != 0 and "1999-01-01" in missing.output


def test_demo_keeps_other_releases_in_its_store(tmp_path, monkeypatch) -> None:
    from immcourt.ingest import ingest_release

    out = tmp_path / "demo"
    other = ingest_release(_second_release(tmp_path, "2020-05-01"), store=out / "store", progress=False)
    articles = tmp_path / "articles"
    articles.mkdir()
    result = CliRunner().invoke(
        app, ["demo", "--out", str(out), "--cases", "300", "--articles", str(articles), "--fresh"]
    )
    assert result.exit_code == 0, result.output
    ids = {path.name for path in (out / "store").glob("release=*")}
    assert f"release={other.release_id}" in ids and len(ids) == 2
