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
