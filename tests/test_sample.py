"""The sample generator: release layout, determinism, defects at the lines the oracle names, consistent
histories and the shapes the truth must show. Expected values are worked out here from the raw bytes or
from the reference files in ../shared, never copied from the generator's output."""

from __future__ import annotations

import csv
import importlib
import json
import re
import tracemalloc
import zipfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from immcourt.cli import app
from immcourt.sample import SampleError, generate
from tests.sample_fixtures import make_sample, physical_lines

generate_module = importlib.import_module("immcourt.sample.generate")  # the package re-exports generate()
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TABLES = (
    "A_TblCase",
    "B_TblProceeding",
    "tbl_Court_Appln",
    "B_TblProceedCharges",
    "tbl_schedule",
    "tbl_RepsAssigned",
    "D_TblAssociatedBond",
    "tbl_CustodyHistory",
)
DATE_RE = re.compile(rb"^\d{4}-\d{2}-\d{2} 00:00:00\.000$")
RELEASE = date(2026, 11, 1)
# OUTCOMES.md section 3, written out independently of the generator (description -> class).
OUTCOME_OF = {
    "Remove": "removal_order",
    "Deport": "removal_order",
    "Exclude": "removal_order",
    "Voluntary Departure": "voluntary_departure",
    "Relief Granted": "relief_granted",
    "Grant": "relief_granted",
    "Conditional Grant": "relief_granted",
    "Final Grant of EOIR 42B/SUSP": "relief_granted",
    "Admit": "relief_granted",
    "Remove-INA Withholding Granted": "protection_under_removal_order",
    "Remove-CAT Withholding Granted": "protection_under_removal_order",
    "Remove-CAT Deferral Granted": "protection_under_removal_order",
    "Terminated": "terminated",
    "Terminate": "terminated",
    "Prosecutorial Discretion \u2013 Terminated": "terminated",
    "Dismissed by IJ": "dismissed",
    "DISMISSED": "dismissed",
    "Failure to Prosecute (DHS cases only)": "dismissed",
    "Administrative Closing - Other": "administratively_closed",
    "Administrative closing - Failure to Appear": "administratively_closed",
    "Prosecutorial Discretion \u2013 Admin Close": "administratively_closed",
    "In Court Prosecutorial Discretion - Admin Closure": "administratively_closed",
    "Administrative Closure": "administratively_closed",
    "Other": "other",
    "Other Administrative Completion": "other",
    "Temporary Protected Status": "other",
    "Haitian": "other",
    "Withdraw": "other",
    "Abandonment": "other",
    "Deny": "other",
    "Affirmed - DHS Decision and no Credible Fear": "other",
    "Vacate - DHS Decision and Credible Fear": "other",
    "DHS Decision and No Reasonable Fear": "other",
    "DHS Decision and Reasonable Fear": "other",
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The same 4,000 cases with realistic defects and without (folder releases)."""
    base = tmp_path_factory.mktemp("pair")
    realistic = make_sample(base / "realistic", cases=4_000, seed=5)
    clean = make_sample(base / "clean", cases=4_000, seed=5, defects="none")
    return realistic, clean


def _table_path(result, table: str) -> Path:
    return result.release / "EOIR Case Data" / f"{table}.csv"


def _read_clean_table(result, table: str) -> list[dict[str, str]]:
    """Rows of a defect-free table, parsed with the csv module as a reader of the real files would."""
    text = _table_path(result, table).read_bytes().decode("cp1252")
    return list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def _valid_date(field: bytes) -> bool:
    if not DATE_RE.match(field):
        return False
    try:
        date.fromisoformat(field[:10].decode())
    except ValueError:
        return False
    return True


def _day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _fy(day: date) -> int:
    return day.year + (day.month >= 10)


# ---- layout --------------------------------------------------------------------------------------
def test_headers_are_the_2025_headers_of_variable_types(pair):
    expected = defaultdict(list)
    with open(SHARED / "data/eoir-schema/variable_types.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            expected[row["table"]].append(row["name"])
    for table in TABLES:
        header = physical_lines(_table_path(pair[0], table))[0]
        assert header.decode("cp1252").split("\t") == expected[table], table


def test_zip_layout_timestamps_and_compression(tmp_path):
    result = make_sample(tmp_path, cases=300, seed=1, fmt="zip", defects="none")
    assert result.release == tmp_path / "EOIR Case Data.zip"
    with zipfile.ZipFile(result.release) as archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        assert {f"EOIR Case Data/{t}.csv" for t in TABLES} <= names
        assert {"Count.txt", "SAMPLE-README.txt", "Lookup/tblLookupCourtDecision.csv"} <= names
        assert all(info.date_time == (2026, 11, 1, 0, 0, 0) for info in infos)
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos)
        readme = archive.read("SAMPLE-README.txt").decode()
        assert "SAMPLE DATA" in readme and "not real" in readme.lower()


def test_table_files_use_crlf_and_tabs(pair):
    data = _table_path(pair[1], "B_TblProceeding").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 4_000
    assert b'"' not in data


def test_count_txt_matches_the_logical_rows(pair):
    realistic, clean = pair
    defects = pq.read_table(realistic.oracle / "defects.parquet").to_pylist()
    for result in (clean, realistic):
        lines = (result.release / "Count.txt").read_bytes().split(b"\n")
        assert lines[0] == b"TableName\tContent"
        counts = {}
        for line in filter(None, lines[1:]):
            match = re.fullmatch(rb"(\w+)\t(\d+) rows copied\.", line)
            assert match, line
            counts[match[1].decode()] = int(match[2])
        for table in TABLES:
            physical = len(physical_lines(_table_path(result, table))) - 1
            splits = sum(1 for d in defects if d["table"] == table and d["kind"] == "split_line")
            expected = physical - (splits if result is realistic else 0)
            assert counts[table] == expected, table
    duplicates = Counter(d["table"] for d in defects if d["kind"] == "duplicate")
    clean_counts = {t: len(physical_lines(_table_path(clean, t))) - 1 for t in TABLES}
    assert realistic.row_counts == {t: clean_counts[t] + duplicates[t] for t in TABLES}


def test_lookups_have_the_required_layout_and_rows(pair):
    lookup = pair[1].release / "Lookup"
    decision = (lookup / "tblLookupCourtDecision.csv").read_bytes()
    assert decision.split(b"\r\n")[0] == (
        b"idnCourtDecision\tstrCaseType\tstrDecCode\tstrDecDescription\t"
        b"strDecType\tstrFinalDisposition\tblnActive\tdatCreatedOn\tdatModifiedOn"
    )
    assert "Prosecutorial Discretion \u2013 Admin Close".encode("cp1252") in decision  # en dash is byte 0x96
    rows = [line.split(b"\t") for line in decision.split(b"\r\n")[1:] if line]
    keys = Counter((r[1], r[2], r[4]) for r in rows)
    inactive = [r for r in rows if r[6] == b"0"]
    assert inactive and all(keys[(r[1], r[2], r[4])] == 2 for r in inactive)
    for case_type, code, kind, text in [
        (b"RMV", b"U", b"C", b"Dismissed by IJ"),
        (b"RMV", b"Q", b"C", b"Final Grant of EOIR 42B/SUSP"),
        (b"RMV", b"K", b"O", b"Administrative Closure"),
    ]:
        assert any(r[1:5] == [case_type, code, text, kind] and r[6] == b"1" for r in rows)
    app_decisions = (lookup / "tblLookupCourtAppDecisions.csv").read_bytes().split(b"\r\n")
    assert sorted(line.split(b"\t")[1] for line in app_decisions[1:] if line) == [
        bytes([c]) for c in b"ACDFGILMOPRSTW"
    ]
    base_city = (lookup / "tblLookupBaseCity.csv").read_text(encoding="cp1252")
    assert "\tATL\tOFFICE OF THE IMMIGRATION JUDGE\tATLANTA\tGA\tEastern\t1" in base_city


# ---- determinism ---------------------------------------------------------------------------------
def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    first = make_sample(tmp_path / "a", cases=1_200, seed=42, fmt="zip")
    second = make_sample(tmp_path / "b", cases=1_200, seed=42, fmt="zip")
    other = make_sample(tmp_path / "c", cases=1_200, seed=43, fmt="zip")
    assert first.release.read_bytes() == second.release.read_bytes()
    assert first.release.read_bytes() != other.release.read_bytes()


def test_defects_none_and_realistic_share_the_clean_rows(pair):
    realistic, clean = pair
    for table in TABLES:
        defect_lines = set()
        for record in pq.read_table(realistic.oracle / "defects.parquet").to_pylist():
            if record["table"] == table:
                defect_lines.add(record["line"])
                if record["kind"] == "split_line":
                    defect_lines.add(record["line"] + 1)
        raw = physical_lines(_table_path(realistic, table))
        untouched = Counter(
            line for number, line in enumerate(raw[1:], start=2) if number not in defect_lines
        )
        repaired = pq.read_table(realistic.oracle / "clean" / f"{table}.parquet").to_pylist()
        kinds = {
            r["line"]: r["kind"]
            for r in pq.read_table(realistic.oracle / "defects.parquet").to_pylist()
            if r["table"] == table
        }
        columns = raw[0].decode("cp1252").split("\t")
        for row in repaired:
            if kinds[row["_line"]] != "duplicate":
                untouched["\t".join(row[c] for c in columns).encode("cp1252")] += 1
        assert untouched == Counter(physical_lines(_table_path(clean, table))[1:]), table


# ---- defects -------------------------------------------------------------------------------------
def test_every_defect_kind_is_where_the_oracle_says(pair):
    realistic = pair[0]
    records = pq.read_table(realistic.oracle / "defects.parquet").to_pylist()
    assert {r["kind"] for r in records} == {
        "nul",
        "trailing_space",
        "cp1252",
        "b6",
        "bad_date",
        "extra_tab",
        "split_line",
        "short_row",
        "duplicate",
        "junk_code",
        "trailing_comma",
        "shifted_row",
        "multi_tab",
        "implausible_date",
    }
    lines = {t: physical_lines(_table_path(realistic, t)) for t in TABLES}
    for record in records:
        raw = lines[record["table"]]
        header = raw[0].split(b"\t")
        line = raw[record["line"] - 1]
        fields = line.split(b"\t")
        kind = record["kind"]
        at = header.index(record["column"].encode()) if record["column"] else None
        if kind == "nul":
            assert b"\x00" in fields[at]
        elif kind == "trailing_space":
            assert fields[at].endswith(b" ") and len(fields) == len(header)
        elif kind == "b6":
            assert fields[at] == b"b6"
        elif kind == "bad_date":
            assert fields[at] and not _valid_date(fields[at])
        elif kind == "extra_tab":
            assert len(fields) == len(header) + 1 and fields[at + 1] == b""
        elif kind == "split_line":
            continuation = raw[record["line"]].split(b"\t")
            assert len(fields) + len(continuation) - 1 == len(header)
        elif kind == "short_row":
            assert len(fields) < len(header)
        elif kind == "duplicate":
            assert line in raw[1 : record["line"] - 1]
        elif kind == "trailing_comma":
            assert line.endswith(b",") and not line.endswith(b",,") and len(fields) == len(header)
        elif kind == "shifted_row":
            assert len(fields) == len(header) and fields[at + 1] == b""
        elif kind == "multi_tab":
            extra = len(fields) - len(header)
            assert 2 <= extra <= 8 and fields[at + 1 : at + 1 + extra] == [b""] * extra
        elif kind == "implausible_date":
            assert fields[at][:4] in (b"1900", b"2925")
        elif kind == "junk_code":
            assert fields[at] not in (b"D", b"N", b"R", b"Y", b"") and fields[at].isupper()
        elif kind == "cp1252":
            assert not line.isascii() and line.decode("cp1252") and any(b in line for b in b"\xd1\xc9")
        assert record["expect"] in {"normalize", "repair", "flag", "quarantine", "keep"}


def test_defects_are_rare_and_absent_when_disabled(pair):
    realistic, clean = pair
    records = pq.read_table(realistic.oracle / "defects.parquet").to_pylist()
    damaging = [r for r in records if r["kind"] != "cp1252"]
    assert 0 < len(damaging) < 0.005 * sum(realistic.row_counts.values())
    clean_kinds = {r["kind"] for r in pq.read_table(clean.oracle / "defects.parquet").to_pylist()}
    assert clean_kinds <= {"cp1252"}
    for table in TABLES:
        header_width = len(physical_lines(_table_path(clean, table))[0].split(b"\t"))
        for line in physical_lines(_table_path(clean, table)):
            assert b"\x00" not in line and len(line.split(b"\t")) == header_width


def test_manifest_describes_the_run(pair):
    manifest = json.loads((pair[0].oracle / "manifest.json").read_text())
    assert (manifest["seed"], manifest["cases"], manifest["defects"]) == (5, 4_000, "realistic")
    assert manifest["row_counts"] == pair[0].row_counts
    assert set(manifest["defect_rates"]) >= {"nul", "duplicate", "split_line"}
    assert manifest["is_sample"] is True


# ---- histories -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def history(pair):
    clean = pair[1]
    proceedings = defaultdict(list)
    for row in _read_clean_table(clean, "B_TblProceeding"):
        proceedings[int(row["IDNCASE"])].append(row)
    applications = defaultdict(list)
    for row in _read_clean_table(clean, "tbl_Court_Appln"):
        applications[int(row["IDNPROCEEDING"])].append(row)
    truth = pq.read_table(clean.oracle / "truth" / "cases.parquet").to_pylist()
    decisions = {}
    for row in csv.DictReader(
        (clean.release / "Lookup/tblLookupCourtDecision.csv").read_bytes().decode("cp1252").splitlines(),
        delimiter="\t",
    ):
        if row["blnActive"] == "1":
            decisions[(row["strCaseType"], row["strDecType"], row["strDecCode"])] = row["strDecDescription"]
    return proceedings, applications, truth, decisions


def test_proceedings_are_ordered_and_never_overlap(history):
    proceedings, _, truth, _ = history
    assert len(proceedings) == len(truth) == 4_000
    for rows in proceedings.values():
        rows.sort(key=lambda r: (r["INPUT_DATE"], int(r["IDNPROCEEDING"])))
        for row in rows:
            osc, opened, completed = _day(row["OSC_DATE"]), _day(row["INPUT_DATE"]), _day(row["COMP_DATE"])
            assert osc <= opened
            if completed:
                assert osc <= opened <= completed <= RELEASE
                assert bool(row["DEC_CODE"]) != bool(row["OTHER_COMP"])
            else:
                assert not row["DEC_CODE"] and not row["OTHER_COMP"]
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier["COMP_DATE"], "only the last proceeding may be open"
            assert _day(later["INPUT_DATE"]) >= _day(earlier["COMP_DATE"])


def test_truth_matches_the_last_proceeding(history):
    proceedings, applications, truth, decisions = history
    for case in truth:
        rows = sorted(proceedings[case["IDNCASE"]], key=lambda r: (r["INPUT_DATE"], int(r["IDNPROCEEDING"])))
        last = rows[-1]
        asylum_apps = [
            a
            for r in rows
            for a in applications[int(r["IDNPROCEEDING"])]
            if a["APPL_CODE"] in ("ASYL", "ASYW")
        ]
        assert case["asylum_case"] == bool(asylum_apps)
        assert case["start_date"] == _day(rows[0]["OSC_DATE"])
        if case["outcome"] is None:
            assert not (last["COMP_DATE"] or last["DEC_CODE"] or last["OTHER_COMP"])
            assert case["completion_date"] is None
            continue
        assert case["completion_date"] == _day(last["COMP_DATE"])
        kind, code = ("C", last["DEC_CODE"]) if last["DEC_CODE"] else ("O", last["OTHER_COMP"])
        described = OUTCOME_OF[decisions[(last["CASE_TYPE"], kind, code)]]
        asyl = [a["APPL_DEC"] for a in applications[int(last["IDNPROCEEDING"])] if a["APPL_CODE"] == "ASYL"]
        if case["outcome"] == "asylum_granted":
            assert "G" in asyl and described == "relief_granted"
        else:
            assert described == case["outcome"]
        assert case["in_absentia"] == (last["ABSENTIA"] == "Y")
        if case["in_absentia"]:
            assert case["outcome"] == "removal_order"


def test_transfers_move_the_case_and_places_resolve_in_the_lookups(pair, history):
    proceedings, _, _, _ = history
    lookup = pair[1].release / "Lookup"

    def rows(name):
        text = (lookup / f"{name}.csv").read_bytes().decode("cp1252")
        return list(csv.DictReader(text.splitlines(), delimiter="\t"))

    courts = {r["BASE_CITY_CODE"] for r in rows("tblLookupBaseCity") if r["blnActive"] == "1"}
    court_of_location = {r["HEARING_LOC_CODE"]: r["BASE_CITY_CODE"] for r in rows("tblLookupHloc")}
    judges = {r["JUDGE_CODE"] for r in rows("tblLookupJudge")}
    moves = 0
    for case_rows in proceedings.values():
        case_rows.sort(key=lambda r: (r["INPUT_DATE"], int(r["IDNPROCEEDING"])))
        for row in case_rows:
            assert row["BASE_CITY_CODE"] in courts and row["IJ_CODE"] in judges
            assert court_of_location[row["HEARING_LOC_CODE"]] == row["BASE_CITY_CODE"]
        for earlier, later in zip(case_rows, case_rows[1:], strict=False):
            if earlier["OTHER_COMP"] in ("C", "T"):
                moves += 1
                assert earlier["TRANSFER_TO"] == later["BASE_CITY_CODE"] != earlier["BASE_CITY_CODE"]
                assert later["PREV_HEARING_BASE"] == earlier["BASE_CITY_CODE"]
    assert moves > 100


def test_shares_look_like_the_real_courts(history):
    _, _, truth, _ = history
    pending = sum(c["outcome"] is None for c in truth) / len(truth)
    assert 0.15 < pending < 0.45
    recent = [c for c in truth if c["start_date"] >= date(2022, 10, 1)]
    assert 0.30 < sum(c["asylum_case"] for c in recent) / len(recent) < 0.50
    removals = [c for c in truth if c["outcome"] == "removal_order"]
    assert 0.30 < sum(c["in_absentia"] for c in removals) / len(removals) < 0.60


def test_receipts_and_dismissals_rise_from_fy2021_to_fy2023(history):
    _, _, truth, _ = history
    receipts = Counter(_fy(c["start_date"]) for c in truth)
    ended = Counter(_fy(c["completion_date"]) for c in truth if c["outcome"] in ("dismissed", "terminated"))
    assert receipts[2021] < receipts[2022] < receipts[2023]
    assert ended[2021] < ended[2023]
    assert min(receipts) >= 2000 and max(receipts) <= 2027


def test_nothing_happens_after_the_release_date(pair):
    for table in TABLES:
        for line in physical_lines(_table_path(pair[1], table))[1:]:
            for field in line.split(b"\t"):
                if DATE_RE.match(field):
                    assert date.fromisoformat(field[:10].decode()) <= RELEASE, (table, field)


def test_an_earlier_release_date_bounds_every_date(tmp_path):
    release = date(2015, 1, 1)
    result = generate(
        cases=400, seed=8, out=tmp_path, fmt="dir", defects="none", release_date=release, quiet=True
    )
    latest = date.min
    for table in TABLES:
        for line in physical_lines(_table_path(result, table))[1:]:
            for field in line.split(b"\t"):
                if DATE_RE.match(field):
                    latest = max(latest, date.fromisoformat(field[:10].decode()))
    assert date(2014, 1, 1) < latest <= release
    with zipfile.ZipFile(make_sample(tmp_path / "z", cases=50, seed=8, fmt="zip").release) as archive:
        assert archive.infolist()[0].date_time[:3] == (2026, 11, 1)


# ---- scale and interface -------------------------------------------------------------------------
def test_memory_does_not_grow_with_the_number_of_cases(tmp_path, monkeypatch):
    monkeypatch.setattr(generate_module, "CHUNK_CASES", 250)
    generate(cases=200, seed=3, out=tmp_path / "warm", quiet=True)  # loads profile and calendar once

    def peak(cases: int) -> int:
        tracemalloc.start()
        generate(cases=cases, seed=3, out=tmp_path / str(cases), fmt="zip", quiet=True)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(500), peak(3_000)
    assert large < 1.5 * small


def test_bad_arguments_raise_a_clear_error(tmp_path):
    with pytest.raises(SampleError, match="--format"):
        generate(cases=10, seed=1, out=tmp_path, fmt="tar")
    with pytest.raises(SampleError, match="--release-date"):
        generate(cases=10, seed=1, out=tmp_path, release_date="2026-13-01")


def test_cli_writes_a_release_and_reports_errors_in_one_line(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["sample", "--cases", "200", "--seed", "2", "--out", str(tmp_path), "--quiet"])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "EOIR Case Data.zip").is_file() and (tmp_path / "oracle/truth/cases.parquet").is_file()
    bad = runner.invoke(app, ["sample", "--cases", "0", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2
    assert "--cases" in bad.output and "Traceback" not in bad.output


# ---- criminal charges, prosecutorial discretion, invented judges (issue 14, issue 13.1) -------------
PD_DESCRIPTIONS = {
    "Prosecutorial Discretion \u2013 Terminated",
    "Prosecutorial Discretion \u2013 Admin Close",
    "In Court Prosecutorial Discretion - Admin Closure",
}


def test_crim_ind_and_charges_follow_the_real_rates_and_the_lookup(pair, history, shared_dir):
    proceedings, _, truth, _ = history
    flags = Counter(row["CRIM_IND"] for rows in proceedings.values() for row in rows)
    total = sum(flags.values())
    # value_frequencies_by_field.csv: Y 7.67%; missingness_by_field.csv: 2.46% empty
    assert 0.06 < flags["Y"] / total < 0.095
    assert 0.01 < flags[""] / total < 0.04
    assert set(flags) == {"Y", "N", ""}
    lookup = (pair[1].release / "Lookup" / "tbllookupCharges.csv").read_bytes().decode("cp1252").splitlines()
    rows = list(csv.DictReader(lookup, delimiter="\t"))
    real_codes = {
        row[1]
        for row in csv.reader((shared_dir / "data/eoir-lookups/lookup_tables_combined.csv").open())
        if row[-1] == "tbllookupCharges"
    }
    assert {row["strCode"] for row in rows} == real_codes
    flagged = {row["strCode"]: (row["criminal_flag"], row["aggravate_felon"]) for row in rows}
    assert flagged["237a02Aiii"] == ("1", "1") and flagged["237a02Bi"] == ("1", "0")
    assert flagged["212a06Ai"] == ("0", "0")
    charges = _read_clean_table(pair[1], "B_TblProceedCharges")
    assert {row["CHARGE"] for row in charges} <= real_codes
    # A case flagged Y on its first proceeding has a criminal first charge; some unflagged ones do too.
    first_flag = {
        case: sorted(rows, key=lambda r: int(r["IDNPROCEEDING"]))[0]["CRIM_IND"]
        for case, rows in proceedings.items()
    }
    criminal_cases = {int(row["IDNCASE"]) for row in charges if flagged[row["CHARGE"]][0] == "1"}
    flagged_y = {case for case, flag in first_flag.items() if flag == "Y"}
    assert len(flagged_y - criminal_cases) < 0.1 * len(flagged_y)
    assert 0 < len(criminal_cases - flagged_y) < 0.05 * len(first_flag)


def test_pd_closures_rise_from_fy2022_and_spare_criminal_cases(history):
    proceedings, _, truth, decisions = history
    pd_by_year: Counter = Counter()
    flagged_y = 0
    for case in truth:
        rows = proceedings[case["IDNCASE"]]
        last = max(rows, key=lambda r: (r["INPUT_DATE"], int(r["IDNPROCEEDING"])))
        if not last["COMP_DATE"]:
            continue
        field, letter = ("C", last["DEC_CODE"]) if last["DEC_CODE"] else ("O", last["OTHER_COMP"])
        description = decisions[(last["CASE_TYPE"], field, letter)]
        is_pd = description in PD_DESCRIPTIONS
        assert case["prosecutorial_discretion"] is is_pd
        if is_pd:
            # only cases not flagged criminal get PD closures; a later proceeding rarely changes the flag
            flagged_y += last["CRIM_IND"] == "Y"
            pd_by_year[_fy(_day(last["COMP_DATE"]))] += 1
    # Y closures of FY2012-2016, then in-court PD closures from FY2021, most in FY2022-2024
    before = sum(pd_by_year[y] for y in (2017, 2018, 2019, 2020))
    assert sum(pd_by_year[y] for y in (2022, 2023, 2024)) > before
    assert sum(pd_by_year[y] for y in range(2012, 2017)) > 0
    assert flagged_y <= 0.1 * sum(pd_by_year.values())


def _real_judge_names(shared_dir: Path) -> set[str]:
    raw = (shared_dir / "data/eoir-lookups/release-2014/tblLookupJudge.csv").read_bytes().decode("cp1252")
    rows = list(csv.reader(raw.replace("\r\n", "\n").replace("\r", "\n").splitlines()))
    return {" ".join(row[2].split()).upper() for row in rows if len(row) > 2}


def test_sample_judge_names_are_invented_with_the_real_shape(shared_dir):
    shipped_path = Path(generate_module.__file__).parent / "data" / "lookups" / "tblLookupJudge.csv"
    shipped = list(csv.DictReader(shipped_path.read_bytes().decode("cp1252").splitlines(), delimiter="\t"))
    names = {" ".join(row["JUDGE_NAME"].split()).upper() for row in shipped}
    real = _real_judge_names(shared_dir)
    pseudo_re = re.compile(r"^(<ALL JUDGES>|NEW IJ|MASTER CALENDAR|VISITING JUDGE \d)")
    pseudo = {name for name in real if pseudo_re.match(name)}
    assert len(pseudo) >= 15
    assert names & real == pseudo  # only entries that name nobody are kept
    # no invented surname is a word of any real judge's name (2014 lookup)
    real_words = {word.strip(",.()") for name in real - pseudo for word in name.split()}
    surnames = {
        re.sub(r"(\s*\((TEMP|VISITING JUDGE)\)|\s+\d{4}|,?\s+(JR|SR)\.?|\s+(II|III))+$", "", name).split()[-1]
        for name in names - pseudo
    }
    assert not surnames & real_words
    # the real lookup's shape: its codes, its temporary and visiting entries
    raw = (shared_dir / "data/eoir-lookups/release-2014/tblLookupJudge.csv").read_bytes().decode("cp1252")
    real_codes = {row[1].strip() for row in csv.reader(raw.replace("\r", "\n").splitlines()) if len(row) > 2}
    assert {row["JUDGE_CODE"] for row in shipped} == real_codes
    for marker in ("(TEMP)", "(VISITING JUDGE)"):
        assert sum(marker in name for name in names) == sum(marker in name for name in real) > 0
