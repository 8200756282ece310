"""Every corrupt release refused in one line, or loaded whole (issue 12, items 5-13; issue 9, kind 2).

Each test writes the fuzz harness's tiny complete release (tests/fuzz_release.py), damages it one way, and
checks the one-line error (naming the file and the cause) or the whole load, worked out from the bytes.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import zipfile
from pathlib import Path

import duckdb
import pytest

import immcourt.ingest.run as run
import immcourt.release as release_module
from immcourt.ingest import IngestError, ingest_release
from immcourt.ingest.schema import REQUIRED_LOOKUPS, REQUIRED_TABLES, primary_key
from immcourt.model.build import CORE_SOURCES, LOOKUP_SOURCES
from immcourt.store import (
    VERSIONS_DIR,
    clean_leftovers,
    leftovers,
    list_releases,
    open_release,
    publish,
    release_dir,
)
from tests.fuzz_release import CORE, TABLES, base_members, write_folder, write_zip

ID = "2026-01-05"
CASES = len(TABLES["A_TblCase"]) - 1
PROCEEDINGS = len(TABLES["B_TblProceeding"]) - 1


def ingest(source: Path, store: Path, **kwargs):  # noqa: ANN201 - an IngestReport
    return ingest_release(source, store=store, progress=False, release_id=ID, **kwargs)


def refused(source: Path, store: Path, *needles: str) -> str:
    with pytest.raises(IngestError) as caught:
        ingest(source, store)
    message = str(caught.value)
    assert "\n" not in message.strip(), message
    for needle in needles:
        assert needle in message, message
    assert list_releases(store) == [] and leftovers(store) == []
    return message


def cases(store: Path) -> int:
    con, _ = open_release(store, ID)
    return con.execute("SELECT count(*) FROM A_TblCase").fetchall()[0][0]


def test_required_inputs_match_what_the_model_reads() -> None:
    assert set(REQUIRED_TABLES) <= set(CORE_SOURCES)
    # tbllookupCharges is optional: without it the charges rule of criminal_charge says unknown (counted)
    assert set(REQUIRED_LOOKUPS) == set(LOOKUP_SOURCES) - {"tbllookupCharges"}
    for name, columns in REQUIRED_LOOKUPS.items():
        assert set(columns) <= set(LOOKUP_SOURCES[name])


# -- issue 9 kind 2: tables and lookups by name and header, whatever the folders ---------------------------


@pytest.mark.parametrize(
    "layout", ["standard", "flat", "trac", "nested", "lookups_beside_tables", "table_under_lookup"]
)
def test_tables_and_lookups_found_in_any_folder_layout(tmp_path: Path, layout: str) -> None:
    members = {}
    for name, data in base_members().items():
        base = name.rsplit("/", 1)[-1]
        new = {
            "standard": name,
            "flat": base,  # unzip -j
            "trac": name.replace(CORE, "FOIA TRAC Report 2026-01-05"),
            "nested": f"{CORE}/{CORE}/{name}",
            "lookups_beside_tables": f"{CORE}/{base}" if base != "Count.txt" else base,
            "table_under_lookup": name.replace(f"{CORE}/A_TblCase", "Lookup/A_TblCase"),
        }[layout]
        members[new] = data
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, members)
    report = ingest(path, tmp_path / "s")
    assert set(report.tables) == {"A_TblCase", "B_TblProceeding", "tbl_Court_Appln"}
    assert report.tables["A_TblCase"].loaded == CASES and report.tables["A_TblCase"].count_matches
    assert report.lookups["tblLookupCourtDecision"] == 5 and len(report.lookups) == 9


def test_unknown_names_are_decided_by_header(tmp_path: Path) -> None:
    members = base_members()
    members["tblAppeal.csv"] = b"idnAppeal\tidncase\tstrAppealType\r\n1\t1\tX\r\n"  # a table: it has IDNCASE
    members["tblAdjournmentcodes.csv"] = b"strcode\tstrDesc\r\n1\tA\r\n"  # a lookup: no case id
    report = ingest(write_folder(tmp_path / "r", members), tmp_path / "s")
    assert "tblAppeal" in report.tables and report.tables["tblAppeal"].loaded == 1
    assert report.lookups["tblAdjournmentcodes"] == 1


def test_members_neither_table_nor_lookup_are_named_in_a_warning(tmp_path: Path) -> None:
    members = base_members()
    members["Lookup/tblLookupSex.csv.gz"] = gzip.compress(b"strCode\tstrDescription\r\nM\tMale\r\n")
    report = ingest(write_folder(tmp_path / "r", members), tmp_path / "s")
    assert "Lookup/tblLookupSex.csv.gz: not loaded (neither a table nor a lookup" in " ".join(report.warnings)


# -- item 5: a table or lookup missing ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["removed", "renamed", "gzip"])
def test_missing_table_is_an_error_naming_it(tmp_path: Path, how: str) -> None:
    members = base_members()
    data = members.pop(f"{CORE}/B_TblProceeding.csv")
    if how == "renamed":
        members[f"{CORE}/Proceedings.csv"] = data
    elif how == "gzip":
        members[f"{CORE}/B_TblProceeding.csv.gz"] = gzip.compress(data)
    message = refused(
        write_folder(tmp_path / "r", members), tmp_path / "s", "table B_TblProceeding is missing"
    )
    if how == "gzip":
        assert "B_TblProceeding.csv.gz" in message and "extract" in message


def test_table_listed_in_count_txt_but_absent(tmp_path: Path) -> None:
    members = base_members()
    members["Count.txt"] += b"tbl_schedule\t12 rows copied.\r\n"
    refused(write_folder(tmp_path / "r", members), tmp_path / "s", "tbl_schedule", "listed in Count.txt")


def test_required_table_missing_is_an_error_even_without_count_txt(tmp_path: Path) -> None:
    members = base_members()
    del members["Count.txt"], members[f"{CORE}/tbl_Court_Appln.csv"]
    refused(
        write_folder(tmp_path / "r", members), tmp_path / "s", "tbl_Court_Appln", "needed by every statistic"
    )


def test_required_lookup_missing_is_an_error_naming_it(tmp_path: Path) -> None:
    members = base_members()
    del members["Lookup/tblLookupCourtDecision.csv"]
    refused(write_folder(tmp_path / "r", members), tmp_path / "s", "lookup tblLookupCourtDecision is missing")


def test_partial_release_loads_when_asked(tmp_path: Path) -> None:
    members = base_members()
    del members["Lookup/tblLookupJudge.csv"], members[f"{CORE}/tbl_Court_Appln.csv"]
    members["Count.txt"] = members["Count.txt"].replace(b"tbl_Court_Appln\t3 rows copied.\r\n", b"")
    report = ingest(write_folder(tmp_path / "r", members), tmp_path / "s", partial=True)
    assert set(report.tables) == {"A_TblCase", "B_TblProceeding"}


# -- item 6: primary keys by name ------------------------------------------------------------------------


def _move_column_first(data: bytes, column: str) -> bytes:
    lines = data.split(b"\r\n")
    index = lines[0].split(b"\t").index(column.encode())
    out = []
    for line in lines:
        cells = line.split(b"\t")
        if len(cells) > index:
            cells.insert(0, cells.pop(index))
        out.append(b"\t".join(cells))
    return b"\r\n".join(out)


def test_primary_key_comes_from_the_schema_not_the_first_column(tmp_path: Path) -> None:
    assert primary_key("B_TblProceeding") == "IDNPROCEEDING" and primary_key("tblLookupJudge") is not None
    members = base_members()
    name = f"{CORE}/B_TblProceeding.csv"
    members[name] = _move_column_first(members[name], "IDNCASE")  # case 2 has two proceedings
    report = ingest(write_folder(tmp_path / "r", members), tmp_path / "s")
    assert report.tables["B_TblProceeding"].loaded == PROCEEDINGS
    assert report.tables["B_TblProceeding"].quarantined == 0


def test_duplicate_key_found_when_the_key_is_not_first(tmp_path: Path) -> None:
    members = base_members()
    name = f"{CORE}/B_TblProceeding.csv"
    data = _move_column_first(members[name], "IDNCASE")
    members[name] = data + data.split(b"\r\n")[1] + b"\r\n"  # proceeding 11 again, on line 8
    members["Count.txt"] = members["Count.txt"].replace(b"B_TblProceeding\t6", b"B_TblProceeding\t7")
    report = ingest(write_folder(tmp_path / "r", members), tmp_path / "s")
    rec = report.tables["B_TblProceeding"]
    assert (rec.loaded, rec.quarantined, rec.quarantine_reasons) == (6, 1, {"duplicate_key": 1})


def test_table_without_its_key_column_is_refused(tmp_path: Path) -> None:
    members = base_members()
    name = f"{CORE}/A_TblCase.csv"
    members[name] = members[name].replace(b"IDNCASE", b"IDN_CASE", 1)
    refused(write_folder(tmp_path / "r", members), tmp_path / "s", "A_TblCase.csv has no IDNCASE column")


# -- item 7: byte-order marks and encodings ----------------------------------------------------------------


def test_utf8_bom_is_stripped_from_tables_and_lookups(tmp_path: Path) -> None:
    members = {
        name: (b"\xef\xbb\xbf" + data if name.endswith(".csv") else data)
        for name, data in base_members().items()
    }
    store = tmp_path / "s"
    report = ingest(write_folder(tmp_path / "r", members), store)
    assert report.tables["A_TblCase"].loaded == CASES and report.columns_unknown == {}
    con, _ = open_release(store, ID)
    assert con.execute("SELECT count(IDNCASE) FROM A_TblCase").fetchall() == [(CASES,)]
    assert con.execute("SELECT count(strDecCode) FROM tblLookupCourtDecision").fetchall() == [(5,)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
@pytest.mark.parametrize("member", [f"{CORE}/A_TblCase.csv", "Lookup/tblLookupJudge.csv"])
def test_utf16_is_refused_in_one_line(tmp_path: Path, encoding: str, member: str) -> None:
    members = base_members()
    members[member] = members[member].decode("cp1252").encode(encoding)
    refused(write_folder(tmp_path / "r", members), tmp_path / "s", member, "UTF-", "cp1252")


# -- item 8: lookups validated before publishing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "is empty"),
        (b"\x00" * 5000, "is empty"),
        (b"JUDGE_CODE\tJUDGE_NAME\tblnActive\n", "has no rows"),
        (b"CODE\tNAME\nAAA\tJudge\n", "has no column JUDGE_CODE, JUDGE_NAME"),
    ],
)
def test_unusable_lookup_is_refused_and_the_previous_release_stays(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    store = tmp_path / "s"
    ingest(write_folder(tmp_path / "good", base_members()), store)
    members = base_members()
    members["Lookup/tblLookupJudge.csv"] = content
    with pytest.raises(IngestError, match=needle) as caught:
        ingest(write_folder(tmp_path / "bad", members), store)
    assert "tblLookupJudge" in str(caught.value)
    assert cases(store) == CASES and leftovers(store) == []


def test_empty_lookup_the_model_does_not_need_is_a_warning(tmp_path: Path) -> None:
    members = base_members()
    members["Lookup/tblLookupSex.csv"] = b"strCode\tstrDescription\r\n"
    report = ingest(write_folder(tmp_path / "r", members), tmp_path / "s")
    assert report.lookups["tblLookupSex"] == 0
    assert any("tblLookupSex.csv: lookup has no rows" in w for w in report.warnings)


# -- item 9: every error one line ---------------------------------------------------------------------------


def _corrupt_member(path: Path, member: str) -> None:
    """Flip bytes inside one member's compressed data (the zip directory stays intact)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    raw = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 5, start + info.compress_size - 2, 7):
        raw[offset] ^= 0x5A
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("member", [f"{CORE}/B_TblProceeding.csv", "Lookup/tblLookupJudge.csv"])
def test_corrupt_zip_member_is_one_line(tmp_path: Path, member: str) -> None:
    members = base_members()
    members[member] += b"".join(b"%d\t" % i * 12 + b"\r\n" for i in range(2000))  # enough to corrupt
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, members)
    _corrupt_member(path, member)
    refused(path, tmp_path / "s", member, "re-download")


