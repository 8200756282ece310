"""The qualifier guard: no reading that ignores a group the text names ever reaches a verdict.

Every qualifier the extractor recognised on the counted group (``Claim.qualifiers``, the outcome a share is
taken of that ``interpret`` adds, and "asylum" when the claim names asylum cases) must be *accounted for*
by each reading that is allowed to give a value-based verdict. A reading accounts for a qualifier in one of
three ways, each read from the metric catalog, never from a list kept here:

- ``filter``: the reading filters on the qualifier's dimension with the qualifier's value(s);
- ``universe``: the metric's own population already is that group (``in_absentia_share`` counts only
  removal orders, so "of the removal orders" adds nothing; a statistic of asylum decisions counts only asylum
  cases); derived from the catalog's ``population`` condition;
- ``measured``: the qualifier is what the statistic measures (the catalog's ``numerator``): "had no lawyer"
  on ``represented_share`` (read as its complement), "in absentia" on ``in_absentia_share``.

``unapplied(reading, qualifiers)`` lists what a reading leaves out; ``interpret`` drops such readings (the
claim becomes "not checkable: <qualifier>"), and ``enforce`` is called by ``verdict.decide`` on every
verdict, so a reading that slipped through would turn a supported/contradicted/ambiguous verdict into "not
checkable" naming the qualifier. Shapes: qualifiers are ``claim.Qualifier``; readings ``readings.Reading``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from immcourt.claims.claim import Claim, Qualifier
from immcourt.claims.places import PLACE_DIMENSIONS, named_places, unisolable_groups
from immcourt.claims.qualifiers import bundled_lexicon
from immcourt.claims.readings import Reading

# Verdicts that state a value-based judgement; only these can be wrong by dropping a qualifier.
VALUE_VERDICTS = ("supported", "contradicted", "supported_other_definition", "ambiguous")

# "asylum" named on the counted group ("asylum seekers", "asylum cases"): the catalog dimension asylum_case.
ASYLUM_GROUP = Qualifier("asylum_case", "asylum", "asylum_case", True)

# Filters that, by the catalog's dimension definitions, only asylum cases can have: an asylum type
# (C_ASY_TYPE is set on asylum applications), an asylum decision, or the outcome class asylum_granted.
_ASYLUM_ONLY = (("asylum_type", None), ("asylum_decision", None), ("outcome", "asylum_granted"))


def counted_group(claim: Claim, extra: Iterable[Qualifier] = ()) -> tuple[Qualifier, ...]:
    """Every qualifier on the counted group of ``claim``: its own, ``extra`` (added by interpret), and
    asylum when the claim names asylum (``Claim.population == "asylum"``)."""
    found: list[Qualifier] = []
    for qualifier in (*claim.qualifiers, *extra):
        if qualifier not in found:
            found.append(qualifier)
    if claim.population == "asylum" and not any(q.dimension == "asylum_case" for q in found):
        found.append(ASYLUM_GROUP)
    # the place guard: a court, nationality or language the number's clause names, and a group no dimension
    # isolates (pro bono, MPP, a region) named in its sentence, must be accounted for like any other group
    for qualifier in (*named_places(claim, bundled_lexicon()), *unisolable_groups(claim.sentence)):
        if qualifier not in found and not any(_same_place(q, qualifier) for q in found):
            found.append(qualifier)
    return tuple(found)


def _same_place(first: Qualifier, second: Qualifier) -> bool:
    return (
        first.dimension is not None
        and first.dimension == second.dimension
        and second.value in _values(first.value)
    ) or (first.dimension is None and first.key == second.key)


def _values(value: Any) -> frozenset[Any]:
    if isinstance(value, (tuple, list, set, frozenset)):
        return frozenset(value)
    return frozenset((value,))


def _without_templates(condition: str) -> str:
    """A catalog condition with its optional Jinja parts removed (the base rule, no option)."""
    return re.sub(r"\{%.*?%\}.*?\{%\s*endif\s*%\}", "", condition or "", flags=re.S)


_EQUALS = re.compile(r"\b(?P<dim>[a-z_]+)\s*=\s*'(?P<value>[\w-]+)'")
_IN = re.compile(r"\b(?P<dim>[a-z_]+)\s+IN\s*\((?P<values>[^)]*)\)", re.I)


@lru_cache(maxsize=64)
def universe(population: str) -> dict[str, frozenset[Any]]:
    """Dimension → the values every case of a catalog population has ("outcome = 'removal_order'")."""
    text = _without_templates(population)
    found: dict[str, frozenset[Any]] = {}
    for match in _EQUALS.finditer(text):
        found[match.group("dim")] = frozenset((match.group("value"),))
    for match in _IN.finditer(text):
        found[match.group("dim")] = frozenset(re.findall(r"'([\w-]+)'", match.group("values")))
    if "asylum_decision" in found:
        found["asylum_case"] = frozenset((True,))  # asylum decisions are decisions on asylum applications
    return found


def measured(numerator: str | None) -> str | None:
    """The yes/no dimension a share measures: the catalog's ``numerator`` when it is a bare column
    ("in_absentia", "represented"); None for a condition (``outcome IN (...)``), which a group never names."""
    match = re.fullmatch(r"\s*([a-z_]+)\s*", numerator or "")
    return match.group(1) if match else None


def _metric(name: str, metrics: dict[str, Any] | None) -> Any:
    if metrics is not None and name in metrics:
        return metrics[name]
    from immcourt.metrics.catalog import METRICS_BY_NAME

    return METRICS_BY_NAME.get(name)


def how_applied(reading: Reading, qualifier: Qualifier, metrics: dict[str, Any] | None = None) -> str | None:
    """ "filter", "universe" or "measured": how ``reading`` accounts for ``qualifier``; None: dropped."""
    if qualifier.dimension is None:
        return None  # the data cannot isolate the group: no reading can account for it
    wanted = _values(qualifier.value)
    if qualifier.dimension in reading.where and _values(reading.where[qualifier.dimension]) == wanted:
        return "filter"
    if qualifier.alternatives and reading.where.get(qualifier.dimension) in qualifier.alternatives:
        return "filter"  # one of the values the same words equally name (a surname two judges share)
    if (
        qualifier.dimension in PLACE_DIMENSIONS
        and qualifier.dimension in reading.where
        and wanted <= _values(reading.where[qualifier.dimension])
    ):
        return "filter"  # "the Atlanta and Lumpkin courts": each name is one of the reading's places
    if qualifier.dimension == "court" and "judge" in reading.where:
        return "filter"  # "Judge X of the Chicago court": the judge's cases are narrower than the court's
    metric = _metric(reading.metric, metrics)
    if metric is None:
        return None
    if universe(getattr(metric, "population", "")).get(qualifier.dimension) == wanted:
        return "universe"
    if reading.take == "value" and measured(getattr(metric, "numerator", None)) == qualifier.dimension:
        return "measured"
    if (
        qualifier.dimension == "asylum_case"
        and wanted == frozenset((True,))
        and implies_asylum(reading.where)
    ):
        return "filter"
    return None


def implies_asylum(where: dict[str, Any]) -> bool:
    """Whether filters already keep only asylum cases (an asylum type, an asylum decision, asylum granted)."""
    for dimension, value in _ASYLUM_ONLY:
        have = where.get(dimension)
        if have is not None and (value is None or _values(have) == frozenset((value,))):
            return True
    return False


def unapplied(
    reading: Reading, qualifiers: Iterable[Qualifier], metrics: dict[str, Any] | None = None
) -> list[Qualifier]:
    """The qualifiers of the counted group that ``reading`` neither filters on nor has by definition."""
    return [q for q in qualifiers if how_applied(reading, q, metrics) is None]


def enforce(
    category: str,
    readings: Iterable[Reading],
    qualifiers: Iterable[Qualifier],
    metrics: dict[str, Any] | None = None,
) -> str | None:
    """None when a verdict of ``category`` may stand; else the "not checkable" explanation naming the
    first qualifier some evaluated reading dropped. Only value-based verdicts are guarded."""
    if category not in VALUE_VERDICTS:
        return None
    groups = tuple(qualifiers)
    for reading in readings:
        if reading.matches is None:
            continue  # not evaluated: took no part in the verdict
        dropped = unapplied(reading, groups, metrics)
        if dropped:
            first = dropped[0]
            return (
                f"The reading {reading.label!r} does not isolate {first.describe()}; a verdict on it would "
                f"drop that qualifier, so the claim is not checkable ({first.key})."
            )
    return None
