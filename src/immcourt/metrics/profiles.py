"""Profiles of courts, nationalities and judges: index tables, headline numbers, a judge beside the court
and the nation, and the rule that tells a judge code from a pseudo-judge.

Every number here is a catalog metric answered by `Store.stats` (completions, asylum_decisions,
asylum_grant_rate, allowed_to_remain_share, pending); this module only asks for the right cuts and puts the
answers side by side, each with its exclusions and the minimum-n rule that withheld it. The web's profile
pages call these functions (so can Python: `profile_index(immcourt.open(store).stats, "judge")`); the web
counts nothing itself.

Shapes: `profile_index(...) -> ProfileIndex` (one `IndexRow` per court, nationality or judge),
`headlines(...) -> list[Headline]`, `judge_comparison(...) -> Comparison` (rows per fiscal year plus the
whole window). `stats` is any callable with `Store.stats`' signature (a `Store`'s bound method).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

PROFILE_DIMENSIONS = ("court", "nationality", "judge")

# A judge code that does not stand for one judge deciding his or her own docket. EOIR's judge lookup mixes
# them in with the judges (docs/METHODOLOGY.md, "Pseudo-judges"); their numbers are shown and flagged but
# never ranked beside judges. Matched against the judge's name in the release's tblLookupJudge, any case.
# Order matters: the first rule that matches names the kind.
PSEUDO_JUDGE_RULES: tuple[tuple[str, str, str], ...] = (
    ("unknown", "no IJ_CODE on the proceeding", r"^unknown$"),
    (
        "visiting",
        "a visiting-judge code: used by judges visiting from another court, one after another or as a "
        "second code of one judge",
        r"\bVISITING\s+JUDGE\b",
    ),
    ("detail", "a detail-judge slot filled in turn by judges detailed to a court", r"\bDETAIL\s+JUDGE\b"),
    ("temporary", "a temporary (TEMP) second code of a judge: part of one judge's decisions", r"\(TEMP\)"),
    (
        "former judge",
        "a code for decisions of former immigration judges",
        r"\bFORMER\s+(IMMIGRATION\s+)?JUDGE\b",
    ),
    (
        "placeholder",
        "a placeholder for a judge not yet named (new or incoming judge)",
        r"^NEW\s+IJ\b|\bINCOMING\s+JUDGE\b",
    ),
    (
        "clerical",
        "a calendar, docket, video, test or all-judges code, not a person",
        r"<ALL\s+JUDGES>|\bMASTER\s+CALENDAR\b|\bDOCKET\b|\bVIDEO\s+JUDGE\b|\bTEST(ING)?\b|\bTRAIN\d*\b",
    ),
)
_PSEUDO = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, _, pattern in PSEUDO_JUDGE_RULES)


def pseudo_judge(name: object) -> str | None:
    """The pseudo-judge kind of a judge label (`visiting`, `clerical`, ...), or None for a judge.

    `name` is the judge as the metrics show it: the tblLookupJudge name, else the code, else `unknown`.
    """
    text = " ".join(str(name or "").split())
    for kind, pattern in _PSEUDO:
        if pattern.search(text):
            return kind
    return None


def pseudo_judge_description(kind: str) -> str:
    """The sentence that explains a pseudo-judge kind (for pages and the methodology)."""
    return next(description for name, description, _ in PSEUDO_JUDGE_RULES if name == kind)


Stats = Callable[..., Any]  # Store.stats


@dataclass
class IndexRow:
    """One court, nationality or judge in an index table (counts and rate over the index's filters)."""

    name: str
    completions: int = 0
    asylum_decisions: int = 0
    grant_rate: float | None = None  # asylum_grant_rate; None when withheld or without decisions
    grant_rate_n: int = 0  # the decisions behind the rate (its denominator)
    withheld: str | None = None  # why the rate is withheld (the metric's minimum-n rule)
    court: str | None = None  # the court with the most completions (judge and nationality indexes)
    courts: int = 0  # how many courts it has completions in
    first_fy: int | None = None  # first and last fiscal year with a completion
    last_fy: int | None = None
    pseudo: str | None = None  # judges: the pseudo-judge kind, else None
    rank: int | None = None  # by grant rate, highest first, among judges (not pseudo) with a shown rate


@dataclass
class ProfileIndex:
    """The index of one profile kind under some filters: rows plus what the numbers left out."""

    kind: str
    rows: list[IndexRow]
    exclusions: dict[str, dict[str, int]]  # metric -> reason -> records
    withheld: int  # rates withheld by the minimum-n rule
    withheld_decisions: int  # the decisions behind them
    lowering_options: tuple[str, ...]  # options whose lower value would show withheld rates
    convention: str | None
    options: dict[str, Any]

    @property
    def ranked(self) -> list[IndexRow]:
        """Rows that take part in rankings: every row except pseudo-judges."""
        return [row for row in self.rows if not row.pseudo]

    @property
    def pseudo_rows(self) -> list[IndexRow]:
        return [row for row in self.rows if row.pseudo]


def _rows(result: Any) -> list[dict[str, Any]]:
    return result.to_dicts()


def _lowering(result: Any) -> tuple[str, ...]:
    """The options whose lower values would show the result's withheld cells: the rule that hid each cell
    (the metrics layer names it) and min_n too where the cell is also below min_n."""
    found: dict[str, None] = {}
    min_n = int(result.options.get("min_n", 0) or 0)
    for cell in result.suppressed:
        if cell.get("option"):
            found[str(cell["option"])] = None
        if int(cell.get("n") or 0) < min_n:
            found["min_n"] = None
    return tuple(found)


def profile_index(
    stats: Stats,
    kind: str,
    *,
    where: Mapping[str, object] | None = None,
    fiscal_years: tuple[int, int] | None = None,
    options: Mapping[str, object] | None = None,
) -> ProfileIndex:
    """Completions, asylum decisions, the asylum grant rate, main court and first/last fiscal year of every
    court, nationality or judge (`kind`) under `where` and `fiscal_years`.

    The grant rate follows the metric's minimum-n rules (for judges TRAC's: judge_min_decisions in the
    window); a withheld rate is None with the reason. Rank: judges only, highest rate first, pseudo-judges
    left out. Raises the metrics layer's errors (StatsError, UnknownFilterValue) for bad filters.
    """
    if kind not in PROFILE_DIMENSIONS:
        raise ValueError(f"profile kind {kind!r} is not one of {', '.join(PROFILE_DIMENSIONS)}")
    common: dict[str, Any] = {"where": dict(where or {}), "fiscal_years": fiscal_years, "options": options}
    completions = stats("completions", by=[kind], **common)
    decisions = stats("asylum_decisions", by=[kind], **common)
    rates = stats("asylum_grant_rate", by=[kind], **common)
    years = stats("completions", by=[kind, "fiscal_year"], **common)
    rows: dict[str, IndexRow] = {}

    def row(name: object) -> IndexRow:
        key = str(name)
        if key not in rows:
            rows[key] = IndexRow(key, pseudo=pseudo_judge(key) if kind == "judge" else None)
        return rows[key]

    for item in _rows(completions):
        row(item[kind]).completions = int(item["value"] or 0)
    for item in _rows(decisions):
        row(item[kind]).asylum_decisions = int(item["value"] or 0)
    for item in _rows(rates):
        entry = row(item[kind])
        entry.grant_rate, entry.grant_rate_n = item["value"], int(item["n"] or 0)
    for cell in rates.suppressed:
        entry = row(cell[kind])
        entry.grant_rate, entry.grant_rate_n, entry.withheld = None, int(cell["n"] or 0), str(cell["reason"])
    for item in _rows(years):
        if item["value"]:
            entry = row(item[kind])
            fy = int(item["fiscal_year"])
            entry.first_fy = fy if entry.first_fy is None else min(entry.first_fy, fy)
            entry.last_fy = fy if entry.last_fy is None else max(entry.last_fy, fy)
    exclusions = {
        "completions": dict(completions.exclusions),
        "asylum_decisions": dict(decisions.exclusions),
        "asylum_grant_rate": dict(rates.exclusions),
    }
    if kind != "court":
        by_court = stats("completions", by=[kind, "court"], **common)
        # the court with the most completions; a tie goes to the name first in the alphabet (stable)
        for item in sorted(_rows(by_court), key=lambda r: (-int(r["value"] or 0), str(r["court"]))):
            if not item["value"]:
                continue
            entry = row(item[kind])
            entry.courts += 1
            if entry.court is None:
                entry.court = str(item["court"])
    ordered = sorted(rows.values(), key=lambda r: (-r.completions, r.name))
    ranked = sorted(
        (r for r in ordered if not r.pseudo and r.grant_rate is not None),
        key=lambda r: (-float(r.grant_rate or 0), -r.grant_rate_n, r.name),
    )
    if kind == "judge":
        for position, entry in enumerate(ranked, start=1):
            entry.rank = position
        pseudo = [r for r in ordered if r.pseudo]
        if pseudo:
            codes = f"{len(pseudo)} code{'s' if len(pseudo) != 1 else ''}"
            reason = f"pseudo-judge codes kept out of the ranking ({codes}; their asylum decisions)"
            exclusions["ranking"] = {reason: sum(r.asylum_decisions for r in pseudo)}
    return ProfileIndex(
        kind=kind,
        rows=ordered,
        exclusions={name: found for name, found in exclusions.items() if found},
        withheld=len(rates.suppressed),
        withheld_decisions=sum(int(cell["n"] or 0) for cell in rates.suppressed),
        lowering_options=_lowering(rates),
        convention=rates.convention,
        options=dict(rates.options),
    )


@dataclass
class Headline:
    """One number at the top of a page: a catalog metric for one period, with what it left out."""

    label: str
    metric: str
    value: float | int | None  # None when withheld by the minimum-n rule
    n: int  # the records behind it (decisions for a rate, cases for a count)
    period: str  # in words: `FY2026`, `FY2019-FY2024`, `on 2026-10-31`
    kind: str  # the metric's kind: count | share | pending
    params: list[tuple[str, str]]  # the explorer's URL parameters for the same number
    withheld: str | None = None
    lowering_options: tuple[str, ...] = ()
    convention: str | None = None
    exclusions: dict[str, int] = field(default_factory=dict)


def headlines(
    stats: Stats,
    *,
    where: Mapping[str, object] | None = None,
    fiscal_years: tuple[int, int],
    pending_on: date | None,
    options: Mapping[str, object] | None = None,
    judge: bool = False,
) -> list[Headline]:
    """Completions, asylum grant rate, allowed-to-remain share and (not for judges) pending cases under
    `where`, over `fiscal_years` (pending: on `pending_on`). With `judge`, the rate is grouped by the judge
    so TRAC's judge thresholds apply."""
    filters = dict(where or {})
    first, last = fiscal_years
    period = f"FY{first}" if first == last else f"FY{first}-FY{last}"
    params_where = [(name, str(value)) for name, value in filters.items()]
    years = [("fy_from", str(first)), ("fy_to", str(last))]
    option_pairs = [(f"opt.{name}", str(value)) for name, value in (options or {}).items()]
    wanted = [
        ("Completed cases", "completions", ()),
        ("Asylum grant rate", "asylum_grant_rate", ("judge",) if judge else ()),
        ("Allowed to remain", "allowed_to_remain_share", ()),
    ]
    out = []
    for label, metric, by in wanted:
        result = stats(metric, by=list(by), where=filters, fiscal_years=fiscal_years, options=options)
        rows = _rows(result)
        params = [("metric", metric), *[("by", dim) for dim in by], *params_where, *years, *option_pairs]
        if rows:
            value, n = rows[0]["value"], int(rows[0]["n"] or 0)
            withheld = None
        elif result.suppressed:
            value, n, withheld = (
                None,
                int(result.suppressed[0]["n"] or 0),
                str(result.suppressed[0]["reason"]),
            )
        else:
            value, n, withheld = None, 0, None
        out.append(
            Headline(
                label=label,
                metric=metric,
                value=value,
                n=n,
                period=period,
                kind=result.metric.kind,
                params=params,
                withheld=withheld,
                lowering_options=_lowering(result),
                convention=result.convention,
                exclusions=dict(result.exclusions),
            )
        )
    if not judge and pending_on is not None:
        result = stats("pending", where=filters, at=pending_on, options=options)
        rows = _rows(result)
        out.append(
            Headline(
                label="Pending cases",
                metric="pending",
                value=rows[0]["value"] if rows else 0,
                n=int(rows[0]["value"] or 0) if rows else 0,
                period=f"on {pending_on.isoformat()}",
                kind="pending",
                params=[("metric", "pending"), *params_where, ("at", pending_on.isoformat()), *option_pairs],
                exclusions=dict(result.exclusions),
            )
        )
    return out


@dataclass
class ComparisonRow:
    """One fiscal year (or the whole window, `period` = 'all'): judge, court and nation side by side."""

    period: str
    values: dict[str, float | None]  # judge | court | nation -> grant rate (None: withheld or no decision)
    n: dict[str, int]  # the decisions behind each rate
    withheld: dict[str, str]  # why a rate is withheld


@dataclass
class Comparison:
    """A judge's asylum grant rate beside the court's and the nation's over the same fiscal years."""

    judge: str
    court: str | None  # the court where the judge decided the most asylum applications
    courts: int  # courts the judge decided asylum applications in
    fiscal_years: tuple[int, int] | None  # the judge's first and last year with a decision
    rows: list[ComparisonRow]  # one per fiscal year, then the whole window
    decisions_by_year: list[tuple[int, int]]  # (fiscal year, the judge's asylum decisions)
    convention: str | None
    exclusions: dict[str, dict[str, int]]
    lowering_options: tuple[str, ...]

    @property
    def total(self) -> ComparisonRow | None:
        return self.rows[-1] if self.rows else None


def judge_comparison(stats: Stats, judge: str, *, options: Mapping[str, object] | None = None) -> Comparison:
    """The judge's asylum grant rate per fiscal year and over the window, beside the rate of the judge's
    main court and of the nation over the same fiscal years (the judge's first to last year with an asylum
    decision). The court's and nation's rates include the judge's own decisions. The judge's rates follow
    TRAC's judge thresholds (they are computed grouped by judge); the others the metric's min_n."""
    mine = stats("asylum_decisions", by=["fiscal_year"], where={"judge": judge}, options=options)
    by_year = [(int(r["fiscal_year"]), int(r["value"] or 0)) for r in _rows(mine)]
    active = [year for year, count in by_year if count]
    courts = stats("asylum_decisions", by=["court"], where={"judge": judge}, options=options)
    court_rows = sorted(
        (r for r in _rows(courts) if r["value"]), key=lambda r: (-int(r["value"]), str(r["court"]))
    )
    court = str(court_rows[0]["court"]) if court_rows else None
    if not active:
        return Comparison(judge, court, len(court_rows), None, [], by_year, None, {}, ())
    window = (min(active), max(active))
    by_year = [(year, count) for year, count in by_year if window[0] <= year <= window[1]]
    series = {
        "judge": ({"judge": judge}, ["judge"]),
        "court": ({"court": court} if court else None, []),
        "nation": ({}, []),
    }
    years: dict[str, dict[str, ComparisonRow]] = {}
    exclusions: dict[str, dict[str, int]] = {}
    lowering: dict[str, None] = {}
    convention = None
    for who, (where, extra) in series.items():
        if where is None:
            continue
        for by, label in (([*extra, "fiscal_year"], None), (extra, "all")):
            result = stats("asylum_grant_rate", by=by, where=where, fiscal_years=window, options=options)
            convention = result.convention
            exclusions.setdefault(who, dict(result.exclusions))
            lowering.update(dict.fromkeys(_lowering(result)))
            cells = [(r, None) for r in _rows(result)] + [(c, str(c["reason"])) for c in result.suppressed]
            for cell, reason in cells:
                period = label or str(cell["fiscal_year"])
                entry = years.setdefault(period, ComparisonRow(period, {}, {}, {}))
                entry.values[who] = None if reason else cell["value"]
                entry.n[who] = int(cell["n"] or 0)
                if reason:
                    entry.withheld[who] = reason
    ordered = [years[str(year)] for year in range(window[0], window[1] + 1) if str(year) in years]
    if "all" in years:
        ordered.append(years["all"])
    return Comparison(
        judge=judge,
        court=court,
        courts=len(court_rows),
        fiscal_years=window,
        rows=ordered,
        decisions_by_year=by_year,
        convention=convention,
        exclusions=exclusions,
        lowering_options=tuple(lowering),
    )
