"""docs/METHODOLOGY.md, generated from the catalog, the options and the model's mapping tables."""

from __future__ import annotations

from collections import defaultdict

import jinja2

from immcourt.ingest.checks import CODED_COLUMNS, FUTURE_ALLOWED_MARKERS, MIN_EVENT_DATE, ORDERED_DATES
from immcourt.ingest.repair import MAX_EXTRA
from immcourt.metrics.catalog import DIMENSIONS, METRICS, RULES
from immcourt.metrics.integrity import DEFECT_OPTION
from immcourt.metrics.options import OPTIONS, resolve_options
from immcourt.model.build import (
    DEFECT_REASONS,
    INTEGRITY_COLUMNS,
    OUTCOME_CLASSES,
    read_administrations,
    read_outcome_map,
)
from immcourt.reference import SHAPE_TOLERANCE, TOLERANCE, VALIDATION_DEFINITIONS


def methodology_markdown() -> str:
    """The methodology document; regenerate with `immcourt metrics --markdown > docs/METHODOLOGY.md`."""
    parts = [
        "# immcourt methodology\n",
        "Generated from `src/immcourt/metrics/catalog.py`, `metrics/options.py`, `model/*.csv` and "
        "`claims/methodology.md` by "
        "`immcourt metrics --markdown`; do not edit by hand. The rules follow `docs/OUTCOMES.md`. "
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
        _profiles_section(),
        _display_section(),
        _defects_section(),
        _validation_section(),
        _diff_section(),
        _claims_section(),
    ]
    return "\n".join(parts)


def _diff_section() -> str:
    """How two releases are compared (diff.py sits below the metrics layer in the flow: imported here)."""
    from immcourt.diff import methodology_markdown as diff_markdown

    return diff_markdown()


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


def _profiles_section() -> str:
    """Index tables, headlines, the judge beside court and nation, and the pseudo-judge rule, from their
    one home (metrics/profiles.py)."""
    from immcourt.metrics import profiles

    lines = [
        "## Profiles: index tables, headline numbers, judges beside their court and the nation\n",
        "- Index tables (web `/profile/court`, `/profile/nationality`, `/profile/judge`): for each court, "
        "nationality or judge under the page's filters and fiscal years, `completions`, `asylum_decisions` "
        "and `asylum_grant_rate` cut by it (each with its exclusions; the rate with its minimum-n rule, "
        "TRAC's judge rule for judges), the court with the most completed cases (a tie goes to the first "
        "name in the alphabet; the count of courts beside it) and the first and last fiscal year with a "
        "completed case. The filters narrow each other: each list offers the values the other filters "
        "leave, with their completed cases. Rank (judges only): by grant rate, highest first, among judges "
        "whose rate is "
        "shown; pseudo-judges (below) never get a rank and are listed apart, their asylum decisions counted "
        "among the index's exclusions.",
        "- Headline numbers: completed cases, the asylum grant rate and the allowed-to-remain share in the "
        "last complete fiscal year (or the page's last year when earlier), and cases pending on the "
        "records-through day; on a judge's page the rates cover the judge's first to last fiscal year with "
        "an asylum decision. A withheld headline says how many records it has and which option lowers the "
        "threshold.",
        "- A judge beside the court and the nation: the judge's asylum grant rate per fiscal year and over "
        "the window (the judge's first to last fiscal year with an asylum decision), beside the rate of the "
        "court where the judge decided the most asylum applications and of the whole nation over the same "
        "fiscal years. The court's and the nation's rates include the judge's own decisions. The judge's "
        "rates follow TRAC's judge thresholds (judge_min_decisions in the window, judge_year_min per year); "
        "the court's and the nation's follow min_n.\n",
        '### Pseudo-judges <a id="pseudo-judges"></a>\n',
        "EOIR's judge lookup (tblLookupJudge) holds codes that do not stand for one judge deciding his or "
        "her own docket. A judge is a pseudo-judge when its name (as the metrics show it: the lookup's "
        "JUDGE_NAME, else the IJ_CODE, else `unknown`) matches one of these patterns (case-insensitive, "
        "first match names the kind). Their numbers are shown and flagged on their pages but kept out of "
        "rankings: a rate pooled over several judges, or covering part of one judge's decisions, compared "
        "with whole judges would mislead. Inactive judges (`blnActive` 0) are former judges under their "
        "own code and stay in rankings.\n",
        "| kind | meaning | pattern |",
        "|---|---|---|",
    ]
    bar = "\\|"  # a | inside a table cell
    lines += [
        f"| {kind} | {meaning} | `{pattern.replace('|', bar)}` |"
        for kind, meaning, pattern in profiles.PSEUDO_JUDGE_RULES
    ]
    return "\n".join(lines) + "\n"


