"""The last day a release covers, and which fiscal years, months and administrations it covers only in part.

One rule, used by every output (CLI, API, web, downloads):

- **Records through** = the release date minus one day; EOIR extracts the data up to the day before it
  writes the files. The release date (the id's `YYYY-MM-DD`) comes from, most trusted first: `--release-id`
  (the date EOIR published it); a sample's `SAMPLE-README.txt` line `Release date: YYYY-MM-DD` (so a copied
  folder keeps it); the newest member date in the zip's own directory (it travels with the file); and last
  the newest file modification time of a folder, which a copy changes (the same release copied would get
  another id and records-through day, and a month after the data would show as a real zero), so the ingest
  then warns and asks for `--release-id` (release.py `DATE_SOURCES`; `_release.json` records which one,
  `release_date_source`). The newest date *in* the data is not used: scheduled hearings and keying errors
  put dates in the future, so it says nothing about how far the extract reaches. A release whose id has no
  date has no `records through` (None). A release id names one content: ingesting different files under a
  stored id is refused unless `immcourt ingest --replace` (ingest/identity.py).
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
- A period asked for that lies **wholly outside** the records is an error, at either end, never a zero:
  one starting after records-through, and one ending before records-from (a fiscal year, `date_to`, an
  administration or a pending day before the first case start), since its counts would be 0 for lack of
  data, not because nothing happened. A range reaching past either end is answered with a note naming the
  years or days without records (`coverage_notes`, the one place that decides; the CLI, the Python API,
  `/api/stats` and the claim checker all ask it through `Store.stats`).
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


def _months_covered(first: date, through: date) -> int:
    """Months of a period starting `first` that begin on or before `through` (0 when none)."""
    return max(0, (through.year * 12 + through.month) - (first.year * 12 + first.month) + 1)


def coverage_notes(
    *,
    release_date: date | None,
    fiscal_years: tuple[int, int] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    at: date | None = None,
    administration: str | None = None,
    records_from: date | None = None,
) -> list[str]:
    """Notes for an asked period the release covers only in part; ValueError for one it does not cover.

    `records_from` (the release's first case start, Store.records_from) bounds the other end the same way:
    a period ending before it is an error, one starting before it gets a note.

    The release covers days up to records_through(release_date); pending is known on the release date
    itself. A period that starts after that has no records (its counts would be 0 for lack of data, not
    because nothing happened): an error naming the last day. A period that ends after it is answered with
    a note: `records through 2026-10-31; FY2027 is partial: 1 of 12 months`. No release date: no notes.
    """
    through = records_through(release_date)
    if through is None or release_date is None:
        return []
    if at is not None and at > release_date:
        raise ValueError(
            f"at={at} is after the release's records end (records through {through}); pending is known up "
            f"to {release_date}"
        )
    starts: list[date] = []
    if fiscal_years:
        starts.append(date(fiscal_years[0] - 1, 10, 1))
    if date_from:
        starts.append(date_from)
    administration_end = None
    if administration:
        from immcourt.model.build import read_administrations

        for row in read_administrations():
            if row["administration"].casefold() == administration.casefold():
                starts.append(date.fromisoformat(row["first_day"]))
                administration_end = date.fromisoformat(row["last_day"])
    if starts and max(starts) > through:
        raise ValueError(
            f"the period asked starts {max(starts)}, after the release's records end (records through "
            f"{through}): there are no records for it"
        )
    notes = _before_records(records_from, fiscal_years, date_from, date_to, at, administration)
    if fiscal_years:
        years = range(fiscal_years[0], fiscal_years[1] + 1)
        beyond = [year for year in years if date(year - 1, 10, 1) > through]
        for year in range(fiscal_years[0], fiscal_years[1] + 1):
            first = date(year - 1, 10, 1)
            if first <= through < date(year, 9, 30):
                months = _months_covered(first, through)
                notes.append(f"records through {through}; FY{year} is partial: {months} of 12 months")
        if beyond:
            span = f"FY{beyond[0]} begins" if len(beyond) == 1 else f"FY{beyond[0]}-FY{beyond[-1]} begin"
            notes.append(f"records through {through}; {span} after it: no records, not zero cases")
    if date_to and date_to > through:
        notes.append(f"records through {through}; date_to={date_to} is after it: later days have no records")
    if administration_end is not None and administration_end > through:
        notes.append(f"records through {through}; the {administration} administration is covered in part")
    return notes


def _before_records(
    first: date | None,
    fiscal_years: tuple[int, int] | None,
    date_from: date | None,
    date_to: date | None,
    at: date | None,
    administration: str | None,
) -> list[str]:
    """The start side of coverage_notes: ValueError for a period ending before `first` (records from), notes
    for one starting before it; [] without a records-from day."""
    if first is None:
        return []
    if at is not None and at < first:
        raise ValueError(
            f"at={at} is before the release's first record (records from {first}): there are no records "
            "for it, so its count would be 0 for lack of data"
        )
    ends: list[date] = []
    begins: list[date] = []
    if fiscal_years:
        ends.append(date(fiscal_years[1], 9, 30))
        begins.append(date(fiscal_years[0] - 1, 10, 1))
    if date_to:
        ends.append(date_to)
    if date_from:
        begins.append(date_from)
    if administration:
        from immcourt.model.build import read_administrations

        for row in read_administrations():
            if row["administration"].casefold() == administration.casefold():
                ends.append(date.fromisoformat(row["last_day"]))
                begins.append(date.fromisoformat(row["first_day"]))
    if ends and min(ends) < first:
        raise ValueError(
            f"the period asked ends {min(ends)}, before the release's first record (records from {first}): "
            "there are no records for it, so its counts would be 0 for lack of data"
        )
    notes: list[str] = []
    if fiscal_years:
        before = [y for y in range(fiscal_years[0], fiscal_years[1] + 1) if date(y, 9, 30) < first]
        if before:
            span = f"FY{before[0]} ends" if len(before) == 1 else f"FY{before[0]}-FY{before[-1]} end"
            notes.append(f"records from {first}; {span} before it: no records, not zero cases")
        for year in range(fiscal_years[0], fiscal_years[1] + 1):
            if date(year - 1, 10, 1) < first <= date(year, 9, 30):
                notes.append(f"records from {first}; FY{year} is partial: the data starts inside it")
    elif begins and min(begins) < first:
        notes.append(
            f"records from {first}; the period asked starts {min(begins)}: earlier days have no records"
        )
    return notes
