"""`immcourt update`: fetch + ingest + model in one command, against a local HTTP server serving a sample."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from immcourt.cli import app
from tests.test_fetch import NAME, _Server

runner = CliRunner()


@pytest.fixture
def server(small_sample: Path) -> Iterator[_Server]:
    srv = _Server((small_sample / NAME).read_bytes())
    yield srv
    srv.httpd.shutdown()


def _update(store: Path, url: str) -> object:
    return runner.invoke(app, ["update", "--store", str(store), "--url", url, "--no-progress"])


def test_update_fetches_ingests_and_models_then_skips_an_unchanged_release(
    server: _Server, small_sample: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = _update(store, server.url)
    assert first.exit_code == 0, first.output
    manifest = json.loads((small_sample / "oracle" / "manifest.json").read_text())
    release_id = f"sample-{manifest['release_date']}"
    folder = store / f"release={release_id}"
    info = json.loads((folder / "_release.json").read_text())
    # every case of the generated release is in the store, and the default model is built and kept
    assert info["count_txt"]["A_TblCase"] == manifest["row_counts"]["A_TblCase"] == 2_000
    assert list((folder / "model").glob("*/cases.parquet")), "the case model was not built"
    assert f"release {release_id} ingested and modelled" in first.output
    assert (store / ".downloads" / NAME).read_bytes() == server.body

    import immcourt

    assert immcourt.open(store).stats("completions").to_dicts()[0]["value"] > 0
    server.requests.clear()
    second = _update(store, server.url)
    assert second.exit_code == 0, second.output
    assert "up to date" in second.output and [r for r in server.requests if r[0] == "GET"] == []


def test_update_ingests_a_downloaded_zip_missing_from_the_store(server: _Server, tmp_path: Path) -> None:
    """The server's copy is unchanged since the last fetch, but the store lacks it: it is ingested."""
    downloads = tmp_path / "dl"
    fetched = runner.invoke(app, ["fetch", "--out", str(downloads), "--url", server.url, "--no-progress"])
    assert fetched.exit_code == 0
    result = runner.invoke(
        app,
        [
            "update",
            "--store",
            str(tmp_path / "s"),
            "--downloads",
            str(downloads),
            "--url",
            server.url,
            "--no-progress",
        ],
    )
    assert result.exit_code == 0 and "ingested and modelled" in result.output, result.output


def test_update_errors_are_one_line_and_say_what_to_do(server: _Server, tmp_path: Path) -> None:
    offline = _update(tmp_path / "s1", "http://127.0.0.1:9/EOIR%20Case%20Data.zip")
    assert offline.exit_code == 1 and "Traceback" not in offline.output
    assert len(offline.output.strip().splitlines()) == 1
    assert "cannot connect" in offline.output and "check the connection" in offline.output
    missing = _update(tmp_path / "s2", server.url.replace(NAME, "gone.zip"))
    assert missing.exit_code == 1 and "server answered 404" in missing.output
    server.body, server.etag = b"PK\x03\x04 not a zip at all" * 100, '"v2"'
    broken = _update(tmp_path / "s3", server.url)
    assert broken.exit_code == 1 and len(broken.output.strip().splitlines()) == 1, broken.output
    assert "the store is unchanged" in broken.output and not list((tmp_path / "s3").glob("release=*"))


def test_update_refuses_other_content_under_a_stored_id_unless_replace(
    server: _Server, small_sample: Path, tmp_path: Path
) -> None:
    """tester5 F32: a release id already stored with other files is not silently replaced."""
    from immcourt.ingest import ingest_release
    from tests.fuzz_release import base_members, write_folder

    manifest = json.loads((small_sample / "oracle" / "manifest.json").read_text())
    release_id = f"sample-{manifest['release_date']}"
    store = tmp_path / "store"
    other = write_folder(tmp_path / "other", base_members())
    ingest_release(other, store=store, progress=False, release_id=release_id)
    refused = _update(store, server.url)
    assert refused.exit_code == 1
    assert f"release {release_id} is already in the store with different content" in " ".join(
        refused.output.split()
    )
    replaced = runner.invoke(
        app, ["update", "--store", str(store), "--url", server.url, "--no-progress", "--replace"]
    )
    assert replaced.exit_code == 0, replaced.output
    info = json.loads((store / f"release={release_id}" / "_release.json").read_text())
    assert info["count_txt"]["A_TblCase"] == 2_000
