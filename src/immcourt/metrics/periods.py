"""The last day a release covers, and which fiscal years, months and administrations it covers only in part.

One rule, used by every output (CLI, API, web, downloads):

- **Records through** = the release date minus one day. The release id is the date of the newest member
  file (store.py); EOIR extracts the data up to the day before it writes the files. The newest date *in*
  the data is not used: scheduled hearings and keying errors put dates in the future, so it says nothing
  about how far the extract reaches. A release whose id has no date has no `records through` (None).
- **Records from** = the earliest case start in the release: the first proceeding's OSC_DATE, else its
  INPUT_DATE (the `start_date` of the model's `cases`), after the ingest's plausibility rule has set dates
  before 1950 to NULL. Nothing in the release can say what happened before it, so the period holding it is
  covered only from that day on (`Store.records_from()` computes it once per release).
- A period is **partial** when it ends after the records-through day (it is still running, or has not
  started) or begins before the records-from day (the data starts inside it): a fiscal year (1 Oct - 30 Sep,
  named by the year it ends in), a calendar year, a month (`YYYY-MM`) or an administration
  (model/administrations.csv). A partial period holds fewer cases because the extract stops (or starts),
  not because fewer cases happened, so time charts leave it out unless asked otherwise (web:
  `partial=show`), and tables, downloads and the CLI's footer mark it, at the start as at the end.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

PARTIAL_DIMENSIONS = ("fiscal_year", "calendar_year", "month", "administration")


def records_through(release_date: date | None) -> date | None:
    """The last day the release covers: the release date minus one day (None without a release date)."""
    return None if release_date is None else release_date - timedelta(days=1)


def period_end(dimension: str, value: object) -> date | None:
    """The last day of one period value of a time dimension; None when the value is not a period.

    fiscal_year 2025 -> 2025-09-30; calendar_year 2025 -> 2025-12-31; month '2025-02' -> 2025-02-28;
    administration 'Biden' -> 2025-01-19 (a sitting administration ends 9999-12-31).
    """
    text = str(value).strip()
    try:
        if dimension == "fiscal_year":
            return date(int(text), 9, 30)
        if dimension == "calendar_year":
            return date(int(text), 12, 31)
        if dimension == "month":
            year, month = (int(part) for part in text.split("-")[:2])
            return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None
    if dimension == "administration":
        from immcourt.model.build import read_administrations

        for row in read_administrations():
            if row["administration"].casefold() == text.casefold():
                return date.fromisoformat(row["last_day"])
    return None


def period_start(dimension: str, value: object) -> date | None:
    """The first day of one period value of a time dimension; None when the value is not a period.

    fiscal_year 2025 -> 2024-10-01; calendar_year 2025 -> 2025-01-01; month '2025-02' -> 2025-02-01;
    administration 'Biden' -> 2021-01-20.
    """
    text = str(value).strip()
    try:
        if dimension == "fiscal_year":
            return date(int(text) - 1, 10, 1)
        if dimension == "calendar_year":
            return date(int(text), 1, 1)
        if dimension == "month":
            year, month = (int(part) for part in text.split("-")[:2])
            return date(year, month, 1)
    except ValueError:
        return None
    if dimension == "administration":
        from immcourt.model.build import read_administrations

        for row in read_administrations():
            if row["administration"].casefold() == text.casefold():
                return date.fromisoformat(row["first_day"])
    return None


def is_partial(dimension: str, value: object, through: date | None, start: date | None = None) -> bool:
    """True when the period `value` of `dimension` ends after `through` or begins before `start` (the
    records-from day); a bound that is None is not checked."""
    return partial_end(dimension, value, through) or partial_start(dimension, value, start)


def partial_end(dimension: str, value: object, through: date | None) -> bool:
    """True when the period ends after the records-through day (the extract stops inside it)."""
    if through is None:
        return False
    end = period_end(dimension, value)
    return end is not None and end > through


def partial_start(dimension: str, value: object, start: date | None) -> bool:
    """True when the period begins before the records-from day (the data starts inside it)."""
    if start is None:
        return False
    begin = period_start(dimension, value)
    return begin is not None and begin < start


def partial_label(dimension: str, value: object, through: date | None) -> str:
    """How a partial period is labelled: `FY2027 (partial, through 2026-10-31)`; else the value itself."""
    if not is_partial(dimension, value, through):
        return str(value)
    prefix = "FY" if dimension == "fiscal_year" else ""
    return f"{prefix}{value} (partial, through {through.isoformat() if through else '?'})"


def last_complete_fiscal_year(through: date | None) -> int | None:
    """The newest fiscal year that ended on or before `through` (FY N ends 30 Sep N)."""
    if through is None:
        return None
    return through.year if through >= date(through.year, 9, 30) else through.year - 1
