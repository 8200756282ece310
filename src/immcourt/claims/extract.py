"""Find the numeric claims in a text: the number, its unit and hedge, its time frame and what it counts.

Rule-based on purpose: every decision can be traced to a pattern below, the patterns are tested on an
annotated sentence set (tests/claims_sentences.jsonl), and nothing is downloaded. Number words go through
text2num. Offsets always refer to the original text so a report can highlight the claim in place.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from text_to_num import text2num

UNITS = ("count", "percent", "share")
HEDGES = ("exact", "at_least", "more_than", "fewer_than", "at_most", "about", "nearly")
TIME_KINDS = ("fiscal_year", "calendar_year", "range", "since", "so_far", "administration", "at_date", "none")


@dataclass(frozen=True)
class TimeRef:
    """When a claim applies. ``explicit`` is False for a bare year, which may be fiscal or calendar."""

    kind: str = "none"
    years: tuple[int, ...] = ()
    administration: str | None = None
    month: int | None = None
    explicit: bool = True
    inherited: bool = False
    text: str = ""
    day: int | None = None

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
            "none": "no period given",
        }
        text = parts.get(self.kind, self.kind)
        if self.administration and self.kind != "administration":
            text += f" ({self.administration})"
        return text + (" (from an earlier sentence)" if self.inherited else "")


@dataclass
class Claim:
    """One numeric claim found in a text."""

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
    change: bool = False  # "rose by 12,000", "12 percentage points": a difference, not a level
    index: int = field(default=0)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["time"]["years"] = list(self.time.years)
        return data


# --------------------------------------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "u.s",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jan",
    "feb",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "gov",
    "sen",
    "rep",
    "inc",
    "vs",
    "u.n",
    "d.c",
    "jr",
    "sr",
    "a.m",
    "p.m",
    "fig",
}
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+|$)")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets and paragraph numbers; a blank or indented new line starts a paragraph."""
    sentences: list[Sentence] = []
    for paragraph, (p_start, p_end) in enumerate(_paragraph_spans(text)):
        cursor = p_start
        for match in _SENTENCE_END.finditer(text, p_start, p_end):
            word = re.search(r"([\w.]+)[.!?][\"”’)]*$", text[cursor : match.end()])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            following = text[match.end() : match.end() + 3].lstrip()
            if following and following[0].islower():
                continue
            _add_sentence(sentences, text, cursor, match.end(), paragraph)
            cursor = match.end()
        _add_sentence(sentences, text, cursor, p_end, paragraph)
    return sentences


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n\s*\n|\n(?=[ \t])", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [span for span in spans if text[span[0] : span[1]].strip()]


def _add_sentence(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped)
        sentences.append(Sentence(offset, offset + len(stripped), stripped, paragraph))


# --------------------------------------------------------------------------------------------- numbers

_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_WORDS = rf"{_NUMBER_WORD}(?:[\s-]+(?:and\s+)?{_NUMBER_WORD})*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:million|billion|thousand|trillion|[MBK]\b)"
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "b": 1e9, "trillion": 1e12}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fourth": 0.25, "fifth": 0.2, "tenth": 0.1}
_PERCENT = r"(?:%|\s?percent\b|\s?per\s?cent\b|\s?percentage points?\b)"

