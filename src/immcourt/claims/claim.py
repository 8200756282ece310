"""The data shapes shared by every claims module: a time reference, a qualifier, a claim.

Nothing here parses text; numbers.py, times.py, qualifiers.py and extract.py fill these in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

UNITS = ("count", "percent", "share", "ratio")
HEDGES = ("exact", "at_least", "more_than", "fewer_than", "at_most", "about", "nearly")
TIME_KINDS = (
    "fiscal_year",
    "calendar_year",
    "range",
    "since",
    "so_far",
    "administration",
    "at_date",
    "dates",
    "needs_date",  # "last year", "this year" with no article date (no dateline, no --as-of): not checkable
    "none",
)
CHANGE_KINDS = ("from_to", "difference", "ratio", "points", "percent_change")


@dataclass(frozen=True)
class TimeRef:
    """When a claim applies.

    ``explicit`` is False for a bare year, which may be fiscal or calendar. ``kind == "dates"`` is an exact
    span ``date_from``..``date_to`` (ISO strings; ``date_to`` None: to the article date or the release).
    ``edge`` is "start" or "end" for "at the start/end of FY2010" (a stock is read on that day).
    """

    kind: str = "none"
    years: tuple[int, ...] = ()
    administration: str | None = None
    month: int | None = None
    explicit: bool = True
    inherited: bool = False
    text: str = ""
    day: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    edge: str | None = None
    calendar: bool = False  # the text says a calendar year ("this year so far", "calendar 2021")
    # the calendar alternative's years when they differ from the fiscal reading's ("last year" on 2026-11-15:
    # FY2026, or calendar 2025)
    calendar_years: tuple[int, ...] = ()
    # other administrations the same words name ("the Trump administration" after Trump II began)
    alternatives: tuple[str, ...] = ()

    def describe(self) -> str:
        years = "–".join(str(y) for y in self.years)
        parts = {
            "fiscal_year": f"FY{years}",
            "calendar_year": f"{years}",
            "range": f"{years}",
            "since": f"since {years}",
            "so_far": f"so far in {years}" if years else "so far this year",
            "administration": f"under {self.administration}",
            "at_date": f"as of {years}" + (f"-{self.month:02d}" if self.month else "")
            if self.years
            else "current",
            "dates": f"{self.date_from} to {self.date_to or 'date'}",
            "needs_date": f"{self.text!r} (needs the article's date)",
            "none": "no period given",
        }
        text = parts.get(self.kind, self.kind)
        if self.edge:
            text = f"{self.edge} of {text}"
        if self.administration and self.kind != "administration":
            text += f" ({self.administration})"
        return text + (" (from an earlier sentence)" if self.inherited else "")


@dataclass(frozen=True)
class Qualifier:
    """A group the text names for the counted cases ("Guatemalan", "with a lawyer", "in Oakdale").

    ``dimension`` is the catalog dimension that can isolate it (None when no dimension exists in the data);
    ``value`` is the filter value (a lookup label, a boolean or a code). ``text`` is the words as written.
    """

    key: str
    text: str
    dimension: str | None = None
    value: object = None
    # other values the same words equally name ("Judge Winhurst" when two judges share the surname): each is
    # read as well, so the verdict is supported only if every one matches, else ambiguous naming them
    alternatives: tuple = ()

    def describe(self) -> str:
        return f"{self.text!r} ({self.dimension} = {self.value})" if self.dimension else repr(self.text)


@dataclass
class Claim:
    """One numeric claim found in a text (offsets refer to the whole text)."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    hedge: str
    time: TimeRef
    subject: str
    sentence: str
    upper: float | None = None  # set for ranges ("between 10,000 and 12,000")
    context: str = ""  # text used to decide what the number counts: subject, clause, sentence, inherited
    population: str | None = None  # "asylum" when the claim or its paragraph is about asylum cases
    decimals: int = 0  # digits after the point as written, for the rounding tolerance
    change: str | None = None  # one of CHANGE_KINDS: the number is (or ends) a change, not a plain level
    change_from: TimeRef | None = None  # the base period of a change
    change_from_value: float | None = None  # the "from" value of a from/to pair
    qualifiers: tuple[Qualifier, ...] = ()
    concept_hint: str | None = None  # a concept carried from an earlier sentence ("This climbed to 55%")
    compared_with: str | None = None  # "national": a change against the national figure of the same period
    index: int = field(default=0)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["time"]["years"] = list(self.time.years)
        data["qualifiers"] = [asdict(q) for q in self.qualifiers]
        return data
