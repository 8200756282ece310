"""Dates as day ordinals, formatted the way EOIR writes them, and fiscal years."""

from __future__ import annotations

from datetime import date
from functools import cache

FIRST_DAY = date(1940, 1, 1).toordinal()


class Calendar:
    """Pre-formatted date strings and fiscal years for every day up to the release date."""

    def __init__(self, release_date: date):
        self.release = release_date.toordinal()
        days = [date.fromordinal(o) for o in range(FIRST_DAY, self.release + 1)]
        self._text = [d.strftime("%Y-%m-%d 00:00:00.000") for d in days]
        self._fy = [d.year + 1 if d.month >= 10 else d.year for d in days]

    @staticmethod
    @cache
    def for_release(release_date: date) -> Calendar:
        """One shared calendar per release date (building one formats ~30,000 dates)."""
        return Calendar(release_date)

    def text(self, ordinal: int | None) -> str:
        """`YYYY-MM-DD 00:00:00.000`, or "" for a missing date."""
        return "" if ordinal is None else self._text[ordinal - FIRST_DAY]

    def fiscal_year(self, ordinal: int) -> int:
        return self._fy[ordinal - FIRST_DAY]

    @staticmethod
    def fy_start(fiscal_year: int) -> int:
        return date(fiscal_year - 1, 10, 1).toordinal()

    @staticmethod
    def to_date(ordinal: int | None) -> date | None:
        return None if ordinal is None else date.fromordinal(ordinal)
