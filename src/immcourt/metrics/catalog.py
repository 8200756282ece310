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
from immcourt.model.build import OUTCOME_CLASSES

TIME_DIMENSIONS = ("fiscal_year", "calendar_year", "month", "administration")


@dataclass(frozen=True)
class Dimension:
    """A way to cut a metric: `column` is the label shown; `code_column` (if any) also matches filters.

    Filters match a label or a code (see metrics/filters.py): `code_labels` maps codes to labels for a
    dimension whose relation keeps only the label (asylum_type); `lookup` names the release lookup
    (table, code column, label column) that gives codes and labels; `values` is a closed vocabulary.
    """

    name: str
    description: str
    column: str
    code_column: str | None = None
    kind: str = "label"  # label | integer | boolean | flag (yes / no / unknown) | time
    code_labels: tuple[tuple[str, str], ...] = ()
    lookup: tuple[str, str, str] | None = None
    values: tuple[str, ...] = ()
    # An option choosing among rules: the column read is `<column>_<option value>` (see column_for).
    rule_option: str | None = None
    # A model option whose value decides which cases have this dimension's values (asylum_case by
    # asylum_codes, represented by representation): every metric cut or filtered by the dimension takes it.
    defined_by: str | None = None

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
    Dimension(
        "outcome",
        "Outcome class of the completed case (OUTCOMES.md section 3).",
        "outcome",
        values=OUTCOME_CLASSES,
    ),
    Dimension(
        "court",
        "Immigration court (base city) of the deciding proceeding (for pending: as of the date; for "
        "asylum decisions: of the decision's proceeding).",
        "court_name",
        "court_code",
        lookup=("tblLookupBaseCity", "BASE_CITY_CODE", "BASE_CITY"),
    ),
    Dimension(
        "hearing_location",
        "Hearing location of the deciding proceeding (as for court).",
        "hearing_location_name",
        "hearing_location_code",
        lookup=("tblLookupHloc", "HEARING_LOC_CODE", "HEARING_LOC_NAME"),
    ),
    Dimension(
        "nationality",
        "Nationality on the case (NAT).",
        "nationality_name",
        "nationality_code",
        lookup=("tblLookupNationality", "NAT_CODE", "NAT_NAME"),
    ),
    Dimension(
        "language",
        "Language on the case (LANG).",
        "language_name",
        "language_code",
        lookup=("tblLanguage", "strCode", "strDescription"),
    ),
    Dimension(
        "judge",
        "Immigration judge (IJ_CODE) of the deciding proceeding (as for court).",
        "judge_name",
        "judge_code",
        lookup=("tblLookupJudge", "JUDGE_CODE", "JUDGE_NAME"),
    ),
    Dimension(
        "case_type",
        "Case type code (RMV removal, DEP deportation, EXC exclusion, ...); filters also take the "
        "tblLookupCaseType description.",
        "case_type",
        lookup=("tblLookupCaseType", "strCode", "strDescription"),
    ),
    Dimension(
        "custody",
        "Custody of the deciding proceeding (set as of its completion), decoded.",
        "custody",
        "custody_code",
        lookup=("tblLookupCustodyStatus", "strCode", "strDescription"),
    ),
    Dimension(
        "asylum_type",
        "C_ASY_TYPE: affirmative (I), defensive (E), otherwise unknown.",
        "asylum_type",
        code_labels=(("I", "affirmative"), ("E", "defensive")),
        values=("affirmative", "defensive", "unknown"),
    ),
    Dimension(
        "represented",
        "Represented (option representation).",
        "represented",
        kind="boolean",
        defined_by="representation",
    ),
    Dimension(
        "in_absentia",
        "Decided in absentia (ABSENTIA = 'Y' on the deciding proceeding).",
        "in_absentia",
        kind="boolean",
    ),
    Dimension(
        "asylum_case",
        "Has an application in asylum_codes.",
        "asylum_case",
        kind="boolean",
        defined_by="asylum_codes",
    ),
    Dimension(
        "asylum_decision",
        "For asylum_decisions and asylum_grant_rate: the decision on each ASYL application (granted, "
        "denied, other). For case metrics: the case's last decided ASYL application.",
        "asylum_decision",
        values=("granted", "denied", "other"),
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
# Asylum decisions are applications, not cases: no case outcome to cut them by.
DECISION_DIMENSIONS = (*CASE_DIMENSIONS, "asylum_decision")

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
    basis: str  # completion | receipt | pending | decision: which date gives the time dimensions and period
    population: str
    numerator: str | None = None
    dimensions: tuple[str, ...] = CASE_DIMENSIONS
    option_names: tuple[str, ...] = ()
    min_n_rule: str = "none (counts are shown whatever their size)"
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The model relation it reads: cases (one row per case), case_periods (a case's states as
    # intervals) or asylum_decisions (one row per decided ASYL application); see model/README.md.
    source: str = "cases"

    @property
    def options(self) -> tuple[Option, ...]:
        """The options that change this metric (model options included), with their defaults."""
        model = ("deciding_proceeding", "admin_closure_as", "administration_by", "defective_cases")
        # Every metric can be cut by criminal_charge and aggravated_felony, so their rules always apply.
        rules = ("criminal_charge_rule", "aggravated_felony_rule")
        # A dimension defined by an option (asylum_case by asylum_codes): the metric takes that option too,
        # or a cut by the dimension would silently use the option's default.
        defining = (DIMENSIONS_BY_NAME[name].defined_by for name in self.dimensions)
        names = dict.fromkeys((*model, *self.option_names, *rules, *(o for o in defining if o)))
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
        "and with no final completion on or before it, OUTCOMES.md section 5 evaluated as of that date "
        "(a reopening re-enters the count). By fiscal_year / calendar_year / month: pending at the end "
        "of each period.",
        "cases",
        "pending",
        "pending",
        "pending",
        dimensions=tuple(d for d in CASE_DIMENSIONS if d not in ("administration", "in_absentia")),
        option_names=("asylum_codes", "representation"),
        notes=(
            "Read from case_periods: court, hearing location, judge, custody and case type are those of "
            "the deciding proceeding as of the date; represented (e28) means an EOIR-28 on or before it.",
        ),
        source="case_periods",
    ),
    Metric(
        "asylum_decisions",
        "Asylum decisions: every ASYL application granted (APPL_DEC G, F, C, I, P, L) or denied (D), "
        "whatever its case became later, dated by the completion of its proceeding; dimension "
        "`asylum_decision`.",
        "decisions",
        "count",
        "decision",
        "decision_date IS NOT NULL AND asylum_decision IN ('granted', 'denied')",
        dimensions=DECISION_DIMENSIONS,
        option_names=("asylum_codes", "representation"),
        source="asylum_decisions",
    ),
    Metric(
        "asylum_grant_rate",
        "Asylum grant rate of ASYL application decisions (see asylum_decisions). Convention (option "
        "grant_rate): trac = grants / (grants + denials); eoir = grants / (grants + denials + other), "
        "other being abandoned (A), withdrawn (W) and other (O) ASYL applications.",
        "share",
        "share",
        "decision",
        "decision_date IS NOT NULL AND asylum_decision IN ('granted', 'denied'"
        "{% if options.grant_rate == 'eoir' %}, 'other'{% endif %})",
        numerator="asylum_decision = 'granted'",
        dimensions=DECISION_DIMENSIONS,
        source="asylum_decisions",
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

# Rules where OUTCOMES.md is silent or needs reading; docs/METHODOLOGY.md prints them (methodology.py).
RULES: tuple[tuple[str, str], ...] = (
    (
        "Pending as of a date",
        "OUTCOMES.md section 5 is evaluated as of the date t over the proceedings that exist on t: the "
        "first proceeding (lowest IDNPROCEEDING) exists from the case's start (its OSC_DATE, else "
        "INPUT_DATE), any later one from its INPUT_DATE (else OSC_DATE), never before the case's start. "
        "A proceeding completed after t is open on t; not_final completions (change of venue, transfer, "
        "to the BIA) are skipped while another proceeding exists. The case is pending on t when its "
        "deciding proceeding as of t is open, or administratively closed under admin_closure_as=pending, "
        "or when only not_final proceedings exist; a final completion (or one whose letter is not in "
        "the lookup) ends it, and a reopening, remand or recalendaring re-enters the count from the new "
        "proceeding's INPUT_DATE. The model stores these states once per case as intervals "
        "(`case_periods`), so pending at a date is one range filter and every series one running sum. "
        "For pending, court, hearing location, judge, custody and case type are those of the deciding "
        "proceeding as of t, and represented (option representation=e28) means an EOIR-28 on or before t.",
    ),
    (
        "Asylum decisions",
        "Every ASYL application decided G, F, C, I, P or L (granted) or D (denied) is one decision, "
        "whatever its case became later (a grant before a remand and the denial after it are two "
        "decisions; a denial in a case reopened since still counts). EOIR's 'other' (option "
        "grant_rate=eoir) is every other decided ASYL application: A abandoned, W withdrawn, O other. "
        "M 'not adjudicated' is left out: EOIR uses it to close an application as moot when several "
        "were filed, so counting it would count one claim twice; S admin closure (EOIR reports "
        "administrative closures in a column of their own), R reserved and T change of venue/transfer "
        "(the application goes on in the next proceeding) are not decisions either. ASYW and WCAT "
        "applications only make a case an asylum case (option asylum_codes). A decision is dated by "
        "the completion date (COMP_DATE) of the proceeding it belongs to, the day the judge ruled; an "
        "application whose proceeding has no completion date is undated, left out and counted in the "
        "result's exclusions. The case's final completion date was considered as a second dating and "
        "rejected: it would drop every decision in a case that was reopened and is pending, and move "
        "decisions years away from the ruling. Court, judge, hearing location, custody, case type and "
        "in absentia are those of the decision's proceeding; judge thresholds (judge_min_decisions, "
        "judge_year_min) count decisions. The case-level dimension asylum_decision (the case's last "
        "decided ASYL application) remains for cutting completions.",
    ),
    (
        "Complete series",
        "A result cut by a time dimension lists every period from the first to the last asked "
        "(fiscal_years, date_from/date_to, administration) or, where not asked, found in the data, for "
        "every group of the other dimensions found in the data. Flows show a count of 0 in a period "
        "without a record (shares and medians: no value, n = 0, so the minimum-n rule hides them when "
        "min_n > 0); pending carries its count and runs from the first period in which a case of the "
        "group was pending to the period holding the release date. A filter on the series' own time "
        "dimension keeps only the periods named. Cells are hidden only by the minimum-n rules.",
    ),
    (
        "Filter matching",
        "A filter value matches a dimension's label as shown (case-insensitively, 'unknown' included) "
        "or its code: the codes and labels in the data, in the release lookup that names the codes "
        "(court, hearing location, judge, nationality, language, custody, case type: e.g. RMV or "
        "'Removal'), and the fixed codes of asylum_type (I affirmative, E defensive). A value that "
        "matches none of them is an error naming the dimension, the value and the closest valid values "
        "(Python API: UnknownFilterValue; CLI: exit code 2; web: HTTP 422 from /api/stats and the "
        "downloads, a 404 page naming the closest values from the pages: /explore, the overview and the "
        "profiles), never an empty table. A "
        "value that exists but has no record in the selection is a real zero. An empty value is an error "
        "too (API, CLI and web alike).",
    ),
    (
        "Groups are codes, labels tell them apart",
        "Court, hearing location, judge, nationality and language groups are by code, never merged by "
        "label. A label two or more codes share in the release (its lookup or the data) is shown with the "
        "code, `MIAMI (KRO)` and `MIAMI (MIA)`, `NOEL E. BRANDALE (IJ1)`; a label only one code has is shown "
        "as it is. A filter by a shared label (`court=MIAMI`) matches every code that has it, and the "
        "result's notes say so, naming each (`court=MIAMI matches 2 codes, all counted together: MIAMI "
        "(KRO), MIAMI (MIA)`); filter by the code (`court=KRO`) or by `MIAMI (KRO)` to pick one.",
    ),
    (
        "Every dimension partitions its metric",
        "The groups of any one dimension add up to the total without it: a case whose value is unknown is "
        "in an `unknown` group (null for a yes/no one), never dropped. Under defective_cases=exclude a "
        "case with a defective application row (quarantined, short, implausible or unparseable) is kept in "
        "the case metrics (completions, new cases, pending, shares) with asylum_case and asylum_decision "
        "unknown; the exclusions count such cases by reason ('cases counted with asylum_case unknown: ...'). "
        "Only the asylum metrics, which read the applications themselves, leave them out. A yes/no filter "
        "on asylum_case leaves the unknown ones out (filter asylum_case=unknown to see them).",
    ),
    (
        "Judge rules apply whenever a judge is named",
        "judge_min_decisions and judge_year_min hide an asylum grant rate whenever a judge is named: cut by "
        "judge (each judge's decisions in the selection) or filtered by one (`judge=CLR`: the named judge's "
        "decisions in the selection; with several judges named, a cell is hidden when any of them falls "
        "short). By a period, a cell with fewer than judge_year_min decisions is hidden. min_n applies too.",
    ),
    (
        "Periods the release does not cover",
        "The release covers days up to its records-through day (the release date minus one). A period that "
        "starts after it (`--fy 2030`, `at` after the release date) is an error naming the last day: a "
        "count would be 0 for lack of records, not because nothing happened. A period that ends after it "
        "is answered with a note in the result (`records through 2026-10-31; FY2027 is partial: 1 of 12 "
        "months`; fiscal years that begin after it are named as having no records). A period or filter "
        "that the metric would ignore is an error: date_from after date_to, two ways of naming pending's "
        "day (at with fiscal_years or date_to), date_from or administration for pending on one day, at for "
        "pending by period, an empty filter value. An option of another metric is an error in the CLI and "
        "on the web; the Python API, whose callers pass one option set to several metrics, answers with a "
        "note naming it ('option grant_rate does not apply to completions: not used').",
    ),
    (
        "Exclusions",
        "A result lists what the metric reads only: quarantined rows of A_TblCase and B_TblProceeding "
        "always, of tbl_Court_Appln for the asylum metrics and application dimensions, of tbl_RepsAssigned "
        "for represented under representation=reps_table, of B_TblProceedCharges for criminal_charge or "
        "aggravated_felony under their charges rule. Rows and cases are counted apart (`quarantined rows "
        "(table)` are lines, `cases left out: ...` are cases); each case is counted once, under its first "
        "reason: a case all of whose proceeding lines were quarantined is counted as 'a quarantined "
        "proceeding row', not again among the cases without any proceeding.",
    ),
)
