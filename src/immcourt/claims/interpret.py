"""Turn a claim into candidate readings in the metric catalog, run them, and say which ones match.

A *concept* (what the number counts) comes from a subject lexicon; a *reading* is one concrete question to the
API: metric × population × period × options. Readings marked ``natural`` are how a careful reader would take
the sentence; the others are the alternative definitions a reporter might have used.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from immcourt.claims.extract import Claim, TimeRef, tidy_subject

MAX_READINGS = 8
REMAIN_CLASSES = (
    "asylum_granted",
    "relief_granted",
    "protection_under_removal_order",
    "terminated",
    "dismissed",
    "administratively_closed",
)
ADMIN_START = {
    "Obama": date(2009, 1, 20),
    "Trump I": date(2017, 1, 20),
    "Biden": date(2021, 1, 20),
    "Trump II": date(2025, 1, 20),
}


# --------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Concept:
    """What a claim counts. ``source`` is set for subjects immigration-court data cannot check."""

    name: str
    pattern: re.Pattern[str]
    source: str | None = None
    subject_only: bool = False  # only when the noun right after the number names it ("734 judges")
    what: str = ""  # how a verdict names what the court data do not measure


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")", re.I)


# Order is priority: the first concept whose phrase occurs in the subject wins; specific phrases come first.
CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "encounters",
        _words(
            r"encounters?",
            r"apprehensions?",
            r"border\s+crossings?",
            r"crossed\s+the\s+border",
            r"border\s+arrests?",
        ),
        "CBP Nationwide Encounters (U.S. Customs and Border Protection)",
        what="border encounters",
    ),
    Concept(
        "gotaways",
        _words(r"got-?aways?", r"gotaways?", r"evaded\s+(?:capture|agents)", r"evasions?"),
        "CBP / DHS estimates of known gotaways",
        what="gotaways (people who evaded capture)",
    ),
    Concept(
        "population",
        _words(
            r"foreign-born",
            r"immigrant\s+population",
            r"population",
            r"residents?\b",
            r"live\s+in\s+the",
            r"unauthorized\s+immigrants\s+living",
        ),
        "Census Bureau American Community Survey (ACS)",
        what="population counts",
    ),
    Concept(
        "poll",
        _words(
            r"voters?",
            r"poll",
            r"respondents?",
            r"surveyed",
            r"survey",
            r"americans\s+(?:say|believe|think)",
            r"adults\s+(?:say|believe|think|want)",
            r"approv",
            r"believe\b",
        ),
        "the pollster that ran the survey",
        what="public opinion",
    ),
    Concept(
        "money",
        _words(r"dollars?", r"budget", r"spending", r"spent", r"funding", r"cost", r"\$"),
        "agency budget and appropriations documents",
        what="money spent or budgeted",
    ),
    Concept(
        "ice_enforcement",
        _words(
            r"ice\s+(?:arrests?|detention|removals?|deported)",
            r"detention\s+beds?",
            r"in\s+(?:ice\s+)?detention",
            r"arrested\s+by\s+ice",
            r"deportation\s+flights?",
        ),
        "ICE Enforcement and Removal Operations statistics",
        what="ICE arrests, detention or removals carried out",
    ),
    Concept(
        "appeals",
        _words(r"appeal(?:ed|s)?\b", r"board\s+of\s+immigration\s+appeals"),
        "EOIR Board of Immigration Appeals statistics (appeals are not in immcourt's metric catalog)",
        what="appeals",
    ),
    Concept(
        "judges",
        re.compile(r"^(?:immigration\s+)?judges\b|\bjudges\s+on\s+the\s+bench|\bjudge\s+positions", re.I),
        "EOIR's published judge roster (not in the case data)",
        subject_only=True,
        what="the number of judges",
    ),
    Concept(
        "closed_without_merits",
        _words(
            r"terminated\s+without",
            r"without\s+a\s+decision",
            r"merits",
            r"de\s+facto\s+amnesty",
            r"amnesty",
            r"hand-waved",
            r"cases?\s+(?:were\s+|was\s+|been\s+|have\s+been\s+|had\s+been\s+)?(?:closed|dismissed|terminated)",
            r"(?:closed|dismissed|terminated|canceled|cancelled)\b",
            r"closures?",
            r"terminations?",
            r"dismissals?",
            r"prosecutorial\s+discretion",
        ),
    ),
    Concept(
        "removal_orders",
        _words(
            r"ordered\s+(?:removed|deported)",
            r"removal\s+orders?",
            r"orders?\s+of\s+removal",
            r"deportation\s+orders?",
            r"deported",
            r"deportations?",
            r"removed\b",
            r"ordered\s+to\s+leave",
        ),
    ),
    Concept("voluntary_departure", _words(r"voluntary\s+departure")),
    Concept(
        "asylum_grant_rate", _words(r"grant\s+rate", r"approval\s+rate", r"success\s+rate", r"win\s+rate")
    ),
    Concept(
        "asylum_granted",
        _words(
            r"granted\s+asylum",
            r"asylum\s+grants?",
            r"won\s+(?:their\s+)?asylum",
            r"received\s+asylum",
            r"asylum\s+(?:was|were)\s+granted",
            r"given\s+asylum",
            r"win\s+asylum",
            r"granted\b(?!\s+(?:de\s+facto|relief))",
        ),
    ),
    Concept(
        "asylum_denied",
        _words(r"denied\s+asylum", r"asylum\s+denials?", r"denials?", r"denied\b", r"lost\s+their\s+asylum"),
    ),
    Concept(
        "allowed_to_remain",
        _words(
            r"allowed\s+to\s+(?:remain|stay)",
            r"permitted\s+to\s+(?:remain|stay)",
            r"able\s+to\s+(?:remain|stay)",
            r"relief",
            r"won\s+(?:their|the\s+right)",
        ),
    ),
    Concept(
        "backlog",
        _words(
            r"backlog",
            r"pending",
            r"awaiting",
            r"waiting\s+for\s+(?:a\s+)?hearing",
            r"cases\s+on\s+the\s+docket",
            r"open\s+cases",
        ),
    ),
    Concept(
        "in_absentia",
        _words(
            r"in\s+absentia",
            r"failed\s+to\s+appear",
            r"(?:did\s+not|didn't)\s+(?:show|appear)",
            r"no-shows?",
            r"missed\s+(?:their\s+)?(?:court\s+)?hearings?",
        ),
    ),
    Concept("represented", _words(r"lawyers?", r"attorneys?", r"represent(?:ed|ation)", r"counsel")),
    Concept(
        "median_days",
        _words(r"days", r"months\s+to", r"years\s+to\s+(?:complete|decide|resolve)", r"wait(?:ed)?\b"),
    ),
    Concept(
        "new_cases",
        _words(
            r"new\s+cases",
            r"filed",
            r"filings?",
            r"received",
            r"receipts",
            r"initiated",
            r"notices?\s+to\s+appear",
            r"brought\s+(?:before|into)",
        ),
    ),
    Concept(
        "completions",
        _words(
            r"completed",
            r"completions?",
            r"decided",
            r"decisions",
            r"resolved",
            r"concluded",
            r"cases\s+(?:heard|handled)",
        ),
    ),
)
CONCEPT_BY_NAME = {concept.name: concept for concept in CONCEPTS}


# In "38 percent of completions" the noun after the number is the denominator, not what is counted.
_DENOMINATOR_CONCEPTS = {"completions", "new_cases"}


def concept_for(claim: Claim) -> Concept | None:
    """The concept named in the claim's own subject, else its clause, else its sentence."""
    if claim.text.lstrip().startswith("$"):
        return CONCEPT_BY_NAME["money"]
    pieces = claim.context.split(" | ")
    for position, text in enumerate(pieces):
        concept = _first_concept(text, subject=position == 0 and tidy_subject(text) == claim.subject)
        if concept is None:
            continue
        if claim.unit != "count" and concept.name in _DENOMINATOR_CONCEPTS and position < len(pieces) - 1:
            continue
        return concept
    return None


