"""From run readings to one verdict per claim, with the published cross-checks that bear on it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from immcourt import reference
from immcourt.claims.claim import Claim
from immcourt.claims.concepts import concept_for
from immcourt.claims.guard import counted_group, enforce
from immcourt.claims.interpret import Interpretation
from immcourt.claims.readings import Reading, claimed_in_metric_units, tolerance, value_matches
from immcourt.claims.times import administrations

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


def decide(
    claim: Claim,
    readings: list[Reading],
    *,
    as_of: date | None = None,
    interpretation: Interpretation | None = None,
) -> Verdict:
    """The verdict for one claim from its evaluated readings: the one function every verdict passes.

    A claim whose interpretation found no reading is not checkable, with the reason (outside the data, or the
    qualifier the data cannot isolate). The qualifier guard (``guard.enforce``) then checks every evaluated
    reading against every qualifier of the counted group: a supported, contradicted, ambiguous or
    other-definition verdict from a reading that leaves one out becomes "not checkable" naming it.
    """
    verdict = _decide(claim, readings, as_of=as_of, interpretation=interpretation)
    group = counted_group(claim, interpretation.qualifiers if interpretation is not None else ())
    refusal = enforce(verdict.category, readings, group)
    if refusal is None:
        return verdict
    return Verdict(NOT_CHECKABLE, refusal, source="none identified", cross_checks=verdict.cross_checks)


def _decide(
    claim: Claim,
    readings: list[Reading],
    *,
    as_of: date | None = None,
    interpretation: Interpretation | None = None,
) -> Verdict:
    cross_checks = cross_checks_for(claim, as_of=as_of)
    if interpretation is not None and not interpretation.readings:
        source = (
            interpretation.concept.source
            if interpretation.concept and interpretation.concept.source
            else "none identified"
        )
        return Verdict(NOT_CHECKABLE, interpretation.reason, source=source, cross_checks=cross_checks)
    if not readings:
        concept = concept_for(claim)
        if concept is not None and concept.source is not None:
            return Verdict(
                NOT_CHECKABLE,
                f"Immigration-court records do not measure {concept.what or concept.name}; check it against"
                f" {concept.source}.",
                source=concept.source,
                cross_checks=cross_checks,
            )
        return Verdict(
            NOT_CHECKABLE,
            "No immigration-court statistic matches what this number counts.",
            source="none identified",
            cross_checks=cross_checks,
        )
    for reading in readings:
        computed = None if reading.value is None else reading.value / reading.per
        reading.matches = (
            value_matches(claim, reading.metric, computed, share=reading.share)
            if reading.error is None
            else None
        )
    computed = [r for r in readings if r.matches is not None]
    if not computed:
        errors = "; ".join(sorted({r.error for r in readings if r.error})) or "no reading returned a value"
        return Verdict(
            NOT_COMPUTED, f"The store could not compute any reading ({errors}).", cross_checks=cross_checks
        )
    notes = _notes(claim, computed[0])
    natural = [r for r in computed if r.natural and r.period.natural]
    others = [r for r in computed if r not in natural]
    natural_hits = [r for r in natural if r.matches]
    if (
        _MEAN.search(claim.sentence)
        and not _MEDIAN.search(claim.sentence)
        and all(r.metric == "median_days_to_completion" for r in computed)
    ):
        # "The average asylum case took 191.5 days": the catalog has the median, not the mean; a median that
        # matches is another definition, one that does not says nothing about the mean (never contradicted)
        hit = next((r for r in computed if r.matches), None)
        if hit is not None:
            return Verdict(
                OTHER_DEFINITION,
                f"Matches {_describe(hit)}, a median; the text says average (a mean), which the data's "
                f"statistics do not compute.{notes}",
                cross_checks=cross_checks,
            )
        return Verdict(
            NOT_CHECKABLE,
            f"The text gives an average (a mean); the metric catalog has only the median "
            f"({_describe(computed[0])}), which need not equal the mean.{notes}",
            cross_checks=cross_checks,
        )
    unknown = [r for r in readings if r.alternative and r.natural and r.period.natural and r.matches is None]
    if natural and len(natural_hits) == len(natural) and unknown:
        # "Judge Winhurst": one judge of that surname matches, another has no value; the text does not say
        # which
        return Verdict(
            AMBIGUOUS,
            f"Matches {_describe(natural_hits[0])}, but the words also name {unknown[0].label}, which has no "
            f"value ({unknown[0].error or 'not computed'}).{notes}",
            cross_checks=cross_checks,
        )
    if natural and len(natural_hits) == len(natural):
        return Verdict(SUPPORTED, f"Matches {_describe(natural_hits[0])}.{notes}", cross_checks=cross_checks)
    if natural_hits:
        misses = [r for r in natural if not r.matches]
        return Verdict(
            AMBIGUOUS,
            f"Matches {_describe(natural_hits[0])} but not {_describe(misses[0])}.{notes}",
            cross_checks=cross_checks,
        )
    other_hits = [r for r in others if r.matches]
    if other_hits and natural and _describe(other_hits[0]) == _describe(natural[0]):
        # the "other" reading is the natural one in other words (same statistic, group, period and value)
        return Verdict(SUPPORTED, f"Matches {_describe(other_hits[0])}.{notes}", cross_checks=cross_checks)
    if other_hits:
        return Verdict(
            OTHER_DEFINITION,
            f"Only matches under another definition: {_describe(other_hits[0])}; "
            f"the most natural reading gives {_describe(natural[0] if natural else computed[0])}.{notes}",
            cross_checks=cross_checks,
        )
    best = natural[0] if natural else computed[0]
    return Verdict(
        CONTRADICTED,
        f"No reading matches; the most natural gives {_describe(best)}.{notes}{_left_out_note(claim, best)}",
        cross_checks=cross_checks,
    )


def _left_out_note(claim: Claim, reading: Reading) -> str:
    """A near miss on a figure that left defective cases out says so (tester-5 F2: 269/486 = 55.35% against
    a claimed 55.4%, which counting the one case with a short application row gives)."""
    left_out = sum(n for reason, n in reading.exclusions.items() if reason.startswith("cases left out") and n)
    if not left_out or reading.value is None or reading.change or claim.hedge != "exact":
        return ""
    if claim.unit == "share" or (claim.unit == "percent" and not claim.decimals):
        return ""  # a fraction word or a whole percent is coarser than a few defective cases
    claimed, _ = claimed_in_metric_units(claim, reading.share)
    gap = abs(reading.value / reading.per - claimed)
    if gap > 3 * tolerance(claim) * (0.01 if reading.share and claim.unit == "percent" else 1.0):
        return ""
    return (
        f" The statistic leaves out the release's {left_out:,} cases with defective rows (its exclusions); "
        "counting them as loaded (option defective_cases=include) may give the claimed value."
    )


_WAIT = ("wait", "waited", "waiting", "average", "took", "take")
_MEAN = re.compile(r"(?i)\b(?:average|averaged|averages|mean|on[ \t]average)\b")
_MEDIAN = re.compile(r"(?i)\b(?:median|typical|midpoint)\b")


def _notes(claim: Claim, reading: Reading) -> str:
    """What a reader must know beside the verdict: a definition that differs, how far a bound is."""
    notes = []
    words = claim.sentence.lower()
    if reading.metric == "median_days_to_completion" and any(w in words for w in _WAIT):
        notes.append(
            "the computed figure is the median days from filing to completion of completed cases; a wait or "
            "an "
            "average may be defined differently (e.g. pending cases, or a mean)"
        )
    if (
        claim.hedge in ("more_than", "fewer_than", "at_least", "at_most")
        and reading.value is not None
        and claim.change in (None, "from_to")
    ):
        computed = reading.value / reading.per
        claimed = claim.value * (0.01 if reading.share and claim.unit == "percent" else 1.0)
        if claimed:
            notes.append(f"the computed value is {100 * (computed - claimed) / claimed:+.1f}% from the bound")
    if reading.change and reading.base_value is not None and reading.end_value is not None:
        notes.append(
            f"{format_value(reading.base_value, reading.metric, reading.share)} in "
            f"{reading.base_period.label if reading.base_period else '?'} → "
            f"{format_value(reading.end_value, reading.metric, reading.share)} in {reading.period.label}"
        )
    return (" Note: " + "; ".join(notes) + ".") if notes else ""


def _describe(reading: Reading) -> str:
    if reading.change:
        shown = {
            "ratio": f"×{reading.value:.2f}",
            "points": f"{reading.value:.1f} points",
            "percent_change": f"{reading.value:.1f}%",
            "difference": f"{reading.value:,.0f}",
        }
        value = shown.get(reading.change, "n/a") if reading.value is not None else "n/a"
        return f"the {reading.change.replace('_', ' ')} of {reading.label} = {value}"
    return f"{reading.label} = {format_value(reading.value, reading.metric, reading.share)}"


def format_value(value: float | None, metric: str, share: bool | None = None) -> str:
    """A value as a reader expects it: shares in percent (the catalog says which metrics are shares)."""
    if value is None:
        return "n/a"
    if share is None:
        from immcourt.claims.readings import is_share_metric

        share = is_share_metric(metric)
    if share:
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
    admin = next((a for a in administrations() if a.name == time.administration), None)
    if admin is not None:
        start, end = admin.first_day, admin.last_day or date.today()
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
