"""Which DEC_CODE / OTHER_COMP letter a proceeding gets for an intended outcome, and which APPL_DEC its
applications get. Declarative tables; the only logic is the year-dependent choice of newer codes."""

from __future__ import annotations

import random

# (case type, outcome class) -> [((field, letter), weight)]; field "C" = DEC_CODE, "O" = OTHER_COMP.
# Letters and their descriptions are those of tblLookupCourtDecision (see data/lookups/).
CODES: dict[tuple[str, str], list[tuple[tuple[str, str], float]]] = {
    ("RMV", "removal_order"): [(("C", "X"), 1)],
    ("RMV", "voluntary_departure"): [(("C", "V"), 1)],
    ("RMV", "relief_granted"): [(("C", "R"), 1)],
    ("RMV", "asylum_granted"): [(("C", "R"), 1)],
    ("RMV", "protection_under_removal_order"): [(("C", "E"), 5), (("C", "Z"), 4), (("C", "H"), 1)],
    ("RMV", "terminated"): [(("C", "T"), 1)],
    ("RMV", "dismissed"): [(("O", "F"), 1)],
    ("RMV", "other"): [(("C", "O"), 3), (("O", "O"), 4.5), (("O", "P"), 2), (("O", "H"), 0.5)],
    ("DEP", "removal_order"): [(("C", "D"), 1)],
    ("DEP", "voluntary_departure"): [(("C", "V"), 1)],
    ("DEP", "relief_granted"): [(("C", "R"), 1)],
    ("DEP", "asylum_granted"): [(("C", "R"), 1)],
    ("DEP", "terminated"): [(("C", "T"), 7), (("C", "I"), 3)],
    ("DEP", "dismissed"): [(("O", "F"), 1)],
    ("DEP", "other"): [(("O", "O"), 7), (("O", "P"), 3)],
    ("EXC", "removal_order"): [(("C", "E"), 1)],
    ("EXC", "relief_granted"): [(("C", "A"), 1)],
    ("EXC", "asylum_granted"): [(("C", "A"), 1)],
    ("EXC", "terminated"): [(("C", "T"), 7), (("C", "I"), 3)],
    ("EXC", "dismissed"): [(("O", "F"), 1)],
    ("EXC", "other"): [(("C", "O"), 5), (("O", "O"), 5)],
    ("WHO", "relief_granted"): [(("C", "G"), 1)],
    ("WHO", "dismissed"): [(("O", "F"), 1)],
    ("WHO", "other"): [(("C", "D"), 6), (("C", "W"), 2), (("C", "A"), 1), (("C", "O"), 1)],
    ("AOC", "relief_granted"): [(("C", "G"), 1)],
    ("AOC", "asylum_granted"): [(("C", "G"), 1)],
    ("AOC", "dismissed"): [(("O", "F"), 1)],
    ("AOC", "other"): [(("C", "D"), 6), (("C", "W"), 2), (("C", "A"), 1), (("C", "O"), 1)],
    ("CFR", "dismissed"): [(("O", "F"), 1)],
    ("CFR", "other"): [(("C", "A"), 7), (("C", "V"), 3)],
    ("RFR", "dismissed"): [(("O", "F"), 1)],
    ("RFR", "other"): [(("C", "A"), 8), (("C", "V"), 2)],
}

# Outcomes a case type cannot produce, and what the generator intends instead.
REMAP: dict[str, dict[str, str]] = {
    "DEP": {"protection_under_removal_order": "removal_order"},
    "EXC": {"voluntary_departure": "removal_order", "protection_under_removal_order": "removal_order"},
    "WHO": {
        "removal_order": "other",
        "voluntary_departure": "other",
        "protection_under_removal_order": "other",
        "terminated": "other",
        "asylum_granted": "relief_granted",
    },
    "AOC": {
        "removal_order": "other",
        "voluntary_departure": "other",
        "protection_under_removal_order": "other",
        "terminated": "other",
    },
    "CFR": {
        "removal_order": "other",
        "voluntary_departure": "other",
        "protection_under_removal_order": "other",
        "terminated": "other",
        "relief_granted": "other",
        "asylum_granted": "other",
    },
}
REMAP["RFR"] = REMAP["CFR"]