def _first_concept(text: str, *, subject: bool) -> Concept | None:
    for concept in CONCEPTS:
        if concept.subject_only and not subject:
            continue
        if concept.pattern.search(text):
            return concept
    return None


# --------------------------------------------------------------------------------------------- readings


@dataclass
class Period:
    """The API's period arguments for one reading, with a label a reader understands."""

    label: str
    fiscal_years: tuple[int, int] | None = None
    date_from: date | None = None
    date_to: date | None = None
    administration: str | None = None
    at: date | None = None
    natural: bool = True

    def api_kwargs(self) -> dict[str, Any]:
        names = ("fiscal_years", "date_from", "date_to", "administration", "at")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


@dataclass
class Reading:
    """One concrete question for the API and, once run, its answer."""

    metric: str
    label: str
    period: Period
    where: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    outcomes: tuple[str, ...] = ()  # for completions: the outcome classes summed
    natural: bool = True
    per: float = 1.0  # days per unit the writer used ("4.3 years"), to compare a median in days
    complement: bool = False  # value is 1 - the metric's share (a denial rate from a grant rate)
    value: float | None = None
    n: int | None = None
    sql: str | None = None
    release: str | None = None
    error: str | None = None
    matches: bool | None = None
    derivation: str | None = None  # how the value was taken from a shared query's rows, when it was

    def to_dict(self) -> dict[str, Any]:
        period = {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.period.api_kwargs().items()
        }
        return {
            "metric": self.metric,
            "label": self.label,
            "where": self.where,
            "period": self.period.label,
            "period_arguments": period,
            "options": self.options,
            "outcomes": list(self.outcomes),
            "natural": self.natural and self.period.natural,
            "value": self.value,
            "n": self.n,
            "matches": self.matches,
            "sql": self.sql,
            "derivation": self.derivation,
            "release": self.release,
            "error": self.error,
        }


