"""`immcourt diff` against the sample generator's oracle of what changed in a month (sample --next-month).

The oracle (oracle/changes.parquet, truth/cases.parquet of both releases) is written by the generator from
the rows it simulated; the diff reads the two ingested stores with DuckDB. Neither path sees the other.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app
from immcourt.diff import DiffError, changed_keys, diff_releases
from immcourt.ingest import ingest_release
from immcourt.sample import generate
from immcourt.sample.nextmonth import next_release_date

runner = CliRunner()
CASES, SEED = 3_000, 21


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("diff")
    first = generate(cases=CASES, seed=SEED, out=base / "a", fmt="zip", defects="none", quiet=True)
    later = generate(
        cases=CASES, seed=SEED, out=base / "b", fmt="zip", defects="none", quiet=True, next_month=True
    )
    store = base / "store"
    for sample in (first, later):
        ingest_release(sample.release, store=store, progress=False)
    return {"store": store, "a": first.oracle, "b": later.oracle}


def _fiscal_year(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def test_next_month_release_is_the_same_cases_a_month_later(pair: dict[str, Path]) -> None:
    manifest = json.loads((pair["b"] / "manifest.json").read_text())
    assert manifest["release_date"] == "2026-12-01" == next_release_date(date(2026, 11, 1)).isoformat()
    assert manifest["next_month"]["previous_release_date"] == "2026-11-01"
    reasons = manifest["next_month"]["cases_by_reason"]
    assert all(reasons[k] > 0 for k in ("completed", "new_case", "vanished", "address_change"))
    truth_a = {r["IDNCASE"]: r for r in pq.read_table(pair["a"] / "truth" / "cases.parquet").to_pylist()}
    truth_b = {r["IDNCASE"]: r for r in pq.read_table(pair["b"] / "truth" / "cases.parquet").to_pylist()}
    changes = pq.read_table(pair["b"] / "changes.parquet").to_pylist()
    vanished = {c["IDNCASE"] for c in changes if c["reason"] == "vanished"}
    new = {c["IDNCASE"] for c in changes if c["reason"] == "new_case"}
    assert truth_b.keys() == (truth_a.keys() - vanished) | new and min(new) > max(truth_a)
    assert manifest["next_month"]["cases_in_release"] == len(truth_b)
    decided = [i for i in truth_a.keys() & truth_b.keys() if truth_a[i]["outcome"] != truth_b[i]["outcome"]]
    assert len(decided) == reasons["completed"]
    for idncase in decided:  # pending before, decided within the month between the two releases
        assert truth_a[idncase]["outcome"] is None and truth_b[idncase]["outcome"] is not None
        assert date(2026, 11, 1) <= truth_b[idncase]["completion_date"] < date(2026, 12, 1)
    # the cases nobody touched are the same facts in both releases
    untouched = truth_a.keys() - {c["IDNCASE"] for c in changes}
    assert all(truth_a[i] == truth_b[i] for i in untouched)


def test_the_later_release_models_to_its_own_truth(pair: dict[str, Path]) -> None:
    """The decided cases' rows (codes, dates, applications) read back as the truth says (as test_model_oracle
    checks for a first release)."""
    db = immcourt.open(pair["store"], release="sample-2026-12-01")
    truth = str(pair["b"] / "truth" / "cases.parquet")
    con, cases = db.connection(), db.cases_table()
    for column in ("outcome", "completion_date", "in_absentia", "prosecutorial_discretion"):
        differing = con.execute(
            f"SELECT count(*) FROM read_parquet(?) AS t LEFT JOIN {cases} AS c ON c.idncase = t.IDNCASE "
            f"WHERE t.{column} IS DISTINCT FROM c.{column}",
            [truth],
        ).fetchone()[0]
        assert differing == 0, column


def test_records_added_removed_changed_match_the_oracle(pair: dict[str, Path]) -> None:
    db_a = immcourt.open(pair["store"], release="sample-2026-11-01")
    db_b = immcourt.open(pair["store"], release="sample-2026-12-01")
    result = diff_releases(db_a, db_b, statistics=False)
    changes = pq.read_table(pair["b"] / "changes.parquet").to_pylist()
    expected = Counter((c["table"], c["change"]) for c in changes)
    manifest = json.loads((pair["a"] / "manifest.json").read_text())
    for t in result.tables:
        assert (t.added, t.removed, t.changed) == (
            expected[(t.table, "added")],
            expected[(t.table, "removed")],
            expected[(t.table, "changed")],
        ), t.table
        assert t.rows_a == manifest["row_counts"][t.table]
        assert t.rows_b == t.rows_a + t.added - t.removed
        assert t.unchanged == t.rows_a - t.removed - t.changed
    by_table = {t.table: t for t in result.tables}
    # the decided cases changed their proceeding's decision columns; the moved addresses their zip code
    assert by_table["B_TblProceeding"].columns_changed["COMP_DATE"] == sum(
        1 for c in changes if c["table"] == "B_TblProceeding" and "completed" in c["reason"]
    )
    assert (
        by_table["A_TblCase"].columns_changed["ALIEN_ZIPCODE"]
        == json.loads((pair["b"] / "manifest.json").read_text())["next_month"]["cases_by_reason"][
            "address_change"
        ]
    )
    for table in ("A_TblCase", "tbl_schedule", "B_TblProceeding"):
        for change in ("added", "removed", "changed"):
            keys = changed_keys(db_a.release.path, db_b.release.path, table, change)
            assert sorted(keys) == sorted(
                c["key"] for c in changes if (c["table"], c["change"]) == (table, change)
            )


def test_statistics_moved_match_the_two_truths(pair: dict[str, Path]) -> None:
    """Completions and new cases by fiscal year in each release, counted from each release's truth."""
    db_a = immcourt.open(pair["store"], release="sample-2026-11-01")
    db_b = immcourt.open(pair["store"], release="sample-2026-12-01")
    result = diff_releases(db_a, db_b, all_cells=True)
    stats = {s.statistic: s for s in result.statistics}

    def truth_counts(oracle: Path, column: str) -> Counter:
        rows = pq.read_table(oracle / "truth" / "cases.parquet").to_pylist()
        return Counter(_fiscal_year(r[column]) for r in rows if r[column] is not None)

    for label, column in (
        ("completions by fiscal year", "completion_date"),
        ("new cases by fiscal year", "start_date"),
    ):
        want_a, want_b = truth_counts(pair["a"], column), truth_counts(pair["b"], column)
        cells = {c.cells["fiscal_year"]: c for c in stats[label].moved}
        assert {y: c.a for y, c in cells.items() if c.a is not None} == dict(want_a), label
        assert {y: c.b for y, c in cells.items() if c.b is not None} == dict(want_b), label
        assert all(c.difference == c.b - c.a for c in cells.values() if c.a is not None and c.b is not None)
    # only the cells that moved are listed by default; FY2027 (the month between) gained completions
    moved = {s.statistic: s for s in diff_releases(db_a, db_b).statistics}
    fy2027 = next(c for c in moved["completions by fiscal year"].moved if c.cells["fiscal_year"] == 2027)
    assert fy2027.difference > 0 and all(c.a != c.b for s in moved.values() for c in s.moved)
    assert {"pending at the end of each fiscal year", "asylum grant rate by fiscal year"} <= moved.keys()
    # the vanished cases as release A had them: pending or by outcome, counted from A's truth
    truth_a = {r["IDNCASE"]: r for r in pq.read_table(pair["a"] / "truth" / "cases.parquet").to_pylist()}
    changes = pq.read_table(pair["b"] / "changes.parquet").to_pylist()
    gone = {c["IDNCASE"] for c in changes if c["reason"] == "vanished"}
    want = Counter(truth_a[i]["outcome"] or "pending" for i in gone)
    assert result.vanished.total == len(gone) and result.vanished.by_outcome == dict(want)


