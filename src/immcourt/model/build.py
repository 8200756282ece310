"""Build the case-level relation `cases` (OUTCOMES.md) on a DuckDB connection over one release.

The SQL lives in model/sql/*.sql (Jinja templates) and runs in file-name order. Python only orders the
files, passes the model options in, makes missing columns NULL, and fails loudly on unknown decision
descriptions. Each option set gets its own in-memory table, built once per connection.

Given the release folder, a built table is also persisted as `release=<id>/model/<key>/cases.parquet`
(`<key>`: release, model options and a fingerprint of the model code), so later processes read it
instead of rebuilding it (7-19 s on a million cases).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2

from immcourt import __version__
from immcourt.limits import batch_memory_limit, batch_spill_dir
from immcourt.sqlsafe import batch_connection, quote_ident, quote_literal, quote_path
from immcourt.store import (
    QUARANTINE_FILE,
    RELEASE_FILE,
    RELEASE_PREFIX,
    latest_release,
    remove_stale_staging,
)
from immcourt.store import release_dir as release_path

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent
SQL_DIR = MODEL_DIR / "sql"
OUTCOME_MAP = MODEL_DIR / "outcome_map.csv"
ADMINISTRATIONS = MODEL_DIR / "administrations.csv"
CACHE_DIR = "model"  # below release=<id>/
CACHE_FILE = "cases.parquet"
# The relations built (and persisted) per option set: prefix of the in-memory table -> parquet file.
MODEL_RELATIONS = {
    "cases": CACHE_FILE,
    "case_periods": "case_periods.parquet",
    "asylum_decisions": "asylum_decisions.parquet",
    "exclusions": "exclusions.parquet",  # the records left out of every statistic, by reason
}
CACHE_KEY_FILE = "key.json"
# Counts over the model every statistic reports (exclusions, marked cases), kept beside it by metrics/api.py.
MODEL_COUNTS_FILE = "counts.json"
# Row order of the persisted files (rows only; never a result), so a query reads the Parquet row groups it
# needs and skips the others by their min/max statistics: `cases` and `asylum_decisions` by fiscal year (a
# one-year query costs about a third of the CPU on a million cases), `case_periods` pending first, by end
# (pending at a date skips the periods that ended before it: about a fifth of the CPU). Constants, never
# from a release; sorting adds ~2.5 s of CPU (to ~7.5 s of writing) once per build of a million cases.
PERSIST_ORDER = {
    "cases": "fiscal_year NULLS LAST",
    "case_periods": "pending DESC, period_to NULLS FIRST",
    "asylum_decisions": "fiscal_year NULLS LAST",
}

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
        "CRIM_IND": "VARCHAR",
        "AGGRAVATE_FELON": "BOOLEAN",
        "_issues": "VARCHAR",
        "_repaired": "VARCHAR",
    },
    "tbl_Court_Appln": {
        "IDNPROCEEDINGAPPLN": "BIGINT",
        "IDNPROCEEDING": "BIGINT",
        "IDNCASE": "BIGINT",
        "APPL_CODE": "VARCHAR",
        "APPL_RECD_DATE": "DATE",
        "APPL_DEC": "VARCHAR",
        "_issues": "VARCHAR",
        "_repaired": "VARCHAR",
    },
    "tbl_RepsAssigned": {"IDNREPSASSIGNED": "BIGINT", "IDNCASE": "BIGINT", "STRATTYTYPE": "VARCHAR"},
    "B_TblProceedCharges": {
        "IDNPRCDCHG": "BIGINT",
        "IDNCASE": "BIGINT",
        "IDNPROCEEDING": "BIGINT",
        "CHARGE": "VARCHAR",
        "CHG_STATUS": "VARCHAR",
    },
}
# Columns whose defect (implausible, unparseable or missing cell) can change a case's outcome or its
# asylum decision: a case with such a row is marked in `cases.defect` / `cases.application_defect`.
INTEGRITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "B_TblProceeding": (
        "IDNCASE",
        "OSC_DATE",
        "INPUT_DATE",
        "COMP_DATE",
        "DEC_CODE",
        "OTHER_COMP",
        "CASE_TYPE",
    ),
    "tbl_Court_Appln": ("IDNCASE", "IDNPROCEEDING", "APPL_CODE", "APPL_RECD_DATE", "APPL_DEC"),
}
# Why a case is marked (045_integrity.sql); the metrics name them in every result's exclusions.
DEFECT_REASONS: dict[str, str] = {
    "quarantined_case": "a quarantined case row",
    "quarantined_proceeding": "a quarantined proceeding row",
    "implausible_proceeding": "an implausible proceeding date",
    "short_proceeding": "a proceeding row that ends early",
    "unparseable_proceeding": "an unparseable proceeding cell",
    "quarantined_application": "a quarantined application row",
    "implausible_application": "an implausible application date",
    "short_application": "an application row that ends early",
    "unparseable_application": "an unparseable application cell",
}
# The quarantined lines (ingest): table, reason and the IDNCASE read from the raw line (045_integrity.sql).
QUARANTINE_SOURCE = {"table": "VARCHAR", "reason": "VARCHAR", "idncase": "BIGINT"}
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
    "tblLookupCaseType": ("strCode", "strDescription", "blnActive"),
    "tblLookUp_Appln": ("strcode", "strdescription", "blnActive"),  # the valid asylum_codes
    "tbllookupCharges": (
        "idnCharges",
        "strCode",
        "strCodeDescription",
        "criminal_flag",
        "aggravate_felon",
        "blnActive",
    ),
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


def issue_condition(kinds: list[str], columns: tuple[str, ...]) -> str:
    """SQL true when a row's `_issues` (ingest's JSON list) has a cell of `columns` with a kind in `kinds`."""
    patterns = [
        "_issues LIKE " + quote_literal(f'%"column":"{column}","kind":"{kind}"%')
        for column in columns
        for kind in kinds
    ]
    return "(" + " OR ".join(patterns) + ")"


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


_APPL_CODE = re.compile(r"[A-Z0-9_]{1,16}")
MAX_ASYLUM_CODES = 64


def normalise_codes(codes: str) -> str:
    """'asyl, ASYW' -> 'ASYL,ASYW' (sorted, so equal sets give equal cache keys)."""
    parts = sorted({part.strip().upper() for part in str(codes).split(",") if part.strip()})
    if not parts:
        raise ModelError("option asylum_codes is empty; give APPL_CODE values such as ASYL,ASYW")
    odd = [part for part in parts if not _APPL_CODE.fullmatch(part)]
    if odd:
        raise ModelError(
            f"option asylum_codes: {', '.join(repr(p[:40]) for p in odd[:5])} is not an APPL_CODE "
            "(1-16 ASCII letters or digits, comma-separated, e.g. ASYL,ASYW)"
        )
    if len(parts) > MAX_ASYLUM_CODES:
        raise ModelError(f"option asylum_codes: {len(parts)} codes; at most {MAX_ASYLUM_CODES}")
    return ",".join(parts)


def options_key(options: Mapping[str, str]) -> str:
    """A short stable hash naming the tables built for one model option set."""
    text = json.dumps({k: options[k] for k in sorted(MODEL_OPTION_DEFAULTS)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def cases_table_name(options: Mapping[str, str] | None = None) -> str:
    """Name of the in-memory `cases` table for these model options (see build_cases)."""
    return model_table_name("cases", options)


def model_table_name(relation: str, options: Mapping[str, str] | None = None) -> str:
    """Name of one model relation (`cases`, `case_periods`, `asylum_decisions`) for these options."""
    if relation not in MODEL_RELATIONS:
        raise ModelError(f"unknown model relation {relation!r}; valid: {', '.join(MODEL_RELATIONS)}")
    return f"{relation}_{options_key(resolve_model_options(options))}"


def attach_release(con: duckdb.DuckDBPyConnection, *, release_dir: Path) -> None:
    """Create the `src_*` views the model reads over a release's parquet files."""
    files = {path.stem.casefold(): path for path in release_dir.glob("*.parquet")}
    lookups = {path.stem.casefold(): path for path in (release_dir / "lookup").glob("*.parquet")}
    quarantine = release_dir / QUARANTINE_FILE
    sources: list[tuple[str, Path | None, dict[str, str]]] = [
        *((table, files.get(table.casefold()), columns) for table, columns in CORE_SOURCES.items()),
        *(
            (table, lookups.get(table.casefold()), dict.fromkeys(columns, "VARCHAR"))
            for table, columns in LOOKUP_SOURCES.items()
        ),
        ("_quarantine", quarantine if quarantine.is_file() else None, QUARANTINE_SOURCE),
    ]
    # Every file's columns in one query (a new process opening a store pays for one, not one per file).
    paths = sorted({str(path) for _, path, _ in sources if path is not None})
    names: dict[str, list[str]] = {path: [] for path in paths}
    if paths and hasattr(con, "file_columns"):  # another engine's connection (immcourt.spark)
        names.update(con.file_columns(paths))
    elif paths:
        for file_name, name in _run(
            con,
            "SELECT file_name, name FROM parquet_schema(?) WHERE coalesce(num_children, 0) = 0",
            [paths],
        ):
            names.setdefault(file_name, []).append(name)
    statements = [
        _source_view(table, path, columns, names.get(str(path), []) if path is not None else [])
        for table, path, columns in sources
    ]
    _run(con, ";\n".join(statements))