def _display_section() -> str:
    """How numbers are written for people and in files, from its one home (metrics/display.py)."""
    from immcourt.metrics import display

    body = (display.__doc__ or "").split("\n", 1)[1].strip()
    return "## How numbers are written\n\n" + body + "\n"


def _needed_columns_section() -> str:
    """Columns the statistics need, from their one home (ingest/columns.py, ingest/schema.py)."""
    from immcourt.ingest import columns
    from immcourt.ingest.schema import NEEDED_COLUMNS

    body = (columns.__doc__ or "").split("\n", 1)[1].strip()
    listed = "; ".join(f"{table}: {', '.join(names)}" for table, names in NEEDED_COLUMNS.items())
    return f"### Columns the statistics need\n\n{body}\n\nThe columns: {listed}.\n"


def _defects_section() -> str:
    """The rules of issue 9, from the constants that apply them (ingest/checks.py, ingest/repair.py,
    model/build.py)."""
    coded = ", ".join(f"{column} ({lookup}.{code})" for column, (lookup, code, _) in CODED_COLUMNS.items())
    ordered = "; ".join(
        f"{table}: {later} before {earlier}"
        for table, pairs in ORDERED_DATES.items()
        for later, earlier in pairs
    )
    future = ", ".join(FUTURE_ALLOWED_MARKERS)
    lines = [
        "## Defective releases\n",
        "### Plausible dates\n",
        f"- No event date before {MIN_EVENT_DATE.isoformat()} (EOIR writes 1900-01-01 as a placeholder).",
        "- No completion, filing, decision or any other recorded event after the release date (the date in "
        f"the release id). Columns whose name contains {future} are scheduled hearings or deadlines and may "
        "lie in the future.",
        f"- Within one row: {ordered} (the completion is the implausible cell).",
        "- An implausible date is set to NULL and listed in `_issues` (kind `implausible_date`, the date as "
        "raw), so the model never uses it. C_BIRTHDATE (`M/YYYY` text) is not a date column.\n",
        _needed_columns_section(),
        "### Coded cells\n",
        f"Checked against the release's own lookup (case- and space-insensitively): {coded}. "
        "An unknown value is kept as written and flagged (`unknown_code`); every number that reads the "
        "column (its outcome columns, an asylum number's application columns, the dimensions it is cut or "
        "filtered by) names the count in its exclusions.\n",
        "### Repairs\n",
        f"A row with 1 to {MAX_EXTRA} extra fields, a row with the right field count whose typed and coded "
        "cells fail from one point on (a stray tab and a lost last field), or a row that ends early is "
        "repaired only when exactly one candidate row makes every typed cell parse and every coded cell a "
        "code (text cells the candidates "
        "disagree on must look like what the column holds in other rows). A lone `,` after the last "
        "field is removed. A short line next to another short line is never loaded as a row that ends "
        "early (it may be a piece of a row split by a line break), and a complete row with the same key "
        "wins over a short one. Anything else is quarantined with its reason and, where it can be read, "
        "its IDNCASE.\n",
        "### Defective cases\n",
        "A case is marked when a line of its case, proceedings or applications was quarantined, or when one "
        "of these columns of its rows holds an implausible, unparseable or missing (row ended early) cell: "
        + "; ".join(f"{table}: {', '.join(columns)}" for table, columns in INTEGRITY_COLUMNS.items())
        + f". Option `{DEFECT_OPTION}` (default exclude) leaves marked cases out of every metric (and cases "
        "with a marked application out of the asylum metrics and of numbers cut by an asylum dimension); "
        f"`{DEFECT_OPTION}=include` counts them as loaded. Either way each result lists them by reason "
        "(release-wide counts):\n",
    ]
    lines += [f"- {reason}" for reason in DEFECT_REASONS.values()]
    lines.append(
        "\nDurations (`median_days_to_completion`) also name the completed cases whose completion is dated "
        "before the case starts.\n"
    )
    return "\n".join(lines)


def _validation_section() -> str:
    lines = [
        "## Validation against EOIR's published series\n",
        "`immcourt validate` (and `immcourt ingest`) compare a release with EOIR's own figures bundled in "
        "`reference/`: new cases, completions and pending by fiscal year (the edition nearest the release) "
        "and asylum grants and denials FY2018-FY2021 (each year's newest edition). A real release is flagged "
        f"when its completed proceedings differ from EOIR's total completions by more than ±{TOLERANCE:.0%} "
        "in a full fiscal year. A sample release is compared by shape: each year's share of the years "
        f"compared (differences over {SHAPE_TOLERANCE * 100:.0f} points are noted). Known differences:\n",
    ]
    lines += [f"- **{name}**: {text}" for name, text in VALIDATION_DEFINITIONS.items()]
    return "\n".join(lines) + "\n"