def _rewrite_deflated(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_byte_pass_errors_reach_the_user_as_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from immcourt.release import ReleaseError

    def broken(*args, **kwargs):
        raise ReleaseError("r.zip: cannot read member EOIR Case Data/A_TblCase.csv (Bad CRC-32); re-download")

    monkeypatch.setattr(run, "prepare", broken)
    refused(write_folder(tmp_path / "r", base_members()), tmp_path / "s", "Bad CRC-32")


def test_encrypted_member_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, base_members())
    raw = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        raw[raw.find(signature) + offset] |= 0x01
    path.write_bytes(bytes(raw))
    refused(path, tmp_path / "s", "is encrypted")


def test_columns_named_like_the_ingests_own_are_kept_renamed(tmp_path: Path) -> None:
    members = base_members()
    name = f"{CORE}/A_TblCase.csv"
    members[name] = members[name].replace(b"ALIEN_CITY", b"_line").replace(b"E_28_DATE", b"_issues")
    store = tmp_path / "s"
    # E_28_DATE is a column the statistics need: only --partial loads the release without it
    report = ingest(write_folder(tmp_path / "r", members), store, partial=True)
    assert report.columns_unknown["A_TblCase"] == ["_issues_2", "_line_2"]  # header order
    con, _ = open_release(store, ID)
    rows = con.execute('SELECT IDNCASE, _line, "_line_2" FROM A_TblCase ORDER BY _line').fetchall()
    assert rows[0] == (1, 2, "HOUSTON") and len(rows) == CASES