def test_cli_diff_table_json_and_errors(pair: dict[str, Path]) -> None:
    args = ["diff", "sample-2026-11-01", "sample-2026-12-01", "--store", str(pair["store"])]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert (
        "A_TblCase" in shown.stdout
        and "completions by fiscal year" in shown.stdout
        and "SAMPLE" in shown.stdout
    )
    as_json = runner.invoke(app, [*args, "--json", "--no-stats"])
    payload = json.loads(as_json.stdout)
    removed = next(t for t in payload["tables"] if t["table"] == "A_TblCase")["removed"]
    manifest = json.loads((pair["b"] / "manifest.json").read_text())
    assert removed == manifest["next_month"]["cases_by_reason"]["vanished"] and payload["statistics"] == []
    listed = runner.invoke(app, [*args, "--keys", "A_TblCase:removed"])
    gone = sorted(
        c["key"]
        for c in pq.read_table(pair["b"] / "changes.parquet").to_pylist()
        if (c["table"], c["change"]) == ("A_TblCase", "removed")
    )
    assert listed.stdout.splitlines() == ["table,change,key", *(f"A_TblCase,removed,{k}" for k in gone)]
    wrong = runner.invoke(app, [*args, "--keys", "A_TblCase:vanished"])
    assert wrong.exit_code == 2 and "added, removed or changed" in wrong.output
    missing = runner.invoke(app, ["diff", "sample-2026-11-01", "2099-01-01", "--store", str(pair["store"])])
    assert missing.exit_code == 2 and "not in store" in missing.output and "Traceback" not in missing.output
    with pytest.raises(DiffError, match="compared with itself"):
        db = immcourt.open(pair["store"], release="sample-2026-11-01")
        diff_releases(db, db)


