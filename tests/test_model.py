"""The outcome model on hand-built mini releases; every expected value is worked out in the comments."""

from __future__ import annotations

import pytest

import immcourt
from immcourt.model.build import UnknownDecisionDescription
from tests.builders import MiniRelease


def cases_by_id(release: MiniRelease, tmp_path, **options) -> dict[int, dict]:
    db = immcourt.open(release.store(tmp_path))
    table = db.cases_table(options)
    rows = db.connection().sql(f"SELECT * FROM {table}").to_arrow_table().to_pylist()
    return {row["idncase"]: row for row in rows}


def test_transferred_twice_then_removed(tmp_path):
    # Change of venue (O/C) and transfer (O/T) are not_final: the removal order X/C in the third
    # proceeding decides, at Houston, on 2020-02-10 -> FY2020 (February), Trump I.
    release = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, comp="2019-05-01", other="C", court="SFR")
        .proceeding(1, 11, comp="2019-09-01", other="T", court="NYC")
        .proceeding(1, 12, comp="2020-02-10", dec="X", court="HOU")
    )
    case = cases_by_id(release, tmp_path)[1]
    assert case["outcome"] == "removal_order"
    assert str(case["completion_date"]) == "2020-02-10"
    assert case["fiscal_year"] == 2020
    assert case["court_name"] == "Houston"
    assert case["administration"] == "Trump I"
    # start: first proceeding's OSC_DATE (builder default 2019-03-01) -> receipt FY2019
    assert str(case["start_date"]) == "2019-03-01"
    assert case["receipt_fiscal_year"] == 2019


def test_admin_closed_recalendared_then_asylum_granted(tmp_path):
    # Proceeding 20 is administratively closed (O/A); the case is re-calendared as proceeding 21 which
    # grants relief (R) with a granted ASYL application -> asylum_granted on 2021-03-01 (FY2021, Biden).
    # (Every proceeding of a case carries its NTA date; a completion before it would be implausible.)
    release = (
        MiniRelease()
        .case(2)
        .proceeding(2, 20, comp="2018-05-01", other="A", osc="2017-09-01")
        .proceeding(2, 21, comp="2021-03-01", dec="R", osc="2017-09-01")
        .application(2, 21, "ASYL", "G")
    )
    for admin_closure_as in ("closed", "pending"):
        case = cases_by_id(release, tmp_path / admin_closure_as, admin_closure_as=admin_closure_as)[2]
        assert case["outcome"] == "asylum_granted"
        assert case["fiscal_year"] == 2021
        assert case["administration"] == "Biden"
        assert case["asylum_case"] is True
        assert case["asylum_decision"] == "granted"


def test_admin_closure_is_a_completion_or_pending_by_option(tmp_path):
    # A case whose only proceeding is administratively closed (O/Y, written with an en dash in the
    # lookup): closed -> outcome administratively_closed; pending -> no completion.
    release = MiniRelease().case(3).proceeding(3, 30, comp="2018-05-01", other="Y", osc="2017-09-01")
    assert cases_by_id(release, tmp_path / "a")[3]["outcome"] == "administratively_closed"
    pending = cases_by_id(release, tmp_path / "b", admin_closure_as="pending")[3]
    assert pending["outcome"] is None and pending["completion_date"] is None


def test_bia_remand_decides_by_the_remanded_proceeding(tmp_path):
    # Removal order in 2018, then a BIA remand opens proceeding 41 that terminates in 2020.
    release = (
        MiniRelease()
        .case(4)
        .proceeding(4, 40, comp="2018-01-10", dec="X", osc="2017-09-01")
        .proceeding(4, 41, comp="2020-06-01", dec="T", osc="2017-09-01")
    )
    case = cases_by_id(release, tmp_path)[4]
    assert case["outcome"] == "terminated"
    assert str(case["completion_date"]) == "2020-06-01"


def test_open_latest_proceeding_is_pending_under_last_and_decided_under_last_completed(tmp_path):
    release = MiniRelease().case(6).proceeding(6, 60, comp="2019-06-01", dec="X").proceeding(6, 61)
    last = cases_by_id(release, tmp_path / "last")[6]
    assert last["outcome"] is None and last["completion_date"] is None
    assert last["deciding_proceeding"] == 61
    completed = cases_by_id(release, tmp_path / "lc", deciding_proceeding="last_completed")[6]
    assert completed["outcome"] == "removal_order"
    assert str(completed["completion_date"]) == "2019-06-01"


def test_rmv_x_means_remove_as_decision_and_zero_bond_as_other_completion(tmp_path):
    # RMV X with strDecType C is "Remove" (the active row; an inactive "Deport" row shares the key);
    # RMV X in OTHER_COMP is "ZERO BOND" -> class other.
    release = (
        MiniRelease()
        .case(70)
        .proceeding(70, 700, comp="2020-01-01", dec="X")
        .case(71)
        .proceeding(71, 710, comp="2020-01-01", other="X")
    )
    cases = cases_by_id(release, tmp_path)
    assert (cases[70]["decision_description"], cases[70]["outcome"]) == ("Remove", "removal_order")
    assert (cases[71]["decision_description"], cases[71]["outcome"]) == ("ZERO BOND", "other")


