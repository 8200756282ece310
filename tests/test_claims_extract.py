"""Extraction: every numeric claim of the seed articles and of the annotated sentence set, and no others."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from immcourt.claims import extract_claims
from immcourt.claims.evaluate import load_annotations, score
from immcourt.claims.extract import HEDGES, TIME_KINDS, UNITS, split_sentences

SENTENCES = Path(__file__).with_name("claims_sentences.jsonl")

# Worked out by reading the two articles in ../shared/seeds (values, unit, hedge, time kind, years/admin).
SEED_000 = [
    (350_000, "count", "more_than", "since", (2022,), None),
    (18_119, "count", "exact", "calendar_year", (2021,), None),
    (149_305, "count", "exact", "calendar_year", (2023,), None),
    (113_834, "count", "exact", "so_far", (2024,), None),
    (77, "percent", "exact", "administration", (), "Biden"),
    (22, "percent", "exact", "administration", (), "Biden"),
    (1_000_000 / 3, "count", "about", "since", (2022,), None),  # "A third of a million" restates the 350,000
    (48_000, "count", "exact", "calendar_year", (2020,), "Trump I"),
    (20_000, "count", "fewer_than", "calendar_year", (2020,), "Trump I"),  # inherits "In 2020" from before
    (4_700, "count", "exact", "calendar_year", (2020,), "Trump I"),
]
SEED_002 = [
    (350_000, "count", "more_than", "administration", (), "Biden"),
    (350_000, "count", "more_than", "since", (2022,), "Biden"),
    (77, "percent", "exact", "administration", (), "Biden"),
    (3_500_000, "count", "more_than", "at_date", (), "Biden"),
    (9_500_000, "count", "more_than", "administration", (), "Biden"),
    (1_700_000, "count", "exact", "administration", (), "Biden"),
    (51_600_000, "count", "exact", "administration", (), "Biden"),
    (20, "percent", "exact", "none", (), None),
]


def _seed(shared_dir: Path, name: str) -> str:
    return next((shared_dir / "seeds").glob(f"{name}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "expected"), [("000", SEED_000), ("002", SEED_002)])
def test_every_numeric_claim_of_the_seed_articles_is_found(
    shared_dir: Path, name: str, expected: list
) -> None:
    text = _seed(shared_dir, name)
    claims = extract_claims(text)
    got = [(c.value, c.unit, c.hedge, c.time.kind, c.time.years, c.time.administration) for c in claims]
    assert len(got) == len(expected), [c.text for c in claims]
    for found, wanted in zip(got, expected, strict=True):
        assert found[0] == pytest.approx(wanted[0])
        assert found[1:] == wanted[1:]
    for claim in claims:  # offsets point into the original text
        assert text[claim.start : claim.end] == claim.text


def test_seed_subjects_name_what_is_counted(shared_dir: Path) -> None:
    claims = extract_claims(_seed(shared_dir, "000"))
    assert "closed" in claims[0].subject
    assert "ordered removed" in claims[7].subject
    assert "granted asylum" in claims[8].subject
    assert claims[8].time.inherited and not claims[7].time.inherited


def test_annotated_sentence_set_meets_the_targets() -> None:
    annotations = load_annotations(SENTENCES)
    assert len(annotations) >= 80
    result = score(annotations)
    assert result.recall >= 0.95, result.misses
    assert result.precision >= 0.95, result.spurious
    assert result.mapping_accuracy >= 0.90, result.mapping_errors
    assert len(result.field_errors) <= 0.05 * result.matched, result.field_errors


@pytest.mark.parametrize(
    ("text", "value", "unit", "hedge"),
    [
        ("Judges closed 1,234,567 cases.", 1_234_567, "count", "exact"),
        ("The rate was 12.5 percent last year.", 12.5, "percent", "exact"),
        ("The rate was 12.5% last year.", 12.5, "percent", "exact"),
        ("There are 3.5 million pending cases.", 3_500_000, "count", "exact"),
        ("Nearly two million cases were filed.", 2_000_000, "count", "nearly"),
        ("A third of a million people were affected.", 1_000_000 / 3, "count", "about"),
        ("Half a million cases were closed.", 500_000, "count", "about"),
        ("One in four asylum seekers won.", 0.25, "share", "exact"),
        ("Over 9,000 cases were dismissed.", 9_000, "count", "more_than"),
        ("At least 400 cases were dismissed.", 400, "count", "at_least"),
        ("Fewer than 20,000 people were granted asylum.", 20_000, "count", "fewer_than"),
        ("Almost 40 percent were removed.", 40, "percent", "nearly"),
        ("About 5,000 were granted relief.", 5_000, "count", "about"),
        ("No more than 7% were represented.", 7, "percent", "at_most"),
    ],
)
def test_number_forms(text: str, value: float, unit: str, hedge: str) -> None:
    (claim,) = extract_claims(text)
    assert claim.value == pytest.approx(value)
    assert (claim.unit, claim.hedge) == (unit, hedge)


def test_range_keeps_both_ends() -> None:
    (claim,) = extract_claims("Judges ordered between 150,000 and 180,000 people removed.")
    assert (claim.value, claim.upper) == (150_000, 180_000)


@pytest.mark.parametrize(
    ("text", "kind", "years", "administration"),
    [
        ("In FY2023 judges closed 5,000 cases.", "fiscal_year", (2023,), None),
        ("In fiscal year 2023 judges closed 5,000 cases.", "fiscal_year", (2023,), None),
        ("In calendar year 2023 judges closed 5,000 cases.", "calendar_year", (2023,), None),
        ("In 2023 judges closed 5,000 cases.", "calendar_year", (2023,), None),
        ("Since 2022, judges closed 5,000 cases.", "since", (2022,), None),
        ("So far in 2024, judges closed 5,000 cases.", "so_far", (2024,), None),
        ("Under Biden, judges closed 5,000 cases.", "administration", (), "Biden"),
        ("During the Trump administration, judges closed 5,000 cases.", "administration", (), "Trump I"),
        ("From 2019 to 2021 judges closed 5,000 cases.", "range", (2019, 2021), None),
        ("The backlog is currently 5,000 cases.", "at_date", (), None),
    ],
)
def test_time_expressions(text: str, kind: str, years: tuple, administration: str | None) -> None:
    (claim,) = extract_claims(text)
    assert (claim.time.kind, claim.time.years, claim.time.administration) == (kind, years, administration)


def test_bare_year_is_not_explicitly_fiscal_or_calendar() -> None:
    (bare,) = extract_claims("In 2023 judges closed 5,000 cases.")
    (fiscal,) = extract_claims("In FY2023 judges closed 5,000 cases.")
    assert not bare.time.explicit and fiscal.time.explicit


def test_context_is_inherited_within_a_paragraph_but_not_across() -> None:
    text = "In 2019, judges closed 5,000 cases. They removed 7,000 people.\n\nThey granted 300 people asylum."
    first, second, third = extract_claims(text)
    assert second.time.years == (2019,) and second.time.inherited
    assert third.time.kind == "none"


@pytest.mark.parametrize(
    "text",
    [
        "The hearing is on March 3, 2024, at 10 a.m.",
        "The 34-year-old arrived in 2019.",
        "Call 555-867-5309 today.",
        "She lives at 221 Baker Street.",
        "Title 42 ended in 2023.",
        "Section 212 of the act applies.",
        "He came in 3rd place.",
        "The 2022 memo changed the rules.",
        "Form I-589 is the asylum application.",
        "The court opens at 9:30.",
    ],
)
def test_non_claims_are_ignored(text: str) -> None:
    assert extract_claims(text) == []


def test_sentence_splitting_keeps_abbreviations_together() -> None:
    sentences = split_sentences("Cases in the U.S. rose. Mr. Smith disagreed.\n\nNew paragraph here.")
    assert [s.text for s in sentences] == [
        "Cases in the U.S. rose.",
        "Mr. Smith disagreed.",
        "New paragraph here.",
    ]
    assert [s.paragraph for s in sentences] == [0, 0, 1]


def test_changes_are_flagged_and_relative_years_resolved() -> None:
    points, level = extract_claims("The grant rate rose 9 percentage points in FY2020, to 35 percent.")
    assert points.change and not level.change
    this_year, year_before = extract_claims(
        "Judges denied 71.5% in FY2019, up from 65 percent a year earlier."
    )
    assert (this_year.time.kind, this_year.time.years) == ("fiscal_year", (2019,))
    assert (year_before.time.kind, year_before.time.years) == ("fiscal_year", (2018,))


def test_full_dates_are_points_in_time() -> None:
    (claim,) = extract_claims("On Sept. 30, 2023, some 2.5 million cases were pending.")
    assert (claim.time.kind, claim.time.years, claim.time.month, claim.time.day) == (
        "at_date",
        (2023,),
        9,
        30,
    )
    assert claim.hedge == "about"


_TOKENS = [
    "In",
    "2021",
    "FY2022",
    "since",
    "so far in",
    "under Biden",
    "more than",
    "fewer than",
    "nearly",
    "about",
    "350,000",
    "3.5",
    "million",
    "a third of a",
    "one in four",
    "77",
    "percent",
    "%",
    "cases",
    "were",
    "terminated",
    "ordered removed",
    "granted asylum",
    "backlog",
    "Title 42",
    "March 3,",
    "9:30",
    "-",
    "to",
    "between",
    "and",
    "$",
    "twenty",
    "thousand",
    ".",
    ",",
    "\n\n",
    "U.S.",
    "Mr.",
    "(",
    ")",
    "“",
    "”",
]


@given(st.lists(st.sampled_from(_TOKENS), max_size=40))
@settings(max_examples=300, deadline=None)
def test_extraction_never_fails_and_spans_point_into_the_text(tokens: list[str]) -> None:
    text = " ".join(tokens)
    for claim in extract_claims(text):
        assert text[claim.start : claim.end] == claim.text
        assert claim.value >= 0 and claim.unit in UNITS and claim.hedge in HEDGES
        assert claim.time.kind in TIME_KINDS


def test_relative_years_need_the_article_date() -> None:
    text = "Last year, 40,000 cases were dismissed. In the last fiscal year, judges ordered 300,000 removed."
    last_year, last_fiscal = extract_claims(text, as_of=date(2024, 4, 16))
    assert (last_year.time.kind, last_year.time.years) == ("calendar_year", (2023,))
    assert (last_fiscal.time.kind, last_fiscal.time.years) == ("fiscal_year", (2023,))  # FY2024 runs to Sept.
    undated = extract_claims(text)
    assert [c.time.kind for c in undated] == ["needs_date", "needs_date"]  # not checkable, never inherited
    (this_year,) = extract_claims("So far this year 12,000 cases were terminated.", as_of=date(2024, 11, 2))
    assert (this_year.time.kind, this_year.time.years) == ("so_far", (2024,))


def test_labels_and_hyphenated_ratios() -> None:
    assert extract_claims("Executive Order 14010 changed the rules for the top 10 courts.") == []
    (ratio,) = extract_claims("About 1-in-5 cases ended in absentia in FY2019.")
    assert ratio.value == pytest.approx(0.2) and ratio.unit == "share"
