"""Subjects and qualifiers: what a number is about, and the groups the text names for it.

Names come from the release's own lookups (``Lexicon.from_store``: nationalities with demonyms derived from
the lookup's country names, base cities, judges); the phrases for representation, custody, asylum type, case
type, in absentia, criminal charges and prosecutorial discretion name catalog dimensions. Groups the data
cannot isolate (children, women, families, ...) are qualifiers with no dimension, so a claim about them is
"not checkable" naming them, never read on everyone. Every pattern is bounded or word-anchored (linear).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from immcourt.claims.claim import Qualifier
from immcourt.claims.demonyms import ALIASES, DEMONYMS, LANGUAGE_ALIASES, NO_DEMONYM

# --------------------------------------------------------------------------------------------- lexicon


def demonyms(country: str) -> tuple[str, ...]:
    """Lower-case demonyms of a lookup country name (``claims/demonyms.py``; a suffix rule only for a label
    that table does not know, e.g. a country a newer release adds)."""
    if country in DEMONYMS or country in NO_DEMONYM:
        return DEMONYMS.get(country, ())
    name = country.lower()
    if " " in name or "(" in name or len(name) < 4:
        return ()
    if name.endswith("a"):
        return (name + "n",)  # Guatemala → Guatemalan
    if name.endswith("o"):
        return (name[:-1] + "an",)  # Mexico → Mexican
    return ()


def _plural(word: str) -> str:
    return word if word.endswith(("s", "sh", "ch", "ese", "i", "x")) else word + "s"


@dataclass
class Lexicon:
    """Names the release itself knows, lower-case phrase → lookup label, per dimension."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)
    country_names: set[str] = field(default_factory=set)  # lower-case country names (not demonyms)
    # lower-case surname → every judge label with it, for surnames two or more judges share
    shared_surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_labels(cls, labels: dict[str, list[str]]) -> Lexicon:
        names: dict[str, dict[str, str]] = {}
        countries: set[str] = set()
        namesakes: dict[str, list[str]] = {}
        for dimension, values in labels.items():
            table: dict[str, str] = {}
            for label in values:
                if not label or label.startswith("<") or "UNKNOWN" in label:
                    continue
                clean = label.strip()
                if dimension == "nationality":
                    for name in (re.sub(r"\s*\(.*\)", "", clean).lower(), *ALIASES.get(clean, ())):
                        table[name] = clean
                        countries.add(name)
                    for demonym in demonyms(clean):
                        table.setdefault(demonym, clean)
                        table.setdefault(_plural(demonym), clean)
                elif dimension == "judge":
                    table[clean.lower()] = clean
                    words = [
                        w
                        for w in re.sub(r"\(.*?\)", " ", clean).replace(",", " ").split()
                        if w.upper().rstrip(".") not in ("JR", "SR", "II", "III", "IV")
                    ]
                    if words and len(words[-1].rstrip(".")) > 1:
                        table.setdefault("judge " + words[-1].lower(), clean)
                        namesakes.setdefault(words[-1].lower(), []).append(clean)
                elif dimension == "language":
                    table[clean.lower()] = clean
                    for alias in LANGUAGE_ALIASES.get(clean, ()):
                        table.setdefault(alias, clean)
                else:
                    table[clean.lower()] = clean
            names[dimension] = table
        shared = {k: tuple(sorted(set(v))) for k, v in namesakes.items() if len(set(v)) > 1}
        return cls(names, countries, shared)

    @classmethod
    def from_store(cls, store: Any) -> Lexicon:
        """The lookups of the store's release (``Store.dimension_labels``), else the bundled sample ones."""
        getter = getattr(store, "dimension_labels", None)
        if getter is None:
            return bundled_lexicon()
        release = getattr(store, "release", None)
        key = f"{getattr(release, 'path', '')}|{getattr(release, 'id', '')}"
        if key in _BY_RELEASE:
            return _BY_RELEASE[key]
        try:
            dimensions = ("nationality", "court", "judge", "language")
            lexicon = cls.from_labels({d: list(getter(d)) for d in dimensions})
        except Exception:  # noqa: BLE001 - a store without lookups falls back to the bundled ones
            return bundled_lexicon()
        if len(_BY_RELEASE) > 16:
            _BY_RELEASE.clear()
        _BY_RELEASE[key] = lexicon
        return lexicon

    def pattern(self, dimension: str) -> re.Pattern[str] | None:
        if dimension not in self._patterns:
            table = self.names.get(dimension) or {}
            if not table:
                return None
            words = sorted(table, key=len, reverse=True)
            self._patterns[dimension] = re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(w) for w in words)
                + (
                    r")(?!\w)"
                    if dimension == "language"
                    else r")(?!\w)(?!-(?!based\b))"  # "Houston-based judges" names the court
                    if dimension == "court"
                    else r")(?![\w-])"
                ),
                re.I,
            )
        return self._patterns[dimension]


_BY_RELEASE: dict[str, Lexicon] = {}  # one lexicon per release: compiling the name patterns costs ~50 ms


@cache
def bundled_lexicon() -> Lexicon:
    """Names from the lookups bundled with the sample generator (the 2025 layout of a real release)."""
    import csv
    import io

    # Read beside this package, not through immcourt.sample (whose import pulls in the generator).
    lookups = Path(__file__).resolve().parents[1] / "sample" / "data" / "lookups"

    def column(table: str, name: str) -> list[str]:
        text = (lookups / f"{table}.csv").read_bytes().decode("cp1252")
        return [row[name] for row in csv.DictReader(io.StringIO(text), delimiter="\t")]

    return Lexicon.from_labels(
        {
            "nationality": column("tblLookupNationality", "NAT_NAME"),
            "court": column("tblLookupBaseCity", "BASE_CITY"),
            "judge": column("tblLookupJudge", "JUDGE_NAME"),
            "language": column("tblLanguage", "strDescription"),
        }
    )


# --------------------------------------------------------------------------------------------- phrases

