"""The layout of a release: table names, their 2025 headers and column types, the lookup files."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from immcourt.ingest.schema import CORE_TABLES

TABLES = CORE_TABLES  # the release layout (ingest/schema.py)

LOOKUPS = (
    "tblLookupCourtDecision",
    "tblLookupCaseType",
    "tblLookupCourtAppDecisions",
    "tblLookUp_Appln",
    "tblLookupNationality",
    "tblLanguage",
    "tblLookupBaseCity",
    "tblLookupHloc",
    "tblLookupJudge",
    "tblLookupCustodyStatus",
    "tbllookupCharges",
)

# Folder names inside the release, as EOIR ships them.
CORE_FOLDER = "EOIR Case Data"
LOOKUP_FOLDER = "Lookup"
ENCODING = "cp1252"


def data_path(*parts: str):
    """A file of this package's data/ folder (a Traversable)."""
    node = resources.files("immcourt.sample").joinpath("data")
    for part in parts:
        node = node.joinpath(part)
    return node


@cache
def _headers() -> dict[str, list[list[str]]]:
    return json.loads(data_path("headers.json").read_text())


def columns(table: str) -> list[str]:
    """The 2025 header of `table`, in file order (from variable_types.csv)."""
    return [name for name, _ in _headers()[table]]


def column_types(table: str) -> dict[str, str]:
    """Column -> EOIR type class (Numeric, String, Date, Boolean)."""
    return dict((name, kind) for name, kind in _headers()[table])


def lookup_bytes(name: str) -> bytes:
    """The ready-to-ship bytes of one Lookup/ file."""
    return data_path("lookups", f"{name}.csv").read_bytes()


def lookup_rows(name: str) -> list[dict[str, str]]:
    """One lookup parsed into dicts (header row gives the keys)."""
    lines = lookup_bytes(name).decode(ENCODING).split("\r\n")
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line]