# Ordered: the first pattern that matches at a position wins, so composite forms come first.
_NUMBER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "fraction_scale",
        re.compile(
            r"\b(?:a|one|two)[\s-](?P<frac>half|third|quarter|fourth|fifth|tenth)s?\s+of\s+an?\s+(?P<scale>million|billion)\b"
            r"|\bhalf\s+an?\s+(?P<scale2>million|billion)\b",
            re.I,
        ),
    ),
    (
        "fraction_share",
        re.compile(
            r"\b(?P<num>one|two|three|four|a)[\s-](?P<frac>half|third|quarter|fourth|fifth|tenth)s?\s+of\b"
            r"|\b(?P<half>half)\s+of\b(?!\s+(?:the\s+)?(?:year|month|decade|century|19|20))",
            re.I,
        ),
    ),
    (
        "one_in",
        re.compile(
            rf"\b(?P<num>{_WORDS}|\d+)[\s-]+(?:in|out[\s-]+of)[\s-]+(?:every\s+)?(?P<den>{_WORDS}|\d+)\b"
            rf"(?!\s*(?:{_SCALE}|%|percent))",
            re.I,
        ),
    ),
    (
        "range",
        re.compile(
            rf"(?:\bbetween\s+)?\$?(?P<low>{_DIGITS})(?P<lowscale>\s*{_SCALE})?(?P<lowpct>{_PERCENT})?\s*(?:to|and|-|–)\s*\$?(?P<high>{_DIGITS})"
            rf"(?P<scale>\s*{_SCALE})?(?P<pct>{_PERCENT})?",
            re.I,
        ),
    ),
    ("digits", re.compile(rf"\$?(?P<num>{_DIGITS})(?P<scale>\s*{_SCALE})?(?P<pct>{_PERCENT})?", re.I)),
    (
        "words",
        re.compile(
            rf"\b(?P<num>{_WORDS})(?P<scale>\s+(?:million|billion|thousand))?(?P<pct>{_PERCENT})?\b", re.I
        ),
    ),
]

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Labels that a number can follow without being a quantity: statutes, forms, reports, places, dates.
_LABEL_BEFORE = re.compile(
    rf"(?:\b(?:title|section|sec|article|rule|chapter|form|report|no|number|page|district|route|highway|"
    rf"proposition|prop|room|suite|box|unit|step|phase|item|figure|table|exhibit|case|docket|bill|h\.r|s|"
    rf"amendment|vol|volume|part|grade|level|tier|class|category|code|line|seed|version|covid|i|apt|"
    rf"interstate|floor|channel|flight|courtroom|top|order|gate|terminal|building|pier|ward|precinct)\.?|§|#|{_MONTHS}|\b[A-Z]{{1,3}}-|\bno\.)\s*$",
    re.I,
)
_YEAR_LABEL_BEFORE = re.compile(_LABEL_BEFORE.pattern.replace(f"|{_MONTHS}", ""), re.I)
_AFTER_NOT_QUANTITY = re.compile(
    r"^(?:st|nd|rd|th)\b|^\s*(?:-|\s)?(?:years?[-\s]old|year-old|yr)|^:\d|^\s*(?:a\.m|p\.m|am\b|pm\b|o'clock)"
    r"|^\s*(?:[A-Z][a-z]+\s+)?(?i:street|st\.|avenue|ave\b|road|rd\b|boulevard|blvd|lane|drive|way\b|court\b|"
    r"plaza|place|square)"
    r"|^-\d|^\)\s*\d{3}-|^[A-Za-z]",
)
_PHONE = re.compile(r"\(?\b\d{3}\)?[-.\s]\d{3}[-.]\d{4}\b")
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\s*$", re.I)


