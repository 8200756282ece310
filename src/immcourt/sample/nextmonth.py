"""The same sample one month later: what `immcourt sample --next-month` writes, and the oracle of its changes.

`generate(next_month=True)` simulates exactly the cases of the release dated `release_date` (same seed, same
content streams, same IDs) and then moves each one month on, from its own random stream
(`{seed}:{chunk}:next-month`):

- a pending case whose intended decision day falls before the next release date is decided: its last
  proceeding gets COMP_DATE and a decision code, its ASYL/ASYW/WCAT applications a decision, a schedule row
  for the decision hearing is added, and A_TblCase's LATEST_HEARING moves to that day;
- `ADDRESS_CHANGE_RATE` of the cases report a new address (A_TblCase ALIEN_ZIPCODE and ADDRESS_CHANGEDON);
- `JUDGE_CHANGE_RATE` of the cases still pending are reassigned to another judge of their court
  (B_TblProceeding IJ_CODE of the last proceeding);
- `VANISH_RATE` of the cases vanish with every record in every table, as TRAC reported happens between real
  releases;
- new cases start between the two release dates (one month of receipts at the latest full fiscal year's
  rate), with IDNCASE after the last one.

Every row added, removed or changed is one record of `oracle/changes.parquet` (table, key = the table's
first column, change, IDNCASE, reason), computed here from the rows as written, before any defect is injected:
the oracle describes the clean content (use `defects="none"` on both releases for an exact comparison).
With realistic defects, the later release draws its defects afresh (the writer's stream shifts as soon as a
chunk gains or loses a row), so they fall on other rows than in the first release: a diff then also counts
rows whose cells a defect emptied in one release only, and rows quarantined in one release only.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date

import pyarrow as pa

from . import decisions
from .cases import CaseRows, CaseSimulator, Ids, Segment
from .schema import TABLES, columns

VANISH_RATE = 0.002
ADDRESS_CHANGE_RATE = 0.003
JUDGE_CHANGE_RATE = 0.002
# IDs of rows added in the later month start this far above the first release's counters, so they never
# collide with them however many cases the release holds.
ID_OFFSET = 1_000_000_000

CHANGES_SCHEMA = pa.schema(
    [
        ("table", pa.string()),
        ("key", pa.int64()),
        ("change", pa.string()),  # added | removed | changed
        ("IDNCASE", pa.int64()),
        ("reason", pa.string()),  # completed | address_change | judge_change | vanished | new_case
    ]
)


def next_release_date(release_date: date) -> date:
    """The same day one month later (the 28th at most for a day the next month lacks)."""
    if release_date.month == 12:
        return date(release_date.year + 1, 1, release_date.day)
    return date(release_date.year, release_date.month + 1, min(release_date.day, 28))


def _keyed(tables: dict[str, list[dict[str, str]]]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Rows by table and key (the table's first column), as the tuple of their values in header order."""
    out = {}
    for table, rows in tables.items():
        names = columns(table)
        out[table] = {row[names[0]]: tuple(row.get(name, "") for name in names) for row in rows}
    return out


