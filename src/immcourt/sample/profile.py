"""The distributions the generator draws from, loaded once from data/profile.json and the lookups."""

from __future__ import annotations

import bisect
import csv
import io
import json
import random
from dataclasses import dataclass
from functools import cache

from .schema import data_path, lookup_rows

OUTCOME_CLASSES = (
    "removal_order",
    "voluntary_departure",
    "relief_granted",
    "protection_under_removal_order",
    "terminated",
    "dismissed",
    "administratively_closed",
    "other",
)

# Courts that are not trial courts (Board, Chief Judge, headquarters): never a case's court.
NOT_TRIAL_COURTS = frozenset({"BIA", "CIJ", "HDQ"})


class Weighted:
    """Draw one value with given weights; bisect on cumulative weights (faster than random.choices)."""

    __slots__ = ("values", "cumulative", "total")

    def __init__(self, weights: dict[str, float]):
        items = [(k, float(v)) for k, v in weights.items() if not k.startswith("_") and float(v) > 0]
        self.values = [k for k, _ in items]
        self.cumulative = []
        running = 0.0
        for _, weight in items:
            running += weight
            self.cumulative.append(running)
        self.total = running

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def by_year(table: dict[str, object], year: int):
    """The entry of a {"<first year>": value} step table that applies to `year`."""
    chosen = None
    for key in sorted(k for k in table if not k.startswith("_")):
        if int(key) <= year:
            chosen = table[key]
    return chosen if chosen is not None else table[min(k for k in table if not k.startswith("_"))]


@dataclass(frozen=True)
class Court:
    code: str
    name: str
    state: str
    hearing_locations: tuple[str, ...]
    judges: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    raw: dict
    weighted: dict[str, Weighted]
    language_by_nat: dict[str, Weighted]
    courts: dict[str, Court]
    court_choice: Weighted


@cache
def load_profile() -> Profile:
    """Everything the case simulator needs, built once per process."""
    raw = json.loads(data_path("profile.json").read_text(encoding="utf-8"))
    weighted = {
        key: Weighted(value)
        for key, value in raw.items()
        if isinstance(value, dict)
        and key not in ("language_by_nat", "outcome_mix_by_completion_fy")
        and all(isinstance(v, int | float) for k, v in value.items() if not k.startswith("_"))
    }
    language = {nat: Weighted(w) for nat, w in raw["language_by_nat"].items() if not nat.startswith("_s")}
    courts = _courts()
    court_weights = {code: raw["court_weight"].get(code, 1) for code in courts}
    return Profile(
        raw=raw,
        weighted=weighted,
        language_by_nat=language,
        courts=courts,
        court_choice=Weighted(court_weights),
    )


def _courts() -> dict[str, Court]:
    """Active trial courts with their active hearing locations and the judges tied to them."""
    judges_known = {r["JUDGE_CODE"] for r in lookup_rows("tblLookupJudge") if r["JUDGE_CODE"] != "AAA"}
    judges_by_city: dict[str, list[str]] = {}
    text = data_path("judge_base_city.csv").read_text()
    for row in csv.DictReader(io.StringIO(text)):
        if row["JUDGE_CODE"] in judges_known:
            judges_by_city.setdefault(row["BASE_CITY_CODE"], []).append(row["JUDGE_CODE"])
    hlocs: dict[str, list[str]] = {}
    for row in lookup_rows("tblLookupHloc"):
        if row["blnActive"] == "1":
            hlocs.setdefault(row["BASE_CITY_CODE"], []).append(row["HEARING_LOC_CODE"])
    courts = {}
    for row in lookup_rows("tblLookupBaseCity"):
        code = row["BASE_CITY_CODE"]
        if row["blnActive"] != "1" or code in NOT_TRIAL_COURTS or not judges_by_city.get(code):
            continue
        courts[code] = Court(
            code=code,
            name=row["BASE_CITY"],
            state=row["BASE_STATE"],
            hearing_locations=tuple(sorted(set(hlocs.get(code, [code])))),
            judges=tuple(sorted(set(judges_by_city[code]))),
        )
    return courts