def _is_year(match_text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", match_text))


def _parse_digits(raw: str) -> float:
    return float(raw.replace(",", ""))


def _parse_words(raw: str) -> float | None:
    words = re.sub(r"[\s-]+", " ", raw.lower()).replace(" and ", " ").strip()
    try:
        return float(text2num(words, "en"))
    except ValueError:
        return None


def _scale_factor(raw: str | None) -> float:
    if not raw:
        return 1.0
    return _SCALES[raw.strip().lower()]


@dataclass
class _Number:
    start: int
    end: int
    value: float
    unit: str
    upper: float | None = None
    hedge: str | None = None  # set when the form itself is approximate ("a third of a million")
    decimals: int = 0


def find_numbers(sentence: str) -> list[_Number]:
    """Quantities in one sentence (offsets relative to the sentence), negatives already removed."""
    taken = [False] * len(sentence)
    found: list[_Number] = []
    blocked = [(m.start(), m.end()) for m in _PHONE.finditer(sentence)]
    for start, end in blocked:
        taken[start:end] = [True] * (end - start)
    for kind, pattern in _NUMBER_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(taken[match.start() : match.end()]):
                continue
            number = _interpret_match(kind, match, sentence)
            if number is None:
                continue
            found.append(number)
            taken[number.start : number.end] = [True] * (number.end - number.start)
    return sorted(found, key=lambda n: n.start)


def _interpret_match(kind: str, match: re.Match[str], sentence: str) -> _Number | None:
    if kind == "fraction_scale":
        frac = _FRACTIONS[(match.group("frac") or "half").lower()]
        if match.group(0).lower().startswith("two"):
            frac *= 2
        scale = _SCALES[(match.group("scale") or match.group("scale2")).lower()]
        return _Number(match.start(), match.end(), frac * scale, "count", hedge="about")
    if kind == "fraction_share":
        if match.group("half"):
            return _Number(match.start(), match.end(), 0.5, "share")
        count = (
            1.0
            if match.group("num").lower() in ("a", "one")
            else float(_parse_words(match.group("num")) or 1)
        )
        return _Number(
            match.start(), match.end(), count * _FRACTIONS[match.group("frac").lower()], "share", decimals=4
        )
    if kind == "one_in":
        num, den = _word_or_digit(match.group("num")), _word_or_digit(match.group("den"))
        if not num or not den or num >= den or den > 1000:
            return None
        return _Number(match.start(), match.end(), num / den, "share")
    if kind == "range":
        return _range_number(match, sentence)
    if kind == "digits":
        return _digit_number(match, sentence)
    return _word_number(match)


def _word_or_digit(raw: str) -> float | None:
    return float(raw) if raw.isdigit() else _parse_words(raw)


def _range_number(match: re.Match[str], sentence: str) -> _Number | None:
    low_raw, high_raw = match.group("low"), match.group("high")
    if (_is_year(low_raw) or _is_year(high_raw)) and not (match.group("scale") or match.group("pct")):
        return None  # "2021-2023" is a period, and "2021 to 149,305" is a year then another claim
    if not match.group(0).lower().startswith("between") and not (match.group("scale") or match.group("pct")):
        # "18,119 in 2021 to 149,305" is two claims, and "10-12" alone is too often a score or a date.
        if re.search(r"\band\b", match.group(0)) or "," not in low_raw + high_raw:
            return None
    scale = _scale_factor(match.group("scale"))
    low_scale = _scale_factor(match.group("lowscale")) if match.group("lowscale") else scale
    unit = "percent" if match.group("pct") else "count"
    low, high = _parse_digits(low_raw) * low_scale, _parse_digits(high_raw) * scale
    if high <= low:
        return None
    return _Number(match.start(), match.end(), low, unit, upper=high)


def _digit_number(match: re.Match[str], sentence: str) -> _Number | None:
    raw = match.group("num")
    before, after = sentence[: match.start()], sentence[match.end() :]
    has_scale, is_percent = bool(match.group("scale")), bool(match.group("pct"))
    if not (has_scale or is_percent):
        if _is_year(raw) or _LABEL_BEFORE.search(before) or _AFTER_NOT_QUANTITY.search(after):
            return None
        if _AGE_BEFORE.search(before) or re.search(r"[A-Za-z]-?$|\d[:/.-]$|[:/]$", before):
            return None
        if re.match(r"^[:/]\d|^\.\d|^-(?:year|month|day)", after):
            return None
        if _looks_like_hours(before, raw, after):
            return None
        if _ORDINAL_LABEL.search(before) and _small_int(raw) <= 31:
            return None  # "year 2 of the program": an ordinal label
    elif match.group("scale") and match.group("scale").strip() in "MBK" and not raw[0].isdigit():
        return None
    value = _parse_digits(raw) * _scale_factor(match.group("scale"))
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return _Number(match.start(), match.end(), value, "percent" if is_percent else "count", decimals=decimals)


_ORDINAL_LABEL = re.compile(r"\b(?:year|day|week|month|round|wave)\s*$", re.I)


def _small_int(raw: str) -> int:
    """`raw` as an int when it is 1-3 ASCII digits, else a number larger than any day or hour (so a
    5,000-digit run never reaches int(), which refuses more than 4,300 digits)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else 1_000


def _looks_like_hours(before: str, raw: str, after: str) -> bool:
    """ "from 9 to 11": clock hours, not quantities."""
    if _small_int(raw) > 24:
        return False
    opening = re.search(r"\bfrom\s+$", before) and re.match(
        r"^\s*(?:to|until|-|–)\s*\d{1,2}\b(?!,|\d)", after
    )
    closing = re.search(r"\bfrom\s+\d{1,2}\s*(?:to|until|-|–)\s*$", before)
    return bool(opening or closing)


def _word_number(match: re.Match[str]) -> _Number | None:
    # A bare number word ("one poll", "two judges") is prose, not a statistic; require a scale or percent.
    if not (match.group("scale") or match.group("pct")):
        return None
    value = _parse_words(match.group("num"))
    if value is None:
        return None
    value *= _scale_factor(match.group("scale"))
    return _Number(match.start(), match.end(), value, "percent" if match.group("pct") else "count")


# --------------------------------------------------------------------------------------------- hedges

_HEDGE_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    (
        "at_least",
        re.compile(r"\b(?:at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of)\s*$", re.I),
    ),
    ("at_most", re.compile(r"\b(?:at\s+most|no\s+more\s+than|up\s+to|a\s+maximum\s+of)\s*$", re.I)),
    ("nearly", re.compile(r"\b(?:nearly|almost|close\s+to|just\s+(?:under|shy\s+of)|approaching)\s*$", re.I)),
    (
        "more_than",
        re.compile(
            r"\b(?:more\s+than|over|above|exceeding|upwards\s+of|in\s+excess\s+of|"
            r"just\s+over|topping|topped|tops|surpassing|surpassed|exceeded|exceeds|more\s+than\s+doubled\s+to)\s*$",
            re.I,
        ),
    ),
    ("fewer_than", re.compile(r"\b(?:fewer\s+than|less\s+than|under|below|short\s+of)\s*$", re.I)),
    (
        "about",
        re.compile(
            r"\b(?:about|around|approximately|roughly|some|an\s+estimated|estimated|"
            r"an?\s+approximate|circa|~)\s*$",
            re.I,
        ),
    ),
]
_HEDGE_AFTER: list[tuple[str, re.Pattern[str]]] = [
    # "27,500 removal orders or more": the qualifier may follow a short noun phrase.
    ("at_least", re.compile(r"^\s*(?:[a-z]+\s+){0,3}?(?:or\s+more|and\s+up|or\s+higher)\b", re.I)),
    ("at_most", re.compile(r"^\s*(?:[a-z]+\s+){0,3}?(?:or\s+fewer|or\s+less|or\s+lower)\b", re.I)),
]


def find_hedge(before: str, after: str) -> str:
    for hedge, pattern in _HEDGE_BEFORE:
        if pattern.search(before):
            return hedge
    for hedge, pattern in _HEDGE_AFTER:
        if pattern.search(after):
            return hedge
    return "exact"


# --------------------------------------------------------------------------------------------- time

_YEAR = r"(?:19|20)\d\d"
_ADMIN_NAMES = {"obama": "Obama", "biden": "Biden", "trump": "Trump I"}


@dataclass(frozen=True)
class _TimeMatch:
    start: int
    end: int
    ref: TimeRef


def _fy(raw: str) -> int:
    raw = raw.strip("'’")
    return int(raw) if len(raw) == 4 else 2000 + int(raw)


_TIME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "since",
        re.compile(
            rf"\bsince\s+(?:(?:the\s+)?(?:start|beginning)\s+of\s+)?(?:(?P<m>{_MONTHS})\s+(?:of\s+)?)?"
            rf"(?:fiscal\s+year\s+|FY\s*)?(?P<a>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "fy_range",
        re.compile(
            rf"\b(?:fiscal\s+years?|FY)\s*'?(?P<a>{_YEAR}|\d\d)\s*(?:-|–|to|through|and)\s*(?:FY\s*)?'?(?P<b>{_YEAR}|\d\d)\b",
            re.I,
        ),
    ),
    (
        "fy",
        re.compile(rf"\b(?:fiscal\s+year|FY)\s*'?(?P<a>{_YEAR}|\d\d)\b|\bfiscal\s+(?P<b>{_YEAR})\b", re.I),
    ),
    ("cy", re.compile(rf"\bcalendar\s+(?:year\s+)?(?P<a>{_YEAR})\b", re.I)),
    (
        "so_far",
        re.compile(
            rf"\b(?:so\s+far|thus\s+far|to\s+date|year[\s-]to[\s-]date)\s+(?:in|for|this)\s+(?:year\s+)?(?P<a>{_YEAR})?"
            rf"|\b(?:so\s+far|thus\s+far)\s+this\s+(?:fiscal\s+)?year\b|\bin\s+(?P<b>{_YEAR})\s+so\s+far\b",
            re.I,
        ),
    ),
    (
        "range",
        re.compile(
            rf"\b(?:between|from)\s+(?P<a>{_YEAR})\s+(?:and|to|through)\s+(?P<b>{_YEAR})\b"
            rf"|\b(?P<c>{_YEAR})\s*(?:-|–|through|to)\s*(?P<d>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "full_date",
        re.compile(rf"\b(?:on|as\s+of|by)\s+(?P<m>{_MONTHS})\s+(?P<d>\d{{1,2}}),?\s+(?P<a>{_YEAR})\b", re.I),
    ),
    (
        "relative_year",
        re.compile(r"\b(?P<which>last|this|past|previous)\s+(?P<fiscal>fiscal\s+)?year\b", re.I),
    ),
    (
        "previous_year",
        re.compile(
            r"\b(?:a|one)\s+year\s+(?:earlier|before)|\bthe\s+(?:previous|prior|preceding)\s+year"
            r"|\bthe\s+year\s+before\b",
            re.I,
        ),
    ),
    (
        "current",
        re.compile(r"\b(?:currently|current|now|today|at\s+present|as\s+of\s+(?:now|today))\b", re.I),
    ),
    (
        "as_of",
        re.compile(rf"\b(?:as\s+of|at\s+the\s+end\s+of)\s+(?:(?P<m>{_MONTHS})\s+)?(?P<a>{_YEAR})\b", re.I),
    ),
    (
        "admin",
        re.compile(
            r"\b(?:(?P<ordinal>second|first)\s+(?P<who3>trump|obama)\s+(?:administration|term|presidency)|"
            r"(?P<who>obama|biden|trump)(?:[’']s)?\s+(?P<second>second\s+|first\s+)?(?:administration|presidency|"
            r"term|years|era|white\s+house)|(?:under|during|since)\s+(?:president\s+)?(?P<who2>obama|biden|trump)\b)",
            re.I,
        ),
    ),
    ("year", re.compile(rf"(?<![\w$,.-])(?P<a>{_YEAR})(?![\w%-]|[.,]\d|\s*(?:percent|million))")),
]


def find_times(sentence: str) -> list[_TimeMatch]:
    """Time expressions in a sentence; a bare year inside a longer expression is not counted twice."""
    taken = [False] * len(sentence)
    found: list[_TimeMatch] = []
    for kind, pattern in _TIME_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(taken[match.start() : match.end()]):
                continue
            ref = _time_ref(kind, match, sentence)
            if ref is None:
                continue
            found.append(_TimeMatch(match.start(), match.end(), ref))
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    return sorted(found, key=lambda t: t.start)


def _time_ref(kind: str, match: re.Match[str], sentence: str) -> TimeRef | None:
    text = match.group(0)
    if kind == "fy_range":
        return TimeRef("fiscal_year", (_fy(match.group("a")), _fy(match.group("b"))), text=text)
    if kind == "fy":
        return TimeRef("fiscal_year", (_fy(match.group("a") or match.group("b")),), text=text)
    if kind == "cy":
        return TimeRef("calendar_year", (int(match.group("a")),), text=text)
    if kind == "so_far":
        year = match.group("a") or match.group("b")
        return TimeRef("so_far", (int(year),) if year else (), explicit=False, text=text)
    if kind == "since":
        month = _month_number(match.group("m")) if match.group("m") else None
        explicit = bool(re.search(r"fiscal|FY", text, re.I))
        return TimeRef("since", (int(match.group("a")),), month=month, explicit=explicit, text=text)
    if kind == "range":
        a, b = (
            (match.group("a"), match.group("b")) if match.group("a") else (match.group("c"), match.group("d"))
        )
        return TimeRef("range", (int(a), int(b)), explicit=False, text=text) if int(a) < int(b) else None
    if kind == "current":
        return TimeRef("at_date", (), text=text)
    if kind == "full_date":
        month, day = _month_number(match.group("m")), int(match.group("d"))
        return TimeRef("at_date", (int(match.group("a")),), month=month, day=day, text=text)
    if kind == "previous_year":
        return TimeRef("previous_year", (), explicit=False, text=text)
    if kind == "relative_year":
        # Resolved against the article's date in extract_claims; "this year" is a year so far.
        offset = 0 if match.group("which").lower() == "this" else -1
        fiscal = bool(match.group("fiscal"))
        return TimeRef("relative_year", (offset,), explicit=fiscal, text=text)
    if kind == "as_of":
        month = _month_number(match.group("m")) if match.group("m") else None
        return TimeRef("at_date", (int(match.group("a")),), month=month, text=text)
    if kind == "admin":
        who = (match.group("who") or match.group("who2") or match.group("who3")).lower()
        name = _ADMIN_NAMES[who]
        ordinal = (match.group("second") or match.group("ordinal") or "").lower()
        if who == "trump" and ordinal.startswith("second"):
            name = "Trump II"
        return TimeRef("administration", (), administration=name, text=text)
    before = sentence[: match.start()]
    if _YEAR_LABEL_BEFORE.search(before) and not re.search(r"\b(?:in|during|of|for|year)\s*$", before, re.I):
        return None
    return TimeRef("calendar_year", (int(match.group("a")),), explicit=False, text=text)


def _month_number(raw: str) -> int:
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return names.index(raw.lower()[:3]) + 1


def combine_times(year_like: _TimeMatch | None, admin: _TimeMatch | None) -> TimeRef | None:
    """One time frame from the nearest year expression and the nearest administration mention."""
    if year_like is None and admin is None:
        return None
    if year_like is None:
        return admin.ref
    ref = year_like.ref
    administration = admin.ref.administration if admin else None
    if administration == "Trump I" and ref.years and min(ref.years) >= 2025:
        administration = "Trump II"
    return replace(ref, administration=administration)


def _nearest(times: list[_TimeMatch], start: int, end: int) -> _TimeMatch | None:
    """The time expression closest to a number; one right after it ("18,119 in 2021") wins a tie."""
    best, best_distance = None, None
    for time in times:
        gap = time.start - end if time.start >= end else start - time.end + 0.5
        if best_distance is None or gap < best_distance:
            best, best_distance = time, gap
    return best


_MAX_TIME_DISTANCE = 80  # characters; a year further away in a long sentence belongs to another clause


def time_for_number(times: list[_TimeMatch], start: int, end: int) -> TimeRef | None:
    year_like = [
        t
        for t in times
        if t.ref.kind != "administration"
        and min(abs(t.start - end), abs(start - t.end)) <= _MAX_TIME_DISTANCE
    ]
    admins = [t for t in times if t.ref.kind == "administration"]
    nearest = _nearest(year_like, start, end)
    if nearest is not None and nearest.ref.kind == "previous_year":
        nearest = _year_before(nearest, times)
    return combine_times(nearest, _nearest(admins, start, end))


def _year_before(relative: _TimeMatch, times: list[_TimeMatch]) -> _TimeMatch | None:
    """ "a year earlier" is the year before the sentence's own year expression, in the same kind."""
    anchors = [t for t in times if t.ref.years and t.ref.kind in ("fiscal_year", "calendar_year")]
    if not anchors:
        return None
    ref = anchors[0].ref
    shifted = TimeRef(
        ref.kind, tuple(y - 1 for y in ref.years), explicit=ref.explicit, text=relative.ref.text
    )
    return _TimeMatch(relative.start, relative.end, shifted)


# --------------------------------------------------------------------------------------------- subjects

_CLAUSE_BREAK = re.compile(
    r"[,;:()“”\"]|\s[–—-]\s|\s+(?:while|whereas|although|because|if|but|which)\s+", re.I
)
_LEADING_FUNCTION = re.compile(r"^(?:in|to|and|from|with|by|on|of\s+(?:19|20)\d\d|–|-|—)\b", re.I)
_MAX_SUBJECT_WORDS = 12


def subject_after(
    sentence: str, end: int, times: list[_TimeMatch], next_start: int | None = None
) -> str | None:
    """The phrase following the number up to a clause break, with time expressions removed.

    None means the number is followed only by a time or a connective ("18,119 in 2021 to ..."), so it
    shares the subject of the number before it; "" means the sentence simply ends.
    """
    tail = sentence[end:next_start]
    cut = _CLAUSE_BREAK.search(tail)
    tail = tail[: cut.start()] if cut else tail
    had_time = False
    for time in times:
        if time.start >= end and time.ref.text in tail:
            tail = tail.replace(time.ref.text, " ")
            had_time = True
    tail = re.sub(r"\s+", " ", tail).strip(" .!?")
    if _LEADING_FUNCTION.match(tail) and not re.match(r"^of\b", tail):
        return None
    if not tail:
        return None if had_time else ""
    return " ".join(tail.split(" ")[:_MAX_SUBJECT_WORDS])


_TRAILING_FILLER = set(
    "and or the of in to a an is are was were has have had been be just more than over under about nearly "
    "almost at least fewer less with from by for on some only whopping record high reached stood".split()
)


def tidy_subject(text: str) -> str:
    """Drop connectives left dangling at the end of a cut phrase ("encounters and", "gotaways under the")."""
    words = text.split()
    while words and words[-1].lower().strip(".,;:") in _TRAILING_FILLER:
        words.pop()
    while words and words[0].lower() in ("and", "or", "but", "while", "with"):
        words.pop(0)
    return " ".join(words)


def clause_before(sentence: str, start: int) -> str:
    head = sentence[:start]
    pieces = _CLAUSE_BREAK.split(head)
    words = " ".join(pieces[-1].split()).split(" ") if pieces else []
    clause = " ".join(words[-_MAX_SUBJECT_WORDS:]).strip()
    if len(clause.split()) <= 2 and len(pieces) > 1:
        clause = " ".join(" ".join(pieces[-2:]).split()[-_MAX_SUBJECT_WORDS:])
    return clause


# --------------------------------------------------------------------------------------------- claims

_ASYLUM = re.compile(r"\basylum\b", re.I)


def extract_claims(text: str, *, as_of: date | None = None) -> list[Claim]:
    """Every numeric claim in ``text``, with time and subject resolved, inheriting context where needed.

    ``as_of`` (the article's date) turns "last year" and "this year" into years; without it they are dropped.
    """
    claims: list[Claim] = []
    last_time_by_paragraph: dict[int, TimeRef] = {}
    asylum_paragraphs: set[int] = set()
    asylum_mentions = 0
    for sentence in split_sentences(text):
        times = _resolve_relative(find_times(sentence.text), as_of=as_of)
        numbers = find_numbers(sentence.text)
        sentence_claims: list[Claim] = []
        for number in numbers:
            following = [n.start for n in numbers if n.start > number.start]
            claim = _claim_from_number(
                number, sentence, times, sentence_claims, following[0] if following else None
            )
            if claim.time.kind == "none":
                inherited = last_time_by_paragraph.get(sentence.paragraph) or _time_of_same_subject(
                    claims, claim
                )
                if inherited:
                    claim.time = _as_inherited(inherited)
            sentence_claims.append(claim)
        asylum_here = bool(_ASYLUM.search(sentence.text))
        asylum_mentions += asylum_here
        in_asylum_context = sentence.paragraph in asylum_paragraphs or asylum_here or asylum_mentions >= 2
        for claim in sentence_claims:
            claim.population = _population(claim, in_asylum_context=in_asylum_context)
        if asylum_here:
            asylum_paragraphs.add(sentence.paragraph)
        sentence_time = combine_times(
            next((t for t in reversed(times) if t.ref.kind not in ("administration", "previous_year")), None),
            next((t for t in reversed(times) if t.ref.kind == "administration"), None),
        )
        if sentence_time:
            last_time_by_paragraph[sentence.paragraph] = sentence_time
        claims.extend(sentence_claims)
    for index, claim in enumerate(claims):
        claim.index = index
    return claims


def _resolve_relative(times: list[_TimeMatch], *, as_of: date | None) -> list[_TimeMatch]:
    resolved = []
    for time in times:
        if time.ref.kind == "so_far" and not time.ref.years and as_of is not None:
            resolved.append(_TimeMatch(time.start, time.end, replace(time.ref, years=(as_of.year,))))
            continue
        if time.ref.kind != "relative_year":
            resolved.append(time)
            continue
        if as_of is None:
            continue
        fiscal = time.ref.explicit
        current = as_of.year + (1 if fiscal and as_of.month >= 10 else 0)
        year = current + time.ref.years[0]
        if time.ref.years[0] == 0:
            ref = TimeRef("so_far", (year,), explicit=fiscal, text=time.ref.text)
        else:
            ref = TimeRef(
                "fiscal_year" if fiscal else "calendar_year", (year,), explicit=fiscal, text=time.ref.text
            )
        resolved.append(_TimeMatch(time.start, time.end, ref))
    return resolved


def _population(claim: Claim, *, in_asylum_context: bool) -> str | None:
    """ "asylum" when the claim names asylum; "asylum_context" when its paragraph or article is about it."""
    if _ASYLUM.search(claim.context):
        return "asylum"
    return "asylum_context" if in_asylum_context else None


def _as_inherited(ref: TimeRef) -> TimeRef:
    return replace(ref, inherited=True)


def _time_of_same_subject(claims: list[Claim], claim: Claim) -> TimeRef | None:
    """A restatement ("a third of a million" after "350,000") takes the period of the claim it restates."""
    from immcourt.claims.interpret import concept_for  # local: interpret imports this module

    concept = concept_for(claim)
    same = [c for c in claims if c.time.kind != "none" and concept is not None and concept_for(c) == concept]
    if not same:
        return None
    closest = min(same, key=lambda c: abs(math.log(max(c.value, 1e-9) / max(claim.value, 1e-9))))
    return closest.time


_CHANGE_BEFORE = re.compile(
    r"\b(?:rose|fell|increased|decreased|grew|dropped|declined|climbed|jumped|shrank|up|down|gain(?:ed)?|"
    r"drop(?:ped)?|increase|decrease|rise|fall)\s+(?:by\s+)?(?:nearly\s+|about\s+|more\s+than\s+|almost\s+)?$"
    r"|\b(?:an?\s+)?(?:increase|decrease|rise|drop|jump|decline)\s+of\s+(?:nearly\s+|about\s+|more\s+than\s+)?$",
    re.I,
)


def _claim_from_number(
    number: _Number, sentence: Sentence, times: list[_TimeMatch], shared: list[Claim], next_start: int | None
) -> Claim:
    text = sentence.text
    before, after = text[: number.start], text[number.end :]
    written = find_hedge(before, after)
    hedge = written if written != "exact" else (number.hedge or "exact")
    time = time_for_number(times, number.start, number.end) or TimeRef()
    subject = subject_after(text, number.end, times, next_start)
    clause = clause_before(text, number.start)
    if subject is None and shared:
        subject = shared[-1].subject  # "rising from 18,119 in 2021 to 149,305 in 2023" shares one subject
        clause = shared[-1].context
    context = " | ".join(part for part in (subject, clause, text) if part)
    change = bool(
        _CHANGE_BEFORE.search(before) or re.match(r"\s*percentage\s+points?", text[number.end - 20 :])
    )
    change = change or "point" in text[number.start : number.end].lower()
    return Claim(
        start=sentence.start + number.start,
        end=sentence.start + number.end,
        text=text[number.start : number.end],
        value=number.value,
        unit=number.unit,
        hedge=hedge,
        time=time,
        subject=tidy_subject(subject or clause) or (subject or clause),
        sentence=text,
        upper=number.upper,
        context=context,
        decimals=number.decimals,
        change=change,
    )
