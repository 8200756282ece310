"""The persisted `cases` table: a later process reads it instead of rebuilding, with identical results."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import immcourt
from immcourt.model import build

# (metric, stats arguments): several metrics across three model-option sets.
QUERIES: list[tuple[str, dict]] = [
    ("completions", {"by": ["fiscal_year", "outcome"]}),
    ("asylum_grant_rate", {"by": ["fiscal_year"], "options": {"grant_rate": "eoir", "min_n": 1}}),
    ("pending", {"by": ["fiscal_year"]}),
    ("median_days_to_completion", {"by": ["custody"], "options": {"min_n": 1}}),
    ("represented_share", {"by": ["fiscal_year"], "options": {"representation": "reps_table", "min_n": 1}}),
    (
        "closed_without_merits",
        {
            "by": ["outcome"],
            "options": {"deciding_proceeding": "last_completed", "admin_closure_as": "pending"},
        },
    ),
]
OPTION_SETS = 3  # default; representation=reps_table; last_completed + admin_closure_as=pending


@pytest.fixture
def store(small_store: Path, tmp_path: Path) -> Path:
    """A private copy of the 2,000-case sample store, so each test starts without a cache."""
    copy = tmp_path / "store"
    shutil.copytree(small_store, copy)
    for entries in copy.glob("release=*/model"):
        shutil.rmtree(entries)  # the session store may hold entries other tests persisted
    return copy


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """Model options of every real build (not a load of a persisted table), in order."""
    calls: list[dict[str, str]] = []
    real = build._build_tables

    def counting(con, resolved, **kwargs):  # noqa: ANN001, ANN202 - a spy with the real signature
        calls.append(dict(resolved))
        return real(con, resolved, **kwargs)

    monkeypatch.setattr(build, "_build_tables", counting)
    return calls


def answers(db) -> list[tuple]:  # noqa: ANN001 - an immcourt Store
    """Everything a user sees of each query: rows, exclusions, suppressed cells."""
    results = [db.stats(metric, **arguments) for metric, arguments in QUERIES]
    return [(r.to_dicts(), r.exclusions, r.suppressed, r.sql) for r in results]


def entries(store: Path) -> list[Path]:
    return sorted(path for path in store.glob("release=*/model/*") if not path.name.startswith("."))


def test_second_store_reads_the_persisted_table_with_identical_results(store, builds):
    first = answers(immcourt.open(store))
    assert len(builds) == OPTION_SETS
    written = {path: (path / "cases.parquet").stat().st_mtime_ns for path in entries(store)}
    assert len(written) == OPTION_SETS

    second_db = immcourt.open(store)
    second = answers(second_db)
    assert len(builds) == OPTION_SETS, "the second store rebuilt instead of reading the cache"
    assert {path: (path / "cases.parquet").stat().st_mtime_ns for path in entries(store)} == written
    assert second == first
    views = second_db.connection().sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    assert second_db.cases_table() in {name for (name,) in views}


def test_persisted_table_has_the_built_rows_and_types(store):
    built_db = immcourt.open(store)
    built = built_db.cases_table({"administration_by": "fiscal_year"})
    loaded_db = immcourt.open(store)
    loaded = loaded_db.cases_table({"administration_by": "fiscal_year"})
    assert built == loaded
    describe = f"SELECT column_name, column_type FROM (DESCRIBE {built})"
    assert built_db.connection().sql(describe).fetchall() == loaded_db.connection().sql(describe).fetchall()
    rows = f"SELECT * FROM {built} ORDER BY idncase"
    assert built_db.connection().sql(rows).fetchall() == loaded_db.connection().sql(rows).fetchall()


def test_each_model_option_set_gets_its_own_entry_and_others_do_not(store, builds):
    db = immcourt.open(store)
    db.stats("completions")
    db.stats("completions", options={"withholding_as": "removal", "min_n": 3})  # not model options
    assert len(entries(store)) == 1
    db.stats("completions", options={"deciding_proceeding": "last_completed"})
    assert len(entries(store)) == 2
    keys = [(path / "key.json").read_text(encoding="utf-8") for path in entries(store)]
    assert sum('"last_completed"' in key for key in keys) == 1
    assert len(builds) == 2


def test_unwritable_release_keeps_the_in_memory_build(store, builds, monkeypatch):
    # Root ignores file permissions, so the write itself is made to fail the way a read-only folder does.
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise PermissionError("read-only file system")

    monkeypatch.setattr(build, "_write_entry", refuse)
    first = answers(immcourt.open(store))
    assert entries(store) == []
    assert not list(store.glob("release=*/model/.tmp-*")), "a failed write left its staging folder"
    monkeypatch.undo()
    assert answers(immcourt.open(store)) == first


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_release_folder(store):
    (release,) = store.glob("release=*")
    release.chmod(0o555)
    try:
        first = answers(immcourt.open(store))
        assert not (release / "model").exists()
    finally:
        release.chmod(0o755)
    assert answers(immcourt.open(store)) == first


def test_damaged_cache_file_is_rebuilt(store, builds):
    first = answers(immcourt.open(store))
    (entry, *_) = entries(store)
    path = entry / "cases.parquet"
    path.write_bytes(path.read_bytes()[:100])
    assert answers(immcourt.open(store)) == first
    assert len(builds) == OPTION_SETS + 1
    assert (entry / "cases.parquet").stat().st_size > 100, "the rebuild persisted a good copy"


def test_fingerprint_follows_the_model_sql(store, builds, tmp_path, monkeypatch):
    sql = tmp_path / "sql"
    shutil.copytree(build.SQL_DIR, sql)
    monkeypatch.setattr(build, "SQL_DIR", sql)
    before = build.model_fingerprint()
    immcourt.open(store).stats("completions")
    assert build.model_fingerprint() == before

    cases_sql = sql / "050_cases.sql"
    cases_sql.write_text(cases_sql.read_text(encoding="utf-8") + "\n-- an edit\n", encoding="utf-8")
    assert build.model_fingerprint() != before
    immcourt.open(store).stats("completions")
    assert len(builds) == 2, "a changed model SQL file must not serve the old table"
    assert len(entries(store)) == 2


def test_fingerprint_follows_the_outcome_map(tmp_path, monkeypatch):
    outcome_map = tmp_path / "outcome_map.csv"
    shutil.copy(build.OUTCOME_MAP, outcome_map)
    monkeypatch.setattr(build, "OUTCOME_MAP", outcome_map)
    before = build.model_fingerprint()
    outcome_map.write_text(outcome_map.read_text(encoding="utf-8") + "New Outcome,other\n", encoding="utf-8")
    assert build.model_fingerprint() != before


def test_materialize_persists_the_default_table_for_later_stores(store, builds):
    entry = build.materialize(store)
    assert entry is not None and (entry / "cases.parquet").is_file()
    assert build.materialize(store) == entry  # already there: nothing rebuilt
    assert len(builds) == 1
    immcourt.open(store).stats("completions", by=["fiscal_year"])
    assert len(builds) == 1, "the default stats rebuilt although materialize persisted the table"


def test_materialize_by_release_id_and_options(store, builds, monkeypatch):
    (release,) = store.glob("release=*")
    release_id = release.name.removeprefix("release=")
    entry = build.materialize(store, release=release_id, options={"representation": "reps_table"})
    assert entry is not None and entry.parent.parent == release
    immcourt.open(store).stats("represented_share", options={"representation": "reps_table"})
    assert len(builds) == 1
    with pytest.raises(build.ModelError):
        build.materialize(store, release="no-such-release")
    monkeypatch.setattr(build, "_write_entry", lambda *args: (_ for _ in ()).throw(PermissionError()))
    assert build.materialize(release, options={"admin_closure_as": "pending"}) is None


def test_ingest_command_builds_the_default_model_unless_told_not_to(
    small_sample: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from immcourt.cli import app

    zip_path = str(small_sample / "EOIR Case Data.zip")
    with_model, without_model = tmp_path / "with", tmp_path / "without"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", zip_path, "--store", str(with_model), "--json"]).exit_code == 0
    assert (
        runner.invoke(app, ["ingest", zip_path, "--store", str(without_model), "--no-model"]).exit_code == 0
    )
    assert len(list(with_model.glob("release=*/model/*/cases.parquet"))) == 1
    assert list(without_model.glob("release=*/model/*/cases.parquet")) == []


def test_counts_are_kept_beside_the_model_and_read_by_the_next_process(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exclusions and marked-case counts every statistic reports are computed once (`warm`, run by
    `immcourt ingest`), kept in the model's cache entry, and read back by a later Store instead of
    scanning the model: with the counting queries broken, the next Store reports the same exclusions."""
    from immcourt.metrics import api

    first = immcourt.open(store)
    first.warm()
    expected = answers(first)
    first.close()
    counts = build.cache_entry(next(store.glob("release=*")).resolve()) / build.MODEL_COUNTS_FILE
    assert {"model_exclusions", "defect_counts", "negative_durations", "decision_exclusions"} <= set(
        json.loads(counts.read_text())
    )

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("counted again instead of read from counts.json")

    for name in ("model_exclusions", "defect_counts", "negative_durations"):
        monkeypatch.setattr(api, name, broken)
    second = immcourt.open(store)
    assert answers(second)[:1] == expected[:1]  # default options: every count read from the file
    second.close()
