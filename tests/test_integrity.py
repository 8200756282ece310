"""Issue 9: no statistic silently changed by a defective release. Each kind's example as a small release in
the real format, with the right value worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app
from immcourt.ingest import ingest_release
from immcourt.ingest.checks import CellChecks, date_rule
from immcourt.ingest.repair import Rejected, repair_shifted, resolve
from immcourt.validate import validate
from tests.builders import PROCEEDING_COLUMNS, MiniRelease

TABLES = "EOIR Case Data"
NO_MIN = {"min_n": 0}


def _edit(release: Path, table: str, line: int, change) -> None:  # noqa: ANN001 - str -> str
    """Rewrite one physical line (header = 1) of a table of a written release."""
    path = release / TABLES / f"{table}.csv"
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    lines[line - 1] = change(lines[line - 1])
    path.write_bytes("\r\n".join(lines).encode("cp1252"))


def _ingest(built: MiniRelease, tmp_path: Path, edits=(), release_id: str = "sample-2025-06-30"):  # noqa: ANN001
    release = built.write_release(tmp_path / "release")
    for table, line, change in edits:
        _edit(release, table, line, change)
    store = tmp_path / "store"
    report = ingest_release(release, store=store, release_id=release_id, progress=False)
    return immcourt.open(store), report


def _rows(db, table: str) -> list[dict]:  # noqa: ANN001
    path = db.release.path / f"{table}.parquet"
    return (
        duckdb.sql(f"SELECT * FROM read_parquet('{path}', hive_partitioning = false) ORDER BY _line")
        .to_arrow_table()
        .to_pylist()
    )


def five_asylum_decisions() -> MiniRelease:
    # Five completed cases with one ASYL application each: grants G, G, G and denials D, D.
    release = MiniRelease()
    for case, decision in zip(range(1, 6), "GGGDD", strict=True):
        release.case(case).proceeding(case, case * 10, comp="2021-03-01", dec="R" if decision == "G" else "X")
        release.application(case, case * 10, "ASYL", decision)
    return release


# -- kind 1: stray comma, codes checked against the lookups ---------------------------------------------


def test_trailing_comma_is_removed_and_the_grant_rate_is_right(tmp_path: Path) -> None:
    # Line 2 of tbl_Court_Appln is case 1's grant; written `G,`, it would count as neither grant nor
    # denial. With the comma removed the rate is 3 / (3 + 2) = 0.6.
    db, report = _ingest(five_asylum_decisions(), tmp_path, [("tbl_Court_Appln", 2, lambda s: s + ",")])
    rate = db.stats("asylum_grant_rate", options=NO_MIN).to_dicts()
    assert rate[0]["value"] == pytest.approx(0.6)
    assert (rate[0]["numerator"], rate[0]["denominator"]) == (3, 5)
    row = _rows(db, "tbl_Court_Appln")[0]
    assert (row["APPL_DEC"], row["_repaired"]) == ("G", "removed_trailing_comma")
    assert report.tables["tbl_Court_Appln"].repairs == {"removed_trailing_comma": 1}


def test_an_unknown_code_is_kept_flagged_and_named_next_to_every_number_reading_it(tmp_path: Path) -> None:
    # `G;` is not in tblLookupCourtAppDecisions: kept as written, flagged, and the grant rate is 2 / 4.
    edits = [
        ("tbl_Court_Appln", 2, lambda s: s + ";"),
        ("A_TblCase", 3, lambda s: s.replace("\tGT\t", "\tZZ\t")),
    ]
    db, report = _ingest(five_asylum_decisions(), tmp_path, edits)
    row = _rows(db, "tbl_Court_Appln")[0]
    assert row["APPL_DEC"] == "G;"
    assert json.loads(row["_issues"]) == [{"column": "APPL_DEC", "kind": "unknown_code", "raw": "G;"}]
    assert report.tables["tbl_Court_Appln"].flagged == {"unknown_code:APPL_DEC": 1}
    assert report.tables["A_TblCase"].flagged == {"unknown_code:NAT": 1}
    rate = db.stats("asylum_grant_rate", options=NO_MIN)
    assert rate.to_dicts()[0]["value"] == pytest.approx(0.5)
    appl = "tbl_Court_Appln.APPL_DEC cells whose code is not in the release's lookup (kept as written)"
    nat = "A_TblCase.NAT cells whose code is not in the release's lookup (kept as written)"
    assert rate.exclusions[appl] == 1 and nat not in rate.exclusions
    # NAT is read only when the number is cut or filtered by nationality; APPL_DEC only by asylum numbers.
    by_nationality = db.stats("completions", by="nationality")
    assert by_nationality.exclusions[nat] == 1 and appl not in by_nationality.exclusions
    assert {r["nationality"]: r["value"] for r in by_nationality.to_dicts()} == {"GUATEMALA": 4, "ZZ": 1}


# -- kind 3: right field count, shifted cells --------------------------------------------------------------


def reopened_then_terminated() -> MiniRelease:
    # Removal order in FY2019 (proceeding 10), reopened, terminated on 2021-06-01 (proceeding 11).
    return (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, osc="2018-01-05", comp="2019-02-01", dec="X")
        .proceeding(1, 11, osc="2018-01-05", comp="2021-06-01", dec="T")
        .case(2)
        .proceeding(2, 20, osc="2018-01-05", comp="2020-02-01", dec="X")
    )


def _stray_tab_before_comp_date(line: str) -> str:
    fields = line.split("\t")
    at = 9  # COMP_DATE (after IDNPROCEEDING, IDNCASE, OSC, INPUT, BASE_CITY, HLOC, IJ, DEC_CODE, OTHER_COMP)
    return "\t".join(fields[:at] + [""] + fields[at:-1])  # a stray tab, and the last field lost


def test_a_shifted_row_is_repaired_when_one_shift_explains_it(tmp_path: Path) -> None:
    # Unrepaired, COMP_DATE is empty, the date sits in ABSENTIA and the custody letter in CASE_TYPE: the case
    # would look pending (or, under last_completed, a FY2019 removal). One shift (drop the stray field,
    # the last column left empty) makes every cell parse and every code valid.
    db, report = _ingest(
        reopened_then_terminated(), tmp_path, [("B_TblProceeding", 3, _stray_tab_before_comp_date)]
    )
    row = next(r for r in _rows(db, "B_TblProceeding") if r["IDNPROCEEDING"] == 11)
    assert (row["COMP_DATE"], row["ABSENTIA"], row["CUSTODY"], row["CASE_TYPE"], row["NAT"]) == (
        date(2021, 6, 1),
        None,
        "D",
        "RMV",
        "GT",
    )
    last = list(PROCEEDING_COLUMNS)[-1]  # the builder's header decides which field the line lost
    assert row["LANG"] == "SP" and row[last] is None
    assert row["_repaired"].startswith("removed_stray_empty_field@")
    assert {"column": last, "kind": "short_row", "raw": ""} in json.loads(row["_issues"])
    for option in ("last", "last_completed"):
        completions = db.stats(
            "completions", by=["fiscal_year", "outcome"], options={"deciding_proceeding": option}
        )
        cells = {(r["fiscal_year"], r["outcome"]): r["value"] for r in completions.to_dicts() if r["value"]}
        assert cells == {
            (2020, "removal_order"): 1,
            (2021, "terminated"): 1,
        }
    assert report.tables["B_TblProceeding"].repaired == 1


def test_a_case_with_a_quarantined_proceeding_is_left_out_and_named(tmp_path: Path) -> None:
    # Proceeding 11 (the FY2021 termination of reopened case 1) has nine stray fields: more than a repair
    # may remove, so it is quarantined. Case 1 would fall back to its FY2019 removal; by default it is
    # left out and named, and defective_cases=include counts it as loaded (the FY2019 removal), still named.
    db, _ = _ingest(
        reopened_then_terminated(),
        tmp_path,
        [("B_TblProceeding", 3, lambda s: s.replace("\tAAA\t", "\tAAA" + "\t" * 10, 1))],
    )
    (quarantined,) = duckdb.sql(
        f"SELECT reason, idncase FROM read_parquet('{db.release.path / '_quarantine.parquet'}')"
    ).fetchall()
    assert quarantined == ("too_many_fields", 1)
    completions = db.stats("completions", by="fiscal_year")
    assert {r["fiscal_year"]: r["value"] for r in completions.to_dicts()} == {2020: 1}
    assert completions.exclusions["cases left out: a quarantined proceeding row"] == 1
    included = db.stats("completions", by="fiscal_year", options={"defective_cases": "include"})
    assert {r["fiscal_year"]: r["value"] for r in included.to_dicts()} == {2019: 1, 2020: 1}
    kept = "cases kept though they have a quarantined proceeding row (defective_cases=include)"
    assert included.exclusions[kept] == 1


def test_a_row_with_two_stray_tabs_and_two_lost_fields_is_repaired(tmp_path: Path) -> None:
    # Two stray tabs after OSC_DATE and the last two fields of the header lost: dropping the two empty fields
    # is the only repair that makes every cell parse and every code valid.
    def two_strays(line: str) -> str:
        fields = line.split("\t")
        return "\t".join(fields[:3] + ["", ""] + fields[3:-2])

    db, _ = _ingest(reopened_then_terminated(), tmp_path, [("B_TblProceeding", 3, two_strays)])
    row = next(r for r in _rows(db, "B_TblProceeding") if r["IDNPROCEEDING"] == 11)
    lost = list(PROCEEDING_COLUMNS)[-2:]
    assert (row["INPUT_DATE"], row["COMP_DATE"], row["CASE_TYPE"], row["NAT"], row["LANG"]) == (
        date(2018, 1, 5),
        date(2021, 6, 1),
        "RMV",
        "GT",
        "SP",
    )
    assert (row[lost[0]], row[lost[1]]) == (None, None)
    first_lost = list(PROCEEDING_COLUMNS).index(lost[0])  # 0-based index of the first missing column
    assert row["_repaired"] == (
        f"removed_stray_empty_field@4+removed_stray_empty_field@5+filled_missing_tail@{first_lost + 1}"
    )
    outcome = db.stats("completions", by=["fiscal_year", "outcome"]).to_dicts()
    assert {(r["fiscal_year"], r["outcome"]) for r in outcome if r["value"]} == {
        (2021, "terminated"),
        (2020, "removal_order"),
    }


# -- kind 4: several stray fields ------------------------------------------------------------------------


def test_rows_with_two_to_eight_stray_fields_are_repaired_under_the_same_rule(tmp_path: Path) -> None:
    # Three stray tabs after case 1's NAT (A_TblCase: IDNCASE, NAT, LANG, CUSTODY, E_28_DATE, CASE_TYPE, ...)
    # and eight after proceeding 20's IJ_CODE: one way to drop the case's three makes every code valid.
    edits = [
        ("A_TblCase", 2, lambda s: s.replace("\tGT\t", "\tGT\t\t\t\t", 1)),
        ("B_TblProceeding", 4, lambda s: s.replace("\tAAA\t", "\tAAA" + "\t" * 9, 1)),
    ]
    db, report = _ingest(reopened_then_terminated(), tmp_path, edits)
    case = _rows(db, "A_TblCase")[0]
    assert (case["IDNCASE"], case["NAT"], case["LANG"], case["CUSTODY"], case["CASE_TYPE"]) == (
        1,
        "GT",
        "SP",
        "D",
        "RMV",
    )
    assert case["_repaired"].count("removed_stray_empty_field") == 3
    # Eight stray tabs before an empty OTHER_COMP: DEC_CODE's letter also parses one column further on (an
    # OTHER_COMP code) with the dates still in place, so more than one shift parses. Under the certainty
    # rule that is no repair: the row is quarantined as ambiguous and its case named in the exclusions.
    assert all(r["IDNPROCEEDING"] != 20 for r in _rows(db, "B_TblProceeding"))
    reasons = duckdb.execute(
        "SELECT reason FROM read_parquet($path) WHERE \"table\" = 'B_TblProceeding'",
        {"path": str(db.release.path / "_quarantine.parquet")},
    ).fetchall()
    assert reasons == [("ambiguous_shift",)]
    assert report.tables["B_TblProceeding"].quarantined == 1


def test_more_than_eight_stray_fields_are_quarantined(tmp_path: Path) -> None:
    db, report = _ingest(
        reopened_then_terminated(),
        tmp_path,
        [("B_TblProceeding", 4, lambda s: s.replace("\tAAA\t", "\tAAA" + "\t" * 10, 1))],
    )
    assert report.tables["B_TblProceeding"].quarantine_reasons == {"too_many_fields": 1}
    completions = db.stats("completions")
    assert completions.to_dicts()[0]["value"] == 1  # case 1 only; case 2 is left out and named
    assert completions.exclusions["cases left out: a quarantined proceeding row"] == 1


# -- kind 7: implausible dates ----------------------------------------------------------------------------


def test_implausible_dates_are_not_used_and_their_cases_are_named(tmp_path: Path) -> None:
    # Case 1 completes on the 1900-01-01 placeholder, case 2 in 2925, case 3 before its own NTA date,
    # case 4 plausibly (FY2020). Each implausible COMP_DATE becomes NULL with an issue; cases 1-3 are left
    # out of completions and pending by default and counted by reason.
    built = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, comp="1900-01-01", dec="X")
        .case(2)
        .proceeding(2, 20, comp="2925-01-01", dec="X")
        .case(3)
        .proceeding(3, 30, osc="2019-03-01", comp="2018-03-01", dec="X")
        .case(4)
        .proceeding(4, 40, comp="2020-03-01", dec="X")
    )
    db, report = _ingest(built, tmp_path)
    rows = _rows(db, "B_TblProceeding")
    assert [r["COMP_DATE"] for r in rows] == [None, None, None, date(2020, 3, 1)]
    assert json.loads(rows[1]["_issues"]) == [
        {"column": "COMP_DATE", "kind": "implausible_date", "raw": "2925-01-01"}
    ]
    assert report.tables["B_TblProceeding"].flagged == {"implausible_date:COMP_DATE": 3}
    completions = db.stats("completions", by="fiscal_year")
    assert {r["fiscal_year"]: r["value"] for r in completions.to_dicts()} == {2020: 1}
    assert completions.exclusions["cases left out: an implausible proceeding date"] == 3
    pending = db.stats("pending", at="2024-09-30")
    assert pending.to_dicts()[0]["value"] == 0  # not three cases pending since 2019
    assert pending.exclusions["cases left out: an implausible proceeding date"] == 3


def test_date_rules() -> None:
    released = date(2025, 6, 30)
    assert date_rule("COMP_DATE", released) == (date(1950, 1, 1), released)
    assert date_rule("HEARING_DATE", released) == (date(1950, 1, 1), None)  # scheduled: may be future
    assert date_rule("DATE_APPEAL_DUE", released) == (date(1950, 1, 1), None)
    checks = CellChecks.for_table(
        "B_TblProceeding",
        ["OSC_DATE", "HEARING_DATE", "COMP_DATE", "_issues"],
        ["Date", "Date", "Date", None],
        codes={},
        release_date=released,
    )
    table = pa.table(
        {
            "OSC_DATE": pa.array([date(2019, 1, 1), date(2019, 1, 1)], pa.date32()),
            "HEARING_DATE": pa.array([date(2027, 1, 1), date(1949, 12, 31)], pa.date32()),
            "COMP_DATE": pa.array([date(2025, 6, 30), date(2025, 7, 1)], pa.date32()),
            "_issues": pa.array([None, None], pa.string()),
        }
    )
    out = checks.apply(table).to_pylist()
    assert out[0]["HEARING_DATE"] == date(2027, 1, 1) and out[0]["COMP_DATE"] == date(2025, 6, 30)
    assert out[0]["_issues"] is None
    assert (out[1]["HEARING_DATE"], out[1]["COMP_DATE"]) == (None, None)
    assert [i["column"] for i in json.loads(out[1]["_issues"])] == ["HEARING_DATE", "COMP_DATE"]


def test_durations_name_the_completions_dated_before_their_case_starts(tmp_path: Path) -> None:
    # Case 1 starts with proceeding 10 (NTA 2019-03-01); its deciding proceeding 11 has its own NTA date
    # of 2016 and completes in 2018: plausible row by row, but before the case starts.
    built = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, osc="2019-03-01", comp="2019-05-01", other="C")
        .proceeding(1, 11, osc="2016-01-01", comp="2018-01-01", dec="X")
    )
    db, _ = _ingest(built, tmp_path)
    result = db.stats("median_days_to_completion", options=NO_MIN)
    assert (
        result.exclusions["completed cases left out of durations: completion dated before the case starts"]
        == 1
    )
    assert "completed cases left out of durations" not in " ".join(db.stats("completions").exclusions)


# -- the release checks itself against what EOIR published ------------------------------------------------


def test_a_real_release_far_from_eoir_is_flagged_loudly(tmp_path: Path) -> None:
    # Three cases cannot be EOIR's hundreds of thousands of completions: every full year is flagged.
    built = reopened_then_terminated()
    release = built.write_release(tmp_path / "release")
    (release / "SAMPLE-README.txt").unlink()  # a real release, as far as immcourt can tell
    ingest_release(release, store=tmp_path / "store", release_id="2025-06-30", progress=False)
    result = validate(tmp_path / "store")
    assert not result.is_sample and result.mode == "count" and result.workload_edition == "2021-04-19"
    years = [c.fiscal_year for c in result.comparisons if c.series == "completed proceedings"]
    assert years == list(range(2008, 2021))
    fy2019 = next(
        c for c in result.comparisons if c.series == "completed proceedings" and c.fiscal_year == 2019
    )
    assert (fy2019.published, fy2019.computed) == (276970, 1)
    assert len(result.flags) == len(years) and "FY2019" in " ".join(result.flags)
    out = CliRunner().invoke(app, ["validate", "--store", str(tmp_path / "store"), "--strict"])
    assert out.exit_code == 2 and "WARNING" in out.output


def test_a_sample_release_is_compared_by_shape(small_store: Path) -> None:
    result = validate(small_store)
    assert result.is_sample and result.mode == "shape" and result.workload_edition == "2026-04-22"
    assert any("counts are not comparable" in note for note in result.notes) and result.flags == []
    for series in ("new cases", "completions", "completed proceedings", "pending", "asylum grants"):
        rows = [c for c in result.comparisons if c.series == series]
        assert sum(c.share_published for c in rows) == pytest.approx(1)
        assert sum(c.share_computed for c in rows) == pytest.approx(1)
    out = CliRunner().invoke(app, ["validate", "--store", str(small_store), "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["mode"] == "shape"


def test_the_sample_marks_every_case_a_quarantined_line_names(small_store: Path) -> None:
    # The realistic sample quarantines duplicate and ambiguous lines (issue 9, kind 5 at the sample's rates):
    # every case a quarantined proceeding or application line names is marked (or has no proceeding left).
    db = immcourt.open(small_store)
    cases = db.cases_table()
    quarantine = db.release.path / "_quarantine.parquet"
    rows = (
        db.connection()
        .execute(
            f'SELECT q."table", q.idncase, c.idncase IS NOT NULL, c.defect, c.application_defect '
            f"FROM read_parquet('{quarantine}', hive_partitioning = false) AS q "
            f"LEFT JOIN {cases} AS c ON c.idncase = q.idncase "
            "WHERE q.\"table\" IN ('B_TblProceeding', 'tbl_Court_Appln') AND q.idncase IS NOT NULL"
        )
        .fetchall()
    )
    assert any(table == "tbl_Court_Appln" for table, *_ in rows)
    for table, idncase, in_model, defect, application_defect in rows:
        if table == "B_TblProceeding":
            assert not in_model or defect == "a quarantined proceeding row", idncase
        else:
            assert not in_model or defect is not None or application_defect == "a quarantined application row"
    rate = db.stats("asylum_grant_rate")
    marked = sum(1 for *_, application_defect in rows if application_defect)
    assert rate.exclusions.get("cases left out: a quarantined application row", 0) >= min(marked, 1)


# -- the certainty rule, as a property -------------------------------------------------------------------

ROW_KINDS = [
    "Numeric",
    "Numeric",
    "Date",
    "String",
    "String",
    "Date",
    "String",
    "Boolean",
    "String",
    "String",
]
CODES = {4: frozenset({"RMV", "DEP"}), 6: frozenset({"GT", "MX", "HO"}), 9: frozenset({"SP", "ENG"})}


def _code_ok(column: int, value: str) -> bool:
    text = value.strip()
    return column not in CODES or not text or text.upper() in CODES[column]


@st.composite
def valid_rows(draw) -> list[str]:  # noqa: ANN001 - a hypothesis draw
    day = st.dates(date(1990, 1, 1), date(2024, 12, 31)).map(lambda d: f"{d} 00:00:00.000")
    cells = {
        "Numeric": st.integers(1, 10**9).map(str),
        "Date": st.one_of(st.just(""), day),
        "Boolean": st.sampled_from(["", "0", "1"]),
    }
    row = []
    for column, kind in enumerate(ROW_KINDS):
        if column in CODES:
            row.append(draw(st.sampled_from(["", *sorted(CODES[column])])))
        elif kind == "String":
            row.append(draw(st.sampled_from(["", "BROOKLYN", "EL PASO", "X1"])))
        else:
            row.append(draw(cells[kind]) if column else draw(st.integers(1, 10**6).map(str)))
    return row


@settings(max_examples=300, deadline=None)
@given(row=valid_rows(), data=st.data())
def test_a_repair_is_either_the_written_row_or_none(row: list[str], data) -> None:  # noqa: ANN001
    # Up to eight stray empty fields anywhere after the key; the certainty rule may quarantine the row, but
    # a repair it makes is always the row as written (the written row is always a candidate, so a unique
    # candidate is that row).
    extra = data.draw(st.integers(1, 8))
    fields = list(row)
    for _ in range(extra):
        fields.insert(data.draw(st.integers(1, len(fields))), "")
    (outcome,) = resolve([Rejected(2, "\t".join(fields))], ROW_KINDS, key_is_number=True, code_ok=_code_ok)
    assert outcome.fields is None or outcome.fields == row, outcome.repair
    # The same with the right field count: the last `extra` fields lost (only when they were empty).
    if all(not value for value in row[len(row) - extra :]):
        shifted = repair_shifted(
            2, "\t".join(fields[: len(row)]), ROW_KINDS, key_is_number=True, code_ok=_code_ok
        )
        assert shifted.fields is None or shifted.fields == row, shifted.repair