def _source_view(table: str, path: Path | None, columns: dict[str, str], file_columns: list[str]) -> str:
    """The statement creating view `src_<table>` over `path` (None: an empty view) with `columns` typed:
    a column the file lacks is NULL, one of another type is cast (TRY_CAST)."""
    present = {name.casefold(): name for name in file_columns}
    select = []
    for column, sql_type in columns.items():
        actual = present.get(column.casefold())  # a name from the file's schema: quoted, never pasted
        expr = f"TRY_CAST({quote_ident(actual)} AS {sql_type})" if actual else f"CAST(NULL AS {sql_type})"
        select.append(f"{expr} AS {quote_ident(column)}")
    # A view stores its text, so the path cannot be a parameter here: quote_literal quotes it.
    source = f"read_parquet({quote_path(path)})" if path is not None else "(SELECT 1) AS empty WHERE false"
    view = quote_ident("src_" + table)
    return f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(select)} FROM {source}"


def _run(con: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> list[tuple]:
    # DuckDB 2 refuses new work while a result is unfinished, so every statement is read to the end.
    return con.execute(sql, parameters or []).fetchall()


@functools.cache
def _environment() -> jinja2.Environment:
    # One per process: it caches the parsed templates (a claim check renders the exclusion checks often).
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(SQL_DIR), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )


