"""Rebuild the package data under sample/data/ from the real reference files in ../shared.

Run once by a developer (``python -m immcourt.sample.build_lookups [SHARED_DIR]``); the generator itself only
reads the files this writes. Every output names its origin in data/SOURCES.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
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


# tbllookupCharges: the real codes and descriptions; the flags are derived from the INA section each code
# names (the shared copy has no flag columns): criminal = the criminal grounds 212(a)(2), 237(a)(2) and the
# old 241(a)(2); aggravated felony = 237(a)(2)(A)(iii) and 241(a)(2)(A)(iii).
CRIMINAL_SECTIONS = ("212a02", "237a02", "241a02")
AGGRAVATED_SECTIONS = ("237a02Aiii", "241a02Aiii")
CHARGES_HEADER = [
    "idnCharges",
    "strCode",
    "strCodeString",
    "strCodeDescription",
    "applicable_case_type1",
    "applicable_case_type2",
    "applicable_case_type3",
    "criminal_flag",
    "aggravate_felon",
    "DatCreatedOn",
    "DatModifiedOn",
    "blnActive",
]


def charge_flags(code: str) -> tuple[str, str]:
    """(criminal_flag, aggravate_felon) as 1/0 for a tbllookupCharges code, by its INA section."""
    section = code.strip()
    criminal = section.startswith(CRIMINAL_SECTIONS)
    aggravated = section.startswith(AGGRAVATED_SECTIONS)
    return ("1" if criminal else "0", "1" if aggravated else "0")


def build_charges(shared: Path) -> None:
    rows = []
    for idn, (code, description) in enumerate(_combined(shared, "tbllookupCharges"), start=1):
        section = code.strip()
        case_types = ["RMV", "EXC", ""] if section.startswith("212") else ["RMV", "", ""]
        if section.startswith("241"):
            case_types = ["DEP", "", ""]
        criminal, aggravated = charge_flags(code)
        text = "" if description in ("None", "NA") else description
        rows.append([idn, code, "", text, *case_types, criminal, aggravated, LOOKUP_STAMP, LOOKUP_STAMP, "1"])
    _write("tbllookupCharges", CHARGES_HEADER, rows)


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
    full = {r[2].strip().upper() for r in judge} | _judge_names_2025(shared)
    real = full | {word.strip(",.()") for name in full for word in name.split()}
    _write(
        "tblLookupJudge",
        ["idnJudge", "JUDGE_CODE", "JUDGE_NAME", "blnActive"],
        [[r[0], r[1], invented_judge_name(r[2].strip(), real), _bit(r[13])] for r in judge],
    )
    _write_judge_cities(shared)


# Invented names for the sample's judges. Given names are common ones; surnames are made of syllables so
# they read as names without being anybody's; a real judge's name (2014 or 2025 lookup) is never produced.
GIVEN_NAMES = (
    "ALEX", "BLAIR", "CAMERON", "DANA", "ELLIS", "FRANCES", "GALE", "HARPER", "IRIS", "JORDAN", "KENDALL",
    "LANE", "MORGAN", "NOEL", "OLIVE", "PARKER", "QUINN", "REESE", "SAGE", "TATUM", "VAL", "WREN",
)  # fmt: skip
SURNAME_HEADS = ("BRAN", "CAL", "DOR", "FEL", "GAR", "HOL", "KES", "LOR", "MAR", "NOV", "PEL", "QUIL", "ROS",
                 "SEV", "TAR", "VEL", "WIN", "YAR", "ZEL", "ORV")  # fmt: skip
SURNAME_TAILS = ("ANDO", "BECK", "DALE", "ENFIELD", "GROVE", "HURST", "ISTON", "KOVA", "MERE", "NETTI",
                 "ORAN", "QUIST", "RIDGE", "STEAD", "THORPE", "VALE", "WICK", "ZANO")  # fmt: skip
# Pseudo-judges that name no person: kept as they are (their shape matters to the pages, not the text).
PSEUDO_JUDGE = re.compile(r"^(<ALL JUDGES>|NEW IJ\s*#\s*\d+|MASTER CALENDAR \d+|VISITING JUDGE \d+)$", re.I)
# Suffixes kept after the invented name: temporary and visiting codes, numbered duplicates, generations.
JUDGE_SUFFIX = re.compile(r"(\s*\((TEMP|VISITING JUDGE)\)|\s+\d{4}|,?\s+(JR|SR)\.?|\s+(II|III))$", re.I)


def invented_judge_name(real_name: str, real_names: set[str]) -> str:
    """A stable invented name for a real lookup entry: same suffix, same case style, never a real name.

    `real_names` holds the real names (upper case) and every word in them; the invented surname is none
    of those words.

    Entries naming no person (`<ALL JUDGES>`, `NEW IJ #6`, `VISITING JUDGE 2`) stay as they are; the same
    person under several codes (`X` and `X (TEMP)`) gets the same invented name.
    """
    name = " ".join(real_name.split())
    if PSEUDO_JUDGE.match(name):
        return name
    suffix = ""
    while match := JUDGE_SUFFIX.search(name):
        suffix = match.group(0) + suffix
        name = name[: match.start()]
    digest = hashlib.sha256(name.upper().encode()).digest()
    for attempt in range(len(digest) - 3):
        given = GIVEN_NAMES[digest[attempt] % len(GIVEN_NAMES)]
        initial = chr(ord("A") + digest[attempt + 1] % 26)
        surname = SURNAME_HEADS[digest[attempt + 2] % len(SURNAME_HEADS)].capitalize()
        surname += SURNAME_TAILS[digest[attempt + 3] % len(SURNAME_TAILS)].lower()
        invented = f"{given} {initial}. {surname.upper()}"
        if surname.upper() not in real_names:  # real_names holds every word of every real name too
            break
    if name.upper() != name:  # keep mixed-case entries mixed-case, as the real lookup has a few
        invented = invented.title()
    return invented + suffix


def _judge_names_2025(shared: Path) -> set[str]:
    names = json.loads((shared / "data/eoir-lookups/lookups.json").read_text())
    judges = {**names.get("tblLookupJudge.json", {}), **names.get("tblLookupJudgeBaseCity.json", {})}
    return {str(name).strip().upper() for name in judges.values()}


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
    build_charges(shared)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[4].parent / "shared")
