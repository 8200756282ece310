"""Find the numeric claims in a text: number, unit and hedge, period, qualifiers, and what it counts.

Rule-based on purpose: every decision can be traced to a pattern in numbers.py (numbers, hedges), times.py
(periods), qualifiers.py (subjects, the groups named) or concepts.py (what is counted), and all of them are
tested on the annotated sentence sets (tests/claims_sentences.jsonl, tests/claims_holdout.jsonl).
A period belongs to the clause of its number; a qualifier to the part of the sentence around its number.
Offsets always refer to the original text so a report can highlight the claim in place. Linear in the text.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from datetime import date

from immcourt.claims.claim import HEDGES, TIME_KINDS, UNITS, Claim, Qualifier, TimeRef
from immcourt.claims.concepts import concept_for, names_a_concept
from immcourt.claims.numbers import (
    WINDOW,
    Mask,
    Number,
    Sentence,
    find_hedge,
    find_numbers,
    split_sentences,
)
from immcourt.claims.places import dateline_place, governing_places, named_places, place_names, says_here
from immcourt.claims.qualifiers import (
    Lexicon,
    bundled_lexicon,
    clause_before,
    find_qualifiers,
    subject_after,
    tidy_subject,
)
from immcourt.claims.times import TimeMatch, find_times, resolve_relative

__all__ = ["HEDGES", "TIME_KINDS", "UNITS", "Claim", "TimeRef", "extract_claims", "split_sentences"]

_ASYLUM = re.compile(r"\basylum\b", re.I)
_MAX_CONTEXT = 1200  # a longer "sentence" (a list, a table, noise) is cut to a window around each number
_CLAUSE = re.compile(
    r",(?=[ \t])|;|:(?=[ \t])|[ \t][–—][ \t]|[ \t](?:while|whereas|but)[ \t]|\n[ \t]{0,3}[*•·▪-]", re.I
)
_CARRY = re.compile(
    # "For those in detention, the figure was 20 percent": a group, then the statistic of the sentence before
    r"^(?:(?:for|among|in|at)[ \t][^,.;:]{2,60},[ \t]{1,2})?"
    # "Nationally, the rate was 35.9 percent.": a place word, then the statistic of the sentence before
    r"(?:(?:nationally|nationwide|overall|elsewhere|locally|meanwhile|by[ \t]contrast|in[ \t]contrast|"
    r"across[ \t]the[ \t]country),?[ \t]{1,2})?"
    r"(?:(?:a|one)[ \t]year[ \t](?:later|earlier),?[ \t])?(?:this|that|it|the[ \t](?:figure|number|share|"
    r"rate|total|count)|these|those)\b"
    # "Asylum grant rate, Houston, FY21: 11%. Nationwide: 37%.": a heading continued by "nationwide"
    r"|^(?:nationwide|nationally|national|overall|(?:the[ \t])?(?:country|nation)"
    r"(?:[ \t]as[ \t]a[ \t]whole)?)"
    r"[ \t]{0,2}:",
    re.I,
)
_NATIONAL_HEAD = re.compile(
    r"(?i)^(?:nationwide|nationally|national|overall|(?:the[ \t])?(?:country|nation))\b"
)
_OF_THOSE = re.compile(r"(?i)^(?:of|among)[ \t]{1,2}(?:those|them|these)\b")
_HEDGE_WORDS = r"(?:about|nearly|almost|roughly|around|more[ \t]than|just|over|some|an[ \t]estimated)"
_FROM_BEFORE = re.compile(
    rf"\b(?:from|down[ \t]from|up[ \t]from)[ \t]{{1,2}}(?:{_HEDGE_WORDS}[ \t]{{1,2}})?\$?$", re.I
)
_BASE_AFTER = re.compile(r"\b(?:down|up)[ \t]from[ \t]{1,2}(?:[a-z]{2,10}[ \t]{1,2})?\$?$", re.I)
_TO_BEFORE = re.compile(rf"\bto[ \t]{{1,2}}(?:{_HEDGE_WORDS}[ \t]{{1,2}})?\$?$", re.I)
_CHANGE_BEFORE = re.compile(
    r"\b(?:rose|fell|increased|decreased|grew|grown|risen|fallen|shrunk|dropped|declined|climbed|jumped|"
    r"shrank|gain(?:ed)?|gone[ \t](?:up|down)|"
    r"surged|plunged|plummeted|soared|dipped|slipped|sank|slid|tumbled|spiked|swelled|ballooned|"
    r"rebounded|shot[ \t]up|went[ \t](?:up|down)|edged[ \t](?:up|down)|ticked[ \t](?:up|down)|"
    r"lengthened|shortened|stretched|narrowed|widened|"
    r"(?<!made[ \t])(?<!ended[ \t])(?<!set[ \t])(?<!wrapped[ \t])(?<!took[ \t])(?<!picked[ \t])"
    r"(?<!added[ \t])(?<!locked[ \t])(?<!rounded[ \t])(?<!signed[ \t])(?<!showed[ \t])(?<!held[ \t])"
    r"(?<!backed[ \t])(?<!summed[ \t])(?<!opened[ \t])(?<!racked[ \t])(?<!piled[ \t])(?<!stacked[ \t])"
    r"(?<!built[ \t])(?<!turned[ \t])(?<!taken[ \t])(?<!wound[ \t])(?<!ended[ \t])up|"
    r"(?<!turned[ \t])(?<!broken[ \t])(?<!shut[ \t])(?<!handed[ \t])(?<!struck[ \t])(?<!bogged[ \t])"
    r"(?<!closed[ \t])(?<!wound[ \t])(?<!knocked[ \t])(?<!cracked[ \t])down)"
    r"[ \t]{1,2}(?:by[ \t]{1,2})?(?:(?:nearly|about|almost|some|"
    r"just|only|roughly|around|approximately|over|under|a[ \t]further|another|an[ \t]additional|"
    r"more[ \t]than|less[ \t]than|fewer[ \t]than)[ \t])?$"
    r"|\b(?:an?[ \t])?(?:increase|decrease|rise|drop|jump|decline|growth|fall|dip|reduction|"
    r"surge|spike)[ \t]of[ \t](?:(?:nearly|about|almost|roughly|some|just|more[ \t]than)[ \t])?$",
    re.I,
)
_CHANGE_AFTER = re.compile(
    r"^[ \t]{0,2}(?:-|[ \t])?(?:increase|jump|rise|drop|decline|decrease|surge|growth|more|fewer|higher|"
    r"lower)\b",
    re.I,
)
_REACHING = re.compile(
    r"(?:\b(?:reaching|hitting|topping)|[(,][ \t]?to)[ \t]{1,2}(?:about[ \t]|nearly[ \t]|some[ \t])?\$?$",
    re.I,
)
_PER_YEAR = re.compile(
    r"^(?:[ \t]{1,2}[\w-]{1,20}){0,3}[ \t]{1,2}(?:(?:a|per|each)[ \t]year|annually)\b"
    r"(?![ \t]{1,2}(?:earlier|later|before|after|ago|of|in|to|from|since))",
    re.I,
)
_SUBSET_REMARK = re.compile(
    r"(?i)[,;(–—-][ \t]{0,2}(?:many|most|some|half|all|none|few|several|nearly[ \t]all|almost[ \t]all|"
    r"a[ \t](?:majority|third|quarter|fifth)|\d[\d,.]*%?)[ \t]{1,3}of[ \t]{1,3}(?:them|whom|those|which)\b"
    # ", most issued in absentia", ", nearly all involving people with no criminal charge": about a part
    r"|,[ \t]{1,2}(?:many|most|some|half|all|nearly[ \t]all|almost[ \t]all|virtually[ \t]all|mostly)"
    r"[ \t]{1,3}(?:[a-z]{3,15}ed|involving|with|without|from|in|for)\b"
)
# "Judges ruled on asylum 7,800 times in Newark in FY2022; grants: 2,600": a label continuing the clause
_LABEL_AFTER_SEMICOLON = re.compile(
    r";[ \t]{1,2}[A-Za-z][a-z]{1,20}(?:[ \t][a-z]{2,20}){0,2}:[ \t]{0,2}[$~]?$"
)
_OF_THEM_AFTER = re.compile(
    r"(?i)^[ \t]{0,2}(?:percent[ \t]{1,2}|%[ \t]{0,2})?of[ \t]{1,2}(?:them|those|these)\b"
)
_REMARK_END = re.compile(r"[ \t][–—-][ \t]|\)")
# "By the close of FY 2023 that number had reached 2.8 million": what was counted before, named again
_CARRIED_NOUN = re.compile(
    r"(?i)\b(?:that|this|the[ \t]same)[ \t]{1,3}"
    r"(?:number|figure|total|count|share|rate|level|tally|backlog)\b"
)
_NATIONAL_BEFORE = re.compile(
    r"(?i)\b(?:the[ \t]{1,3})?(?:national|nationwide|countrywide)[ \t]{1,3}(?:[\w-]{1,15}[ \t]{1,3}){0,2}?"
    r"(?:rate|average|figure|level|share|total|median)[ \t]{1,3}(?:of|was|is|stood[ \t]at|at)[ \t]{1,3}"
    r"(?:(?:about|around|roughly|nearly|almost|some|just)[ \t]{1,3})?$"
)
_NATIONAL_AFTER = re.compile(
    r"(?i)^[ \t]{1,3}(?:of[ \t]{1,3}(?:all[ \t]{1,3})?[\w-]{1,15}[ \t]{1,3})?"
    r"(?:nationwide|nationally|countrywide|across[ \t]{1,3}the[ \t]{1,3}(?:country|nation)"
    r"|in[ \t]{1,3}the[ \t]{1,3}(?:country|nation)[ \t]{1,3}as[ \t]{1,3}a[ \t]{1,3}whole"
    r"|for[ \t]{1,3}the[ \t]{1,3}(?:country|nation))\b"
)
# "Judges there", "the court there", "at that court": the place named in the paragraph's previous sentence
_LABEL_LINE = re.compile(r"^[A-Z][a-z]{1,20}(?:[ \t][a-z]{2,20}){0,2}:[ \t]{0,2}[$~]?\d")
_DEMONSTRATIVE_COURT = re.compile(
    r"(?i)\b(?:these|those|this|that)[ \t]{1,3}(?:immigration[ \t]{1,3})?"
    r"(?:judges|courts?|courtrooms?|bench)\b"
    r"(?![’'])"
)
_THERE = re.compile(
    r"(?i)\b(?:judges?|courts?|courthouse|cases)[ \t]{1,3}there\b|\bthere[ \t]{1,3}(?:judges?|courts?)\b"
    r"|\b(?:at|in|by)[ \t]{1,3}(?:that|the[ \t]{1,3}same)[ \t]{1,3}court\b|\bthat[ \t]{1,3}court[’']s\b"
)
_LEAD_GROUP = re.compile(r"(?i)^(?:of|among|for)[ \t]{1,3}(?:[^,;]|(?<=\d),(?=\d)){3,200}?,[ \t]")
_EACH_YEAR = re.compile(
    r"(?i)\b(?:in[ \t]{1,3})?each[ \t]{1,3}of[ \t]{1,3}the[ \t]{1,3}(?:last|past|previous|next|first)?"
    r"[ \t]{0,3}(?:\w+[ \t]{1,3})?(?:fiscal[ \t]{1,3})?years\b"
    r"|\b(?:each|every)[ \t]{1,3}(?:fiscal[ \t]{1,3})?year\b"
)
_ADDED_AFTER = re.compile(
    r"^(?:[ \t]{1,2}[\w-]{1,20}){0,3}[ \t]{1,2}(?:were|was|have[ \t]been|had[ \t]been)[ \t]added[ \t]to"
    r"[ \t]the[ \t]backlog",
    re.I,
)
_LIST_PERCENT_AFTER = re.compile(r"^[ \t]{1,2}(?:for|in|among)[ \t]{1,2}[A-Z]")
# "13 percent; those from Guatemala, 11.": a bare number that ends a list item after a percent.
_LIST_ITEM_END = re.compile(
    r"^[ \t]{0,2}(?:[.;)]|,[ \t]{1,2}(?:and[ \t])?(?:those|for|in|among)\b|$|[ \t]and\b)"
)


def extract_claims(text: str, *, as_of: date | None = None, lexicon: Lexicon | None = None) -> list[Claim]:
    """Every numeric claim in ``text`` with period, qualifiers and subject resolved.

    ``as_of`` (the article's date) turns "last year", "this year", "since Trump returned" into dates; without
    it such expressions are left unresolved. ``lexicon`` holds the release's names (nationalities, courts,
    judges); the bundled sample lookups are used when none is given.
    """
    lexicon = lexicon or bundled_lexicon()
    claims: list[Claim] = []
    timed_by_concept: dict[str, list[Claim]] = {}
    timed_by_paragraph: dict[int, dict[str, list[Claim]]] = {}
    last_time_by_paragraph: dict[int, TimeRef] = {}
    asylum_paragraphs: set[int] = set()
    asylum_mentions = 0
    previous: Claim | None = None
    court_by_paragraph: dict[int, Qualifier] = {}
    dateline = dateline_place(text, lexicon)
    note: tuple[int, str, tuple[Qualifier, ...]] | None = None
    previous_paragraph = -1
    by_paragraph: dict[int, list[Claim]] = {}
    for sentence in split_sentences(text):
        numbers = find_numbers(sentence.text)
        anchor = last_time_by_paragraph.get(sentence.paragraph)
        timed_here = timed_by_paragraph.setdefault(sentence.paragraph, {})
        times = resolve_relative(
            find_times(sentence.text, as_of=as_of),
            anchor,
            # "that year" may point back past a paragraph break (one-sentence paragraphs), never further
            earlier=previous.time if previous is not None else None,
        )
        numbers = _outside_times(numbers, times, len(sentence.text))
        _percent_lists(sentence.text, numbers)
        sentence_claims = _sentence_claims(sentence, numbers, times, lexicon)
        first_number = numbers[0].start if numbers else 0
        carry = bool(
            _CARRY.match(sentence.text)
            or _CARRIED_NOUN.search(sentence.text[:first_number][-80:])
            or (
                previous is not None
                and previous_paragraph == sentence.paragraph
                and _bare_head(sentence.text[:first_number])
            )
        )
        for claim in sentence_claims:
            if (
                claim.time.kind == "none"
                and carry
                and previous is not None
                and previous.time.kind != "none"
                and concept_for(claim) is None
                and _CARRY.match(sentence.text)
            ):
                # "Nationally, the rate was 35.9 percent.": the sentence before's statistic, and its period
                claim.time = replace(previous.time, inherited=True)
            if claim.time.kind == "none":
                # a period never leaks across paragraphs, except to a restatement of the same figure
                inherited = (
                    anchor
                    or _time_of_same_subject(timed_here, claim)
                    or _time_of_same_subject(timed_by_concept, claim, restated=True)
                )
                if inherited:
                    claim.time = replace(inherited, inherited=True)
            if previous is not None and _OF_THOSE.match(sentence.text) and not _outside(previous):
                # "Of those, 7,900 ended with ...": a part of the group the sentence before counted
                claim.qualifiers = _merge(previous.qualifiers, claim.qualifiers)
            if carry and previous is not None and concept_for(claim) is None:
                prior = concept_for(previous)
                claim.concept_hint = prior.name if prior else None
                # the earlier sentence's words come last: they say how it was counted ("to 13,000 people")
                claim.context = f"{claim.context} | {previous.context.split(' | ')[-1]}"
                claim.qualifiers = _merge(previous.qualifiers, claim.qualifiers)
                flags = [q for q in previous.qualifiers if isinstance(q.value, bool)]
                head = sentence.text[:first_number]
                if _ELLIPTIC_LABEL.search(head) and _ELLIPTIC_NEGATION.match(head.rstrip(" \t:?")):
                    # "... 71% of the time. Without one? 38%.": the sentence before's group turned over, or
                    # a contrast the checker cannot tell (not checkable) when it had no one yes/no group
                    said = head.strip()
                    if len(flags) == 1:
                        turned = Qualifier(flags[0].key, said, flags[0].dimension, not flags[0].value)
                        claim.qualifiers = tuple(q for q in claim.qualifiers if q is not flags[0]) + (turned,)
                    else:
                        claim.qualifiers = (*claim.qualifiers, Qualifier("contrast", said))
                if _NATIONAL_HEAD.match(sentence.text):  # "Nationwide: 37%": the statistic, not the place
                    claim.qualifiers = tuple(
                        q for q in claim.qualifiers if q.key not in ("court", "judge", "state")
                    )
                claim.population = previous.population
        place = court_by_paragraph.get(sentence.paragraph)
        if place is not None and _THERE.search(sentence.text):
            for claim in sentence_claims:
                if not any(q.key == "court" for q in claim.qualifiers):
                    claim.qualifiers = (*claim.qualifiers, place)
        if place is not None and _LABEL_LINE.match(sentence.text) and not _NATIONAL_HEAD.match(sentence.text):
            # "Asylum grants in Newark: 2,800 in FY2020. Denials: 5,100.": a label line continues the heading
            for claim in sentence_claims:
                if not any(q.dimension in ("court", "judge") for q in claim.qualifiers) and not named_places(
                    claim, lexicon
                ):
                    claim.qualifiers = (*claim.qualifiers, place)
        _govern_places(sentence_claims, sentence.text, sentence.start, dateline, lexicon)
        if note is not None and note[0] == sentence.paragraph and sentence_claims:
            _take_group_note(sentence_claims, sentence.text, note[1], note[2], previous)
        note = None
        if not numbers and times and _FIGURES_ARE_FOR.match(sentence.text):
            # "In Baltimore the rate was 34%. In Hartford, about a quarter. Both figures are for fiscal 2020."
            for claim in by_paragraph.get(sentence.paragraph, []):
                if claim.time.kind == "none":
                    claim.time = times[-1].ref
        if not numbers and sentence.text.strip():
            # a sentence with no number that names a group ("Consider Colombians who had a lawyer.", "Q: And
            # the Arlington court?", "Without one?"): the next sentence's numbers' group if it refers back
            note = (sentence.paragraph, sentence.text, tuple(find_qualifiers(sentence.text, lexicon)))
        if _DEMONSTRATIVE_COURT.search(sentence.text):
            # "Nine in ten Haitians who come before these judges ..., the senator said of the Miami court":
            # "these judges" are the one court the sentence (else the paragraph) names
            courts = {q.value: q for _, q in place_names(sentence.text, lexicon) if q.dimension == "court"}
            named = next(iter(courts.values())) if len(courts) == 1 else place if not courts else None
            for claim in sentence_claims:
                if named is not None and not any(q.dimension in ("court", "judge") for q in claim.qualifiers):
                    claim.qualifiers = (*claim.qualifiers, named)
        for claim in sentence_claims:
            court = next((q for q in claim.qualifiers if q.key == "court" and q.dimension), None)
            if court is not None:
                court_by_paragraph[sentence.paragraph] = court
        asylum_here = bool(_ASYLUM.search(sentence.text))
        asylum_mentions += asylum_here
        in_asylum_context = sentence.paragraph in asylum_paragraphs or asylum_here or asylum_mentions >= 2
        for index, claim in enumerate(sentence_claims):
            if claim.population is None or not carry:
                claim.population = _population(claim, in_asylum_context=in_asylum_context)
            end = claim.end - sentence.start
            if index and _OF_THEM_AFTER.match(sentence.text[end : end + 30]):
                # "completed 3,766 cases ..., and the Houston court completed 239 of them": the group (and
                # population) of the number before, not the paragraph's (tester-5 F3)
                claim.population = sentence_claims[index - 1].population
        if asylum_here:
            asylum_paragraphs.add(sentence.paragraph)
        chosen = next((t for t in reversed(times) if t.ref.kind != "administration" and t.ref.years), None)
        chosen = _with_administration(
            chosen or (times[-1] if times else None),
            times[-4:],
            next((t.ref.administration for t in times if t.ref.kind == "administration"), None),
        )
        sentence_time = chosen.ref if chosen else None
        if sentence_time:
            last_time_by_paragraph[sentence.paragraph] = sentence_time
        claims.extend(sentence_claims)
        for claim in sentence_claims:
            if claim.time.kind != "none":
                concept = concept_for(claim)
                if concept is not None:
                    timed_by_concept.setdefault(concept.name, []).append(claim)
                    timed_here.setdefault(concept.name, []).append(claim)
        if sentence_claims:
            previous = sentence_claims[-1]
            previous_paragraph = sentence.paragraph
            by_paragraph.setdefault(sentence.paragraph, []).extend(sentence_claims)
    for index, claim in enumerate(claims):
        claim.index = index
    return claims


_NATIONAL_BETWEEN = re.compile(
    r"(?i)\b(?:nation(?:wide|ally|al)|across[ \t]the[ \t]country|elsewhere|overall|statewide"
    r"|while|whereas|compared)\b"
)


# "San Diego: detained Mexicans ...": a sentence headed by a place label
_PLACE_LABEL = re.compile(r"^\W{0,3}(?P<place>[A-Z][a-z]{2,20}(?:[ \t][A-Z][a-z]{2,20}){0,2})[ \t]{0,2}:")


def _govern_places(
    sentence_claims: list[Claim], sentence: str, offset: int, dateline: Qualifier | None, lexicon: Lexicon
) -> None:
    """Places written where ``find_qualifiers`` does not look (``places.governing_places``) become the
    counted group's place: a caption list's name, a clause's subject ("Las Vegas' backlog", "X judges"),
    "the figure for X", a dateline's city for "here"; a number that continues the clause of an earlier number
    of the same sentence ("...; 4,100 were removal orders") keeps that number's court."""
    earlier: Claim | None = None
    carried: Qualifier | None = None  # the court a clause subject gave an earlier number of the sentence
    label = _PLACE_LABEL.match(sentence)
    label_court = (lexicon.names.get("court") or {}).get(label.group("place").lower()) if label else None
    for claim in sentence_claims:
        governing = governing_places(claim, lexicon)
        if (
            label
            and label_court
            and not governing
            and not any(q.key in ("court", "judge") for q in claim.qualifiers)
        ):
            # "Dallas: detained Hondurans, ordered removed in 62% ...": a leading court label is the place
            governing = [Qualifier("court", label.group("place"), "court", label_court)]
        for place in governing:
            kept = tuple(q for q in claim.qualifiers if q.dimension != place.dimension)
            claim.qualifiers = (*kept, place)
        has_court = any(q.dimension == "court" for q in claim.qualifiers)
        if not has_court and dateline is not None and says_here(claim):
            claim.qualifiers = (*claim.qualifiers, dateline)
        elif (
            not has_court
            and earlier is not None
            and not named_places(claim, lexicon)
            and not _NATIONAL_BETWEEN.search(sentence[earlier.end - offset : claim.start - offset])
        ):
            court = next((q for q in earlier.qualifiers if q.dimension == "court"), None)
            if court is not None and court == carried:
                claim.qualifiers = (*claim.qualifiers, court)
        carried = next(
            (q for q in claim.qualifiers if q.dimension == "court" and (q in governing or q == carried)), None
        )
        earlier = claim