# -- item 10: bounded reads ---------------------------------------------------------------------------------


def test_lookup_larger_than_the_bound_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "MAX_LOOKUP_BYTES", 10_000)
    members = base_members()
    members["Lookup/tblLookupJudge.csv"] += b"ZZZ\tJudge Zero\t1\n" * 2000  # 34 KB, compresses ~100:1
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, members)
    refused(path, tmp_path / "s", "tblLookupJudge.csv holds over", "limit 10,000")


def test_zip_bomb_ratio_is_refused_before_reading(tmp_path: Path) -> None:
    """Deflate stops near 1030:1; a member claiming more (here 3 GB from 100 bytes) is refused unread."""
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, base_members())
    raw = bytearray(path.read_bytes())
    name = b"Lookup/tblLookupJudge.csv"
    central = raw.find(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(name)] != name:
        central = raw.find(b"PK\x01\x02", central + 4)
    raw[central + 24 : central + 28] = (3_000_000_000).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    refused(path, tmp_path / "s", "tblLookupJudge.csv claims to inflate", "zip bomb")
    assert release_module.MAX_RATIO > 1032  # above what Deflate can reach


# -- item 11: atomic publish and leftovers ------------------------------------------------------------------


def test_publish_switches_a_link_and_replaces_a_legacy_folder(tmp_path: Path) -> None:
    store = tmp_path / "s"
    legacy = release_dir(store, ID)
    legacy.mkdir(parents=True)
    (legacy / "_release.json").write_text(json.dumps({"id": ID}))
    staging = store / f".tmp-{ID}-{os.getpid()}"
    staging.mkdir()
    (staging / "_release.json").write_text(json.dumps({"id": ID, "new": True}))
    target = publish(staging, store=store, release_id=ID)
    assert target.is_symlink() and os.readlink(target).startswith(VERSIONS_DIR)
    assert json.loads((target / "_release.json").read_text())["new"] and leftovers(store) == []


