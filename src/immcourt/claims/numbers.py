"""Sentences, numbers, units and hedges in a text, in time linear in its length.

Every pattern here is either anchored to a token start found by one left-to-right scan, or looks only at a
bounded window (``WINDOW`` characters) around a number; quantifiers that could backtrack over a long run
are possessive or bounded. So 1 MB of digits, 4 KB of "1," or a 32,000-digit number take linear time, and
a number too long to be a quantity (> ``MAX_DIGITS`` digits) is skipped rather than converted.
Number words go through text2num.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

WINDOW = 60  # characters looked at on each side of a number
STORY_WINDOW = 200  # characters looked at for the person or the waiting a length of time is about
MAX_DIGITS = 18  # a longer digit run is an identifier or noise, never a statistic

# --------------------------------------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    "u.s mr mrs ms dr st jan feb aug sept oct nov dec no gov sen rep inc vs u.n d.c jr sr a.m p.m fig "
    "fed reg stat supp ct cir".split()
)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]{0,3}(?=\s|$)")
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")  # "George H.W. Bush": initials do not end a sentence
_LAST_WORD = re.compile(r"([\w.]{1,12})[.!?][\"”’)]{0,3}$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*+\n|\n(?=[ \t])")


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
            tail = text[max(cursor, match.end() - 16) : match.end()]
            word = _LAST_WORD.search(tail)
            if word and (word.group(1).lower() in _ABBREVIATIONS or _INITIALS.match(word.group(1))):
                continue
            following = text[match.end() : match.end() + 3].lstrip()
            if following and (following[0].islower() or following[0].isdigit()):
                continue
            if (
                match.group(0) == "."
                and match.start() > 0
                and text[match.start() - 1].isdigit()
                and following[:1].isdigit()
            ):
                continue
            _add_sentence(sentences, text, cursor, match.end(), paragraph)
            cursor = match.end()
        _add_sentence(sentences, text, cursor, p_end, paragraph)
    return sentences


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [span for span in spans if text[span[0] : span[1]].strip()]


def _add_sentence(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + (len(chunk) - len(chunk.lstrip()))
        sentences.append(Sentence(offset, offset + len(stripped), stripped, paragraph))


# --------------------------------------------------------------------------------------------- numbers

_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_WORDS = rf"{_NUMBER_WORD}(?:[ \t-]{{1,3}}(?:and[ \t]{{1,3}})?{_NUMBER_WORD}){{0,6}}"
# One digit token: grouped thousands or a plain run, then decimals. The look-behind makes every match start
# at the beginning of a run, and the possessive run never backtracks.
_DIGIT_TOKEN = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})++(?!\d)|\d++)(?:\.\d++)?+")
_WORD_TOKEN = re.compile(rf"(?<![\w-])(?:{_WORDS})(?![\w])", re.I)
_SCALE_AFTER = re.compile(r"^[ \t]{0,2}(million|billion|thousand|trillion|[MBK]\b)", re.I)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "b": 1e9, "trillion": 1e12}
_PERCENT_AFTER = re.compile(
    r"^(?:%|[ \t]?percent\b|[ \t]?per[ \t]?cent\b|[ \t]?percentage[ \t]points?\b|[ \t]points?\b)", re.I
)
_RATIO_AFTER = re.compile(
    r"^(?:x\b|[ \t]?-?times\b(?=[ \t]{1,2}(?:as|more|higher|larger|greater|bigger|lower|fewer|smaller|the|"
    r"what|its|their|that[ \t]of|over\b(?![ \t]\d)|between|from|since))|"
    r"[ \t]?-?fold\b)",
    re.I,
)
_RANGE_JOIN = re.compile(r"^[ \t]{0,2}(?:to|-|–|and)[ \t]{0,2}\$?$", re.I)
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fourth": 0.25, "fifth": 0.2, "tenth": 0.1}
_FRACTION = re.compile(
    r"(?<![\w-])(?:(?P<num>one|two|three|four|a)[ \t-](?P<frac>half|third|quarter|fourth|fifth|tenth)s?"
    r"|(?P<half>half))(?P<rest>[ \t]{1,3}(?:of[ \t]{1,3}an?[ \t]{1,3}(?P<scale>million|billion)\b|"
    r"an?[ \t]{1,3}(?P<scale2>million|billion)\b|of\b))",
    re.I,
)
_ONE_IN = re.compile(
    rf"(?<![\w-])(?P<num>{_WORDS}|\d{{1,4}})[ \t-]{{1,3}}(?:in|"
    rf"out[ \t-]{{1,3}}of|of(?=[ \t]{{1,3}}every))[ \t-]{{1,3}}(?:every[ \t]{{1,3}})?"
    rf"(?P<den>{_WORDS}|\d{{1,4}})(?![\w,])(?![ \t]{{0,2}}(?:million|billion|thousand|%|percent))",
    re.I,
)
_HEDGED_HALF = re.compile(
    r"\b(?:about|nearly|almost|roughly|around|over|under|more[ \t]than|less[ \t]than|fewer[ \t]than|just|"
    r"close[ \t]to|closer[ \t]to)[ \t]{1,3}(?P<half>(?:(?:one|a)[ \t-])?(?P<frac>half|third|quarter|fifth))\b"
    r"(?![ \t-]{1,3}(?:a|an|of|the|million|billion|their|its|his|her)\b)",
    re.I,
)
# "one asylum seeker in eight": a share split by its noun
_ONE_NOUN_IN = re.compile(
    rf"(?<![\w-])(?P<num>one|two|three|\d)(?P<noun>(?:[ \t]{{1,2}}[a-z][\w-]{{1,20}}){{1,3}})"
    rf"[ \t]{{1,2}}in[ \t]{{1,2}}(?:every[ \t]{{1,2}})?(?P<den>{_WORDS}|\d{{1,3}})(?![\w,])"
    rf"(?![ \t]{{0,2}}(?:million|billion|thousand|%|percent))",
    re.I,
)
_A_SCALE = re.compile(
    r"(?<![\w-])(?<!half[ \t])(?<!of[ \t])an?[ \t](million|billion)\b(?![ \t-]{1,3}(?:dollars|\$))", re.I
)
_BY_FRACTION = re.compile(
    r"\bby[ \t]{1,3}(?:(?:roughly|about|nearly|almost|around|more[ \t]than|less[ \t]than|over|some|just|"
    r"approximately)[ \t]{1,3})?(?P<what>(?:(?:a|one)[ \t-])?(?P<frac>half|third|quarter|fifth|tenth))\b"
    r"(?![ \t-]{1,3}(?:of|million))",
    re.I,
)
_MULTIPLIER_WORDS = {
    "doubled": 2.0,
    "double": 2.0,
    "tripled": 3.0,
    "triple": 3.0,
    "quadrupled": 4.0,
    "quintupled": 5.0,
    "halved": 0.5,
    "twice": 2.0,
    "twofold": 2.0,
    "threefold": 3.0,
    "fourfold": 4.0,
    "fivefold": 5.0,
    "sixfold": 6.0,
    "tenfold": 10.0,
}
_MULTIPLIER = re.compile(
    r"(?<![\w-])(?:doubled|tripled|quadrupled|quintupled|halved|(?:two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|fifteen|twenty|hundred)[ \t-]?fold"
    r"|(?:more[ \t]than[ \t])?(?:double|triple|twice)(?=[ \t](?:the|as|what|that|its|their|those|"
    r"its|from|since|between)\b))",
    re.I,
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Labels that a number can follow without being a quantity: statutes, forms, reports, places, dates.
_LABEL_BEFORE = re.compile(
    rf"(?:(?<!['’])\b(?:title|section|sec|article|rule|chapter|form|report|no|number|page|district|route|"
    rf"highway|"
    rf"proposition|prop|room|suite|box|unit|step|phase|item|figure|table|exhibit|case|docket|bill|h\.r|s|"
    rf"amendment|vol|volume|part|grade|level|tier|class|category|code|line|seed|version|covid|i|apt|"
    rf"interstate|floor|channel|flight|courtroom|top|order|gate|terminal|building|pier|ward|precinct|zone|"
    rf"region|"
    rf"area|lot|bus|train|pages?|episode|issue|season|exit|hall|slide|appendix|footnote|paragraph|clause|"
    rf"verse|act|stage|wing|dock|post|station|mile|marker|lane|block|pod|cell|bed|seat|ticket|"
    rf"id|account|receipt|file|a-number|alien[ \t]number|text|dial|call|extension|ext|reg|stat|"
    rf"executive[ \t]order|public[ \t]law|resolution|decree|directive)\.?"
    rf"|§|#|{_MONTHS}|\b[A-Z]{{1,3}}-|\bno\.)[ \t]{{0,2}}$",
    re.I,
)
_AFTER_NOT_QUANTITY = re.compile(
    r"^(?:st|nd|rd|th)\b|^[ \t]{0,2}(?:minutes?|hours?|seconds?|weeks?)\b"
    r"|^[ \t]{1,2}(?:months?|years?|days?)[ \t]{1,2}(?:ending|ended|through)\b"
    r"|^[ \t]?-?[ \t]?(?:years?[-\s]old|year-old|yr|-page|[ \t]?pages?\b|-day\b|-month\b|"
    r"-year\b|-member\b)"
    r"|^:\d|^[ \t]{0,2}(?:a\.m|p\.m|am\b|pm\b|o'clock)"
    r"|^[ \t]{0,2}(?:[A-Z][a-z]{1,15}\.?[ \t]{1,2}){0,3}(?i:street|st\.|avenue|ave\b|road|rd\b|boulevard|"
    r"blvd|lane|drive|way\b|"
    r"court\b(?![ \t]cases)|plaza|place|square)"
    r"|^[ \t]{0,2}(?:[A-Z][a-z]{1,15}\.?[ \t]{1,2}){1,3}(?i:pike|parkway|pkwy|highway|hwy|turnpike|terrace|"
    r"expressway|freeway|broadway|circle|trail|loop)\b"
    r"|^[ \t]{1,2}(?:floors|stories|storeys|sections|chapters|questions|paragraphs|clauses|fields|boxes|tabs|"
    r"slides|footnotes|appendices)\b"
    r"|^-\d|^\)[ \t]?\d{3}-|^[A-Za-z]|^/\d|^\.\d"
    r"|^[ \t]{1,2}(?:U\.?[ \t]?S\.?[ \t]?C|C\.?[ \t]?F\.?[ \t]?R|I&N|F\.[ \t]?(?:2d|3d|4th|Supp)|S\.[ \t]?Ct|"
    r"Stat\.|L\.[ \t]?Ed|Fed\.[ \t]?Reg)",
)
_PHONE = re.compile(r"(?<!\d)\(?\d{3}\)?[-. \t]\d{3}[-.]\d{4}(?!\d)")
_ZIP_BEFORE = re.compile(r"\b[A-Z]{2}[ \t]$")
_AGE_BEFORE = re.compile(
    r"\b(?:aged?|ages)[ \t]{0,2}(?:\d{1,2}[ \t]{0,2}(?:,|and|to|-)[ \t]{0,2}){0,5}$", re.I
)
_KIN_BEFORE = re.compile(
    r"\b(?:sons?|daughters?|children|kids|boys?|girls?|grandchildren|grandsons?|granddaughters?|nephews?|"
    r"nieces?|cousins?|twins|siblings|brothers?|"
    r"sisters?),?[ \t]{1,2}"
    r"(?:\d{1,2}[ \t]{0,2}(?:,|and)[ \t]{0,2}){0,4}$",
    re.I,
)
_AGE_APPOSITION = re.compile(r"\b[A-Za-z]{2,20},[ \t]?$")
_ORDINAL_LABEL = re.compile(r"\b(?:year|day|week|month|round|wave)[ \t]{0,2}$", re.I)
_DURATION_AFTER = re.compile(r"^[ \t]{1,2}(years?|months?|days?)\b", re.I)
_DURATION_NOT_AMOUNT = re.compile(r"^[ \t]{0,2}(?:ago|later|earlier|before|after|old)\b", re.I)
# "he was 16 when", "is now 26", "their son, now 7,", "she turned 18": a person's age, not a statistic.
_PERSON_AGE_BEFORE = re.compile(
    r"(?:\bas[ \t](?:young|old)[ \t]as|"
    r"\b(?:he|she|i|who|they|we)(?:[’']s|[ \t]{1,2}(?:was|is|were|are|turned|turns|will[ \t]turn))"
    r"(?:[ \t]{1,2}(?:now|just|only|barely|already))?|\b(?:turned|turns|turning|now|at[ \t]age|age)),?"
    r"[ \t]{1,2}$",
    re.I,
)
_NOTHING_COUNTED_AFTER = re.compile(
    r"^(?:[ \t]{0,2}(?:[,.;:)!?]|—|–|$)|[ \t]{1,2}(?:when|and|as|after|before|but|so|while|because)\b"
    r"|[ \t]{1,2}years?[ \t]old\b)",
    re.I,
)
# "the motion cited 31 decisions", "the study reviewed 500 cases": the size of a document's sample.
_SAMPLE_BEFORE = re.compile(
    r"\b(?:cited|cites|citing|reviewed|reviewing|analy[sz]ed|examined|studied|sampled|interviewed|"
    r"surveyed|looked[ \t]at|read)[ \t]{1,2}"
    r"(?:more[ \t]than[ \t]|over[ \t]|about[ \t]|nearly[ \t]|some[ \t])?$",
    re.I,
)
_AGE_LIMIT_BEFORE = re.compile(
    r"\b(?:children|minors|kids|youths?|teens|those|people|anyone|applicants|migrants|immigrants|adults|"
    r"respondents)[ \t]{1,2}(?:under|over|aged|younger[ \t]than|older[ \t]than|below|above)[ \t]{1,2}"
    r"(?:the[ \t]age[ \t]of[ \t])?$",
    re.I,
)
# A length of time is a court statistic only when the text speaks of waiting for or processing cases; "she
# spent 18 months in a shelter", "10 years of continuous presence", "add 100 judges over four years" are not.
_PROCESSING_WORDS = re.compile(
    r"\b(?:wait\w*|t(?:ake|akes|ook|aking|aken)|last(?:ed|s|ing)?|median|average|typical(?:ly)?|pending|"
    r"backlog\w*|to[ \t](?:complete|decide|resolve|process|adjudicate|close|finish|conclude|fill|get)|"
    r"for[ \t](?:an?|their|the)[ \t](?:hearing|decision|ruling|court|case|judge|interview|visa|appointment)|"
    r"processing|turnaround|delays?|linger\w*|languish\w*|dragged|drag(?:s|ging)?)\b",
    re.I,
)
_ONE_PERSON = re.compile(r"\b(?:he|she|him|his|her|hers|himself|herself|a[ \t]person|i|my|me)\b", re.I)
_DURATION_OF = re.compile(r"^[ \t]{1,2}(?:years?|months?|days?)[ \t]{1,2}of[ \t]{1,2}(?!waiting)", re.I)
_DURATION_BEFORE = re.compile(
    r"\b(?:took|take|takes|taking|wait(?:ed|s|ing)?|average\s+of|median\s+of|almost|nearly|about|over|"
    r"more\s+than|lasted)[ \t]{1,2}$",
    re.I,
)


@dataclass
class Number:
    """A quantity in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    value: float
    unit: str
    upper: float | None = None
    hedge: str | None = None  # set when the form itself is approximate ("a third of a million")
    decimals: int = 0
    duration: str | None = None  # "years", "months" or "days" when the number is a length of time


