"""Filter values checked against what a dimension can hold: a value that matches nothing is an error.

A `where` value matches a dimension when it equals (case-insensitively) one of its labels or codes:
the labels and codes found in the model relation the metric reads, the release lookup that names the
dimension's codes (`Dimension.lookup`), a closed vocabulary (`Dimension.values`) or the code -> label
pairs of `Dimension.code_labels`. A value matching none of them raises UnknownFilterValue naming the
dimension, the value and the closest valid values (difflib), instead of answering an empty table.
Time, yes/no and yes/no/unknown (flag) dimensions are checked by compile.py (format), not here.
"""

from __future__ import annotations

import dataclasses
import difflib

import duckdb

from immcourt.metrics.catalog import DIMENSIONS_BY_NAME, Dimension
from immcourt.metrics.compile import Request, dimension_expr
from immcourt.metrics.options import StatsError


class UnknownFilterValue(StatsError):
    """A `where` value that is neither a label nor a code of its dimension (HTTP 422 on the web)."""

    def __init__(self, dimension: str, value: object, suggestions: list[str], valid: list[str]):
        self.dimension, self.value, self.suggestions = dimension, value, suggestions
        if suggestions:
            hint = "did you mean " + " or ".join(suggestions) + "?"
        else:
            shown = ", ".join(valid[:12]) + (", ..." if len(valid) > 12 else "")
            hint = f"valid values include: {shown}" if valid else "this release has no value for it"
        super().__init__(f"{dimension}={value!r} matches no {dimension} name or code; {hint}")


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """Every label and code a dimension accepts, upper-cased -> the form shown to users."""

    shown: dict[str, str]
    # label (upper) -> codes (upper) it stands for, where the relation filters on the code
    codes_of: dict[str, frozenset[str]]
    # `LABEL (CODE)` forms (upper): accepted, but not listed among the suggestions
    aliases: frozenset[str] = frozenset()


def vocabulary(
    con: duckdb.DuckDBPyConnection, dimension: Dimension, tables: list[str], basis: str
) -> Vocabulary:
    """Labels and codes of `dimension` in `tables` (model relations) and in its release lookup.

    The metric's own relation and `cases` are both read, so a value is valid for every metric alike.
    """
    shown: dict[str, str] = {}
    codes_of: dict[str, set[str]] = {}
    aliases: set[str] = set()
    alias_of: dict[str, str] = {}

    def add(value: object) -> None:
        if value is not None and str(value).strip():
            shown.setdefault(str(value).strip().upper(), str(value).strip())

    for value in dimension.values:
        add(value)
    for code, label in dimension.code_labels:
        add(code)
        add(label)
    code_column = f", {dimension.code_column}" if dimension.code_column else ", NULL"
    for table in dict.fromkeys(tables):
        sql = f"SELECT DISTINCT {dimension_expr(dimension, basis)}{code_column} FROM {table}"
        for label, code in con.execute(sql).fetchall():
            add(label)
            add(code)
    if dimension.lookup is not None:
        lookup, code_col, label_col = dimension.lookup
        try:
            found = con.execute(f'SELECT "{code_col}", "{label_col}" FROM "src_{lookup}"').fetchall()
        except duckdb.Error:  # the release has no such lookup: the data's own values still count
            found = []
        for code, label in found:
            if code is None or not str(code).strip():
                continue
            add(code)
            add(label)
            if label is not None and str(label).strip():
                code_text = str(code).strip()
                codes_of.setdefault(str(label).strip().upper(), set()).add(code_text.upper())
                # `LABEL (CODE)`: how a label two codes share is shown (Request.shared_labels); any label
                # may be written so to pick one code.
                both = f"{str(label).strip()} ({code_text})"
                if both.upper() not in shown:
                    aliases.add(both.upper())
                    alias_of[both.upper()] = str(label).strip().upper()
                add(both)
                codes_of.setdefault(both.upper(), set()).add(code_text.upper())
    codes = {label: frozenset(found) for label, found in codes_of.items()}
    # `LABEL (CODE)` of a label two codes share is how the label is shown: listed like any other value
    shared = {alias for alias in aliases if len(codes.get(alias_of[alias], ())) > 1}
    return Vocabulary(shown, codes, frozenset(aliases - shared))


def resolve_filters(request: Request, vocabularies: dict[str, Vocabulary]) -> dict[str, tuple[object, ...]]:
    """The request's `where` with each value checked; a lookup label also brings in its code(s).

    `vocabularies` maps each filtered label dimension to its Vocabulary. Raises UnknownFilterValue.
    """
    resolved: dict[str, tuple[object, ...]] = {}
    for name, values in request.where.items():
        vocab = vocabularies.get(name)
        if vocab is None:
            resolved[name] = values
            continue
        out: list[object] = []
        for value in values:
            key = str(value).strip().upper()
            if key not in vocab.shown:
                listed = [name for name in vocab.shown if name not in vocab.aliases]
                candidates = sorted({vocab.shown[name] for name in listed}, key=str.upper)
                close = difflib.get_close_matches(key, list(vocab.shown), n=3, cutoff=0.6)
                raise UnknownFilterValue(name, value, [vocab.shown[c] for c in close], candidates)
            out.append(value)
            out.extend(sorted(vocab.codes_of.get(key, ())))
        resolved[name] = tuple(dict.fromkeys(out))
    return resolved


def ambiguous_filter_notes(request: Request, vocabularies: dict[str, Vocabulary]) -> list[str]:
    """A note for each `where` label that stands for several codes (two courts in one city, two judge codes
    with one name): every one of them is counted, and the note names them so a reader can pick one."""
    notes = []
    for name, values in request.where.items():
        vocab = vocabularies.get(name)
        if vocab is None:
            continue
        for value in values:
            codes = sorted(vocab.codes_of.get(str(value).strip().upper(), ()))
            if len(codes) > 1:
                label = vocab.shown.get(str(value).strip().upper(), str(value))
                shown = ", ".join(f"{label} ({code})" for code in codes)
                notes.append(
                    f"{name}={value} matches {len(codes)} codes, all counted together: {shown}; "
                    f"filter by one code (e.g. {name}={codes[0]}) to pick one"
                )
    return notes


def label_dimensions(request: Request) -> list[Dimension]:
    """The filtered dimensions whose values are labels or codes (the ones checked here)."""
    return [
        DIMENSIONS_BY_NAME[name]
        for name in request.where
        if DIMENSIONS_BY_NAME[name].kind not in ("boolean", "flag", "time")
    ]