def test_leftovers_of_dead_processes_are_cleaned_and_a_hidden_release_restored(tmp_path: Path) -> None:
    store = tmp_path / "s"
    ingest(write_folder(tmp_path / "r", base_members()), store)
    dead = 2**22 + 12345  # above the default pid_max: no such process
    (store / f".tmp-{ID}-{dead}").mkdir()
    (store / f".catalog.duckdb.{dead}").write_bytes(b"x")
    (store / f".link-{ID}-{dead}").symlink_to("nowhere")
    (store / VERSIONS_DIR / f"{ID}@{dead}@1").mkdir()
    alive = store / f".tmp-other-{os.getpid()}"  # a running ingest's staging is left alone
    alive.mkdir()
    assert len(leftovers(store)) == 5
    clean_leftovers(store)
    assert leftovers(store) == [alive]
    alive.rmdir()
    # A kill between the two renames of a legacy replacement: the release is aside, and comes back.
    target = release_dir(store, ID)
    version = store / VERSIONS_DIR / os.readlink(target).split("/", 1)[1]
    target.unlink()
    version.rename(store / f".old-{ID}-{dead}")
    assert list_releases(store) == []
    clean_leftovers(store)
    assert cases(store) == CASES and leftovers(store) == []


# -- item 12: duplicate members ----------------------------------------------------------------------------


