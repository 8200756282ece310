"""The metric catalog: one declarative definition per statistic, and the dimensions they can be cut by.

A metric says which cases it counts (`population`, a SQL condition on the `cases` relation), what it
computes (`kind`: count, share of the population meeting `numerator`, median days, or pending), which
date places it in time (`basis`), the dimensions and options that apply, and the minimum-n rule.
Conditions are Jinja templates over the resolved options; compile.py turns a request into SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from immcourt.metrics.options import OPTIONS_BY_NAME, Option

TIME_DIMENSIONS = ("fiscal_year", "calendar_year", "month", "administration")


@dataclass(frozen=True)
class Dimension:
    """A way to cut a metric: `column` is the label shown; `code_column` (if any) also matches filters."""

    name: str
    description: str
    column: str
    code_column: str | None = None
    kind: str = "label"  # label | integer | boolean | flag (yes / no / unknown) | time
    # An option choosing among rules: the column read is `<column>_<option value>` (see column_for).
    rule_option: str | None = None

    def column_for(self, options: Mapping[str, object]) -> str:
        """The `cases` column this dimension reads under the resolved `options`."""
        if self.rule_option is None:
            return self.column
        return f"{self.column}_{options[self.rule_option]}"


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "fiscal_year",
        "Federal fiscal year (Oct 1 - Sep 30) of the metric's date.",
        "fiscal_year",
        kind="time",
    ),
    Dimension("calendar_year", "Calendar year of the metric's date.", "calendar_year", kind="time"),
    Dimension("month", "Month of the metric's date, 'YYYY-MM'.", "month", kind="time"),
    Dimension(
        "administration",
        "Presidential administration of the metric's date (option administration_by).",
        "administration",
        kind="time",
    ),
    Dimension("outcome", "Outcome class of the completed case (OUTCOMES.md section 3).", "outcome"),
    Dimension(
        "court", "Immigration court (base city) of the deciding proceeding.", "court_name", "court_code"
    ),
    Dimension(
        "hearing_location",
        "Hearing location of the deciding proceeding.",
        "hearing_location_name",
        "hearing_location_code",
    ),
    Dimension("nationality", "Nationality on the case (NAT).", "nationality_name", "nationality_code"),
    Dimension("language", "Language on the case (LANG).", "language_name", "language_code"),
    Dimension("judge", "Immigration judge (IJ_CODE) of the deciding proceeding.", "judge_name", "judge_code"),
    Dimension("case_type", "Case type (RMV removal, DEP deportation, EXC exclusion, ...).", "case_type"),
    Dimension(
        "custody",
        "Custody of the deciding proceeding (set as of its completion), decoded.",
        "custody",
        "custody_code",
    ),
    Dimension("asylum_type", "C_ASY_TYPE: affirmative (I), defensive (E), otherwise unknown.", "asylum_type"),
    Dimension("represented", "Represented (option representation).", "represented", kind="boolean"),
    Dimension(
        "in_absentia",
        "Decided in absentia (ABSENTIA = 'Y' on the deciding proceeding).",
        "in_absentia",
        kind="boolean",
    ),
    Dimension("asylum_case", "Has an application in asylum_codes.", "asylum_case", kind="boolean"),
    Dimension(
        "asylum_decision",
        "The case's last decided ASYL application: granted, denied or other.",
        "asylum_decision",
    ),
    Dimension(
        "criminal_charge",
        "Whether the case carries a criminal charge: yes, no or unknown, by the rule of option "
        "criminal_charge_rule (CRIM_IND of the deciding proceeding by default; any proceeding; or the "
        "charges' tbllookupCharges.criminal_flag). Unknown: CRIM_IND missing or not Y/N, or no charge "
        "row / a charge code missing from the lookup.",
        "criminal_charge",
        kind="flag",
        rule_option="criminal_charge_rule",
    ),
    Dimension(
        "aggravated_felony",
        "Whether the case involves an aggravated felony: yes, no or unknown, by the rule of option "
        "aggravated_felony_rule (the charges' tbllookupCharges.aggravate_felon by default; "
        "AGGRAVATE_FELON of the deciding proceeding; or of any proceeding).",
        "aggravated_felony",
        kind="flag",
        rule_option="aggravated_felony_rule",
    ),
    Dimension(
        "prosecutorial_discretion",
        "Whether the deciding completion is a prosecutorial-discretion closure: its decoded description "
        "is marked so in the outcome map (Prosecutorial Discretion - Terminated, Prosecutorial Discretion "
        "- Admin Close, In Court Prosecutorial Discretion - Admin Closure). Dismissals granted on a DHS "
        "motion are coded Dismissed by IJ and are not marked: the data does not say why DHS moved.",
        "prosecutorial_discretion",
        kind="boolean",
    ),
    Dimension(
        "decision",
        "The deciding completion's decoded description (DEC_CODE or OTHER_COMP in tblLookupCourtDecision), "
        "spelled as in the outcome map, e.g. Dismissed by IJ, Prosecutorial Discretion - Terminated.",
        "decision",
    ),
)
DIMENSIONS_BY_NAME = {dimension.name: dimension for dimension in DIMENSIONS}

CASE_DIMENSIONS = (
    "fiscal_year",
    "calendar_year",
    "month",
    "administration",
    "court",
    "hearing_location",
    "nationality",
    "language",
    "judge",
    "case_type",
    "custody",
    "asylum_type",
    "represented",
    "in_absentia",
    "asylum_case",
    "criminal_charge",
    "aggravated_felony",
)
COMPLETION_DIMENSIONS = (
    *CASE_DIMENSIONS,
    "outcome",
    "asylum_decision",
    "prosecutorial_discretion",
    "decision",
)

COMPLETED = "completion_date IS NOT NULL AND outcome IS NOT NULL"
ALLOWED_TO_REMAIN = (
    "('asylum_granted', 'relief_granted', 'terminated', 'dismissed', 'administratively_closed'"
    "{% if options.withholding_as == 'relief' %}, 'protection_under_removal_order'{% endif %})"
)
REMOVED = (
    "('removal_order', 'voluntary_departure'"
    "{% if options.withholding_as == 'removal' %}, 'protection_under_removal_order'{% endif %})"
)
SHARE_RULE = "cells whose denominator is below min_n (default 10) are hidden"


@dataclass(frozen=True)
class Metric:
    """One statistic, declared once; everything else (SQL, docs, CLI help) is derived from this."""

    name: str
    description: str
    unit: str
    kind: str  # count | share | median_days | pending
    basis: str  # completion | receipt | pending: which date gives the time dimensions and period
    population: str
    numerator: str | None = None
    dimensions: tuple[str, ...] = CASE_DIMENSIONS
    option_names: tuple[str, ...] = ()
    min_n_rule: str = "none (counts are shown whatever their size)"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def options(self) -> tuple[Option, ...]:
        """The options that change this metric (model options included), with their defaults."""
        model = ("deciding_proceeding", "admin_closure_as", "administration_by")
        # Every metric can be cut by criminal_charge and aggravated_felony, so their rules always apply.
        rules = ("criminal_charge_rule", "aggravated_felony_rule")
        names = dict.fromkeys((*model, *self.option_names, *rules))
        return tuple(OPTIONS_BY_NAME[name] for name in names)

    @property
    def min_n(self) -> str:
        return self.min_n_rule


METRICS: tuple[Metric, ...] = (
    Metric(
        "completions",
        "Completed cases: cases whose deciding proceeding has a final completion, by outcome "
        "class with dimension `outcome`.",
        "cases",
        "count",
        "completion",
        COMPLETED,
        dimensions=COMPLETION_DIMENSIONS,
        option_names=("withholding_as", "asylum_codes", "representation"),
    ),
    Metric(
        "allowed_to_remain_share",
        "Share of completed cases allowed to remain: asylum or other relief granted, "
        "terminated, dismissed, administratively closed, and (option withholding_as=relief) protection "
        "under a removal order. The denominator is all completions, including the class `other`.",
        "share",
        "share",
        "completion",
        COMPLETED,
        numerator=f"outcome IN {ALLOWED_TO_REMAIN}",
        dimensions=COMPLETION_DIMENSIONS,
        option_names=("withholding_as", "asylum_codes", "representation", "min_n"),
        min_n_rule=SHARE_RULE,
    ),
    Metric(
        "removed_share",
        "Share of completed cases ordered removed: removal orders plus voluntary departure (TRAC "
        "counts VD with removals), plus (option withholding_as=removal) protection under a removal order.",
        "share",
        "share",
        "completion",
        COMPLETED,
        numerator=f"outcome IN {REMOVED}",
        dimensions=COMPLETION_DIMENSIONS,
        option_names=("withholding_as", "asylum_codes", "representation", "min_n"),
        min_n_rule=SHARE_RULE,
    ),
    Metric(
        "closed_without_merits",
        "Cases closed without a decision on the merits: terminated plus dismissed, and "
        "(option include_admin_closure=yes) administratively closed.",
        "cases",
        "count",
        "completion",
        COMPLETED + " AND outcome IN ('terminated', 'dismissed'"
        "{% if options.include_admin_closure == 'yes' %}, 'administratively_closed'{% endif %})",
        dimensions=COMPLETION_DIMENSIONS,
        option_names=("include_admin_closure", "representation"),
    ),
    Metric(
        "new_cases",
        "New cases (receipts): cases by the start of their first proceeding (OSC_DATE, else "
        "INPUT_DATE); time dimensions refer to that date.",
        "cases",
        "count",
        "receipt",
        "start_date IS NOT NULL AND exclusion IS NULL",
        option_names=("asylum_codes", "representation"),
    ),
    Metric(
        "pending",
        "Pending cases at a date (parameter `at`, default the release date): started on or before it "
        "and with no final completion on or before it. By fiscal_year / calendar_year / month: pending at "
        "the end of each period.",
        "cases",
        "pending",
        "pending",
        "start_date IS NOT NULL AND exclusion IS NULL",
        dimensions=tuple(d for d in CASE_DIMENSIONS if d not in ("administration", "in_absentia")),
        option_names=("asylum_codes", "representation"),
        notes=(
            "A case counts as pending from its start to its final (case-level) completion, so the time "
            "between an earlier completion and a reopening counts as pending.",
        ),
    ),
    Metric(
        "asylum_decisions",
        "Asylum decisions: completed cases whose last decided ASYL application was granted "
        "(APPL_DEC G, F, C, I, P, L) or denied (D); dimension `asylum_decision`.",
        "decisions",
        "count",
        "completion",
        "completion_date IS NOT NULL AND asylum_decision IN ('granted', 'denied')",
        dimensions=COMPLETION_DIMENSIONS,
        option_names=("asylum_codes", "representation"),
    ),
    Metric(
        "asylum_grant_rate",
        "Asylum grant rate of completed cases' ASYL decisions. Convention (option grant_rate): "
        "trac = grants / (grants + denials); eoir = grants / (grants + denials + other).",
        "share",
        "share",
        "completion",
        "completion_date IS NOT NULL AND asylum_decision IN ('granted', 'denied'"
        "{% if options.grant_rate == 'eoir' %}, 'other'{% endif %})",
        numerator="asylum_decision = 'granted'",
        dimensions=COMPLETION_DIMENSIONS,
        option_names=(
            "grant_rate",
            "asylum_codes",
            "representation",
            "judge_min_decisions",
            "judge_year_min",
            "min_n",
        ),
        min_n_rule=SHARE_RULE
        + "; by judge: judges with fewer than judge_min_decisions (100) decisions in the "
        "window are hidden, and judge-years with fewer than judge_year_min (25)",
    ),
    Metric(
        "median_days_to_completion",
        "Median days from the start of the case (NTA/OSC date of the first "
        "proceeding, else its input date) to its completion, over completed cases.",
        "days",
        "median_days",
        "completion",
        COMPLETED + " AND start_date IS NOT NULL AND completion_date >= start_date",
        dimensions=COMPLETION_DIMENSIONS,
        option_names=("asylum_codes", "representation", "min_n"),
        min_n_rule="cells with fewer than min_n (default 10) completions are hidden",
    ),
    Metric(
        "in_absentia_share",
        "Share of removal orders issued in absentia (ABSENTIA = 'Y').",
        "share",
        "share",
        "completion",
        COMPLETED + " AND outcome = 'removal_order'",
        numerator="in_absentia",
        dimensions=CASE_DIMENSIONS,
        option_names=("asylum_codes", "representation", "min_n"),
        min_n_rule=SHARE_RULE,
    ),
    Metric(
        "represented_share",
        "Share of completed cases that were represented (option representation).",
        "share",
        "share",
        "completion",
        COMPLETED,
        numerator="represented",
        dimensions=COMPLETION_DIMENSIONS,
        option_names=("representation", "asylum_codes", "min_n"),
        min_n_rule=SHARE_RULE,
    ),
)
METRICS_BY_NAME = {metric.name: metric for metric in METRICS}