class MonthAdvance:
    """Moves simulated cases on by one month and records every row it adds, removes or changes."""

    def __init__(self, simulator: CaseSimulator, later: CaseSimulator) -> None:
        self.simulator = simulator  # the first release's calendar: how the cases were simulated
        self.later = later  # the next release's calendar: dates up to the later release date
        self.ids = Ids(**{f.name: f.default + ID_OFFSET for f in dataclasses.fields(Ids)})
        self.changes: list[dict] = []
        self.reasons: Counter[str] = Counter()

    @property
    def release(self) -> int:
        return self.later.release

    def advance(self, result: CaseRows, rng: random.Random) -> CaseRows | None:
        """The case one month later (None when it vanished); its rows are changed in place."""
        idncase = result.case["idncase"]
        # Three draws for every case, so a case's fate does not depend on the cases before it.
        vanish, address, judge = rng.random(), rng.random(), rng.random()
        if vanish < VANISH_RATE:
            self.reasons["vanished"] += 1
            self._record(_keyed(result.tables), {}, idncase, "vanished")
            return None
        completes = result.truth["outcome"] is None and result.completion < self.release
        address = address < ADDRESS_CHANGE_RATE
        judge = judge < JUDGE_CHANGE_RATE and result.truth["outcome"] is None and not completes
        if not (completes or address or judge):
            return result
        before = _keyed(result.tables)
        reasons = []
        if completes:
            self._complete(result, rng)
            reasons.append("completed")
        if address:
            self._address_change(result, rng)
            reasons.append("address_change")
        if judge and self._judge_change(result, rng):
            reasons.append("judge_change")
        for reason in reasons:
            self.reasons[reason] += 1
        self._record(before, _keyed(result.tables), idncase, "+".join(reasons))
        return result

    def new_case(self, rng: random.Random, idncase: int) -> CaseRows:
        """A case that starts between the two release dates (simulated on the later release's calendar)."""
        start = self.simulator.release + int(rng.random() * (self.release - self.simulator.release))
        result = self.later.simulate(rng, idncase, self.ids, start=start)
        self.reasons["new_case"] += 1
        self._record({}, _keyed(result.tables), idncase, "new_case")
        return result

    def changes_table(self) -> pa.Table:
        return pa.Table.from_pylist(self.changes, schema=CHANGES_SCHEMA)

    # ---- the changes ----------------------------------------------------------------------------------
    def _complete(self, result: CaseRows, rng: random.Random) -> None:
        sim, case, truth = self.later, result.case, result.truth
        final: Segment = result.segments[-1]
        completion = result.completion
        comp_fy = sim.cal.fiscal_year(completion)
        outcome = sim._outcome(rng, case["case_type"], case["custody"], comp_fy)
        outcome, absentia = sim.grant_and_absentia(rng, outcome, case["case_type"], comp_fy, case["asylum"])
        final.end, final.outcome, final.absentia = completion, outcome, absentia
        final.code = decisions.decision_code(
            case["case_type"], outcome, comp_fy, rng, criminal=case["criminal"]
        )
        last_hearing = final.hearings[-1]
        final.hearings = [*final.hearings, completion]
        idn = str(final.idn)
        row = next(r for r in result.tables["B_TblProceeding"] if r["IDNPROCEEDING"] == idn)
        row["HEARING_DATE"] = sim.cal.text(completion)
        sim._completed_fields(rng, case, final, row)
        hearing = dataclasses.replace(final, start=last_hearing, hearings=[completion])
        result.tables["tbl_schedule"].extend(sim._schedule_rows(rng, case, hearing, self.ids))
        result.tables["A_TblCase"][0]["LATEST_HEARING"] = sim.cal.text(completion)
        truth.update(
            outcome=outcome,
            completion_date=completion,
            in_absentia=bool(absentia),
            prosecutorial_discretion=final.code in decisions.PD_CODES,
        )
        if case["asylum"]:
            truth["asylum_decision"] = self._decide_applications(result, final, rng)

    def _decide_applications(self, result: CaseRows, final: Segment, rng: random.Random) -> str | None:
        """The decided case's ASYL application (and its ASYW/WCAT) get a decision, as the simulator gives
        them; returns the truth's asylum decision (granted, denied or None)."""
        key = "removal_in_absentia" if final.outcome == "removal_order" and final.absentia else final.outcome
        asyl = self.later.asylum_decision[key].pick(rng).replace("-", "")
        protection = final.code[1] if final.outcome == "protection_under_removal_order" else ""
        decided = {
            "ASYL": asyl,
            "ASYW": "G" if protection == "E" else "M" if asyl == "G" else asyl,
            "WCAT": "G" if protection in ("Z", "H") else "M" if asyl == "G" else asyl,
        }
        idn = str(final.idn)
        for row in result.tables["tbl_Court_Appln"]:
            if row["IDNPROCEEDING"] == idn and row["APPL_CODE"] in decided:
                row["APPL_DEC"] = decided[row["APPL_CODE"]]
        return "granted" if asyl in decisions.GRANT_CODES else "denied" if asyl == "D" else None

    def _address_change(self, result: CaseRows, rng: random.Random) -> None:
        row = result.tables["A_TblCase"][0]
        old = row.get("ALIEN_ZIPCODE", "")
        new = old
        while new == old:
            new = f"{1001 + int(rng.random() * 98_950):05d}"
        row["ALIEN_ZIPCODE"] = new
        day = self.simulator.release + int(rng.random() * (self.release - self.simulator.release))
        row["ADDRESS_CHANGEDON"] = self.later.cal.text(day)

    def _judge_change(self, result: CaseRows, rng: random.Random) -> bool:
        final = result.segments[-1]
        others = [judge for judge in final.court.judges if judge != final.judge]
        if not others:
            return False
        final.judge = others[int(rng.random() * len(others))]
        idn = str(final.idn)
        row = next(r for r in result.tables["B_TblProceeding"] if r["IDNPROCEEDING"] == idn)
        row["IJ_CODE"] = final.judge
        return True

    def _record(self, before: dict, after: dict, idncase: int, reason: str) -> None:
        for table in TABLES:
            old, new = before.get(table, {}), after.get(table, {})
            for key in old.keys() - new.keys():
                self.changes.append(_change(table, key, "removed", idncase, reason))
            for key in new.keys() - old.keys():
                self.changes.append(_change(table, key, "added", idncase, reason))
            for key in old.keys() & new.keys():
                if old[key] != new[key]:
                    self.changes.append(_change(table, key, "changed", idncase, reason))


def _change(table: str, key: str, change: str, idncase: int, reason: str) -> dict:
    return {"table": table, "key": int(key), "change": change, "IDNCASE": idncase, "reason": reason}


def monthly_new_cases(simulator: CaseSimulator, cases: int, release_date: date) -> int:
    """How many cases start in the month after `release_date`: a month of the latest full fiscal year's
    receipts, in proportion to the `cases` the first release drew from every year's receipts."""
    receipts = simulator.p.raw["receipts_by_fy"]
    full_year = release_date.year if release_date.month >= 10 else release_date.year - 1
    monthly = float(receipts.get(str(full_year), receipts.get(str(full_year - 1), 0))) / 12
    return max(1, round(cases * monthly / simulator.start_fy.total))
