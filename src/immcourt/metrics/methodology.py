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
        _charges_section(),
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


def _charges_section() -> str:
    rules = {o.name: o for o in OPTIONS}
    lines = [
        "## Criminal charges, aggravated felony, prosecutorial discretion\n",
        "OUTCOMES.md is silent on these; the choices below are immcourt's. The rule behind each number is "
        "an option, listed with every result.\n",
        f"- `criminal_charge` (option `criminal_charge_rule`, default "
        f"`{rules['criminal_charge_rule'].default}`): {rules['criminal_charge_rule'].description}",
        f"- `aggravated_felony` (option `aggravated_felony_rule`, default "
        f"`{rules['aggravated_felony_rule'].default}`): {rules['aggravated_felony_rule'].description}",
        "- Each rule answers yes, no or unknown. `any_proceeding` says no only when every proceeding of the "
        "case says N; `charges` says no only when the case has charge rows and every code is in "
        "tbllookupCharges with the flag off (codes compared case-insensitively with runs of spaces folded; "
        "active lookup rows preferred). CRIM_IND values other than Y/N (e.g. court codes shifted into the "
        "column) are unknown. "
        "CHG_STATUS is not used: a withdrawn or not-sustained charge still says what DHS charged.",
        "- Pending as of a date: `deciding_proceeding` reads the proceeding that decides the case on that "
        "date; `any_proceeding` and `charges` read every proceeding and charge of the case in the release.",
        "- A filter `criminal_charge=yes|no` (or `aggravated_felony`) leaves out the cases whose value is "
        "unknown; their count is reported among the result's exclusions. Filter `=unknown` to see them.",
        "- `prosecutorial_discretion`: the deciding completion's description carries the flag "
        "`prosecutorial_discretion` of `model/outcome_map.csv` (the same map that gives the outcome "
        "class, so an unknown description stops the build). Only descriptions that name prosecutorial "
        "discretion are flagged. Cases DHS moved to dismiss under the 2022 guidance to its attorneys are "
        "coded `Dismissed by IJ` (or `Terminated`), which the data does not distinguish from other "
        "dismissals: a count of PD closures is a lower bound of cases closed at DHS's discretion.",
        "- `decision`: the deciding completion's description, spelled as in the outcome map (dash and "
        "case variants of a release are folded), so filters written with a plain hyphen match.",
    ]
    return "\n".join(lines) + "\n"


def _outcomes_section() -> str:
    by_class: dict[str, list[str]] = defaultdict(list)
    for row in read_outcome_map():
        marked = " (PD)" if row["prosecutorial_discretion"] == "yes" else ""
        by_class[row["outcome_class"]].append(row["description"] + marked)
    lines = [
        "## Outcome classes\n",
        "A completion's DEC_CODE is decoded with tblLookupCourtDecision rows of type C and OTHER_COMP with "
        "rows of type O, both for the proceeding's case type (active rows preferred); the description "
        "(compared case- and space-insensitively, dash variants normalised) maps to a class. "
        "An unknown description used by the release stops the build with its codes named. "
        "(PD): the map flags the description as a prosecutorial-discretion closure.\n",
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
