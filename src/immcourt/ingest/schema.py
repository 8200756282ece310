"""Column types of every EOIR table.

`schema.csv` is a copy of `variable_types.csv` (type, column name, table) from the Deportation Data Project
(CC0), describing a 2025 release: Numeric → BIGINT, Date → DATE, Boolean → BOOLEAN, String → VARCHAR.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

SQL_TYPES = {"Numeric": "BIGINT", "Date": "DATE", "Boolean": "BOOLEAN", "String": "VARCHAR"}

# Documented as dates but holding `M/YYYY`; parsing them as DATE would turn every value into an issue.
KEEP_AS_TEXT = {"C_BIRTHDATE"}


@cache
def _types() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    with resources.files(__package__).joinpath("schema.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tables.setdefault(row["table"].lower(), {})[row["name"].upper()] = row["type"]
    return tables


def column_types(table: str) -> dict[str, str]:
    """Column (upper case) → schema type (Numeric, Date, Boolean, String) for a table; empty when unknown."""
    types = dict(_types().get(table.lower(), {}))
    for name in KEEP_AS_TEXT & types.keys():
        types[name] = "String"
    return types


def expected_columns(table: str) -> list[str]:
    """The columns the schema lists for a table, in schema order (upper case)."""
    return list(_types().get(table.lower(), {}))


def primary_key(table: str) -> str | None:
    """The primary key column of a table (upper case): the schema's first column when it is a numeric
    `IDN...` id (IDNCASE of A_TblCase, IDNPROCEEDING of B_TblProceeding...), else None (no key is checked).

    Found in the header by name, never by position: a release that moves IDNCASE in front of
    B_TblProceeding's columns still keys proceedings by IDNPROCEEDING.
    """
    types = _types().get(table.lower(), {})
    first = next(iter(types), None)
    if first is None or not first.startswith("IDN") or types[first] != "Numeric":
        return None
    return first


# The core tables of a release, in the order EOIR lists them: the ones the sample writes and `immcourt diff`
# compares by primary key.
CORE_TABLES: tuple[str, ...] = (
    "A_TblCase",
    "B_TblProceeding",
    "tbl_Court_Appln",
    "B_TblProceedCharges",
    "tbl_schedule",
    "tbl_RepsAssigned",
    "D_TblAssociatedBond",
    "tbl_CustodyHistory",
)

# What a release must hold for the model to compute its statistics (model/build.py reads these; a test
# checks they match its CORE_SOURCES and LOOKUP_SOURCES): without one, completions or asylum decisions would
# silently come out empty, so the ingest stops and names it. tbl_RepsAssigned only serves an option.
REQUIRED_TABLES: tuple[str, ...] = ("A_TblCase", "B_TblProceeding", "tbl_Court_Appln")
# Each required lookup with the columns the model reads from it.
REQUIRED_LOOKUPS: dict[str, tuple[str, ...]] = {
    "tblLookupCourtDecision": ("strCaseType", "strDecCode", "strDecDescription", "strDecType"),
    "tblLookupBaseCity": ("BASE_CITY_CODE", "BASE_CITY"),
    "tblLookupHloc": ("HEARING_LOC_CODE", "HEARING_LOC_NAME"),
    "tblLookupJudge": ("JUDGE_CODE", "JUDGE_NAME"),
    "tblLookupNationality": ("NAT_CODE", "NAT_NAME"),
    "tblLanguage": ("strCode", "strDescription"),
    "tblLookupCustodyStatus": ("strCode", "strDescription"),
    "tblLookupCaseType": ("strCode", "strDescription"),
    "tblLookUp_Appln": ("strcode", "strdescription"),  # the APPL_CODE values asylum_codes may name
}

# The columns the model reads from each table (model/build.py's CORE_SOURCES without the ingest's own
# `_issues` / `_repaired`; a test holds the two equal). A present table lacking one of them would be loaded
# with a NULL column and every statistic reading it would silently come out 0 or empty (a renamed COMP_DATE
# makes every completion vanish), so the ingest refuses it like a missing table, naming the file and column
# (`--partial` loads it anyway, and every statistic of that release then carries a note naming the column;
# ingest/columns.py).
NEEDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "A_TblCase": ("IDNCASE", "NAT", "LANG", "CUSTODY", "E_28_DATE", "CASE_TYPE", "C_ASY_TYPE"),
    "B_TblProceeding": (
        "IDNPROCEEDING",
        "IDNCASE",
        "OSC_DATE",
        "INPUT_DATE",
        "BASE_CITY_CODE",
        "HEARING_LOC_CODE",
        "IJ_CODE",
        "DEC_CODE",
        "OTHER_COMP",
        "COMP_DATE",
        "ABSENTIA",
        "CUSTODY",
        "CASE_TYPE",
        "CRIM_IND",
        "AGGRAVATE_FELON",
    ),
    "tbl_Court_Appln": (
        "IDNPROCEEDINGAPPLN",
        "IDNPROCEEDING",
        "IDNCASE",
        "APPL_CODE",
        "APPL_RECD_DATE",
        "APPL_DEC",
    ),
    "tbl_RepsAssigned": ("IDNREPSASSIGNED", "IDNCASE", "STRATTYTYPE"),
    "B_TblProceedCharges": ("IDNPRCDCHG", "IDNCASE", "IDNPROCEEDING", "CHARGE", "CHG_STATUS"),
}