def is_year(raw: str) -> bool:
    return len(raw) == 4 and raw[:2] in ("19", "20") and raw.isdigit()


def parse_words(raw: str) -> float | None:
    words = " ".join(raw.lower().replace("-", " ").split()).replace(" and ", " ")
    try:
        return float(text2num(words, "en"))
    except ValueError:
        return None


def find_numbers(sentence: str) -> list[Number]:
    """Quantities in one sentence (offsets relative to the sentence), non-quantities already removed."""
    found: list[Number] = []
    taken = Mask(len(sentence))
    for match in _PHONE.finditer(sentence):
        taken.take(match.start(), match.end())
    for match in _FRACTION.finditer(sentence):
        number = _fraction(match)
        if number:
            found.append(number)
            taken.take(number.start, number.end)
    for match in _ONE_IN.finditer(sentence):
        if taken.overlaps(match.start(), match.end()):
            continue
        num, den = _word_or_digit(match.group("num")), _word_or_digit(match.group("den"))
        if num and den and num < den <= 1000:
            found.append(Number(match.start(), match.end(), num / den, "share", decimals=3))
            taken.take(match.start(), match.end())
    for match in _BY_FRACTION.finditer(sentence):
        value = 100.0 * _FRACTIONS[match.group("frac").lower()]
        start = match.start("what")
        if taken.overlaps(start, match.end()):
            continue
        found.append(Number(start, match.end(), value, "percent", hedge="about", decimals=1))
        taken.take(start, match.end())
    for match in _HEDGED_HALF.finditer(sentence):
        if not taken.overlaps(match.start("half"), match.end("half")):
            value = _FRACTIONS[match.group("frac").lower()]
            found.append(Number(match.start("half"), match.end("half"), value, "share", decimals=4))
            taken.take(match.start("half"), match.end("half"))
    for match in _ONE_NOUN_IN.finditer(sentence):
        if taken.overlaps(match.start(), match.end()):
            continue
        num, den = _word_or_digit(match.group("num")), _word_or_digit(match.group("den"))
        if num and den and num < den <= 100 and not re.search(r"\d", match.group("noun")):
            found.append(Number(match.start(), match.end(), num / den, "share", decimals=3))
            taken.take(match.start(), match.end())
    for match in _A_SCALE.finditer(sentence):
        if not taken.overlaps(match.start(), match.end()):
            found.append(Number(match.start(), match.end(), _SCALES[match.group(1).lower()], "count"))
            taken.take(match.start(), match.end())
    for match in _MULTIPLIER.finditer(sentence):
        word = match.group(0).lower().split()[-1].replace("-", "")
        if word.endswith("fold") and word not in _MULTIPLIER_WORDS:
            _MULTIPLIER_WORDS[word] = parse_words(word[:-4]) or 1.0
        hedge = "more_than" if match.group(0).lower().startswith("more") else None
        found.append(Number(match.start(), match.end(), _MULTIPLIER_WORDS[word], "ratio", hedge=hedge))
        taken.take(match.start(), match.end())
    tokens = _tokens(sentence, taken)
    found.extend(_combine(sentence, tokens))
    return sorted(found, key=lambda n: n.start)


