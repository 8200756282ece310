"""Simulate one case: its intended history (proceedings, hearings, applications, representation, custody)
and the rows it contributes to each table. All values are strings, "" meaning missing."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date

from . import decisions
from .profile import OUTCOME_CLASSES, Court, Profile, Weighted, by_year
from .schema import lookup_rows
from .timeline import Calendar

COVID_START = date(2020, 3, 15).toordinal()
COVID_END = date(2021, 6, 30).toordinal()
HEARING_TIMES = ("0830", "0900", "0930", "1000", "1030", "1100", "1300", "1330", "1400", "1500")
# A hearing ends 30 to 120 minutes after it starts (HHMM).
HEARING_ENDS = {
    start: tuple(
        f"{(int(start[:2]) * 60 + int(start[2:]) + minutes) // 60:02d}"
        f"{(int(start[:2]) * 60 + int(start[2:]) + minutes) % 60:02d}"
        for minutes in (30, 60, 90, 120)
    )
    for start in HEARING_TIMES
}
SCHEDULE_MASTER = ("MM", "MR", "MA")
SCHEDULE_INDIVIDUAL = ("II", "IR", "IA")
MERITS_APPLICATIONS = (("42B", 0.5), ("245", 0.35), ("212h", 0.15))
# Share of cases flagged criminal (CRIM_IND Y), by custody: chosen so that about 7.7% of proceedings say Y
# (profile crim_ind) with detained cases flagged far more often. A later proceeding of a case changes the
# flag with CRIM_IND_CHANGE; a case not flagged has a criminal charge code anyway with
# CRIMINAL_CODE_UNFLAGGED.
CRIMINAL_SHARE = {"D": 0.2, "other": 0.042}
CRIM_IND_CHANGE = 0.04
CRIMINAL_CODE_UNFLAGGED = 0.02


def _choice(rng: random.Random, options):
    """rng.choice without its overhead (this runs millions of times)."""
    return options[int(rng.random() * len(options))]


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint without its overhead; `high` is included. Empty ranges return `low`."""
    return low + int(rng.random() * (high - low + 1)) if high >= low else low


@dataclass
class Ids:
    """Running primary keys; one instance per generation run so IDs do not depend on defects."""

    proceeding: int = 2_000_000
    application: int = 5_000_000
    charge: int = 7_000_000
    schedule: int = 20_000_000
    rep: int = 9_000_000
    bond: int = 600_000
    custody: int = 800_000

    def next(self, name: str) -> int:
        value = getattr(self, name) + 1
        setattr(self, name, value)
        return value


@dataclass
class Segment:
    """One proceeding: open from `start` (INPUT_DATE) to `end` (COMP_DATE, None while open)."""

    kind: str  # venue, transfer, closed, reopened, final
    start: int
    end: int | None
    court: Court
    hloc: str
    judge: str
    outcome: str | None = None  # outcome class closing it (final segments and the reopened order)
    code: tuple[str, str] | None = None  # (C|O, letter)
    absentia: bool = False
    idn: int = 0
    hearings: list[int] = field(default_factory=list)
    moved_to: str = ""  # the court a change of venue or transfer sends the case to
    crim_ind: str = ""  # CRIM_IND written on the proceeding: Y, N or empty


@dataclass
class CaseRows:
    tables: dict[str, list[dict[str, str]]]
    truth: dict
    # The history behind the rows, for a later release of the same case (sample/nextmonth.py): the case's
    # facts, its proceedings and the day it is decided (after the release date while it is pending).
    case: dict = field(default_factory=dict, repr=False)
    segments: list[Segment] = field(default_factory=list, repr=False)
    completion: int = 0


