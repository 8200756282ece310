"""Places, nationalities and languages written where the group extractor does not look (issue 15).

The release's own lookups (``qualifiers.Lexicon``: base cities, nationalities, languages) name every place a
number can be filtered on. This module finds such names around a number and decides, for each, whether it
*governs* the number (it then becomes the reading's filter) or is merely *named* in the number's clause (the
place guard, ``guard.counted_group``, then requires every reading to filter on it, so a reading without it
is never asked and the claim becomes "not checkable" naming the place).

A place governs a number when (text shapes, with ``X`` a lookup name):
- a caption list "A 6%, B 3%": the name written right before the number;
- the name is the subject of the number's clause: "X's backlog", "X' backlog", "the X backlog",
  "X judges", "X completed 5,900 cases", "Of the 88,000 cases X judges closed";
- "the figure for X was N", "For X it was N";
- a dateline "OAKDALE, La. (Wire) — The court here ...": the dateline's city for a clause saying "here".
A name written before another number of the clause ("Houston 6%", "the Houston court's judges ordered 71
percent ..., compared with 44 percent") or right after one ("91 percent in Atlanta", "38,000 Guatemalans")
belongs to that number, not to this one. A nationality adjective before "speakers" or
"-speaking" is a language ("Spanish speakers"), not a nationality.

Groups the data cannot isolate, named by these words wherever they appear in the number's sentence:
"pro bono" counsel, the Remain in Mexico program (MPP), an EOIR region ("the Western region").
Shapes: ``Claim`` and ``Qualifier`` from claims/claim.py; the lexicon from claims/qualifiers.py.
"""

from __future__ import annotations

import re

from immcourt.claims.claim import Claim, Qualifier
from immcourt.claims.qualifiers import Lexicon

PLACE_DIMENSIONS = ("court", "nationality", "language")

# A lookup language is written "K'iche'-speaking", "Mam speakers", "speakers of Mam".
_SPEAKING_AFTER = re.compile(r"^[ \t]?-?[ \t]?(?:speaking|speakers?)\b", re.I)
_NUMBER_BEFORE = re.compile(
    r"(?<![\w.,])(?!(?:19|20)\d\d\b)\d[\d,.]*(?:k|%|[ \t]percent)?[ \t]{1,2}"
    r"(?:(?:in|for|of|to|among|from|at)[ \t]{1,2})?(?:the[ \t]{1,2})?$",
    re.I,
)
_A_NUMBER = re.compile(r"(?<![\w.,])(?!(?:19|20)\d\d\b)\d")  # a number that is not a year ("FY2023", "2021")
_LANGUAGE_AFTER = re.compile(r"^[ \t-]?(?:creole[ \t-]?)?(?:speaking|speakers?|language)\b", re.I)
_NUMBER_AFTER = re.compile(r"^[ \t:]{0,3}(?:[$~]?\d|about[ \t]\d|nearly[ \t]\d)")
_SUBJECT_AFTER = re.compile(
    r"^(?:['’]s?)?[ \t]{1,2}(?:immigration[ \t]{1,2})?"
    r"(?:backlog|docket|court|courts|judges?|bench|caseload"
    r"|completed|closed|issued|granted|denied|ordered|received|decided|heard|handled|finished|ruled)\b",
    re.I,
)
_POSSESSIVE_AFTER = re.compile(r"^['’]s?[ \t]", re.I)
_FIGURE_FOR = re.compile(
    r"(?i)\b(?:the[ \t]{1,2}(?:figure|number|total|count|rate|share)[ \t]{1,2}for|^for)[ \t]{1,2}$"
)
_LEAD = re.compile(
    r"^(?:[A-Z][\w ]{0,30}:[ \t]{0,2})?(?:(?:In|By)[ \t][^,]{1,30},[ \t]{0,2})?"
    r"(?:(?:Since|In|By|During)[ \t]{1,2}(?:FY[ \t]?|fiscal(?:[ \t]year)?[ \t])?\d{2,4},?[ \t]{1,2})?"
    r"(?:Of[ \t]the[ \t][\d,.]+[ \t]\w+[ \t])?(?:the[ \t]{1,2})?$",
    re.I,
)
_DATELINE = re.compile(
    r"^[ \t]*(?P<city>[A-Z][A-Z .'-]{2,30}),[ \t]{1,2}[A-Z][a-z]{1,5}\.?"
    r"(?:[ \t]{1,2}\([^)]{1,30}\))?[ \t]{0,2}[—–-]"
)
_HERE = re.compile(r"(?i)\b(?:here|this[ \t]city)\b")
_UNISOLABLE = (
    (re.compile(r"(?i)\bpro[ \t-]bono\b"), "pro bono", "pro bono counsel"),
    (
        re.compile(r"(?i)\bremain[ \t]in[ \t]mexico\b|\bMPP\b|\bmigrant[ \t]protection[ \t]protocols?\b"),
        "MPP",
        "the Remain in Mexico program (MPP)",
    ),
    (
        re.compile(
            r"(?i)\b(?:north|south|east|west|mid)?(?:western|eastern|northern|southern|central|atlantic|pacific)"
            r"[ \t]{1,2}region\b"
        ),
        "region",
        "an EOIR region",
    ),
)


