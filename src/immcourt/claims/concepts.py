"""Concepts: what a number counts, from a subject lexicon ("removal orders", "backlog", "encounters").

A concept with a ``source`` is outside immigration-court data (staffing, budgets, polls, border encounters,
population): a claim about it is "outside the data" and is never mapped to the nearest court metric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from immcourt.claims.claim import Claim
from immcourt.claims.qualifiers import tidy_subject


@dataclass(frozen=True)
class Concept:
    """What a claim counts. ``source`` is set for subjects immigration-court data cannot check."""

    name: str
    pattern: re.Pattern[str]
    source: str | None = None
    subject_only: bool = False  # only when the noun right after the number names it ("734 judges")
    what: str = ""  # how a verdict names what the court data do not measure


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")", re.I)


# Order is priority: the first concept whose phrase occurs in the subject wins; specific phrases come first.
CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "encounters",
        _words(
            r"encounters?",
            r"apprehensions?",
            r"apprehended",
            r"at\s+the\s+(?:southern\s+|southwest\s+)?border",
            r"border\s+crossings?",
            r"(?:crossed|cross|crosses|crossing)\s+the\s+border",
            r"border\s+arrests?",
            r"have\s+entered",
            r"entered\s+the\s+(?:country|united\s+states|u\.s)",
            r"border\s+patrol",
            r"(?:illegal\s+|unlawful\s+)?crossings\b",
            r"agents\s+(?:recorded|logged|made|apprehended|caught|encountered|stopped|arrested)",
            r"(?:along|across)\s+the\s+(?:southern\s+|southwest\s+|northern\s+)?border",
            r"ports?\s+of\s+entry",
            r"cbp\s+one",
            r"expel(?:led|s)?\b",
            r"expulsions?",
            r"title\s+42",
        ),
        "CBP Nationwide Encounters (U.S. Customs and Border Protection)",
        what="border encounters",
    ),
    Concept(
        "gotaways",
        _words(r"got-?aways?", r"gotaways?", r"evaded\s+(?:capture|agents)", r"evasions?"),
        "CBP / DHS estimates of known gotaways",
        what="gotaways (people who evaded capture)",
    ),
    Concept(
        "population",
        _words(
            r"foreign-born",
            r"immigrant\s+population",
            r"(?<!than\sthe\s)population",  # "more than the population of Houston" is a comparison
            r"residents?\b",
            r"live\s+in\b",
            r"living\s+in\b",
            r"lived\s+in\b",
            r"resid(?:e|es|ed|ing)\s+in\b",
            r"unauthorized\s+immigrants\s+living",
            r"born\s+in\b",
            r"(?:lack|lacks|lacking|without)\s+(?:legal|lawful)\s+status",
            r"undocumented\s+(?:population|immigrants\s+(?:in|living))",
            r"census",
            r"worldwide",
            r"displaced",
            r"forced\s+from\s+their\s+homes",
            r"unhcr",
            r"emigration",
            r"emigrants?",
            r"emigrated",
        ),
        "Census Bureau American Community Survey (ACS)",
        what="population counts",
    ),
    Concept(
        # "The legal aid office ... takes on about 400 new clients a year": a provider's own caseload
        "legal_aid_caseload",
        _words(
            r"(?:new\s+)?clients\b",
            r"legal\s+aid\s+(?:office|group|organization|provider)s?\s+"
            r"(?:takes?|took|handles?|handled|serves?|served)",
        ),
        "the legal aid provider's own caseload records",
        what="a legal aid provider's caseload",
    ),
    Concept(
        "poll",
        _words(
            r"voters?",
            r"poll",
            r"respondents\s+(?:to|in)\s+(?:the\s+|a\s+)?(?:poll|survey)",
            r"surveyed",
            r"survey",
            r"americans\s+(?:say|believe|think)",
            r"adults\s+(?:say|believe|think|want)",
            r"approv(?:e|es|ed)\s+of",
            r"approval\s+(?:rating|of|on)",
            r"president[’']?s?\s+approval",
            r"believe\b",
            r"rall(?:y|ies)\b",
            r"protest(?:s|ers|ed)?\b",
            r"demonstrat(?:ors|ions?|ed)\b",
            r"told\s+(?:pollsters|researchers|surveyors|gallup|pew)",
            r"gallup|pew\s+research|quinnipiac|ipsos|yougov|marist|pollsters?",
            r"(?:of|among)\s+(?:all\s+)?(?:americans|u\.s\.\s+adults|adults|the\s+public|likely\s+voters)",
        ),
        "the pollster that ran the survey",
        what="public opinion",
    ),
    Concept(
        "visas_benefits",
        _words(
            r"visas?\b",
            r"green\s+cards?",
            r"embass(?:y|ies)",
            r"consulates?",
            r"uscis",
            r"citizenship\s+and\s+immigration\s+services",
            r"work\s+permits?",
            r"naturaliz\w+",
            r"resettled",
            r"refugee\s+(?:admissions|ceiling|cap|program)",
            r"as\s+refugees",
            r"refugees\b",
            r"admitted\s+(?:as\s+)?refugees",
            r"tps\b",
            r"temporary\s+protected\s+status",
            r"daca\b",
            r"parole(?:d|es)?\b",
            r"(?<!by\sthe\s)(?<!from\sthe\s)(?<!to\sthe\s)asylum\s+offices?",
            r"asylum\s+officers?",
            r"remittances?",
        ),
        "USCIS and State Department statistics (visas, benefits, refugee admissions are not court cases)",
        what="visas, benefits, parole or refugee admissions",
    ),
    Concept(
        "economy",
        _words(
            r"inflation",
            r"unemployment",
            r"gdp\b",
            r"economy\s+(?:grew|shrank)",
            r"wages?\b",
            r"interest\s+rates?",
            r"mortgage",
            r"tax(?:es)?\s+(?:paid|revenue)",
            r"labor\s+force",
            r"workforce",
        ),
        "BLS / BEA economic statistics",
        what="the economy",
    ),
    Concept(
        "staffing",
        _words(
            r"employs?",
            r"employees",
            r"(?<!judges\son\s)staff(?:ers|ing)?",  # "with four judges on staff" is an aside
            r"(?:takes?|took|taking)\s+(?:[\w-]+\s+){0,5}?to\s+fill\b",
            r"to\s+fill\s+(?:one|it|them|each|that|the\s+(?:post|seat|job|position|vacancy|vacancies|bench))\b",
            r"hire[ds]?\b",
            r"hiring",
            r"salar(?:y|ies)",
            r"clerks",
            r"vacanc(?:y|ies)",
            r"vacant\b",
            r"judgeships?",
            r"\bfill(?:ing|ed|s)?\s+(?:a|the|each|one)\s+(?:[\w'-]+\s+)?(?:seat|post|position|judgeship|vacancy|job|"
            r"bench)",
            r"attorneys\s+on\s+staff",
            r"positions?\b",
        ),
        "agency staffing and personnel records (OPM FedScope, agency budget justifications)",
        what="staffing, hiring or vacancies",
    ),
    Concept(
        "money",
        _words(
            r"dollars?",
            r"budget",
            r"spending",
            r"spent",
            r"funding",
            r"cost",
            r"\$",
            r"grants?\s+to\s+(?:[\w-]+\s+){0,3}(?:states|cities|localities|groups|organizations|nonprofits|"
            r"providers|schools|counties|shelters)",
            r"grant\s+(?:money|funding|programs?)",
            r"(?:federal|state|government)\s+grants",
        ),
        "agency budget and appropriations documents",
        what="money spent or budgeted",
    ),
    Concept(
        "ice_enforcement",
        _words(
            r"ice\s+(?:arrests?|detention|removals?|deported)",
            # "ICE carried out 271,000 removals": removals an enforcement agency performs, not court orders
            r"(?:ice|dhs|cbp|ero)\s+(?:has\s+|have\s+|had\s+)?(?:carried\s+out|conducted|performed|executed)\b",
            r"detention\s+beds?",
            r"ice\s+held",
            r"held\s+\d[\d,]*\s+people",
            r"in\s+ice\s+detention",
            r"arrested\s+by\s+ice",
            r"deportation\s+flights?",
            r"ice\s+(?:deported|removed|arrested|detained|held|deports|removes)",
            r"(?:deported|removed|arrested)\s+by\s+(?:ice|dhs|cbp)",
            r"(?:ice|dhs|cbp)(?:['’]s)?\s+(?:deportations?|removals?|arrests?|apprehensions?|expulsions?|returns?)",
            r"(?:detainees?|migrants?|immigrants?|people)\s+(?:is|are|was|were)\s+(?:held|detained)\b",
            r"length\s+of\s+(?:detention|stay)",
            r"days\s+in\s+(?:ice\s+)?(?:detention|custody)",
            r"alternatives?[\s-]+to[\s-]+detention",
            r"ankle\s+monitors?",
            r"electronic\s+monitoring",
            r"(?:homeland\s+security|dhs|ice|cbp|the\s+government|the\s+administration|agents|officers)\s+"
            r"(?:has\s+|have\s+|had\s+)?(?:removed|deported|expelled|repatriated|returned|arrested|detained)\b",
        ),
        "ICE Enforcement and Removal Operations statistics",
        what="ICE arrests, detention or removals carried out",
    ),
    Concept(
        "shelter",
        _words(r"shelters?\b", r"housed\b", r"beds?\b", r"sheltered\b"),
        "city and state shelter records, ICE detention statistics, HHS Office of Refugee Resettlement",
        what="shelter or detention capacity",
    ),
    Concept(
        "hhs_referrals",
        _words(
            r"referrals?\s+(?:of\s+(?:[\w-]+\s+){0,4})?to\s+(?:hhs|orr|the\s+office\s+of\s+refugee\s+resettlement)",
            r"\bhhs\b",
            r"office\s+of\s+refugee\s+resettlement",
        ),
        "HHS Office of Refugee Resettlement (referrals and custody of unaccompanied children)",
        what="referrals of unaccompanied children to HHS",
    ),
    Concept(
        "appeals",
        _words(r"appeal(?:ed|s)?\b", r"board\s+of\s+immigration\s+appeals"),
        "EOIR Board of Immigration Appeals statistics (appeals are not in immcourt's metric catalog)",
        what="appeals",
    ),
    Concept(
        "judges",
        re.compile(
            r"^(?:(?:new|more|additional|extra|immigration|full-time|temporary|permanent)\s+){0,3}"
            r"(?:judges|courts|courtrooms|attorneys|lawyers|interpreters|clerks)\b"
            r"|\bjudges\s+on\s+the\s+bench|\bjudge\s+positions"
            r"|^adjudication\s+centers?|^hearing\s+locations",
            re.I,
        ),
        "EOIR's published judge roster and court list (not in the case data)",
        subject_only=True,
        what="the number of judges, courts or lawyers",
    ),
    Concept(
        "admin_closed",
        _words(
            r"administratively\s+closed",
            r"closed\s+(?:[\w,]+\s+){0,3}administratively",
            r"administrative(?:ly)?\s+clos(?:ed|ures?|ing)",
            r"administratively\b",
        ),
    ),
    Concept(
        "closed_without_merits",
        _words(
            r"terminated\s+without",
            r"without\s+a\s+decision",
            r"merits",
            r"de\s+facto\s+amnesty",
            r"amnesty",
            r"hand-waved",
            r"without\s+(?:a\s+|any\s+)?(?:decid\w+|ruling|merits|hearing\s+the\s+merits)",
            r"cases?\s+(?:were\s+|was\s+|been\s+|have\s+been\s+|had\s+been\s+)?(?:dismissed|"
            r"terminated)",
            # "closed by prosecutorial discretion": PD closures are completions of several outcome classes
            # (terminated, administratively closed), the dimension prosecutorial_discretion, not this concept
            r"(?:been|were|was|are|get|got)\s+closed\b(?!\s+(?:out|in\s+(?:fy|fiscal|19|20)|"
            r"(?:by|through|under|using)\s+prosecutorial))",
            r"had\s+(?:their|its|the)\s+cases?\s+closed",
            # the government (a party) closing cases is dismissing them; judges closing cases complete them
            r"(?:administration|government|dhs|ice|prosecutors|officials|authorities)\s+(?:has\s+|have\s+|had\s+)?closed\b",
            r"(?:dismissed|terminated|canceled|cancelled|thrown\s+out|tossed\s+out)\b",
            r"terminations?",
            r"dismissals?",
        ),
    ),
    Concept(
        "removal_orders",
        _words(
            r"ordered\s+(?:removed|deported)",
            r"removal\s+orders?",
            r"orders?\s+of\s+removal",
            r"deportation\s+orders?",
            r"deported",
            r"deportations?",
            r"removed\b",
            r"ordered\s+to\s+leave",
            r"ordered\s+out\s+of\s+the\s+(?:country|united\s+states|u\.s)",
            r"end(?:ed|s)?\s+in\s+(?:an?\s+)?(?:removal|deportation)",
            r"lost\s+their\s+cases?",
            r"lost\b(?!\s+(?:their\s+)?(?:jobs?|homes?|lives|track|touch|weight))",
            r"removal\s+(?:share|rate)",
            r"removals?\b(?!\s+(?:cases?|proceedings)\b)",
            r"deportable",
            r"sent\s+(?:home|back)",
        ),
    ),
    Concept("voluntary_departure", _words(r"voluntary\s+departure")),
    Concept(
        "asylum_decisions",
        _words(
            r"asylum\s+decisions",
            r"decisions\s+on\s+asylum",
            r"(?:ruled|rulings?)\s+on(?:\s+[\d,.]+(?:\s+(?:million|thousand))?)?\s+asylum\s+(?:applications|claims|"
            r"requests|petitions|cases)",
        ),
    ),
    Concept(
        "asylum_grant_rate", _words(r"grant\s+rate", r"approval\s+rate", r"success\s+rate", r"win\s+rate")
    ),
    Concept(
        "asylum_granted",
        _words(
            r"granted\s+asylum",
            r"(?:judges?|courts?)\s+(?:to\s+)?grant\b",  # "saw judges grant 8,900 asylum applications"
            r"asylum\s+grants?",
            r"were\s+grants\b",
            r"won\s+(?:their\s+)?asylum",
            r"received\s+asylum",
            r"(?:got|obtained|secured|were\s+given)\s+asylum",
            r"granting\b",
            # "Houston judges approved just 7% of them": the verb right before the share
            r"(?<=judges\s)approv(?:ed|es|ing)(?=(?:\s+(?:just|only|about|nearly|roughly|some|almost))?\s*$)",
            r"asylum\s+(?:was|were)\s+granted",
            r"given\s+asylum",
            r"win\s+asylum",
            r"asylum\s+approvals?",
            r"were\s+successful",
            r"approvals?\s+of\s+asylum",
            r"(?:won|prevailed|prevails?|succeeded|succeeds?)\b(?!\s+(?:their\s+right|the\s+right|relief|permission|"
            r"their\s+cases?))",
            r"granted\b(?!\s+(?:de\s+facto|(?:[\w-]+\s+)?relief))",  # "granted humanitarian relief"
            r"end(?:ed|s|ing)?\s+(?:in|with)\s+(?:an?\s+)?(?:asylum\s+)?grants?\b",
            r"approv(?:ed|es|e|ing)\s+(?:[\w,.-]+\s+){0,4}?(?:asylum|claims|applications|petitions|requests|bids)",
            r"(?:asylum|claims|applications|petitions|requests|bids)\s+(?:were\s+|was\s+|been\s+)?approved",
            r"grants?\s+of\s+asylum",
            r"earn(?:ed|s)?\s+asylum",
            r"awarded\s+asylum",
            r"(?:ruled|decided|sided|found)\s+(?:in\s+favor\s+of|for)\b",
            r"(?<!federal\s)(?<!state\s)(?<!government\s)(?<!awarded\s)grants\b(?!\s+(?:of\s+relief|to\s+(?:states|cities|"
            r"localities|groups|organizations|nonprofits|schools|counties)))",
            r"green-?lit|green-?lighted|okayed|ok['’]d|signed\s+off\s+on|go-?ahead|thumbs[\s-]up",
        ),
    ),
    Concept(
        "relief_granted",
        _words(
            r"granted\s+relief",
            r"relief\s+(?:was\s+|were\s+)?granted",
            r"won\s+relief",
            r"received\s+relief",
            r"relief",
        ),
    ),
    Concept(
        "asylum_denied",
        _words(
            r"denied\s+asylum",
            r"asylum\s+denials?",
            r"denials?",
            r"denied\b",
            r"lost\s+their\s+asylum",
            r"reject(?:ed|s|ing|ions?)\b",
            r"turned\s+down",
            r"(?:ruled|decided|sided|found)\s+against",
            r"lost\s+(?:[\d.,]+\s*(?:%|percent)\s+of\s+)?(?:their\s+)?asylum\s+(?:cases|claims|applications|bids|requests)",
            r"refused\b",
            r"end(?:ed|s|ing)?\s+(?:in|with)\s+(?:an?\s+)?denials?",
        ),
    ),
    Concept(
        "allowed_to_remain",
        _words(
            r"allowed\s+to\s+(?:remain|stay)",
            r"permitted\s+to\s+(?:remain|stay)",
            r"able\s+to\s+(?:remain|stay)",
            r"\bto\s+(?:remain|stay)\b",
            r"won\s+(?:their|the\s+right)",
        ),
    ),
    Concept(
        "backlog",
        _words(
            r"backlog",
            r"pending",
            r"awaiting",
            r"waiting\s+for\s+(?:a\s+)?hearing",
            r"cases\s+(?:still\s+)?on\s+the\s+docket",
            r"(?:waiting|were|are|remain(?:ed|s)?|sat|sitting|stuck)\s+(?:\w+\s+)?on\s+the\s+(?:docket|backlog)",
            r"cases\s+(?:still\s+)?waiting\b",
            r"open\s+cases",
            r"waiting\s+(?:to\s+be\s+(?:heard|decided|resolved)|on\s+(?:a\s+|their\s+)?(?:hearing|decision))",
            r"unresolved",
            r"undecided",
            r"still\s+open",
            r"in\s+the\s+queue",
            r"docket\s+(?:swelled|grew|ballooned|reached|hit|topped|stood|stands|rose|climbed|of)\b",
            r"caseloads?\b",
        ),
    ),
    Concept(
        "in_absentia",
        _words(
            r"in\s+absentia",
            r"failed\s+to\s+appear",
            r"(?:did\s+not|didn't)\s+(?:show|appear)",
            r"no-shows?",
            r"missed\s+(?:their\s+)?(?:court\s+)?hearings?",
            r"(?:skipped|skip|missing|never\s+(?:showed|appeared)\s+(?:up\s+)?(?:for|at))\s+(?:their\s+|a\s+)?(?:court\s+)?"
            r"(?:hearings?|court\s+dates?|court)",
        ),
    ),
    Concept(
        "represented",
        _words(r"lawyers?", r"attorneys?", r"(?:un)?represent(?:ed|ation)", r"counsel", r"legal\s+help"),
    ),
    Concept(
        "median_days",
        _words(r"days", r"months\s+to", r"years\s+to\s+(?:complete|decide|resolve)", r"wait(?:ed)?\b"),
    ),
    Concept(
        "new_cases",
        _words(
            r"new\s+(?:[\w-]+\s+){0,3}?(?:cases|filings|applications|claims|reviews)",
            r"filed",
            r"filings?",
            r"received",
            r"receipts",
            r"initiated",
            r"notices?\s+to\s+appear",
            r"brought\s+(?:before|into)",
            r"t(?:ook|ake|akes|aking|aken)\s+in\b",
            r"intake",
            r"came\s+in\b",
        ),
    ),
    Concept(
        "completions",
        _words(
            r"completed",
            r"completions?",
            r"decided",
            r"decisions",
            r"resolved",
            r"concluded",
            r"cases\s+(?:heard|handled)",
            r"closures?",
            r"court\s+cases(?!\s*$)",  # "received 45,000 court cases": the verb before says what
            r"numbered",
            r"total(?:ed|led)",
            r"handled",
            r"closed\b",
            r"wrapped\s+up",
            r"wound\s+up",
            r"disposed\s+of",
            r"dispositions?",
            r"adjudicated",
            r"heard\b",
            r"ruled\s+on",
            r"cases?\s+(?:ended|concluded|finished)",
            r"finished",
            r"cleared",
            r"closed\s+the\s+books?",
            r"finali[sz]ed",
            r"rendered\s+(?:decisions|rulings|judgments)",
        ),
    ),
)
CONCEPT_BY_NAME = {concept.name: concept for concept in CONCEPTS}


# In "38 percent of completions" the noun after the number is the denominator, not what is counted.
_DENOMINATOR_CONCEPTS = {"completions", "new_cases"}
_DENOMINATOR = re.compile(
    r"(?i)^of[ \t]{1,3}(?:the[ \t]{1,3}|all[ \t]{1,3}|their[ \t]{1,3}|its[ \t]{1,3}|those[ \t]{1,3})?"
    r"(?:[\w'’-]{1,20}[ \t]{1,3}){0,4}?(?:cases|completions|decisions|applications|claims|requests|petitions|"
    r"applicants|seekers|immigrants|respondents|people|migrants|orders|filings|grants|denials|rulings)\b"
    r"(?:[ \t]{1,3}(?:that|who|which)[ \t]{1,3}(?:were|was|had[ \t]been))?"
    r"(?:[ \t]{1,3}(?:closed|completed|decided|heard|resolved|adjudicated|filed|received|issued|entered))?"
)


def concept_for(claim: Claim) -> Concept | None:
    """The concept named in the claim's subject, else its clause, else its sentence, else the one carried."""
    return _concept_of(claim.text, claim.unit, claim.subject, claim.context, claim.concept_hint)


