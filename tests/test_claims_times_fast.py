"""The plain dates claims/times.py reads without dateparser (a speed path) give dateparser's own answer."""

from __future__ import annotations

from datetime import date

import pytest

from immcourt.claims.times import _dateparser_date, _plain_date, parse_date

# Every spelling claims/times.py's month pattern accepts, with and without a trailing full stop.
SPELLINGS = [
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
    "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
]  # fmt: skip


def _texts() -> list[tuple[str, bool]]:
    texts = []
    for spelling in SPELLINGS:
        for name in (spelling, spelling.capitalize() + ".", spelling.upper()):
            for year in (2019, 2020):
                texts += [(f"{name} {year}", True), (f"{name} {year}", False)]
                for day in (1, 29, 31):
                    texts += [(f"{name} {day}, {year}", False), (f"{day} {name} {year}", True)]
    texts += [("2024-02-29", False), ("2023-02-29", False), ("1999-12-31", True), ("March 14 2025", False)]
    return texts


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_plain_dates_equal_dateparser(spelling: str) -> None:
    as_of = date(2025, 6, 12)
    for text, last_day in _texts():
        if spelling not in text.lower().rstrip("."):
            continue
        plain = _plain_date(text, last_day=last_day)
        slow = _dateparser_date(text, last_day=last_day, as_of=as_of)
        if plain is not None:  # None means "not a plain form": dateparser answers, as before
            assert plain == slow, (text, last_day, plain, slow)


def test_plain_dates_hand_worked() -> None:
    assert _plain_date("February 2024", last_day=True) == date(2024, 2, 29)
    assert _plain_date("Sept. 2021", last_day=False) == date(2021, 9, 1)
    assert _plain_date("December 2021", last_day=True) == date(2021, 12, 31)
    assert _plain_date("14 March 2025", last_day=False) == date(2025, 3, 14)
    assert _plain_date("February 30, 2020", last_day=False) is None  # no such day: left to dateparser
    assert _plain_date("Marchy 2020", last_day=False) is None
    assert _plain_date("last March", last_day=False) is None
    assert parse_date("March 14, 2025.", last_day=False, as_of=None) == date(2025, 3, 14)
