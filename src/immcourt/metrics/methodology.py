"""docs/METHODOLOGY.md, generated from the catalog, the options and the model's mapping tables."""

from __future__ import annotations

from collections import defaultdict

import jinja2

from immcourt.metrics.catalog import DIMENSIONS, METRICS, RULES
from immcourt.metrics.options import OPTIONS, resolve_options
from immcourt.model.build import OUTCOME_CLASSES, read_administrations, read_outcome_map


def methodology_markdown() -> str:
    """The methodology document; regenerate with `immcourt metrics --markdown > docs/METHODOLOGY.md`."""
    parts = [
        "# immcourt methodology\n",
        "Generated from `src/immcourt/metrics/catalog.py`, `metrics/options.py`, `model/*.csv` and "
        "`claims/methodology.md` by "
        "`immcourt metrics --markdown`; do not edit by hand. The rules follow `OUTCOMES.md` (shared/eoir). "
        "Every result carries the release it came from, the options used, the SQL run and the records "
        "excluded on the way.\n",
        _rules_section(),
        _metrics_section(),
        _options_section(),
        _dimensions_section(),
        _outcomes_section(),
        _administrations_section(),
        _periods_section(),
        _display_section(),
        _claims_section(),
    ]
    return "\n".join(parts)


def _claims_section() -> str:
    """The claim checker's reading rules, kept beside its code (claims/methodology.md, package data)."""
    from importlib.resources import files

    return files("immcourt.claims").joinpath("methodology.md").read_text(encoding="utf-8")


def _rules_section() -> str:
    lines = ["## Rules\n"]
    for title, text in RULES:
        lines += [f"### {title}\n", f"{text}\n"]
    return "\n".join(lines)


def _metrics_section() -> str:
    lines = ["## Metrics\n"]
    for metric in METRICS:
        lines.append(f"### `{metric.name}`\n")
        lines.append(f"{metric.description}\n")
        lines.append(f"- Unit: {metric.unit}; computed as: {metric.kind}; dated by: {_basis(metric.basis)}")
        population = _with_defaults(metric.population)
        lines.append(f"- Counts rows of `{metric.source}` where (default options): `{population}`")
        if metric.numerator:
            lines.append(f"- Numerator (default options): `{_with_defaults(metric.numerator)}`")
        lines.append(f"- Dimensions: {', '.join(metric.dimensions)}")
        lines.append(f"- Options: {', '.join(f'{o.name} (default {o.default})' for o in metric.options)}")
        lines.append(f"- Minimum n: {metric.min_n_rule}")
        for note in metric.notes:
            lines.append(f"- Note: {note}")
        lines.append("")
    return "\n".join(lines)


def _with_defaults(template: str) -> str:
    return " ".join(jinja2.Template(template).render(options=resolve_options()).split())


def _basis(basis: str) -> str:
    return {
        "completion": "completion date of the deciding proceeding",
        "receipt": "start date (first proceeding's OSC_DATE, else INPUT_DATE)",
        "pending": "the date `at`, or each period's end",
        "decision": "completion date of the application's proceeding",
    }[basis]


def _options_section() -> str:
    lines = ["## Options\n", "| option | default | values | meaning |", "|---|---|---|---|"]
    for option in OPTIONS:
        values = ", ".join(option.choices) if option.choices else option.kind
        lines.append(f"| `{option.name}` | `{option.default}` | {values} | {option.description} |")
    return "\n".join(lines) + "\n"


def _dimensions_section() -> str:
    lines = [
        "## Dimensions\n",
        "Filters (`where`) match a dimension's display name case-insensitively, or its code; a value "
        "matching neither is an error (see Rules).\n",
        "| dimension | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{d.name}` | {d.description} |" for d in DIMENSIONS]
    return "\n".join(lines) + "\n"


def _outcomes_section() -> str:
    by_class: dict[str, list[str]] = defaultdict(list)
    for row in read_outcome_map():
        by_class[row["outcome_class"]].append(row["description"])
    lines = [
        "## Outcome classes\n",
        "A completion's DEC_CODE is decoded with tblLookupCourtDecision rows of type C and OTHER_COMP with "
        "rows of type O, both for the proceeding's case type (active rows preferred); the description "
        "(compared case- and space-insensitively, dash variants normalised) maps to a class. "
        "An unknown description used by the release stops the build with its codes named.\n",
        "| class | descriptions |",
        "|---|---|",
    ]
    for name in (*OUTCOME_CLASSES, "not_final"):
        if name == "asylum_granted":
            described = "relief granted on a case with a granted ASYL application (APPL_DEC G, F, C, I, P, L)"
        else:
            described = ", ".join(by_class.get(name, []))
        lines.append(f"| `{name}` | {described} |")
    return "\n".join(lines) + "\n"


def _administrations_section() -> str:
    lines = ["## Administrations\n", "| administration | from | to |", "|---|---|---|"]
    for row in read_administrations():
        last = "" if row["last_day"].startswith("9999") else row["last_day"]
        lines.append(f"| {row['administration']} | {row['first_day']} | {last} |")
    return "\n".join(lines) + "\n"


def _periods_section() -> str:
    """The records-through and partial-period rule, from its one home (metrics/periods.py)."""
    from immcourt.metrics import periods

    body = (periods.__doc__ or "").split("\n", 1)[1].strip()
    return "## Records through and partial periods\n\n" + body + "\n"


def _display_section() -> str:
    """How numbers are written for people and in files, from its one home (metrics/display.py)."""
    from immcourt.metrics import display

    body = (display.__doc__ or "").split("\n", 1)[1].strip()
    return "## How numbers are written\n\n" + body + "\n"