@lru_cache(maxsize=4096)
def _concept_of(text: str, unit: str, subject: str, context: str, hint: str | None) -> Concept | None:
    claim = _Key(text, unit, subject, context, hint)
    if claim.text.lstrip().startswith("$"):
        return CONCEPT_BY_NAME["money"]
    pieces = claim.context.split(" | ")
    if claim.unit in ("percent", "share") and pieces[0]:
        # "35 percent of asylum decisions were grants": the words after the denominator say what is counted
        denominator = _DENOMINATOR.match(pieces[0])
        if denominator:
            rest = pieces[0][denominator.end() :]
            found = _last_concept(rest) if rest.strip() else None
            if found is not None and found.name not in _DENOMINATOR_CONCEPTS:
                return found
            pieces = [rest, *pieces[1:]]
            if re.search(r"(?i)\basylum\b", denominator.group(0)):
                # "lost 79% of asylum cases decided": a share of asylum decisions is a grant or a denial
                chosen = _in_pieces(claim, pieces)
                return (
                    CONCEPT_BY_NAME["asylum_denied"] if chosen and chosen.name == "removal_orders" else chosen
                )
    return _in_pieces(claim, pieces)


def concept_beside_groups(claim: Claim, groups: tuple[str, ...]) -> Concept | None:
    """The concept of ``claim`` with the words of its groups (``groups``: qualifier texts) left out.

    "DACA recipients ... had counsel in 88 percent", "who crossed between ports of entry won 15%",
    "released on parole ... allowed to remain", "denied 3,000 asylum claims from Hondurans who lacked
    lawyers": a word inside the counted group's description names who is counted, not what; the statistic is
    what the rest of the clause counts (the group itself is then checked by the qualifier guard).
    The concept as ``concept_for`` reads it when one of its cues in the number's own words is outside every
    group's words, or when none is in them."""
    chosen = concept_for(claim)
    if chosen is None:
        return chosen
    texts = [g for g in groups if g and len(g) > 2]
    cues = 0
    for piece in claim.context.split(" | ")[:2]:
        spans = [m.span() for g in texts for m in re.finditer(re.escape(g), piece, re.I)]
        for cue in chosen.pattern.finditer(piece):
            cues += 1
            if not any(a <= cue.start() and cue.end() <= b for a, b in spans):
                return chosen  # the cue is not (only) in a group's description
    if not cues:
        return chosen
    subject, context = claim.subject, claim.context
    for text in sorted(set(texts), key=len, reverse=True):
        pattern = re.compile(re.escape(text), re.I)
        subject = pattern.sub(" ", subject)
        context = pattern.sub(" ", context)
    return _concept_of(claim.text, claim.unit, subject, context, claim.concept_hint)


