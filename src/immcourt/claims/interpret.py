"""From a claim to its readings: concept × catalog metric × the filters its qualifiers ask for × period.

``interpret(claim)`` returns an ``Interpretation``: the readings (natural ones first), or why there are none
(outside the data, a qualifier the data cannot isolate, no matching statistic). A qualifier is never
dropped: it becomes a filter of every reading, or the claim is not checkable naming it. Which metrics exist,
which dimensions each can be cut by, and which are shares all come from the catalog (``readings.catalog``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from immcourt.claims.claim import Claim, Qualifier, TimeRef
from immcourt.claims.concepts import Concept, concept_beside_groups, concept_for
from immcourt.claims.guard import counted_group, implies_asylum, unapplied, universe
from immcourt.claims.readings import MAX_READINGS, Period, Reading, catalog, dimension_kind
from immcourt.claims.times import administrations

# The outcome class name of model/outcome_map.csv a reading filters on (a dimension value, not a rule).
ADMIN_CLOSED_OUTCOME = "administratively_closed"


@dataclass(frozen=True)
class _Base:
    """A reading before its period and population are chosen."""

    metric: str
    label: str
    where: tuple[tuple[str, Any], ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    natural: bool = True
    needs_population: bool = True
    complement: bool = False  # a denial rate is read as 1 - grant rate
    take: str = "value"


_GRANT = (
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
_DENIAL = (
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
)


def _catalog_label(metric: str) -> str:
    """A reading's label from the catalog's own description ("share of removal orders issued in absentia")."""
    from immcourt.metrics.catalog import METRICS_BY_NAME

    first = METRICS_BY_NAME[metric].description.split(" (")[0].rstrip(".")
    return first[:1].lower() + first[1:]


def _bases(concept: str, percent: bool) -> list[_Base] | str:
    """The catalog readings of a concept, or the name of what the catalog has no statistic for."""
    shares: dict[str, list[_Base] | str] = {
        "closed_without_merits": "closed_without_merits_share",
        "admin_closed": "admin_closed_share",
        "removal_orders": [_Base("removed_share", "share ordered removed (removal or voluntary departure)")],
        "voluntary_departure": "voluntary_departure",
        "asylum_decisions": "asylum_decisions_share",
        "allowed_to_remain": [_Base("allowed_to_remain_share", "share allowed to remain")],
        "relief_granted": [
            _Base("allowed_to_remain_share", "share allowed to remain (relief, asylum, or a case closed)")
        ],
        "asylum_granted": list(_GRANT),
        "asylum_grant_rate": list(_GRANT),
        "asylum_denied": list(_DENIAL),
        "backlog": "pending_share",
        "in_absentia": [_Base("in_absentia_share", _catalog_label("in_absentia_share"))],
        "represented": [_Base("represented_share", "share with a representative")],
        "median_days": [_Base("median_days_to_completion", "median days from filing to completion")],
        "new_cases": "new_cases_share",
        "completions": "completions_share",
    }
    counts: dict[str, list[_Base] | str] = {
        "admin_closed": [
            _Base("completions", "administrative closures", where=(("outcome", (ADMIN_CLOSED_OUTCOME,)),)),
        ],
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
            _Base("completions", "removal orders", where=(("outcome", ("removal_order",)),)),
            _Base(
                "completions",
                "removal orders plus voluntary departure",
                where=(("outcome", ("removal_order", "voluntary_departure")),),
                natural=False,
            ),
        ],
        "voluntary_departure": [
            _Base("completions", "voluntary departure", where=(("outcome", ("voluntary_departure",)),))
        ],
        "asylum_decisions": [
            _Base("asylum_decisions", "asylum applications decided", needs_population=False)
        ],
        "allowed_to_remain": [
            _Base(
                "allowed_to_remain_share",
                "completions allowed to remain (numerator of the share)",
                take="numerator",
            )
        ],
        "asylum_granted": [
            _Base(
                "asylum_decisions",
                "asylum applications granted",
                where=(("asylum_decision", "granted"),),
                needs_population=False,
            ),
            _Base(
                "completions",
                "cases ending in an asylum grant",
                where=(("outcome", ("asylum_granted",)),),
                natural=False,
                needs_population=False,
            ),
        ],
        "asylum_granted_cases": [
            _Base(
                "completions",
                "cases ending in an asylum grant",
                where=(("outcome", ("asylum_granted",)),),
                needs_population=False,
            ),
            _Base(
                "asylum_decisions",
                "asylum applications granted",
                where=(("asylum_decision", "granted"),),
                natural=False,
                needs_population=False,
            ),
        ],
        "relief_granted": [
            _Base(
                "completions",
                "cases ending in relief or an asylum grant",
                where=(("outcome", ("asylum_granted", "relief_granted")),),
            ),
            _Base(
                "allowed_to_remain_share",
                "completions allowed to remain (numerator of the share)",
                take="numerator",
                natural=False,
            ),
        ],
        "asylum_grant_rate": list(_GRANT),
        "asylum_denied": [
            _Base(
                "asylum_decisions",
                "asylum applications denied",
                where=(("asylum_decision", "denied"),),
                needs_population=False,
            )
        ],
        "backlog": [_Base("pending", "cases pending")],
        "in_absentia": [_Base("completions", "in absentia completions", where=(("in_absentia", True),))],
        "represented": [
            _Base("completions", "completions with a representative", where=(("represented", True),))
        ],
        "median_days": [_Base("median_days_to_completion", "median days from filing to completion")],
        "new_cases": [_Base("new_cases", "new cases filed")],
        "completions": [_Base("completions", "all completions")],
    }
    return (shares if percent else counts).get(concept, concept)


@dataclass
class Interpretation:
    """The readings of a claim, or why there are none.

    ``status``: "checkable", "outside the data", "not checkable: <qualifier key>" (the data cannot isolate a
    group the sentence names), "not checkable" (no statistic for what it counts, or a change without a base).
    """

    readings: list[Reading] = field(default_factory=list)
    status: str = "checkable"
    reason: str = ""
    concept: Concept | None = None
    missing: tuple[Qualifier, ...] = ()
    qualifiers: tuple[Qualifier, ...] = ()  # the counted group's qualifiers every reading accounts for


_CASES_NOT_APPLICATIONS = re.compile(
    r"(?i)\b(?:in|to)[ \t]{1,3}(?:(?:almost|nearly|about|roughly|some|over|just|around|approximately|"
    r"more[ \t]than|fewer[ \t]than|less[ \t]than|at[ \t]least|an[ \t]estimated)[ \t]{1,3})?"
    r"[\d,.]{1,12}(?:[ \t]{1,3}(?:million|thousand))?[ \t]{1,3}(?:[A-Z][a-z]{2,20}s\b|persons|individuals|"
    r"applicants|families|adults|cases|people|"
    r"immigrants|migrants)\b"
    r"|\b[\d,.]{1,12}[ \t]{1,3}(?:asylum[ \t]{1,3})?(?:seekers|people|immigrants|migrants|"
    r"cases)[ \t]{1,3}(?:were|was|have[ \t]been)[ \t]{1,3}granted"
    r"|\b[\d,.]{1,12}[ \t]{1,3}(?:were|was)[ \t]{1,3}granted"
)
_ASYLUM_APPLICATIONS = re.compile(
    r"(?i)^(?:[\w-]{1,20}[ \t]{1,3}){0,2}asylum[ \t]{1,3}(?:applications|claims|requests|petitions)\b"
)
_RULED_ON_ASYLUM = re.compile(r"(?i)\b(?:ruled|decided)[ \t]{1,3}on[ \t]{1,3}asylum\b")
_OF_DECISIONS = re.compile(
    r"(?i)^(?:of[ \t]{1,3}(?:the[ \t]{1,3}|all[ \t]{1,3})?)?(?:asylum[ \t]{1,3})?decisions\b"
)
_CASES_ENDED = re.compile(
    r"(?i)\bcases?[ \t]{1,3}(?:ended|ending|ends|closed|concluded)[ \t]{1,3}(?:with|in)\b"
)
_NOT_ASYLUM_RELIEF = re.compile(
    r"(?i)\brelief[ \t]{1,3}(?:other[ \t]{1,3}than|besides|apart[ \t]{1,3}from|except)[ \t]{1,3}asylum\b"
    r"|\bnon-?asylum[ \t]{1,3}relief\b"
)
_PLACE_DIMENSIONS = ("court", "hearing_location", "judge")
_WON_CASES = re.compile(r"(?i)\b(?:won|win|wins|winning)[ \t]{1,3}(?:their|the|his|her)[ \t]{1,3}cases?\b")
_SHARE_WORDS = re.compile(r"(?i)\b(?:share|rate|proportion|percentage)\b")
_APPLICATIONS = re.compile(r"(?i)\b(?:applications|requests|claims|petitions)\b")
# "22 percent of asylum decisions were grants", "of those whose claims a judge decided, 9% walked away with
# protection", "approved 6 percent of the asylum applications she ruled on": a share of asylum decisions
# that names the decision is the grant rate (denials: its complement), not a share of decisions.
_DECISION_FRAME = re.compile(
    r"(?i)\basylum[ \t]{1,2}(?:decisions|claims|applications|cases|rulings)\b"
    r"|\bclaims[ \t]{1,2}(?:a[ \t]{1,2})?judges?[ \t]{1,2}(?:decided|ruled[ \t]on|heard)\b"
)
_DECISION_VERDICT = re.compile(
    r"(?i)\b(?:were|was|ended[ \t]{1,2}(?:as|in))[ \t]{1,2}"
    r"(?:(?P<grant>grants|approvals)|(?P<deny>denials|rejections))\b"
    r"|\b(?P<grant2>approved|walked[ \t]{1,2}away[ \t]{1,2}with[ \t]{1,2}(?:protection|asylum)|"
    r"won[ \t]{1,2}protection)\b|\b(?P<deny2>rejected|turned[ \t]{1,2}down)\b"
)
# "Eritreans whose cases were decided in absentia were ordered removed 99 percent of the time": in absentia
# names the group (a filter), not what the share counts
_ABSENTIA_GROUP = re.compile(
    r"(?i)\b(?:cases|hearings?)[ \t]{1,3}(?:were[ \t]{1,3})?(?:decided|heard|held|ruled[ \t]on)[ \t]{1,3}"
    r"in[ \t]absentia\b"
    r"[^.;]{0,80}?\b(?:ordered[ \t]{1,3})?(?:removed|deported)\b"
)
_OF_COMPLETIONS = re.compile(
    r"(?i)\bof[ \t]{1,3}(?:all[ \t]{1,3})?(?:completions|completed[ \t]{1,3}cases)\b"
)
_OUTCOME_OF = re.compile(
    r"(?i)\b(?:of|among)[ \t]{1,3}(?:the[ \t]{1,3})?(?:[\w,]{1,12}[ \t]{1,3}){0,1}(?P<what>removal[ \t]order"
    r"s?|deportation[ \t]orders?|"
    r"asylum[ \t]denials|denials|asylum[ \t]grants|grants|dismissals|terminations)\b"
    # "of the people judges ordered deported": the people an outcome was given to
    r"|\b(?:of|among)[ \t]{1,3}(?:the[ \t]{1,3}|those[ \t]{1,3})?(?:people|immigrants|migrants|respondents|"
    r"cases|those|noncitizens)?[ \t]{0,3}(?:whom[ \t]{1,3}|who[ \t]{1,3}(?:were[ \t]{1,3})?|that[ \t]{1,3})?"
    r"(?:(?:immigration[ \t]{1,3})?judges[ \t]{1,3}|courts?[ \t]{1,3})?"
    r"(?P<removed>ordered[ \t]{1,3}(?:removed|deported)|deported|removed)\b"
    # "of those granted asylum", "among the people who won asylum": the cases that ended in an asylum grant
    r"|\b(?:of|among)[ \t]{1,3}(?:the[ \t]{1,3}|those[ \t]{1,3})?(?:people|immigrants|migrants|respondents|"
    r"applicants|asylum[ \t]{1,3}seekers|those|noncitizens)?[ \t]{0,3}(?:who[ \t]{1,3}(?:were[ \t]{1,3})?)?"
    r"(?P<granted>granted[ \t]{1,3}asylum|won[ \t]{1,3}asylum)\b"
    # "of the cases that ended in voluntary departure", "among cases that ended with a grant of asylum"
    r"|\b(?:of|among)[ \t]{1,3}(?:the[ \t]{1,3})?cases[ \t]{1,3}(?:that|which)[ \t]{1,3}ended[ \t]{1,3}"
    r"(?:in|with)[ \t]{1,3}(?:an?[ \t]{1,3})?(?P<ended>voluntary[ \t]departure|removal[ \t]orders?|"
    r"grants?[ \t]of[ \t]asylum|asylum[ \t]grants?)\b"
)
_OUTCOME_VALUES = {
    "removal": ("removal_order",),
    "deportation": ("removal_order",),
    "dismissals": ("dismissed",),
    "terminations": ("terminated",),
}


# the concept an outcome group of _OUTCOME_OF names ("of the removal orders", "of those granted asylum")
_OUTCOME_CONCEPT = {
    "removed": ("removal_orders",),
    "granted": ("asylum_granted", "asylum_grant_rate"),
    "denied": ("asylum_denied",),
}


def _outcome_word(match: re.Match[str]) -> str:
    """The outcome an _OUTCOME_OF group is defined by: removed, granted, denied (or its noun)."""
    if match.group("removed"):
        return "removed"
    if match.group("granted"):
        return "granted"
    if match.group("ended"):
        ended = match.group("ended").lower()
        return (
            "voluntary" if ended.startswith("voluntary") else "removed" if "removal" in ended else "granted"
        )
    noun = match.group("what").split()[-1].lower()
    if noun.startswith("order"):
        return "removed"
    return {"grants": "granted", "denials": "denied"}.get(noun, noun)


def _new_groups(claim: Claim, extra: list[Qualifier]) -> list[Qualifier]:
    """``extra`` without the groups the claim already names with the same values (an outcome named twice)."""

    def values(value: Any) -> frozenset[Any]:
        return frozenset(value) if isinstance(value, (tuple, list)) else frozenset((value,))

    have = {(q.dimension, values(q.value)) for q in claim.qualifiers if q.dimension}
    return [q for q in extra if not q.dimension or (q.dimension, values(q.value)) not in have]


def _extra_qualifiers(claim: Claim, name: str) -> list[Qualifier]:
    """ "62 percent of the removal orders were in absentia": the outcome a share is taken of."""
    if claim.unit == "count" or name in (
        "removal_orders",
        "asylum_granted",
        "asylum_denied",
        "asylum_grant_rate",
        "closed_without_merits",
    ):
        return []
    match = _OUTCOME_OF.search(claim.sentence)
    if not match:
        return []
    if match.group("removed"):
        return [Qualifier("outcome", match.group(0), "outcome", ("removal_order",))]
    if match.group("granted"):
        return [Qualifier("outcome", match.group(0), "outcome", ("asylum_granted",))]
    if match.group("ended"):
        outcome = {
            "voluntary": "voluntary_departure",
            "removed": "removal_order",
            "granted": "asylum_granted",
        }
        return [Qualifier("outcome", match.group(0), "outcome", (outcome[_outcome_word(match)],))]
    word = match.group("what").split()[0].lower()
    values = _OUTCOME_VALUES.get(word)
    if values is None:
        return [Qualifier("outcome", match.group(0), None, None)]
    return [Qualifier("outcome", match.group(0), "outcome", values)]


def interpret(
    claim: Claim,
    *,
    as_of: date | None = None,
    release_end: date | None = None,
    metrics: dict[str, Any] | None = None,
) -> Interpretation:
    """Every reading of a claim (at most MAX_READINGS, natural first), or the reason there is none."""
    metrics = metrics or catalog()
    concept = concept_for(claim)
    if concept is None:
        group = next((q for q in claim.qualifiers if q.dimension is None), None)
        return Interpretation(
            status=f"not checkable: {group.key}" if group else "not checkable",
            missing=(group,) if group else (),
            reason="No immigration-court statistic matches what this number counts"
            + (f", and the data cannot isolate {group.text!r}." if group else "."),
        )
    if concept.source is not None or claim.unit == "count":
        # the cue describes the counted group ("DACA recipients"; a count of "asylum claims from Hondurans
        # who lacked lawyers"); a share's group word ("had a lawyer in 27 percent") is what it measures
        inner = concept_beside_groups(claim, tuple(q.text for q in counted_group(claim)))
        if inner is not None and inner.source is None:
            concept = inner
    if concept.source is not None:
        return Interpretation(
            status="outside the data",
            concept=concept,
            reason=f"Immigration-court records do not measure {concept.what or concept.name}; "
            f"check it against {concept.source}.",
        )
    undated = next(
        (t for t in (claim.time, claim.change_from) if t is not None and t.kind == "needs_date"), None
    )
    if undated is None and as_of is None and _since_to_now(claim):
        undated = claim.time
    if undated is not None and not any(q.dimension is None for q in claim.qualifiers):
        return Interpretation(
            status="not checkable: article date",
            concept=concept,
            reason=f"{undated.text!r} is relative to the article's date, which is not known (no dateline, "
            "no --as-of); give the date to check it.",
        )
    qualifiers = list(claim.qualifiers) + _new_groups(claim, _extra_qualifiers(claim, concept.name))
    percent_like = claim.unit in ("percent", "share") and claim.change not in (
        "difference",
        "ratio",
        "percent_change",
    )
    if claim.change == "points":
        percent_like = True
    if claim.unit == "ratio" or claim.change in ("ratio", "percent_change", "difference"):
        # a change of a rate or a share ("the in absentia share doubled") compares shares; of a count, counts
        own_words = " ".join(claim.context.split(" | ")[:2])
        percent_like = concept.name == "asylum_grant_rate" or bool(_SHARE_WORDS.search(own_words))
    name = concept.name
    if (
        name == "removal_orders"
        and percent_like
        and any(q.key == "in_absentia" for q in qualifiers)
        and not _ABSENTIA_GROUP.search(claim.sentence)
    ):
        # "2% were ordered removed in absentia": the share decided in absentia, not removals among them
        name = "in_absentia"
        qualifiers = [q for q in qualifiers if q.key != "in_absentia"] + _extra_qualifiers(claim, name)
    own_words = claim.context.split(" | ")[0]
    if (
        name == "asylum_granted"
        and not percent_like
        and (
            (
                _CASES_NOT_APPLICATIONS.search(claim.context.split(" | ")[-1])
                and not _APPLICATIONS.search(claim.sentence)
            )
            # "another 11,200 cases ended with a grant of asylum": its own clause counts cases
            or (_CASES_ENDED.search(own_words) and not _APPLICATIONS.search(own_words))
        )
    ):
        # "granted asylum in 12,300 cases", "to 110,000 people": cases, not applications
        name = "asylum_granted_cases"
    if (
        name == "completions"
        and not percent_like
        and (
            _ASYLUM_APPLICATIONS.search(claim.subject)
            # "Judges ruled on asylum 7,800 times": asylum decisions counted one by one
            or (
                _RULED_ON_ASYLUM.search(claim.context.split(" | ")[1] if " | " in claim.context else "")
                and re.match(r"(?i)\s*times\b", claim.subject)
            )
            or (_OF_DECISIONS.match(claim.subject) and re.search(r"(?i)\basylum\b", claim.sentence))
        )
    ):
        name = "asylum_decisions"  # "ruled on 48,000 asylum applications": decisions, not cases
    if (
        name in ("asylum_granted", "asylum_grant_rate")
        and percent_like
        and _OF_COMPLETIONS.search(claim.sentence)
    ):
        name = "asylum_grants_share_of_completions"  # grants over all completions: no catalog statistic
    if percent_like and name in ("asylum_decisions", "completions"):
        frame = f"{claim.sentence} {claim.context}"
        verdict = _DECISION_VERDICT.search(frame) if _DECISION_FRAME.search(frame) else None
        if verdict is not None:
            name = "asylum_denied" if verdict.group("deny") or verdict.group("deny2") else "asylum_grant_rate"
    bases = _bases(name, percent_like)
    if name == "relief_granted" and not percent_like and _NOT_ASYLUM_RELIEF.search(claim.sentence):
        # "granted relief other than asylum": the outcome class relief_granted alone, asylum cases or not
        bases = [
            _Base(
                "completions",
                "cases ending in relief other than asylum",
                where=(("outcome", ("relief_granted",)),),
                needs_population=False,
            )
        ]
    if (
        name == "allowed_to_remain"
        and claim.population == "asylum"
        and _WON_CASES.search(claim.sentence)
        and not isinstance(bases, str)
    ):
        # "asylum seekers won their cases": won asylum, or won the right to stay; both are natural readings,
        # so the verdict is supported only when both agree (else ambiguous, naming both)
        granted = _bases("asylum_granted_cases", False)
        bases = [_GRANT[0], *bases, _GRANT[1]] if percent_like else [granted[0], *bases]
    taken_of = _OUTCOME_OF.search(claim.sentence) if percent_like else None
    if taken_of is not None and name in _OUTCOME_CONCEPT.get(_outcome_word(taken_of), ()):
        # "Of the immigrants ordered deported, 70 percent were never detained": a share *of* an outcome cannot
        # count that outcome; what it counts is the group named after it, which no share statistic measures
        after = claim.sentence[taken_of.end() :]
        named = next((q for q in claim.qualifiers if q.text and q.text in after), None)
        if named is not None:
            return Interpretation(
                status=f"not checkable: {named.key}",
                concept=concept,
                missing=(named,),
                reason=f"This is the share of {named.text!r} among {taken_of.group(0).strip()!r}; the "
                "metric catalog has no statistic for it (reading it as the outcome's own share would "
                "misread the sentence).",
            )
    if isinstance(bases, str):
        return Interpretation(
            status=f"not checkable: {bases}",
            concept=concept,
            reason=f"The metric catalog has no statistic for this ({bases.replace('_', ' ')}).",
        )
    if claim.change in ("difference", "ratio", "points", "percent_change") and claim.change_from is None:
        group = next((q for q in claim.qualifiers if q.dimension is None), None)
        if group is not None:
            return Interpretation(
                status=f"not checkable: {group.key}",
                concept=concept,
                missing=(group,),
                reason=f"This number compares {group.text!r}; the data cannot isolate that comparison yet.",
            )
        return Interpretation(
            status="not checkable",
            concept=concept,
            reason="This number is a change, but the text gives no base period to compare with.",
        )
    readings: list[Reading] = []
    missing: list[Qualifier] = []
    group = counted_group(claim, qualifiers)
    for base in bases:
        filters, complement, lacking = _apply_qualifiers(base, concept, qualifiers, metrics)
        if lacking:
            missing.extend(q for q in lacking if q not in missing)
            continue
        metric = metrics.get(base.metric)
        if metric is None:
            continue
        share = metric.kind == "share"
        stock = metric.kind == "pending"
        periods = periods_for(claim.time, as_of=as_of, release_end=release_end, stock=stock)
        base_periods = (
            periods_for(claim.change_from, as_of=as_of, release_end=release_end, stock=stock)
            if claim.change_from
            else []
        )
        pairs = [(period, base_periods[0] if base_periods else None) for period in periods]
        if _since_to_now(claim) and not stock and as_of is not None:
            # "has tripled since 2020": the base year against the last year of the same kind complete at the
            # article date (fiscal with fiscal, calendar with calendar), never a cumulative total
            pairs = [(_last_complete_like(b, as_of), b) for b in base_periods]
        for population in _populations(claim, base, metric, filters):
            for period, base_period in pairs:
                reading = _reading(base, population, period, filters, complement ^ base.complement, share)
                reading.kind, reading.dimensions = metric.kind, tuple(metric.dimensions)
                if claim.change in ("difference", "ratio", "points", "percent_change"):
                    reading.change = claim.change
                    reading.base_period = base_period
                    if claim.compared_with == "national":
                        # "16 points below the national rate": the same statistic with no place filter
                        reading.base_where = {
                            k: v for k, v in reading.where.items() if k not in _PLACE_DIMENSIONS
                        }
                dropped = unapplied(reading, group, metrics)
                if dropped:  # the guard: a reading that leaves out a named group is never asked
                    missing.extend(q for q in dropped if q not in missing)
                    continue
                readings.append(reading)
    if not readings:
        named = missing[0] if missing else None
        if named is None:
            return Interpretation(
                status="not checkable", concept=concept, reason="No catalog statistic fits this claim."
            )
        return Interpretation(
            status=f"not checkable: {named.key}",
            concept=concept,
            missing=tuple(missing),
            qualifiers=group,
            reason=f"The data cannot isolate {named.text!r}"
            + (f" (no `{named.dimension}` dimension for this statistic)" if named.dimension else "")
            + "; reading it on everyone would drop that qualifier.",
        )
    if concept.name == "median_days":
        per = _days_per_unit(claim.subject or claim.context)
        for reading in readings:
            reading.per = per
    readings.sort(key=lambda r: not (r.natural and r.period.natural))
    return Interpretation(readings=readings[:MAX_READINGS], concept=concept, qualifiers=group)


def _since_to_now(claim: Claim) -> bool:
    """A change "since YEAR" (base: a fiscal or calendar year; end: the article date, no year written)."""
    return (
        claim.change in ("difference", "ratio", "points", "percent_change")
        and claim.change_from is not None
        and claim.change_from.kind in ("fiscal_year", "calendar_year")
        and claim.time.kind == "at_date"
        and not claim.time.years
    )


def _last_complete_like(base: Period, as_of: date) -> Period:
    """The last period of the same kind as ``base`` (a fiscal or a calendar year) complete at ``as_of``."""
    if base.fiscal_years is not None:
        year = as_of.year if as_of >= _fy_end(as_of.year) else as_of.year - 1
        return Period(f"FY{year} (last complete fiscal year at the article date)", fiscal_years=(year, year))
    year = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    return Period(
        f"calendar {year} (last complete year at the article date)",
        date_from=date(year, 1, 1),
        date_to=date(year, 12, 31),
    )


def readings_for(
    claim: Claim,
    *,
    as_of: date | None = None,
    release_end: date | None = None,
    metrics: dict[str, Any] | None = None,
) -> list[Reading]:
    """The readings of ``interpret`` ([] when the claim is not checkable)."""
    return interpret(claim, as_of=as_of, release_end=release_end, metrics=metrics).readings


def _apply_qualifiers(
    base: _Base, concept: Concept, qualifiers: list[Qualifier], metrics: dict[str, Any]
) -> tuple[dict[str, Any], bool, list[Qualifier]]:
    """(filters, complement, qualifiers the metric cannot isolate) for one base reading."""
    metric = metrics.get(base.metric)
    dimensions = set(getattr(metric, "dimensions", ()) or ())
    filters: dict[str, Any] = dict(base.where)
    complement = False
    lacking: list[Qualifier] = []
    for qualifier in qualifiers:
        if (
            qualifier.key == "represented"
            and concept.name == "represented"
            and base.metric == "represented_share"
        ):
            complement = qualifier.value is False  # "had no lawyer": 1 - the represented share
            continue
        if qualifier.key == "in_absentia" and concept.name == "in_absentia":
            continue
        if qualifier.dimension is not None and metric is not None:
            # "62 percent of the removal orders were in absentia": the group the statistic is taken of
            own = universe(getattr(metric, "population", "")).get(qualifier.dimension)
            if own is not None and own == frozenset(
                qualifier.value if isinstance(qualifier.value, tuple) else (qualifier.value,)
            ):
                continue
        if qualifier.dimension is None or qualifier.dimension not in dimensions:
            lacking.append(qualifier)
            continue
        # "flag" dimensions (criminal_charge, aggravated_felony) answer yes / no / unknown; a bool filters.
        yes_no = (None, "boolean", "flag")
        if isinstance(qualifier.value, bool) and dimension_kind(qualifier.dimension) not in yes_no:
            lacking.append(
                qualifier
            )  # a yes/no group on a dimension of labels: its values are not known here
            continue
        if qualifier.dimension in filters and filters[qualifier.dimension] != qualifier.value:
            if qualifier.dimension == "outcome":
                lacking.append(qualifier)
                continue
        filters[qualifier.dimension] = qualifier.value
    return filters, complement, lacking


def _days_per_unit(text: str) -> float:
    if re.search(r"\byears?\b", text, re.I):
        return 365.25
    if re.search(r"\bmonths?\b", text, re.I):
        return 30.44
    return 1.0


def _populations(
    claim: Claim, base: _Base, metric: Any, filters: dict[str, Any]
) -> list[tuple[str, dict[str, Any], bool]]:
    if (
        not base.needs_population
        or "asylum_case" not in (getattr(metric, "dimensions", ()) or ())
        or implies_asylum(filters)  # "defensive asylum cases": the asylum type keeps only asylum cases
    ):
        return [("", {}, True)]
    asylum = ("asylum cases", {"asylum_case": True})
    everyone = ("all cases", {})
    if claim.population == "asylum":
        return [(*asylum, True)]  # the sentence names asylum: reading it on all cases would drop a qualifier
    own_words = " ".join(claim.context.split(" | ")[:2])
    if claim.population == "asylum_context" and not _OWN_GROUP.search(own_words):
        # "This is about asylum seekers. ... 77 percent were allowed to remain": of the group named before
        return [(*asylum, True), (*everyone, False)]
    # asylum named only elsewhere, while the number names its own group ("the backlog of pending cases in
    # the immigration courts"): every case; asylum cases are the other reading
    return [(*everyone, True), (*asylum, False)]


_OWN_GROUP = re.compile(
    r"(?i)\b(?:cases?|backlog|docket|pending|completions?|filings?|receipts|immigrants|migrants|people|"
    r"respondents|noncitizens|individuals|persons|applicants|families|adults|dismissals|terminations|"
    r"closures|orders|decisions|grants|denials|applications|claims)\b"
)


def _reading(
    base: _Base,
    population: tuple[str, dict[str, Any], bool],
    period: Period,
    filters: dict[str, Any],
    complement: bool,
    share: bool,
) -> Reading:
    pop_label, where, pop_natural = population
    all_filters = {**filters, **where}
    shown = ", ".join(f"{k} = {_show(v)}" for k, v in all_filters.items() if k not in dict(base.where))
    label = (
        base.label
        + (f", {pop_label}" if pop_label and not shown else "")
        + (f", {shown}" if shown else "")
        + f", {period.label}"
    )
    return Reading(
        metric=base.metric,
        label=label,
        period=period,
        where=all_filters,
        options=dict(base.options),
        natural=base.natural and pop_natural,
        complement=complement,
        take=base.take,
        share=share and base.take == "value",
    )


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return " or ".join(str(v) for v in value)
    return str(value)


# --------------------------------------------------------------------------------------------- periods


def _fy_start(year: int) -> date:
    return date(year - 1, 10, 1)


def _fy_end(year: int) -> date:
    return date(year, 9, 30)


def periods_for(
    time: TimeRef | None, *, as_of: date | None, release_end: date | None, stock: bool
) -> list[Period]:
    """The period readings of a time reference: fiscal and calendar where the text does not say which.

    A stock (``stock``: pending cases) is read on a day: the end of the period, or its start for "at the start
    of"; a flow is read over the period.
    """
    time = time or TimeRef()
    if stock:
        return _stock_periods(time, as_of=as_of)
    years = time.years
    if time.kind == "fiscal_year" and years:
        return [Period(f"FY{_span(years)}", fiscal_years=(years[0], years[-1]))]
    if time.kind in ("calendar_year", "range") and years:
        fiscal = Period(f"FY{_span(years)}", fiscal_years=(years[0], years[-1]))
        calendar = Period(
            f"calendar {_span(years)}", date_from=date(years[0], 1, 1), date_to=date(years[-1], 12, 31)
        )
        return [calendar] if time.explicit else [fiscal, calendar]
    if time.kind == "dates" and time.date_from:
        end = date.fromisoformat(time.date_to) if time.date_to else as_of
        return [
            Period(
                f"{time.date_from} to {end.isoformat() if end else 'the release date'}",
                date_from=date.fromisoformat(time.date_from),
                date_to=end,
            )
        ]
    if time.kind == "since" and years:
        end = as_of
        if time.month:
            start = date(years[0], time.month, 1)
            return [Period(f"since {start:%Y-%m}", date_from=start, date_to=end)]
        first = years[0] + (1 if time.edge == "end" else 0)  # "since the end of FY 2021": FY2022 on
        fiscal = Period(f"FY{first} onward", date_from=_fy_start(first), date_to=end)
        calendar = Period(f"since 1 Jan {first}", date_from=date(first, 1, 1), date_to=end)
        if time.calendar:
            return [calendar]
        return [fiscal] if time.explicit else [fiscal, calendar]
    if time.kind == "so_far":
        year = years[0] if years else (as_of or release_end or date.today()).year
        fiscal = Period(f"FY{year} to date", date_from=_fy_start(year), date_to=as_of)
        calendar = Period(f"calendar {year} to date", date_from=date(year, 1, 1), date_to=as_of)
        if time.calendar:
            return [calendar]
        return [fiscal] if time.explicit else [fiscal, calendar]
    if time.kind == "administration" and time.administration:
        return [Period(f"{time.administration} administration", administration=time.administration)]
    if time.kind == "at_date" and time.years:
        day = date(time.years[0], time.month or 12, time.day or 28)
        return [Period(f"{day.isoformat()}", date_from=date(day.year, day.month, 1), date_to=day)]
    return [Period("whole release")]


def _stock_periods(time: TimeRef, *, as_of: date | None) -> list[Period]:
    years = time.years
    if time.kind == "fiscal_year" and years:
        if time.edge == "start":
            return [Period(f"pending at start of FY{years[0]}", at=_fy_start(years[0]))]
        return [Period(f"pending at end of FY{years[-1]}", at=_fy_end(years[-1]))]
    if time.kind in ("calendar_year", "range") and years:
        year = years[0] if time.edge == "start" else years[-1]
        if time.edge == "start":
            return [Period(f"pending at start of {year}", at=date(year, 1, 1))]
        fiscal = Period(f"pending at end of FY{year}", at=_fy_end(year))
        calendar = Period(f"pending at end of {year}", at=date(year, 12, 31))
        return [calendar] if time.explicit else [fiscal, calendar]
    if time.kind == "at_date" and years:
        day = date(years[0], time.month or 12, time.day or 28)
        return [Period(f"pending at {day.isoformat()}", at=day)]
    if time.kind == "dates" and time.date_to:
        day = date.fromisoformat(time.date_to)
        return [Period(f"pending at {day.isoformat()}", at=day)]
    if time.kind == "administration" and time.administration:
        admin = next((a for a in administrations() if a.name == time.administration), None)
        if admin is not None and admin.last_day is not None:
            return [Period(f"pending at end of the {admin.name} administration", at=admin.last_day)]
    if time.kind == "so_far" and as_of:
        return [Period(f"pending at {as_of.isoformat()} (article date)", at=as_of)]
    if as_of:
        return [
            Period(f"pending at {as_of.isoformat()} (article date)", at=as_of),
            Period("pending at the release date", natural=False),
        ]
    return [Period("pending at the release date")]


def _span(years: tuple[int, ...]) -> str:
    return str(years[0]) if len(set(years)) == 1 else f"{years[0]}–{years[-1]}"


def day_before(day: date) -> date:
    return day - timedelta(days=1)