PD_VALUES = ("yes", "no")


def read_outcome_map(path: Path | None = None) -> list[dict[str, str]]:
    """The description -> outcome class map (model/outcome_map.csv), one dict per row with keys
    `description`, `outcome_class` and `prosecutorial_discretion` ('yes' when the description names a
    prosecutorial-discretion closure, else 'no').

    Raises ModelError naming the file, line and field when a row lacks a class or a yes/no flag.
    """
    source = path or OUTCOME_MAP
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        if not (row.get("description") or "").strip() or not (row.get("outcome_class") or "").strip():
            raise ModelError(f"{source.name} line {line}: description and outcome_class are required")
        if (row.get("prosecutorial_discretion") or "").strip() not in PD_VALUES:
            raise ModelError(
                f"{source.name} line {line}: prosecutorial_discretion must be yes or no, "
                f"got {row.get('prosecutorial_discretion')!r}"
            )
    return rows


def read_administrations() -> list[dict[str, str]]:
    """Administrations with first and last day in office (model/administrations.csv)."""
    with ADMINISTRATIONS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def render(template: str, **context: object) -> str:
    """Render one model SQL template."""
    return _environment().get_template(template).render(**context)


def build_cases(
    con: duckdb.DuckDBPyConnection,
    *,
    options: Mapping[str, str] | None = None,
    release_dir: Path | None = None,
    persist: bool = True,
) -> str:
    """Build (once per connection and option set) the model relations and return the `cases` name.

    The same build makes `case_periods_<key>`, `asylum_decisions_<key>` and `exclusions_<key>`
    (model_table_name).

    Needs the `src_*` views of attach_release. Raises UnknownDecisionDescription when a completion
    decodes to a description outcome_map.csv does not know. With `release_dir` (the folder attached),
    a table persisted by an earlier build is read instead (as a view over its parquet file), and a new
    build is persisted when the folder is writable and `persist` is true (the web server passes false: it
    never writes the store).
    """
    resolved = resolve_model_options(options)
    key = options_key(resolved)
    table = f"cases_{key}"
    if _relation_exists(con, table):
        return table
    if release_dir is None:
        _build_tables(con, resolved, key=key, table=table)
        return table
    identity = cache_key(release_dir, resolved)
    entry = _entry_folder(release_dir, identity)
    if not _load_cached(con, table, entry, repair=persist):
        _build_tables(con, resolved, key=key, table=table)
        if persist:
            _persist(con, table, entry, identity)
    return table


