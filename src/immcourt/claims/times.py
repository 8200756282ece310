"""Time expressions in a sentence: fiscal years and quarters, calendar spans, "so far in", the start or end
of a period, administrations (and the terms of one president told apart), dates relative to the article.

Month-and-year and full dates go through dateparser (relative to the article date); what no library knows
(fiscal years, quarters, administrations) is parsed here. Administration dates come from the model's one
home, ``model/administrations.csv`` (``read_administrations``). Every pattern is bounded (no run of
unbounded length is backtracked over), so the scan is linear in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache

import dateparser  # imported with the module, so a forked checker process (web/guard.py) has it loaded

from immcourt.claims.claim import TimeRef
from immcourt.claims.numbers import Mask, parse_words
from immcourt.model.build import read_administrations

_YEAR = r"(?:19|20)\d\d"
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_S = r"[ \t]{1,3}"
_FY = rf"(?:fiscal{_S}(?:year{_S})?|FY[ \t]{{0,3}}'?)"
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "final": -1,
    "last": -1,
}


_COUNT_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty[ -]four|"
    r"thirty|sixty|ninety|hundred|\d{1,3})"
)


def _count(raw: str) -> int | None:
    """A small count written in digits or words ("eight", "twenty-four", "100")."""
    raw = raw.strip().lower()
    if raw.isdigit():
        return int(raw)
    value = parse_words(raw)
    return int(value) if value else None


@dataclass(frozen=True)
class TimeMatch:
    start: int
    end: int
    ref: TimeRef


# ------------------------------------------------------------------------------------------- administrations


@dataclass(frozen=True)
class Administration:
    name: str
    person: str
    first_day: date
    last_day: date | None


@cache
def administrations() -> tuple[Administration, ...]:
    """Rows of model/administrations.csv; ``person`` is the name without its numeral ("Trump I" → "Trump")."""
    rows = []
    for row in read_administrations():
        last = date.fromisoformat(row["last_day"])
        rows.append(
            Administration(
                row["administration"],
                re.sub(r"\s+I+$", "", row["administration"]),
                date.fromisoformat(row["first_day"]),
                None if last.year >= 9999 else last,
            )
        )
    return tuple(rows)


def _surname(person: str) -> str:
    return person.split()[-1].lower()


def _admin_pattern() -> re.Pattern[str]:
    names = sorted({_surname(a.person) for a in administrations()}, key=len, reverse=True)
    who = "|".join(re.escape(n) for n in names)

    def first(n: int) -> str:
        return (
            rf"(?:president[ \t]{{1,3}})?(?:(?:george|bill|barack|donald|joe|ronald)[ \t]{{1,3}})?"
            rf"(?P<initials{n}>(?:h\.[ \t]?)?w\.[ \t]{{1,3}})?"
        )

    took = (
        r"(?:returned|came[ \t]{1,3}back|took[ \t]{1,3}office(?:[ \t]{1,3}again)?|took[ \t]{1,3}over|"
        r"was[ \t]{1,3}(?:re-?)?(?:inaugurated|elected|sworn[ \t]{1,3}in)|entered[ \t]{1,3}office|"
        r"came[ \t]{1,3}(?:in|into[ \t]{1,3}office|to[ \t]{1,3}(?:office|power))|began|started|"
        r"moved[ \t]{1,3}into[ \t]{1,3}the[ \t]{1,3}white[ \t]{1,3}house)"
    )
    return re.compile(
        rf"\bsince[ \t]{{1,3}}(?:the[ \t]{{1,3}}(?:start|beginning)[ \t]{{1,3}}of[ \t]{{1,3}})?"
        rf"(?:the[ \t]{{1,3}})?{first(4)}(?P<who4>{who})(?:[’']s)?"
        rf"(?:[ \t]{{1,3}}(?P<nth4>first|second|1st|2nd)[ \t]{{1,3}}term"
        rf"|[ \t]{{1,3}}(?:administration|presidency|team|white[ \t]house))?"
        rf"(?:[ \t]{{1,3}}(?P<took>{took})(?P<again>[ \t]{{1,3}}(?:again|for[ \t]a[ \t]second[ \t]time))?"
        rf"(?:[ \t]{{1,3}}in[ \t]{{1,3}}(?:{_MONTHS}[ \t]{{1,3}})?(?:19|20)\d\d)?"
        rf"|(?<=administration)|(?<=presidency)|(?<=term))"
        rf"|\b(?P<who5>{who})(?:[ \t]{{1,3}}(?:administration|presidency))?[’']s[ \t]{{1,3}}"
        rf"(?P<which5>first|last|final)[ \t]{{1,3}}"
        rf"(?:(?P<n5>{_COUNT_WORDS})[ \t]{{1,3}})?(?P<unit5>days?|weeks?|months?|years?)"
        rf"(?:[ \t]{{1,3}}in[ \t]{{1,3}}(?:office|power))?"
        rf"|\b(?:(?P<edge>start|beginning|end|final[ \t]year|last[ \t]year|"
        rf"first[ \t]year)[ \t]{{1,3}}of[ \t]{{1,3}}(?:the[ \t]{{1,3}})?)?"
        rf"(?:(?P<ord1>first|second|1st|2nd)[ \t]{{1,3}}(?P<who1>{who})[ \t]{{1,3}}(?:administration|term|"
        rf"presidency)"
        rf"|(?P<ord6>first|second|1st|2nd)[ \t]{{1,3}}term[ \t]{{1,3}}of[ \t]{{1,3}}{first(6)}"
        rf"(?P<who6>{who})\b"
        rf"|{first(0)}(?P<who>{who})(?:[’']s)?[ \t]{{1,3}}(?:(?P<ord>first|second|1st|"
        rf"2nd)[ \t]{{1,3}})?(?:administration|presidency|(?:two|both)[ \t]{{1,3}}terms|terms?|"
        rf"(?:eight|four)[ \t]{{1,3}}years|years|era|white[ \t]house)"
        rf"|(?P<prep>under|during|since)[ \t]{{1,3}}{first(2)}(?P<who2>{who})\b(?![’']s[ \t]{{1,3}}(?:first|"
        rf"second|1st|2nd|final|last))(?P<returned>[ \t]{{1,3}}returned[ \t]{{1,3}}to[ \t]{{1,3}}(?:office|"
        rf"power|the[ \t]white[ \t]house))?"
        rf"|since[ \t]{{1,3}}{first(3)}(?P<who3>{who})[ \t]{{1,3}}(?P<returned2>returned|"
        rf"took[ \t]office[ \t]again)"
        # "compared with Obama's second": the term named once already, left out
        rf"|\b(?P<who7>{who})[’']s[ \t]{{1,3}}(?P<ord7>first|second|1st|2nd)\b(?=[ \t]{{0,2}}(?:[.,;:)]|$)))",
        re.I,
    )


def _term_span(person_rows: list[Administration], term: int) -> tuple[date, date | None, str]:
    """The n-th four-year term of one person, across their administrations (Trump I then Trump II)."""
    spans: list[tuple[date, date | None, str]] = []
    for admin in person_rows:
        start = admin.first_day
        while admin.last_day is None or start < admin.last_day:
            end = date(start.year + 4, start.month, start.day) - timedelta(days=1)
            if admin.last_day is not None:
                end = min(end, admin.last_day)
            spans.append(
                (start, end if admin.last_day is not None or end < date.today() else None, admin.name)
            )
            start = end + timedelta(days=1)
            if admin.last_day is None:
                break
    return spans[min(term, len(spans)) - 1]


def admin_time(match: re.Match[str], *, as_of: date | None) -> TimeRef | None:
    who = next(
        match.group(g)
        for g in ("who", "who1", "who2", "who3", "who4", "who5", "who6", "who7")
        if match.group(g)
    ).lower()
    rows = [a for a in administrations() if _surname(a.person) == who]
    if not rows:
        return None
    same_name = rows
    if who == "bush" and len({a.person for a in rows}) > 1:
        initials = (
            "".join(match.group(f"initials{n}") or "" for n in (0, 2, 3, 4, 6)).lower().replace(" ", "")
        )
        wanted = "G.H.W. Bush" if "h" in initials else "G.W. Bush"
        rows = [a for a in rows if a.person == wanted] or rows
    text = match.group(0)
    if match.group("who4"):
        return _since_took_office(match, rows, text, as_of)
    if match.group("who5"):
        admin = _admin_at(rows, who, as_of)
        start, end = _narrow(
            admin.first_day,
            admin.last_day,
            match.group("which5"),
            _count(match.group("n5")) if match.group("n5") else 1,
            match.group("unit5"),
        )
        return TimeRef(
            "dates",
            (),
            administration=admin.name,
            text=text,
            date_from=start.isoformat(),
            date_to=(end or as_of).isoformat() if (end or as_of) else None,
        )
    ordinal = (
        match.group("ord") or match.group("ord1") or match.group("ord6") or match.group("ord7") or ""
    ).lower()
    if match.group("ord1") and len(same_name) > 1 and not re.search(r"(?i)\bterm\b", text):
        # "the first Bush administration", "the second Trump administration": the n-th of that name
        admin = same_name[min(_ORDINALS[ordinal], len(same_name)) - 1]
        return TimeRef("administration", (), administration=admin.name, text=text)
    returned = match.group("returned") or match.group("returned2")
    if returned:
        return _since_current_term(rows[-1], text, as_of)
    if ordinal:
        start, end, name = _term_span(rows, _ORDINALS[ordinal])
        whole = next(a for a in rows if a.name == name)
        term_edge = (match.group("edge") or "").lower().replace("\t", " ")
        if term_edge:  # "the last year of Trump's first term", "the end of Obama's second term"
            return _edge_of_span(start, end, term_edge, name, text, as_of)
        if whole.first_day == start and whole.last_day == end:
            return TimeRef("administration", (), administration=name, text=text)
        return TimeRef(
            "dates",
            (),
            administration=name,
            text=text,
            date_from=start.isoformat(),
            date_to=end.isoformat() if end else (as_of.isoformat() if as_of else None),
        )
    if match.group("prep") and match.group("prep").lower() == "since":
        return _since_current_term(rows[-1], text, as_of)
    admin = (
        rows[-1]
        if as_of is None or as_of >= rows[-1].first_day
        else next((a for a in reversed(rows) if a.first_day <= as_of), rows[0])
    )
    if len(rows) > 1 and as_of is None and who == "trump":
        admin = rows[0]  # without an article date, "the Trump administration" is the first one
    edge = (match.group("edge") or "").lower().replace("\t", " ")
    if edge in ("final year", "last year", "first year"):
        if edge == "first year":
            start, end = (
                admin.first_day,
                date(admin.first_day.year + 1, admin.first_day.month, admin.first_day.day)
                - timedelta(days=1),
            )
        else:
            last = admin.last_day or as_of or date.today()
            start, end = date(last.year - 1, last.month, last.day) + timedelta(days=1), last
        return TimeRef(
            "dates",
            (),
            administration=admin.name,
            text=text,
            date_from=start.isoformat(),
            date_to=end.isoformat(),
        )
    if edge:
        day = admin.first_day if edge in ("start", "beginning") else admin.last_day
        if day is None:
            return TimeRef("administration", (), administration=admin.name, text=text)
        return TimeRef(
            "at_date",
            (day.year,),
            month=day.month,
            day=day.day,
            administration=admin.name,
            text=text,
            edge="start" if edge in ("start", "beginning") else "end",
        )
    return TimeRef("administration", (), administration=admin.name, text=text)


def _edge_of_span(
    start: date, end: date | None, edge: str, name: str, text: str, as_of: date | None
) -> TimeRef:
    """The first or last year, or the first or last day, of a term."""
    if edge in ("first year", "final year", "last year"):
        which = "first" if edge == "first year" else "last"
        first, last = _narrow(start, end or as_of, which, 1, "years")
        stop = last or as_of
        return TimeRef(
            "dates",
            (),
            administration=name,
            text=text,
            date_from=first.isoformat(),
            date_to=stop.isoformat() if stop else None,
        )
    day = start if edge in ("start", "beginning") else end
    if day is None:
        return TimeRef("administration", (), administration=name, text=text)
    return TimeRef(
        "at_date",
        (day.year,),
        month=day.month,
        day=day.day,
        administration=name,
        text=text,
        edge="start" if edge in ("start", "beginning") else "end",
    )


def _admin_at(rows: list[Administration], who: str, as_of: date | None) -> Administration:
    """The administration of that name the article means: the one in office at its date (the first Trump
    administration when no date is known), else the latest."""
    if len(rows) > 1 and as_of is None and who == "trump":
        return rows[0]
    if as_of is None or as_of >= rows[-1].first_day:
        return rows[-1]
    return next((a for a in reversed(rows) if a.first_day <= as_of), rows[0])


def _since_took_office(
    match: re.Match[str], rows: list[Administration], text: str, as_of: date | None
) -> TimeRef:
    """ "since Biden took office", "since Trump returned": from its first day to the article date."""
    took = (match.group("took") or "").lower()
    nth = (match.group("nth4") or "").lower()
    again = bool(match.group("again")) or took.startswith(("returned", "came")) and "back" in took
    again = again or took.startswith("returned") or "re" in took[:7] and "inaugurated" in took
    if nth:
        start, _, name = _term_span(rows, _ORDINALS[nth])
        admin = next(a for a in rows if a.name == name)
    else:
        admin = rows[-1] if again else _admin_at(rows, _surname(rows[0].person), as_of)
        start = admin.first_day
    return TimeRef(
        "dates",
        (),
        administration=admin.name,
        text=text,
        date_from=start.isoformat(),
        date_to=as_of.isoformat() if as_of else None,
    )


def _narrow(start: date, end: date | None, which: str, n: int | None, unit: str) -> tuple[date, date | None]:
    """The first or last ``n`` days/weeks/months/years of the span start..end."""
    if not n:
        return start, end
    unit = unit.lower()
    if which.lower() == "first":
        if unit.startswith("day"):
            return start, start + timedelta(days=n - 1)
        if unit.startswith("week"):
            return start, start + timedelta(days=7 * n - 1)
        months = n * 12 if unit.startswith("year") else n
        index = start.year * 12 + start.month - 1 + months
        return start, date(index // 12, index % 12 + 1, min(start.day, 28)) - timedelta(days=1)
    if end is None:
        return start, end
    if unit.startswith("day"):
        return end - timedelta(days=n - 1), end
    if unit.startswith("week"):
        return end - timedelta(days=7 * n - 1), end
    months = n * 12 if unit.startswith("year") else n
    after = end + timedelta(days=1)
    index = after.year * 12 + after.month - 1 - months
    return date(index // 12, index % 12 + 1, after.day), end


# --------------------------------------------------------------------------------------------- patterns


def _fy(raw: str) -> int:
    raw = raw.strip("'’")
    return int(raw) if len(raw) == 4 else 2000 + int(raw)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "years_to",
        re.compile(
            rf"\b(?:over|in|during|across){_S}the{_S}(?:past{_S}|last{_S})?(?:(?P<n>{_COUNT_WORDS}){_S}years|"
            rf"(?P<decade>decade)){_S}(?:to|through|until|up{_S}to|ending(?:{_S}in)?|ended(?:{_S}in)?){_S}"
            rf"(?P<fiscal>{_FY})?(?P<a>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "quarter",
        re.compile(
            rf"\b(?:the{_S})?(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|"
            rf"4th){_S}(?P<fq>fiscal{_S})?quarter{_S}"
            rf"(?:of{_S})?(?:(?P<fy>{_FY})(?P<a>{_YEAR}|\d\d)|the{_S}(?P<fa>{_YEAR}){_S}fiscal{_S}year|(?:the{_S})?(?:calendar{_S}(?:year{_S})?)?"
            rf"(?P<ca>{_YEAR}))\b"
            rf"|\bQ(?P<q2>[1-4]){_S}?(?:of{_S})?(?:(?P<fy2>{_FY})(?P<b>{_YEAR}|\d\d)|(?:calendar{_S}"
            rf"(?:year{_S})?)?(?P<cb>{_YEAR}))\b"
            # "FY 2024's third quarter", "2023's first quarter"
            rf"|\b(?:(?P<fy3>{_FY})(?P<c3>{_YEAR}|\d\d)|(?P<c4>{_YEAR}))[’']s{_S}(?P<q3>first|second|third|fourth|"
            rf"final|last|1st|2nd|3rd|4th){_S}(?P<fq3>fiscal{_S})?quarter\b",
            re.I,
        ),
    ),
    (
        "fy_began",
        re.compile(
            rf"\b(?:the{_S})?fiscal{_S}year{_S}(?:that{_S}|which{_S})?(?:began|begins|beginning|starting|started)"
            rf"{_S}(?:on{_S})?oct(?:ober|\.)?{_S}1,?{_S}(?P<a>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "quarters",
        re.compile(
            rf"\b(?:the{_S})?(?P<which>first|last|final){_S}(?P<n>two|three|2|3){_S}quarters{_S}of{_S}"
            rf"(?:(?P<fy>{_FY})(?P<a>{_YEAR}|\d\d)|(?:calendar{_S}(?:year{_S})?)?(?P<ca>{_YEAR}))\b",
            re.I,
        ),
    ),
    (
        "months_span",
        re.compile(
            rf"\b(?:the{_S})?(?:(?P<n>{_COUNT_WORDS}){_S}months|(?P<y1>(?:fiscal{_S})?year|twelve-month"
            rf"{_S}period|12-month{_S}period)|(?P<h1>half[ -]year|six-month{_S}period|6-month{_S}period)"
            rf"|(?P<q1>quarter|three-month{_S}period|3-month{_S}period)){_S}"
            rf"(?:that{_S}|which{_S})?(?:ending|ended|through|to|up{_S}to){_S}(?:in{_S}|on{_S})?(?P<m>{_MONTHS})"
            rf"(?:{_S}(?P<d>\d{{1,2}}),?)?{_S}(?P<a>{_YEAR})\b"
            rf"|\b(?:the{_S})?(?P<which2>first|last|final){_S}(?P<n2>{_COUNT_WORDS}){_S}months{_S}of{_S}"
            rf"(?:calendar{_S}(?:year{_S})?)?(?P<fiscal>{_FY})?(?P<b>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "half",
        re.compile(
            rf"\b(?:the{_S})?(?P<h>first|second){_S}half{_S}of{_S}(?:(?P<fiscal>{_FY})|"
            rf"(?:calendar{_S}(?:year{_S})?)?)"
            rf"(?P<a>{_YEAR}|\d\d)\b",
            re.I,
        ),
    ),
    (
        "month_span",
        re.compile(
            rf"\b(?:between|from){_S}(?P<m1>{_MONTHS})(?:{_S}(?P<y1>{_YEAR}))?{_S}(?:and|to|through|until){_S}"
            rf"(?P<m2>{_MONTHS}){_S}(?P<y2>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "date_span",
        re.compile(
            rf"\b(?:between|from){_S}(?P<d1>{_MONTHS}{_S}\d{{1,2}},?{_S}{_YEAR}),?{_S}(?:and|to|through|until)"
            rf"{_S}(?P<d2>{_MONTHS}{_S}\d{{1,2}},?{_S}{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "edge",
        re.compile(
            rf"\b(?:at|by|as{_S}of){_S}the{_S}(?P<edge>start|beginning|end|"
            rf"close){_S}of{_S}(?:(?P<fiscal>{_FY})|(?:calendar{_S}(?:year{_S})?)?)(?P<a>{_YEAR}|\d\d)\b",
            re.I,
        ),
    ),
    (
        "since",
        re.compile(
            rf"\bsince{_S}(?:(?:the{_S})?(?P<edge>start|beginning|end|close){_S}of{_S})?"
            rf"(?:(?P<m>{_MONTHS}){_S}(?:of{_S})?)?"
            rf"(?P<fiscal>{_FY})?(?P<a>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "since_month",
        re.compile(rf"\bsince{_S}(?:last{_S})?(?P<m>{_MONTHS})(?!{_S}(?:\d|of\b))", re.I),
    ),
    (
        # "this fiscal year, through the end of June": from the start of the year to the end of that month
        "year_through_month",
        re.compile(
            rf"\b(?:(?:so{_S}far{_S})?this|the{_S}current){_S}(?P<fiscal>fiscal{_S})?year,?{_S}(?:so{_S}far{_S})?"
            rf"(?:through|to|up{_S}to|until){_S}the{_S}end{_S}of{_S}(?P<m>{_MONTHS})\b",
            re.I,
        ),
    ),
    (
        "so_far",
        re.compile(
            rf"\b(?:so{_S}far|thus{_S}far|to{_S}date|year[ \t-]to[ \t-]date){_S}(?:in|for|"
            rf"this){_S}(?P<fiscal>{_FY})?(?:year{_S})?(?P<a>{_YEAR})?"
            rf"|\b(?:so{_S}far|thus{_S}far){_S}this{_S}(?P<fiscal2>fiscal{_S})?year\b"
            rf"|\bthis{_S}(?P<fiscal3>fiscal{_S})?year{_S}so{_S}far\b"
            rf"|\bin{_S}(?P<fiscal4>{_FY})?(?P<b>{_YEAR}){_S}so{_S}far\b"
            rf"|\byear[ \t-]to[ \t-]date\b",
            re.I,
        ),
    ),
    (
        "fy_range",
        re.compile(
            rf"\b(?:fiscal{_S}years{_S}|FY[ \t]{{0,3}}|fiscal{_S}year{_S}|fiscal{_S})'?(?P<a>{_YEAR}|"
            rf"\d\d)[ \t]{{0,3}}(?:-|–|to|through|and|until)[ \t]{{0,3}}"
            rf"(?:FY[ \t]{{0,3}}|fiscal{_S}(?:year{_S})?)?'?(?P<b>{_YEAR}|\d\d)\b"
            rf"(?![ \t]?(?:%|percent|per[ \t]?cent|points?|million|thousand)|[.,]\d)"
            rf"|\b(?:from|between){_S}the{_S}(?:start|beginning){_S}of{_S}{_FY}'?(?P<c>{_YEAR}|\d\d){_S}"
            rf"(?:to|through|until|and){_S}the{_S}(?:end|close){_S}of{_S}(?:{_FY})?'?(?P<d>{_YEAR}|\d\d)\b",
            re.I,
        ),
    ),
    (
        "fy",
        re.compile(
            rf"\b(?:fiscal{_S}year[ \t]{{1,3}}|FY[ \t]{{0,3}})'?(?P<a>{_YEAR}|\d\d)\b|"
            rf"\bfiscal{_S}(?P<b>{_YEAR})\b|\bthe{_S}(?:{_YEAR}[-–/])?(?P<c>{_YEAR}|\d\d){_S}fiscal{_S}year\b",
            re.I,
        ),
    ),
    ("cy", re.compile(rf"\bcalendar{_S}(?:year{_S})?(?P<a>{_YEAR})\b", re.I)),
    (
        "range",
        re.compile(
            rf"\b(?:between|from){_S}(?P<a>{_YEAR}){_S}(?:and|to|through){_S}(?P<b>{_YEAR})\b"
            rf"|\b(?P<c>{_YEAR})[ \t]{{0,2}}(?:-|–|through|to)[ \t]{{0,2}}(?P<d>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "full_date",
        re.compile(rf"\b(?P<m>{_MONTHS}){_S}(?P<d>\d{{1,2}}),?{_S}(?P<a>{_YEAR})\b", re.I),
    ),
    (
        "month_year",
        re.compile(
            rf"\b(?:in|as{_S}of|by|during|of|for|at){_S}(?:the{_S}end{_S}of{_S})?(?P<m>{_MONTHS}){_S}(?:of"
            rf"{_S})?(?P<a>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "current",
        re.compile(r"\b(?:currently|current|now|today|at[ \t]present|as[ \t]of[ \t](?:now|today))\b", re.I),
    ),
    ("as_of", re.compile(rf"\b(?:as{_S}of|at{_S}the{_S}end{_S}of){_S}(?P<a>{_YEAR})\b", re.I)),
    (
        "relative_year",
        re.compile(
            rf"\b(?P<which>last|this|past|previous){_S}(?P<fiscal>fiscal{_S})?year\b(?!{_S}of\b)", re.I
        ),
    ),
    (
        "last_years",
        re.compile(
            rf"\b(?:over|in|during|for|across)?{_S}?the{_S}(?:last|past|previous|prior){_S}(?P<n>{_COUNT_WORDS})"
            rf"{_S}(?P<fiscal>fiscal{_S})?years\b",
            re.I,
        ),
    ),
    (
        # "by the end of that fiscal year": the edge of the year the sentence (or paragraph) already named
        "same_year_edge",
        re.compile(
            rf"\b(?:at|by|as{_S}of){_S}the{_S}(?P<edge>start|beginning|end|close){_S}of{_S}"
            rf"(?:that|the{_S}same|the){_S}(?:fiscal{_S})?year\b",
            re.I,
        ),
    ),
    (
        "previous_year",
        re.compile(
            rf"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}}){_S}years?{_S}"
            rf"(?:earlier|before|prior)\b|\bthe{_S}(?:previous|prior|preceding){_S}(?:fiscal{_S})?year"
            rf"|\bthe{_S}year{_S}before\b",
            re.I,
        ),
    ),
    (
        "next_year",
        re.compile(
            rf"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}}){_S}years?{_S}later\b"
            rf"|\bthe{_S}(?:following|next){_S}year\b",
            re.I,
        ),
    ),
    (
        "years_span",
        re.compile(
            rf"\b(?:in|over|within){_S}(?:the{_S}(?:past|last){_S})?(?:just{_S})?(?P<n>two|three|four|five|six|seven|"
            rf"eight|nine|ten|\d{{1,2}}){_S}years\b(?!{_S}(?:ago|later|earlier|before|after|of|to|through|"
            rf"until|ending|ended))",
            re.I,
        ),
    ),
    (
        "years_ago",
        re.compile(
            rf"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}}){_S}(?P<fiscal>fiscal{_S})?years?"
            rf"{_S}ago\b",
            re.I,
        ),
    ),
    ("year", re.compile(rf"(?<![\w$,.-])(?P<a>{_YEAR})(?![\w%-]|[.,]\d|[ \t]?(?:percent|million))")),
]
_ADMIN: re.Pattern[str] | None = None
_OFFICE_DAY: re.Pattern[str] | None = None


def _office_day_pattern() -> re.Pattern[str]:
    """ "when Biden took office", "by the time George W. Bush left office": the first or last day."""
    names = sorted({_surname(a.person) for a in administrations()}, key=len, reverse=True)
    who = "|".join(re.escape(n) for n in names)
    w = r"[ \t]{1,3}"
    acts = (
        rf"took{w}office|was{w}(?:inaugurated|sworn{w}in)|entered{w}office|came{w}into{w}office|"
        rf"left{w}office|stepped{w}down|handed{w}over"
    )
    return re.compile(
        rf"\b(?:when|as|the{w}day|by{w}the{w}time|just{w}(?:before|after)){w}(?:president{w})?"
        rf"(?:(?:george|bill|barack|donald|joe|ronald){w})?(?P<initials>(?:h\.[ \t]?)?w\.{w})?"
        rf"(?P<who>{who}){w}(?P<act>{acts})(?P<again>{w}(?:again|for[ \t]a[ \t]second[ \t]time))?",
        re.I,
    )


def office_day(match: re.Match[str], *, as_of: date | None) -> TimeRef | None:
    """The day a president took (first day) or left (last day) office; the term of the same person is the one
    the text or the article date points to ("again": the later; a later term begun by the article date)."""
    who = match.group("who").lower()
    rows = [a for a in administrations() if _surname(a.person) == who]
    initials = (match.group("initials") or "").lower().replace(" ", "").replace("\t", "")
    if who == "bush" and initials:
        rows = [a for a in rows if ("h.w." in initials) == ("H.W." in a.name)] or rows
    elif who == "bush":
        rows = rows[-1:]  # bare "Bush" in these articles is George W. Bush
    persons = {a.person for a in rows}
    if len(persons) > 1:
        return None
    leaving = bool(re.match(r"(?i)(?:left|stepped|handed)", match.group("act")))
    if match.group("again"):
        term = rows[-1]
    elif leaving or as_of is None:
        term = rows[0] if not leaving else next((a for a in rows if a.last_day is not None), rows[0])
    else:
        term = next((a for a in reversed(rows) if a.first_day <= as_of), rows[0])
        if len(rows) > 1 and term is rows[-1]:
            term = rows[0]  # "when Trump took office" without "again": the first time
    day = term.last_day if leaving else term.first_day
    if day is None:
        return None
    return TimeRef(
        "at_date",
        (day.year,),
        month=day.month,
        day=day.day,
        administration=term.name,
        text=match.group(0),
        edge="end" if leaving else "start",
    )


_LABEL_AFTER_YEAR = re.compile(
    r"^[ \t]{1,2}(?:report|study|analysis|survey|election|law|act|memo|memorandum|guidance|ruling|policy|"
    r"campaign|poll|book|article|census|lawsuit|order)\b",
    re.I,
)
_LABEL_BEFORE_YEAR = re.compile(
    r"\b(?:title|section|sec|article|rule|chapter|form|report|no|number|page|district|route|highway|room|"
    r"suite|"
    r"box|unit|figure|table|exhibit|docket|bill|code|version|covid|i|apt|interstate|flight|"
    r"courtroom)\.?[ \t]{0,2}$|#[ \t]?$",
    re.I,
)


_PART_BEFORE = re.compile(
    rf"\b(?:the{_S})?(?P<which>first|last|final){_S}(?P<n>{_COUNT_WORDS}){_S}(?P<unit>days|weeks|months|years)"
    rf"{_S}(?:of|in){_S}(?:the{_S})?$",
    re.I,
)


def _part_of(ref: TimeRef, part: re.Match[str], as_of: date | None) -> TimeRef:
    """The first or last N days/weeks/months/years of an administration or of a span of dates."""
    if ref.kind == "dates" and ref.date_from:
        start, end = (
            date.fromisoformat(ref.date_from),
            (date.fromisoformat(ref.date_to) if ref.date_to else None),
        )
    else:
        admin = next((a for a in administrations() if a.name == ref.administration), None)
        if admin is None:
            return ref
        start, end = admin.first_day, admin.last_day
    start, end = _narrow(start, end, part.group("which"), _count(part.group("n")), part.group("unit"))
    stop = end or as_of
    return replace(
        ref,
        kind="dates",
        text=part.group(0) + ref.text,
        date_from=start.isoformat(),
        date_to=stop.isoformat() if stop else None,
        edge=None,
    )


def _month_number(raw: str) -> int:
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return names.index(raw.lower()[:3]) + 1


# The plain forms the patterns here produce, read without dateparser (whose first call in a process costs
# ~1.5 s of CPU building its time-zone expressions): "March 2025", "March 14, 2025", "14 March 2025",
# "2025-03-14". Same answer as dateparser (tests/test_claims_times_fast.py compares every month spelling).
_PLAIN_MONTH = r"(?P<m>[a-z]{3,9})\.?"
_PLAIN_DATES = (
    re.compile(rf"{_PLAIN_MONTH}[ \t]{{1,3}}(?P<y>{_YEAR})"),
    re.compile(rf"{_PLAIN_MONTH}[ \t]{{1,3}}(?P<d>\d{{1,2}}),?[ \t]{{1,3}}(?P<y>{_YEAR})"),
    re.compile(rf"(?P<d>\d{{1,2}})[ \t]{{1,3}}{_PLAIN_MONTH}[ \t]{{1,3}}(?P<y>{_YEAR})"),
    re.compile(rf"(?P<y>{_YEAR})-(?P<mm>\d\d)-(?P<d>\d\d)"),
)
_MONTH_NAMES = re.compile(_MONTHS + "$")


def _plain_date(text: str, *, last_day: bool) -> date | None:
    """A date of one of the plain forms above, or None (not one of them, or no such day)."""
    for pattern in _PLAIN_DATES:
        match = pattern.fullmatch(text.lower())
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("m") is not None:
            if not _MONTH_NAMES.match(match.group("m")):
                return None
            month = _month_number(match.group("m"))
        else:
            month = int(groups["mm"])
        year = int(match.group("y"))
        try:
            if groups.get("d") is not None:
                return date(year, month, int(groups["d"]))
            first = date(year, month, 1)
        except ValueError:
            return None
        if not last_day:
            return first
        return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return None


@cache
def parse_date(text: str, *, last_day: bool, as_of: date | None) -> date | None:
    """A month-and-year or full date, relative to the article date; None if unreadable. The plain forms
    (_PLAIN_DATES) are read directly, every other text by dateparser."""
    plain = _plain_date(text.strip().rstrip(".,"), last_day=last_day)
    return plain if plain is not None else _dateparser_date(text, last_day=last_day, as_of=as_of)


def _dateparser_date(text: str, *, last_day: bool, as_of: date | None) -> date | None:
    settings = {
        "PREFER_DAY_OF_MONTH": "last" if last_day else "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["absolute-time", "relative-time"],
    }
    if as_of is not None:
        settings["RELATIVE_BASE"] = datetime(as_of.year, as_of.month, as_of.day)
    parsed = dateparser.parse(text.strip().rstrip(".,"), languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def find_times(sentence: str, *, as_of: date | None = None) -> list[TimeMatch]:
    """Time expressions in a sentence; a year inside a longer expression is not counted twice."""
    global _ADMIN, _OFFICE_DAY  # noqa: PLW0603 - compiled once from administrations.csv
    if _ADMIN is None:
        _ADMIN = _admin_pattern()
    if _OFFICE_DAY is None:
        _OFFICE_DAY = _office_day_pattern()
    taken = Mask(len(sentence))
    found: list[TimeMatch] = []
    for match in _OFFICE_DAY.finditer(sentence):
        ref = office_day(match, as_of=as_of)
        if ref is not None:
            found.append(TimeMatch(match.start(), match.end(), ref))
            taken.take(match.start(), match.end())
    for match in _ADMIN.finditer(sentence):
        if taken.overlaps(match.start(), match.end()):
            continue
        ref = admin_time(match, as_of=as_of)
        if ref is not None:
            start = match.start()
            part = _PART_BEFORE.search(sentence, max(0, start - 60), start)
            if part is not None:  # "the first 100 days of Trump's second term"
                ref, start = _part_of(ref, part, as_of), part.start()
            found.append(TimeMatch(start, match.end(), ref))
            taken.take(start, match.end())
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if taken.overlaps(match.start(), match.end()):
                continue
            ref = _time_ref(kind, match, sentence, as_of=as_of)
            if ref is None:
                continue
            found.append(TimeMatch(match.start(), match.end(), ref))
            taken.take(match.start(), match.end())
    return sorted(found, key=lambda t: t.start)


def _time_ref(kind: str, match: re.Match[str], sentence: str, *, as_of: date | None) -> TimeRef | None:
    text = match.group(0)
    if kind == "quarter":
        raw_q = (match.group("q") or match.group("q2") or match.group("q3") or "").lower()
        q = int(raw_q) if raw_q.isdigit() else _ORDINALS[raw_q]
        q = 4 if q == -1 else q
        fiscal = bool(
            match.group("fy")
            or match.group("fy2")
            or match.group("fq")
            or match.group("fa")
            or match.group("fy3")
            or match.group("fq3")
        )
        raw = (
            match.group("c3")
            or match.group("c4")
            or match.group("a")
            or match.group("b")
            or match.group("fa")
            or match.group("ca")
            or match.group("cb")
        )
        year = _fy(raw)
        if fiscal:
            start_month = (10 + 3 * (q - 1) - 1) % 12 + 1
            start_year = year - 1 if start_month >= 10 else year
        else:  # "the first quarter of 2023", "Q1 2023": a calendar quarter
            start_month, start_year = 3 * (q - 1) + 1, year
        start = date(start_year, start_month, 1)
        end_month = start_month + 2
        end = date(start_year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
        end = date(end.year + (end.month == 12), end.month % 12 + 1, 1) - timedelta(days=1)
        return TimeRef("dates", (year,), text=text, date_from=start.isoformat(), date_to=end.isoformat())
    if kind == "fy_began":
        return TimeRef("fiscal_year", (int(match.group("a")) + 1,), text=text)
    if kind == "quarters":
        n = _count(match.group("n")) or 2
        fiscal = bool(match.group("fy"))
        year = _fy(match.group("a")) if fiscal else int(match.group("ca"))
        start, end = (
            (date(year - 1, 10, 1), date(year, 9, 30)) if fiscal else (date(year, 1, 1), date(year, 12, 31))
        )
        start, end = _narrow(start, end, match.group("which"), 3 * n, "months")
        return TimeRef(
            "dates", (year,), text=text, date_from=start.isoformat(), date_to=end.isoformat() if end else None
        )
    if kind == "months_span":
        spans = {"y1": 12, "h1": 6, "q1": 3}
        named = next((m for g, m in spans.items() if match.group(g)), None)
        months = named or _count(match.group("n") or match.group("n2") or "")
        if not months or not 1 <= months <= 36:
            return None
        if match.group("n") or named:
            day = f"{match.group('m')} {match.group('d')}, " if match.group("d") else f"{match.group('m')} "
            end = parse_date(day + match.group("a"), last_day=True, as_of=as_of)
            if end is None:
                return None
            after = end + timedelta(days=1)  # the span is the `months` months before the day after its end
            first_month = after.year * 12 + after.month - 1 - months
            start = date(first_month // 12, first_month % 12 + 1, min(after.day, 28))
        else:
            year = _fy(match.group("b")) if match.group("fiscal") else int(match.group("b"))
            start = date(year - 1, 10, 1) if match.group("fiscal") else date(year, 1, 1)
            full_end = date(year, 9, 30) if match.group("fiscal") else date(year, 12, 31)
            which = "first" if match.group("which2").lower() == "first" else "last"
            start, narrowed = _narrow(start, full_end, which, months, "months")
            end = narrowed or full_end
        return TimeRef("dates", (end.year,), text=text, date_from=start.isoformat(), date_to=end.isoformat())
    if kind == "half":
        first = match.group("h").lower() == "first"
        if match.group("fiscal"):
            year = _fy(match.group("a"))
            start, end = (
                (date(year - 1, 10, 1), date(year, 3, 31)) if first else (date(year, 4, 1), date(year, 9, 30))
            )
        else:
            year = int(match.group("a"))
            start, end = (
                (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
            )
        return TimeRef("dates", (year,), text=text, date_from=start.isoformat(), date_to=end.isoformat())
    if kind == "month_span":
        first_year = match.group("y1") or match.group("y2")
        start = parse_date(f"{match.group('m1')} {first_year}", last_day=False, as_of=as_of)
        end = parse_date(f"{match.group('m2')} {match.group('y2')}", last_day=True, as_of=as_of)
        if start is None or end is None or end < start:
            return None
        return TimeRef(
            "dates", (start.year, end.year), text=text, date_from=start.isoformat(), date_to=end.isoformat()
        )
    if kind == "date_span":
        start = parse_date(match.group("d1"), last_day=False, as_of=as_of)
        end = parse_date(match.group("d2"), last_day=True, as_of=as_of)
        if start is None or end is None or end < start:
            return None
        return TimeRef(
            "dates", (start.year, end.year), text=text, date_from=start.isoformat(), date_to=end.isoformat()
        )
    if kind == "edge":
        edge = "start" if match.group("edge").lower() in ("start", "beginning") else "end"
        year = _fy(match.group("a")) if match.group("fiscal") else int(match.group("a"))
        return TimeRef(
            "fiscal_year" if match.group("fiscal") else "calendar_year",
            (year,),
            text=text,
            edge=edge,
            explicit=bool(match.group("fiscal")) or "calendar" in text.lower(),
        )
    if kind == "fy_range":
        a, b = _fy(match.group("a") or match.group("c")), _fy(match.group("b") or match.group("d"))
        return TimeRef("fiscal_year", (a, b), text=text) if a < b <= a + 40 else None
    if kind == "fy":
        return TimeRef(
            "fiscal_year", (_fy(match.group("a") or match.group("b") or match.group("c")),), text=text
        )
    if kind == "cy":
        return TimeRef("calendar_year", (int(match.group("a")),), text=text)
    if kind == "year_through_month":
        if as_of is None:
            return TimeRef("needs_date", (), text=text)
        month = _month_number(match.group("m"))
        end_year = as_of.year if month <= as_of.month else as_of.year - 1
        end = (date(end_year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
        if match.group("fiscal"):
            start = date(end.year - (0 if end.month >= 10 else 1), 10, 1)
        else:
            start = date(end.year, 1, 1)
        return TimeRef("dates", (end.year,), text=text, date_from=start.isoformat(), date_to=end.isoformat())
    if kind == "so_far":
        fiscal = bool(
            match.group("fiscal")
            or match.group("fiscal2")
            or match.group("fiscal3")
            or match.group("fiscal4")
        )
        year = match.group("a") or match.group("b")
        if year:
            return TimeRef("so_far", (_fy(year) if fiscal else int(year),), explicit=fiscal, text=text)
        if as_of is None:
            return TimeRef("so_far", (), explicit=fiscal, text=text)
        current = as_of.year + (1 if fiscal and as_of.month >= 10 else 0)
        return TimeRef("so_far", (current,), explicit=fiscal, text=text, calendar=not fiscal)
    if kind == "since_month":
        if as_of is None:
            return None
        month = _month_number(match.group("m"))
        year = as_of.year if month <= as_of.month else as_of.year - 1
        return TimeRef("since", (year,), month=month, explicit=True, text=text)
    if kind == "since":
        month = _month_number(match.group("m")) if match.group("m") else None
        fiscal = bool(match.group("fiscal"))
        edge = (match.group("edge") or "").lower()
        start_of = edge in ("start", "beginning")
        return TimeRef(
            "since",
            (int(match.group("a")),),
            month=month,
            explicit=fiscal,
            text=text,
            calendar=start_of and not fiscal,  # "since the start of 2023": 1 January
            edge="end" if edge in ("end", "close") else None,  # "since the end of FY 2021": from FY 2022 on
        )
    if kind == "range":
        a, b = (
            (match.group("a"), match.group("b")) if match.group("a") else (match.group("c"), match.group("d"))
        )
        return TimeRef("range", (int(a), int(b)), explicit=False, text=text) if int(a) < int(b) else None
    if kind == "current":
        return TimeRef("at_date", (), text=text)
    if kind in ("full_date", "month_year"):
        day = parse_date(
            text if kind == "full_date" else f"{match.group('m')} {match.group('a')}",
            last_day=True,
            as_of=as_of,
        )
        if day is None:
            return None
        return TimeRef("at_date", (day.year,), month=day.month, day=day.day, text=text)
    if kind == "as_of":
        return TimeRef("at_date", (int(match.group("a")),), month=12, day=31, text=text)
    if kind == "relative_year":
        if as_of is None:
            return TimeRef("needs_date", (), text=text)
        fiscal = bool(match.group("fiscal"))
        current = as_of.year + (1 if fiscal and as_of.month >= 10 else 0)
        if match.group("which").lower() == "this":
            return TimeRef("so_far", (current,), explicit=fiscal, text=text, calendar=not fiscal)
        kind_out = "fiscal_year" if fiscal else "calendar_year"
        # "last year" is read like a bare year: the last fiscal year first, the calendar year as the
        # alternative (METHODOLOGY); "last fiscal year" is only the fiscal year
        return TimeRef(kind_out, (current - 1,), explicit=fiscal, text=text)
    if kind == "years_to":
        n = 10 if match.group("decade") else _count(match.group("n") or "")
        if not n or n > 40:
            return None
        end = _fy(match.group("a")) if match.group("fiscal") else int(match.group("a"))
        if match.group("fiscal"):
            return TimeRef("fiscal_year", (end - n, end), text=text)
        return TimeRef("range", (end - n, end), explicit=False, text=text)
    if kind == "last_years":
        n = _count(match.group("n"))
        if not n or n > 30:
            return None
        if as_of is None:
            return TimeRef("needs_date", (), text=text)
        if match.group("fiscal"):
            current = as_of.year + (1 if as_of.month >= 10 else 0)
            return TimeRef("fiscal_year", (current - n, current - 1), text=text)
        return TimeRef("range", (as_of.year - n, as_of.year - 1), explicit=False, text=text)
    if kind == "same_year_edge":
        edge = "start" if match.group("edge").lower() in ("start", "beginning") else "end"
        return TimeRef("same_year", (), explicit=False, text=text, edge=edge)
    if kind in ("previous_year", "next_year"):
        raw = match.group("n") or "one"
        steps = 1 if raw.lower() in ("a", "one") else (_count(raw) or 1)
        return TimeRef(kind, (steps,), explicit=False, text=text)
    if kind == "years_span":
        # "rose fourfold in two years, reaching 200,000 in FY 2023": from two years before the year written
        return TimeRef("previous_year", (_count(match.group("n")) or 1,), explicit=False, text=text)
    if kind == "years_ago":
        if as_of is None:
            return TimeRef("needs_date", (), text=text)
        raw = match.group("n")
        steps = 1 if raw.lower() in ("a", "one") else (_count(raw) or 1)
        if match.group("fiscal"):  # "two fiscal years ago": counted back from the fiscal year of the date
            current = as_of.year + (1 if as_of.month >= 10 else 0)
            return TimeRef("fiscal_year", (current - steps,), explicit=True, text=text)
        return TimeRef("calendar_year", (as_of.year - steps,), explicit=False, text=text)
    before = sentence[max(0, match.start() - 30) : match.start()]
    if _LABEL_AFTER_YEAR.match(sentence[match.end() : match.end() + 20]):
        return None  # "the 2024 report", "a 2022 memo": the year names a document, not the data's period
    if _LABEL_BEFORE_YEAR.search(before) and not re.search(
        r"\b(?:in|during|of|for|year)[ \t]{0,2}$", before, re.I
    ):
        return None
    return TimeRef("calendar_year", (int(match.group("a")),), explicit=False, text=text)


def shift(ref: TimeRef, years: int, text: str) -> TimeRef:
    """The same kind of period ``years`` later ("a year earlier" is -1 of the sentence's own year)."""
    return TimeRef(ref.kind, tuple(y + years for y in ref.years), explicit=ref.explicit, text=text)


def resolve_relative(times: list[TimeMatch], anchor: TimeRef | None) -> list[TimeMatch]:
    """ "a year earlier/later" become years next to the sentence's own year (or the anchor from before)."""
    out = []
    own = next((t.ref for t in times if t.ref.years and t.ref.kind in ("fiscal_year", "calendar_year")), None)
    for time in times:
        if time.ref.kind == "same_year":
            base = own or (anchor if anchor and anchor.years else None)
            if base is not None and base.years and base.kind in ("fiscal_year", "calendar_year"):
                ref = replace(base, years=(base.years[-1],), edge=time.ref.edge, text=time.ref.text)
                out.append(TimeMatch(time.start, time.end, ref))
            continue
        if time.ref.kind in ("previous_year", "next_year"):
            prior = anchor if anchor and anchor.years else None
            base = (own or prior) if time.ref.kind == "previous_year" else (prior or own)
            if base is None or not base.years or base.kind not in ("fiscal_year", "calendar_year"):
                continue
            step = (-1 if time.ref.kind == "previous_year" else 1) * (
                time.ref.years[0] if time.ref.years else 1
            )
            out.append(
                TimeMatch(
                    time.start, time.end, shift(replace(base, years=(base.years[-1],)), step, time.ref.text)
                )
            )
            continue
        out.append(time)
    return out


_DATELINE = re.compile(
    rf"(?P<date>\b{_MONTHS}[ \t]{{1,3}}\d{{1,2}},?[ \t]{{1,3}}{_YEAR}\b|"
    rf"\b\d{{1,2}}[ \t]{{1,3}}{_MONTHS}[ \t]{{1,3}}{_YEAR}\b"
    rf"|\b{_YEAR}-\d\d-\d\d\b)",
    re.I,
)


def dateline(text: str) -> date | None:
    """The article's date from its dateline: a full date on one of its first two non-empty lines (within
    their first 160 characters: "WASHINGTON, June 12, 2025 —", "Published 2025-06-12"); None if none."""
    lines = [line for line in text[:600].splitlines() if line.strip()][:2]
    for line in lines:
        if len(line) > 160 and not _DATELINE.match(line.strip()):
            continue
        match = _DATELINE.search(line[:160])
        if match:
            return parse_date(match.group("date"), last_day=False, as_of=None)
    return None


def _since_current_term(admin: Administration, text: str, as_of: date | None) -> TimeRef:
    """From the first day of `admin` (the newest administration) to the article's date, when known."""
    return TimeRef(
        "dates",
        (),
        administration=admin.name,
        text=text,
        date_from=admin.first_day.isoformat(),
        date_to=as_of.isoformat() if as_of else None,
    )
