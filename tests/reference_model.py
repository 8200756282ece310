"""An independent, plain-Python reading of OUTCOMES.md, for checking the SQL model and metrics.

No SQL and nothing from immcourt.model or immcourt.metrics: it reads the raw rows of a MiniRelease
(tests/builders.py) and works every statistic out the slow, obvious way, day by day where a date
matters. tests/test_reference_model.py asserts that the real pipeline gives the same answers.

Rules taken from OUTCOMES.md (section numbers in brackets) and from docs/METHODOLOGY.md where
OUTCOMES.md is silent (marked "METHODOLOGY"):
- a completion is decoded by (case type, C for DEC_CODE / O for OTHER_COMP, letter), active rows
  first [2]; its description gives the class [3];
- the deciding proceeding [5]: not_final completions are skipped while another proceeding exists;
  `last` orders by completion date with open ones last, then IDNPROCEEDING; `last_completed` takes the
  last completed one;
- pending at t [6]: section 5 as of t over the proceedings that exist on t (METHODOLOGY: the first
  from the case's start, another from its INPUT_DATE, else OSC_DATE, never before the start);
- asylum decisions [4]: one per ASYL application decided G F C I P L (granted) or D (denied); EOIR's
  other = A W O; dated by its proceeding's completion date (METHODOLOGY);
- every time series lists every period from the first to the last asked or in the data
  (METHODOLOGY); pending series end at the release date's period.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from tests.builders import LOOKUPS, MiniRelease

GRANTS = frozenset("GFCIPL")
OTHER_DECISIONS = frozenset("AWO")

# The classes of the descriptions tests/builders.py uses, read off OUTCOMES.md section 3 by hand.
CLASS_OF_DESCRIPTION = {
    "remove": "removal_order",
    "deport": "removal_order",
    "zero bond": "other",
    "voluntary departure": "voluntary_departure",
    "relief granted": "relief_granted",
    "terminate": "terminated",
    "dismissed by ij": "dismissed",
    "remove-ina withholding granted": "protection_under_removal_order",
    "remove-cat withholding granted": "protection_under_removal_order",
    "other": "other",
    "jurisdiction transferred to the bia": "not_final",
    "change of venue": "not_final",
    "transfer": "not_final",
    "administrative closing - other": "administratively_closed",
    "prosecutorial discretion \u2013 admin close": "administratively_closed",
    "failure to prosecute (dhs cases only)": "dismissed",
    "prosecutorial discretion \u2013 terminated": "terminated",
    "in court prosecutorial discretion - admin closure": "administratively_closed",
}
# The `decision` dimension: each description as outcome_map.csv spells it (hand-copied).
MAP_SPELLING = {
    "remove": "Remove", "deport": "Deport", "zero bond": "ZERO BOND",
    "voluntary departure": "Voluntary Departure",
    "relief granted": "Relief Granted", "terminate": "Terminate", "dismissed by ij": "Dismissed by IJ",
    "remove-ina withholding granted": "Remove-INA Withholding Granted",
    "remove-cat withholding granted": "Remove-CAT Withholding Granted", "other": "Other",
    "administrative closing - other": "Administrative Closing - Other",
    "prosecutorial discretion \u2013 admin close": "Prosecutorial Discretion - Admin Close",
    "failure to prosecute (dhs cases only)": "Failure to Prosecute (DHS cases only)",
    "prosecutorial discretion \u2013 terminated": "Prosecutorial Discretion - Terminated",
    "in court prosecutorial discretion - admin closure": "In Court Prosecutorial Discretion - Admin Closure",
}  # fmt: skip
# METHODOLOGY: the descriptions that name prosecutorial discretion.
PD_DESCRIPTIONS = {
    "prosecutorial discretion \u2013 terminated",
    "prosecutorial discretion \u2013 admin close",
    "in court prosecutorial discretion - admin closure",
}

# OUTCOMES.md section 6 (earlier ones only matter for ordering).
ADMINISTRATIONS = [
    ("Reagan", date(1981, 1, 20)),
    ("G.H.W. Bush", date(1989, 1, 20)),
    ("Clinton", date(1993, 1, 20)),
    ("G.W. Bush", date(2001, 1, 20)),
    ("Obama", date(2009, 1, 20)),
    ("Trump I", date(2017, 1, 20)),
    ("Biden", date(2021, 1, 20)),
    ("Trump II", date(2025, 1, 20)),
]
ADMIN_NAMES = [name for name, _ in ADMINISTRATIONS]

DEFAULTS: dict[str, object] = {
    "deciding_proceeding": "last",
    "representation": "e28",
    "withholding_as": "relief",
    "admin_closure_as": "closed",
    "include_admin_closure": "no",
    "asylum_codes": "ASYL,ASYW",
    "grant_rate": "trac",
    "administration_by": "date",
    "judge_min_decisions": 100,
    "judge_year_min": 25,
    "min_n": 10,
    "criminal_charge_rule": "deciding_proceeding",
    "aggravated_felony_rule": "charges",
}
PENDING_STATES = ("open", "inactive", "not_final")
TIME = ("fiscal_year", "calendar_year", "month", "administration")
LABELLED = {  # dimension -> (lookup, code column, name column)
    "court": ("tblLookupBaseCity", "BASE_CITY_CODE", "BASE_CITY"),
    "hearing_location": ("tblLookupHloc", "HEARING_LOC_CODE", "HEARING_LOC_NAME"),
    "judge": ("tblLookupJudge", "JUDGE_CODE", "JUDGE_NAME"),
    "nationality": ("tblLookupNationality", "NAT_CODE", "NAT_NAME"),
    "language": ("tblLanguage", "strCode", "strDescription"),
}


def _names(lookup: str, code_col: str, name_col: str) -> dict[str, str]:
    header, rows = LOOKUPS[lookup]
    return {row[header.index(code_col)]: row[header.index(name_col)] for row in rows}


NAMES = {dim: _names(*spec) for dim, spec in LABELLED.items()}
CUSTODY_NAMES = _names("tblLookupCustodyStatus", "strCode", "strDescription")


def fiscal_year(d: date) -> int:
    return d.year + 1 if d.month >= 10 else d.year


def administration(d: date, by: object) -> str:
    if by == "fiscal_year":
        d = date(fiscal_year(d), 3, 31)
    return [name for name, first in ADMINISTRATIONS if first <= d][-1]


def period_index(dim: str, value: object) -> int:
    """Periods as consecutive integers (fiscal/calendar year, year*12+month-1, administration rank)."""
    if dim in ("fiscal_year", "calendar_year"):
        return int(value)  # type: ignore[arg-type]
    if dim == "month":
        text = str(value)
        return int(text[:4]) * 12 + int(text[5:]) - 1
    return ADMIN_NAMES.index(str(value))


def period_value(dim: str, index: int) -> object:
    if dim in ("fiscal_year", "calendar_year"):
        return index
    if dim == "month":
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return ADMIN_NAMES[index]


def period_end(dim: str, index: int) -> date:
    if dim == "fiscal_year":
        return date(index, 9, 30)
    if dim == "calendar_year":
        return date(index, 12, 31)
    year, month = divmod(index + 1, 12)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def time_values(d: date, admin_by: object) -> dict[str, object]:
    return {
        "fiscal_year": fiscal_year(d),
        "calendar_year": d.year,
        "month": f"{d.year:04d}-{d.month:02d}",
        "administration": administration(d, admin_by),
    }


class Reference:
    """Every metric of one MiniRelease under one option set, computed from its raw rows."""

    def __init__(self, release: MiniRelease, options: dict[str, object], release_date: date):
        self.o = {**DEFAULTS, **options}
        self.release_date = release_date
        self.codes = {c.strip().upper() for c in str(self.o["asylum_codes"]).split(",") if c.strip()}
        self.case_rows = {row["IDNCASE"]: row for row in release.cases}
        self.procs: dict[int, list[dict]] = defaultdict(list)
        for p in release.proceedings:
            self.procs[p["IDNCASE"]].append(p)
        self.proc_by_id = {p["IDNPROCEEDING"]: p for p in release.proceedings}
        self.apps = release.applications
        self.alien_reps = {r["IDNCASE"] for r in release.reps if r["STRATTYTYPE"] == "ALIEN"}
        self.decoder = self._decoder(release.decision_rows)
        self.charges: dict[int, list[str]] = defaultdict(list)
        for row in release.charges:
            self.charges[row["IDNCASE"]].append(_charge_key(row["CHARGE"]))
        # tbllookupCharges: active rows first, then the later row (METHODOLOGY)
        header, rows = LOOKUPS["tbllookupCharges"]
        ranked = sorted(rows, key=lambda r: (r[header.index("blnActive")] == "1", int(r[0])))
        self.charge_flags = {
            _charge_key(r[header.index("strCode")]): (
                r[header.index("criminal_flag")] == "1",
                r[header.index("aggravate_felon")] == "1",
            )
            for r in ranked
        }

    # -- decoding and states (sections 2, 3, 5) --------------------------------------------------------

    @staticmethod
    def _decoder(rows: list[tuple[str, str, str, str, str]]) -> dict[tuple[str, str, str], str]:
        best: dict[tuple[str, str, str], tuple[tuple[int, int], str]] = {}
        for number, (case_type, letter, kind, description, active) in enumerate(rows, start=1):
            rank = (1 if active in ("1", "True", "true") else 0, number)
            key = (case_type, kind, letter)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, description)
        return {key: description for key, (_, description) in best.items()}

    def case_type(self, p: dict) -> str | None:
        own = (p.get("CASE_TYPE") or "").strip().upper()
        if own:
            return own
        case = self.case_rows.get(p["IDNCASE"])
        return (case.get("CASE_TYPE") or "").strip().upper() or None if case else None

    def description(self, p: dict) -> str | None:
        ct = self.case_type(p)
        description = None
        if p.get("DEC_CODE"):
            description = self.decoder.get((ct, "C", p["DEC_CODE"].upper()))
        if description is None and p.get("OTHER_COMP"):
            description = self.decoder.get((ct, "O", p["OTHER_COMP"].upper()))
        return None if description is None else description.lower()

    def decision_class(self, p: dict) -> str | None:
        description = self.description(p)
        return None if description is None else CLASS_OF_DESCRIPTION[description]

    # -- criminal charges (METHODOLOGY: criminal_charge, aggravated_felony) -------------------------------

    def _flags(self, idncase: int, p: dict | None, column: str, which: int, rule: str) -> str:
        def own(q: dict) -> bool | None:
            value = (q.get(column) or "").strip().upper()
            return {"Y": True, "N": False, "1": True, "0": False}.get(value)

        if rule == "deciding_proceeding":
            found = own(p) if p else None
        elif rule == "any_proceeding":
            found = _any([own(q) for q in self.procs.get(idncase, [])])
        else:
            codes = self.charges[idncase]
            found = _any([self.charge_flags[c][which] if c in self.charge_flags else None for c in codes])
        return {True: "yes", False: "no", None: "unknown"}[found]

    def charge_dims(self, idncase: int, p: dict | None) -> dict[str, str]:
        return {
            "criminal_charge": self._flags(idncase, p, "CRIM_IND", 0, str(self.o["criminal_charge_rule"])),
            "aggravated_felony": self._flags(
                idncase, p, "AGGRAVATE_FELON", 1, str(self.o["aggravated_felony_rule"])
            ),
        }

    def state(self, p: dict) -> str:
        if p["COMP_DATE"] is None:
            return "open"
        cls = self.decision_class(p)
        if cls is None:
            return "unknown"
        if cls == "not_final":
            return "not_final"
        if cls == "administratively_closed" and self.o["admin_closure_as"] == "pending":
            return "inactive"
        return "final"

    def deciding(self, states: list[tuple[dict, str, date | None]]) -> tuple[dict, str, date | None]:
        """Section 5 over (proceeding, state, completion date or None) triples."""

        def key(item: tuple[dict, str, date | None]) -> tuple:
            p, state, comp = item
            if self.o["deciding_proceeding"] == "last":
                second = state == "open"
            else:
                second = state not in ("open", "inactive")
            return (state != "not_final", second, comp is None, comp or date.min, p["IDNPROCEEDING"])

        return max(states, key=key)

    def start(self, idncase: int) -> date | None:
        first = min(self.procs[idncase], key=lambda p: p["IDNPROCEEDING"])
        return first["OSC_DATE"] or first["INPUT_DATE"]

    # -- case-level facts ------------------------------------------------------------------------------

    def _case_apps(self, idncase: int) -> list[dict]:
        return [a for a in self.apps if a["IDNCASE"] == idncase]

    def asylum_case(self, idncase: int) -> bool:
        return any((a["APPL_CODE"] or "").upper() in self.codes for a in self._case_apps(idncase))

    def _case_dims(self, idncase: int) -> dict[str, object]:
        case = self.case_rows.get(idncase, {})
        nat, lang = case.get("NAT") or None, case.get("LANG") or None
        asy = (case.get("C_ASY_TYPE") or "").upper()
        return {
            "nationality": NAMES["nationality"].get(nat, nat) if nat else "unknown",
            "language": NAMES["language"].get(lang, lang) if lang else "unknown",
            "asylum_type": {"I": "affirmative", "E": "defensive"}.get(asy, "unknown"),
            "asylum_case": self.asylum_case(idncase),
        }

    def _proceeding_dims(self, p: dict) -> dict[str, object]:
        def named(dim: str, code: str | None) -> str:
            return NAMES[dim].get(code, code) if code else "unknown"

        return {
            "court": named("court", p["BASE_CITY_CODE"]),
            "hearing_location": named("hearing_location", p["HEARING_LOC_CODE"]),
            "judge": named("judge", p["IJ_CODE"]),
            "custody": CUSTODY_NAMES.get(p["CUSTODY"], "unknown") if p["CUSTODY"] else "unknown",
            "case_type": self.case_type(p) or "unknown",
        }

    def case_asylum_decision(self, idncase: int) -> str:
        decided = [
            a
            for a in self._case_apps(idncase)
            if a["APPL_CODE"] == "ASYL"
            and a["APPL_DEC"]
            and a["APPL_DEC"] in GRANTS | {"D"} | OTHER_DECISIONS
        ]
        if not decided:
            return "unknown"

        def key(a: dict) -> tuple:
            p = self.proc_by_id.get(a["IDNPROCEEDING"])
            comp = p["COMP_DATE"] if p else None
            received = a["APPL_RECD_DATE"]
            return (
                comp is None,
                comp or date.min,
                a["IDNPROCEEDING"],
                received is None,
                received or date.min,
                a["IDNPROCEEDINGAPPLN"],
            )

        return _decision_class(max(decided, key=key)["APPL_DEC"])

    def cases(self) -> list[dict]:
        """One record per case with a proceeding: its outcome, dates and dimension values."""
        out = []
        for idncase, procs in self.procs.items():
            p, state, comp = self.deciding([(p, self.state(p), p["COMP_DATE"]) for p in procs])
            cls = self.decision_class(p) if state == "final" else None
            granted = any(
                a["APPL_CODE"] == "ASYL" and a["APPL_DEC"] in GRANTS for a in self._case_apps(idncase)
            )
            outcome = "asylum_granted" if cls == "relief_granted" and granted else cls
            completion = comp if state == "final" else None
            e28 = self.case_rows.get(idncase, {}).get("E_28_DATE")
            if self.o["representation"] == "e28":
                represented = e28 is not None and (state != "final" or e28 <= comp)
            else:
                represented = idncase in self.alien_reps
            record = {
                "idncase": idncase,
                "completion_date": completion,
                "outcome": outcome,
                "excluded": state == "unknown",
                "start_date": self.start(idncase),
                "dims": {
                    **self._proceeding_dims(p),
                    **self._case_dims(idncase),
                    "outcome": outcome or "unknown",
                    "represented": represented,
                    "in_absentia": state == "final" and p["ABSENTIA"] == "Y",
                    "asylum_decision": self.case_asylum_decision(idncase),
                    **self.charge_dims(idncase, p),
                    "prosecutorial_discretion": (
                        self.description(p) in PD_DESCRIPTIONS if state == "final" else None
                    ),
                    "decision": MAP_SPELLING[self.description(p)] if state == "final" else "unknown",
                },
            }
            out.append(record)
        return out

    def decisions(self) -> list[dict]:
        """One record per decided ASYL application, dated by its proceeding's completion."""
        out = []
        for a in self.apps:
            if a["APPL_CODE"] != "ASYL" or not a["APPL_DEC"]:
                continue
            if a["APPL_DEC"] not in GRANTS | {"D"} | OTHER_DECISIONS:
                continue
            p = self.proc_by_id.get(a["IDNPROCEEDING"])
            when = p["COMP_DATE"] if p else None
            e28 = self.case_rows.get(a["IDNCASE"], {}).get("E_28_DATE")
            if self.o["representation"] == "e28":
                represented = e28 is not None and when is not None and e28 <= when
            else:
                represented = a["IDNCASE"] in self.alien_reps
            dims = self._proceeding_dims(p) if p else {
                "court": "unknown", "hearing_location": "unknown", "judge": "unknown",
                "custody": "unknown", "case_type": "unknown",
            }  # fmt: skip
            out.append(
                {
                    "decision": _decision_class(a["APPL_DEC"]),
                    "date": when,
                    "dims": {
                        **dims,
                        **self._case_dims(a["IDNCASE"]),
                        "represented": represented,
                        "in_absentia": bool(p) and self.state(p) == "final" and p["ABSENTIA"] == "Y",
                        "asylum_decision": _decision_class(a["APPL_DEC"]),
                        **self.charge_dims(a["IDNCASE"], p),
                    },
                }
            )
        return out

    # -- pending as of a day (section 6) -------------------------------------------------------------

    def pending_on(self, idncase: int, t: date) -> dict[str, object] | None:
        """The case's dimension values on day t if it is pending then, else None."""
        start = self.start(idncase)
        if start is None or t < start:
            return None
        procs = self.procs[idncase]
        first = min(p["IDNPROCEEDING"] for p in procs)
        existing = []
        for p in procs:
            opened = (
                start
                if p["IDNPROCEEDING"] == first
                else max(start, p["INPUT_DATE"] or p["OSC_DATE"] or start)
            )
            if opened > t:
                continue
            done = p["COMP_DATE"] is not None and p["COMP_DATE"] <= t
            existing.append((p, self.state(p) if done else "open", p["COMP_DATE"] if done else None))
        if not existing:
            return None
        p, state, _ = self.deciding(existing)
        if state not in PENDING_STATES:
            return None
        e28 = self.case_rows.get(idncase, {}).get("E_28_DATE")
        if self.o["representation"] == "e28":
            represented = e28 is not None and e28 <= t
        else:
            represented = idncase in self.alien_reps
        return {
            **self._proceeding_dims(p),
            **self._case_dims(idncase),
            "represented": represented,
            **self.charge_dims(idncase, p),
        }

    def change_days(self) -> list[date]:
        """Every date in the rows: a case's state as of t only changes on one of them."""
        days = set()
        for p in self.proceedings_all():
            days.update(d for d in (p["OSC_DATE"], p["INPUT_DATE"], p["COMP_DATE"]) if d)
        days.update(c["E_28_DATE"] for c in self.case_rows.values() if c.get("E_28_DATE"))
        return sorted(days)

    def proceedings_all(self) -> Iterable[dict]:
        for procs in self.procs.values():
            yield from procs

    # -- metrics -----------------------------------------------------------------------------------------

    def stats(
        self,
        metric: str,
        by: tuple[str, ...] = (),
        where: dict[str, tuple[object, ...]] | None = None,
        at: date | None = None,
        fiscal_years: tuple[int, int] | None = None,
    ) -> tuple[dict[tuple, dict], set[tuple]]:
        """({dimension values: row}, {keys of cells hidden by minimum-n rules})."""
        where = where or {}
        if metric == "pending":
            return self._pending(by, where, at, fiscal_years), set()
        records = self._flow_records(metric)
        kind = "count"
        if metric in ("allowed_to_remain_share", "removed_share", "in_absentia_share", "represented_share"):
            kind = "share"
        if metric == "asylum_grant_rate":
            kind = "share"
        if metric == "median_days_to_completion":
            kind = "median"
        records = [r for r in records if _matches(r["dims"], where)]
        if fiscal_years:
            records = [r for r in records if fiscal_years[0] <= r["dims"]["fiscal_year"] <= fiscal_years[1]]
        time_dims = [d for d in by if d in TIME]
        cells: dict[tuple, list[dict]] = defaultdict(list)
        for r in records:
            cells[tuple(r["dims"][d] for d in by)].append(r)
        if time_dims:
            asked = None
            if fiscal_years and time_dims[0] != "administration":
                first, last = date(fiscal_years[0] - 1, 10, 1), date(fiscal_years[1], 9, 30)
                asked = (_index_of_day(time_dims[0], first), _index_of_day(time_dims[0], last))
            cells = _fill(cells, by, time_dims[0], asked)
        rows = {key: _measure(kind, members) for key, members in cells.items()}
        if not by:  # one total row, whatever the count; a share of nothing has no numerator either
            rows = {(): _measure(kind, records)}
            if not records and kind == "share":
                rows[()]["numerator"] = None
        named = None
        if metric == "asylum_grant_rate" and "judge" in where and "judge" not in by:
            # The judge rules hold whenever a judge is named: each named judge's decisions in the window.
            named = {
                judge: _measure(kind, [r for r in records if r["dims"]["judge"] == judge])["n"]
                for judge in {r["dims"]["judge"] for r in records}
            }
        return self._suppress(metric, kind, by, rows, named)

    def _flow_records(self, metric: str) -> list[dict]:
        o = self.o
        remain = {"asylum_granted", "relief_granted", "terminated", "dismissed", "administratively_closed"}
        removed = {"removal_order", "voluntary_departure"}
        if o["withholding_as"] == "relief":
            remain.add("protection_under_removal_order")
        else:
            removed.add("protection_under_removal_order")
        if metric in ("asylum_decisions", "asylum_grant_rate"):
            counted = {"granted", "denied"} | (
                {"other"} if metric == "asylum_grant_rate" and o["grant_rate"] == "eoir" else set()
            )
            out = []
            for d in self.decisions():
                if d["date"] is None or d["decision"] not in counted:
                    continue
                out.append(
                    {
                        "dims": {**d["dims"], **time_values(d["date"], o["administration_by"])},
                        "hit": d["decision"] == "granted",
                    }
                )
            return out
        out = []
        for c in self.cases():
            completed = c["completion_date"] is not None and c["outcome"] is not None
            if metric == "new_cases":
                if c["start_date"] is None or c["excluded"]:
                    continue
                when = c["start_date"]
                hit = None
            else:
                if not completed:
                    continue
                when = c["completion_date"]
                outcome = c["outcome"]
                if metric == "closed_without_merits":
                    closed = {"terminated", "dismissed"} | (
                        {"administratively_closed"} if o["include_admin_closure"] == "yes" else set()
                    )
                    if outcome not in closed:
                        continue
                if metric == "in_absentia_share" and outcome != "removal_order":
                    continue
                if metric == "median_days_to_completion" and (
                    c["start_date"] is None or when < c["start_date"]
                ):
                    continue
                hit = {
                    "allowed_to_remain_share": outcome in remain,
                    "removed_share": outcome in removed,
                    "in_absentia_share": c["dims"]["in_absentia"],
                    "represented_share": c["dims"]["represented"],
                    "median_days_to_completion": (when - c["start_date"]).days if c["start_date"] else None,
                }.get(metric)
            out.append({"dims": {**c["dims"], **time_values(when, o["administration_by"])}, "hit": hit})
        return out

    def _pending(
        self, by: tuple[str, ...], where: dict, at: date | None, fiscal_years: tuple[int, int] | None
    ) -> dict[tuple, dict]:
        time_dims = [d for d in by if d in TIME]
        others = tuple(d for d in by if d not in TIME)
        if not time_dims:
            assert at is not None
            counts: dict[tuple, int] = defaultdict(int)
            for idncase in self.procs:
                dims = self.pending_on(idncase, at)
                if dims is not None and _matches(dims, where):
                    counts[tuple(dims[d] for d in by)] += 1
            if not by:
                counts.setdefault((), 0)
            return {key: _row(n, None, None, n) for key, n in counts.items()}
        dim = time_dims[0]
        # Groups and the first period: from every day any (filtered) case is pending.
        first: int | None = None
        groups: set[tuple] = set()
        for day in self.change_days():
            for idncase in self.procs:
                dims = self.pending_on(idncase, day)
                if dims is not None and _matches(dims, where):
                    groups.add(tuple(dims[d] for d in others))
                    index = _index_of_day(dim, day)
                    first = index if first is None else min(first, index)
        last = _index_of_day(dim, self.release_date)
        if fiscal_years:  # the periods whose end falls within the fiscal years asked
            first = _index_of_day(dim, date(fiscal_years[0] - 1, 10, 1))
            end = date(fiscal_years[1], 9, 30)
            last = _index_of_day(dim, end) - (1 if period_end(dim, _index_of_day(dim, end)) > end else 0)
        if first is None:
            return {}
        if not others:
            groups.add(())
        rows = {}
        for index in range(first, last + 1):
            end = period_end(dim, index)
            counts = dict.fromkeys(groups, 0)
            for idncase in self.procs:
                dims = self.pending_on(idncase, end)
                if dims is not None and _matches(dims, where):
                    counts[tuple(dims[d] for d in others)] += 1
            for group, n in counts.items():
                values = dict(zip(others, group, strict=True))
                values[dim] = period_value(dim, index)
                rows[tuple(values[d] for d in by)] = _row(n, None, None, n)
        return rows

    def _suppress(
        self,
        metric: str,
        kind: str,
        by: tuple[str, ...],
        rows: dict[tuple, dict],
        named: dict[object, int] | None = None,
    ):
        """Minimum-n rules; `named`: decisions of each judge a filter names (None when no judge is named
        or the answer is cut by judge). A named judge under judge_min_decisions hides every cell."""
        if kind not in ("share", "median"):
            return rows, set()
        o = self.o
        hidden = set()
        small_judges: set[object] = set()
        judge_named = metric == "asylum_grant_rate" and ("judge" in by or named is not None)
        if named and any(n < int(o["judge_min_decisions"]) for n in named.values()):
            return {}, set(rows)
        if metric == "asylum_grant_rate" and "judge" in by:
            at = by.index("judge")
            totals: dict[object, int] = defaultdict(int)
            for key, row in rows.items():
                totals[key[at]] += row["n"]
            small_judges = {j for j, n in totals.items() if n < int(o["judge_min_decisions"])}
        has_time = any(d in TIME for d in by)
        for key, row in rows.items():
            if judge_named:
                if "judge" in by and key[by.index("judge")] in small_judges:
                    hidden.add(key)
                    continue
                if has_time and row["n"] < int(o["judge_year_min"]):
                    hidden.add(key)
                    continue
            if row["n"] < int(o["min_n"]):
                hidden.add(key)
        return {k: v for k, v in rows.items() if k not in hidden}, hidden


