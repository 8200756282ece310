"""What a defect of the release does to a number (issue 9): which cases the metrics leave out (option
`defective_cases`) and the exclusions every Result lists for them.

The model marks a case (`cases.defect`, `cases.application_defect`, model/sql/045_integrity.sql) when a row
among its proceedings or applications was quarantined, ends early, or holds an implausible or unparseable
cell the outcome depends on. By default such cases are left out of every metric (and, for the asylum
metrics, cases with a defective application too); `defective_cases=include` puts them back. Either way the
Result names them by reason, with the coded cells the number reads whose code is not in the release's
lookup (kept as written) and, for durations, the completions dated before their case starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

from immcourt.model.build import DEFECT_REASONS
from immcourt.sqlsafe import quote_ident

if TYPE_CHECKING:
    from immcourt.metrics.compile import Request

DEFECT_OPTION = "defective_cases"
ASYLUM_METRICS = frozenset({"asylum_decisions", "asylum_grant_rate"})
APPLICATION_DIMENSIONS = frozenset({"asylum_case", "asylum_decision"})

# Coded columns every case-level number reads (they decide the outcome and pending state), by table.
OUTCOME_COLUMNS = {"B_TblProceeding": ("DEC_CODE", "OTHER_COMP", "CASE_TYPE"), "A_TblCase": ("CASE_TYPE",)}
APPLICATION_COLUMNS = {"tbl_Court_Appln": ("APPL_CODE", "APPL_DEC")}
# Coded columns read by a dimension (as `by` or `where`).
DIMENSION_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "nationality": {"A_TblCase": ("NAT",)},
    "language": {"A_TblCase": ("LANG",)},
    "court": {"B_TblProceeding": ("BASE_CITY_CODE",)},
    "hearing_location": {"B_TblProceeding": ("HEARING_LOC_CODE",)},
    "judge": {"B_TblProceeding": ("IJ_CODE",)},
    "custody": {"B_TblProceeding": ("CUSTODY",)},
}


def reads_applications(request: Request) -> bool:
    """Whether the number depends on tbl_Court_Appln (asylum metrics, or an asylum dimension used)."""
    used = {*request.by, *request.where}
    return request.metric.name in ASYLUM_METRICS or bool(used & APPLICATION_DIMENSIONS)


def application_guarded(column: str) -> str:
    """SQL: an application column (asylum_case, asylum_decision) that is NULL (shown `unknown`) for a case
    whose application rows are defective: what the case's applications say cannot be trusted, but the
    case itself is still counted (so the groups of the dimension add up to the total)."""
    return f"(CASE WHEN application_defect IS NULL THEN {column} END)"


def defect_filters(request: Request) -> list[str]:
    """SQL conditions on `cases` that leave the defective cases out (none under defective_cases=include).

    Cases with a defective application row are left out of the asylum metrics only; a case metric cut or
    filtered by an application dimension keeps them with that dimension unknown (application_guarded)."""
    if request.options.get(DEFECT_OPTION, "exclude") == "include":
        return []
    filters = ["defect IS NULL"]
    if request.metric.name in ASYLUM_METRICS:
        filters.append("application_defect IS NULL")
    return filters


def tables_read(request: Request) -> set[str]:
    """The release tables the number reads: A_TblCase and B_TblProceeding always; tbl_Court_Appln for the
    asylum metrics and application dimensions; tbl_RepsAssigned for represented under
    representation=reps_table; B_TblProceedCharges for criminal_charge / aggravated_felony under their
    `charges` rule. Quarantined rows of other tables cannot change it and are not listed with it."""
    used = {*request.by, *request.where}
    tables = {"A_TblCase", "B_TblProceeding"}
    if reads_applications(request):
        tables.add("tbl_Court_Appln")
    represented = "represented" in used or request.metric.name == "represented_share"
    if represented and request.options.get("representation") == "reps_table":
        tables.add("tbl_RepsAssigned")
    for name in ("criminal_charge", "aggravated_felony"):
        if name in used and request.options.get(f"{name}_rule") == "charges":
            tables.add("B_TblProceedCharges")
    return tables


def columns_read(request: Request) -> dict[str, set[str]]:
    """Table → the coded columns (with a lookup) the number reads."""
    read: dict[str, set[str]] = {}
    groups = [OUTCOME_COLUMNS]
    if reads_applications(request):
        groups.append(APPLICATION_COLUMNS)
    groups += [DIMENSION_COLUMNS[name] for name in {*request.by, *request.where} if name in DIMENSION_COLUMNS]
    for group in groups:
        for table, columns in group.items():
            read.setdefault(table, set()).update(columns)
    return read


def defect_counts(con: duckdb.DuckDBPyConnection, cases_table: str) -> dict[str, dict[str, int]]:
    """Per scope ('case', 'application'), the marked cases by (first) reason: those of `cases_table`, and
    the cases a quarantined line names that are not in it at all (every proceeding quarantined)."""
    rows = con.execute(
        f"SELECT defect, application_defect, count(*) FROM {quote_ident(cases_table)} "
        "WHERE defect IS NOT NULL OR application_defect IS NOT NULL GROUP BY defect, application_defect"
    ).fetchall()
    rows += con.execute(
        "SELECT CASE q.\"table\" WHEN 'A_TblCase' THEN ? ELSE ? END, NULL, count(DISTINCT q.idncase) "
        "FROM src__quarantine AS q "
        f"WHERE q.idncase IS NOT NULL AND q.\"table\" IN ('A_TblCase', 'B_TblProceeding') "
        f"AND NOT EXISTS (SELECT 1 FROM {quote_ident(cases_table)} AS c WHERE c.idncase = q.idncase) "
        "GROUP BY 1",
        [DEFECT_REASONS["quarantined_case"], DEFECT_REASONS["quarantined_proceeding"]],
    ).fetchall()
    counts: dict[str, dict[str, int]] = {"case": {}, "application": {}}
    for defect, application_defect, n in rows:
        if defect is not None:
            counts["case"][defect] = counts["case"].get(defect, 0) + int(n)
        elif application_defect is not None:
            counts["application"][application_defect] = counts["application"].get(
                application_defect, 0
            ) + int(n)
    return counts


def negative_durations(con: duckdb.DuckDBPyConnection, cases_table: str) -> int:
    """Completed cases whose completion is dated before their start (left out of durations)."""
    rows = con.execute(
        f"SELECT count(*) FROM {quote_ident(cases_table)} "
        "WHERE outcome IS NOT NULL AND completion_date < start_date"
    ).fetchall()
    return int(rows[0][0])


def integrity_exclusions(
    request: Request,
    *,
    defects: dict[str, dict[str, int]],
    reconciliation: dict[str, Any],
    negative: int,
) -> dict[str, int]:
    """The exclusions a Result adds for defects, by reason (only non-zero ones).

    `defects` is defect_counts() of the cases table, `reconciliation` the manifest's per-table
    reconciliation (its `flagged` counts), `negative` negative_durations() of the cases table."""
    found: dict[str, int] = {}
    include = request.options.get(DEFECT_OPTION, "exclude") == "include"
    scopes = ["case", "application"] if reads_applications(request) else ["case"]
    for scope in scopes:
        for reason, n in sorted(defects.get(scope, {}).items()):
            if include:
                found[f"cases kept though they have {reason} ({DEFECT_OPTION}=include)"] = n
            elif scope == "application" and request.metric.name not in ASYLUM_METRICS:
                used = ", ".join(sorted({*request.by, *request.where} & APPLICATION_DIMENSIONS))
                found[f"cases counted with {used} unknown: {reason}"] = n
            else:
                found[f"cases left out: {reason}"] = n
    for table, columns in sorted(columns_read(request).items()):
        flagged = (reconciliation.get(table) or {}).get("flagged") or {}
        for column in sorted(columns):
            n = int(flagged.get(f"unknown_code:{column}", 0))
            if n:
                found[
                    f"{table}.{column} cells whose code is not in the release's lookup (kept as written)"
                ] = n
    if request.metric.kind == "median_days" and negative:
        found["completed cases left out of durations: completion dated before the case starts"] = negative
    return found
