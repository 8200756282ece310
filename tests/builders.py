"""Hand-built mini releases for the model and metric tests.

A test describes a handful of cases and proceedings; `MiniRelease.store(tmp_path)` writes them as a
release folder (tab-delimited tables + Lookup/ + Count.txt, the on-disk contract) and ingests it with
`immcourt.ingest.ingest_release` when that is available, otherwise writes the store's parquet layout
directly (Store contract in docs/ARCHITECTURE.md). Each test works its expected answers out by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

RELEASE_ID = "sample-2025-06-30"

# tblLookupCourtDecision rows: (case type, letter, C/O, description, active). Hand-picked from the real
# table's layout, including the RMV X trap (C "Remove" vs O "ZERO BOND"), an inactive duplicate key and a
# description written with an en dash as in the 2014 file.
DECISION_ROWS: list[tuple[str, str, str, str, str]] = [
    ("RMV", "X", "C", "Remove", "1"),
    ("RMV", "X", "C", "Deport", "0"),  # inactive duplicate: must lose to the active row
    ("RMV", "X", "O", "ZERO BOND", "1"),
    ("RMV", "V", "C", "Voluntary Departure", "1"),
    ("RMV", "R", "C", "Relief Granted", "1"),
    ("RMV", "T", "C", "Terminate", "1"),
    ("RMV", "U", "C", "Dismissed by IJ", "1"),
    ("RMV", "E", "C", "Remove-INA Withholding Granted", "1"),
    ("RMV", "Z", "C", "Remove-CAT Withholding Granted", "1"),
    ("RMV", "O", "C", "Other", "1"),
    ("RMV", "J", "C", "Jurisdiction Transferred to the BIA", "1"),
    ("RMV", "C", "O", "Change of Venue", "1"),
    ("RMV", "T", "O", "Transfer", "1"),
    ("RMV", "A", "O", "Administrative Closing - Other", "1"),
    ("RMV", "Y", "O", "Prosecutorial Discretion \u2013 Admin Close", "1"),
    ("RMV", "F", "O", "Failure to Prosecute (DHS cases only)", "1"),
    ("RMV", "I", "C", "Prosecutorial Discretion \u2013 Terminated", "1"),
    ("RMV", "M", "O", "In Court Prosecutorial Discretion - Admin Closure", "1"),
    ("DEP", "D", "C", "Deport", "1"),
    ("DEP", "X", "O", "ZERO BOND", "1"),
]

LOOKUPS: dict[str, tuple[list[str], list[list[str]]]] = {
    "tblLookupCaseType": (
        ["strCode", "strDescription", "blnActive"],
        [["RMV", "Removal", "1"], ["DEP", "Deportation", "1"]],
    ),
    "tblLookupCourtAppDecisions": (
        ["strCourtApplnDecCode", "strCourtApplnDecDesc", "blnActive"],
        [["G", "GRANT", "1"], ["D", "DENY", "1"], ["W", "WITHDRAWN", "1"], ["F", "FULL GRANT", "1"]],
    ),
    "tblLookUp_Appln": (
        ["strcode", "strdescription", "blnActive"],
        [
            ["ASYL", "ASYLUM", "1"],
            ["ASYW", "ASYLUM WITHHOLDING", "1"],
            ["WCAT", "WITHHOLDING-CAT", "1"],
            ["42B", "EOIR42B", "1"],
        ],
    ),
    "tblLookupNationality": (
        ["NAT_CODE", "NAT_NAME", "blnActive"],
        [["GT", "GUATEMALA", "1"], ["HO", "HONDURAS", "1"], ["MX", "MEXICO", "1"]],
    ),
    "tblLanguage": (
        ["strCode", "strDescription", "blnActive"],
        [["SP", "Spanish", "1"], ["ENG", "English", "1"]],
    ),
    "tblLookupBaseCity": (
        ["BASE_CITY_CODE", "BASE_CITY", "BASE_STATE", "blnActive"],
        [["SFR", "San Francisco", "CA", "1"], ["HOU", "Houston", "TX", "1"], ["NYC", "New York", "NY", "1"]],
    ),
    "tblLookupHloc": (
        ["HEARING_LOC_CODE", "HEARING_LOC_NAME", "CITY", "STATE", "blnActive"],
        [
            ["SFR", "San Francisco Court", "San Francisco", "CA", "1"],
            ["HOU", "Houston Court", "Houston", "TX", "1"],
            ["NYC", "New York Court", "New York", "NY", "1"],
        ],
    ),
    "tblLookupJudge": (
        ["JUDGE_CODE", "JUDGE_NAME", "blnActive"],
        [["AAA", "Judge Alpha", "1"], ["BBB", "Judge Beta", "1"]],
    ),
    "tblLookupCustodyStatus": (
        ["strCode", "strDescription", "blnActive"],
        [["D", "Detained", "1"], ["N", "Never Detained", "1"], ["R", "Released", "1"]],
    ),
    # The 2025 layout of tbllookupCharges; flags hand-set from the INA sections the codes name.
    "tbllookupCharges": (
        ["idnCharges", "strCode", "strCodeDescription", "criminal_flag", "aggravate_felon", "blnActive"],
        [
            ["1", "212a06Ai", "Present without admission or parole", "0", "0", "1"],
            ["2", "237a01B", "Remained longer than permitted", "0", "0", "1"],
            ["3", "237a02Aiii", "Aggravated felony", "1", "1", "1"],
            ["4", "237a02Bi", "Controlled substance violation", "1", "0", "1"],
            ["5", "212a02Ai  I", "Crime involving moral turpitude", "1", "0", "1"],
            ["6", "212a02Ai  I", "Crime involving moral turpitude (old row)", "0", "0", "0"],
        ],
    ),
}

CASE_COLUMNS = {
    "IDNCASE": pa.int64(),
    "NAT": pa.string(),
    "LANG": pa.string(),
    "CUSTODY": pa.string(),
    "E_28_DATE": pa.date32(),
    "CASE_TYPE": pa.string(),
    "C_ASY_TYPE": pa.string(),
}
PROCEEDING_COLUMNS = {
    "IDNPROCEEDING": pa.int64(),
    "IDNCASE": pa.int64(),
    "OSC_DATE": pa.date32(),
    "INPUT_DATE": pa.date32(),
    "BASE_CITY_CODE": pa.string(),
    "HEARING_LOC_CODE": pa.string(),
    "IJ_CODE": pa.string(),
    "DEC_CODE": pa.string(),
    "OTHER_COMP": pa.string(),
    "COMP_DATE": pa.date32(),
    "ABSENTIA": pa.string(),
    "CUSTODY": pa.string(),
    "CASE_TYPE": pa.string(),
    "NAT": pa.string(),
    "LANG": pa.string(),
    "CRIM_IND": pa.string(),
    "AGGRAVATE_FELON": pa.string(),
}
CHARGE_COLUMNS = {
    "IDNPRCDCHG": pa.int64(),
    "IDNCASE": pa.int64(),
    "IDNPROCEEDING": pa.int64(),
    "CHARGE": pa.string(),
    "CHG_STATUS": pa.string(),
}
APPLN_COLUMNS = {
    "IDNPROCEEDINGAPPLN": pa.int64(),
    "IDNPROCEEDING": pa.int64(),
    "IDNCASE": pa.int64(),
    "APPL_CODE": pa.string(),
    "APPL_RECD_DATE": pa.date32(),
    "APPL_DEC": pa.string(),
}
REPS_COLUMNS = {
    "IDNREPSASSIGNED": pa.int64(),
    "IDNCASE": pa.int64(),
    "STRATTYLEVEL": pa.string(),
    "STRATTYTYPE": pa.string(),
}


def d(text: str | None) -> date | None:
    """'2021-01-19' -> date (None stays None)."""
    return date.fromisoformat(text) if text else None


@dataclass
class MiniRelease:
    """A few hand-described cases; every field defaults to something harmless."""

    cases: list[dict] = field(default_factory=list)
    proceedings: list[dict] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)
    reps: list[dict] = field(default_factory=list)
    charges: list[dict] = field(default_factory=list)
    decision_rows: list[tuple[str, str, str, str, str]] = field(default_factory=lambda: list(DECISION_ROWS))
    # Rows added to a lookup of LOOKUPS (e.g. more judges), in its header's order.
    extra_lookup_rows: dict[str, list[list[str]]] = field(default_factory=dict)

    def case(
        self,
        idncase: int,
        *,
        nat: str = "GT",
        lang: str = "SP",
        e28: str | None = None,
        case_type: str = "RMV",
        asy_type: str | None = None,
        custody: str = "D",
    ) -> MiniRelease:
        self.cases.append(
            {
                "IDNCASE": idncase,
                "NAT": nat,
                "LANG": lang,
                "CUSTODY": custody,
                "E_28_DATE": d(e28),
                "CASE_TYPE": case_type,
                "C_ASY_TYPE": asy_type,
            }
        )
        return self

    def proceeding(
        self,
        idncase: int,
        idnproceeding: int,
        *,
        osc: str | None = "2019-03-01",
        input_date: str | None = None,
        comp: str | None = None,
        dec: str | None = None,
        other: str | None = None,
        court: str = "SFR",
        hloc: str | None = None,
        judge: str = "AAA",
        absentia: str | None = None,
        custody: str = "D",
        case_type: str = "RMV",
        crim_ind: str | None = None,
        aggravate_felon: str | None = None,
    ) -> MiniRelease:
        self.proceedings.append(
            {
                "IDNPROCEEDING": idnproceeding,
                "IDNCASE": idncase,
                "OSC_DATE": d(osc),
                "INPUT_DATE": d(input_date or osc),
                "BASE_CITY_CODE": court,
                "HEARING_LOC_CODE": hloc or court,
                "IJ_CODE": judge,
                "DEC_CODE": dec,
                "OTHER_COMP": other,
                "COMP_DATE": d(comp),
                "ABSENTIA": absentia,
                "CUSTODY": custody,
                "CASE_TYPE": case_type,
                "NAT": "GT",
                "LANG": "SP",
                "CRIM_IND": crim_ind,
                "AGGRAVATE_FELON": aggravate_felon,
            }
        )
        return self

    def charge(self, idncase: int, idnproceeding: int, code: str, *, status: str | None = "S") -> MiniRelease:
        """A B_TblProceedCharges row (CHARGE is an INA section code of tbllookupCharges)."""
        self.charges.append(
            {
                "IDNPRCDCHG": len(self.charges) + 1,
                "IDNCASE": idncase,
                "IDNPROCEEDING": idnproceeding,
                "CHARGE": code,
                "CHG_STATUS": status,
            }
        )
        return self

    def application(
        self,
        idncase: int,
        idnproceeding: int,
        code: str,
        decision: str | None,
        *,
        received: str = "2019-06-01",
    ) -> MiniRelease:
        self.applications.append(
            {
                "IDNPROCEEDINGAPPLN": len(self.applications) + 1,
                "IDNPROCEEDING": idnproceeding,
                "IDNCASE": idncase,
                "APPL_CODE": code,
                "APPL_RECD_DATE": d(received),
                "APPL_DEC": decision,
            }
        )
        return self

    def rep(self, idncase: int, *, atty_type: str = "ALIEN") -> MiniRelease:
        self.reps.append(
            {
                "IDNREPSASSIGNED": len(self.reps) + 1,
                "IDNCASE": idncase,
                "STRATTYLEVEL": "COURT",
                "STRATTYTYPE": atty_type,
            }
        )
        return self

    # -- writing ---------------------------------------------------------------------------------------

    def tables(self) -> dict[str, pa.Table]:
        return {
            "A_TblCase": _table(self.cases, CASE_COLUMNS),
            "B_TblProceeding": _table(self.proceedings, PROCEEDING_COLUMNS),
            "tbl_Court_Appln": _table(self.applications, APPLN_COLUMNS),
            "tbl_RepsAssigned": _table(self.reps, REPS_COLUMNS),
            "B_TblProceedCharges": _table(self.charges, CHARGE_COLUMNS),
        }

    def lookups(self) -> dict[str, tuple[list[str], list[list[str]]]]:
        decisions = (
            [
                "idnCourtDecision",
                "strCaseType",
                "strDecCode",
                "strDecDescription",
                "strDecType",
                "strFinalDisposition",
                "blnActive",
            ],
            [
                [str(i + 1), ct, code, desc, kind, "", active]
                for i, (ct, code, kind, desc, active) in enumerate(self.decision_rows)
            ],
        )
        lookups = {
            name: (header, rows + self.extra_lookup_rows.get(name, []))
            for name, (header, rows) in LOOKUPS.items()
        }
        return {"tblLookupCourtDecision": decisions, **lookups}

    def store(self, root: Path, *, release_id: str = RELEASE_ID) -> Path:
        """Write a release folder and ingest it into `root/store` (the real path); return the store.

        Falls back to writing the store's parquet layout directly when the ingest package is missing.
        """
        try:
            from immcourt.ingest import ingest_release
        except ImportError:  # pragma: no cover - only before ingest existed
            return self.parquet_store(root, release_id=release_id)
        release = self.write_release(root / "release")
        ingest_release(release, store=root / "store", release_id=release_id, progress=False)
        return root / "store"

    def write_release(self, folder: Path) -> Path:
        """The on-disk release contract: tab-delimited cp1252 tables, Lookup/, Count.txt."""
        tables_dir = folder / "EOIR Case Data"
        tables_dir.mkdir(parents=True, exist_ok=True)
        (folder / "Lookup").mkdir(exist_ok=True)
        counts = []
        for name, table in self.tables().items():
            header = table.column_names
            lines = ["\t".join(header)]
            for row in table.to_pylist():
                lines.append("\t".join(_cell(row[column]) for column in header))
            (tables_dir / f"{name}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
            counts.append(f"{name}\t{table.num_rows} rows copied.")
        (folder / "Count.txt").write_text(
            "TableName\tContent\n" + "\n".join(counts) + "\n", encoding="cp1252"
        )
        for name, (header, rows) in self.lookups().items():
            text = "\n".join("\t".join(line) for line in [header, *rows]) + "\n"
            (folder / "Lookup" / f"{name}.csv").write_bytes(text.encode("cp1252"))
        # The contract marks sample releases by this file; these hand-built ones are synthetic too.
        (folder / "SAMPLE-README.txt").write_text(
            "SAMPLE DATA - hand-built test release\n", encoding="cp1252"
        )
        return folder

    def parquet_store(self, root: Path, *, release_id: str = RELEASE_ID) -> Path:
        """Write the store layout directly (parquet per table); return the store folder."""
        release_dir = root / f"release={release_id}"
        (release_dir / "lookup").mkdir(parents=True, exist_ok=True)
        for name, table in self.tables().items():
            extra = {
                "_line": pa.array(range(2, table.num_rows + 2), pa.int64()),
                "_repaired": pa.nulls(table.num_rows, pa.string()),
                "_issues": pa.nulls(table.num_rows, pa.string()),
            }
            for column, values in extra.items():
                table = table.append_column(column, values)
            pq.write_table(table, release_dir / f"{name}.parquet")
        for name, (header, rows) in self.lookups().items():
            columns = {col: [row[i] or None for row in rows] for i, col in enumerate(header)}
            pq.write_table(
                pa.table(columns, schema=pa.schema([(c, pa.string()) for c in header])),
                release_dir / "lookup" / f"{name}.parquet",
            )
        info = {
            "id": release_id,
            "is_sample": release_id.startswith("sample-"),
            "source": "tests/builders.py",
            "files": [],
            "count_txt": {},
            "reconciliation": {},
            "ingested_at": "2025-07-01T00:00:00Z",
            "version": "test",
        }
        (release_dir / "_release.json").write_text(json.dumps(info))
        return root


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.isoformat()} 00:00:00.000"
    return str(value)


def _table(rows: list[dict], columns: dict[str, pa.DataType]) -> pa.Table:
    schema = pa.schema(list(columns.items()))
    return pa.table({name: [row.get(name) for row in rows] for name in columns}, schema=schema)