def drop_cases(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Free the model relations (tables, or views over their persisted copies) of the `cases` table
    named `table` (from build_cases): it and the `case_periods` and `asylum_decisions` of its key."""
    key = table.removeprefix("cases_")
    for relation in MODEL_RELATIONS:
        name = f"{relation}_{key}"
        if hasattr(con, "relation_kind"):  # another engine's connection (immcourt.spark)
            if con.relation_kind(name):
                _run(con, f"DROP VIEW IF EXISTS {quote_ident(name)}")
            continue
        kind = _run(
            con,
            "SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = ? "
            "UNION ALL SELECT 'VIEW' FROM duckdb_views() WHERE view_name = ?",
            [name, name],
        )
        if kind:
            _run(con, f"DROP {kind[0][0]} IF EXISTS {quote_ident(name)}")


def asylum_code_choices(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The APPL_CODE values a release knows (upper-cased): its tblLookUp_Appln codes and any code its
    tbl_Court_Appln uses. Needs the `src_*` views of attach_release."""
    rows = _run(
        con,
        'SELECT DISTINCT upper(trim("strcode")) FROM "src_tblLookUp_Appln" '
        'WHERE "strcode" IS NOT NULL UNION SELECT DISTINCT upper(trim("APPL_CODE")) '
        'FROM "src_tbl_Court_Appln" WHERE "APPL_CODE" IS NOT NULL',
    )
    return {str(code) for (code,) in rows if code}


def check_asylum_codes(codes: str, choices: set[str]) -> None:
    """ModelError naming every code of `codes` ('ASYL,ASYW') that is not in `choices`."""
    unknown = [code for code in codes.split(",") if code not in choices]
    if unknown:
        shown = ", ".join(sorted(choices)[:60]) + (" ..." if len(choices) > 60 else "")
        raise ModelError(
            f"option asylum_codes: {', '.join(repr(c) for c in unknown)} not an APPL_CODE of this release "
            f"(tblLookUp_Appln / tbl_Court_Appln); valid: {shown or 'none'}"
        )


def _build_tables(
    con: duckdb.DuckDBPyConnection, resolved: Mapping[str, str], *, key: str, table: str
) -> None:
    _load_outcome_map(con)
    context = {
        "options": resolved,
        "key": key,
        "cases_table": table,
        "periods_table": f"case_periods_{key}",
        "decisions_table": f"asylum_decisions_{key}",
        "exclusions_table": f"exclusions_{key}",
        "lookups": CODED_LOOKUPS,
        "administrations": read_administrations(),
        "issue": issue_condition,
        "reasons": {name: quote_literal(text) for name, text in DEFECT_REASONS.items()},
        "proceeding_columns": INTEGRITY_COLUMNS["B_TblProceeding"],
        "application_columns": INTEGRITY_COLUMNS["tbl_Court_Appln"],
        "columns_except": _columns_except(con),
    }
    # The codes are values: bound into a table the model SQL reads, never pasted into it.
    _run(con, f"CREATE OR REPLACE TEMP TABLE model_asylum_codes_{key} (code VARCHAR)")
    con.executemany(
        f"INSERT INTO model_asylum_codes_{key} VALUES (?)",
        [(c,) for c in resolved["asylum_codes"].split(",")],
    )
    for path in sorted(SQL_DIR.glob("[0-9]*.sql")):
        started = time.perf_counter()
        _run(con, render(path.name, **context))
        if path.name.startswith("010_"):
            _fail_on_unknown_descriptions(con)
        # Seconds per step, for bench/metrics.py (it listens to this logger at DEBUG level).
        log.debug("model step %s: %.3f s", path.name, time.perf_counter() - started)
    for step in ("model_proceedings", "model_asylum", "model_asylum_codes"):  # only `cases` is read later
        _run(con, f"DROP TABLE IF EXISTS {step}_{key}")


def _columns_except(con: duckdb.DuckDBPyConnection):  # noqa: ANN202 - a template helper
    """The template helper `columns_except(table, alias, skip)`: `alias.column` for every column of the
    built relation `table` but those of `skip`, comma-separated (what DuckDB writes `alias.* EXCLUDE (...)`;
    written out so Spark SQL reads the same text). Raises ModelError when `skip` names a column the
    relation lacks: a renamed column must not silently stay in (or out of) the relations built from it."""

    def columns_except(table: str, alias: str, skip: list[str]) -> str:
        names = [str(row[0]) for row in _run(con, f"DESCRIBE {quote_ident(table)}")]
        unknown = sorted(set(skip) - set(names))
        if unknown:
            raise ModelError(f"model SQL: {table} has no column(s) {', '.join(unknown)}")
        kept = [f"{alias}.{quote_ident(name)}" for name in names if name not in skip]
        return ",\n    ".join(kept)

    return columns_except


# -- the persisted case table -----------------------------------------------------------------------


def model_fingerprint() -> str:
    """A hash of everything that shapes the `cases` table besides the data and the options.

    Any edit to the model's SQL, its CSV maps, build.py or a new immcourt / DuckDB version gives a new
    fingerprint, hence a new cache entry: a code change never serves a table built by older code.
    """
    digest = hashlib.sha256(f"immcourt {__version__}; duckdb {duckdb.__version__}".encode())
    for path in _fingerprint_files():
        name = path.relative_to(SQL_DIR).as_posix() if path.is_relative_to(SQL_DIR) else path.name
        digest.update(f"\0{name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _fingerprint_files() -> list[Path]:
    return [*sorted(SQL_DIR.rglob("*.sql")), OUTCOME_MAP, ADMINISTRATIONS, Path(__file__)]


def cache_key(release_dir: Path, options: Mapping[str, str] | None = None) -> dict[str, object]:
    """What names one persisted `cases` table: release, its manifest, model options, model code."""
    resolved = resolve_model_options(options)
    manifest = release_dir / RELEASE_FILE
    text = manifest.read_bytes() if manifest.is_file() else None
    return {
        # The id from the manifest, not the folder name: a published release is a link to a version folder
        # whose name differs from `release=<id>`, and both paths must name the same entry.
        "release": json.loads(text)["id"] if text else release_dir.name.removeprefix(RELEASE_PREFIX),
        # A re-ingest of the same release id rewrites the manifest (ingested_at), so it gets a new key.
        "manifest_sha256": hashlib.sha256(text).hexdigest() if text else None,
        "options": {name: resolved[name] for name in sorted(MODEL_OPTION_DEFAULTS)},
        "model": model_fingerprint(),
    }


def cache_entry(release_dir: Path, options: Mapping[str, str] | None = None) -> Path:
    """The folder `release=<id>/model/<key>/` that holds (or would hold) the persisted table."""
    return _entry_folder(release_dir, cache_key(release_dir, options))


def _entry_folder(release_dir: Path, identity: Mapping[str, object]) -> Path:
    text = json.dumps(identity, sort_keys=True)
    return release_dir / CACHE_DIR / hashlib.sha256(text.encode()).hexdigest()[:16]


def _load_cached(con: duckdb.DuckDBPyConnection, table: str, entry: Path, *, repair: bool = True) -> bool:
    key = table.removeprefix("cases_")
    paths = {f"{relation}_{key}": entry / name for relation, name in MODEL_RELATIONS.items()}
    if not all(path.is_file() for path in paths.values()):
        return False
    # Views, not tables: copying a million rows into memory costs seconds, while the metrics read a
    # few columns per query, which DuckDB reads straight from the file about as fast.
    try:
        for name, path in paths.items():
            # No hive partitioning: the `release=<id>` folder in the path would add a `release` column.
            source = f"read_parquet({quote_path(path.resolve())}, hive_partitioning = false)"
            _run(con, f"CREATE OR REPLACE TEMP VIEW {quote_ident(name)} AS SELECT * FROM {source}")
    except duckdb.PermissionException as error:  # a locked-down connection that may not read it
        log.warning("model cache %s not readable here: %s", entry, error)
        return False
    except duckdb.Error as error:
        # An unreadable file (e.g. damaged on disk): drop it so the rebuild can persist a good one (not
        # when `repair` is false: the web server never deletes from the store).
        log.warning("ignoring unreadable model cache %s: %s", entry, error)
        if repair:
            shutil.rmtree(entry, ignore_errors=True)
        return False
    return True


def _persist(con: duckdb.DuckDBPyConnection, table: str, entry: Path, identity: Mapping[str, object]) -> None:
    """Write `table` to `entry` atomically; if that fails the in-memory table simply stays."""
    staging = entry.parent / f".tmp-{entry.name}-{threading.get_ident()}-{os.getpid()}"
    try:
        entry.parent.mkdir(exist_ok=True)
        remove_stale_staging(entry.parent)  # left by killed processes
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        _write_entry(con, table, staging, identity)
        staging.rename(entry)  # readers see the whole entry or none of it
    except (OSError, duckdb.IOException, duckdb.PermissionException) as error:
        # A read-only store, a full disk, or another process published the same entry first.
        shutil.rmtree(staging, ignore_errors=True)
        log.debug("model cache %s not written: %s", entry, error)


def _write_entry(
    con: duckdb.DuckDBPyConnection, table: str, folder: Path, identity: Mapping[str, object]
) -> None:
    key = table.removeprefix("cases_")
    for relation, name in MODEL_RELATIONS.items():
        target = quote_literal(folder / name)
        source = f"SELECT * FROM {quote_ident(f'{relation}_{key}')}"
        if relation in PERSIST_ORDER:
            source += f" ORDER BY {PERSIST_ORDER[relation]}"
        _run(con, f"COPY ({source}) TO {target} (FORMAT parquet, COMPRESSION zstd)")
    # For people inspecting the store: what the entry was built from (its folder name hashes this).
    text = json.dumps(identity, indent=2, sort_keys=True) + "\n"
    (folder / CACHE_KEY_FILE).write_text(text, encoding="utf-8")


def materialize(
    store_dir: str | Path, *, release: str | None = None, options: Mapping[str, str] | None = None
) -> Path | None:
    """Build and persist the `cases` table of one release (the newest by default) for `options`
    (the defaults by default), so the first statistic of every later process is fast.

    `store_dir` is a store or one `release=<id>` folder. Returns the cache entry folder, or None when
    the release folder is not writable. Does nothing but check when the entry exists already.
    """
    folder = _release_folder(Path(store_dir), release)
    # Memory capped, spilling to a temporary folder (limits.py: IMMCOURT_MEMORY_LIMIT, IMMCOURT_TEMP_DIR).
    con = batch_connection(batch_spill_dir(), memory_limit=batch_memory_limit())
    try:
        attach_release(con, release_dir=folder)
        build_cases(con, options=options, release_dir=folder)
    finally:
        con.close()
    entry = cache_entry(folder, options)
    return entry if (entry / CACHE_FILE).is_file() else None


def _release_folder(store_dir: Path, release: str | None) -> Path:
    if store_dir.name.startswith(RELEASE_PREFIX) and (store_dir / RELEASE_FILE).is_file():
        return store_dir
    if release is not None:
        folder = release_path(store_dir, release)
    else:
        latest = latest_release(store_dir)
        if latest is None:
            raise ModelError(f"store {store_dir} holds no release; run `immcourt ingest` first")
        folder = latest.path
    if not folder.is_dir():
        raise ModelError(f"release {release!r} is not in store {store_dir}")
    return folder


def _load_outcome_map(con: duckdb.DuckDBPyConnection) -> None:
    rows = read_outcome_map()
    _run(
        con,
        "CREATE OR REPLACE TEMP TABLE model_outcome_map_raw "
        "(description VARCHAR, outcome_class VARCHAR, prosecutorial_discretion BOOLEAN)",
    )
    con.executemany(
        "INSERT INTO model_outcome_map_raw VALUES (?, ?, ?)",
        [
            (row["description"], row["outcome_class"], row["prosecutorial_discretion"].strip() == "yes")
            for row in rows
        ],
    )


def _fail_on_unknown_descriptions(con: duckdb.DuckDBPyConnection) -> None:
    # One row per description and code; the codes are listed here (a portable query for both engines).
    found: dict[str, tuple[set[str], int]] = {}
    for description, code, n in _run(con, render("checks/unknown_descriptions.sql")):
        codes, total = found.get(str(description), (set(), 0))
        found[str(description)] = ({*codes, str(code)}, total + int(n))
    if found:
        raise UnknownDecisionDescription(
            [(d, ", ".join(sorted(codes)), n) for d, (codes, n) in sorted(found.items())]
        )


def _relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    # A built `cases` table, or a view over a persisted one.
    if hasattr(con, "relation_exists"):  # another engine's connection (immcourt.spark)
        return bool(con.relation_exists(name))
    found = _run(
        con,
        "SELECT count(*) FROM (SELECT table_name AS name FROM duckdb_tables() "
        "UNION ALL SELECT view_name FROM duckdb_views()) WHERE name = ?",
        [name],
    )
    return bool(found[0][0])


def decision_exclusions(con: duckdb.DuckDBPyConnection, *, decisions_table: str) -> dict[str, int]:
    """Decided ASYL applications the decision metrics leave out, by reason (only non-zero reasons)."""
    rows = _run(con, render("checks/decision_exclusions.sql", decisions_table=decisions_table))
    return {reason: int(count) for reason, count in rows if count}


def model_exclusions(con: duckdb.DuckDBPyConnection, *, cases_table: str) -> dict[str, int]:
    """Records left out of every statistic built on `cases_table`, by reason (only non-zero reasons):
    the `exclusions_<key>` relation built with it (sql/080_exclusions.sql)."""
    name = quote_ident("exclusions_" + cases_table.removeprefix("cases_"))
    rows = _run(con, f"SELECT reason, records FROM {name}")
    return {reason: int(count) for reason, count in rows if count}
