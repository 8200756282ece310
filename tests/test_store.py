"""The store: releases listed in date order, the catalog, read-only opening, moving a store."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from immcourt.ingest import ingest_release
from immcourt.store import StoreError, latest_release, list_releases, open_release, schema_name


def _release(root: Path, rows: list[str]) -> Path:
    (root / "EOIR Case Data").mkdir(parents=True)
    (root / "EOIR Case Data" / "A_TblCase.csv").write_text("\r\n".join(["IDNCASE\tNAT", *rows]) + "\r\n")
    (root / "Lookup").mkdir()
    (root / "Lookup" / "tblLookupNationality.csv").write_text("code\tname\r\nGT\tGUATEMALA\r\n")
    return root


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("store-test")
    store = base / "store"
    ingest_release(
        _release(base / "old", ["1\tGT"]), store=store, release_id="2025-01-31", progress=False, partial=True
    )
    ingest_release(
        _release(base / "new", ["1\tGT", "2\tMX"]),
        store=store,
        release_id="2025-06-30",
        progress=False,
        partial=True,
    )
    return store


def test_releases_listed_oldest_first(store: Path) -> None:
    assert [info.id for info in list_releases(store)] == ["2025-01-31", "2025-06-30"]
    assert latest_release(store).id == "2025-06-30"
    assert schema_name("sample-2026-01-05") == "r_sample_2026_01_05"


def test_open_release_latest_and_by_id(store: Path) -> None:
    con, info = open_release(store)
    assert info.id == "2025-06-30" and info.tables == ("A_TblCase",)
    assert con.execute("SELECT count(*) FROM A_TblCase").fetchall() == [(2,)]
    assert con.execute("SELECT name FROM tblLookupNationality").fetchall() == [("GUATEMALA",)]
    con, info = open_release(store, "2025-01-31")
    assert con.execute("SELECT count(*) FROM A_TblCase").fetchall() == [(1,)]
    with pytest.raises(StoreError, match="no release 'nope'"):
        open_release(store, "nope")
    with pytest.raises(StoreError, match="no ingested release"):
        open_release(store.parent / "empty-store")


def test_catalog_survives_moving_the_store(store: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere"
    shutil.copytree(store, moved)
    with duckdb.connect(str(moved / "catalog.duckdb"), read_only=True) as con:
        con.execute(f"SET file_search_path = '{moved}'")
        assert con.execute("SELECT count(*) FROM latest.A_TblCase").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM r_2025_01_31.A_TblCase").fetchall() == [(1,)]
    con, info = open_release(moved)
    assert info.path.parent == moved
    assert con.execute("SELECT count(*) FROM A_TblCase").fetchall() == [(2,)]


def test_batch_memory_limit_comes_from_the_environment_and_is_checked(monkeypatch) -> None:
    from immcourt.limits import BATCH_MEMORY_LIMIT, batch_memory_limit, batch_spill_dir

    monkeypatch.delenv("IMMCOURT_MEMORY_LIMIT", raising=False)
    assert batch_memory_limit() == BATCH_MEMORY_LIMIT == "1GB"
    monkeypatch.setenv("IMMCOURT_MEMORY_LIMIT", "750MB")
    assert batch_memory_limit() == "750MB"
    monkeypatch.setenv("IMMCOURT_MEMORY_LIMIT", "1GB'; COPY")
    with pytest.raises(ValueError, match="IMMCOURT_MEMORY_LIMIT"):
        batch_memory_limit()
    monkeypatch.setenv("IMMCOURT_TEMP_DIR", "/big/disk")
    first, second = batch_spill_dir(), batch_spill_dir()
    assert first.parent == Path("/big/disk") and first != second  # one folder per connection