def test_inauguration_day_boundary(tmp_path):
    release = (
        MiniRelease()
        .case(80)
        .proceeding(80, 800, comp="2021-01-19", dec="X")
        .case(81)
        .proceeding(81, 810, comp="2021-01-20", dec="X")
    )
    cases = cases_by_id(release, tmp_path / "date")
    assert cases[80]["administration"] == "Trump I"
    assert cases[81]["administration"] == "Biden"
    # Whole fiscal years: both dates are in FY2021, whose March 31 falls under Biden.
    by_fy = cases_by_id(release, tmp_path / "fy", administration_by="fiscal_year")
    assert by_fy[80]["administration"] == by_fy[81]["administration"] == "Biden"


def test_asylum_denial_then_grant_in_a_later_proceeding(tmp_path):
    release = (
        MiniRelease()
        .case(5)
        .proceeding(5, 50, comp="2019-01-01", dec="X", osc="2017-09-01")
        .application(5, 50, "ASYL", "D")
        .proceeding(5, 51, comp="2022-01-01", dec="R", osc="2017-09-01")
        .application(5, 51, "ASYL", "G")
    )
    case = cases_by_id(release, tmp_path)[5]
    assert case["outcome"] == "asylum_granted"
    assert case["asylum_decision"] == "granted"


def test_relief_without_asylum_grant_stays_relief(tmp_path):
    # Relief granted (e.g. cancellation) while the ASYL application was denied: relief_granted.
    release = (
        MiniRelease().case(9).proceeding(9, 90, comp="2022-01-01", dec="R").application(9, 90, "ASYL", "D")
    )
    case = cases_by_id(release, tmp_path)[9]
    assert case["outcome"] == "relief_granted"
    assert case["asylum_decision"] == "denied"


def test_unknown_description_fails_loudly_naming_it_and_its_codes(tmp_path):
    release = MiniRelease().case(1).proceeding(1, 10, comp="2020-01-01", dec="Q")
    release.decision_rows.append(("RMV", "Q", "C", "Brand New Outcome", "1"))
    db = immcourt.open(release.store(tmp_path))
    with pytest.raises(UnknownDecisionDescription) as raised:
        db.cases_table()
    assert "Brand New Outcome" in str(raised.value)
    assert "RMV Q/C" in str(raised.value)


def test_unknown_description_unused_by_any_proceeding_does_not_fail(tmp_path):
    release = MiniRelease().case(1).proceeding(1, 10, comp="2020-01-01", dec="X")
    release.decision_rows.append(("RMV", "Q", "C", "Brand New Outcome", "1"))
    assert cases_by_id(release, tmp_path)[1]["outcome"] == "removal_order"


def test_junk_codes_do_not_crash_and_unknown_letters_are_exclusions(tmp_path):
    # DEC_CODE '7' has no lookup row for RMV: the case is excluded (counted); CUSTODY 'SP' is junk from
    # a shifted row and decodes to 'unknown'.
    release = (
        MiniRelease()
        .case(1)
        .proceeding(1, 10, comp="2020-01-01", dec="7")
        .case(2)
        .proceeding(2, 20, comp="2020-01-01", dec="X", custody="SP")
    )
    cases = cases_by_id(release, tmp_path)
    assert cases[1]["exclusion"] == "unknown_decision_code" and cases[1]["outcome"] is None
    assert cases[2]["custody"] == "unknown" and cases[2]["custody_code"] is None
    result = immcourt.open(tmp_path / "store").stats("completions")
    assert result.to_dicts()[0]["value"] == 1
    assert any("unknown decision code" in reason and n == 1 for reason, n in result.exclusions.items())


def test_representation_options(tmp_path):
    # Case 1: E-28 filed before completion, no reps row. Case 2: E-28 after completion, ALIEN rep row.
    # Case 3: only a DHS (INS) rep row.
    release = (
        MiniRelease()
        .case(1, e28="2019-05-01")
        .proceeding(1, 10, comp="2020-01-01", dec="X")
        .case(2, e28="2020-06-01")
        .proceeding(2, 20, comp="2020-01-01", dec="X")
        .rep(2)
        .case(3)
        .proceeding(3, 30, comp="2020-01-01", dec="X")
        .rep(3, atty_type="INS")
    )
    e28 = cases_by_id(release, tmp_path / "e28")
    assert [e28[i]["represented"] for i in (1, 2, 3)] == [True, False, False]
    reps = cases_by_id(release, tmp_path / "reps", representation="reps_table")
    assert [reps[i]["represented"] for i in (1, 2, 3)] == [False, True, False]


def test_coded_dimensions_are_decoded(tmp_path):
    release = (
        MiniRelease()
        .case(1, nat="HO", lang="ENG", asy_type="I")
        .proceeding(1, 10, comp="2020-01-01", dec="X", judge="BBB", hloc="NYC", absentia="Y")
    )
    case = cases_by_id(release, tmp_path)[1]
    assert (case["nationality_name"], case["language_name"], case["judge_name"]) == (
        "HONDURAS",
        "English",
        "Judge Beta",
    )
    assert case["hearing_location_name"] == "New York Court"
    assert case["asylum_type"] == "affirmative"
    assert case["in_absentia"] is True
