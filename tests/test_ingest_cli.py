"""`immcourt ingest` on the command line: a JSON summary, and one clear line per error a user can meet."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from immcourt.cli import app

runner = CliRunner()


def _release(root: Path) -> Path:
    (root / "EOIR Case Data").mkdir(parents=True)
    (root / "EOIR Case Data" / "A_TblCase.csv").write_bytes(b"IDNCASE\tNAT\r\n1\tGT\r\n2\tMX\r\n")
    (root / "Count.txt").write_bytes(b"TableName\tContent\r\nA_TblCase\t2 rows copied.\r\n")
    return root


def _one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 1
    text = result.output.strip()
    assert "Traceback" not in text and len(text.splitlines()) == 1, text
    for needle in needles:
        assert needle in text, text


def test_json_summary(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "ingest",
            str(_release(tmp_path / "r")),
            "--store",
            str(tmp_path / "s"),
            "--release-id",
            "2025-01-01",
            "--json",
            "--partial",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["release_id"] == "2025-01-01"
    assert summary["tables"]["A_TblCase"]["loaded"] == 2 and summary["tables"]["A_TblCase"]["count_matches"]


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.zip"), "--store", str(tmp_path / "s")])
    _one_line_error(result, "nope.zip", "no such file")


def test_not_a_release(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "notes.md").write_text("hello")
    result = runner.invoke(app, ["ingest", str(tmp_path / "folder"), "--store", str(tmp_path / "s")])
    _one_line_error(result, "folder", "no EOIR tables found")


def test_unreadable_zip(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    result = runner.invoke(app, ["ingest", str(tmp_path / "broken.zip"), "--store", str(tmp_path / "s")])
    _one_line_error(result, "broken.zip", "re-download")


def test_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import immcourt.ingest.run as run

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "s" / "A_TblCase.parquet"))

    monkeypatch.setattr(run, "_write_quarantine", full)
    result = runner.invoke(
        app,
        [
            "ingest",
            str(_release(tmp_path / "r")),
            "--store",
            str(tmp_path / "s"),
            "--no-progress",
            "--partial",
        ],
    )
    _one_line_error(result, "A_TblCase.parquet", "disk full")
    assert not any(p.name.startswith(("release=", ".tmp-")) for p in (tmp_path / "s").iterdir())


def test_store_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "s").write_text("I am a file")
    result = runner.invoke(
        app, ["ingest", str(_release(tmp_path / "r")), "--store", str(tmp_path / "s"), "--partial"]
    )
    _one_line_error(result, str(tmp_path / "s"))


def test_count_mismatch_message(tmp_path: Path) -> None:
    root = _release(tmp_path / "r")
    (root / "Count.txt").write_bytes(b"TableName\tContent\r\nA_TblCase\t3 rows copied.\r\n")
    result = runner.invoke(
        app, ["ingest", str(root), "--store", str(tmp_path / "s"), "--no-progress", "--partial"]
    )
    _one_line_error(result, "A_TblCase: Count.txt says 3 rows", "truncated", "--accept-count-mismatch")


def test_unexpected_error_is_still_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import immcourt.ingest.run as run

    def bug(*args, **kwargs):
        raise KeyError("_line")

    monkeypatch.setattr(run, "_write_quarantine", bug)
    result = runner.invoke(
        app,
        [
            "ingest",
            str(_release(tmp_path / "r")),
            "--store",
            str(tmp_path / "s"),
            "--partial",
            "--no-progress",
        ],
    )
    _one_line_error(result, "unexpected KeyError", "nothing was published", "bug in immcourt")
    assert not any(p.name.startswith("release=") for p in (tmp_path / "s").iterdir())


def test_corrupt_member_is_one_line(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "EOIR Case Data/A_TblCase.csv",
            b"IDNCASE\tNAT\r\n" + b"".join(b"%d\tGT\r\n" % i for i in range(5000)),
        )
    raw = bytearray(path.read_bytes())
    for offset in range(80, 400, 9):
        raw[offset] ^= 0x5A
    path.write_bytes(bytes(raw))
    result = runner.invoke(
        app, ["ingest", str(path), "--store", str(tmp_path / "s"), "--partial", "--no-progress"]
    )
    _one_line_error(result, "A_TblCase.csv", "re-download")
