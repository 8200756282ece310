"""Ingest on hand-made releases: every expected value is worked out from the bytes the test writes."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from datetime import date
from pathlib import Path

import duckdb
import pytest

from immcourt.ingest import IngestError, ingest_release
from immcourt.store import leftovers, list_releases, release_dir

APPLN_HEADER = ["IDNPROCEEDINGAPPLN", "IDNPROCEEDING", "IDNCASE", "APPL_CODE", "APPL_RECD_DATE", "APPL_DEC"]
CASE_HEADER = ["IDNCASE", "ALIEN_CITY", "ALIEN_STATE", "NAT", "LATEST_HEARING", "LPR"]


def write_release(
    root: Path,
    tables: dict[str, list[str] | bytes],
    *,
    counts: dict[str, int] | None = None,
    lookups: dict[str, bytes] | None = None,
    sample: bool = False,
) -> Path:
    """A folder release: `EOIR Case Data/<T>.csv` (cp1252, CRLF) + Lookup/ + Count.txt."""
    core = root / "EOIR Case Data"
    core.mkdir(parents=True)
    for name, content in tables.items():
        data = content if isinstance(content, bytes) else ("\r\n".join(content) + "\r\n").encode("cp1252")
        (core / f"{name}.csv").write_bytes(data)
    if counts is not None:
        lines = ["TableName\tContent"] + [f"{name}\t{n} rows copied." for name, n in counts.items()]
        (root / "Count.txt").write_text("\r\n".join(lines) + "\r\n")
    (root / "Lookup").mkdir()
    for name, data in (lookups or {}).items():
        (root / "Lookup" / f"{name}.csv").write_bytes(data)
    if sample:
        (root / "SAMPLE-README.txt").write_text("synthetic")
    return root


def row(*values: str) -> str:
    return "\t".join(values)


def read_table(store: Path, table: str) -> list[dict]:
    path = next(store.glob(f"release=*/{table}.parquet"))
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{path}', hive_partitioning = false) ORDER BY _line")
    return [dict(zip(relation.columns, values, strict=True)) for values in relation.fetchall()]


def read_quarantine(store: Path) -> list[dict]:
    path = next(store.glob("release=*/_quarantine.parquet"))
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{path}', hive_partitioning = false) ORDER BY line")
    return [dict(zip(relation.columns, values, strict=True)) for values in relation.fetchall()]


def ingest(tmp_path: Path, tables: dict, **kwargs) -> tuple[Path, object]:
    source = write_release(
        tmp_path / "release", tables, counts=kwargs.pop("counts", None), lookups=kwargs.pop("lookups", None)
    )
    store = tmp_path / "store"
    return store, ingest_release(source, store=store, progress=False, partial=True, **kwargs)


def test_typed_values_redaction_and_bad_cells(tmp_path: Path) -> None:
    store, _ = ingest(
        tmp_path,
        {
            "A_TblCase": [
                row(*CASE_HEADER),
                row("1", " BROOKLYN ", "NY", "GT", "2019-03-04 00:00:00.000", "1"),
                row("2", "b6", "", "MX", "2020-02-29", "0"),
                row("3", "QUEENS", "NY", "b6", "2019-02-30 00:00:00.000", "Y"),
            ]
        },
    )
    rows = read_table(store, "A_TblCase")
    assert [
        (r["IDNCASE"], r["ALIEN_CITY"], r["ALIEN_STATE"], r["NAT"], r["LATEST_HEARING"], r["LPR"])
        for r in rows
    ] == [
        (1, "BROOKLYN", "NY", "GT", date(2019, 3, 4), True),
        (2, None, None, "MX", date(2020, 2, 29), False),
        (3, "QUEENS", "NY", None, None, None),
    ]
    assert rows[0]["_issues"] is None and rows[0]["_line"] == 2 and rows[0]["_repaired"] is None
    assert json.loads(rows[1]["_issues"]) == [{"column": "ALIEN_CITY", "kind": "redacted", "raw": "b6"}]
    assert json.loads(rows[2]["_issues"]) == [
        {"column": "NAT", "kind": "redacted", "raw": "b6"},
        {"column": "LATEST_HEARING", "kind": "bad_date", "raw": "2019-02-30 00:00:00.000"},
        {"column": "LPR", "kind": "bad_bool", "raw": "Y"},
    ]


def test_numbers_are_whole_numbers_only(tmp_path: Path) -> None:
    header = ["IDNPROCEEDING", "IDNCASE", "OSC_DATE"]
    store, _ = ingest(
        tmp_path,
        {
            "B_TblProceeding": [
                row(*header),
                row("10", "1.5", ""),
                row("11", "1e3", ""),
                row("12", "-7", ""),
                row("13", "0x1A", ""),
            ]
        },
    )
    rows = read_table(store, "B_TblProceeding")
    assert [r["IDNCASE"] for r in rows] == [None, None, -7, None]
    assert json.loads(rows[0]["_issues"]) == [{"column": "IDNCASE", "kind": "bad_number", "raw": "1.5"}]


def test_whole_numbers_in_every_written_form(tmp_path: Path) -> None:
    # Most cells pass the whole-number gate by writing back as they are; the others (sign, leading zeros,
    # out of range) must still get the regular expression's answer.
    header = ["IDNPROCEEDING", "IDNCASE", "OSC_DATE"]
    cells = ["+5", "007", "-0", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-07"]
    lines = [row(*header)] + [row(str(10 + n), cell, "") for n, cell in enumerate(cells)]
    store, _ = ingest(tmp_path, {"B_TblProceeding": lines})
    rows = read_table(store, "B_TblProceeding")
    assert [r["IDNCASE"] for r in rows] == [5, 7, 0, 2**63 - 1, None, -(2**63), -7]
    assert json.loads(rows[4]["_issues"]) == [
        {"column": "IDNCASE", "kind": "bad_number", "raw": "9223372036854775808"}
    ]
    assert [r["_issues"] for i, r in enumerate(rows) if i != 4] == [None] * 6


def test_redaction_is_found_in_any_column_and_any_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bulk pass compares with `b6` only the columns where the byte pass saw those bytes, so a mark that
    # first appears in a late block, padded, or in a typed column must still be found; `b6` inside a longer
    # cell is text like any other.
    from immcourt.ingest import run

    monkeypatch.setattr(run, "PREPARE_CHUNK", 4096)
    lines = [row(*CASE_HEADER)] + [row(str(n), "QUEENS", "NY", "GT", "", "") for n in range(1, 2000)]
    lines.append(row("2000", " b6 ", "ab6", "GT", "b6", "b6"))
    store, _ = ingest(tmp_path, {"A_TblCase": lines}, counts={"A_TblCase": 2000})
    rows = read_table(store, "A_TblCase")
    last = rows[-1]
    assert (
        last["IDNCASE"],
        last["ALIEN_CITY"],
        last["ALIEN_STATE"],
        last["LATEST_HEARING"],
        last["LPR"],
    ) == (
        2000,
        None,
        "ab6",
        None,
        None,
    )
    assert json.loads(last["_issues"]) == [
        {"column": column, "kind": "redacted", "raw": "b6"}
        for column in ("ALIEN_CITY", "LATEST_HEARING", "LPR")
    ]
    assert all(r["_issues"] is None and r["ALIEN_CITY"] == "QUEENS" for r in rows[:-1])


def test_nul_and_cp1252_bytes(tmp_path: Path) -> None:
    header = "\t".join(CASE_HEADER).encode()
    data = (
        header
        + b"\r\n"
        + b"1\tSAN JOS\xc9\tN\x00Y\tESPA\xd1A\t\t\r\n"  # É, Ñ and a NUL inside NY
        + b"2\tA \x96 B\tNY\tGT\t\t\r\n"  # cp1252 en dash
        + b"3\tX\x81Y\tNY\tGT\t\t\r\n"
    )  # 0x81 is undefined in cp1252: read as latin-1 U+0081
    store, _ = ingest(tmp_path, {"A_TblCase": data})
    rows = read_table(store, "A_TblCase")
    assert [(r["ALIEN_CITY"], r["ALIEN_STATE"], r["NAT"]) for r in rows] == [
        ("SAN JOS\u00c9", "NY", "ESPA\u00d1A"),
        ("A \u2013 B", "NY", "GT"),
        ("X\u0081Y", "NY", "GT"),
    ]


def test_stray_empty_field_is_removed_when_only_one_way_parses(tmp_path: Path) -> None:
    # 5 fields for 4 columns: dropping the empty 3rd field is the only removal that leaves the date and the
    # 0/1 flag in the date and boolean columns; merging the last two fields would put "date<TAB>0" in LPR.
    store, report = ingest(
        tmp_path,
        {
            "A_TblCase": [
                row("IDNCASE", "ALIEN_CITY", "LATEST_HEARING", "LPR"),
                row("2", "OMAHA", "", "2015-10-17 00:00:00.000", "0"),
            ]
        },
    )
    (only,) = read_table(store, "A_TblCase")
    assert (only["IDNCASE"], only["ALIEN_CITY"], only["LATEST_HEARING"], only["LPR"]) == (
        2,
        "OMAHA",
        date(2015, 10, 17),
        False,
    )
    assert only["_repaired"] == "removed_stray_empty_field@3" and only["_line"] == 2
    assert report.tables["A_TblCase"].repaired == 1 and report.tables["A_TblCase"].loaded == 1


def test_stray_field_in_text_run_is_placed_by_what_the_columns_hold(tmp_path: Path) -> None:
    # Types allow two repairs: drop the empty 3rd field (ALIEN_STATE=NE, NAT=VE) or merge NE<TAB>VE into NAT
    # (ALIEN_STATE empty). Only the first puts values the other rows show in those columns.
    store, _ = ingest(
        tmp_path,
        {
            "A_TblCase": [
                row(*CASE_HEADER),
                row("1", "BROOKLYN", "NY", "GT", "", ""),
                row("3", "LINCOLN", "NE", "VE", "", ""),
                row("2", "OMAHA", "", "NE", "VE", "2015-10-17 00:00:00.000", "0"),
            ]
        },
    )
    repaired = read_table(store, "A_TblCase")[2]
    assert (
        repaired["IDNCASE"],
        repaired["ALIEN_STATE"],
        repaired["NAT"],
        repaired["LPR"],
        repaired["_line"],
    ) == (2, "NE", "VE", False, 4)
    assert repaired["_repaired"] == "removed_stray_empty_field@3"


def test_ambiguous_shift_is_quarantined(tmp_path: Path) -> None:
    # 'ZZ' could be ALIEN_STATE or NAT: either removal parses and neither column ever holds ZZ.
    store, report = ingest(
        tmp_path,
        {
            "A_TblCase": [
                row(*CASE_HEADER),
                row("1", "BROOKLYN", "NY", "GT", "", ""),
                row("2", "QUEENS", "", "ZZ", "", "", ""),
            ]
        },
    )
    assert [r["IDNCASE"] for r in read_table(store, "A_TblCase")] == [1]
    (item,) = read_quarantine(store)
    assert (item["table"], item["line"], item["reason"]) == ("A_TblCase", 3, "ambiguous_shift")
    assert item["raw"] == b"2\tQUEENS\t\tZZ\t\t\t"
    assert report.tables["A_TblCase"].quarantined == 1


def test_padding_is_trimmed_in_any_column_and_any_row(tmp_path: Path) -> None:
    # Ingest trims only the columns the byte pass saw padded, so padding that first appears on the last
    # row, or only as a no-break space (cp1252 0xA0), must still be found and removed.
    lines = [row(*CASE_HEADER)] + [row(str(n), "QUEENS", "NY", "GT", "", "") for n in range(1, 2000)]
    lines.append(row("2000", "QUEENS", "NY\xa0", " GT ", " 2019-03-04 00:00:00.000 ", " 1"))
    store, _ = ingest(tmp_path, {"A_TblCase": lines}, counts={"A_TblCase": 2000})
    last = read_table(store, "A_TblCase")[-1]
    assert (last["IDNCASE"], last["ALIEN_STATE"], last["NAT"], last["LPR"]) == (2000, "NY", "GT", True)
    assert last["LATEST_HEARING"] == date(2019, 3, 4) and last["_issues"] is None


def test_split_line_is_joined(tmp_path: Path) -> None:
    store, report = ingest(
        tmp_path,
        {
            "A_TblCase": [
                row(*CASE_HEADER),
                row("1", "NEW"),
                row("ARK", "NJ", "GT", "2019-03-04", "1"),  # break inside a value
                row("2", "NEWARK"),
                row("", "NJ", "GT", "", "0"),  # break at the end of a value (as the sample does)
                row("3", "QUEENS", "NY", "GT", "", ""),
            ]
        },
        counts={"A_TblCase": 3},
    )
    rows = read_table(store, "A_TblCase")
    assert [(r["IDNCASE"], r["ALIEN_CITY"], r["LPR"], r["_line"], r["_repaired"]) for r in rows] == [
        (1, "NEWARK", True, 2, "joined_split_line"),
        (2, "NEWARK", False, 4, "joined_split_line"),
        (3, "QUEENS", None, 6, None),
    ]
    rec = report.tables["A_TblCase"]
    assert (rec.data_lines, rec.loaded, rec.merged, rec.quarantined, rec.count_matches) == (5, 3, 2, 0, True)


def test_two_truncated_rows_whose_counts_add_up_are_not_joined(tmp_path: Path) -> None:
    # 3 + 4 fields make the header's 6 once joined (the sample generator produced exactly this), but the
    # seam would be the third column, IDNCASE, a number.
    store, report = ingest(
        tmp_path,
        {
            "tbl_Court_Appln": [
                row(*APPLN_HEADER),
                row("10", "20", "30"),  # truncated after IDNCASE (a number)
                row("11", "20", "30", "WCAT"),  # truncated after APPL_CODE
                row("12", "21", "31", "ASYL", "2020-01-02 00:00:00.000", "G"),
            ]
        },
        counts={"tbl_Court_Appln": 3},
    )
    # A line break cannot fall inside the number IDNCASE, so these are not one split row; but they might be
    # the halves of one row cut inside a typed value, so neither is loaded as a row that ends early.
    assert [r["IDNPROCEEDINGAPPLN"] for r in read_table(store, "tbl_Court_Appln")] == [12]
    assert [(q["line"], q["reason"]) for q in read_quarantine(store)] == [
        (2, "too_few_fields"),
        (3, "too_few_fields"),
    ]
    rec = report.tables["tbl_Court_Appln"]
    assert (rec.loaded, rec.quarantined, rec.merged, rec.count_matches) == (1, 2, 0, True)


def test_short_rows_load_with_the_missing_tail_null(tmp_path: Path) -> None:
    # Issue 9, kind 6: rows that stop after a given column, their leading fields right, not next to another
    # short line: loaded with the tail NULL, flagged in _repaired and _issues.
    store, report = ingest(
        tmp_path,
        {
            "tbl_Court_Appln": [
                row(*APPLN_HEADER),
                row("10", "20", "30"),
                row("12", "21", "31", "ASYL", "2020-01-02 00:00:00.000", "G"),
                row("11", "20", "30", "WCAT"),
            ]
        },
        counts={"tbl_Court_Appln": 3},
    )
    rows = read_table(store, "tbl_Court_Appln")
    assert [(r["IDNPROCEEDINGAPPLN"], r["APPL_CODE"], r["APPL_DEC"], r["_repaired"]) for r in rows] == [
        (10, None, None, "short_row@4"),
        (12, "ASYL", "G", None),
        (11, "WCAT", None, "short_row@5"),
    ]
    issues = json.loads(rows[2]["_issues"])
    assert issues == [
        {"column": "APPL_RECD_DATE", "kind": "short_row", "raw": ""},
        {"column": "APPL_DEC", "kind": "short_row", "raw": ""},
    ]
    assert read_quarantine(store) == []
    rec = report.tables["tbl_Court_Appln"]
    assert (rec.loaded, rec.quarantined, rec.merged) == (3, 0, 0) and rec.repairs == {"short_row": 2}


def test_short_row_duplicate_and_bad_key_are_quarantined(tmp_path: Path) -> None:
    store, report = ingest(
        tmp_path,
        {
            "A_TblCase": [
                row(*CASE_HEADER),
                row("1", "BROOKLYN", "NY", "GT", "", ""),
                row("2", "QUEENS", "NY", "GT", "2019-13-45"),  # short, and a leading date does not parse
                "",  # blank line
                row(
                    "1", "ELSEWHERE", "NY", "GT", "", ""
                ),  # duplicate key: the first occurrence (line 2) is kept
                row("A7", "X", "NY", "GT", "", ""),  # key is not a number
                row("4", "Y", "NY", "GT", "", ""),
            ]
        },
        counts={"A_TblCase": 5},
    )
    assert [(r["IDNCASE"], r["ALIEN_CITY"]) for r in read_table(store, "A_TblCase")] == [
        (1, "BROOKLYN"),
        (4, "Y"),
    ]
    assert [(q["line"], q["reason"], q["raw"]) for q in read_quarantine(store)] == [
        (3, "too_few_fields", b"2\tQUEENS\tNY\tGT\t2019-13-45"),
        (5, "duplicate_key", b"1\tELSEWHERE\tNY\tGT\t\t"),
        (6, "bad_key", b"A7\tX\tNY\tGT\t\t"),
    ]
    rec = report.tables["A_TblCase"]
    # 6 data lines = 2 loaded + 3 quarantined + 0 merged + 1 blank; Count.txt's 5 = 2 loaded + 3 quarantined
    assert (rec.data_lines, rec.loaded, rec.quarantined, rec.merged, rec.blank) == (6, 2, 3, 0, 1)
    assert rec.quarantine_reasons == {"too_few_fields": 1, "duplicate_key": 1, "bad_key": 1}


def test_columns_by_header_name_shuffled_added_and_dropped(tmp_path: Path) -> None:
    # LPR and ALIEN_STATE come first, NAT is missing, EXTRA_NOTE is not in the schema.
    store, report = ingest(
        tmp_path,
        {
            "A_TblCase": [
                row("LPR", "ALIEN_STATE", "IDNCASE", "EXTRA_NOTE", "LATEST_HEARING", "ALIEN_CITY"),
                row("1", "NY", "5", " hello ", "2019-03-04", "BROOKLYN"),
            ]
        },
    )
    (only,) = read_table(store, "A_TblCase")
    assert (only["IDNCASE"], only["ALIEN_CITY"], only["ALIEN_STATE"], only["LPR"], only["EXTRA_NOTE"]) == (
        5,
        "BROOKLYN",
        "NY",
        True,
        "hello",
    )
    assert only["NAT"] is None and "NAT" in report.columns_missing["A_TblCase"]
    assert report.columns_unknown == {"A_TblCase": ["EXTRA_NOTE"]}
    path = next(store.glob("release=*/A_TblCase.parquet"))
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}', hive_partitioning = false)")
    types = {name: kind for name, kind, *_ in described.fetchall()}
    assert (types["NAT"], types["DATE_OF_ENTRY"], types["EXTRA_NOTE"], types["LPR"]) == (
        "VARCHAR",
        "DATE",
        "VARCHAR",
        "BOOLEAN",
    )
    assert types["C_BIRTHDATE"] == "VARCHAR"  # holds M/YYYY, kept as text


def test_count_txt_mismatch_fails_unless_accepted(tmp_path: Path) -> None:
    tables = {"A_TblCase": [row(*CASE_HEADER), row("1", "A", "NY", "GT", "", "")]}
    source = write_release(tmp_path / "release", tables, counts={"A_TblCase": 2})
    with pytest.raises(IngestError, match=r"A_TblCase: Count.txt says 2 rows but the file holds 1"):
        ingest_release(source, store=tmp_path / "store", progress=False, partial=True)
    assert not list((tmp_path / "store").glob("release=*")) and not list((tmp_path / "store").glob(".tmp-*"))
    report = ingest_release(
        source, store=tmp_path / "store", progress=False, partial=True, accept_count_mismatch=True
    )
    assert report.tables["A_TblCase"].count_matches is False
    assert [w for w in report.warnings if "Count.txt says 2" in w]  # (besides the folder-date warning, F23)


def test_lookups_are_text_with_their_header(tmp_path: Path) -> None:
    store, report = ingest(
        tmp_path,
        {"A_TblCase": [row(*CASE_HEADER)]},
        lookups={
            "tblLookupNationality": (
                b"strCode\tstrDescription\r\nGT\tGUATEMALA \r\nMX\tM\xc9XICO\r\n\r\nXX\r\n"
            )
        },
    )
    path = next(store.glob("release=*/lookup/tblLookupNationality.parquet"))
    values = duckdb.sql(f"SELECT * FROM read_parquet('{path}', hive_partitioning = false)").fetchall()
    assert values == [("GT", "GUATEMALA"), ("MX", "M\u00c9XICO"), ("XX", None)]
    assert report.lookups == {"tblLookupNationality": 3}


def test_release_manifest_and_reconciliation(tmp_path: Path) -> None:
    source = write_release(
        tmp_path / "release",
        {"A_TblCase": [row(*CASE_HEADER), row("1", "A", "NY", "", "", "")]},
        counts={"A_TblCase": 1},
        sample=True,
    )
    report = ingest_release(source, store=tmp_path / "store", progress=False, partial=True)
    manifest = json.loads((release_dir(tmp_path / "store", report.release_id) / "_release.json").read_text())
    assert manifest["id"].startswith("sample-") and manifest["is_sample"] is True
    table_bytes = (source / "EOIR Case Data" / "A_TblCase.csv").read_bytes()
    (entry,) = [f for f in manifest["files"] if f["name"].endswith("A_TblCase.csv")]
    assert entry == {
        "name": "EOIR Case Data/A_TblCase.csv",
        "bytes": len(table_bytes),
        "sha256": hashlib.sha256(table_bytes).hexdigest(),
    }
    assert manifest["count_txt"] == {"A_TblCase": 1}
    assert manifest["reconciliation"]["A_TblCase"]["loaded"] == 1
    assert manifest["version"] and manifest["ingested_at"]


def test_rerun_replaces_and_skip_existing(tmp_path: Path) -> None:
    source = write_release(
        tmp_path / "release", {"A_TblCase": [row(*CASE_HEADER), row("1", "A", "NY", "", "", "")]}
    )
    store = tmp_path / "store"
    first = ingest_release(source, store=store, progress=False, partial=True, release_id="2025-01-01")
    (source / "EOIR Case Data" / "A_TblCase.csv").write_text(
        "\r\n".join([row(*CASE_HEADER), row("1", "A", "NY", "", "", ""), row("2", "B", "NY", "", "", "")])
        + "\r\n"
    )
    skipped = ingest_release(
        source, store=store, progress=False, partial=True, release_id="2025-01-01", skip_existing=True
    )
    assert skipped.skipped and len(read_table(store, "A_TblCase")) == 1
    # other content under the stored id: refused unless replace (tester5 F32)
    with pytest.raises(IngestError, match="already in the store with different content"):
        ingest_release(source, store=store, progress=False, partial=True, release_id="2025-01-01")
    assert len(read_table(store, "A_TblCase")) == 1
    again = ingest_release(
        source, store=store, progress=False, partial=True, release_id="2025-01-01", replace=True
    )
    assert first.release_id == again.release_id == "2025-01-01"
    assert len(read_table(store, "A_TblCase")) == 2
    assert leftovers(store) == []
    assert len(list((store / ".versions").iterdir())) == 1  # the replaced version is gone


def test_interrupted_ingest_leaves_nothing_visible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import immcourt.ingest.run as run

    source = write_release(
        tmp_path / "release",
        {
            "A_TblCase": [row(*CASE_HEADER), row("1", "A", "NY", "", "", "")],
            "B_TblProceeding": [row("IDNPROCEEDING", "IDNCASE"), row("1", "1")],
        },
    )
    real = run.load_table
    calls = []

    def failing(*args, **kwargs):
        calls.append(kwargs["table"])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "load_table", failing)
    with pytest.raises(KeyboardInterrupt):
        ingest_release(source, store=tmp_path / "store", progress=False, partial=True)
    assert list_releases(tmp_path / "store") == [] and leftovers(tmp_path / "store") == []


def _deflate64_zip(path: Path, members: dict[str, bytes]) -> None:
    """A zip whose members use method 9 (Deflate64). zlib at level 0 writes only stored blocks, whose format
    Deflate64 shares with Deflate, so patching the method field in both headers gives valid Deflate64."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=0) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            assert raw[start + offset : start + offset + 2] == b"\x08\x00"
            raw[start + offset : start + offset + 2] = b"\x09\x00"
            start += 4
    path.write_bytes(bytes(raw))
    assert zlib  # stored blocks come from zlib's level 0


def test_deflate64_zip(tmp_path: Path) -> None:
    table = ("\r\n".join([row(*CASE_HEADER), row("1", "A", "NY", "GT", "2019-03-04", "1")]) + "\r\n").encode()
    path = tmp_path / "EOIR Case Data.zip"
    _deflate64_zip(
        path,
        {
            "EOIR Case Data/A_TblCase.csv": table,
            "Count.txt": b"TableName\tContent\r\nA_TblCase\t1 rows copied.\r\n",
        },
    )
    assert {info.compress_type for info in zipfile.ZipFile(path).infolist()} == {9}
    report = ingest_release(path, store=tmp_path / "store", progress=False, partial=True)
    assert report.tables["A_TblCase"].loaded == 1 and report.tables["A_TblCase"].count_matches
    assert read_table(tmp_path / "store", "A_TblCase")[0]["LATEST_HEARING"] == date(2019, 3, 4)
