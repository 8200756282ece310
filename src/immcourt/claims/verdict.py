"""From run readings to one verdict per claim, with the published cross-checks that bear on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from immcourt import reference
from immcourt.claims.extract import Claim
from immcourt.claims.interpret import ADMIN_START, Reading, concept_for, value_matches

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
OTHER_DEFINITION = "supported_other_definition"
AMBIGUOUS = "ambiguous"
NOT_CHECKABLE = "not_checkable"
NOT_COMPUTED = "not_computed"
VERDICTS = (SUPPORTED, CONTRADICTED, OTHER_DEFINITION, AMBIGUOUS, NOT_CHECKABLE, NOT_COMPUTED)
LABELS = {
    SUPPORTED: "supported",
    CONTRADICTED: "contradicted",
    OTHER_DEFINITION: "supported only under another definition",
    AMBIGUOUS: "ambiguous (readings disagree)",
    NOT_CHECKABLE: "not checkable with immigration-court data",
    NOT_COMPUTED: "could not be computed on this store",
}


@dataclass
class Verdict:
    category: str
    explanation: str
    source: str = "EOIR case data (this release)"
    cross_checks: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.category]


def decide(claim: Claim, readings: list[Reading], *, as_of: date | None = None) -> Verdict:
    """The verdict for one claim from its evaluated readings."""
    concept = concept_for(claim)
    cross_checks = cross_checks_for(claim, as_of=as_of)
    if concept is None:
        return Verdict(
            NOT_CHECKABLE,
            "No immigration-court statistic matches what this number counts.",
            source="none identified",
            cross_checks=cross_checks,
        )
    if concept.source is not None:
        return Verdict(
            NOT_CHECKABLE,
            f"Immigration-court records do not measure {concept.what or concept.name}; "
            f"check it against {concept.source}.",
            source=concept.source,
            cross_checks=cross_checks,
        )
    if claim.change:
        return Verdict(
            NOT_CHECKABLE,
            "This number is a change between two periods, not a level; the checker reads levels only. "
            "Compare the two periods with `immcourt stats`.",
            source="not checked automatically",
            cross_checks=cross_checks,
        )
    for reading in readings:
        computed = None if reading.value is None else reading.value / reading.per
        reading.matches = value_matches(claim, reading.metric, computed) if reading.error is None else None
    computed = [r for r in readings if r.matches is not None]
    if not computed:
        errors = "; ".join(sorted({r.error for r in readings if r.error})) or "no reading returned a value"
        return Verdict(
            NOT_COMPUTED, f"The store could not compute any reading ({errors}).", cross_checks=cross_checks
        )
    natural = [r for r in computed if r.natural and r.period.natural]
    others = [r for r in computed if r not in natural]
    natural_hits = [r for r in natural if r.matches]
    if natural and len(natural_hits) == len(natural):
        return Verdict(SUPPORTED, f"Matches {_describe(natural_hits[0])}.", cross_checks=cross_checks)
    if natural_hits:
        misses = [r for r in natural if not r.matches]
        return Verdict(
            AMBIGUOUS,
            f"Matches {_describe(natural_hits[0])} but not {_describe(misses[0])}.",
            cross_checks=cross_checks,
        )
    other_hits = [r for r in others if r.matches]
    if other_hits:
        return Verdict(
            OTHER_DEFINITION,
            f"Only matches under another definition: {_describe(other_hits[0])}; "
            f"the most natural reading gives {_describe(natural[0] if natural else computed[0])}.",
            cross_checks=cross_checks,
        )
    best = natural[0] if natural else computed[0]
    return Verdict(
        CONTRADICTED,
        f"No reading matches; the most natural gives {_describe(best)}.",
        cross_checks=cross_checks,
    )


def _describe(reading: Reading) -> str:
    return f"{reading.label} = {format_value(reading.value, reading.metric)}"


def format_value(value: float | None, metric: str) -> str:
    if value is None:
        return "n/a"
    if metric.endswith("_share") or metric.endswith("_rate"):
        return f"{100 * value:.1f}%"
    return f"{value:,.0f}"


# --------------------------------------------------------------------------------------------- cross-checks


def cross_checks_for(claim: Claim, *, as_of: date | None = None) -> list[str]:
    """Bundled published figures relevant to the claim, each naming its source and vintage."""
    concept = concept_for(claim)
    name = concept.name if concept else None
    if name == "encounters":
        return _cbp_check(claim)
    if name == "backlog":
        return _backlog_check(claim, as_of=as_of) + _trac_check(("pending", "backlog"))
    if name == "new_cases":
        return _eoir_check(claim, "new cases (initial receipts)") + _trac_check(("new cases",))
    if name == "completions":
        return _eoir_check(claim, "total completions") + _trac_check(("completed", "completions"))
    if name == "removal_orders":
        return _trac_check(("ordered removed", "removal orders"))
    if name == "allowed_to_remain":
        return _trac_check(("allowed to remain",))
    if name in ("asylum_granted", "asylum_grant_rate"):
        return _trac_check(("granted asylum", "asylum decisions"))
    return []


def _fiscal_years_of(claim: Claim) -> tuple[int, int] | None:
    time = claim.time
    if time.years:
        return time.years[0], time.years[-1]
    if time.administration in ADMIN_START:
        start = ADMIN_START[time.administration]
        names = list(ADMIN_START)
        following = names.index(time.administration) + 1
        end = ADMIN_START[names[following]] if following < len(names) else date.today()
        return start.year + (1 if start.month >= 10 else 0), end.year + (1 if end.month >= 10 else 0)
    return None


def _cbp_check(claim: Claim) -> list[str]:
    years = _fiscal_years_of(claim)
    if years is None:
        return [f"{reference.CBP_SOURCE}: period not stated, no total computed."]
    total, available = reference.cbp_encounters_total(fiscal_years=years)
    if not available:
        return [f"{reference.CBP_SOURCE}: no bundled year falls in FY{years[0]}–FY{years[1]}."]
    text = f"{reference.CBP_SOURCE}: FY{available[0]}–FY{available[-1]} nationwide encounters = {total:,.0f}"
    if available[-1] < years[1]:
        stop = available[-1]
        text += f"; the bundled data stop at FY{stop}, so the claimed period (to FY{years[1]}) is not covered"
    if claim.time.administration == "Biden" and available[0] == 2021:
        text += "; FY2021 includes Oct 2020–Jan 2021, before the Biden administration"
    return [text + "."]


def _eoir_check(claim: Claim, metric: str, *, last_only: bool = False) -> list[str]:
    years = _fiscal_years_of(claim)
    figures = [f for f in reference.eoir_workload() if f.metric == metric]
    if years:
        chosen = [f for f in figures if years[0] <= int(f.period[2:6]) <= years[1]]
    else:
        chosen = figures[-1:]
    if last_only:
        chosen = chosen[-1:] or figures[-1:]
    return [f.citation() for f in chosen]


def _backlog_check(claim: Claim, *, as_of: date | None) -> list[str]:
    """EOIR's pending count at the ends of the fiscal years around the claim's date (or the latest)."""
    figures = [f for f in reference.eoir_workload() if f.metric == "pending at end of period"]
    if claim.time.kind == "at_date" and not claim.time.years and as_of is not None:
        fiscal_year = as_of.year + (1 if as_of.month >= 10 else 0)
        wanted = {fiscal_year - 1, fiscal_year}
    elif claim.time.years:
        wanted = {claim.time.years[-1]}
    else:
        return [figures[-1].citation()]
    return [f.citation() for f in figures if int(f.period[2:6]) in wanted] or [figures[-1].citation()]


def _trac_check(keywords: tuple[str, ...]) -> list[str]:
    return [f.citation() for f in reference.trac_figures() if any(k in f.metric for k in keywords)]
