"""Opening releases: table discovery, Count.txt, release id, member hashes."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from immcourt.release import ReleaseError, open_release, parse_count_txt


def test_count_txt_real_format(shared_dir: Path) -> None:
    data = (shared_dir / "data" / "eoir-profile" / "Count-2021-release.txt").read_bytes()
    counts = parse_count_txt(data)
    # Independent reading: every line after the header is "<table>\t<n> rows copied."
    expected = {}
    for line in data.decode("ascii").splitlines()[1:]:
        table, text = line.split("\t")
        expected[table] = int(text.split()[0])
    assert counts == expected
    assert counts["A_TblCase"] == 7390042 and counts["tbl_schedule"] == 27705572


@pytest.mark.parametrize("core", ["EOIR Case Data", "Data", ""])
def test_tables_found_by_name_anywhere(tmp_path: Path, core: str) -> None:
    root = tmp_path / "release"
    (root / core).mkdir(parents=True, exist_ok=True)
    (root / core / "A_TblCase.csv").write_bytes(b"IDNCASE\r\n1\r\n")
    (root / "Lookup").mkdir()
    (root / "Lookup" / "tblLookupNationality.csv").write_bytes(b"a\tb\r\n")
    (root / "Count.txt").write_bytes(b"TableName\tContent\r\nA_TblCase\t1 rows copied.\r\n")
    with open_release(root) as release:
        assert list(release.tables) == ["A_TblCase"]
        assert list(release.lookups) == ["tblLookupNationality"]
        assert release.count_txt == {"A_TblCase": 1}
        assert not release.is_sample


def _zip(path: Path, members: dict[str, tuple[bytes, tuple[int, ...]]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (data, when) in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def test_zip_release_id_sizes_and_hashes(tmp_path: Path) -> None:
    table = b"IDNCASE\tNAT\r\n1\tGT\r\n" * 50
    path = _zip(
        tmp_path / "r.zip",
        {
            "EOIR Case Data/A_TblCase.csv": (table, (2025, 6, 30, 23, 0, 0)),
            "EOIR Case Data/B_TblProceeding.csv": (b"IDNPROCEEDING\r\n", (2025, 7, 2, 1, 0, 0)),
            "Count.txt": (b"TableName\tContent\r\n", (2025, 7, 1, 0, 0, 0)),
        },
    )
    with open_release(path) as release:
        assert release.release_id == "2025-07-02"  # the newest member
        member = release.tables["A_TblCase"]
        assert member.size == len(table)
        assert release.sha256(member) == hashlib.sha256(table).hexdigest()
    with open_release(path, release_id="custom") as release:
        assert release.release_id == "custom"


def test_sample_release_id_is_prefixed(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "s.zip",
        {
            "EOIR Case Data/A_TblCase.csv": (b"IDNCASE\r\n", (2026, 11, 1, 0, 0, 0)),
            "SAMPLE-README.txt": (b"synthetic", (2026, 11, 1, 0, 0, 0)),
        },
    )
    with open_release(path) as release:
        assert release.is_sample and release.release_id == "sample-2026-11-01"


def test_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="no such file or folder"):
        open_release(tmp_path / "missing.zip")
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(ReleaseError, match=r"bad\.zip: not a readable zip"):
        open_release(tmp_path / "bad.zip")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReleaseError, match="no EOIR tables found"):
        open_release(tmp_path / "empty")
