"""Rebuild the package data under sample/data/ from the real reference files in ../shared.

Run once by a developer (``python -m immcourt.sample.build_lookups [SHARED_DIR]``); the generator itself only
reads the files this writes. Every output names its origin in data/SOURCES.md.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from immcourt.sample.schema import TABLES

DATA = Path(__file__).resolve().parent / "data"
# Stamped on every lookup row: the 2014 files carry no creation date for these rows.
LOOKUP_STAMP = "2003-08-07 00:00:00.000"

# Decision codes added to tblLookupCourtDecision after the 2014 copy (research §2.2 / OUTCOMES.md §2).
LATER_DECISIONS = [
    ("RMV", "U", "C", "Dismissed by IJ"),
    ("RMV", "E", "C", "Remove-INA Withholding Granted"),
    ("RMV", "Z", "C", "Remove-CAT Withholding Granted"),
    ("RMV", "H", "C", "Remove-CAT Deferral Granted"),
    ("RMV", "Q", "C", "Final Grant of EOIR 42B/SUSP"),
    *[(ct, "K", "O", "Administrative Closure") for ct in ("RMV", "DEP", "EXC")],
    *[(ct, "M", "O", "In Court Prosecutorial Discretion - Admin Closure") for ct in ("RMV", "DEP", "EXC")],
]
# A superseded row for an existing key: readers must prefer the active one.
INACTIVE_DUPLICATE = ("RMV", "X", "C", "Removal (superseded description)")


def _read_csv(path: Path, encoding: str = "cp1252") -> list[list[str]]:
    text = path.read_bytes().decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
    return [row for row in csv.reader(io.StringIO(text)) if row]


def _combined(shared: Path, table: str) -> list[tuple[str, str]]:
    rows = _read_csv(shared / "data/eoir-lookups/lookup_tables_combined.csv", "utf-8")
    return [(r[1], r[2]) for r in rows[1:] if r[-1] == table]


def _write(name: str, header: list[str], rows: list[list[str]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(str(v) for v in row) for row in rows]
    (DATA / "lookups" / f"{name}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def _bit(text: str) -> str:
    return "1" if text.strip() == "True" else "0"


def build_court_decision(shared: Path) -> None:
    rows = _read_csv(shared / "data/eoir-lookups/release-2014/master_decision_on_proceeding.csv")
    # The 2014 file was saved with a Mac code page: its byte 0xD0 (read here as "Ð") is an en dash.
    keys = [(r[0], r[1], r[2], r[3].replace("\u00d0", "\u2013")) for r in rows[1:]]
    out = []
    for idn, (case_type, code, dec_type, desc) in enumerate(keys + LATER_DECISIONS, start=1):
        out.append([idn, case_type, code, desc, dec_type, "", "1", LOOKUP_STAMP, LOOKUP_STAMP])
    case_type, code, dec_type, desc = INACTIVE_DUPLICATE
    out.append([len(out) + 1, case_type, code, desc, dec_type, "", "0", LOOKUP_STAMP, LOOKUP_STAMP])
    header = [
        "idnCourtDecision",
        "strCaseType",
        "strDecCode",
        "strDecDescription",
        "strDecType",
        "strFinalDisposition",
        "blnActive",
        "datCreatedOn",
        "datModifiedOn",
    ]
    _write("tblLookupCourtDecision", header, out)


def build_simple(shared: Path) -> None:
    combos = {
        "tblLookupCaseType": (["idnCaseType", "strCode", "strDescription", "blnActive"], "tblLookupCaseType"),
        "tblLookupCourtAppDecisions": (
            ["idnCourtApplnDec", "strCourtApplnDecCode", "strCourtApplnDecDesc", "blnActive"],
            "tblLookupCourtAppDecisions",
        ),
        "tblLookUp_Appln": (["idnAppln", "strcode", "strdescription", "blnActive"], "tblLookUp_Appln"),
        "tblLanguage": (["idnLang", "strCode", "strDescription", "blnActive"], "tblLanguage"),
    }
    for name, (header, source) in combos.items():
        pairs = _combined(shared, source)
        _write(name, header, [[i, code, desc, "1"] for i, (code, desc) in enumerate(pairs, start=1)])
    custody = [("D", "Detained"), ("N", "Never Detained"), ("R", "Released")]
    _write(
        "tblLookupCustodyStatus",
        ["idnCustodyStatus", "strCode", "strDescription", "blnActive"],
        [[i, c, d, "1"] for i, (c, d) in enumerate(custody, start=1)],
    )


def build_places(shared: Path) -> None:
    base = shared / "data/eoir-lookups/release-2014"
    nat = _read_csv(base / "tblLookupNationality.csv")
    _write(
        "tblLookupNationality",
        ["ID", "NAT_CODE", "NAT_NAME", "NAT_COUNTRY_NAME", "blnActive"],
        [[r[0], r[1], r[2].strip(), r[3].strip(), _bit(r[-1])] for r in nat],
    )
    city = _read_csv(base / "tblLookupBaseCity.csv")
    _write(
        "tblLookupBaseCity",
        [
            "idnBaseCity",
            "BASE_CITY_CODE",
            "BASE_CITY_NAME",
            "BASE_CITY",
            "BASE_STATE",
            "strRegion",
            "blnActive",
        ],
        [[r[0], r[1], r[2].strip(), r[5].strip(), r[6].strip(), r[10].strip(), _bit(r[-2])] for r in city],
    )
    hloc = _read_csv(base / "tblLookupHloc.csv")
    _write(
        "tblLookupHloc",
        [
            "idnHearingLoc",
            "HEARING_LOC_CODE",
            "HEARING_LOC_NAME",
            "CITY",
            "STATE",
            "BASE_CITY_CODE",
            "blnActive",
        ],
        [[r[0], r[1], r[2].strip(), r[5].strip(), r[6].strip(), r[9].strip(), _bit(r[18])] for r in hloc],
    )
    judge = _read_csv(base / "tblLookupJudge.csv")
    _write(
        "tblLookupJudge",
        ["idnJudge", "JUDGE_CODE", "JUDGE_NAME", "blnActive"],
        [[r[0], r[1], r[2].strip(), _bit(r[13])] for r in judge],
    )
    _write_judge_cities(shared)


def _write_judge_cities(shared: Path) -> None:
    """Judge code -> base city, joining the 2025 judge/base-city list (by name) to the judge codes."""
    names = json.loads((shared / "data/eoir-lookups/lookups.json").read_text())["tblLookupJudgeBaseCity.json"]
    code_by_name = {name.strip().upper(): code for code, name in names.items()}
    pairs = sorted(
        {
            (code_by_name[name.strip().upper()], city)
            for city, name in _combined(shared, "tblLookupJudgeBaseCity")
            if name.strip().upper() in code_by_name
        }
    )
    lines = ["JUDGE_CODE,BASE_CITY_CODE"] + [f"{code},{city}" for code, city in pairs]
    (DATA / "judge_base_city.csv").write_text("\n".join(lines) + "\n")


def build_headers(shared: Path) -> None:
    rows = _read_csv(shared / "data/eoir-schema/variable_types.csv", "utf-8")
    headers = {t: [[r[1], r[0]] for r in rows[1:] if r[2] == t] for t in TABLES}
    (DATA / "headers.json").write_text(json.dumps(headers, indent=1) + "\n")


def main(shared: Path) -> None:
    (DATA / "lookups").mkdir(parents=True, exist_ok=True)
    build_headers(shared)
    build_court_decision(shared)
    build_simple(shared)
    build_places(shared)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[4].parent / "shared")