# A sentence whose numbers refer back to the one before: a pronoun before its first number, or an answer.
_REFERS_BACK = re.compile(r"(?i)^(?:A:|\W{0,3}(?:[\w,' ]{0,40}[ \t])?(?:they|it|their|those|these|them)\b)")
# "Without one?", "And those without?", "Those who didn't?": the group of the number before, turned over
_ELLIPTIC_NEGATION = re.compile(
    r"(?i)^\W{0,3}(?:and[ \t]{1,2})?(?:(?:those|people|the[ \t]ones)[ \t]{1,2})?"
    r"(?:without(?:[ \t]{1,2}(?:one|"
    r"them|it|a[ \t]lawyer|lawyers|counsel))?|who[ \t]{1,2}(?:did|were|had)(?:n[’']t|[ \t]{1,2}not))\W{0,3}$"
)


_FIGURES_ARE_FOR = re.compile(
    r"(?i)^\W{0,3}(?:both|all|these|those|the|each[ \t]of[ \t]the)[ \t]{1,2}(?:two[ \t]|three[ \t])?"
    r"(?:figures?|numbers?|rates?|shares?|data|counts?|totals?)[ \t]{1,2}"
    r"(?:are|were|is|was|cover|covers|refer[ \t]to|come[ \t]from|date[ \t]from)\b"
)