_W = r"[ \t-]{1,3}"
# (key, pattern, dimension, value): the first match of a key wins. A None dimension means the data cannot
# isolate the group; criminal_charge and prosecutorial_discretion exist only once the catalog declares them.
_PHRASES: list[tuple[str, re.Pattern[str], str | None, object]] = [
    (
        "aggravated_felony",
        re.compile(rf"\b(?:without|no|not{_W}charged{_W}with){_W}(?:an{_W})?aggravated{_W}felon", re.I),
        "aggravated_felony",
        False,
    ),
    (
        "aggravated_felony",
        re.compile(rf"\baggravated{_W}felon(?:y|ies|s)?\b", re.I),
        "aggravated_felony",
        True,
    ),
    (
        "criminal_charge",
        re.compile(
            rf"\b(?:(?:don[’']?t|do{_W}not|didn[’']?t|did{_W}not){_W}have{_W}(?:a{_W})?criminal{_W}(?:record"
            rf"s?|histor(?:y|ies)|convictions?)"
            rf"|(?:without|no|with{_W}no){_W}(?:a{_W}|any{_W})?(?:criminal{_W}(?:records?|charges?|histor(?:y|ies)|"
            rf"convictions?)|charges|convictions)"
            rf"|non{_W}?criminals?|not{_W}charged{_W}with{_W}(?:a{_W})?crimes?)\b",
            re.I,
        ),
        "criminal_charge",
        False,
    ),
    (
        "criminal_charge",
        re.compile(
            rf"\b(?:with{_W}(?:a{_W})?criminal{_W}(?:records?|charges?|histor(?:y|ies)|convictions?)|"
            rf"(?:facing|faced|face|charged{_W}with){_W}(?:a{_W}|an{_W})?(?:criminal{_W})?(?:charges?|crimes?)|"
            rf"criminal{_W}(?:aliens?|immigrants?|migrants?|noncitizens?))\b",
            re.I,
        ),
        "criminal_charge",
        True,
    ),
    (
        "prosecutorial_discretion",
        re.compile(
            rf"\b(?:by|through|under|using){_W}prosecutorial{_W}discretion\b|"
            rf"\bprosecutorial{_W}discretion{_W}(?:closures?|dismissals?)\b",
            re.I,
        ),
        "prosecutorial_discretion",
        True,
    ),
    (
        "represented",
        re.compile(
            rf"\b(?:without{_W}(?:a{_W}|an{_W}|any{_W}|legal{_W})?(?:lawyers?|attorneys?|counsel|"
            rf"representation|representatives?)"
            rf"|unrepresented|no{_W}(?:lawyer|attorney|counsel|representation)|pro{_W}se"
            # "who never had a lawyer", "never hired an attorney", "had never been represented"
            rf"|never{_W}(?:(?:had|hired|got|retained|found|obtained|found){_W}(?:a{_W}|an{_W}|any{_W})?"
            rf"(?:lawyers?|attorneys?|counsel|representation|representatives?)|(?:been{_W})?represented)"
            rf"|(?:who|that){_W}(?:were|was|are|is|had{_W}been){_W}not{_W}represented"
            rf"|(?:who|that){_W}(?:weren|wasn|aren|isn)[’']t{_W}represented"
            rf"|(?:who|that){_W}(?:did{_W}not|didn[’']t|do{_W}not|don[’']t){_W}have{_W}(?:a{_W}|an{_W}|any{_W})?"
            rf"(?:lawyers?|attorneys?|counsel|representation|representatives?)"
            rf"|(?:appeared|appear|went|faced{_W}(?:the|a){_W}judge){_W}alone"
            rf"|represent(?:ed|ing)?{_W}themselves"
            rf"|lack(?:ed|ing|s)?{_W}(?:a{_W}|an{_W}|any{_W}|legal{_W})?(?:lawyers?|attorneys?|counsel|"
            rf"representation)"
            # "w/o a lawyer": the abbreviation of "without"
            rf"|w/o[ \t]{{0,3}}(?:a{_W}|an{_W}|any{_W})?(?:lawyers?|attorneys?|counsel))\b",
            re.I,
        ),
        "represented",
        False,
    ),
    (
        "represented",
        re.compile(
            rf"\b(?:with{_W}(?:a{_W}|an{_W}|legal{_W})?(?:lawyers?|attorneys?|counsel|"
            rf"(?:legal{_W})?representation)"
            # "w/ a lawyer" (the abbreviation of "with"), "who hired counsel"
            rf"|w/(?!o)[ \t]{{0,3}}(?:a{_W}|an{_W})?(?:lawyers?|attorneys?|counsel)"
            rf"|(?:hired|retained){_W}(?:a{_W}|an{_W}|legal{_W})?(?:lawyers?|attorneys?|counsel)"
            rf"|(?:had|have|has){_W}(?:a{_W}|an{_W})?(?:lawyers?|attorneys?)"
            rf"|represented{_W}by|had{_W}(?:legal{_W})?representation"
            rf"|(?:who|that){_W}(?:were|was|are|is|had{_W}been){_W}represented(?![ \t]{{1,3}}in\b)"
            # "represented Mexican nationals", "represented adult asylum seekers": any adjectives between
            rf"|(?<!un)represented{_W}(?:(?!(?:a|an|the|of|in|at|by|for|to|on|about|nearly|almost|only|just|"
            rf"roughly|some|more|less|over|under|one|two|three|half|third|quarter|fifth|tenth)\b)"
            rf"[a-z][\w'’-]{{1,20}}{_W}){{0,3}}(?:immigrants|migrants|asylum|respondents|people|cases|applicants|"
            rf"detainees|children|families|noncitizens|non-citizens|nationals|citizens|individuals|persons|"
            rf"defendants|seekers|clients|adults|men|women"
            rf"|[a-z]{{3,20}}(?:ans|ese|is)))\b",
            re.I,
        ),
        "represented",
        True,
    ),
    (
        "custody",
        re.compile(
            rf"\b(?:never{_W}(?:been{_W})?|(?:none|not{_W}one|no{_W}one){_W}of{_W}(?:whom|them){_W}"
            rf"(?:had{_W}(?:ever{_W})?been|was|were|had{_W}ever{_W}been){_W})"
            rf"(?:detained|locked{_W}up|jailed|(?:held{_W})?in{_W}(?:detention|custody))\b",
            re.I,
        ),
        "custody",
        "Never Detained",
    ),
    (
        # "released from custody", "released on bond": the custody label Released
        "custody",
        re.compile(
            rf"\breleased{_W}(?:from{_W}(?:ICE{_W})?(?:custody|detention)(?:{_W}on{_W}(?:bond|parole))?"
            rf"|on{_W}(?:bond|parole))(?:{_W}or{_W}(?:on{_W})?(?:bond|parole))?\b"
            # "free on bond", "out on parole", "asylum seekers who had been released", "released detainees"
            rf"|\b(?:free|freed|out){_W}on{_W}(?:bond|parole|(?:their{_W}own{_W})?recognizance)\b"
            rf"|\b(?:who|that){_W}(?:had{_W}been|have{_W}been|has{_W}been|were|was|had|got|are|is){_W}"
            rf"(?:later{_W}|since{_W}|then{_W}|eventually{_W})?released\b"
            rf"|\breleased{_W}(?:immigrants|migrants|detainees|respondents|people|asylum{_W}seekers)\b"
            # "Released Hondurans", "released Chinese applicants": released before a nationality's people
            rf"|\breleased{_W}(?-i:[A-Z])[a-z]{{2,20}}(?:s|ese)\b",
            re.I,
        ),
        "custody",
        "Released",
    ),
    (
        # "who were not detained", "weren't detained": never detained or released
        "custody",
        re.compile(
            rf"\b(?:not{_W}(?:been{_W})?(?:detained|locked{_W}up)|(?:weren|wasn|aren|isn)[’']t{_W}"
            rf"(?:detained|locked{_W}up))\b",
            re.I,
        ),
        "custody",
        ("Never Detained", "Released"),
    ),
    (
        "custody",
        re.compile(
            rf"\bnon{_W}?detained\b|\b(?:out{_W}of|not{_W}in){_W}(?:ICE{_W}|immigration{_W})?(?:custody|detention)\b",
            re.I,
        ),
        "custody",
        ("Never Detained", "Released"),
    ),
    (
        "custody",
        re.compile(
            rf"(?<!non-)(?<!non )\b(?:detained|detainees?|in{_W}detention|held{_W}in{_W}(?:detention|"
            rf"custody)|locked{_W}up|jailed|behind{_W}bars|imprisoned|incarcerated|"
            # "held in immigration jails", "in ICE custody", "in immigration detention"
            rf"held{_W}(?:in|at){_W}(?:(?:an?|the){_W})?(?:ICE{_W}|immigration{_W}|federal{_W})?(?:jails?|"
            rf"prisons?|detention{_W}(?:centers?|facilities))|"
            rf"(?:in|under){_W}(?:ICE|immigration|federal){_W}(?:custody|detention)|"
            rf"in{_W}custody)\b",
            re.I,
        ),
        "custody",
        "Detained",
    ),
    (
        # "asylum seekers whose claims were ultimately denied": the asylum decision of the group's cases
        "asylum_decision",
        re.compile(
            rf"\bwhose{_W}(?:asylum{_W})?(?:claims?|applications?|cases?|requests?){_W}(?:were|was|had{_W}been)"
            rf"{_W}(?:(?:ultimately|eventually|finally|later){_W})?(?:denied|rejected|turned{_W}down)\b",
            re.I,
        ),
        "asylum_decision",
        "denied",
    ),
    (
        "asylum_decision",
        re.compile(
            rf"\bwhose{_W}(?:asylum{_W})?(?:claims?|applications?|cases?|requests?){_W}(?:were|was|had{_W}been)"
            rf"{_W}(?:(?:ultimately|eventually|finally|later){_W})?(?:granted|approved)\b",
            re.I,
        ),
        "asylum_decision",
        "granted",
    ),
    ("asylum_type", re.compile(r"\baffirmative(?:ly)?\b", re.I), "asylum_type", "affirmative"),
    ("asylum_type", re.compile(r"\bdefensive(?:ly)?\b", re.I), "asylum_type", "defensive"),
    ("case_type", re.compile(rf"\bcredible{_W}fear\b", re.I), "case_type", "CFR"),
    ("case_type", re.compile(rf"\breasonable{_W}fear\b", re.I), "case_type", "RFR"),
    ("case_type", re.compile(rf"\bwithholding{_W}only\b", re.I), "case_type", "WHO"),
    ("case_type", re.compile(rf"\basylum{_W}only{_W}cases?\b", re.I), "case_type", "AOC"),
    # "removal cases" and "in removal proceedings" name the case type RMV (people in credible fear or
    # reasonable fear reviews are in court but not in removal proceedings)
    (
        "case_type",
        re.compile(
            rf"\b(?:(?:removal|deportation){_W}cases?"
            rf"|(?<!placed[ \t])(?<!put[ \t])(?:in|facing){_W}(?:removal|deportation){_W}proceedings"
            # "asylum seekers facing deportation": in removal proceedings (never a removal order)
            rf"|facing{_W}(?:removal|deportation)(?!{_W}(?:orders?|flights?)))\b",
            re.I,
        ),
        "case_type",
        "RMV",
    ),
    ("in_absentia", re.compile(rf"\bin{_W}absentia\b", re.I), "in_absentia", True),
    (
        # "who never appeared for their hearing", "who failed to appear", "no-shows": ordered in absentia
        "in_absentia",
        re.compile(
            rf"\b(?:never{_W}(?:appeared|showed{_W}up)|failed{_W}to{_W}(?:appear|show{_W}up)|"
            rf"(?:did{_W}not|didn[’']t){_W}(?:appear|show{_W}up)|no-shows?|"
            rf"(?:missed|skipped){_W}(?:their|a|his|her){_W}(?:court{_W})?(?:hearings?|court{_W}dates?))\b",
            re.I,
        ),
        "in_absentia",
        True,
    ),
    (
        "outcome",
        re.compile(
            rf"\b(?:whose{_W}(?:cases?|proceedings){_W}|(?:cases{_W})?(?:that|which){_W})(?:ended|closed|concluded)"
            rf"{_W}(?:in|with){_W}(?:a{_W})?(?:voluntary{_W}departure|grant{_W}of{_W}voluntary{_W}departure)\b",
            re.I,
        ),
        "outcome",
        "voluntary_departure",
    ),
    (
        "outcome",
        re.compile(
            rf"\b(?:whose{_W}(?:cases?|proceedings){_W}|(?:cases{_W})?(?:that|which){_W})(?:ended|closed|concluded)"
            rf"{_W}(?:in|with){_W}(?:an?{_W})?(?:asylum{_W}(?:granted|grants?)|grants?{_W}of{_W}asylum)\b",
            re.I,
        ),
        "outcome",
        "asylum_granted",
    ),
    (
        # "whose cases ended in a removal order", "who were ordered removed": the outcome of the group's cases
        "outcome",
        re.compile(
            rf"\b(?:whose{_W}(?:cases?|proceedings){_W}(?:ended|closed|concluded){_W}(?:in|with){_W}"
            rf"(?:an?{_W})?(?:removal|deportation){_W}orders?"
            # "Among Cubans ordered removed in FY2023, 58 percent ...": a leading group given an outcome
            rf"|^(?:of|among){_W}(?:the{_W}|those{_W})?(?:[\w-]{{2,20}}{_W}){{0,2}}?(?:who{_W}(?:were{_W})?)?"
            rf"(?:ordered{_W}(?:removed|deported)|deported)(?=[^,;]{{0,40}},))\b",
            re.I,
        ),
        "outcome",
        "removal_order",
    ),
    (
        "juvenile",
        re.compile(
            r"\b(?:unaccompanied|juveniles?|children|child|minors?|kids|teenagers?|teens?|teenage|adolescents?|"
            r"infants?|"
            r"toddlers?|babies)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        "age",
        re.compile(
            r"\b(?:elderly|seniors?|older[ \t]adults|young[ \t]adults|aged[ \t]{1,2}(?:over|under|\d{1,3})|"
            r"ages[ \t]{1,2}\d|under[ \t]the[ \t]age|over[ \t]the[ \t]age|older[ \t]than|younger[ \t]than|"
            r"\d{1,2}[ \t]?(?:to|-|–)[ \t]?\d{1,2}[ \t-]year[ \t-]olds|over[ \t-]\d{2}s?)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        "gender",
        re.compile(r"\b(?:women|woman|men|mothers?|fathers?|girls?|boys?|female|male)\b", re.I),
        None,
        None,
    ),
    ("family", re.compile(rf"\b(?:famil(?:y|ies)|family{_W}units?)\b", re.I), None, None),
    ("LGBTQ", re.compile(r"\b(?:LGBTQ?\+?|gay|lesbian|transgender)\b", re.I), None, None),
    (
        "persecution",
        re.compile(
            r"\b(?:survivors?|victims?)[ \t]{1,3}of\b"
            r"|\b[\w-]{3,20}[ \t-]{1,3}(?:violence|abuse|trafficking)[ \t-]{1,3}(?:survivors?|victims?)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        "ethnicity",
        re.compile(
            r"\b(?:indigenous(?![ \t-]{1,3}languages?)|mayan?|garifuna|quechua|afro-[a-z]+|ethnic)\b", re.I
        ),
        None,
        None,
    ),
    (
        # "The center, at 2201 Ridge Road, houses a courtroom where ...": a facility's court, not a city's
        "detention facility",
        re.compile(
            r"\b(?:the|a|this)[ \t]{1,2}(?:detention[ \t]{1,2})?(?:center|facility)\b[^.;]{0,60}?"
            r"\bcourtrooms?\b",
            re.I,
        ),
        None,
        None,
    ),
    ("veterans", re.compile(rf"\b(?:(?:military{_W})?veterans|service{_W}members)\b", re.I), None, None),
    (
        # "judges appointed during the first Trump administration", "Trump-appointed judges": the
        # administration names the judges, not a period; no dimension groups judges by who appointed them
        "appointing_administration",
        re.compile(
            rf"\b(?i:judges?){_W}(?i:who{_W}(?:were|was){_W})?(?i:appointed|hired|named){_W}(?i:by|during|under|in)\b"
            rf"|\b[A-Z][a-z]{{2,15}}{_W}?(?:-|[ \t])appointed{_W}judges?\b"
            # "Obama appointees", "Trump-era appointees to the bench": judges named by who appointed them
            rf"|\b(?i:appointees)\b"
        ),
        None,
        None,
    ),
    (
        "first-time",
        re.compile(rf"(?<!the[ \t])(?<!a[ \t])\bfirst{_W}time\b(?![ \t]{{1,3}}(?:since|in|ever))", re.I),
        None,
        None,
    ),
    (
        "religion",
        re.compile(
            r"\b(?:christians?|muslims?|jews|jewish|buddhists?|hindus?|sikhs?|religious[ \t]{1,3}"
            r"(?:minorit(?:y|ies)|groups?|refugees|persecution|believers))\b",
            re.I,
        ),
        None,
        None,
    ),
    ("language", re.compile(rf"\bindigenous{_W}languages?\b", re.I), None, None),
    (
        "region",
        re.compile(
            rf"\b(?:central{_W}americ(?:a|ans?)|latin{_W}americ(?:a|ans?)|south{_W}americ(?:a|ans?)|"
            rf"(?<!south[ -])africa(?:ns?)?|asia(?:ns?)?|europe(?:ans?)?|"
            rf"caribbean|northern{_W}triangle|middle{_W}east(?:ern)?)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        # a state named by a nickname ("the Pelican State's courts", "the Granite State"): a U.S. state,
        # which no catalog dimension groups courts by
        "U.S. state",
        re.compile(r"\b(?i:the)[ \t]{1,2}(?:[A-Z][a-z]{2,15}[ \t]){1,2}State\b(?![ \t]{1,2}[A-Z])"),
        None,
        None,
    ),
    (
        # regions of the United States: no catalog dimension groups courts by region
        "us_region",
        re.compile(
            rf"\b(?:the{_W})?(?:Southwest|Southeast|Northeast|Northwest|Midwest|Sun{_W}Belt|Gulf{_W}Coast|"
            rf"West{_W}Coast|East{_W}Coast|Deep{_W}South)\b(?![ \t-]{{1,2}}[Bb]order)"
            # "southern border courts", "Northern-border courts": courts grouped by a border region
            rf"|\b(?i:(?:south(?:west|east)?(?:ern)?|north(?:ern)?){_W}border){_W}(?i:courts?|judges?)\b"
        ),
        None,
        None,
    ),
    (
        "manner of entry",
        re.compile(
            rf"\b(?:without{_W}inspection|EWIs?|(?:crossed|entered|came){_W}(?:between{_W}(?:the{_W})?ports{_W}of"
            rf"{_W}entry|illegally|unlawfully|without{_W}papers))\b"
        ),
        None,
        None,
    ),
    (
        # groups by how or where their hearings are held: no dimension records video or remote hearings
        "video hearings",
        re.compile(
            rf"\b(?:by|via|over|through){_W}video(?:conference|{_W}link|{_W}?teleconference)?\b"
            rf"|\bvideo{_W}(?:hearings?|conferenc\w*|teleconferenc\w*)\b|\b(?:remote|virtual){_W}hearings?\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        "mental health",
        re.compile(
            rf"\bmental(?:ly)?{_W}(?:ill(?:ness(?:es)?)?|health|disabilit\w*|competen\w*|disorders?)\b"
            rf"|\b(?:incompetent|psychiatric)\b",
            re.I,
        ),
        None,
        None,
    ),
    ("DACA", re.compile(rf"\b(?:DACA|Dreamers|deferred{_W}action)\b"), None, None),
    # Groups and case kinds no catalog dimension records (tester findings F28-F42): each makes a claim about
    # them "not checkable" naming them, never a verdict on everyone.
    (
        "arrival date",
        re.compile(
            rf"\b(?:recently|newly|just){_W}arrived\b|\brecent{_W}(?:arrivals?|arrivees|border{_W}crossers|"
            rf"entrants)\b|\b(?:arrived|came|entered){_W}(?:recently|in{_W}the{_W}(?:past|last))\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        "time in the U.S.",
        re.compile(
            rf"\b(?:been|lived|living|resided|residing|stayed){_W}in{_W}the{_W}(?:country|U\.?S\.?|United{_W}"
            rf"States){_W}for\b|\blong[ \t-]?(?:time|term){_W}residents\b",
            re.I,
        ),
        None,
        None,
    ),
    ("reopened", re.compile(rf"\b(?:re-?opened|re-?opening|motions?{_W}to{_W}reopen)\b", re.I), None, None),
    (
        "transferred",
        re.compile(rf"\b(?:transferred|transfers?{_W}(?:from|to|between)|change{_W}of{_W}venue)\b", re.I),
        None,
        None,
    ),
    (
        # bond hearings are not case completions; being granted bond is not a custody label of the data
        "bond",
        re.compile(
            rf"\bbond{_W}(?:hearings?|redeterminations?|decisions?|rulings?)\b|\b(?:granted|denied|given|"
            rf"posted|paid|set){_W}(?:a{_W})?bond\b",
            re.I,
        ),
        None,
        None,
    ),
    ("expedited removal", re.compile(rf"\bexpedited{_W}removal\b", re.I), None, None),
    (
        # "Of cases filed in fiscal 2023, judges completed ...", "cases filed after 2020": a filing cohort,
        # which no catalog statistic of completions takes
        "filing cohort",
        re.compile(
            rf"(?:^[ \t]*|[,;:—][ \t]{{0,2}})(?:of|among){_W}(?:the{_W})?(?:cases|those|proceedings){_W}"
            rf"(?:that{_W}were{_W})?(?:filed|opened|started|begun|received|brought)\b"
            rf"|\bcases{_W}(?:that{_W}were{_W})?(?:filed|opened|started|begun|brought){_W}(?:after|before|since|"
            rf"prior{_W}to)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        # the relief an applicant seeks other than asylum: no dimension records the application type
        "relief sought",
        re.compile(
            rf"\b(?:seeking|sought|applied{_W}for|applying{_W}for|requested|requesting){_W}(?:(?:a|an|for)"
            rf"{_W})?(?:cancellation{_W}of{_W}removal|adjustment{_W}of{_W}status|withholding|"
            rf"(?:protection{_W}under{_W}the{_W})?convention{_W}against{_W}torture|u{_W}visas?|t{_W}visas?)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        # "fleeing gang violence", "escaping persecution": the ground of a claim is not in the data
        "persecution ground",
        re.compile(
            rf"\b(?:fleeing|fled|escaping|escaped|running{_W}from)(?:{_W}[\w'’-]{{1,20}}){{0,3}}{_W}"
            rf"(?:violence|persecution|gangs?|cartels?|war|wars|conflict|abuse|torture|threats|extortion|"
            rf"repression|discrimination|poverty|hunger|famine|disasters?|climate\w*)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        "residence",
        re.compile(
            rf"\b(?i:settled|lives?|lived|living|resides?|resided|residing|moved|relocated){_W}(?:(?i:to|in))"
            rf"{_W}(?:the{_W})?[A-Z][\w.’'-]*(?:[ \t][A-Z][\w.’'-]*){{0,2}}"
        ),
        None,
        None,
    ),
    (
        # "the detention court in El Paso": the lookup names one court per city, not its detention court
        "detention court",
        re.compile(rf"\bdetention{_W}(?:courts?|dockets?|courtrooms?)\b", re.I),
        None,
        None,
    ),
    (
        # "restaurant workers", "farmworkers", "students": occupations are not recorded
        "occupation",
        re.compile(
            r"\b(?:[a-z]{3,20}[ \t-]{1,2})?(?:workers|laborers|labourers|farmworkers|students|journalists|"
            r"activists|doctors|nurses|engineers|teachers|soldiers|police[ \t]officers|entrepreneurs|"
            r"clergy)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        # judges grouped by their earlier jobs: no dimension records a judge's career
        "judge background",
        re.compile(
            rf"\b(?:(?i:judges?){_W}(?i:who){_W}(?i:(?:had{_W})?(?:previously|once|formerly){_W})?"
            rf"(?i:worked|served|were|was){_W}(?i:as|for|at){_W}"
            rf"|(?i:former){_W}(?:ICE|DHS|(?i:government|military|defense)){_W}(?i:prosecutors?|attorneys?|lawyers?)"
            rf"|(?i:former){_W}(?i:prosecutors?))",
        ),
        None,
        None,
    ),
    (
        # judges grouped by years on the bench: no judge roster with appointment dates in the data
        "judge tenure",
        re.compile(
            rf"\b(?:(?:years?|decades?){_W}on{_W}the{_W}bench|(?:newly|recently){_W}(?:appointed|hired|sworn)"
            rf"|(?:longest|long)[ \t-]serving|veteran{_W}judges|newer{_W}judges|(?:most|more|less){_W}"
            rf"experienced{_W}judges|rookie{_W}judges)\b",
            re.I,
        ),
        None,
        None,
    ),
    (
        # "not counting those who left voluntarily": the statistic's outcomes include voluntary departure
        "excludes_voluntary_departure",
        re.compile(
            rf"\b(?:not{_W}counting|excluding|except(?:{_W}for)?|other{_W}than|leaving{_W}out|without{_W}"
            rf"counting)[^.;]{{0,40}}?(?:voluntar(?:y|ily)|left{_W}on{_W}their{_W}own)",
            re.I,
        ),
        None,
        None,
    ),
    (
        "judge",
        re.compile(
            rf"\b(?:(?i:one|a|an|single|certain|some|another)(?:{_W}[A-Z][\w.'’-]{{1,20}}){{0,3}}{_W}"
            rf"(?:(?i:immigration){_W})?(?i:judge)\b(?![’']s[ \t]{{1,3}}(?:court|bench))"
            rf"(?![ \t]{{1,3}}(?i:decided|ruled|heard|reviewed)\b)"  # "claims a judge decided": the agent
            rf"|(?i:two|three|four|five|six|several|a{_W}few|a{_W}handful{_W}of|individual|\d{{1,2}})"
            rf"(?:{_W}[A-Z][\w.'’-]{{1,20}}){{0,3}}{_W}(?:(?i:immigration){_W})?(?i:judges)\b"
            rf"(?![ \t]{{1,3}}(?i:on)[ \t]{{1,3}}(?i:staff|the[ \t]bench|hand)))"
        ),
        None,
        None,
    ),
]
# U.S. states (no catalog dimension groups courts by state yet). New York and Georgia are left out: a court
# and a nationality of the release's lookups carry those names.
_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|Illinois|"
    "Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    "Missouri|"
    "Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|"
    "West Virginia|Wisconsin|Wyoming"
)
_STATE = re.compile(
    rf"\b(?:in|across|throughout|of)[ \t]{{1,3}}(?:the[ \t]state[ \t]of[ \t])?(?P<state>{_STATES})\b"
    rf"(?![ \t-]born)"
)
# Any state named in the sentence ("Texas immigration courts", "California's judges"), unless it only gives
# the state of a court the release names ("Dallas, Texas").
_ANY_STATE = re.compile(rf"\b(?P<state>{_STATES})\b(?![ \t-]born)")
_COVERS = re.compile(
    r"(?i)\b(?:covers|covering|serves|serving|based[ \t]in|located[ \t]in|headquartered[ \t]in|"
    r"jurisdiction[ \t]over)[ \t]{1,3}(?:all[ \t]of[ \t]|the[ \t]state[ \t]of[ \t])?$"
)
_CITY_COMMA = re.compile(r"(?P<city>[A-Z][a-z]{2,20}(?:[ \t][A-Z][a-z]{2,20})?),[ \t]{0,2}$")
# Georgia is a nationality in the lookups; "in Georgia", "Georgia's" and "the state of Georgia" are the state.
_GEORGIA_STATE = re.compile(
    r"\b(?:(?:in|across|throughout)[ \t]{1,3}Georgia\b(?![ \t-]born)|Georgia[’']s\b"
    r"|state[ \t]{1,3}of[ \t]{1,3}Georgia\b)"
)
# "the Otay Mesa court", "the Stewart detention center": a court or facility the lookups do not name.
_PLACE_COURT = re.compile(
    r"\b(?P<place>(?:[A-Z][a-z]{2,20}[ \t]{1,2}){1,3})(?:[Ii]mmigration[ \t]{1,2})?(?:[Cc]ourt|[Cc]ourthouse|"
    r"(?:[Dd]etention[ \t]{1,2}|[Pp]rocessing[ \t]{1,2}|[Ss]ervice[ \t]{1,2}[Pp]rocessing[ \t]{1,2})"
    r"(?:[Cc]enter|[Ff]acility)|[Ff]acility|[Cc]orrectional[ \t]{1,2}[Cc]enter)\b"
)
_FACILITY = re.compile(
    r"\b(?:[A-Z][a-z]{2,20}[ \t]{1,2}){1,3}(?:[Dd]etention|(?:[Ss]ervice[ \t]{1,2})?[Pp]rocessing)[ \t]{1,2}"
    r"(?:[Cc]enter|[Ff]acility|[Cc]ourt|[Aa]nnex|[Cc]omplex|[Uu]nit)\b"
    # "detainees at the Krome center", "held in the Stewart facility": a named center people are held at
    r"|(?<=\b(?:at|in)[ \t]the[ \t])(?:[A-Z][a-z]{2,20}[ \t]{1,2}){1,2}(?:center|facility)\b"
)
_NOT_A_PLACE = frozenset(
    "the a an supreme federal district circuit appeals appellate high state county immigration family "
    "juvenile criminal superior tax bankruptcy municipal city local national regional one each every "
    "this that their his her our new old main central special trial its board".split()
)
_PER_JUDGE = re.compile(
    r"\b(?:per|each|every|a|(?:the|an)[ \t]{1,3}(?:average|typical))[ \t]{1,3}"
    r"(?:immigration[ \t]{1,3})?judge\b"
    r"(?![ \t]{1,3}(?:decided|ruled|heard|reviewed)\b)"  # "claims a judge decided": the agent, no group
    # "the judges each carried ... on average": a per-judge figure stated with "each" after the judges
    r"|\bjudges[ \t]{1,3}each\b",
    re.I,
)
_JUDGE = re.compile(
    r"\b[Jj]udge[ \t]{1,3}(?P<name>(?:[A-Z][\w.'’-]{0,20}[ \t]{1,2}){0,3}[A-Z][\w'’-]{1,25}?)"
    r"(?:[’']s)?(?![\w'’-])"
)


# "At the Eloy court, where every respondent is detained,", "Room 1204 ... is where the detained docket is
# heard": a clause describing a place, not the counted group (the holdout conventions: not a filter)
_PLACE_REMARK = re.compile(
    r"(?i)(?:\b(?:court|courthouse|center|facility|city|town|county|building|plaza|office|docket|room|floor)"
    r"[ \t]{0,2},[ \t]{1,2}(?:where|which[ \t]{1,2}(?:sits|is|lies|stands|houses|holds)"
    # "The Houston court, one of the busiest in Texas, completed ...": an appositive about the place
    r"|(?:one|among)[ \t]{1,2}(?:of[ \t]{1,2})?the[ \t]{1,2}(?:busiest|largest|biggest|smallest|slowest|"
    r"fastest|oldest|newest|most|least))\b"
    r"|\bis[ \t]{1,2}where\b)[^,;:.]{0,100}"
)


def _blank_remark(match: re.Match[str]) -> str:
    """The place noun stays ("the Eloy court"); the remark after it becomes spaces (offsets kept)."""
    words = match.group(0)
    keep = words.split(",")[0] if "," in words else ""
    return keep + " " * (len(words) - len(keep))


# "Judges completed 232,000 cases — a total the agency blamed on ... video hearings — during fiscal 2020": a
# closed dash aside is a remark, not a group (the number is cut out of the text before it gets here)
_DASH_ASIDE = re.compile(
    r"[ \t][—–][ \t](?:[^—–\d]){10,240}?[ \t][—–](?=[ \t])"
    # "Closures hit 29,000 in Houston — and that was with six judges short.": a closing remark
    r"|[ \t][—–][ \t](?=(?:and|but|which|that|as|even|despite|though|although|a|an)[ \t])"
    r"(?![^—–\d\n]{0,240}\b(?:people|immigrants|migrants|applicants|respondents|seekers|those|who|whose)\b)"
    # "— that was the figure for represented Iranians": a remark saying whom the figure is for names a group
    r"(?![^—–\d\n]{0,240}\b(?:figure|rate|number|share|percentage|count|total)"
    r"[ \t]{1,2}(?:was[ \t]{1,2})?for\b)"
    r"[^—–\d\n]{5,240}$"
)
# "Respondents in the Elizabeth court, nearly all of them detained, were ...": a remark about the group
_GROUP_REMARK = re.compile(
    r"(?i),[ \t]{1,2}(?:(?:nearly|almost|virtually|practically)[ \t]{1,2})?(?:all|most|many|some|few|half|"
    r"a[ \t]majority|a[ \t]third|a[ \t]quarter)[ \t]{1,2}of[ \t]{1,2}(?:them|whom)"
    r"[ \t]{1,2}[^,;.]{1,40},"
)


# "never detained", "not one of whom had been detained": a Detained match inside these is not the group
_NEVER_DETAINED = re.compile(
    r"(?i)\b(?:never|of[ \t]{1,3}(?:whom|them))[ \t-]{1,3}(?:(?:had[ \t]{1,3})?(?:ever[ \t]{1,3})?"
    r"been[ \t-]{1,3}|was[ \t]{1,3}|were[ \t]{1,3})?(?:detained|locked|jailed|held|in[ \t]{1,3}"
    r"(?:custody|detention))"
)


_ALL_BUT = re.compile(
    r"(?i)\b(?:other[ \t]than|except(?:[ \t]for)?|excluding|besides|apart[ \t]from|not[ \t]from"
    r"|outside[ \t]of)[ \t]{1,2}(?:the[ \t]{1,2})?$|\bnon-$"
)


_DOCKET_IN = re.compile(
    r"\b(?i:docket|dockets|court|courts|judges|cases|backlog)[ \t]{1,2}(?:in|at)[ \t]{1,2}"
    r"(?P<place>[A-Z][a-z]{2,20}(?:[ \t][A-Z][a-z]{2,20})?)\b"
)
# Capitalised words after "in" that are no place of a court: months, fiscal words, programs
_NOT_A_PLACE_WORDS = frozenset(
    "january february march april may june july august september october november december fiscal fy "
    "calendar congress spanish english the a an".split()
)


def find_qualifiers(text: str, lexicon: Lexicon, *, skip: tuple[str, ...] = ()) -> list[Qualifier]:
    """The groups ``text`` names: each with the dimension and value that isolate it, or no dimension.

    A clause that describes a place ("the Eloy court, where every respondent is detained") or remarks on
    the group ("nearly all of them detained") is left out."""
    text = _PLACE_REMARK.sub(_blank_remark, text)
    text = _DASH_ASIDE.sub(lambda m: " " * len(m.group(0)), text)
    text = _GROUP_REMARK.sub(lambda m: " " * len(m.group(0)), text)
    found: list[Qualifier] = []
    seen: set[str] = set()
    court_start = -1
    for key, pattern, dimension, value in _PHRASES:
        if key in seen or key in skip:
            continue
        match = pattern.search(text)
        if match:
            if key == "custody" and _NEVER_DETAINED.search(text) and value == "Detained":
                continue
            found.append(Qualifier(key, match.group(0), dimension, value))
            seen.add(key)
    for dimension in ("language", "nationality", "court"):
        if dimension in skip or (dimension == "language" and "language" in seen):
            continue
        pattern = lexicon.pattern(dimension)
        if pattern is None:
            continue
        labels: list[str] = []
        words: list[str] = []
        starts: list[int] = []
        for match in pattern.finditer(text):
            if dimension == "court" and not _court_context(text, match):
                continue
            if dimension == "nationality" and not _nationality_context(text, match, lexicon):
                continue
            if dimension == "nationality" and _ALL_BUT.search(
                text[max(0, match.start() - 24) : match.start()]
            ):
                # "respondents other than Mexicans": everyone but that nationality, which no filter isolates
                found.append(Qualifier("all but a nationality", f"all but {match.group(0)}", None, None))
                continue
            if dimension == "nationality" and any(
                q.key == "language" and match.group(0).lower() in q.text.lower() for q in found
            ):
                continue  # "Spanish speakers": the language, not Spain
            if dimension == "language" and not _language_context(text, match):
                continue
            label = lexicon.names[dimension][match.group(0).lower()]
            if label not in labels:
                labels.append(label)
                words.append(match.group(0))
                starts.append(match.start())
        if dimension == "court" and labels:
            court_start = starts[0]
        if labels:
            value: object = labels[0] if len(labels) == 1 else tuple(labels)
            found.append(Qualifier(dimension, " and ".join(words), dimension, value))
    if "per_judge" not in skip and (per := _PER_JUDGE.search(text)):
        found.append(Qualifier("per_judge", per.group(0)))
    if "state" not in skip and (state := _state_named(text, lexicon)):
        named = state.group("state") if "state" in state.groupdict() else "Georgia"
        found.append(Qualifier("state", named, None, None))
        found[:] = [q for q in found if not (q.key == "nationality" and q.value == "GEORGIA")]
    facility = _FACILITY.search(text) if "court" not in skip else None
    if facility is not None and not facility.group(0).lower().endswith("court"):
        place = " ".join(w for w in facility.group(0).split()[:-2] if w.lower() not in _NOT_A_PLACE)
        if place.lower() in (lexicon.names.get("court") or {}):
            facility = None  # "the Adelanto detention center": a court the release names
    if facility is not None:
        # "the Krome detention center in Miami", "the Houston detention court": one of the courts of a city
        # the release's lookup does not tell apart by name; never the whole city's court
        found[:] = [q for q in found if q.key != "court"]
        place = re.sub(r"^The[ \t]{1,2}", "", facility.group(0).strip())
        key = "court" if place.lower().endswith("court") else "detention facility"
        found.append(Qualifier(key, place, None, None))
    if "court" not in skip and not any(q.key in ("court", "detention facility") for q in found):
        for match in _PLACE_COURT.finditer(text):
            words = [w for w in match.group("place").split() if w.lower() not in _NOT_A_PLACE]
            if not words:
                continue
            place = " ".join(words)
            if lexicon.names.get("court", {}).get(place.lower()):
                continue
            found.append(Qualifier("court", place + " court", None, None))
            break
    if "court" not in skip and not any(q.key in ("court", "detention facility", "state") for q in found):
        # "the detained docket in Otay Mesa": a place of court business the lookups do not name
        for match in _DOCKET_IN.finditer(text):
            place = match.group("place")
            lowered = place.lower()
            if (
                lowered in (lexicon.names.get("court") or {})
                or lowered in lexicon.country_names
                or lowered.split()[0] in _NOT_A_PLACE_WORDS
            ):
                continue
            found.append(Qualifier("court", place + " court", None, None))
            break
    if "judge" not in skip and "judge" not in seen:
        for match in _JUDGE.finditer(text):
            name = match.group("name")
            label = _judge_label(name, lexicon)
            namesakes = lexicon.shared_surnames.get(name.lower()) if len(name.split()) == 1 else None
            others: tuple = ()
            if namesakes and label:
                # "Judge Winhurst" when the lookup has JORDAN K. WINHURST and NOEL N. WINHURST: the text does
                # not say which, so each is a reading (the verdict is ambiguous unless all agree)
                others = tuple(n for n in namesakes if n != label)
            found.append(Qualifier("judge", "Judge " + name, "judge" if label else None, label, others))
            if (
                label
                and match.end() <= court_start
                and _JUDGE_DESCRIPTION.match(text[match.end() : court_start])
            ):
                # the court only says where the named judge sits: the judge is the group
                found[:] = [q for q in found if not (q.key == "court" and q.dimension == "court")]
            break
    if "judge" not in skip and not any(q.key == "judge" and q.dimension for q in found):
        # "Jordan K. Winhurst, an immigration judge in Miami, granted ...": a lookup judge's full name in
        # apposition with "judge"; the appositive only says who the judge is and where the judge sits
        for match in _NAMED_JUDGE.finditer(text):
            label = (lexicon.names.get("judge") or {}).get(match.group("name").lower())
            if label is None:
                continue
            found[:] = [q for q in found if q.key != "judge" and not (q.key == "court" and q.dimension)]
            found.append(Qualifier("judge", match.group(0), "judge", label))
            break
    if any(q.key in ("court", "detention facility") and q.dimension is None for q in found):
        # "The Houston detention court": the facility rule already names that court
        found[:] = [q for q in found if q.key != "detention court"]
    found[:] = [_excluded(text, q) for q in found]
    if "lawyer" not in skip and (trait := _lawyer_trait(text)) is not None:
        # "Spanish-speaking lawyers": the lawyers' language, not the case's (LANG)
        found[:] = [q for q in found if not (q.key == "language" and q.text.lower() in trait.text.lower())]
        found.append(trait)
    if "modifier" not in skip:
        found.extend(unlisted_modifiers(text, found, lexicon))
    return found


# "nonprofit lawyers", "Houston-born lawyers", "Spanish-speaking attorneys", "Cuban-American lawyers": a kind
# of lawyer. The data records whether a case had a representative (represented), never who the lawyer was.
_LAWYER = re.compile(
    r"(?P<mods>(?:\b[\w’'-]+[ \t]{1,2}){1,2})"
    r"(?:lawyers?|attorneys?|counsel|legal[ \t]{1,2}representatives?)\b",
    re.I,
)
# Words before "lawyers" that name no kind of lawyer ("with a lawyer", "had their own lawyers").
_ANY_LAWYER = frozenset(
    "a an the their his her its our my your any no with without by had have has having of for to and or but "
    "hired retained paid found got get obtain obtained own immigration private legal defense defence "
    "than more fewer less who whom that were was are is not never lacking lacked lack "
    "w/ w/o o "  # "w/o a lawyer"
    # the government's own lawyers are no group of the cases; pro bono counsel has its own rule (places.py)
    "government government's dhs ice agency agency's department department's federal trial bono".split()
)


def _lawyer_trait(text: str) -> Qualifier | None:
    for match in _LAWYER.finditer(text):
        words = match.group("mods").split()
        kept: list[str] = []
        for word in reversed(words):
            bare = word.lower().strip("’'.,;:")
            if bare in _ANY_LAWYER or not bare or re.search(r"\d", bare) or word != word.rstrip(",;:."):
                break
            kept.insert(0, word)
        if kept:
            return Qualifier("lawyer", " ".join([*kept, match.group(0).split()[-1]]), None, None)
    return None


# "not from Mexico", "Excluding Mexicans", "outside New York", "everywhere but Houston", "other than Cubans":
# the group is everyone but the one named. The catalog's filters take values, not their complement (and a
# list of every other value would silently drop the cases with no value), so such a group is not checkable.
_EXCLUSION = (
    r"(?i:\bnot[ \t]{1,3}(?:from|in|at)|\bexcluding|\bexcept(?:[ \t]{1,3}for)?|\bother[ \t]{1,3}than"
    r"|\boutside(?:[ \t]{1,3}of)?|\b(?:everywhere|anywhere|all|everyone|everybody)[ \t]{1,3}(?:but|except)"
    r"|\bapart[ \t]{1,3}from|\baside[ \t]{1,3}from|\bbesides|\bbut[ \t]{1,3}not|\bsave[ \t]{1,3}for"
    r"|\bleaving[ \t]{1,3}out|\bsetting[ \t]{1,3}aside|\bwithout[ \t]{1,3}counting|\bnot[ \t]{1,3}counting)"
    r"[ \t]{1,3}(?i:(?:the|those|people|immigrants|cases|courts?|from|in|at)[ \t]{1,3}){0,2}"
)


def _excluded(text: str, qualifier: Qualifier) -> Qualifier:
    """The qualifier, or an undimensioned "exclusion" naming the words when the text excludes its group."""
    if qualifier.dimension is None or not qualifier.text or qualifier.dimension in ("asylum_type",):
        return qualifier
    for word in qualifier.text.split(" and "):
        match = re.search(_EXCLUSION + "(?:" + re.escape(word) + r")(?![\w-])", text)
        if match is not None:
            return Qualifier("exclusion", " ".join(match.group(0).split()), None, None)
    return qualifier


# ------------------------------------------------------------------------------ modifiers no rule maps

# Nouns that name the counted people (or their judges); their modifiers restrict the group.
_HEADS = (
    r"(?:asylum[ \t-]{1,2}(?:seekers?|applicants?)|applicants|immigrants|migrants|non-?citizens|respondents|"
    r"people|persons|individuals|detainees|defendants|refugees|foreigners|judges|judge|those)"
)
# "Guatemalans with prior removal orders": after a demonym the modifier restricts the group too
_POST_HEADS = rf"(?:{_HEADS}|(?-i:[A-Z][a-z]{{2,20}}(?:ans|ese|is)))"
# A modifier after the head: "aged 60 and older", "who appeared alone", "with ...", "facing ...",
# "appointed by ...", "of <group>"; it runs to the main verb or a clause break.
_POST_MODIFIER = re.compile(
    rf"(?i)\b{_POST_HEADS}[ \t]{{1,2}}"
    rf"(?P<mod>(?:aged|who|whose|with|without|facing|appointed|hired|born|living|"
    rf"working|serving|of|that|fleeing|escaping|arriving|arrived|transferred|reopened|settled|"
    rf"(?!(?:seeking|pending|awaiting|waiting|during|including|according|following|regarding|concerning)\b)"
    rf"[a-z]{{3,20}}ing)\b(?:[ \t]{{1,2}}[\w’'-]+){{1,9}})"
)
_PRE_MODIFIER = re.compile(rf"(?i)(?P<mods>(?:\b[\w’'-]+[ \t]{{1,2}}){{1,3}}){_HEADS}\b")
# "noncitizen military veterans", "immigrant workers": the noun after an immigrant adjective names the group
_IMMIGRANT_ADJECTIVE = re.compile(
    r"(?i)\b(?:non-?citizen|immigrant|migrant|refugee)[ \t]{1,2}"
    r"(?P<mods>(?:[a-z][\w-]*[ \t]{1,2})?[a-z][\w-]*)"
)
# Verbs that end the counted group ("... aged 60 and older WON 33 percent").
_MAIN_VERBS = frozenset(
    "were was are is be been had have has won win wins lost got received saw faced made accounted completed "
    "denied granted ordered filed waited took prevailed succeeded secured obtained comprised totaled "
    "numbered "
    "rose fell climbed dropped increased decreased grew represented left stayed decided heard "
    "appeared said say says".split()
)
# Words that add no restriction to a group: function words, the court's own vocabulary, and statistic and
# outcome words (the concept and share rules read those).
_NO_RESTRICTION = frozenset(
    (
        "a an the all any each every some many most more fewer less few other others these those this that "
        "such their its his her them they it who whose which whom with of to in on at by for from and or but "
        "than as not no only just still also both new recent current total overall whole "
        "immigration immigrant immigrants migrant migrants noncitizen non-citizen noncitizens foreign asylum "
        "seekers seeker applicants applicant respondents respondent people persons individuals detainees "
        "judges judge court courts case cases claim claims application applications hearing hearings "
        "proceedings docket backlog decision decisions ruling rulings outcome outcomes side own "
        "undocumented u.s. us federal nation nation's national nationwide country country's american "
        "were was are is be been had have has did do does got went came "
        "decided heard ruled completed closed resolved pending filed ended "
        "won win lost granted denied ordered removed deported relief protection stay remain allowed "
        "removal deportation order orders "
        "terminated dismissed absentia asylum-seeking seeking fellow fiscal year years month months "
        "percent share rate rates number numbers one two three four five half third quarter "
        "advocates advocacy rights groups organizations communities community lawyers attorneys counsel "
        "before it after into under over against about around across through during between "
        "ultimately eventually finally later first last final without fy typical median "
        # appearing or not before the court: the in absentia and share rules read these
        "came come comes coming before him her showed show shows up never skipped skip missed miss person "
        "applied apply applies applying sought seek seeks requested request requests "
        "nearly almost virtually practically roughly approximately even "
        "appear appearing"
    ).split()
)


def _known(word: str, found: list[Qualifier], lexicon: Lexicon) -> bool:
    bare = word.lower().strip("’'.,;:-").removesuffix("’s").removesuffix("'s")
    if not bare or bare in _NO_RESTRICTION or re.fullmatch(r"(?:fy)?[\d.,%]+", bare):
        return True
    if any(re.search(rf"(?i)(?<![\w-]){re.escape(bare)}(?![\w-])", q.text) for q in found):
        return True
    return any(bare in (lexicon.names.get(d) or {}) for d in ("nationality", "court", "language"))


# Words that end a run of adjectives before a group noun ("Among Cuban asylum seekers", "while those").
_STOP = frozenset(
    "the a an of and or to in by for than that among amid while whereas which who whose when where with "
    "without from at on as if but so because between during involve involves involving like "
    # number words: "one in ten Salvadoran asylum seekers", "8 million migrants"
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "hundreds thousand thousands million millions billion dozen dozens".split()
)


def _not_an_adjective(word: str) -> bool:
    """A plural or third-person form ("guides", "encounters") is a noun or a verb, never an adjective."""
    bare = word.lower().strip("’'.,;:")
    return bare.endswith("s") and not bare.endswith(("ss", "ous", "us", "is", "’s", "'s"))


_AUXILIARIES = frozenset("had has have was were is are been be being".split())


def _main_clause(words: list[str], relative: bool) -> list[str]:
    """The words of a modifier up to the main verb (a relative clause keeps its own first verb)."""
    kept: list[str] = []
    own_verb = relative
    for word in words:
        bare = word.lower().strip("’'.,;:")
        if own_verb and bare in _AUXILIARIES:
            kept.append(word)  # "who had been in the country ten years": the clause's verb is still to come
            continue
        if bare in _MAIN_VERBS or (own_verb and (bare.endswith("ed") or bare in ("came", "come", "did"))):
            if own_verb:
                own_verb = False
                kept.append(word)
                continue
            break
        kept.append(word)
    return kept


def unlisted_modifiers(text: str, found: list[Qualifier], lexicon: Lexicon) -> list[Qualifier]:
    """Modifiers of the counted group that no rule maps to a catalog dimension and that are not known to add
    no restriction ("aged 60 and older", "Indigenous", "military veterans"): each becomes a qualifier with no
    dimension, keyed by its words, so a new kind of group makes the claim "not checkable" naming it instead
    of silently reading everyone. ``found``: the qualifiers already recognised in ``text``."""
    unknown: list[str] = []

    def note(words: list[str]) -> None:
        if any(not _known(w, found, lexicon) for w in words):
            phrase = " ".join(w.strip("’'.,;:") for w in words).strip()
            if phrase and phrase not in unknown:
                unknown.append(phrase)

    spans = [m.span() for q in found if q.text for m in re.finditer(re.escape(q.text), text, re.I)]
    for match in _POST_MODIFIER.finditer(text):
        words = match.group("mod").split()
        kept = [words[0], *_main_clause(words[1:], words[0].lower() in ("who", "whose"))]
        start = match.start("mod")
        end = start + len(" ".join(kept))
        if any(a < end and start < b for a, b in spans):
            continue  # the modifier overlaps a recognised qualifier ("with an attorney at their side")
        note(kept)
    for match in _PRE_MODIFIER.finditer(text):
        chosen: list[str] = []
        ended_by = ""
        for word in reversed(match.group("mods").split()):
            bare = word.lower().strip("’'.,;:")
            if (
                bare in _MAIN_VERBS
                or bare in _STOP
                or re.search(r"\d", bare)
                or (bare.endswith(("ed", "ing")) and not _known(word, found, lexicon))
                or _not_an_adjective(word)
                or word != word.strip(",;:.")
            ):
                ended_by = bare
                break
            chosen.insert(0, word)
        if ended_by == "to":
            continue  # "paid $150 million to shelter migrants": a verb and its object, not a modifier
        note(chosen)
    for match in _IMMIGRANT_ADJECTIVE.finditer(text):
        kept = []
        for word in match.group("mods").split():
            if word.lower() in _MAIN_VERBS or word.lower() in _NO_RESTRICTION:
                break
            kept.append(word)
        note(kept)
    return [Qualifier(phrase, phrase) for phrase in unknown]


def _state_named(text: str, lexicon: Lexicon) -> re.Match[str] | None:
    """The first U.S. state ``text`` names that is not part of a court's name ("Kansas City")."""
    pattern = lexicon.pattern("court")
    courts = [m.span() for m in pattern.finditer(text)] if pattern is not None else []

    def outside(match: re.Match[str]) -> bool:
        start, end = match.span("state") if "state" in match.groupdict() else match.span()
        return not any(a <= start and end <= b for a, b in courts)

    for found in (*_STATE.finditer(text), *_GEORGIA_STATE.finditer(text)):
        if outside(found):
            return found
    return _named_state(text, lexicon, outside)


def _named_state(text: str, lexicon: Lexicon, keep: Any = None) -> re.Match[str] | None:
    courts = lexicon.names.get("court") or {}
    for match in _ANY_STATE.finditer(text):
        if keep is not None and not keep(match):
            continue  # "Kansas City": a court's name, not the state
        city = _CITY_COMMA.search(text[max(0, match.start() - 30) : match.start()])
        if city and city.group("city").lower() in courts:
            continue  # "Dallas, Texas": the address of a court the release names
        if _COVERS.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # "the Bloomington court, which covers Minnesota": where a named court sits
        return match
    return None


def _judge_label(name: str, lexicon: Lexicon) -> str | None:
    table = lexicon.names.get("judge") or {}
    lowered = name.lower()
    if lowered in table:
        return table[lowered]
    return table.get("judge " + lowered.split()[-1]) if len(lowered.split()) == 1 else None


_COURT_NEAR = re.compile(r"(?i)\b(?:court|courts|courthouse|judges?|bench)\b")


def _court_context(text: str, match: re.Match[str]) -> bool:
    """ "in Atlanta", "the Oakdale court": a city name near court words or after "in"/"at"."""
    before = text[max(0, match.start() - 40) : match.start()].lower()
    after = text[match.end() : match.end() + 25]
    if not match.group(0)[:1].isupper():
        return False
    return bool(
        _COURT_NEAR.search(after[:25])
        or _COURT_NEAR.search(before[-30:])
        or re.search(r"\b(?:in|at)[ \t]{1,2}$", before)
        # "San Francisco's asylum grant rate", "Omaha's rate": a place's own statistic
        or re.match(r"^[’']s\b", after)
        # "30 percent of Houston cases", "the Denver docket": a city's own cases
        or re.match(
            r"^[ \t]{1,2}(?:cases|case|docket|dockets|backlog|caseload|decisions|completions|rulings|"
            r"asylum[ \t]{1,2}(?:decisions|cases|grants|denials|rulings))\b",
            after,
        )
        # "Asylum grant rate, Houston, FY21: 11%": a place between commas in a heading
        or (re.search(r",[ \t]{0,2}$", before) and re.match(r"^,[^.;:]{0,20}:", after))
        # "The court, at 1901 S. Bell Street, Arlington, VA 22202, completed": a court named by its address
        or (_ADDRESS_AFTER.match(after) and _COURT_NEAR.search(text))
    )


# ", VA 22202", ", Va.", ", Pa.", ", Virginia": the state of an address right after a city name
_ADDRESS_AFTER = re.compile(
    r"^,[ \t]{1,2}(?:[A-Z]{2}\b|[A-Z][a-z]{1,3}\.|[A-Z][a-z]{3,13}(?:[ \t][A-Z][a-z]{3,12})?\b)"
)
_NAMED_JUDGE = re.compile(
    r"(?P<name>\b[A-Z][a-z]{1,20}(?:[ \t][A-Z]\.)?[ \t][A-Z][a-z’'-]{1,25}(?:[ \t](?:Jr|Sr)\.?)?),[ \t]{1,2}"
    r"(?:an?[ \t]{1,2}|the[ \t]{1,2})?(?:(?:[A-Za-z-]{2,20}[ \t]{1,2}){0,2})?"
    r"(?i:(?:immigration[ \t]{1,2})?judge)\b"
)
# "Judge X, who hears cases in Houston," / "Judge X of the Chicago court": where the judge sits, a description
_JUDGE_DESCRIPTION = re.compile(
    r"^(?:,?[ \t]{1,2}(?:who|which)[ \t]{1,2}(?:hears|heard|sits|sat|serves|served|presides|presided|works|"
    r"worked)\b[^,.;]{0,40}?|[ \t]{1,2}(?:of|at|in|from)[ \t]{1,2}(?:the[ \t]{1,2})?)$",
    re.I,
)


_SPEAKERS_AFTER = re.compile(r"^(?:[ \t-]{1,2}(?:speaking|speakers?|language|interpreters?)\b)", re.I)
_SPEAKERS_BEFORE = re.compile(r"\b(?:speakers?[ \t]of|speak(?:ing|s)?|spoke|in)[ \t]{1,2}$", re.I)


def _language_context(text: str, match: re.Match[str]) -> bool:
    """ "Mam speakers", "Spanish-speaking", "speakers of Mam": a lookup language next to speaking words."""
    after = text[match.end() : match.end() + 20]
    before = text[max(0, match.start() - 20) : match.start()]
    return bool(
        _SPEAKERS_AFTER.match(after)
        or (_SPEAKERS_BEFORE.search(before) and ("speak" in before.lower() or "spoke" in before.lower()))
    )


_NATIONALS_AFTER = re.compile(
    r"^(?:[’']s)?[ \t]{1,2}(?:nationals?|citizens?|natives?|migrants?|immigrants?|asylum|applicants?|"
    r"respondents?|refugees?|families|children|people|men|women|cases?|claims?)\b",
    re.I,
)
_COUNTRY_BEFORE = re.compile(
    r"(?i)\b(?:from|of|for|fled|fleeing|left|leaving)[ \t]{1,2}(?:the[ \t]{1,2})?$"
    r"|(?:,|\band|\bor)[ \t]{1,2}$"
)
_PERSON_AFTER = re.compile(r"^[ \t]{1,2}[A-Z](?:[a-z]+|\.)")


# Who is speaking, not who is counted: "According to the Guatemalan government", "Mexico's foreign ministry"
_SOURCE_AFTER = re.compile(
    r"^(?:[’']s)?[ \t]{1,2}(?:(?:foreign|interior|federal|national)[ \t]{1,2})?(?:government|ministry|"
    r"ministers?|embassy|embassies|consulates?|consul|officials?|authorities|president|presidency|"
    r"foreign[ \t]ministry|press|media|newspapers?|diplomats?|congress|parliament|senate)\b",
    re.I,
)
_ITS_PEOPLE = re.compile(
    r"(?i)\b(?:its|their)[ \t]{1,2}(?:own[ \t]{1,2})?(?:citizens|nationals|people|emigrants|migrants)\b"
)


def source_after(after: str, text: str) -> bool:
    """Whether ``after`` (the words right after a nationality) makes it the source of the figure ("the
    Guatemalan government", "Mexico's foreign ministry"), unless ``text`` counts that country's own people
    ("... of its citizens")."""
    return bool(_SOURCE_AFTER.match(after[:40])) and not _ITS_PEOPLE.search(text)


def _nationality_context(text: str, match: re.Match[str], lexicon: Lexicon) -> bool:
    """A demonym ("Burmese") names a nationality; a country name only in a frame: "from Guatemala",
    "Honduran and Guatemala nationals", "Mexico's asylum seekers". "in Georgia" (a place), "Israel Ramirez",
    "Jordan K. Winhurst" (a person) and "Atlanta, Georgia" (an address) are not nationalities."""
    word = match.group(0)
    if not word[:1].isupper():
        return False
    if _SOURCE_AFTER.match(text[match.end() : match.end() + 40]) and _ITS_PEOPLE.search(text):
        return True  # "Mexico's foreign ministry said courts completed 889 cases of its citizens"
    if source_after(text[match.end() :], text):
        return False  # "According to the Guatemalan government": who says it, not whom it counts
    if word.lower() not in lexicon.country_names:
        return not _PERSON_AFTER.match(text[match.end() : match.end() + 4])  # "Jordanian", not a surname
    if _PERSON_AFTER.match(text[match.end() : match.end() + 4]):
        return False  # "Israel Ramirez", "Jordan K. Winhurst"
    if _NATIONALS_AFTER.match(text[match.end() : match.end() + 20]):
        return True
    before_word = text[max(0, match.start() - 6) : match.start()]
    # a figure right after the name (extract.py cuts the number out, leaving two spaces where it stood)
    if re.match(r"^(?::?[ \t]{1,2}\d|[ \t]{2})", text[match.end() : match.end() + 4]) and not re.search(
        r"(?i)\b(?:in|at)[ \t]{1,2}$", before_word
    ):
        return True  # "by nationality: Venezuela 70%, Cuba 38%"
    before = text[max(0, match.start() - 12) : match.start()]
    if not _COUNTRY_BEFORE.search(before):
        return False
    if re.search(r"(?:,|\band|\bor)[ \t]{1,2}$", before):
        # "from Mexico, Honduras and Guatemala": a list continues a country frame, not "Atlanta, Georgia"
        pattern = lexicon.pattern("nationality")
        earlier = text[max(0, match.start() - 60) : match.start()]
        return bool(
            pattern
            and any(m.group(0).lower() in lexicon.country_names for m in pattern.finditer(earlier))
            and re.search(r"(?i)\b(?:from|of|for)[ \t]", earlier)
        )
    return True


def filters_of(qualifiers: tuple[Qualifier, ...]) -> dict[str, object]:
    return {q.dimension: q.value for q in qualifiers if q.dimension}


# --------------------------------------------------------------------------------------------- subjects

CLAUSE_BREAK = re.compile(
    r"(?<!\d),|,(?!\d{3})|[;:()“”\"]|[ \t][–—-][ \t]|\n[ \t]{0,3}[*•·▪-]"
    r"|[ \t](?:while|whereas|although|because|if|but|which)[ \t]"
    r"|[ \t]and[ \t](?=[a-z]{3,20}ed[ \t])",  # "took in 370,000 new cases and completed 230,000"
    re.I,
)
_LEADING_FUNCTION = re.compile(
    r"^(?:in(?![ \t]absentia)|to|and|from|with|by|on|of[ \t](?:19|20)\d\d|–|-|—)\b", re.I
)
MAX_SUBJECT_WORDS = 12
_SUBJECT_WINDOW = 160


def subject_after(
    sentence: str, end: int, time_texts: list[str], next_start: int | None = None
) -> str | None:
    """The phrase following the number up to a clause break, with time expressions removed.

    None means the number is followed only by a time or a connective ("18,119 in 2021 to ..."), so it
    shares the subject of the number before it; "" means the sentence simply ends.
    """
    stop = min(next_start if next_start is not None else len(sentence), end + _SUBJECT_WINDOW)
    tail = sentence[end:stop]
    cut = CLAUSE_BREAK.search(tail)
    tail = tail[: cut.start()] if cut else tail
    had_time = False
    for text in time_texts:
        if text and text in tail:
            # "... immigrants in fiscal 2018 were issued": the preposition goes with its time
            tail = re.sub(r"(?i)\b(?:in|during|for|by|through)[ \t]{1,3}" + re.escape(text), " ", tail)
            tail = tail.replace(text, " ")
            had_time = True
    tail = " ".join(tail.split()).strip(" .!?")
    if _LEADING_FUNCTION.match(tail) and not re.match(r"^of\b", tail):
        return None
    if not tail:
        return None if had_time else ""
    return " ".join(tail.split(" ")[:MAX_SUBJECT_WORDS])


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


_CLOSED_RELATIVE = re.compile(r"(?i),[ \t]{0,2}(?:which|who)\b(?:[^,;]|(?<=\d),(?=\d)){0,120}?,(?=[ \t])")
_RELATIVE = re.compile(
    r"(?i)(?:,[ \t]{0,2})?[ \t]?(?:which|who|that)[ \t]{1,3}(?:[\w'’-]{1,20}[ \t]{0,3}){0,3}$"
)


def clause_before(sentence: str, start: int) -> str:
    head = sentence[max(0, start - _SUBJECT_WINDOW) : start]
    # "Removal orders, which numbered 65,000 in FY 2016, reached 212,000": a closed relative clause is aside
    head = _CLOSED_RELATIVE.sub(" ", head)
    relative = _RELATIVE.search(head)
    if relative and re.match(r"(?i),?[ \t]{0,2}(?:which|who)\b", relative.group(0)):
        # "Removal orders, which numbered 65,000": the relative clause counts its antecedent
        head = (
            head[: relative.start()] + " " + re.sub(r"(?i)^,?[ \t]{0,2}(?:which|who)", "", relative.group(0))
        )
    pieces = CLAUSE_BREAK.split(head)
    words = " ".join(pieces[-1].split()).split(" ") if pieces else []
    clause = " ".join(words[-MAX_SUBJECT_WORDS:]).strip()
    if re.search(r"(?i)[ \t]and[ \t][a-z]{3,20}ed[ \t]*$", head):
        return clause  # "... new cases and completed 230,000": the verb of the number's own conjunct
    if len(clause.split()) <= 2 and len(pieces) > 1:
        clause = " ".join(" ".join(pieces[-2:]).split()[-MAX_SUBJECT_WORDS:])
    return clause