def test_diff_page_and_api(pair: dict[str, Path], small_store: Path) -> None:
    from fastapi.testclient import TestClient

    from immcourt.web.app import create_app

    client = TestClient(create_app(pair["store"]))
    page = client.get("/diff")  # the two newest releases by default
    assert page.status_code == 200, page.text
    manifest = json.loads((pair["b"] / "manifest.json").read_text())
    vanished = manifest["next_month"]["cases_by_reason"]["vanished"]
    assert "sample-2026-11-01 → sample-2026-12-01" in page.text and 'data-testid="diff-records"' in page.text
    assert "<td>A_TblCase</td><td>IDNCASE</td>" in page.text and "completions by fiscal year" in page.text
    assert "2027 (partial)" in page.text and "SAMPLE" in page.text
    assert f"{vanished:,} cases of sample-2026-11-01 are missing" in page.text
    body = client.get("/api/diff?a=sample-2026-11-01&b=sample-2026-12-01").json()
    cases = next(t for t in body["tables"] if t["table"] == "A_TblCase")
    assert cases["removed"] == vanished and body["records_through_b"] == "2026-11-30"
    missing = client.get("/diff?a=sample-2026-11-01&b=nope")
    assert missing.status_code == 404 and "sample-2026-12-01" in missing.text
    assert client.get("/api/diff?a=sample-2026-11-01&b=sample-2026-11-01").status_code == 422
    one = TestClient(create_app(small_store)).get("/diff")
    assert one.status_code == 200 and 'data-testid="diff-empty"' in one.text


def test_cli_sample_next_month(tmp_path: Path) -> None:
    args = ["sample", "--cases", "200", "--seed", "3", "--defects", "none", "-q", "--format", "dir"]
    first = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    later = runner.invoke(
        app, [*args, "--out", str(tmp_path / "b"), "--next-month", "--release-date", "2025-12-31"]
    )
    assert first.exit_code == 0 and later.exit_code == 0, later.output
    manifest = json.loads((tmp_path / "b" / "oracle" / "manifest.json").read_text())
    # 31 December is followed by 31 January; a day the next month lacks becomes the 28th
    assert (
        manifest["release_date"] == "2026-01-31"
        and manifest["next_month"]["previous_release_date"] == "2025-12-31"
    )
    changes = pq.read_table(tmp_path / "b" / "oracle" / "changes.parquet")
    assert changes.num_rows == sum(sum(v.values()) for v in manifest["next_month"]["rows_by_table"].values())
    assert next_release_date(date(2026, 1, 31)) == date(2026, 2, 28)


def test_with_realistic_defects_the_differences_are_bounded_by_the_quarantine(tmp_path: Path) -> None:
    """The later release draws its defects afresh (nextmonth.py): a row quarantined in one release only shows
    as added or removed, never more of them than each release quarantined."""
    store = tmp_path / "store"
    oracle = None
    for name, later in (("a", False), ("b", True)):
        sample = generate(
            cases=CASES, seed=SEED, out=tmp_path / name, fmt="zip", quiet=True, next_month=later
        )
        ingest_release(sample.release, store=store, progress=False)
        oracle = sample.oracle
    db_a = immcourt.open(store, release="sample-2026-11-01")
    db_b = immcourt.open(store, release="sample-2026-12-01")
    result = diff_releases(db_a, db_b, statistics=False)
    expected = Counter(
        (c["table"], c["change"]) for c in pq.read_table(oracle / "changes.parquet").to_pylist()
    )
    assert sum(t.quarantined_a + t.quarantined_b for t in result.tables) > 0
    for t in result.tables:
        assert (
            expected[(t.table, "added")] - t.quarantined_b
            <= t.added
            <= expected[(t.table, "added")] + t.quarantined_a
        )
        assert (
            expected[(t.table, "removed")] - t.quarantined_a
            <= t.removed
            <= expected[(t.table, "removed")] + t.quarantined_b
        )