def _outside(claim: Claim) -> bool:
    """Whether ``claim`` counts something outside the court data (ICE detention, CBP encounters): its groups
    describe that figure ("held 39,000 people in detention"), never the court cases of the next sentence."""
    concept = concept_for(claim)
    return concept is not None and concept.source is not None


def _bare_head(head: str) -> bool:
    """ "The year before: 33%.", "Four years later it was 49 percent.", "In Hartford, about a quarter.": a
    sentence whose words before its first number are few and name nothing counted continues the statistic
    of the sentence before (its own place or time, if any, still wins)."""
    words = head.split()
    return 0 < len(words) <= 8 and not names_a_concept(head) and not re.search(r"\d", head)


def _take_group_note(
    claims: list[Claim], text: str, said: str, groups: tuple[Qualifier, ...], previous: Claim | None
) -> None:
    """The groups a number-less sentence named become those of the next sentence's numbers when it refers
    back ("Consider Colombians who had a lawyer. They won asylum 41 percent ..."); an elliptic negation
    ("Without one? 3%.") is the previous number's group turned over, with its statistic."""
    if previous is not None and _ELLIPTIC_NEGATION.match(said):
        flags = [q for q in previous.qualifiers if isinstance(q.value, bool)]
        for claim in claims:
            if concept_for(claim) is None:
                prior = concept_for(previous)
                claim.concept_hint = prior.name if prior else None
                claim.context = f"{claim.context} | {previous.context.split(' | ')[-1]}"
                claim.population = previous.population
                if claim.time.kind == "none":
                    claim.time = replace(previous.time, inherited=True)
            if len(flags) == 1:
                flag = flags[0]
                turned = Qualifier(flag.key, said.strip(), flag.dimension, not flag.value)
                claim.qualifiers = _merge(
                    tuple(q for q in previous.qualifiers if q is not flag) + (turned,), claim.qualifiers
                )
            else:
                claim.qualifiers = (*claim.qualifiers, Qualifier("contrast", said.strip()))
        return
    if groups and _REFERS_BACK.match(text):
        for i, claim in enumerate(claims):
            contrast = next((q for q in claim.qualifiers if q.key == "contrast"), None)
            flags = [q for q in claims[i - 1].qualifiers if isinstance(q.value, bool)] if i else []
            if contrast is not None and len(flags) == 1:
                # "... versus 11 percent for those who did not": the group just taken, turned over
                turned = Qualifier(flags[0].key, contrast.text, flags[0].dimension, not flags[0].value)
                claim.qualifiers = tuple(q for q in claims[i - 1].qualifiers if q is not flags[0]) + (turned,)
            else:
                claim.qualifiers = _merge(groups, claim.qualifiers)


