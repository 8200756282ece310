"""Build the case-level relation `cases` (OUTCOMES.md) on a DuckDB connection over one release.

The SQL lives in model/sql/*.sql (Jinja templates) and runs in file-name order. Python only orders the
files, passes the model options in, makes missing columns NULL, and fails loudly on unknown decision
descriptions. Each option set gets its own in-memory table, built once per connection.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2

MODEL_DIR = Path(__file__).resolve().parent
SQL_DIR = MODEL_DIR / "sql"
OUTCOME_MAP = MODEL_DIR / "outcome_map.csv"
ADMINISTRATIONS = MODEL_DIR / "administrations.csv"

OUTCOME_CLASSES = (
    "removal_order",
    "voluntary_departure",
    "asylum_granted",
    "relief_granted",
    "protection_under_removal_order",
    "terminated",
    "dismissed",
    "administratively_closed",
    "other",
)

# The options that change the relation itself (the others only change how metrics aggregate it).
MODEL_OPTION_CHOICES: dict[str, tuple[str, ...] | None] = {
    "deciding_proceeding": ("last", "last_completed"),
    "representation": ("e28", "reps_table"),
    "admin_closure_as": ("closed", "pending"),
    "administration_by": ("date", "fiscal_year"),
    "asylum_codes": None,  # a comma-separated list of APPL_CODE values
}
MODEL_OPTION_DEFAULTS: dict[str, str] = {
    "deciding_proceeding": "last",
    "representation": "e28",
    "admin_closure_as": "closed",
    "administration_by": "date",
    "asylum_codes": "ASYL,ASYW",
}

# Columns the model reads, with the store type each must have. A column the release lacks becomes NULL;
# a column of another type is cast (TRY_CAST), so junk from shifted rows becomes NULL instead of failing.
CORE_SOURCES: dict[str, dict[str, str]] = {
    "A_TblCase": {
        "IDNCASE": "BIGINT",
        "NAT": "VARCHAR",
        "LANG": "VARCHAR",
        "CUSTODY": "VARCHAR",
        "E_28_DATE": "DATE",
        "CASE_TYPE": "VARCHAR",
        "C_ASY_TYPE": "VARCHAR",
    },
    "B_TblProceeding": {
        "IDNPROCEEDING": "BIGINT",
        "IDNCASE": "BIGINT",
        "OSC_DATE": "DATE",
        "INPUT_DATE": "DATE",
        "BASE_CITY_CODE": "VARCHAR",
        "HEARING_LOC_CODE": "VARCHAR",
        "IJ_CODE": "VARCHAR",
        "DEC_CODE": "VARCHAR",
        "OTHER_COMP": "VARCHAR",
        "COMP_DATE": "DATE",
        "ABSENTIA": "VARCHAR",
        "CUSTODY": "VARCHAR",
        "CASE_TYPE": "VARCHAR",
        "_issues": "VARCHAR",
    },
    "tbl_Court_Appln": {
        "IDNPROCEEDINGAPPLN": "BIGINT",
        "IDNPROCEEDING": "BIGINT",
        "IDNCASE": "BIGINT",
        "APPL_CODE": "VARCHAR",
        "APPL_RECD_DATE": "DATE",
        "APPL_DEC": "VARCHAR",
    },
    "tbl_RepsAssigned": {"IDNREPSASSIGNED": "BIGINT", "IDNCASE": "BIGINT", "STRATTYTYPE": "VARCHAR"},
}
LOOKUP_SOURCES: dict[str, tuple[str, ...]] = {
    "tblLookupCourtDecision": (
        "idnCourtDecision",
        "strCaseType",
        "strDecCode",
        "strDecDescription",
        "strDecType",
        "blnActive",
    ),
    "tblLookupBaseCity": ("BASE_CITY_CODE", "BASE_CITY", "blnActive"),
    "tblLookupHloc": ("HEARING_LOC_CODE", "HEARING_LOC_NAME", "blnActive"),
    "tblLookupJudge": ("JUDGE_CODE", "JUDGE_NAME", "blnActive"),
    "tblLookupNationality": ("NAT_CODE", "NAT_NAME", "blnActive"),
    "tblLanguage": ("strCode", "strDescription", "blnActive"),
    "tblLookupCustodyStatus": ("strCode", "strDescription", "blnActive"),
}


@dataclass(frozen=True)
class CodedLookup:
    """A lookup that names the codes of one dimension."""

    name: str
    table: str
    code: str
    label: str


CODED_LOOKUPS = (
    CodedLookup("court", "tblLookupBaseCity", "BASE_CITY_CODE", "BASE_CITY"),
    CodedLookup("hearing_location", "tblLookupHloc", "HEARING_LOC_CODE", "HEARING_LOC_NAME"),
    CodedLookup("judge", "tblLookupJudge", "JUDGE_CODE", "JUDGE_NAME"),
    CodedLookup("nationality", "tblLookupNationality", "NAT_CODE", "NAT_NAME"),
    CodedLookup("language", "tblLanguage", "strCode", "strDescription"),
    CodedLookup("custody", "tblLookupCustodyStatus", "strCode", "strDescription"),
)


class ModelError(ValueError):
    """The release cannot be modelled as it is (the message says what to fix)."""


class UnknownDecisionDescription(ModelError):
    """The release decodes a completion to a description that outcome_map.csv does not classify."""

    def __init__(self, unknown: list[tuple[str, str, int]]):
        self.unknown = unknown
        listed = "; ".join(f"{desc!r} (codes {codes}; {n} proceedings)" for desc, codes, n in unknown)
        super().__init__(
            "tblLookupCourtDecision: unknown decision description(s) with no outcome class: "
            f"{listed}. Add them to src/immcourt/model/outcome_map.csv."
        )


def resolve_model_options(options: Mapping[str, str] | None = None) -> dict[str, str]:
    """Defaults merged with the given model options, validated; unrelated keys are ignored."""
    resolved = dict(MODEL_OPTION_DEFAULTS)
    for name, value in (options or {}).items():
        if name not in MODEL_OPTION_DEFAULTS:
            continue
        choices = MODEL_OPTION_CHOICES[name]
        if choices is not None and value not in choices:
            raise ModelError(f"option {name}={value!r} is not valid; choose one of: {', '.join(choices)}")
        resolved[name] = str(value)
    resolved["asylum_codes"] = normalise_codes(resolved["asylum_codes"])
    return resolved


def normalise_codes(codes: str) -> str:
    """'asyl, ASYW' -> 'ASYL,ASYW' (sorted, so equal sets give equal cache keys)."""
    parts = sorted({part.strip().upper() for part in str(codes).split(",") if part.strip()})
    if not parts:
        raise ModelError("option asylum_codes is empty; give APPL_CODE values such as ASYL,ASYW")
    return ",".join(parts)


def options_key(options: Mapping[str, str]) -> str:
    """A short stable hash naming the tables built for one model option set."""
    text = json.dumps({k: options[k] for k in sorted(MODEL_OPTION_DEFAULTS)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def cases_table_name(options: Mapping[str, str] | None = None) -> str:
    """Name of the in-memory `cases` table for these model options (see build_cases)."""
    return f"cases_{options_key(resolve_model_options(options))}"


def attach_release(con: duckdb.DuckDBPyConnection, *, release_dir: Path) -> None:
    """Create the `src_*` views the model reads over a release's parquet files."""
    files = {path.stem.casefold(): path for path in release_dir.glob("*.parquet")}
    lookups = {path.stem.casefold(): path for path in (release_dir / "lookup").glob("*.parquet")}
    for table, columns in CORE_SOURCES.items():
        _create_source_view(con, table, files.get(table.casefold()), columns)
    for table, columns in LOOKUP_SOURCES.items():
        _create_source_view(con, table, lookups.get(table.casefold()), dict.fromkeys(columns, "VARCHAR"))