@dataclass(frozen=True)
class _Base:
    """A reading before its period and population are chosen."""

    metric: str
    label: str
    outcomes: tuple[str, ...] = ()
    where: tuple[tuple[str, Any], ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    natural: bool = True
    needs_population: bool = True
    complement: bool = False  # a denial rate is read as 1 - grant rate


# A grant rate is read under both conventions; TRAC's is the natural reading (OUTCOMES.md section 4).
_GRANT_RATE_READINGS = (
    _Base(
        "asylum_grant_rate",
        "asylum grant rate (TRAC: grants / grants + denials)",
        options=(("grant_rate", "trac"),),
        needs_population=False,
    ),
    _Base(
        "asylum_grant_rate",
        "asylum grant rate (EOIR: grants / all decisions)",
        options=(("grant_rate", "eoir"),),
        natural=False,
        needs_population=False,
    ),
)


def _bases(concept: str, unit: str) -> list[_Base]:
    percent = unit in ("percent", "share")
    table: dict[str, list[_Base]] = {
        "closed_without_merits": [
            _Base(
                "closed_without_merits", "terminated or dismissed", options=(("include_admin_closure", "no"),)
            ),
            _Base(
                "closed_without_merits",
                "terminated, dismissed or administratively closed",
                options=(("include_admin_closure", "yes"),),
                natural=False,
            ),
        ],
        "removal_orders": [
            _Base("removed_share", "share ordered removed", natural=True),
        ]
        if percent
        else [
            _Base("completions", "removal orders", outcomes=("removal_order",)),
            _Base(
                "completions",
                "removal orders plus voluntary departure",
                outcomes=("removal_order", "voluntary_departure"),
                natural=False,
            ),
        ],
        "voluntary_departure": [
            _Base("completions", "voluntary departure", outcomes=("voluntary_departure",))
        ],
        "allowed_to_remain": [
            _Base("allowed_to_remain_share", "share allowed to remain"),
        ]
        if percent
        else [
            _Base("completions", "completions allowed to remain", outcomes=REMAIN_CLASSES),
            _Base(
                "completions",
                "relief or asylum granted",
                outcomes=("asylum_granted", "relief_granted"),
                natural=False,
            ),
        ],
        "asylum_granted": list(_GRANT_RATE_READINGS)
        if percent
        else [
            _Base(
                "completions",
                "cases ending in an asylum grant",
                outcomes=("asylum_granted",),
                needs_population=False,
            ),
            _Base(
                "asylum_decisions",
                "asylum applications granted",
                outcomes=("granted",),
                natural=False,
                needs_population=False,
            ),
        ],
        "asylum_grant_rate": list(_GRANT_RATE_READINGS),
        "asylum_denied": [
            _Base(
                "asylum_grant_rate",
                "asylum denial rate (TRAC: denials / grants + denials)",
                options=(("grant_rate", "trac"),),
                needs_population=False,
                complement=True,
            ),
            _Base(
                "asylum_grant_rate",
                "asylum denial-or-other rate (EOIR: 1 - grants / all decisions)",
                options=(("grant_rate", "eoir"),),
                natural=False,
                needs_population=False,
                complement=True,
            ),
        ]
        if percent
        else [
            _Base(
                "asylum_decisions", "asylum applications denied", outcomes=("denied",), needs_population=False
            ),
        ],
        "backlog": [_Base("pending", "cases pending")],
        "in_absentia": [_Base("in_absentia_share", "share of completions in absentia")]
        if percent
        else [_Base("completions", "in absentia completions", where=(("in_absentia", True),))],
        "represented": [_Base("represented_share", "share with a representative")]
        if percent
        else [_Base("completions", "completions with a representative", where=(("represented", True),))],
        "median_days": [_Base("median_days_to_completion", "median days from filing to completion")],
        "new_cases": [_Base("new_cases", "new cases filed")],
        "completions": [_Base("completions", "all completions")],
    }
    return table.get(concept, [])


def readings_for(
    claim: Claim, *, as_of: date | None = None, release_end: date | None = None
) -> list[Reading]:
    """Candidate readings for a claim (at most MAX_READINGS), natural ones first; [] if not checkable."""
    concept = concept_for(claim)
    if concept is None or concept.source is not None or claim.change:
        return []
    bases = _bases(concept.name, claim.unit)
    periods = periods_for(claim.time, as_of=as_of, release_end=release_end, concept=concept.name)
    readings = []
    for base in bases:
        for population in _populations(claim, base):
            for period in periods:
                readings.append(_reading(base, population, period))
    if concept.name == "median_days":
        per = _days_per_unit(claim.subject or claim.context)
        for reading in readings:
            reading.per = per
    readings.sort(key=lambda r: not (r.natural and r.period.natural))
    return readings[:MAX_READINGS]


def _days_per_unit(text: str) -> float:
    if re.search(r"\byears?\b", text, re.I):
        return 365.25
    if re.search(r"\bmonths?\b", text, re.I):
        return 30.44
    return 1.0


def _populations(claim: Claim, base: _Base) -> list[tuple[str, dict[str, Any], bool]]:
    if not base.needs_population:
        return [("", {}, True)]
    asylum = ("asylum cases", {"asylum_case": True})
    everyone = ("all cases", {})
    # An article about asylum seekers counts asylum cases even where one sentence does not repeat the word
    # (TRAC's "allowed to remain" shares are about asylum seekers); all cases stay as the alternative.
    if claim.population in ("asylum", "asylum_context"):
        return [(*asylum, True), (*everyone, False)]
    return [(*everyone, True), (*asylum, False)]


def _reading(base: _Base, population: tuple[str, dict[str, Any], bool], period: Period) -> Reading:
    pop_label, where, pop_natural = population
    label = base.label + (f", {pop_label}" if pop_label else "") + f", {period.label}"
    return Reading(
        metric=base.metric,
        label=label,
        period=period,
        where={**dict(base.where), **where},
        options=dict(base.options),
        outcomes=base.outcomes,
        natural=base.natural and pop_natural,
        complement=base.complement,
    )


def periods_for(time: TimeRef, *, as_of: date | None, release_end: date | None, concept: str) -> list[Period]:
    """The period readings of a time reference: fiscal and calendar where the text does not say which."""
    if concept == "backlog":
        return _stock_periods(time, as_of=as_of)
    years = time.years
    if time.kind == "fiscal_year":
        return [Period(f"FY{_span(years)}", fiscal_years=(years[0], years[-1]))]
    if time.kind in ("calendar_year", "range") and years:
        fiscal = Period(f"FY{_span(years)}", fiscal_years=(years[0], years[-1]))
        calendar = Period(
            f"calendar {_span(years)}", date_from=date(years[0], 1, 1), date_to=date(years[-1], 12, 31)
        )
        if time.explicit:
            return [calendar]
        return [fiscal, calendar]
    if time.kind == "since" and years:
        end = as_of
        if time.month:
            return [
                Period(
                    f"since {years[0]}-{time.month:02d}", date_from=date(years[0], time.month, 1), date_to=end
                )
            ]
        fiscal = Period(f"FY{years[0]} onward", date_from=date(years[0] - 1, 10, 1), date_to=end)
        calendar = Period(f"since 1 Jan {years[0]}", date_from=date(years[0], 1, 1), date_to=end)
        return [fiscal] if time.explicit else [fiscal, calendar]
    if time.kind == "so_far":
        year = years[0] if years else (as_of or release_end or date.today()).year
        return [
            Period(f"FY{year} to date", fiscal_years=(year, year)),
            Period(f"calendar {year} to date", date_from=date(year, 1, 1), date_to=as_of),
        ]
    if time.kind == "administration" and time.administration:
        return [Period(f"{time.administration} administration", administration=time.administration)]
    if time.kind == "at_date":
        return _stock_periods(time, as_of=as_of)
    return [Period("whole release")]


def _stock_periods(time: TimeRef, *, as_of: date | None) -> list[Period]:
    if time.kind == "calendar_year" and time.years:
        year = time.years[-1]
        return [
            Period(f"pending at end of FY{year}", at=date(year, 9, 30)),
            Period(f"pending at end of {year}", at=date(year, 12, 31)),
        ]
    if time.kind == "at_date" and time.years:
        month = time.month or 12
        last = date(time.years[0], month, time.day or 28)
        return [Period(f"pending at {last:%Y-%m}", at=last)]
    if time.kind == "fiscal_year" and time.years:
        return [Period(f"pending at end of FY{time.years[-1]}", at=date(time.years[-1], 9, 30))]
    if as_of:
        return [
            Period(f"pending at {as_of.isoformat()} (article date)", at=as_of),
            Period("pending at the release date", natural=False),
        ]
    return [Period("pending at the release date")]


def _span(years: tuple[int, ...]) -> str:
    return str(years[0]) if len(set(years)) == 1 else f"{years[0]}–{years[-1]}"


# --------------------------------------------------------------------------------------------- running


def run_reading(store: Any, reading: Reading) -> Reading:
    """Ask the API; a reading the API refuses records the error instead of stopping the whole check."""
    try:
        by = ("outcome",) if reading.outcomes and reading.metric == "completions" else ()
        if reading.metric == "asylum_decisions" and reading.outcomes:
            by = ("asylum_decision",)
        result = store.stats(
            reading.metric,
            by=by,
            where=reading.where or None,
            options=reading.options or None,
            **reading.period.api_kwargs(),
        )
        rows = result.to_dicts()
        reading.value, reading.n = _value_of(reading, rows)
        if reading.value is not None and reading.complement:
            reading.value = 1.0 - reading.value
        if reading.value is None:
            reading.error = "no value: too few cases for this statistic (suppressed) or none at all"
        reading.sql = getattr(result, "sql", None)
        release = getattr(result, "release", None)
        reading.release = getattr(release, "id", release)
    except Exception as error:  # noqa: BLE001 - any API refusal becomes part of the report, not a crash
        reading.error = f"{type(error).__name__}: {error}"
    return reading


def _value_of(reading: Reading, rows: list[dict[str, Any]]) -> tuple[float | None, int | None]:
    if by_column := {"completions": "outcome", "asylum_decisions": "asylum_decision"}.get(reading.metric):
        if reading.outcomes:
            chosen = [row for row in rows if row.get(by_column) in reading.outcomes]
            return float(sum(row.get("value") or 0 for row in chosen)), sum(
                int(row.get("n") or 0) for row in chosen
            )
    if not rows:  # a count over nothing is 0; a share over nothing (or suppressed) has no value
        return (None, None) if is_share_metric(reading.metric) else (0.0, 0)
    row = rows[0]
    if row.get("denominator"):
        value = float(row["numerator"]) / float(row["denominator"])
    else:
        value = row.get("value")
        value = float(value) if value is not None else None
    if value is not None and is_share_metric(reading.metric) and value > 1.0:
        value /= 100.0  # a share reported in percent points: compare on one scale
    return value, row.get("n")


def is_share_metric(metric: str) -> bool:
    return metric.endswith("_share") or metric.endswith("_rate")


# --------------------------------------------------------------------------------------------- matching


def tolerance(claim: Claim) -> float:
    """Half a unit of the last significant digit the writer used ("3.5 million" → 50,000; "77%" → 0.5 pt)."""
    if claim.unit == "share":
        return 0.025  # "one in four" stands for roughly 22–28 percent
    if claim.unit == "percent":
        return 0.5 * 10 ** (-claim.decimals)
    digits = re.sub(r"[^\d.]", "", claim.text.split("-")[0].split("–")[0]) or "0"
    scale = claim.value / float(digits) if float(digits) else 1.0
    if "." in digits:
        step = 10 ** (-len(digits.split(".")[1])) * scale
    else:
        stripped = digits.rstrip("0")
        step = 10 ** (len(digits) - len(stripped)) * scale if stripped else 1.0
        if step <= 1:  # an exact-looking count ("18,119"): allow 0.5% for revisions between releases
            return max(0.5, claim.value * 0.005)
    return step / 2


def claimed_in_metric_units(claim: Claim, metric: str) -> tuple[float, float | None]:
    """The claimed value (and upper bound) on the metric's scale: shares as fractions."""
    if is_share_metric(metric):
        factor = 0.01 if claim.unit == "percent" else 1.0
        return claim.value * factor, (claim.upper * factor if claim.upper is not None else None)
    return claim.value, claim.upper


def value_matches(claim: Claim, metric: str, computed: float | None) -> bool | None:
    """Whether a computed value bears the claim out, given its rounding and its hedge."""
    if computed is None or (isinstance(computed, float) and math.isnan(computed)):
        return None
    claimed, upper = claimed_in_metric_units(claim, metric)
    tol = tolerance(claim) * (0.01 if is_share_metric(metric) and claim.unit == "percent" else 1.0)
    if upper is not None:
        return claimed - tol <= computed <= upper + tol
    hedge = claim.hedge
    # A bound ("more than 350,000") is a threshold, not a rounded value: allow only data revisions (0.5%).
    slack = min(tol, 0.005 * claimed)
    if hedge == "more_than":
        return computed > claimed - slack
    if hedge == "at_least":
        return computed >= claimed - slack
    if hedge == "fewer_than":
        return computed < claimed + slack
    if hedge == "at_most":
        return computed <= claimed + slack
    if hedge == "nearly":
        return 0.9 * claimed < computed <= claimed + slack
    if hedge == "about":
        return abs(computed - claimed) <= max(tol, 0.05 * claimed)
    return abs(computed - claimed) <= tol


# --------------------------------------------------------------------------------------------- batching

# One API call can answer many readings: cut by outcome and asylum_case, then pick and sum the rows each
# reading needs. closed_without_merits is asked once with administrative closures and cut by outcome, so
# "without" is the same rows minus the administratively_closed class.
_BATCH_BY = {
    "completions": ("outcome", "asylum_case"),
    "closed_without_merits": ("outcome", "asylum_case"),
    "new_cases": ("asylum_case",),
    "pending": ("asylum_case",),
    "allowed_to_remain_share": ("asylum_case",),
    "removed_share": ("asylum_case",),
    "in_absentia_share": ("asylum_case",),
    "represented_share": ("asylum_case",),
}
_BATCH_OPTIONS = {"closed_without_merits": {"include_admin_closure": "yes"}}
_CLOSED = {"no": ("terminated", "dismissed"), "yes": ("terminated", "dismissed", "administratively_closed")}


@dataclass
class _Batch:
    rows: list[dict[str, Any]] | None = None
    sql: str | None = None
    release: str | None = None
    error: str | None = None
    suppressed: bool = False


def _batch_key(reading: Reading) -> str | None:
    if reading.metric not in _BATCH_BY or set(reading.where) - {"asylum_case"}:
        return None
    if reading.metric == "closed_without_merits" and set(reading.options) - {"include_admin_closure"}:
        return None
    if reading.metric not in _BATCH_OPTIONS and reading.options:
        return None
    return repr((reading.metric, sorted(reading.period.api_kwargs().items())))


def run_readings(store: Any, readings: list[Reading], cache: dict[str, Any] | None = None) -> list[Reading]:
    """Run readings with as few API calls as possible; ``cache`` carries answers across claims."""
    cache = {} if cache is None else cache
    for reading in readings:
        key = _batch_key(reading)
        if key is None:
            _run_single(store, reading, cache)
            continue
        if key not in cache:
            cache[key] = _run_batch(store, reading)
        batch = cache[key]
        if batch.suppressed and is_share_metric(reading.metric):
            _run_single(store, reading, cache)  # a hidden cell would bias the sum: ask for this reading alone
            continue
        _fill_from_batch(reading, batch)
    return readings


def _run_single(store: Any, reading: Reading, cache: dict[str, Any]) -> None:
    key = repr(
        (
            "single",
            reading.complement,
            reading.metric,
            reading.where,
            reading.options,
            reading.outcomes,
            sorted(reading.period.api_kwargs().items()),
        )
    )
    if key not in cache:
        cache[key] = run_reading(store, reading)
    done = cache[key]
    reading.value, reading.n, reading.sql, reading.release, reading.error = (
        done.value,
        done.n,
        done.sql,
        done.release,
        done.error,
    )


def _run_batch(store: Any, reading: Reading) -> _Batch:
    try:
        result = store.stats(
            reading.metric,
            by=_BATCH_BY[reading.metric],
            options=_BATCH_OPTIONS.get(reading.metric),
            **reading.period.api_kwargs(),
        )
        release = getattr(result, "release", None)
        return _Batch(
            rows=result.to_dicts(),
            sql=getattr(result, "sql", None),
            release=getattr(release, "id", release),
            suppressed=bool(getattr(result, "suppressed", None)),
        )
    except Exception as error:  # noqa: BLE001 - any API refusal becomes part of the report, not a crash
        return _Batch(error=f"{type(error).__name__}: {error}")


def _fill_from_batch(reading: Reading, batch: _Batch) -> None:
    reading.sql, reading.release, reading.error = batch.sql, batch.release, batch.error
    if batch.rows is None:
        return
    rows = [
        row for row in batch.rows if not reading.where.get("asylum_case") or row.get("asylum_case") is True
    ]
    picked = ["asylum_case = true"] if reading.where.get("asylum_case") else []
    if reading.metric == "closed_without_merits":
        wanted = _CLOSED[str(reading.options.get("include_admin_closure", "no"))]
        rows = [row for row in rows if row.get("outcome") in wanted]
        picked.append(f"outcome in {wanted}")
    elif reading.metric == "completions" and reading.outcomes:
        rows = [row for row in rows if row.get("outcome") in reading.outcomes]
        picked.append(f"outcome in {reading.outcomes}")
    reading.derivation = "sum of the rows of this query with " + (" and ".join(picked) or "any value")
    reading.n = sum(int(row.get("n") or 0) for row in rows)
    if is_share_metric(reading.metric):
        denominator = sum(float(row.get("denominator") or 0) for row in rows)
        numerator = sum(float(row.get("numerator") or 0) for row in rows)
        reading.value = numerator / denominator if denominator else None
        if reading.value is None:
            reading.error = "no value: no cases in this population and period"
    else:
        reading.value = float(sum(float(row.get("value") or 0) for row in rows))