def _outside_times(numbers: list[Number], times: list[TimeMatch], size: int) -> list[Number]:
    """A number inside a time expression ("the first 100 days of", "the 12 months ending") is not a claim."""
    if not times or not numbers:
        return numbers
    inside = Mask(size)
    for time in times:
        inside.take(time.start, time.end)
    return [n for n in numbers if not inside.overlaps(n.start, n.end)]


def _merge(first: tuple[Qualifier, ...], second: tuple[Qualifier, ...]) -> tuple[Qualifier, ...]:
    keys = {q.key for q in second}
    return tuple(q for q in first if q.key not in keys) + second


def _percent_lists(text: str, numbers: list[Number]) -> None:
    """ "81 percent for Peru, 64 for Cuba": a bare number in a list after a percent is a percent."""
    for before, number in zip(numbers, numbers[1:], strict=False):
        if number.unit != "count" or before.unit != "percent" or number.start - before.end > 60:
            continue
        if (
            _LIST_PERCENT_AFTER.match(text[number.end : number.end + 20])
            or re.match(r"^[ \t]{1,2}(?:for|in)\b", text[before.end : before.end + 6])
            or _LIST_ITEM_END.match(text[number.end : number.end + 12])
        ):
            if number.value <= 100 and not number.duration:
                number.unit = "percent"


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _clause_of(spans: list[tuple[int, int]], position: int) -> int:
    """Index of the clause holding ``position`` (binary search: spans are sorted)."""
    index = bisect_right([start for start, _ in spans] if len(spans) < 8 else _starts(spans), position) - 1
    return max(0, min(index, len(spans) - 1))


_STARTS_CACHE: dict[int, list[int]] = {}


def _starts(spans: list[tuple[int, int]]) -> list[int]:
    key = id(spans)
    if key not in _STARTS_CACHE:
        _STARTS_CACHE.clear()
        _STARTS_CACHE[key] = [start for start, _ in spans]
    return _STARTS_CACHE[key]


