"""A column the statistics read, missing or mostly unparseable (tester5 F24, F25).

The tiny complete release of tests/fuzz_release.py, with one header cell renamed or one date column rewritten;
the values below are counted by hand from that release's rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from immcourt.cli import app
from immcourt.ingest import IngestError, ingest_release
from immcourt.ingest.columns import UNPARSEABLE_WARN_SHARE, degraded_column_notes, missing_needed
from immcourt.ingest.schema import NEEDED_COLUMNS
from immcourt.metrics.api import open_store
from immcourt.model.build import CORE_SOURCES
from immcourt.store import list_releases
from immcourt.validate import validate
from tests.fuzz_release import CORE, base_members, write_folder

ID = "2026-01-05"
PROCEEDINGS = f"{CORE}/B_TblProceeding.csv"


def _ingest(tmp_path: Path, members: dict[str, bytes], **kwargs):  # noqa: ANN202 - an IngestReport
    folder = write_folder(tmp_path / "r", members)
    return ingest_release(folder, store=tmp_path / "s", progress=False, release_id=ID, **kwargs)


def test_needed_columns_are_what_the_model_reads() -> None:
    """One list, the model's: every CORE_SOURCES column but the ingest's own `_issues` / `_repaired`."""
    assert set(NEEDED_COLUMNS) == set(CORE_SOURCES)
    for table, columns in CORE_SOURCES.items():
        assert list(NEEDED_COLUMNS[table]) == [c for c in columns if not c.startswith("_")], table


def test_a_renamed_needed_column_is_refused_naming_file_and_column(tmp_path: Path) -> None:
    members = base_members()
    members[PROCEEDINGS] = members[PROCEEDINGS].replace(b"COMP_DATE", b"COMPLETION_DT", 1)
    with pytest.raises(IngestError) as caught:
        _ingest(tmp_path, members)
    message = str(caught.value)
    assert "\n" not in message
    assert f"{CORE}/B_TblProceeding.csv has no column COMP_DATE" in message
    assert "--partial" in message and "re-download the release" in message
    assert list_releases(tmp_path / "s") == []  # nothing published


@pytest.mark.parametrize("column", ["OSC_DATE", "DEC_CODE", "IJ_CODE", "AGGRAVATE_FELON"])
def test_every_model_column_is_covered_not_just_comp_date(tmp_path: Path, column: str) -> None:
    members = base_members()
    members[PROCEEDINGS] = members[PROCEEDINGS].replace(column.encode(), b"RENAMED_" + column.encode(), 1)
    with pytest.raises(IngestError, match=f"has no column {column} "):
        _ingest(tmp_path, members)


def test_missing_needed_reads_the_header_case_blind() -> None:
    header = ["idncase", "NAT", "lang", "CUSTODY", "E_28_DATE", "CASE_TYPE"]
    assert missing_needed("A_TblCase", header) == ["C_ASY_TYPE"]
    assert missing_needed("a_tblcase", [*header, "c_asy_type"]) == []
    assert missing_needed("tbl_schedule", []) == []  # the model reads nothing from it


def test_partial_loads_it_and_every_statistic_names_the_column(tmp_path: Path) -> None:
    members = base_members()
    members[PROCEEDINGS] = members[PROCEEDINGS].replace(b"COMP_DATE", b"COMPLETION_DT", 1)
    report = _ingest(tmp_path, members, partial=True)
    assert "COMP_DATE" in report.columns_missing["B_TblProceeding"]
    db = open_store(tmp_path / "s")
    try:
        result = db.stats("completions")
        # Without COMP_DATE no proceeding is completed: 0, which is why the note must sit beside it.
        assert result.rows[0][-1] == 0
        notes = [n for n in result.notes if "COMP_DATE" in n]
        assert notes == [
            "the release's B_TblProceeding has no column COMP_DATE (loaded with --partial): statistics "
            "reading it count those values as missing, so this number may be too low or 0"
        ]
    finally:
        db.close()


def test_a_sound_release_carries_no_column_note(tmp_path: Path) -> None:
    report = _ingest(tmp_path, base_members())
    assert report.columns_unparseable == {}
    db = open_store(tmp_path / "s")
    try:
        result = db.stats("completions")
        assert not [n for n in result.notes if "column" in n or "could not be read" in n]
        assert degraded_column_notes(db.release.raw) == []
    finally:
        db.close()


def _us_dates() -> dict[str, bytes]:
    members = base_members()
    data = members[PROCEEDINGS]
    for iso, us in [
        (b"2019-06-07", b"06/07/2019"),
        (b"2020-01-02", b"01/02/2020"),
        (b"2018-03-03", b"03/03/2018"),
        (b"2022-02-02", b"02/02/2022"),
    ]:
        assert data.count(iso) == 1
        data = data.replace(iso, us)
    members[PROCEEDINGS] = data
    return members


def test_mostly_unparseable_comp_date_is_warned_recorded_and_noted(tmp_path: Path) -> None:
    """4 of the 5 non-empty COMP_DATE cells written MM/DD/YYYY: 80% unparseable, over the 1% threshold."""
    report = _ingest(tmp_path, _us_dates())
    assert UNPARSEABLE_WARN_SHARE == 0.01
    assert report.columns_unparseable == {"B_TblProceeding": {"COMP_DATE": [4, 5]}}
    warning = [w for w in report.warnings if w.startswith("B_TblProceeding.COMP_DATE")]
    assert warning == [
        "B_TblProceeding.COMP_DATE: 4 of 5 non-empty cells (80.0%) are not dates the ingest reads (over the "
        "1% threshold); they are NULL, so statistics reading COMP_DATE leave those rows out: check the "
        "release's date format"
    ]
    manifest = json.loads((tmp_path / "s" / f"release={ID}" / "_release.json").read_text())
    assert manifest["columns_unparseable"] == {"B_TblProceeding": {"COMP_DATE": [4, 5]}}
    note = (
        "B_TblProceeding.COMP_DATE: 4 of 5 cells (80.0%) could not be read as dates at ingest; rows needing "
        "them are left out (see exclusions): this number may be too low"
    )
    db = open_store(tmp_path / "s")
    try:
        assert note in db.stats("completions").notes
    finally:
        db.close()
    assert note in validate(tmp_path / "s").notes  # the release's validation summary names it


def test_the_cli_says_it_loudly(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "r", _us_dates())
    args = ["ingest", str(folder), "--store", str(tmp_path / "s"), "--release-id", ID, "--no-progress"]
    run = CliRunner().invoke(app, [*args, "--no-model"])
    assert run.exit_code == 0, run.output
    assert "WARNING: B_TblProceeding.COMP_DATE: 4 of 5 non-empty cells (80.0%)" in " ".join(
        run.output.split()
    )
