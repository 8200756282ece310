"""What dates a release and when a stored one may be replaced (tester5 F23, F32).

F23: the same sample as a zip and as a copied folder must get one release id; a folder whose only date is its
files' modification times gets that date with a warning. F32: ingesting different content under a stored
id is refused unless --replace.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from immcourt.cli import app
from immcourt.ingest import IngestError, ingest_release
from immcourt.release import DATE_SOURCES, open_release, stated_release_date
from immcourt.sample.generate import generate
from immcourt.store import list_releases, release_dir
from tests.fuzz_release import CORE, base_members, write_folder, write_zip

ID = "2026-01-05"


def _touch_all(folder: Path, when: datetime) -> None:
    stamp = when.timestamp()
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (stamp, stamp))


def test_a_copied_sample_folder_keeps_the_zips_release_date(tmp_path: Path) -> None:
    zipped = generate(cases=60, seed=3, out=tmp_path / "z", fmt="zip", release_date="2026-11-01", quiet=True)
    folder = generate(cases=60, seed=3, out=tmp_path / "d", fmt="dir", release_date="2026-11-01", quiet=True)
    _touch_all(folder.release, datetime(2026, 12, 15, 9, 0, tzinfo=UTC))  # a copy without -p, a sync
    with open_release(zipped.release) as a, open_release(folder.release) as b:
        assert a.release_id == b.release_id == "sample-2026-11-01"
        assert b.date_source == DATE_SOURCES["stated"] == "SAMPLE-README.txt"


def test_the_stated_date_is_read_strictly() -> None:
    assert stated_release_date(b"SAMPLE DATA\r\n\r\nRelease date: 2026-11-01\r\n") == "2026-11-01"
    assert stated_release_date(b"Release date: 2026-13-01\n") is None  # no such month
    assert stated_release_date(b"SAMPLE DATA - hand-built test release\n") is None


def test_a_folder_dated_by_modification_times_is_warned_about(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "r", base_members())
    _touch_all(folder, datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    with open_release(folder) as release:
        assert release.release_id == "2026-03-04"
        assert release.date_source == "file modification times"
    report = ingest_release(folder, store=tmp_path / "s", progress=False)
    assert report.release_id == "2026-03-04"
    warned = [w for w in report.warnings if "file modification time" in w]
    assert warned and "pass --release-id YYYY-MM-DD" in warned[0]
    manifest = json.loads((release_dir(tmp_path / "s", "2026-03-04") / "_release.json").read_text())
    assert manifest["release_date_source"] == "file modification times"


def test_a_zip_or_a_given_id_is_not_warned_about(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "r.zip", base_members(), random.Random(0), "none")
    report = ingest_release(path, store=tmp_path / "s", progress=False)
    assert report.release_id == ID  # the zip's member dates: 2026-01-05
    assert not [w for w in report.warnings if "modification time" in w]
    folder = write_folder(tmp_path / "f", base_members())
    report = ingest_release(folder, store=tmp_path / "s2", progress=False, release_id="2025-02-03")
    assert not [w for w in report.warnings if "modification time" in w]


def _changed(old: bytes, new: bytes) -> dict[str, bytes]:
    members = base_members()
    name = f"{CORE}/A_TblCase.csv"
    assert members[name].count(old) == 1
    members[name] = members[name].replace(old, new)
    return members


def test_different_content_under_a_stored_id_is_refused_unless_replace(tmp_path: Path) -> None:
    store = tmp_path / "s"
    ingest_release(write_folder(tmp_path / "a", base_members()), store=store, progress=False, release_id=ID)
    manifest = release_dir(store, ID) / "_release.json"
    before = manifest.read_text()
    # same size, different bytes: found by the hashes after the load
    same_size = write_folder(tmp_path / "b", _changed(b"HOUSTON", b"HOUSTOX"))
    with pytest.raises(IngestError) as caught:
        ingest_release(same_size, store=store, progress=False, release_id=ID)
    message = str(caught.value)
    assert f"release {ID} is already in the store with different content (A_TblCase.csv differ;" in message
    assert "pass --replace to replace it" in message and str(tmp_path / "a") in message
    assert manifest.read_text() == before and [r.id for r in list_releases(store)] == [
        ID
    ]  # the stored release untouched
    # another size: refused too
    longer = write_folder(tmp_path / "c", _changed(b"HOUSTON", b"HOUSTON HEIGHTS"))
    with pytest.raises(IngestError, match="A_TblCase.csv differ"):
        ingest_release(longer, store=store, progress=False, release_id=ID)
    assert manifest.read_text() == before
    # --replace: published, and the report says what it replaced
    report = ingest_release(same_size, store=store, progress=False, release_id=ID, replace=True)
    assert [w for w in report.warnings if w.startswith(f"replaced release {ID} (stored from")]
    files = json.loads(manifest.read_text())["files"]
    stored = next(f["sha256"] for f in files if f["name"].endswith("A_TblCase.csv"))
    expected = hashlib.sha256(_changed(b"HOUSTON", b"HOUSTOX")[f"{CORE}/A_TblCase.csv"]).hexdigest()
    assert stored == expected


def test_the_same_content_from_a_zip_or_a_folder_is_published_again(tmp_path: Path) -> None:
    store = tmp_path / "s"
    ingest_release(write_folder(tmp_path / "a", base_members()), store=store, progress=False, release_id=ID)
    path = write_zip(tmp_path / "r.zip", base_members(), random.Random(0), "none")
    report = ingest_release(path, store=store, progress=False, release_id=ID)
    assert not [w for w in report.warnings if "replaced" in w]


def test_cli_replace_flag(tmp_path: Path) -> None:
    store = tmp_path / "s"
    runner = CliRunner()
    first = write_folder(tmp_path / "a", base_members())
    args = ["ingest", "--store", str(store), "--release-id", ID, "--no-progress", "--no-model"]
    assert runner.invoke(app, [*args, str(first)]).exit_code == 0
    second = write_folder(tmp_path / "b", _changed(b"HOUSTON", b"HOUSTOX"))
    refused = runner.invoke(app, [*args, str(second)])
    assert refused.exit_code == 1 and "--replace" in refused.output
    assert runner.invoke(app, [*args, "--replace", str(second)]).exit_code == 0