def _sentence_claims(
    sentence: Sentence, numbers: list[Number], times: list[TimeMatch], lexicon: Lexicon
) -> list[Claim]:
    text = sentence.text
    spans = _clauses(text)
    number_clauses = [_clause_of(spans, n.start) for n in numbers]
    with_numbers = set(number_clauses)
    times_by_clause: dict[int, list[TimeMatch]] = {}
    for t in times:
        times_by_clause.setdefault(_clause_of(spans, t.start), []).append(t)
    free_times = [t for t in times if _clause_of(spans, t.start) not in with_numbers]
    free_near = _Near(free_times)
    all_near = _Near(times)
    first_admin = next((t.ref.administration for t in times if t.ref.kind == "administration"), None)
    head_end = numbers[0].start if numbers else len(text)
    head = text[max(0, head_end - 240) : head_end]
    # "A memo from the chief judge ... told judges to ...; the Houston court completed 31,000": a semicolon
    # starts the number's own clause; of the clause before, only a place it names still frames the number
    before_semicolon, head = head[: head.rfind(";") + 1], head[head.rfind(";") + 1 :]
    head_qualifiers = find_qualifiers(head, lexicon) if numbers else []
    if before_semicolon and numbers:
        framing = [
            q
            for q in find_qualifiers(before_semicolon, lexicon)
            if q.dimension in ("court", "judge", "nationality", "language")
        ]
        head_qualifiers = list(_merge(tuple(framing), tuple(head_qualifiers)))
    # "Of the roughly 8,000 Afghans whose cases were decided, 92 percent won": the leading "Of ..." clause
    # names the group of every number after it
    lead = _LEAD_GROUP.match(text)
    each_year = bool(_EACH_YEAR.search(text)) if numbers else False
    lead_qualifiers = tuple(find_qualifiers(lead.group(0), lexicon)) if lead and numbers else ()
    cuts = _segment_cuts(text, numbers)
    _STARTS_OF.clear()
    claims: list[Claim] = []
    time_texts = [t.ref.text for t in times]
    for i, number in enumerate(numbers):
        own = times_by_clause.get(number_clauses[i], [])
        around = [
            t for t in free_near.around(number) if _part(text, t.start) == _part(text, number.start)
        ] or (free_near.around(number))
        time = _with_administration(
            _pick_time(own, number) or _nearest(around, number) or _nearest(all_near.around(number), number),
            own[:8] + around,
            first_admin,
        )
        before = text[max(0, number.start - WINDOW) : number.start]
        after = text[number.end : number.end + WINDOW]
        written = find_hedge(before, after)
        hedge = written if written != "exact" else (number.hedge or "exact")
        next_start = numbers[i + 1].start if i + 1 < len(numbers) else None
        subject = subject_after(text, number.end, time_texts, next_start)
        context_clause = clause_before(text, number.start)
        for time_text in time_texts:
            if (
                time_text
                and re.search(r"(?i)\b(?:days|months|weeks)\b", time_text)
                and time_text in context_clause
            ):
                # "In the first 100 days of Trump's second term, judges completed": a span, not a wait
                context_clause = " ".join(context_clause.replace(time_text, " ").split())
        # "18,119 in 2021 to 149,305 in 2023": a number followed only by a time shares the subject before it,
        # unless its own clause names what it counts ("..., where the denial rate was 88 percent in FY 2022")
        shared = subject is None and claims and not names_a_concept(context_clause or "")
        if shared:
            subject = claims[-1].subject
            context_clause = claims[-1].context.split(" | ")[1] if " | " in claims[-1].context else ""
        window = text if len(text) <= _MAX_CONTEXT else text[max(0, number.start - 200) : number.end + 200]
        context = " | ".join((subject or "", context_clause or "", window))
        tail = text[number.end : cuts[i + 1]]
        tail = tail.split(";")[
            0
        ]  # "...; in Oakdale, about a tenth": a group after a semicolon is not this one's
        remark = _SUBSET_REMARK.search(tail)  # "..., many of them in absentia": about a part, not the count
        if remark is not None:
            # the remark runs to its closing dash or comma ("4,000 Brazilians — most of them families — got
            # removal orders in absentia in Boston"): what follows is this number's clause again
            close = _REMARK_END.search(tail, remark.end())
            end = close.start() if close and tail[remark.start()] in "–—-(" else len(tail)
            tail = tail[: remark.start()] + " " * (end - remark.start()) + tail[end:]
        own_qualifiers = find_qualifiers(text[cuts[i] : number.start] + " " + tail, lexicon)
        qualifiers = _merge(tuple(head_qualifiers), tuple(own_qualifiers))
        if lead is not None and number.start >= lead.end():
            qualifiers = _merge(lead_qualifiers, qualifiers)
        if shared or (i and _FROM_BEFORE.search(before) or _TO_BEFORE.search(before)) and claims:
            qualifiers = _merge(claims[-1].qualifiers, tuple(own_qualifiers))
        claim = Claim(
            start=sentence.start + number.start,
            end=sentence.start + number.end,
            text=text[number.start : number.end],
            value=number.value,
            unit=number.unit,
            hedge=hedge,
            time=time.ref if time else TimeRef(),
            subject=tidy_subject(subject or context_clause) or (subject or context_clause),
            sentence=text if len(text) <= _MAX_CONTEXT else window,
            upper=number.upper,
            context=context,
            decimals=number.decimals,
            qualifiers=qualifiers,
        )
        if number.duration:
            claim.context = f"{claim.context} | {number.duration} to complete"
            claim.subject = f"{number.duration} {claim.subject}".strip()
        claim.change = _change_kind(number, before, after, text)
        if not number.duration and (_PER_YEAR.match(text[number.end : number.end + 60]) or each_year):
            claim.qualifiers = (*claim.qualifiers, Qualifier("per_year", "a yearly average"))
        claims.append(claim)
    for i in range(1, len(claims)):
        if _OF_THEM_AFTER.match(text[numbers[i].end : numbers[i].end + 30]) or _LABEL_AFTER_SEMICOLON.search(
            text[numbers[i - 1].end : numbers[i].start]
        ):
            # "completed 14,300 removal cases ..., about a fifth of them without any lawyer": a part of the
            # group the number before counted
            claims[i].qualifiers = _merge(claims[i - 1].qualifiers, claims[i].qualifiers)
    _carry_noun_groups(claims, numbers, text)
    _contrasts(claims, numbers, text, lexicon)
    for number, claim in zip(numbers, claims, strict=True):
        if _NATIONAL_BEFORE.search(text[max(0, number.start - 60) : number.start]) or _NATIONAL_AFTER.match(
            text[number.end : number.end + 40]
        ):
            # "the national rate of 45 percent", "compared with 44 percent nationwide": no place
            claim.qualifiers = tuple(q for q in claim.qualifiers if q.key not in ("court", "judge", "state"))
    _pair_changes(claims, numbers, times, text)
    _drop_bases_of_comparisons(claims, numbers, text)
    return claims


_COMPARED = re.compile(
    r"(?i)\b(?:compared[ \t]{1,2}(?:with|to)|than[ \t]{1,2}(?:in|during|under)|versus|vs\.?)\b"
)
_CONTRAST = re.compile(
    r"(?i)\b(?:compared[ \t]{1,2}(?:with|to)|versus|vs\.?|as[ \t]against|while|whereas)\b(?![^,;]*\d)"
    # "..., against 56 percent of those with one": "against" right before the other number
    r"|\b(?:against|as[ \t]opposed[ \t]to)[ \t]{1,2}"
    r"(?:(?:about|nearly|just|only|roughly|some|almost)[ \t]{1,2})?$"
)
_GROUP_SUBJECT = re.compile(
    r"(?i)^(?:for|among|of)[ \t]{1,2}(?:those|people|the|applicants|respondents|migrants)\b"
)
_NEGATED_GROUP = re.compile(
    r"(?i)\b(?:those|people|applicants|respondents|others|ones)[ \t]{1,2}(?:who|that)[ \t]{1,2}"
    r"(?:did|do|were|are|had|have)(?:[ \t]{1,2}not|n[’']t)\b|\bthe[ \t]{1,2}(?:rest|others)\b"
    # "compared with 41 percent for all other cases", "everyone else": the partner's group turned over
    r"|\b(?:for|among|of)[ \t]{1,2}(?:all[ \t]{1,2})?other[ \t]{1,2}(?:cases|immigrants|migrants|respondents|"
    r"people|applicants|asylum[ \t]{1,2}seekers|noncitizens)\b|\beveryone[ \t]{1,2}else\b"
    r"|\b(?:those|people|applicants|respondents|others|ones)[ \t]{1,2}without(?:[ \t]{1,2}"
    r"(?:it|one|them|that|this)\b|(?=[ \t]{0,2}(?:[,;:.?]|$)))"
    # "Without one? 3%.": a question that turns the group over
    r"|\bwithout[ \t]{1,2}(?:it|one|them|a[ \t]lawyer|lawyers|counsel)[ \t]{0,2}\?"
    # "w/o: 21%", "Without them: 9 percent": a label that turns the group over
    r"|(?:\bw/o|\bwithout(?:[ \t]{1,2}(?:it|one|them))?)[ \t]{0,2}:"
)
# "... 77% (FY19). w/o: 21%.": an elliptic label of the turned-over group right before the number
_ELLIPTIC_LABEL = re.compile(r"(?i)(?:\bw/o|\bwithout(?:[ \t]{1,2}(?:it|one|them))?)[ \t]{0,2}[:?][ \t]*$")