def test_same_table_under_two_folders_is_refused_naming_both(tmp_path: Path) -> None:
    members = base_members()
    members["Data/A_TblCase.csv"] = members[f"{CORE}/A_TblCase.csv"]
    refused(
        write_folder(tmp_path / "r", members), tmp_path / "s", "A_TblCase appears twice", "Data/A_TblCase.csv"
    )


def test_same_member_twice_in_a_zip_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "r.zip", base_members(), random.Random(3), "dup_entry")
    refused(path, tmp_path / "s", "appears twice")


# -- item 13: errors name the real cause -------------------------------------------------------------------


def test_more_rows_than_count_txt_is_not_called_truncated(tmp_path: Path) -> None:
    members = base_members()
    members["Count.txt"] = members["Count.txt"].replace(b"A_TblCase\t5", b"A_TblCase\t4")
    message = refused(write_folder(tmp_path / "r", members), tmp_path / "s", "Count.txt says 4 rows")
    assert "does not list" in message and "truncated" not in message
    members["Count.txt"] = members["Count.txt"].replace(b"A_TblCase\t4", b"A_TblCase\t9")
    assert "truncated" in refused(write_folder(tmp_path / "r2", members), tmp_path / "s2")


def test_parser_errors_are_not_blamed_on_free_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def parse_error(*args, **kwargs):
        raise duckdb.InvalidInputException("Error when sniffing file: maximum line size exceeded")

    monkeypatch.setattr(run, "load_table", parse_error)
    message = refused(write_folder(tmp_path / "r", base_members()), tmp_path / "s", "maximum line size")
    assert "free space" not in message and "cannot be read as an EOIR table" in message

    def disk_error(*args, **kwargs):
        raise duckdb.IOException("could not write file: No space left on device")

    monkeypatch.setattr(run, "load_table", disk_error)
    assert "check free space" in refused(write_folder(tmp_path / "r2", base_members()), tmp_path / "s2")


def test_zip_needing_an_unknown_version_is_one_line(tmp_path: Path) -> None:
    """Found by the fuzz run: zipfile raises NotImplementedError for a damaged 'version needed' field."""
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, base_members())
    raw = bytearray(path.read_bytes())
    central = raw.find(b"PK\x01\x02")
    raw[central + 6] = 248  # version needed to extract: 24.8
    path.write_bytes(bytes(raw))
    refused(path, tmp_path / "s", "not a readable zip", "re-download")


def test_member_name_with_a_line_break_stays_one_line(tmp_path: Path) -> None:
    """Found by the fuzz run: a damaged zip directory put a line break in a member's name."""
    members = base_members()
    members["Lookup/tblLookupCourtDecision.csv\nK\x01[red]"] = members.pop(
        "Lookup/tblLookupCourtDecision.csv"
    )
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, members)
    message = refused(path, tmp_path / "s", "lookup tblLookupCourtDecision is missing", "csv\\nK\\x01[red]")
    assert len(message.splitlines()) == 1


def test_cli_prints_a_damaged_name_as_it_is_on_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from immcourt.cli import app

    members = base_members()
    members["Lookup/tblLookupCourtDecision.csv\n[bold]x"] = members.pop("Lookup/tblLookupCourtDecision.csv")
    path = tmp_path / "r.zip"
    _rewrite_deflated(path, members)
    result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(tmp_path / "s"), "--no-progress"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1, result.output
    assert "csv\\n[bold]x" in result.output
