"""Criminal charges, aggravated felony, prosecutorial discretion and the decision description (issue 14).

One hand-built mini release (tests/builders.py); every expected value below is worked out by hand from the
rows written here, per rule:

case 1: RMV I "Prosecutorial Discretion - Terminated" 2022-06-01 (FY2022); CRIM_IND N; charge 212a06Ai
        (lookup: not criminal).
case 2: proceeding 21 change of venue, CRIM_IND Y, charge 212a06Ai; deciding proceeding 22 RMV U "Dismissed
        by IJ" 2022-11-15 (FY2023), CRIM_IND N.
case 3: RMV X "Remove" 2023-03-01 (FY2023); CRIM_IND Y, AGGRAVATE_FELON 0; charge 237a02Aiii (criminal,
        aggravated felony).
case 4: RMV U "Dismissed by IJ" 2023-05-01 (FY2023); CRIM_IND N; charges "237A02BI " (lookup 237a02Bi:
        criminal) and 212a06Ai.
case 5: open (pending); CRIM_IND 'LOS' (junk), AGGRAVATE_FELON 'Y'; charge 999zz (not in the lookup).
case 6: RMV M "In Court Prosecutorial Discretion - Admin Closure" 2024-01-10 (FY2024); CRIM_IND N; no charge.

Cases 1, 2, 4 and 5 are asylum cases (an ASYL application).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app
from immcourt.metrics.options import StatsError
from immcourt.model.build import ModelError, read_outcome_map
from tests.builders import MiniRelease

runner = CliRunner()


def _release() -> MiniRelease:
    r = MiniRelease()
    for idncase in range(1, 7):
        r.case(idncase)
    r.proceeding(1, 11, comp="2022-06-01", dec="I", crim_ind="N", aggravate_felon="0")
    r.charge(1, 11, "212a06Ai")
    r.application(1, 11, "ASYL", None)

    r.proceeding(2, 21, comp="2021-01-10", other="C", crim_ind="Y", aggravate_felon="0")
    r.proceeding(2, 22, osc="2019-03-01", input_date="2021-01-20", comp="2022-11-15", dec="U", crim_ind="N")
    r.charge(2, 21, "212a06Ai")
    r.application(2, 22, "ASYL", None)

    r.proceeding(3, 31, comp="2023-03-01", dec="X", crim_ind="Y", aggravate_felon="0")
    r.charge(3, 31, "237a02Aiii")

    r.proceeding(4, 41, comp="2023-05-01", dec="U", crim_ind="N", aggravate_felon="0")
    r.charge(4, 41, "237A02BI ")  # the lookup writes 237a02Bi: case and padding do not matter
    r.charge(4, 41, "212a06Ai", status="W")
    r.application(4, 41, "ASYL", None)

    r.proceeding(5, 51, crim_ind="LOS", aggravate_felon="Y")
    r.charge(5, 51, "999zz")
    r.application(5, 51, "ASYL", None)

    r.proceeding(6, 61, comp="2024-01-10", other="M", crim_ind="N", aggravate_felon="0")
    return r


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return _release().store(tmp_path_factory.mktemp("charges"))


@pytest.fixture(scope="module")
def db(store):
    return immcourt.open(store)


def _counts(result, dimension: str) -> dict:
    return {row[dimension]: row["value"] for row in result.to_dicts()}


def test_case_columns_per_rule(db):
    table = db.cases_table()
    rows = (
        db.connection()
        .execute(
            f"""SELECT idncase, criminal_charge_deciding_proceeding, criminal_charge_any_proceeding,
                   criminal_charge_charges, aggravated_felony_deciding_proceeding,
                   aggravated_felony_any_proceeding, aggravated_felony_charges,
                   prosecutorial_discretion, decision
            FROM {table} ORDER BY idncase"""
        )
        .fetchall()
    )
    assert rows == [
        (1, False, False, False, False, False, False, True, "Prosecutorial Discretion - Terminated"),
        # The deciding proceeding says N, an earlier one Y: the rule decides. Its AGGRAVATE_FELON is empty,
        # so "any proceeding" cannot say no either.
        (2, False, True, False, None, None, False, False, "Dismissed by IJ"),
        (3, True, True, True, False, False, True, False, "Remove"),
        # A charge whose lookup row is criminal although CRIM_IND is N.
        (4, False, False, True, False, False, False, False, "Dismissed by IJ"),
        # Junk CRIM_IND and a charge code the lookup lacks: unknown; AGGRAVATE_FELON 'Y' (set aside by
        # ingest as bad_bool) is read back from _issues.
        (5, None, None, None, True, True, None, None, None),
        (
            6,
            False,
            False,
            None,
            False,
            False,
            None,
            True,
            "In Court Prosecutorial Discretion - Admin Closure",
        ),
    ]


def test_closed_without_merits_by_criminal_charge_names_the_rule(db):
    asylum = {"asylum_case": True}
    default = db.stats("closed_without_merits", by=["criminal_charge"], where=asylum)
    assert default.options["criminal_charge_rule"] == "deciding_proceeding"
    assert _counts(default, "criminal_charge") == {"no": 3}
    any_proceeding = db.stats(
        "closed_without_merits",
        by=["criminal_charge"],
        where=asylum,
        options={"criminal_charge_rule": "any_proceeding"},
    )
    assert _counts(any_proceeding, "criminal_charge") == {"no": 2, "yes": 1}
    charges = db.stats(
        "closed_without_merits",
        by=["criminal_charge"],
        where=asylum,
        options={"criminal_charge_rule": "charges"},
    )
    assert _counts(charges, "criminal_charge") == {"no": 2, "yes": 1}
    assert "criminal_charge_rule" in {option.name for option in default.metric.options}


def test_closed_without_merits_by_fiscal_year_and_prosecutorial_discretion(db):
    result = db.stats(
        "closed_without_merits", by=["fiscal_year", "prosecutorial_discretion"], where={"asylum_case": "true"}
    )
    # A flow lists every period with every value seen (zeros included).
    assert [(r["fiscal_year"], r["prosecutorial_discretion"], r["value"]) for r in result.to_dicts()] == [
        (2022, False, 0),
        (2022, True, 1),
        (2023, False, 2),
        (2023, True, 0),
    ]
    with_closures = db.stats(
        "closed_without_merits", by=["prosecutorial_discretion"], options={"include_admin_closure": "yes"}
    )
    assert _counts(with_closures, "prosecutorial_discretion") == {False: 2, True: 2}


def test_decision_dimension_uses_the_map_spelling(db):
    result = db.stats("completions", by=["decision"])
    assert _counts(result, "decision") == {
        "Dismissed by IJ": 2,
        "In Court Prosecutorial Discretion - Admin Closure": 1,
        "Prosecutorial Discretion - Terminated": 1,
        "Remove": 1,
    }
    # The release writes an en dash; a filter with a plain hyphen matches the map's spelling.
    pd = db.stats("completions", where={"decision": "Prosecutorial Discretion - Terminated"})
    assert pd.to_dicts()[0]["value"] == 1


def test_aggravated_felony_case_ending_in_removal(db):
    result = db.stats("completions", by=["outcome", "aggravated_felony"])
    cells = {(r["outcome"], r["aggravated_felony"]): r["value"] for r in result.to_dicts()}
    assert cells[("removal_order", "yes")] == 1
    assert result.options["aggravated_felony_rule"] == "charges"
    assert cells == {
        ("removal_order", "yes"): 1,
        ("terminated", "no"): 1,
        ("dismissed", "no"): 2,
        ("administratively_closed", "unknown"): 1,
    }
    by_flag = db.stats(
        "completions", by=["aggravated_felony"], options={"aggravated_felony_rule": "deciding_proceeding"}
    )
    assert _counts(by_flag, "aggravated_felony") == {"no": 4, "unknown": 1}


def test_filter_counts_the_unknown_cases_it_leaves_out(db):
    result = db.stats(
        "completions", where={"criminal_charge": "no"}, options={"criminal_charge_rule": "charges"}
    )
    assert result.to_dicts()[0]["value"] == 2  # cases 1 and 2
    reason = (
        "cases with criminal_charge unknown under criminal_charge_rule=charges (not matched by the filter)"
    )
    assert result.exclusions[reason] == 1  # case 6: no charge row
    unknown = db.stats("pending", where={"criminal_charge": "unknown"})
    assert unknown.to_dicts()[0]["value"] == 1  # case 5
    with pytest.raises(StatsError, match="yes or no or unknown"):
        db.stats("completions", where={"criminal_charge": "maybe"})
    with pytest.raises(StatsError, match="criminal_charge_rule"):
        db.stats("completions", options={"criminal_charge_rule": "anything"})


def test_prosecutorial_discretion_is_a_column_of_the_outcome_map(tmp_path):
    rows = read_outcome_map()
    flagged = {row["description"] for row in rows if row["prosecutorial_discretion"] == "yes"}
    assert flagged == {
        "Prosecutorial Discretion - Terminated",
        "Prosecutorial Discretion - Admin Close",
        "In Court Prosecutorial Discretion - Admin Closure",
    }
    bad = tmp_path / "outcome_map.csv"
    bad.write_text("description,outcome_class,prosecutorial_discretion\nTerminated,terminated,maybe\n")
    with pytest.raises(ModelError, match="line 2: prosecutorial_discretion must be yes or no"):
        read_outcome_map(bad)


@pytest.mark.parametrize("dimension", ["criminal_charge", "prosecutorial_discretion"])
def test_done_when_cli_and_api_answer(store, dimension):
    args = ["stats", "closed_without_merits", "--by", "fiscal_year", "--by", dimension]
    result = runner.invoke(
        app, [*args, "--where", "asylum_case=true", "--store", str(store), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    import csv as csv_module

    data = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    rows_out = list(csv_module.DictReader(data))
    expected = {
        "criminal_charge": ["2022,no,1", "2023,no,2"],
        "prosecutorial_discretion": ["2022,False,0", "2022,True,1", "2023,False,2", "2023,True,0"],
    }[dimension]
    assert [f"{r['fiscal_year']},{r[dimension]},{r['value']}" for r in rows_out] == expected
    json_args = [*args, "--where", "asylum_case=true", "--store", str(store), "--format", "json"]
    as_json = runner.invoke(app, json_args)
    assert as_json.exit_code == 0 and '"criminal_charge_rule": "deciding_proceeding"' in as_json.stdout

    from fastapi.testclient import TestClient

    from immcourt.web.app import create_app

    client = TestClient(create_app(store))
    query = f"metric=closed_without_merits&by=fiscal_year&by={dimension}&asylum_case=true"
    body = client.get(f"/api/stats?{query}").json()
    rows = [(row["fiscal_year"], row[dimension], row["value"]) for row in body["rows"]]
    assert [",".join(str(v) for v in row) for row in rows] == expected
    page = client.get(f"/explore?{query}")
    assert page.status_code == 200 and dimension in page.text


def test_sample_ingest_loads_the_charges_and_their_lookup(small_store):
    import json

    import pyarrow.parquet as pq

    (release,) = small_store.glob("release=*")
    meta = json.loads((release / "_release.json").read_text(encoding="utf-8"))
    counted = meta["reconciliation"]["B_TblProceedCharges"]
    assert counted["count_matches"] and counted["count_txt"] > 2_000  # at least one charge per case
    loaded = pq.read_metadata(release / "B_TblProceedCharges.parquet").num_rows
    assert loaded == counted["loaded"] == counted["count_txt"] - counted["quarantined"]
    lookup = pq.read_table(release / "lookup" / "tbllookupCharges.parquet").to_pylist()
    flags = {row["strCode"]: (row["criminal_flag"], row["aggravate_felon"]) for row in lookup}
    assert flags["237a02Aiii"] == ("1", "1")
    # Every case of the sample has a charge, so under the charge rule only damaged rows leave it unknown.
    db = immcourt.open(small_store)
    by_rule = db.stats("completions", by=["criminal_charge"], options={"criminal_charge_rule": "charges"})
    counts = _counts(by_rule, "criminal_charge")
    assert counts["yes"] > 0 and counts["no"] > 5 * counts["yes"] and counts.get("unknown", 0) <= 20


def test_overview_shows_the_seed_headline_beside_its_splits(store):
    import html
    import re

    from fastapi.testclient import TestClient

    from immcourt.web.app import create_app

    page = TestClient(create_app(store)).get("/")
    assert page.status_code == 200
    title = "Asylum cases closed without a merits decision since FY2022, by "
    assert title + "criminal charge" in page.text and title + "prosecutorial discretion" in page.text
    queries = [html.unescape(q) for q in re.findall(r'data-query="([^"]*)"', page.text)]
    for dimension in ("criminal_charge", "prosecutorial_discretion"):
        wanted = (f"by={dimension}", "asylum_case=true", "fy_from=2022")
        assert any(all(part in q for part in wanted) for q in queries)


def test_demo_prints_the_headline_and_its_splits(db):
    from rich.console import Console

    from immcourt.cli.demo import _print_seed_headline

    console = Console(record=True, width=220)
    _print_seed_headline(console, db)
    text = console.export_text()
    lines = [line for line in text.splitlines() if line.startswith("│")]
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines]
    rows = {row[0]: row[1:] for row in cells}
    # asylum cases 1, 2, 4 closed without merits in FY2022-2023; none flagged criminal on the deciding
    # proceeding; case 1 is a PD termination. Case 6 (PD admin closure) is not an asylum case.
    assert rows["terminated + dismissed"] == ["3", "0", "3", "0", "1", "2"]
    assert rows["… + administratively closed"] == ["3", "0", "3", "0", "1", "2"]
    assert "criminal_charge_rule=deciding_proceeding" in text.replace("\n", " ")


def test_web_filter_and_rule_option_give_the_api_numbers(store):
    from fastapi.testclient import TestClient

    from immcourt.web.app import create_app

    client = TestClient(create_app(store))
    query = "metric=completions&criminal_charge=no&opt.criminal_charge_rule=charges"
    body = client.get(f"/api/stats?{query}").json()
    assert [row["value"] for row in body["rows"]] == [2]  # cases 1 and 2, as with the Python API
    text = str(body)
    assert "criminal_charge unknown under criminal_charge_rule=charges" in text
    page = client.get("/explore?metric=completions&by=decision&prosecutorial_discretion=true")
    assert page.status_code == 200
    assert "Prosecutorial Discretion - Terminated" in page.text and "Dismissed by IJ" not in page.text


def test_pending_series_filtered_on_criminal_charge_names_the_unknown_it_left_out(db):
    where = {"criminal_charge": "no"}
    result = db.stats("pending", by=["fiscal_year"], where=where, fiscal_years=(2024, 2025))
    # case 5 (open since 2019, CRIM_IND junk) is the only pending case: unknown, so every cell is 0
    assert [(row["fiscal_year"], row["value"]) for row in result.to_dicts()] == [(2024, 0), (2025, 0)]
    reason = (
        "cases with criminal_charge unknown under criminal_charge_rule=deciding_proceeding "
        "(not matched by the filter), pending on 2025-09-30"
    )
    assert result.exclusions[reason] == 1


def test_rules_equal_a_plain_python_reading_of_the_stored_tables(small_store):
    """On the 2,000-case sample with realistic defects: the three rules recomputed in plain Python from the
    store's B_TblProceeding, B_TblProceedCharges and tbllookupCharges (deciding proceeding from the model)."""
    import json

    import pyarrow.parquet as pq

    (release,) = small_store.glob("release=*")
    columns = ["IDNPROCEEDING", "IDNCASE", "CRIM_IND", "AGGRAVATE_FELON", "_issues"]
    proceedings = pq.read_table(release / "B_TblProceeding.parquet", columns=columns).to_pylist()
    charges = pq.read_table(release / "B_TblProceedCharges.parquet", columns=["IDNCASE", "CHARGE"])
    charges = charges.to_pylist()
    lookup = pq.read_table(release / "lookup" / "tbllookupCharges.parquet").to_pylist()

    def key(code):
        return " ".join((code or "").split()).upper()

    flags = {key(r["strCode"]): (r["criminal_flag"] == "1", r["aggravate_felon"] == "1") for r in lookup}

    def aggravate(row):
        if row["AGGRAVATE_FELON"] is not None:
            return row["AGGRAVATE_FELON"]
        raw = [i["raw"] for i in json.loads(row["_issues"] or "[]") if i["column"] == "AGGRAVATE_FELON"]
        return {"Y": True, "N": False}.get(raw[0].strip().upper()) if raw else None

    yes_no = {"Y": True, "N": False}
    crim = {r["IDNPROCEEDING"]: yes_no.get((r["CRIM_IND"] or "").upper()) for r in proceedings}
    aggr = {row["IDNPROCEEDING"]: aggravate(row) for row in proceedings}
    by_case: dict[int, list[int]] = {}
    for row in proceedings:
        by_case.setdefault(row["IDNCASE"], []).append(row["IDNPROCEEDING"])
    codes: dict[int, list[str]] = {}
    for row in charges:
        codes.setdefault(row["IDNCASE"], []).append(key(row["CHARGE"]))

    def any_rule(values):
        return True if True in values else False if None not in values else None

    def charge_rule(case, which):
        known = [flags[c][which] if c in flags else None for c in codes.get(case, [])]
        return any_rule(known) if known else None

    db = immcourt.open(small_store)
    cases = (
        db.connection()
        .execute(
            f"""SELECT idncase, deciding_proceeding, criminal_charge_deciding_proceeding,
                   criminal_charge_any_proceeding, criminal_charge_charges,
                   aggravated_felony_deciding_proceeding, aggravated_felony_any_proceeding,
                   aggravated_felony_charges FROM {db.cases_table()}"""
        )
        .fetchall()
    )
    assert len(cases) > 1_900
    for idncase, deciding, *model in cases:
        mine = [
            crim[deciding],
            any_rule([crim[p] for p in by_case[idncase]]),
            charge_rule(idncase, 0),
            aggr[deciding],
            any_rule([aggr[p] for p in by_case[idncase]]),
            charge_rule(idncase, 1),
        ]
        assert model == mine, idncase
    assert {value for row in cases for value in row[2:]} == {True, False, None}


def test_pending_as_of_a_date_reads_the_proceeding_deciding_then(db):
    # On 2021-01-15 case 2 has only proceeding 21 (CRIM_IND Y, closed by a change of venue): pending, and
    # charged criminally under the deciding-proceeding rule; from 2021-01-20 proceeding 22 (N) decides.
    early = db.stats("pending", by=["criminal_charge"], at="2021-01-15")
    assert _counts(early, "criminal_charge") == {"yes": 2, "no": 3, "unknown": 1}  # yes: cases 2 and 3
    later = db.stats("pending", by=["criminal_charge"], at="2022-06-01")  # case 1 completed that day
    assert _counts(later, "criminal_charge") == {"yes": 1, "no": 3, "unknown": 1}
    any_rule = db.stats(
        "pending", by=["criminal_charge"], at="2022-06-01", options={"criminal_charge_rule": "any_proceeding"}
    )
    assert _counts(any_rule, "criminal_charge") == {"yes": 2, "no": 2, "unknown": 1}