def _named_before_pair(text: str, start: int, flags: list[Qualifier]) -> re.Match[str] | None:
    """ "Represented applicants won at twice the rate of those who were not: 40 percent versus 18 percent":
    both groups are named before the pair, the partner's first, the negated one after it."""
    if len(flags) != 1 or not flags[0].text:
        return None
    head = text[:start]
    where = head.lower().rfind(flags[0].text.lower())
    return _NEGATED_GROUP.search(head, where + len(flags[0].text)) if where >= 0 else None


# "...; unrepresented ones, 5 percent", "...; for Hondurans, 12 percent": a semicolon part that names a group
_GROUP_ONLY_PART = re.compile(r";[ \t]{1,2}(?=[^;]{1,60}$)")


def _without_groups(claim: Claim) -> str:
    """The claim's subject with the words of its own dimensioned groups taken out ("unrepresented ones")."""
    words = claim.subject
    for qualifier in claim.qualifiers:
        if qualifier.text and qualifier.dimension is not None:
            words = re.sub(re.escape(qualifier.text), " ", words, flags=re.I)
    return words


def _family(unit: str) -> str:
    """ "9 in 10" (a share) and "4%" (a percent) are the same kind of number for a contrast."""
    return "percent" if unit in ("percent", "share") else unit


# "those who did", "those with one": the partner's (negated) group affirmed
_AFFIRMED_GROUP = re.compile(
    r"(?i)\b(?:those|people|applicants|respondents|others|ones)[ \t]{1,2}(?:who|that)[ \t]{1,2}"
    r"(?:did|do|were|are|had|have)\b(?![ \t]{1,2}not\b|n[’']t)(?=[ \t]{1,2}(?:won|win|lost|got|were|saw|had|"
    r"prevailed|succeeded|stayed|obtained|secured)\b|[ \t]*[,;.:])"
    r"|\b(?:those|people|applicants|respondents|others|ones)[ \t]{1,2}with[ \t]{1,2}(?:one|them|it)\b"
)


def _contrasts(claims: list[Claim], numbers: list[Number], text: str, lexicon: Lexicon) -> None:
    """ "43% for those with a lawyer, compared with 30% for those without": the second number is the same
    statistic as its partner, for the contrasted group (the group it names, or the partner's group negated
    by "those who did not"); a contrast whose group cannot be told is not checkable, naming it."""
    for i in range(1, len(claims)):
        partner, claim = claims[i - 1], claims[i]
        between = text[numbers[i - 1].end : numbers[i].start]
        marker = (
            _CONTRAST.search(between)
            or (
                (_NEGATED_GROUP.search(between) or _AFFIRMED_GROUP.search(between))
                if ";" in between or "?" in between or _ELLIPTIC_LABEL.search(between)
                else None
            )  # "...; those without it won just 2 percent", "...; those who did won 38%"
            or (
                _GROUP_ONLY_PART.search(between)
                if not names_a_concept(_without_groups(claim))
                and any(
                    isinstance(q.value, bool)
                    for q in find_qualifiers(between[between.rfind(";") + 1 :], lexicon)
                )
                else None
            )
        )  # "...; unrepresented ones, 5 percent": a part naming only a group
        if marker is None or _family(claim.unit) != _family(partner.unit) or claim.change or partner.change:
            continue
        end = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
        segment = text[numbers[i - 1].end + marker.start() : end]
        own = [q for q in find_qualifiers(segment, lexicon) if q.dimension is not None or q.key != "state"]
        elliptic = [
            m.group(0).lower() for m in (_NEGATED_GROUP.search(segment), _AFFIRMED_GROUP.search(segment)) if m
        ]
        # "those who didn't": the contrast's own words, read below as the partner's group turned over
        own = [q for q in own if q.dimension is not None or not any(q.text.lower() in e for e in elliptic)]
        # the words of the contrasted group ("those without a lawyer") name who is counted, not what: a
        # subject whose only statistic words are its group's takes the partner's statistic
        own_words = claim.subject
        for qualifier in own:
            if qualifier.text and qualifier.dimension is not None:
                own_words = re.sub(re.escape(qualifier.text), " ", own_words, flags=re.I)
        group_only = not names_a_concept(own_words) or _GROUP_SUBJECT.match(claim.subject)
        if group_only:  # "compared with 48,000 denials": a number that names its own statistic keeps it
            claim.subject, claim.context = partner.subject, partner.context
        # the partner's places named only in its clause ("of Houston cases") are the contrasted group's too
        inherited = _merge(
            tuple(
                q
                for q in named_places(partner, lexicon)
                if not any(p.dimension == q.dimension for p in partner.qualifiers)
            ),
            partner.qualifiers,
        )
        if own:
            claim.qualifiers = _merge(inherited, tuple(own))
            continue
        if _EVERYONE.search(segment):
            # "a median of 79 days for detained immigrants, compared with 191.5 days for all cases": the
            # partner's group is not this one's; only where it is (its court or judge) carries over
            claim.qualifiers = tuple(q for q in inherited if q.key in ("court", "judge", "state"))
            if claim.population == "asylum" and not re.search(r"(?i)\basylum\b", segment):
                claim.population = None
            continue
        flags = [q for q in partner.qualifiers if isinstance(q.value, bool)]
        negated = _NEGATED_GROUP.search(segment) or _named_before_pair(text, numbers[i - 1].start, flags)
        affirmed = _AFFIRMED_GROUP.search(segment) if negated is None else None
        if affirmed and len(flags) == 1 and flags[0].value is False:
            # "those who did not have a lawyer won 13%; those who did won 38%": the group turned over
            flag = flags[0]
            opposite = Qualifier(flag.key, affirmed.group(0), flag.dimension, True)
            claim.qualifiers = tuple(q for q in inherited if q is not flag) + (opposite,)
        elif affirmed:
            claim.qualifiers = (*inherited, Qualifier("contrast", affirmed.group(0)))
        elif negated and len(flags) == 1:
            flag = flags[0]
            opposite = Qualifier(flag.key, negated.group(0), flag.dimension, not flag.value)
            claim.qualifiers = tuple(q for q in inherited if q is not flag) + (opposite,)
        elif negated:
            claim.qualifiers = (*inherited, Qualifier("contrast", negated.group(0)))
        else:
            claim.qualifiers = inherited


# "compared with 191.5 days for all cases", "versus 46 percent overall": the contrast is with everyone
_EVERYONE = re.compile(
    r"(?i)\b(?:for|among|of|across)[ \t]{1,2}(?:all|every)[ \t]{1,2}(?:cases?|immigrants|migrants|"
    r"respondents|people|applicants|asylum[ \t]{1,2}seekers|noncitizens|completions|decisions)\b"
    r"|\b(?:overall|for[ \t]{1,2}everyone|across[ \t]{1,2}the[ \t]{1,2}board|all[ \t]{1,2}told)\b"
)


_SEGMENT_BREAK = re.compile(r",|;|[ \t](?:and|while|but|whereas|compared)[ \t]", re.I)