class CaseSimulator:
    def __init__(self, profile: Profile, calendar: Calendar):
        self.p = profile
        self.w = profile.weighted
        self.cal = calendar
        self.release = calendar.release
        raw = profile.raw
        self.asylum_share = raw["asylum_share_by_start_fy"]
        # Cases start in fiscal years up to the release's own (a release dated earlier has fewer years).
        # The release's own fiscal year counts only for the part of it already elapsed.
        last_fy = calendar.fiscal_year(calendar.release)
        receipts = {
            k: v for k, v in raw["receipts_by_fy"].items() if not k.startswith("_") and int(k) <= last_fy
        }
        if last_fy < 2027:  # FY2027's figure in profile.json already covers only October 2026
            elapsed = (calendar.release - calendar.fy_start(last_fy)) / 365
            receipts[str(last_fy)] *= elapsed
        self.start_fy = Weighted(receipts)
        self.grant_share = raw["asylum_grant_share_by_completion_fy"]
        self.mix = {
            int(k): Weighted(dict(zip(OUTCOME_CLASSES, v, strict=True)))
            for k, v in raw["outcome_mix_by_completion_fy"].items()
            if not k.startswith("_")
        }
        self.asylum_decision = {
            k: Weighted({c or "-": w for c, w in v.items()}) for k, v in decisions.ASYLUM_DECISION.items()
        }
        self.city_choice = Weighted({c: 1 for c in raw["non_ascii_cities"] if not c.startswith("_")})
        self.court_codes = sorted(profile.courts)
        self.ages = list(range(0, 70))
        self.crim_ind_empty = float(raw["crim_ind"]["_empty"])
        self.charge_flags = {
            row["strCode"]: (row["criminal_flag"] == "1", row["aggravate_felon"] == "1")
            for row in lookup_rows("tbllookupCharges")
        }

    # ---- the intended history -------------------------------------------------------------------
    def simulate(self, rng: random.Random, idncase: int, ids: Ids, start: int | None = None) -> CaseRows:
        """One case's rows and truth; `start` (a day ordinal) fixes the day the case starts (else drawn)."""
        if start is None:
            fy = int(self.start_fy.pick(rng))
            start = self._start_date(rng, fy)
        else:
            fy = self.cal.fiscal_year(start)
        case_type = self._case_type(rng, fy)
        custody = "D" if case_type in ("CFR", "RFR") else self.w["custody"].pick(rng)
        nat = self.w["nationality"].pick(rng)
        lang = self.p.language_by_nat.get(nat, self.p.language_by_nat["_default"]).pick(rng)
        court = self.p.courts[self.p.court_choice.pick(rng)]
        criminal = rng.random() < CRIMINAL_SHARE["D" if custody == "D" else "other"]

        completion = self._completion(rng, start, case_type, custody)
        pending = completion >= self.release
        comp_fy = None if pending else self.cal.fiscal_year(completion)
        outcome = None if pending else self._outcome(rng, case_type, custody, comp_fy)
        asylum = case_type == "AOC" or (
            case_type in ("RMV", "DEP", "EXC", "WHO") and rng.random() < by_year(self.asylum_share, fy)
        )
        outcome, absentia = self.grant_and_absentia(rng, outcome, case_type, comp_fy, asylum)

        segments = self._plan_segments(rng, start, completion, pending, court, case_type, criminal)
        final = segments[-1]
        final.outcome = outcome
        final.absentia = absentia
        if not pending:
            final.code = decisions.decision_code(case_type, outcome, comp_fy, rng, criminal=criminal)

        represented = rng.random() < (
            0.12 if absentia else 0.3 if custody == "D" else 0.72 if asylum else 0.42
        )
        case = {
            "idncase": idncase,
            "fy": fy,
            "start": start,
            "case_type": case_type,
            "custody": custody,
            "nat": nat,
            "lang": lang,
            "asylum": asylum,
            "represented": represented,
            "end": completion if not pending else self.release,
            "criminal": criminal,
        }
        for number, segment in enumerate(segments):
            segment.idn = ids.next("proceeding")
            segment.hearings = self._hearing_dates(rng, segment)
            flag = criminal if number == 0 or rng.random() >= CRIM_IND_CHANGE else not criminal
            segment.crim_ind = "" if rng.random() < self.crim_ind_empty else "Y" if flag else "N"
        rows = self._rows(rng, case, segments, ids, outcome, pending, completion)
        rows.case, rows.segments, rows.completion = case, segments, completion
        return rows

    def grant_and_absentia(
        self, rng: random.Random, outcome: str | None, case_type: str, comp_fy: int | None, asylum: bool
    ) -> tuple[str | None, bool]:
        """An asylum case's relief or removal turned into an asylum grant at the year's grant share; then
        whether a removal order was made in absentia."""
        if asylum and outcome in ("removal_order", "relief_granted", "protection_under_removal_order"):
            if case_type in ("RMV", "DEP", "EXC", "AOC") and rng.random() < by_year(
                self.grant_share, comp_fy
            ):
                outcome = "asylum_granted"
        absentia = outcome == "removal_order" and rng.random() < self._absentia_share(comp_fy, asylum)
        return outcome, absentia

    def _start_date(self, rng: random.Random, fy: int) -> int:
        first = self.cal.fy_start(fy)
        last = min(self.cal.fy_start(fy + 1), self.release) - 1
        return _randint(rng, first, last)

    def _case_type(self, rng: random.Random, fy: int) -> str:
        if fy <= 2003 and rng.random() < 0.12:
            return self.w["old_case_type"].pick(rng)
        return self.w["case_type"].pick(rng)

    def _completion(self, rng: random.Random, start: int, case_type: str, custody: str) -> int:
        """The day the case is finally decided (may be after the release date: then it is pending)."""
        if case_type in ("CFR", "RFR"):
            return start + _randint(rng, 7, 60)
        if custody == "D":
            median = 75
            sigma = 0.7
        else:
            fy = self.cal.fiscal_year(min(start, self.release))
            median = 450 if fy < 2012 else 900 if fy < 2019 else 1200 if fy < 2023 else 1300
            sigma = 1.0
        days = int(median * math.exp(sigma * rng.gauss(0.0, 1.0))) + 14
        completion = start + days
        if COVID_START <= completion <= COVID_END and rng.random() < 0.65:
            completion += _randint(rng, 300, 700)  # courts slowed during the pandemic
        return completion

    def _outcome(self, rng: random.Random, case_type: str, custody: str, comp_fy: int) -> str:
        outcome = self._mix_for(comp_fy).pick(rng)
        if custody == "D" and outcome not in ("removal_order", "voluntary_departure") and rng.random() < 0.4:
            outcome = "removal_order"  # detained cases end in removal far more often
        return decisions.effective_outcome(case_type, outcome, comp_fy)

    def _mix_for(self, fiscal_year: int) -> Weighted:
        chosen = self.mix[min(self.mix)]
        for year in sorted(self.mix):
            if year <= fiscal_year:
                chosen = self.mix[year]
        return chosen

    @staticmethod
    def _absentia_share(comp_fy: int | None, asylum: bool) -> float:
        base = 0.55 if comp_fy is not None and 2019 <= comp_fy <= 2024 else 0.42
        return base * (0.5 if asylum else 1.0)

    def _plan_segments(self, rng, start, completion, pending, court, case_type, criminal) -> list[Segment]:
        end = self.release if pending else completion
        t = min(start + _randint(rng, 0, 45), end)
        kinds = []
        if rng.random() < 0.12:
            kinds.append("transfer" if rng.random() < 0.35 else "venue")
        start_fy = self.cal.fiscal_year(start)
        if case_type in ("RMV", "DEP", "EXC") and rng.random() < (0.18 if 2009 <= start_fy <= 2015 else 0.03):
            kinds.append("closed")
        if not pending and case_type == "RMV" and rng.random() < 0.03:
            kinds.append("reopened")
        segments = []
        for kind in kinds:
            remaining = end - t
            if remaining < 90:
                break
            seg_end = t + int(remaining * rng.uniform(0.1, 0.4))
            segment = self._segment(rng, kind, t, seg_end, court)
            if kind in ("venue", "transfer"):
                court = self._other_court(rng, court)
                segment.moved_to = court.code
                gap = _randint(rng, 0, 14)
                segment.code = ("O", "C" if kind == "venue" else "T")
            elif kind == "closed":
                gap = int((end - seg_end) * rng.uniform(0.3, 0.7))
                segment.code = (
                    "O",
                    decisions.admin_closure_code(
                        case_type, self.cal.fiscal_year(seg_end), rng, criminal=criminal
                    ),
                )
            else:  # an in-absentia order later reopened on motion
                gap = _randint(rng, 30, 200)
                segment.code = ("C", "X")
                segment.outcome = "removal_order"
                segment.absentia = True
            segments.append(segment)
            t = min(seg_end + gap, end)
        segments.append(self._segment(rng, "final", t, None if pending else end, court))
        return segments

    def _segment(self, rng, kind, start, end, court) -> Segment:
        return Segment(
            kind=kind,
            start=start,
            end=end,
            court=court,
            hloc=_choice(rng, court.hearing_locations),
            judge=_choice(rng, court.judges),
        )

    def _other_court(self, rng: random.Random, court: Court) -> Court:
        code = court.code
        while code == court.code:
            code = self.p.court_choice.pick(rng)
        return self.p.courts[code]

    def _hearing_dates(self, rng: random.Random, segment: Segment) -> list[int]:
        last = segment.end if segment.end is not None else self.release
        first = min(segment.start + _randint(rng, 14, 90), last)
        count = 1
        while count < 8 and rng.random() < 0.5:
            count += 1
        dates = sorted(_randint(rng, first, last) for _ in range(count))
        if segment.end is not None:
            dates[-1] = segment.end  # the decision is announced at the last hearing
        return dates

    # ---- rows -------------------------------------------------------------------------------------
    def _rows(self, rng, case, segments, ids, outcome, pending, completion) -> CaseRows:
        tables: dict[str, list[dict[str, str]]] = {
            "A_TblCase": [],
            "B_TblProceeding": [],
            "tbl_Court_Appln": [],
            "B_TblProceedCharges": [],
            "tbl_schedule": [],
            "tbl_RepsAssigned": [],
            "D_TblAssociatedBond": [],
            "tbl_CustodyHistory": [],
        }
        e28 = None
        if case["represented"]:
            e28 = min(case["start"] + int((case["end"] - case["start"]) * rng.random() * 0.5), case["end"])
        case["e28"] = e28
        previous = None
        for segment in segments:
            tables["B_TblProceeding"].append(self._proceeding_row(rng, case, segment, previous))
            tables["tbl_schedule"].extend(self._schedule_rows(rng, case, segment, ids))
            if previous is None:
                tables["B_TblProceedCharges"].extend(self._charge_rows(rng, case, segment, ids))
            previous = segment
        asylum_decision = self._application_rows(rng, case, segments, ids, tables["tbl_Court_Appln"], pending)
        tables["tbl_RepsAssigned"].extend(self._rep_rows(rng, case, segments, ids))
        if case["custody"] in ("D", "R"):
            tables["tbl_CustodyHistory"].extend(self._custody_rows(rng, case, ids))
            if rng.random() < 0.35:
                tables["D_TblAssociatedBond"].extend(self._bond_rows(rng, case, segments[0], ids))
        elif rng.random() < 0.3:
            tables["tbl_CustodyHistory"].append(
                {"IDNCUSTODY": str(ids.next("custody")), "IDNCASE": str(case["idncase"]), "CUSTODY": "N"}
            )
        tables["A_TblCase"].append(self._case_row(rng, case, segments))
        final = segments[-1]
        truth = {
            "IDNCASE": case["idncase"],
            "case_type": case["case_type"],
            "nat": case["nat"],
            "start_date": case["start"],
            "outcome": outcome,
            "completion_date": None if pending else completion,
            "asylum_case": case["asylum"],
            "asylum_decision": asylum_decision,
            "represented": case["represented"],
            "in_absentia": bool(final.absentia),
            "court": final.court.code,
            "custody": case["custody"],
            "proceedings": len(segments),
            **self._criminal_truth(case, segments, pending),
        }
        return CaseRows(tables=tables, truth=truth)

    def _criminal_truth(self, case, segments: list[Segment], pending: bool) -> dict[str, bool | None]:
        """The oracle's criminal-charge and PD facts, named as the model's `cases` columns."""
        flags = [seg.crim_ind for seg in segments]
        final = segments[-1]
        codes = case.get("charges", [])
        return {
            "criminal_charge_deciding_proceeding": {"Y": True, "N": False}.get(final.crim_ind),
            "criminal_charge_any_proceeding": True if "Y" in flags else False if "" not in flags else None,
            "criminal_charge_charges": any(self.charge_flags[c][0] for c in codes) if codes else None,
            "aggravated_felony_charges": any(self.charge_flags[c][1] for c in codes) if codes else None,
            "prosecutorial_discretion": None if pending else final.code in decisions.PD_CODES,
        }

    def _proceeding_row(self, rng, case, seg: Segment, previous: Segment | None) -> dict[str, str]:
        text = self.cal.text
        row = {
            "IDNPROCEEDING": str(seg.idn),
            "IDNCASE": str(case["idncase"]),
            "OSC_DATE": text(case["start"]),
            "INPUT_DATE": text(seg.start),
            "BASE_CITY_CODE": seg.court.code,
            "HEARING_LOC_CODE": seg.hloc,
            "IJ_CODE": seg.judge,
            "HEARING_DATE": text(seg.hearings[-1]),
            "HEARING_TIME": _choice(rng, HEARING_TIMES),
            "CUSTODY": case["custody"],
            "CASE_TYPE": case["case_type"],
            "NAT": case["nat"],
            "LANG": case["lang"],
            "CRIM_IND": seg.crim_ind,
        }
        if previous is not None and previous.kind in ("venue", "transfer"):
            row.update(
                TRANS_IN_DATE=text(seg.start),
                PREV_HEARING_LOC=previous.hloc,
                PREV_HEARING_BASE=previous.court.code,
                PREV_IJ_CODE=previous.judge,
                TRANS_NBR=str(_randint(rng, 1, 3)),
            )
        if rng.random() < 0.28:
            row["SCHEDULED_HEAR_LOC"] = seg.hloc
        if rng.random() < 0.02:
            row["IHP"] = self.w["ihp"].pick(rng)
        if rng.random() < 0.73:
            row["AGGRAVATE_FELON"] = "0"
        if case["custody"] in ("D", "R"):
            row["DATE_DETAINED"] = text(max(case["start"] - _randint(rng, 0, 30), 0))
        if seg.end is not None:
            self._completed_fields(rng, case, seg, row)
        return row

    def _completed_fields(self, rng, case, seg: Segment, row: dict[str, str]) -> None:
        text = self.cal.text
        field_name, letter = seg.code
        row["COMP_DATE"] = text(seg.end)
        row["DEC_CODE" if field_name == "C" else "OTHER_COMP"] = letter
        row["ABSENTIA"] = "Y" if seg.absentia else "N"
        if field_name == "C" or rng.random() < 0.3:
            row["DEC_TYPE"] = self.w["dec_type"].pick(rng)
        if seg.outcome in ("removal_order", "voluntary_departure"):
            row["DEPORTED_1"] = case["nat"]
            if rng.random() < 0.02:
                row["DEPORTED_2"] = "MX" if case["nat"] != "MX" else "GT"
        if field_name == "C" and not seg.absentia and rng.random() < 0.1:
            row["APPEAL_RSVD"] = self.w["appeal_rsvd"].pick(rng)
        elif field_name == "C" and rng.random() < 0.05:
            row["APPEAL_NOT_FILED"] = "X"
        due = seg.end + 30
        if due <= self.release:
            row["DATE_APPEAL_DUE_STATUS"] = text(due)
        if field_name == "O" and letter in ("C", "T"):
            row["TRANSFER_STATUS"] = "V" if letter == "C" else "T"
            row["TRANSFER_TO"] = seg.moved_to
            if letter == "C":
                row["VENUE_CHG_GRANTED"] = text(seg.end)
        if case["custody"] == "R":
            row["DATE_RELEASED"] = text(min(seg.end, case["start"] + 60))

    def _schedule_rows(self, rng, case, seg: Segment, ids: Ids) -> list[dict[str, str]]:
        text = self.cal.text
        random_ = rng.random
        weighted = self.w
        rows = []
        merits_last = seg.end is not None and seg.code[0] == "C" and not seg.absentia
        hearings = seg.hearings
        e28 = case["e28"]
        # Fields shared by every hearing of the proceeding.
        shared = {
            "IDNPROCEEDING": str(seg.idn),
            "IDNCASE": str(case["idncase"]),
            "OSC_DATE": text(case["start"]),
            "LANG": case["lang"],
            "HEARING_LOC_CODE": seg.hloc,
            "BASE_CITY_CODE": seg.court.code,
            "IJ_CODE": seg.judge,
        }
        previous_day = seg.start
        for i, day in enumerate(hearings):
            last = i == len(hearings) - 1
            individual = last and merits_last
            start_time = _choice(rng, HEARING_TIMES)
            row = shared.copy()
            row["IDNSCHEDULE"] = str(ids.next("schedule"))
            row["GENERATION"] = weighted["schedule_generation"].pick(rng)
            row["REC_TYPE"] = weighted["schedule_rec_type"].pick(rng)
            row["INPUT_DATE"] = text(previous_day)
            row["INPUT_TIME"] = _choice(rng, HEARING_TIMES)
            row["UPDATE_DATE"] = row["ADJ_DATE"] = text(day)
            row["UPDATE_TIME"] = _choice(rng, HEARING_TIMES)
            row["CAL_TYPE"] = "I" if individual else "M"
            row["ADJ_TIME_START"] = start_time
            row["SCHEDULE_TYPE"] = _choice(rng, SCHEDULE_INDIVIDUAL if individual else SCHEDULE_MASTER)
            row["BLNCLOCKOVERRIDE"] = "1" if random_() < 0.0023 else "0"
            if random_() < 0.89:
                row["ADJ_TIME_STOP"] = _choice(rng, HEARING_ENDS[start_time])
            if random_() < 0.85:
                row["ADJ_MEDIUM"] = weighted["adj_medium"].pick(rng)
            if random_() < 0.14:
                row["ASSIGNMENT_PATH"] = weighted["assignment_path"].pick(rng)
            if random_() < 0.78:
                row["LNGSESSNID"] = str(_randint(rng, 100_000, 9_999_999))
            if random_() < 0.05:
                row["SUB_GENERATION"] = weighted["schedule_generation"].pick(rng)
            if not last:
                row["ADJ_RSN"] = weighted["adj_rsn"].pick(rng)
                row["ADJ_ELAP_DAYS"] = str(hearings[i + 1] - day)
            if e28 is not None and e28 <= day and random_() < 0.8:
                row["EOIRAttorneyID"] = f"{case['idncase'] % 997_003:06d}"
            rows.append(row)
            previous_day = day
        return rows

    def _charge_rows(self, rng, case, seg: Segment, ids: Ids) -> list[dict[str, str]]:
        rows = []
        # 1.5 charges per case on average, as in a real release (Count.txt 2021: 11.3 million charge rows
        # for 7.4 million cases).
        draw = rng.random()
        count = 1 if draw < 0.6 else 2 if draw < 0.9 else 3
        codes = case.setdefault("charges", [])
        for number in range(count):
            # The first charge of a case flagged criminal is a criminal ground; rarely, an unflagged case
            # is charged on one too (the charge table keeps the NTA's charges, CRIM_IND may say N).
            criminal = number == 0 and (case["criminal"] or rng.random() < CRIMINAL_CODE_UNFLAGGED)
            code = self.w["charge_criminal" if criminal else "charge"].pick(rng)
            codes.append(code)
            row = {
                "IDNPRCDCHG": str(ids.next("charge")),
                "IDNCASE": str(case["idncase"]),
                "IDNPROCEEDING": str(seg.idn),
                "CHARGE": code,
            }
            if rng.random() < 0.79:
                row["CHG_STATUS"] = self.w["chg_status"].pick(rng)
            rows.append(row)
        return rows

    def _application_rows(self, rng, case, segments, ids, out, pending) -> str | None:
        """Write the case's applications; return the truth asylum decision (granted/denied/None)."""
        final = segments[-1]
        key = "pending" if pending else final.outcome
        if key == "removal_order" and final.absentia:
            key = "removal_in_absentia"
        asylum_decision = None
        if case["asylum"]:
            if len(segments) > 1 and rng.random() < 0.5:
                first = segments[0]
                out.append(
                    self._application(rng, case, first, ids, "ASYL", "T" if first.kind != "closed" else "S")
                )
            asyl = self.asylum_decision[key].pick(rng).replace("-", "")
            out.append(self._application(rng, case, final, ids, "ASYL", asyl))
            if asyl in decisions.GRANT_CODES:
                asylum_decision = "granted"
            elif asyl == "D":
                asylum_decision = "denied"
            protection = (
                final.code[1] if final.code and final.outcome == "protection_under_removal_order" else ""
            )
            if rng.random() < 0.7:
                out.append(
                    self._application(
                        rng,
                        case,
                        final,
                        ids,
                        "ASYW",
                        "G" if protection == "E" else "M" if asyl == "G" else asyl,
                    )
                )
            if rng.random() < 0.75 or protection in ("Z", "H"):
                out.append(
                    self._application(
                        rng,
                        case,
                        final,
                        ids,
                        "WCAT",
                        "G" if protection in ("Z", "H") else "M" if asyl == "G" else asyl,
                    )
                )
        self._other_applications(rng, case, final, ids, out, key)
        return asylum_decision

    def _other_applications(self, rng, case, final, ids, out, key) -> None:
        if key == "relief_granted":
            if final.code == ("C", "Q"):
                code = "42B"
            else:
                draw, code = rng.random(), "212h"
                for name, share in MERITS_APPLICATIONS:
                    draw -= share
                    if draw < 0:
                        code = name
                        break
            out.append(self._application(rng, case, final, ids, code, "G"))
        elif key == "voluntary_departure" and rng.random() < 0.7:
            out.append(self._application(rng, case, final, ids, "VD", "G"))
        elif key == "removal_order" and rng.random() < 0.25:
            out.append(self._application(rng, case, final, ids, "VD" if rng.random() < 0.7 else "42B", "D"))
        elif key == "pending" and rng.random() < 0.12:
            out.append(self._application(rng, case, final, ids, "42B" if rng.random() < 0.6 else "245", ""))

    def _application(self, rng, case, seg: Segment, ids: Ids, code: str, decision: str) -> dict[str, str]:
        last = seg.end if seg.end is not None else self.release
        received = min(seg.start + _randint(rng, 0, max(0, (last - seg.start) // 2)), last)
        return {
            "IDNPROCEEDINGAPPLN": str(ids.next("application")),
            "IDNPROCEEDING": str(seg.idn),
            "IDNCASE": str(case["idncase"]),
            "APPL_CODE": code,
            "APPL_RECD_DATE": self.cal.text(received),
            "APPL_DEC": decision,
        }

    def _rep_rows(self, rng, case, segments, ids) -> list[dict[str, str]]:
        text = self.cal.text
        rows = []
        if case["e28"] is not None:
            for primary in ("1",) if rng.random() < 0.8 else ("1", "0"):
                row = {
                    "IDNREPSASSIGNED": str(ids.next("rep")),
                    "IDNCASE": str(case["idncase"]),
                    "STRATTYLEVEL": "COURT",
                    "STRATTYTYPE": "ALIEN",
                    "PARENT_TABLE": self.w["parent_table_alien"].pick(rng),
                    "PARENT_IDN": str(case["idncase"]),
                    "E_28_DATE": text(case["e28"]),
                    "BLNPRIMEATTY": primary,
                }
                if rng.random() < 0.68:
                    row["BASE_CITY_CODE"] = segments[0].court.code
                rows.append(row)
        for seg in segments:
            if rng.random() < 0.7:
                rows.append(
                    {
                        "IDNREPSASSIGNED": str(ids.next("rep")),
                        "IDNCASE": str(case["idncase"]),
                        "STRATTYLEVEL": "COURT",
                        "STRATTYTYPE": "INS",
                        "PARENT_TABLE": self.w["parent_table_ins"].pick(rng),
                        "PARENT_IDN": str(seg.idn),
                        "BASE_CITY_CODE": seg.court.code,
                        "INS_TA_DATE_ASSIGNED": text(seg.start),
                        "BLNPRIMEATTY": "1",
                    }
                )
        final = segments[-1]
        if case["e28"] is not None and final.end is not None and rng.random() < 0.08:
            rows.append(
                {
                    "IDNREPSASSIGNED": str(ids.next("rep")),
                    "IDNCASE": str(case["idncase"]),
                    "STRATTYLEVEL": "BOARD",
                    "STRATTYTYPE": "ALIEN",
                    "PARENT_TABLE": self.w["parent_table_board"].pick(rng),
                    "PARENT_IDN": str(900_000 + case["idncase"] % 9_000_000),
                    "E_27_DATE": text(final.end),
                    "BLNPRIMEATTY": "1",
                }
            )
        return rows

    def _custody_rows(self, rng, case, ids) -> list[dict[str, str]]:
        text = self.cal.text
        detained = max(case["start"] - _randint(rng, 0, 30), 0)
        row = {
            "IDNCUSTODY": str(ids.next("custody")),
            "IDNCASE": str(case["idncase"]),
            "CUSTODY": case["custody"],
            "DATDETAINED": text(detained),
        }
        if case["custody"] == "R":
            row["DATRELEASED"] = text(min(case["start"] + _randint(rng, 5, 120), case["end"]))
        return [row]

    def _bond_rows(self, rng, case, seg: Segment, ids) -> list[dict[str, str]]:
        text = self.cal.text
        rows = []
        last = seg.end if seg.end is not None else self.release
        for _ in range(1 if rng.random() < 0.75 else 2):
            requested = min(seg.start + _randint(rng, 0, 30), last)
            decided = min(requested + _randint(rng, 0, 21), last)
            row = {
                "IDNASSOCBOND": str(ids.next("bond")),
                "IDNPROCEEDING": str(seg.idn),
                "IDNCASE": str(case["idncase"]),
                "OSC_DATE": text(case["start"]),
                "REC_TYPE": "B",
                "GENERATION": "99",
                "UPDATE_DATE": text(decided),
                "UPDATE_TIME": _choice(rng, HEARING_TIMES),
                "INPUT_DATE": text(requested),
                "INPUT_TIME": _choice(rng, HEARING_TIMES),
                "BASE_CITY_CODE": seg.court.code,
                "HEARING_LOC_CODE": seg.hloc,
                "IJ_CODE": seg.judge,
                "DEC": self.w["bond_dec"].pick(rng),
                "COMP_DATE": text(decided),
                "BOND_HEAR_REQ_DATE": text(requested),
                "BOND_TYPE": self.w["bond_type"].pick(rng),
            }
            if rng.random() < 0.49:
                row["BASE_CITY_NAME"] = seg.court.name
            if rng.random() < 0.33:
                row["SUB_GENERATION"] = "99"
            if rng.random() < 0.34:
                row["INITIAL_BOND"] = str(_choice(rng, (1500, 5000, 7500, 10000, 15000, 25000)))
            if rng.random() < 0.56:
                row["NEW_BOND"] = str(_choice(rng, (0, 1500, 3000, 5000, 8000, 12000)))
            if rng.random() < 0.09:
                row["BOND_HEARING_TELEPHONIC"] = self.w["bond_telephonic"].pick(rng)
            if rng.random() < 0.69:
                row["FILING_METHOD"] = self.w["filing_method"].pick(rng)
                row["FILING_PARTY"] = self.w["filing_party"].pick(rng)
            if decided + 30 <= self.release:
                row["DATE_APPEAL_DUE"] = text(decided + 30)
            if case["e28"] is not None and case["e28"] <= decided:
                row["E_28_DATE"] = text(case["e28"])
            rows.append(row)
        return rows

    def _case_row(self, rng, case, segments) -> dict[str, str]:
        text = self.cal.text
        first, final = segments[0], segments[-1]
        last_hearing = final.hearings[-1]
        row = {
            "IDNCASE": str(case["idncase"]),
            "NAT": case["nat"],
            "LANG": case["lang"],
            "CUSTODY": case["custody"],
            "CASE_TYPE": case["case_type"],
            "UPDATE_SITE": final.court.code,
            "LATEST_HEARING": text(last_hearing),
            "LATEST_TIME": _choice(rng, HEARING_TIMES),
            "LATEST_CAL_TYPE": self.w["cal_type"].pick(rng),
            "E_28_DATE": text(case["e28"]),
        }
        # Every 500th case lives in a town whose name needs cp1252, so each sample holds such text.
        self._address(rng, row, first.court, non_ascii=case["idncase"] % 500 == 1)
        if rng.random() < 0.47:
            row["SITE_TYPE"] = self.w["site_type"].pick(rng)
        if case["e28"] is not None and rng.random() < 0.95:
            row["ATTY_NBR"] = str(_randint(rng, 1, 999_999))
        if rng.random() < 0.63:
            row["DATE_OF_ENTRY"] = text(case["start"] - _randint(rng, 0, 1500 if rng.random() < 0.4 else 20))
        if case["asylum"] and rng.random() < 0.9:
            row["C_ASY_TYPE"] = "E" if rng.random() < 0.8 else "I" if rng.random() < 0.8 else "J"
        if rng.random() < 0.53:
            born = Calendar.to_date(case["start"] - 365 * _choice(rng, self.ages) - _randint(rng, 0, 364))
            row["C_BIRTHDATE"] = f"{born.month}/{born.year}"
        if rng.random() < 0.35:
            row["ADDRESS_CHANGEDON"] = text(_randint(rng, case["start"], case["end"]))
        if rng.random() < 0.53:
            row["Sex"] = self.w["sex"].pick(rng)
        if case["custody"] in ("D", "R"):
            row["DATE_DETAINED"] = text(max(case["start"] - _randint(rng, 0, 30), 0))
            if case["custody"] == "R":
                row["DATE_RELEASED"] = text(min(case["start"] + _randint(rng, 5, 120), case["end"]))
        if rng.random() < 0.07:
            row["LPR"] = "1" if rng.random() < 0.11 else "0"
        if case["fy"] >= 2015 and rng.random() < 0.05:
            row["CASEPRIORITY_CODE"] = self.w["case_priority"].pick(rng)
        if rng.random() < 0.22:
            row["RELEASE_MONTH"] = "00"
        return row

    def _address(self, rng, row: dict[str, str], court: Court, *, non_ascii: bool) -> None:
        if rng.random() < 0.03 and not non_ascii:
            return
        if rng.random() < 0.004 or non_ascii:
            city = self.city_choice.pick(rng)
            state = self.p.raw["non_ascii_cities"][city]
        else:
            home = court if rng.random() < 0.8 else self.p.courts[_choice(rng, self.court_codes)]
            city, state = home.name, home.state
        row["ALIEN_CITY"] = city
        row["ALIEN_STATE"] = state
        if rng.random() < 0.98:
            row["ALIEN_ZIPCODE"] = f"{_randint(rng, 1001, 99950):05d}"