def _create_source_view(
    con: duckdb.DuckDBPyConnection, table: str, path: Path | None, columns: dict[str, str]
) -> None:
    present: dict[str, str] = {}
    if path is not None:
        described = _run(con, f"DESCRIBE SELECT * FROM read_parquet('{_sql_path(path)}')")
        present = {row[0].casefold(): row[0] for row in described}
    select = []
    for column, sql_type in columns.items():
        actual = present.get(column.casefold())
        expr = f'TRY_CAST("{actual}" AS {sql_type})' if actual else f"CAST(NULL AS {sql_type})"
        select.append(f'{expr} AS "{column}"')
    source = f"read_parquet('{_sql_path(path)}')" if path is not None else "(SELECT 1) AS empty WHERE false"
    _run(con, f'CREATE OR REPLACE TEMP VIEW "src_{table}" AS SELECT {", ".join(select)} FROM {source}')


def _run(con: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> list[tuple]:
    # DuckDB 2 refuses new work while a result is unfinished, so every statement is read to the end.
    return con.execute(sql, parameters or []).fetchall()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(SQL_DIR), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )


def read_outcome_map() -> list[dict[str, str]]:
    """The description -> outcome class map (model/outcome_map.csv)."""
    with OUTCOME_MAP.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_administrations() -> list[dict[str, str]]:
    """Administrations with first and last day in office (model/administrations.csv)."""
    with ADMINISTRATIONS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def render(template: str, **context: object) -> str:
    """Render one model SQL template."""
    return _environment().get_template(template).render(**context)