def _label(lexicon: Lexicon, dimension: str, name: str) -> str | None:
    return (lexicon.names.get(dimension) or {}).get(name.lower())


def place_names(text: str, lexicon: Lexicon) -> list[tuple[re.Match[str], Qualifier]]:
    """Every lookup court or nationality written with a capital letter in ``text``, and every lookup language
    written as a group's language ("-speaking", "speakers"), as (match, filter qualifier), in text order.
    A name inside a program's name ("Remain in Mexico") is no place."""
    for pattern, _key, _what in _UNISOLABLE:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[re.Match[str], Qualifier]] = []
    for dimension in PLACE_DIMENSIONS:
        pattern = lexicon.pattern(dimension)
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            name = match.group(0)
            if dimension == "language":
                if not _SPEAKING_AFTER.match(text[match.end() : match.end() + 12]):
                    continue
            elif not name[:1].isupper():
                continue
            elif dimension == "nationality" and _LANGUAGE_AFTER.match(text[match.end() : match.end() + 20]):
                continue  # "Spanish speakers", "Haitian Creole speakers": a language, not a nationality
            label = _label(lexicon, dimension, name)
            if label is not None:
                found.append((match, Qualifier(dimension, name, dimension, label)))
    return sorted(found, key=lambda item: item[0].start())


def governing_places(claim: Claim, lexicon: Lexicon) -> list[Qualifier]:
    """The places that name the counted group of ``claim`` (see the module docstring), from its clause."""
    parts = claim.context.split(" | ")
    before = parts[1] if len(parts) > 1 and parts[1] in own_clause(claim) else ""
    found: list[Qualifier] = []
    for match, qualifier in place_names(claim.sentence, lexicon):
        if re.match(r"[ \t:]{0,3}" + re.escape(claim.text), claim.sentence[match.end() :]):
            return [qualifier]  # "Houston 6%, Atlanta 3%": a caption list's name for this number
    for match, qualifier in place_names(before, lexicon):
        head, tail = before[: match.start()], before[match.end() :]
        if qualifier.dimension == "language":
            continue  # a language is a group the extractor already maps ("-speaking")
        if _NUMBER_BEFORE.search(head) or _A_NUMBER.search(tail):
            continue  # "91 percent in Atlanta, 84 ...", "38,000 Guatemalans, ...": the earlier number's name
        if not tail.strip(" \t:,"):
            found.append(qualifier)  # "Atlanta 3%": the caption list's name for this number
        elif _NUMBER_AFTER.match(tail):
            continue  # "Houston 6%": another number's name
        elif _FIGURE_FOR.search(head):
            found.append(qualifier)
        elif (
            qualifier.dimension == "court"
            and _LEAD.match(head)
            and (_SUBJECT_AFTER.match(tail) or _POSSESSIVE_AFTER.match(tail))
        ):
            found.append(qualifier)
    return found


def _plain(text: str) -> str:
    return " " + re.sub(r"\W+", " ", text).strip().lower() + " "


def own_clause(claim: Claim) -> list[str]:
    """The words after the number and its clause before it, as ``Claim.context`` holds them, when they are
    written around this number in its sentence (a comparison's second number borrows its partner's words:
    those name the partner's group, not this one's)."""
    parts = claim.context.split(" | ")
    sentence = _plain(claim.sentence)
    after = parts[0] if parts else ""
    before = parts[1] if len(parts) > 1 else ""
    own = []
    if after.strip() and _plain(f"{claim.text} {after}") in sentence:
        own.append(after)
    if before.strip() and _plain(f"{before} {claim.text}") in sentence:
        own.append(before)
    return own


def named_places(claim: Claim, lexicon: Lexicon) -> list[Qualifier]:
    """Places named in the number's clause (the words after it and its clause before it) that do not
    belong to another number of a list: each must be a filter of any reading that reaches a verdict."""
    found: list[Qualifier] = []
    for text in own_clause(claim):
        for match, qualifier in place_names(text, lexicon):
            if _A_NUMBER.search(text[match.end() :]) or _NUMBER_BEFORE.search(text[: match.start()]):
                continue  # another number's name ("Houston 6%", "12% in Atlanta", "X judges ordered 71% ...")
            if _A_NUMBER.search(text[: match.start()]) and any(
                q.dimension == qualifier.dimension for q in claim.qualifiers
            ):
                # "61 percent of asylum seekers in Arlington ..., versus 90 percent in Denver": a place after
                # an earlier number is that number's when this one names its own
                continue
            if qualifier not in found:
                found.append(qualifier)
    return found


def dateline_place(text: str, lexicon: Lexicon) -> Qualifier | None:
    """The court of a wire dateline ("OAKDALE, La. (Wire) — ...") when it is a lookup base city."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    city = match.group("city").strip()
    label = _label(lexicon, "court", city)
    return Qualifier("court", city, "court", label) if label else None


def says_here(claim: Claim) -> bool:
    """Whether the number's clause places it "here" (the dateline's city)."""
    return bool(_HERE.search(" ".join(claim.context.split(" | ")[:2])))


def unisolable_groups(sentence: str) -> list[Qualifier]:
    """Groups named in ``sentence`` that no catalog dimension isolates (pro bono, MPP, a region)."""
    return [Qualifier(key, what, None) for pattern, key, what in _UNISOLABLE if pattern.search(sentence)]