def _segment_cuts(text: str, numbers: list[Number]) -> list[int]:
    """Where the words of one number end and the next begin: at the first clause break between them."""
    if not numbers:
        return [0]
    first = max(0, numbers[0].start - 240)
    cuts = [first + text[first : numbers[0].start].rfind(";") + 1]
    for before, after in zip(numbers, numbers[1:], strict=False):
        between = text[before.end : after.start]
        found = _SEGMENT_BREAK.search(between)
        cuts.append(before.end + (found.start() if found else len(between) // 2))
    cuts.append(min(len(text), numbers[-1].end + 240))
    return cuts


def _part(text: str, position: int) -> int:
    """Which semicolon-separated part of a sentence holds ``position`` (a period never crosses a ';')."""
    return text.count(";", max(0, position - 400), position) if ";" in text else 0


class _Near:
    """The time expressions around a number, by binary search over their sorted starts (linear overall)."""

    def __init__(self, times: list[TimeMatch]) -> None:
        self.times = times
        self.starts = [t.start for t in times]

    def around(self, number: Number) -> list[TimeMatch]:
        index = bisect_right(self.starts, number.start)
        return self.times[max(0, index - 3) : index + 3]


def _with_administration(
    time: TimeMatch | None, near: list[TimeMatch], admin: str | None
) -> TimeMatch | None:
    """A year and an administration in one sentence ("In 2020, during the Trump administration"): the year is
    the period, labelled with the administration."""
    if time is None:
        return None
    if time.ref.kind == "administration" or (
        time.ref.administration
        and time.ref.kind == "dates"
        and not time.ref.text.lower().startswith("since")  # "since Obama took office in 2009"
    ):
        # "In fiscal 2009, the first year of the Obama administration": the year written wins too
        year = next(
            (
                t
                for t in near
                if t.ref.years and t.ref.kind in ("fiscal_year", "calendar_year", "since", "range")
            ),
            None,
        )
        if year is None:
            return time
        time, admin = year, time.ref.administration
    if admin is None or time.ref.administration:
        return time
    if admin == "Trump I" and time.ref.years and min(time.ref.years) >= 2025:
        admin = "Trump II"
    return TimeMatch(time.start, time.end, replace(time.ref, administration=admin))


def _pick_time(own: list[TimeMatch], number: Number) -> TimeMatch | None:
    """The time of the number's own clause: the first one after it, else the last one before it."""
    starts = (
        [t.start for t in own] if len(own) < 16 else _STARTS_OF.setdefault(id(own), [t.start for t in own])
    )
    index = bisect_left(starts, number.end)
    if index < len(own):
        return own[index]
    before = bisect_right(starts, number.start) - 1
    while before >= 0 and own[before].end > number.start:
        before -= 1
    return own[before] if before >= 0 else None


_STARTS_OF: dict[int, list[int]] = {}


def _nearest(times: list[TimeMatch], number: Number) -> TimeMatch | None:
    best, best_distance = None, None
    for time in times:
        gap = time.start - number.end if time.start >= number.end else number.start - time.end + 0.5
        if best_distance is None or gap < best_distance:
            best, best_distance = time, gap
    return best


def _change_kind(number: Number, before: str, after: str, text: str) -> str | None:
    raw = text[number.start : number.end].lower()
    if number.unit == "ratio":
        return "ratio"
    if number.unit == "percent" and "point" in raw:
        return "points"
    if number.unit == "count" and _ADDED_AFTER.match(after):
        return "difference"  # "a million cases were added to the backlog in FY 2023"
    if _CHANGE_BEFORE.search(before) or (
        _CHANGE_AFTER.match(after)
        and number.unit in ("percent", "count")
        and not re.match(r"^[ \t]{0,2}(?:more|fewer)[ \t]than", after)
    ):
        if number.unit == "percent":
            return "percent_change"
        if number.unit == "count":
            return "difference"
    return None


def _pair_changes(claims: list[Claim], numbers: list[Number], times: list[TimeMatch], text: str) -> None:
    """From/to pairs share one period each; a change takes its base period from the sentence."""
    for i in range(1, len(claims)):
        a, b = claims[i - 1], claims[i]
        a_before = text[max(0, numbers[i - 1].start - 30) : numbers[i - 1].start]
        b_before = text[max(0, numbers[i].start - 30) : numbers[i].start]
        paired = (
            (_FROM_BEFORE.search(a_before) and _TO_BEFORE.search(b_before))
            or (_TO_BEFORE.search(a_before) and _FROM_BEFORE.search(b_before))
            or (_FROM_BEFORE.search(b_before) and a.unit == b.unit and not a.change)
        )
        if not paired or a.change or b.change or a.unit != b.unit:
            continue
        if (
            _BASE_AFTER.search(b_before)
            and a.time == b.time
            and len(a.time.years) == 1
            and a.time.kind in ("fiscal_year", "calendar_year")
            and not any(t.start > numbers[i].end for t in times)
        ):
            # "slid to 41 percent in fiscal 2022, down from 58 percent": the base written without a year is
            # the previous period of the same kind (METHODOLOGY)
            b.time = replace(a.time, years=(a.time.years[0] - 1,), text="the period before")
        if a.time is b.time or a.time == b.time:
            if len(a.time.years) == 2 and a.time.kind in ("fiscal_year", "range", "calendar_year"):
                first, last = a.time.years
                if _FROM_BEFORE.search(b_before):
                    first, last = last, first
                a.time = replace(a.time, years=(first,))
                b.time = replace(b.time, years=(last,))
        b.change = "from_to"
        b.change_from = a.time
        b.change_from_value = a.value
    dated = [
        t.ref
        for t in times
        if t.ref.years and t.ref.kind in ("fiscal_year", "calendar_year", "range", "dates")
    ]
    since = next((t.ref for t in times if t.ref.kind == "since" and t.ref.years), None)
    for number, claim in zip(numbers, claims, strict=True):
        # "tripled between FY 2021 and FY 2023, reaching 150,000": the level is at the end of the span
        before = text[max(0, number.start - 30) : number.start]
        if claim.change is None and len(claim.time.years) == 2 and _REACHING.search(before):
            claim.time = replace(claim.time, years=(claim.time.years[-1],))
    for i in range(1, len(claims)):
        # "increased by 12,000, or 40 percent": the percent restates the change
        before = text[max(0, numbers[i].start - 24) : numbers[i].start]
        if (
            claims[i - 1].change == "difference"
            and claims[i].unit == "percent"
            and claims[i].change is None
            and re.search(
                r"(?i),[ \t]{0,2}or[ \t]{1,2}(?:about[ \t]|nearly[ \t]|roughly[ \t]|almost[ \t])?$", before
            )
        ):
            claims[i].change = "percent_change"
    for i in range(1, len(claims)):
        # "rose 18 percent ... and another 20 percent": the second number is the same kind of change
        before = text[max(0, numbers[i].start - 30) : numbers[i].start]
        if (
            claims[i - 1].change in ("difference", "percent_change", "points", "ratio")
            and claims[i].change is None
            and claims[i].unit == claims[i - 1].unit
            and re.search(r"(?i)\b(?:another|a[ \t]further|an[ \t]additional)[ \t]{1,2}$", before)
        ):
            claims[i].change = claims[i - 1].change
    changes = [c for c in claims if c.change not in (None, "from_to")]
    own_years = {c.time.years for c in changes if len(c.time.years) == 1 and c.time.kind != "dates"}
    each_own = len(changes) >= 2 and len(own_years) == len(changes)
    terms = [t for t in times if t.ref.administration and t.ref.kind in ("administration", "dates")]
    versus_term = len(terms) == 2 and bool(_COMPARED.search(text[terms[0].end : terms[1].start]))
    for claim in claims:
        if claim.change in (None, "from_to"):
            continue
        if versus_term:
            # "fell 45 percent during Trump's first term compared with Obama's second": the later-named
            # period is the base the change is measured from
            claim.time, claim.change_from = terms[0].ref, terms[1].ref
        elif each_own and claim.time.kind in ("fiscal_year", "calendar_year"):
            # "Last year it grew by 700,000, but in FY 2022 by just 400,000": each change over its own year
            claim.change_from = replace(claim.time, years=(claim.time.years[0] - 1,), text="the year before")
        elif len(dated) == 1 and len(dated[0].years) == 2 and dated[0].kind != "dates":
            ref = dated[0]
            claim.change_from = replace(ref, years=(ref.years[0],))
            claim.time = replace(ref, years=(ref.years[1],))
        elif len(dated) >= 2:
            ordered = sorted(dated, key=lambda r: r.years[0])
            claim.change_from, claim.time = ordered[0], ordered[-1]
        elif since is not None:
            # "has doubled since 2020": from that year to the article date (or the release)
            claim.change_from = TimeRef(
                "fiscal_year" if since.explicit else "calendar_year",
                (since.years[0],),
                explicit=since.explicit,
                text=since.text,
            )
            claim.time = TimeRef("at_date", (), text=since.text)
        elif len(dated) == 1 and dated[0].kind in ("fiscal_year", "calendar_year"):
            # "increased by 30,000 in FY2024": a change over that year, from the year before
            claim.time = dated[0]
            claim.change_from = replace(dated[0], years=(dated[0].years[0] - 1,), text="the year before")


def _carry_noun_groups(claims: list[Claim], numbers: list[Number], text: str) -> None:
    """ "8,900 credible fear reviews ..., and the median review took 9 days": "the review" names the group
    an earlier number of the sentence qualified (a case type), so the later number keeps that qualifier.
    Linear: each distinct qualifier seen so far is looked up once per later number."""
    seen: list[tuple[Qualifier, str]] = []  # (qualifier, the noun it was written before)
    for i, claim in enumerate(claims):
        if i:
            own = text[numbers[i - 1].end : numbers[i].start]
            for qualifier, noun in seen:
                if not any(q.key == qualifier.key for q in claim.qualifiers) and re.search(
                    rf"(?i)\b(?:the|each|a|that)[ \t]{{1,3}}(?:[a-z]{{2,15}}[ \t]{{1,3}}){{0,2}}"
                    rf"{re.escape(noun)}(?:es|s)?\b",
                    own,
                ):
                    claim.qualifiers = (*claim.qualifiers, qualifier)
        for qualifier in claim.qualifiers:
            if qualifier.key in ("case_type", "asylum_type") and all(q is not qualifier for q, _ in seen):
                head = re.search(
                    re.escape(qualifier.text) + r"[ \t]{1,3}(?P<noun>[a-z]{3,20}?)(?:es|s)?\b", text, re.I
                )
                if head and len(seen) < 8:
                    seen.append((qualifier, head.group("noun")))


def _drop_bases_of_comparisons(claims: list[Claim], numbers: list[Number], text: str) -> None:
    """ "took in more than twice that many": a ratio to another number of the sentence, not a change.
    "16 points below the national rate": a change against the national figure of the same period."""
    for number, claim in zip(numbers, claims, strict=True):
        after = text[number.end : number.end + 30]
        if claim.unit == "ratio" and _OTHER_NUMBER.match(after):
            claim.change_from = None
        if claim.change in ("points", "percent_change", "ratio", "difference") and _VERSUS_NATIONAL.match(
            text[number.end : number.end + 80]
        ):
            claim.compared_with = "national"
            claim.change_from = claim.time
        elif claim.change in ("points", "percent_change", "ratio", "difference") and (
            versus := _VERSUS_GROUP.match(text[number.end : number.end + 80])
        ):
            # "won at twice the rate of those who were not": a comparison with another group in the same
            # period, which no reading computes yet; never a change over time against "the year before"
            claim.change_from = None
            claim.qualifiers = (
                *claim.qualifiers,
                Qualifier("comparison between groups", versus.group(0).strip()),
            )
    national = [
        i
        for i, number in enumerate(numbers)
        if _NATIONAL_BEFORE.search(text[max(0, number.start - 60) : number.start])
    ]
    for i, claim in enumerate(claims):
        # "Compared with the national rate of 44 percent, Omaha's rate of 19 percent was 25 points lower":
        # the change is the place's figure against the national one, in the same period, for the place
        if (
            claim.change in ("points", "percent_change", "ratio", "difference")
            and claim.compared_with is None
            and any(j < i for j in national)
            and i >= 2
            and (i - 1) not in national
            and claims[i - 1].change is None
            and claims[i - 1].unit == claim.unit
            and not any(q.key in ("court", "judge", "state") for q in claim.qualifiers)
        ):
            claim.compared_with = "national"
            claim.time = claims[i - 1].time
            claim.change_from = claim.time
            claim.qualifiers = _merge(claims[i - 1].qualifiers, claim.qualifiers)


_VERSUS_GROUP = re.compile(
    r"(?i)^[ \t]{0,2}(?:times[ \t]{1,2}|percentage[ \t]{1,2}points?[ \t]{1,2}|points?[ \t]{1,2}"
    r"|percent[ \t]{1,2})?(?:[\w-]{1,12}[ \t]{1,2}){0,2}?"
    r"(?:the[ \t]{1,2}(?:rate|share|odds|pace|level|number)[ \t]{1,2}(?:of|for|among)"
    r"|that[ \t]{1,2}of|than|as[ \t]{1,2}(?:often|likely|many)[ \t]{1,2}as)[ \t]{1,2}(?:the[ \t]{1,2})?"
    r"(?:those|people|others|applicants|respondents|immigrants|migrants|asylum[ \t]seekers|men|women|"
    r"(?:un|non-?)?(?:represented|detained)|[A-Z][a-z]{2,20}(?:ans|ese|is)\b)"
)
_VERSUS_NATIONAL = re.compile(
    r"(?i)^[ \t]{0,2}(?:percentage[ \t]{1,2})?(?:points?[ \t]{1,2})?(?:[\w-]{1,12}[ \t]{1,2})?"
    r"(?:below|above|under|over|than|beneath|short[ \t]of|ahead[ \t]of)[ \t]{1,2}(?:the[ \t]{1,2})?"
    r"(?:national|nationwide|countrywide|U\.S\.)\b"
)


_OTHER_NUMBER = re.compile(
    r"(?i)^[ \t]{1,2}(?:that|those|this|these)[ \t]{1,2}(?:many|much|number|figure|total|amount|level|rate)\b"
)


def _population(claim: Claim, *, in_asylum_context: bool) -> str | None:
    """ "asylum" when the claim names asylum; "asylum_context" when its paragraph or article is about it.
    "relief other than asylum" names what is left out, not the group."""
    own = _EXCEPT_ASYLUM.sub(" ", " ".join(claim.context.split(" | ")[:2]))
    if _ASYLUM.search(own):
        return "asylum"
    sentence = _EXCEPT_ASYLUM.sub(" ", claim.sentence)
    return "asylum_context" if in_asylum_context or _ASYLUM.search(sentence) else None


_EXCEPT_ASYLUM = re.compile(
    r"(?i)\b(?:other[ \t]{1,3}than|besides|apart[ \t]{1,3}from|except(?:[ \t]{1,3}for)?)[ \t]{1,3}asylum\b"
    r"|\bnon-?asylum\b"
)


def _time_of_same_subject(
    timed: dict[str, list[Claim]], claim: Claim, *, restated: bool = False
) -> TimeRef | None:
    """A restatement ("a third of a million" after "350,000") takes the period of the claim it restates.

    ``restated``: only a figure within 10% of the earlier one (used across paragraphs, where a different
    figure of the same statistic never inherits a period).
    """
    concept = concept_for(claim)
    same = timed.get(concept.name, [])[-20:] if concept is not None else []
    if not same:
        return None
    closest = min(same, key=lambda c: abs(math.log(max(c.value, 1e-9) / max(claim.value, 1e-9))))
    if restated and abs(math.log(max(closest.value, 1e-9) / max(claim.value, 1e-9))) > math.log(1.1):
        return None
    return closest.time