class Mask:
    """Characters claimed by an earlier pattern; a check costs the length of the span (linear overall)."""

    def __init__(self, size: int) -> None:
        self._bits = bytearray(size + 1)

    def take(self, start: int, end: int) -> None:
        self._bits[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return self._bits.find(1, start, end) != -1


def _word_or_digit(raw: str) -> float | None:
    return float(raw) if raw.isdigit() else parse_words(raw)


def _fraction(match: re.Match[str]) -> Number | None:
    scale = match.group("scale") or match.group("scale2")
    if match.group("half"):
        frac = 0.5
        if not scale:
            after = match.string[match.end() : match.end() + 20].lower()
            before = match.string[max(0, match.start() - 12) : match.start()].lower()
            if re.match(
                r"[ \t]{1,3}(?:the[ \t])?(?:year|month|decade|century|19|20|fy|fiscal|calendar)", after
            ):
                return None
            if re.search(r"\b(?:first|second|last|latter|other)[ \t]{1,2}$", before):
                return None  # "the first half of FY 2024" is a period
    else:
        count = (
            1.0 if match.group("num").lower() in ("a", "one") else float(parse_words(match.group("num")) or 1)
        )
        frac = count * _FRACTIONS[match.group("frac").lower()]
    if scale:
        return Number(match.start(), match.end(), frac * _SCALES[scale.lower()], "count", hedge="about")
    end = match.end() - len(match.group("rest"))
    return Number(match.start(), end, frac, "share", decimals=4)


@dataclass
class _Token:
    start: int
    end: int
    raw: str
    value: float | None
    words: bool


def _tokens(sentence: str, taken: Mask) -> list[_Token]:
    tokens = []
    for match in _DIGIT_TOKEN.finditer(sentence):
        raw = match.group(0)
        if taken.overlaps(match.start(), match.end()):
            continue
        digits = raw.replace(",", "").split(".")[0]
        value = float(raw.replace(",", "")) if len(digits) <= MAX_DIGITS else None
        tokens.append(_Token(match.start(), match.end(), raw, value, False))
    for match in _WORD_TOKEN.finditer(sentence):
        if taken.overlaps(match.start(), match.end()):
            continue
        tokens.append(_Token(match.start(), match.end(), match.group(0), parse_words(match.group(0)), True))
    return sorted(tokens, key=lambda t: t.start)


def _suffix(sentence: str, end: int) -> tuple[float, str | None, str, int]:
    """(scale, unit or None, after-text, end) from the words right after a number."""
    after = sentence[end : end + WINDOW]
    scale = 1.0
    match = _SCALE_AFTER.match(after)
    if match and not (
        match.group(1) in "MBK" and len(match.group(1)) == 1 and sentence[end : end + 1] == " "
    ):
        scale = _SCALES[match.group(1).lower()]
        end += match.end()
        after = sentence[end : end + WINDOW]
    unit = None
    if pct := _PERCENT_AFTER.match(after):
        unit = "percent"
        end += pct.end()
    elif (ratio := _RATIO_AFTER.match(after)) and scale == 1.0:
        unit = "ratio"
        end += ratio.end()
    return scale, unit, sentence[end : end + WINDOW], end


def _combine(sentence: str, tokens: list[_Token]) -> list[Number]:
    numbers: list[Number] = []
    skip = -1
    for i, token in enumerate(tokens):
        if i <= skip or token.value is None:
            continue
        scale, unit, after, end = _suffix(sentence, token.end)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.value is not None and _RANGE_JOIN.match(sentence[end : nxt.start]):
            n_scale, n_unit, _, n_end = _suffix(sentence, nxt.end)
            if _is_range(sentence, token, nxt, unit or n_unit, scale, n_scale):
                low = token.value * (scale if scale != 1.0 else n_scale)
                high = nxt.value * n_scale
                if high > low:
                    numbers.append(Number(token.start, n_end, low, unit or n_unit or "count", upper=high))
                    skip = i + 1
                    continue
        number = _single(sentence, token, scale, unit, after, end)
        if number is not None:
            numbers.append(number)
    return numbers


def _is_range(
    sentence: str, low: _Token, high: _Token, unit: str | None, scale: float, n_scale: float
) -> bool:
    if is_year(low.raw) or is_year(high.raw):
        return False
    before = sentence[max(0, low.start - 10) : low.start].lower()
    joined = sentence[low.end : high.start].lower()
    if low.words or high.words:
        return bool(unit) or n_scale != 1.0
    if before.rstrip().endswith("between"):
        return True
    if re.search(r"\bfrom[ \t]{1,2}(?:about[ \t]|nearly[ \t]|some[ \t])?\$?$", before):
        return False  # "from 13 percent to 26 percent": two ends of a change
    if joined.strip() in ("-", "–") and "," in low.raw and "," in high.raw:
        return True  # "700,000-750,000": grouped thousands joined by a dash are a range, not a score
    if not (unit or n_scale != 1.0):
        return False  # "18,119 in 2021 to 149,305" is two claims; "10-12" alone is a score or a date
    return "and" not in joined or before.rstrip().endswith("between")


def _single(
    sentence: str, token: _Token, scale: float, unit: str | None, after: str, end: int
) -> Number | None:
    before = sentence[max(0, token.start - WINDOW) : token.start]
    raw, value = token.raw, token.value
    assert value is not None
    duration = None
    if token.words:
        if scale == 1.0 and unit is None:
            duration_match = _DURATION_AFTER.match(after)
            if not (duration_match and _DURATION_BEFORE.search(before)):
                return None  # a bare number word ("two judges") is prose, not a statistic
            duration = duration_match.group(1).lower().rstrip("s") + "s"
            if not _duration_is_a_statistic(sentence, token.start, after):
                return None
        return Number(
            token.start,
            end,
            value * scale,
            unit if unit in ("percent", "ratio") else "count",
            duration=duration,
        )
    has_scale = scale != 1.0
    if before.endswith("$"):
        pass
    elif not (has_scale or unit):
        if is_year(raw) or _LABEL_BEFORE.search(before) or _AFTER_NOT_QUANTITY.search(after):
            return None
        if _AGE_BEFORE.search(before) or (_KIN_BEFORE.search(before) and raw.isdigit() and int(raw) <= 25):
            return None
        if _SAMPLE_BEFORE.search(before[-40:]):
            return None
        if _AGE_LIMIT_BEFORE.search(before[-50:]) and raw.isdigit() and int(raw) <= 120:
            return None  # "children under 18": an age limit, not a count
        if re.match(r"(?i)^[ \t]{1,2}times\b", after) and value < 100:
            return None  # "postponed 3 times": how often one thing happened, not a tally over cases
        if value <= 20 and _ONE_PERSON.search(_around(sentence, token.start)):
            return None  # "she has had 4 hearings": one person's story, not a statistic
        if (
            raw.isdigit()
            and int(raw) <= 120
            and (age := _PERSON_AGE_BEFORE.search(before[-30:]))
            and (
                _NOTHING_COUNTED_AFTER.match(after)
                or re.search(r"(?i)\bturn|\bas[ \t](?:young|old)", age.group(0))
            )
        ):
            return None
        if (
            _AGE_APPOSITION.search(before[-24:])
            and re.match(r"^[ \t]?,", after)
            and raw.isdigit()
            and int(raw) <= 120
        ):
            return None  # "a father, 36, and his son": an age in apposition
        if re.search(r"[A-Za-z]-?$|\d[:/.-]$|[:/]$", before) or _ZIP_BEFORE.search(before):
            return None
        if re.match(r"^[:/]\d|^-(?:year|month|day)", after):
            return None
        if re.match(r"^/[ \t\n)]", after) and raw.isdigit() and int(raw) <= 30:
            return None  # "thread 1/ ...", "2/ Without one?": a post's number in a thread
        if _looks_like_hours(before, raw, after):
            return None
        if _ORDINAL_LABEL.search(before) and raw.isdigit() and int(raw) <= 31:
            return None  # "year 2 of the program": an ordinal label
        if duration_match := _DURATION_AFTER.match(after):
            if _DURATION_NOT_AMOUNT.match(after[duration_match.end() :]):
                return None  # "three years ago", "2 years later": a time, not an amount
            duration = duration_match.group(1).lower().rstrip("s") + "s"
    if duration and not _duration_is_a_statistic(sentence, token.start, after):
        return None
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    start = token.start - 1 if before.endswith("$") else token.start  # "$2.7 billion" keeps its dollar sign
    return Number(start, end, value * scale, unit or "count", decimals=decimals, duration=duration)


def _duration_is_a_statistic(sentence: str, start: int, after: str) -> bool:
    """A length of time counts as a claim only about waiting for or processing cases, not one person's."""
    if _DURATION_OF.match(after):
        return False
    near = _around(sentence, start)
    return bool(_PROCESSING_WORDS.search(near)) and not _ONE_PERSON.search(near)


def _around(sentence: str, position: int) -> str:
    """The words within ``STORY_WINDOW`` characters of a number (bounded, so a long text stays linear)."""
    return sentence[max(0, position - STORY_WINDOW) : position + STORY_WINDOW]


def _looks_like_hours(before: str, raw: str, after: str) -> bool:
    """ "from 9 to 11", "between 9 and 5": clock hours, not quantities."""
    if not raw.isdigit() or int(raw) > 24:
        return False
    weekday = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    opening = re.search(rf"(?i)\b(?:from|between|open|hours|{weekday}),?[ \t]{{1,2}}$", before) and re.match(
        r"^[ \t]{0,2}(?:to|until|and|-|–)[ \t]{0,2}\d{1,2}\b(?!,|\d)", after
    )
    closing = re.search(
        rf"(?i)\b(?:from|between|open|hours|{weekday}),?[ \t]{{1,2}}\d{{1,2}}[ \t]{{0,2}}"
        rf"(?:to|until|and|-|–)[ \t]{{0,2}}$",
        before,
    )
    return bool(opening or closing)


# --------------------------------------------------------------------------------------------- hedges

_HEDGE_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    (
        "at_least",
        re.compile(r"\b(?:at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of)\s{0,2}$", re.I),
    ),
    ("at_most", re.compile(r"\b(?:at\s+most|no\s+more\s+than|up\s+to|a\s+maximum\s+of)\s{0,2}$", re.I)),
    (
        "nearly",
        re.compile(
            r"\b(?:nearly|almost|close\s+to|approached|approaches|neared|nearing|"
            r"(?:just|a\s+(?:shade|hair|tad|touch|bit|little)|slightly)\s+"
            r"(?:under|shy\s+of|below|less\s+than|short\s+of)|approaching|not\s+quite|shy\s+of)\s{0,2}$",
            re.I,
        ),
    ),
    (
        "more_than",
        re.compile(
            r"\b(?:more\s+than|over|above|exceeding|upwards?\s+of|in\s+excess\s+of|north\s+of|"
            r"just\s+over|topping|topped|tops|surpassing|surpassed|exceeded|exceeds|passed|passing|"
            r"crossed|eclipsed|broke|beyond|"
            r"more\s+than\s+doubled\s+to)\s{0,2}$",
            re.I,
        ),
    ),
    ("fewer_than", re.compile(r"\b(?:fewer\s+than|less\s+than|under|below|short\s+of)\s{0,2}$", re.I)),
    (
        "about",
        re.compile(
            r"\b(?:about|around|approximately|roughly|some|an\s+estimated|estimated|an?\s+approximate|"
            r"circa|~)\s{0,2}$",
            re.I,
        ),
    ),
]
_HEDGE_AFTER: list[tuple[str, re.Pattern[str]]] = [
    # "27,500 removal orders or more": the qualifier may follow a short noun phrase.
    (
        "at_least",
        re.compile(r"^\s{0,2}(?:[a-z]{1,15}\s{1,2}){0,3}?(?:or\s+more|and\s+up|or\s+higher)\b", re.I),
    ),
    (
        "at_most",
        re.compile(r"^\s{0,2}(?:[a-z]{1,15}\s{1,2}){0,3}?(?:or\s+fewer|or\s+less|or\s+lower)\b", re.I),
    ),
]


def find_hedge(before: str, after: str) -> str:
    """The hedge written next to a number; ``before``/``after`` are cut to ``WINDOW`` characters here."""
    before, after = before[-WINDOW:], after[:WINDOW]
    for hedge, pattern in _HEDGE_BEFORE:
        if pattern.search(before):
            return hedge
    for hedge, pattern in _HEDGE_AFTER:
        if pattern.search(after):
            return hedge
    return "exact"