def build_cases(con: duckdb.DuckDBPyConnection, *, options: Mapping[str, str] | None = None) -> str:
    """Build (once per connection and option set) the `cases` table and return its name.

    Needs the `src_*` views of attach_release. Raises UnknownDecisionDescription when a completion
    decodes to a description outcome_map.csv does not know.
    """
    resolved = resolve_model_options(options)
    key = options_key(resolved)
    table = f"cases_{key}"
    if _table_exists(con, table):
        return table
    _load_outcome_map(con)
    context = {
        "options": resolved,
        "key": key,
        "cases_table": table,
        "lookups": CODED_LOOKUPS,
        "administrations": read_administrations(),
        "asylum_codes_sql": ", ".join(f"'{code}'" for code in resolved["asylum_codes"].split(",")),
    }
    for path in sorted(SQL_DIR.glob("[0-9]*.sql")):
        _run(con, render(path.name, **context))
        if path.name.startswith("010_"):
            _fail_on_unknown_descriptions(con)
    return table


def _load_outcome_map(con: duckdb.DuckDBPyConnection) -> None:
    rows = read_outcome_map()
    values = ", ".join(f"('{_sql_path(r['description'])}', '{_sql_path(r['outcome_class'])}')" for r in rows)
    _run(
        con,
        "CREATE OR REPLACE TEMP TABLE model_outcome_map_raw AS "
        f"SELECT * FROM (VALUES {values}) AS m(description, outcome_class)",
    )


def _fail_on_unknown_descriptions(con: duckdb.DuckDBPyConnection) -> None:
    unknown = _run(con, render("checks/unknown_descriptions.sql"))
    if unknown:
        raise UnknownDecisionDescription([(str(d), str(c), int(n)) for d, c, n in unknown])


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    found = _run(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table])
    return bool(found[0][0])


def model_exclusions(con: duckdb.DuckDBPyConnection, *, cases_table: str) -> dict[str, int]:
    """Records left out of every statistic built on `cases_table`, by reason (only non-zero reasons)."""
    rows = _run(con, render("checks/exclusions.sql", cases_table=cases_table))
    return {reason: int(count) for reason, count in rows if count}