def _any(values: list[bool | None]) -> bool | None:
    """True if any is, False if all are known and none is, else unknown (None); unknown when empty."""
    if True in values:
        return True
    return False if values and None not in values else None


def _charge_key(code: str | None) -> str:
    return " ".join((code or "").split()).upper()


def _decision_class(code: str) -> str:
    return "granted" if code in GRANTS else "denied" if code == "D" else "other"


def _matches(dims: dict[str, object], where: dict[str, tuple[object, ...]]) -> bool:
    return all(str(dims[name]).upper() in {str(v).upper() for v in values} for name, values in where.items())


def _index_of_day(dim: str, day: date) -> int:
    if dim == "fiscal_year":
        return fiscal_year(day)
    if dim == "calendar_year":
        return day.year
    return day.year * 12 + day.month - 1


def _fill(
    cells: dict[tuple, list[dict]], by: tuple[str, ...], dim: str, asked: tuple[int, int] | None
) -> dict[tuple, list[dict]]:
    """Every period between the first and the last asked (else in the data), for every group."""
    at = by.index(dim)
    indexes = [period_index(dim, key[at]) for key in cells]
    if asked is None and not indexes:
        return cells
    lo, hi = asked or (min(indexes), max(indexes))
    groups = {key[:at] + key[at + 1 :] for key in cells}
    if len(by) == 1:
        groups.add(())
    filled: dict[tuple, list[dict]] = {}
    for group in groups:
        for index in range(lo, hi + 1):
            key = group[:at] + (period_value(dim, index),) + group[at:]
            filled[key] = cells.get(key, [])
    return filled


def _row(value: object, numerator: object, denominator: object, n: int) -> dict:
    return {"value": value, "numerator": numerator, "denominator": denominator, "n": n}


def _measure(kind: str, members: list[dict]) -> dict:
    n = len(members)
    if kind == "count":
        return _row(n, None, None, n)
    if kind == "share":
        hits = sum(1 for m in members if m["hit"])
        return _row(hits / n if n else None, hits, n, n)
    return _row(float(statistics.median(m["hit"] for m in members)) if n else None, None, None, n)