# Administrative-closure letters by era (OTHER_COMP): prosecutorial-discretion closures (Y) FY2012-2016;
# in-court PD closures (M) appearing in FY2021 and rising from FY2022 (after DHS's 2022 guidance to its
# attorneys), receding from FY2025; the plain "Administrative Closure" (K) from FY2023. K and M exist
# only for RMV/DEP/EXC. PD closures go only to cases without a criminal flag (the guidance's priority).
_NEW_CLOSURE_TYPES = frozenset({"RMV", "DEP", "EXC"})
IN_COURT_PD_SHARE = {2021: 0.3, 2022: 0.55, 2023: 0.6, 2024: 0.5}  # of admin closures; 0.2 later
# PD letters of tblLookupCourtDecision (field, letter): the oracle's prosecutorial_discretion.
PD_CODES = frozenset({("C", "I"), ("O", "Y"), ("O", "M")})


def admin_closure_code(
    case_type: str, fiscal_year: int, rng: random.Random, *, criminal: bool = False
) -> str:
    draw = rng.random()
    if 2012 <= fiscal_year <= 2016 and draw < 0.75:
        return "A" if criminal else "Y"
    if case_type in _NEW_CLOSURE_TYPES:
        pd_share = IN_COURT_PD_SHARE.get(fiscal_year, 0.2 if fiscal_year > 2024 else 0.0)
        if draw < pd_share:
            return ("K" if fiscal_year >= 2023 else "A") if criminal else "M"
        if fiscal_year >= 2023 and draw < pd_share + 0.3:
            return "K"
    return "B" if draw > 0.9 else "A"


def effective_outcome(case_type: str, outcome: str, fiscal_year: int) -> str:
    """The outcome after removing what a case type (or an era, for the newer protection codes) cannot have."""
    outcome = REMAP.get(case_type, {}).get(outcome, outcome)
    if outcome == "protection_under_removal_order" and fiscal_year < 2019:
        return "removal_order"
    return outcome


def decision_code(
    case_type: str, outcome: str, fiscal_year: int, rng: random.Random, *, criminal: bool = False
) -> tuple[str, str]:
    """(field, letter) closing the deciding proceeding of a case with this (effective) outcome.

    A case flagged criminal never gets a prosecutorial-discretion letter (PD_CODES): its PD termination
    becomes a plain one.
    """
    if outcome == "administratively_closed":
        return "O", admin_closure_code(case_type, fiscal_year, rng, criminal=criminal)
    if case_type == "RMV" and outcome == "dismissed" and fiscal_year >= 2018 and rng.random() < 0.85:
        return "C", "U"
    if case_type == "RMV" and outcome == "relief_granted" and fiscal_year >= 2019 and rng.random() < 0.25:
        return "C", "Q"
    options = CODES[(case_type, outcome)]
    total = sum(weight for _, weight in options)
    draw = rng.random() * total
    chosen = options[-1][0]
    for choice, weight in options:
        draw -= weight
        if draw < 0:
            chosen = choice
            break
    if criminal and chosen in PD_CODES:
        return ("C", "T") if chosen == ("C", "I") else ("O", "A")
    return chosen


# APPL_DEC of the ASYL application in the deciding proceeding, by outcome ("" = not decided).
ASYLUM_DECISION: dict[str, dict[str, float]] = {
    "asylum_granted": {"G": 1},
    "removal_order": {"D": 0.85, "A": 0.15},
    "removal_in_absentia": {"A": 0.6, "": 0.4},
    "voluntary_departure": {"W": 0.6, "D": 0.4},
    "relief_granted": {"W": 0.5, "D": 0.3, "M": 0.2},
    "protection_under_removal_order": {"D": 1},
    "terminated": {"": 0.5, "O": 0.3, "W": 0.2},
    "dismissed": {"": 0.6, "O": 0.4},
    "administratively_closed": {"S": 0.6, "": 0.4},
    "other": {"O": 0.4, "W": 0.3, "": 0.3},
    "pending": {"": 1},
}
GRANT_CODES = frozenset({"G", "F", "C", "I", "P", "L"})