_FILED_BY = re.compile(r"(?i)\bfiled\s+by\b")


def names_a_concept(text: str) -> bool:
    """Whether ``text`` (a clause) names something counted, in or outside the court data."""
    return _first_concept(text, subject=False) is not None


def _in_pieces(claim: _Key, pieces: list[str]) -> Concept | None:
    for text in pieces[:2]:  # a cue of data outside the courts in the number's own clause comes first
        outside = next(
            (c for c in CONCEPTS if c.source and not c.subject_only and c.pattern.search(text)), None
        )
        if outside is not None:
            return outside
    for position, text in enumerate(pieces):
        if not text:
            continue
        concept = _first_concept(text, subject=position == 0 and tidy_subject(text) == claim.subject)
        if concept is None:
            continue
        if claim.unit != "count" and concept.name in _DENOMINATOR_CONCEPTS and position < len(pieces) - 1:
            continue
        if (
            position == 0
            and concept.name == "new_cases"
            and _FILED_BY.search(text)
            and len(pieces) > 1
            and (verb := _first_concept(pieces[1], subject=False)) is not None
            and verb.source is None
        ):
            return (
                verb  # "granted 420 asylum applications filed by Venezuelans": who filed, not what is counted
            )
        return concept
    if claim.concept_hint:
        return CONCEPT_BY_NAME.get(claim.concept_hint)
    return None


class _Key(NamedTuple):
    text: str
    unit: str
    subject: str
    context: str
    concept_hint: str | None


def _last_concept(text: str) -> Concept | None:
    """The concept named last in ``text``: in "of the people judges ordered deported had no attorney" the
    predicate that ends the clause says what the share counts."""
    best, where = None, -1
    for concept in CONCEPTS:
        if concept.subject_only:
            continue
        found = concept.pattern.search(text)
        if found and found.start() > where:
            best, where = concept, found.start()
    return best


def _first_concept(text: str, *, subject: bool) -> Concept | None:
    for concept in CONCEPTS:
        if concept.subject_only and not subject:
            continue
        if concept.pattern.search(text):
            return concept
    return None
