"""Failure kinds holdout-3 exposed (issue 15), each on a new paraphrase with its right reading (by hand):
a modifier of the counted group that no rule maps makes the claim "not checkable" naming its words; groups
the catalog can isolate become filters; a place's possessive or heading is its court; a share of asylum
decisions that names grants or denials is the grant rate."""

from __future__ import annotations

from datetime import date

import pytest

from immcourt.claims.extract import extract_claims
from immcourt.claims.interpret import interpret
from immcourt.claims.qualifiers import bundled_lexicon


def _read(text: str, as_of: date | None = None) -> list:
    claims = extract_claims(text, as_of=as_of, lexicon=bundled_lexicon())
    return [(claim, interpret(claim, as_of=as_of)) for claim in claims]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a new kind of group, not on any list: its words are named
        ("Seasonal farmworker asylum seekers won 14 percent of their cases in fiscal 2019.", "farmworker"),
        (
            "Applicants who arrived by boat won 20 percent of their asylum cases in FY 2018.",
            "arrived by boat",
        ),
        ("Immigrant street vendors were ordered removed in 310 cases in FY 2021.", "street vendors"),
        # kinds the data cannot isolate, named by kind
        ("Migrants aged 70 or over won 12 percent of their asylum cases in FY 2021.", "age"),
        ("Mayan Guatemalan applicants won 9 percent of their asylum cases in FY 2020.", "ethnicity"),
        ("Former military veterans were ordered removed in 95 cases in FY 2018.", "veterans"),
        (
            "Judges appointed under the Obama administration denied 60 percent of asylum claims in FY 2019.",
            "appointing_administration",
        ),
        ("The typical immigration judge completed 610 cases in FY 2018.", "per_judge"),
    ],
)
def test_a_group_no_dimension_isolates_is_not_checkable_and_named(text: str, named: str) -> None:
    (claim, reading), *_ = _read(text)
    assert reading.status.startswith("not checkable"), (text, reading.status, reading.readings)
    assert not reading.readings  # no reading that ignores the group can reach a verdict
    names = " ".join([reading.status, *(q.key for q in reading.missing)])
    assert named in names, (text, names)


@pytest.mark.parametrize(
    "text",
    [
        # modifiers known to add no restriction, or mapped to a dimension, change nothing
        "Among Cuban asylum seekers with lawyers, 55 percent won in FY 2022.",
        "Of all removal orders issued in FY 2020, about 60 percent went to people who skipped hearings.",
        "Undocumented immigrants had 1.1 million cases pending at the end of FY 2019.",
        "Fewer than one in ten Honduran asylum seekers won in FY 2020.",  # a number word is no modifier
    ],
)
def test_modifiers_that_add_no_restriction_keep_the_claim_checkable(text: str) -> None:
    (claim, reading), *_ = _read(text)
    assert reading.status == "checkable", (text, reading.status, [q.key for q in claim.qualifiers])


def test_facing_charges_is_the_criminal_charge_filter() -> None:
    (claim, reading), *_ = _read(
        "Migrants facing criminal charges won asylum in 4 percent of decisions in FY 2021."
    )
    assert reading.status == "checkable"
    assert reading.readings[0].metric == "asylum_grant_rate"
    assert reading.readings[0].where["criminal_charge"] is True


def test_each_side_of_a_contrast_gets_its_own_representation_filter() -> None:
    (first, a), (second, b) = _read(
        "Salvadorans with representation won asylum 25 percent of the time in FY 2020; those without it won"
        " 4 percent."
    )
    assert a.readings[0].where == {"nationality": "EL SALVADOR", "represented": True}
    assert b.readings[0].where == {"nationality": "EL SALVADOR", "represented": False}
    (_, alone), *_ = _read(
        "Applicants who went alone before the judge won 6 percent of asylum cases in FY 2019."
    )
    assert alone.readings[0].where.get("represented") is False


def test_a_place_possessive_or_heading_is_the_court_of_its_numbers() -> None:
    (first, a), (second, b) = _read(
        "Atlanta's asylum grant rate fell to 3 percent in FY 2019, down from 8 percent."
    )
    assert a.readings[0].where == {"court": "ATLANTA"} and b.readings[0].where == {"court": "ATLANTA"}
    (claim, heading), *_ = _read("Asylum grant rate, Miami, FY20: 14%.")
    assert heading.readings[0].where == {"court": "MIAMI"}
    (claim, listed), *_ = _read(
        "Cubans, Haitians and Venezuelans had 95,000 cases waiting in court at the end of FY 2023."
    )
    assert listed.readings[0].metric == "pending"
    assert set(listed.readings[0].where["nationality"]) == {"CUBA", "HAITI", "VENEZUELA"}


@pytest.mark.parametrize(
    ("text", "complement"),
    [
        ("In FY 2021, 30 percent of asylum decisions in Denver were grants.", False),
        ("Four out of five asylum decisions in Atlanta were denials in FY 2018.", True),
        (
            "Of the Cubans whose asylum claims a judge decided in FY 2020, 35% walked away with protection.",
            False,
        ),
        (
            "Judge Dana W. Holkova approved 12 percent of the asylum applications she ruled on in FY 2021.",
            False,
        ),
    ],
)
def test_a_share_of_asylum_decisions_naming_the_decision_is_the_grant_rate(
    text: str, complement: bool
) -> None:
    (claim, reading), *_ = _read(text)
    assert reading.status == "checkable", (text, reading.status)
    assert reading.readings[0].metric == "asylum_grant_rate"
    assert reading.readings[0].label.startswith("asylum denial") is complement


def test_two_fiscal_years_ago_is_a_fiscal_year_counted_back_from_the_article_date() -> None:
    (claim, reading), *_ = _read(
        "Two fiscal years ago, judges completed 520,000 cases.", as_of=date(2024, 11, 5)
    )
    # 5 Nov 2024 is in FY2025; two fiscal years back is FY2023
    assert reading.readings[0].period.canonical() == "FY2023"


def test_a_heading_continued_by_nationwide_is_the_same_statistic_without_the_place() -> None:
    (_, court), (_, nation) = _read("Asylum grant rate, Denver, FY22: 9%. Nationwide: 41%.")
    assert court.readings[0].where == {"court": "DENVER"}
    assert nation.readings[0].metric == "asylum_grant_rate" and nation.readings[0].where == {}
    assert nation.readings[0].period.canonical() == "FY2022"


def test_a_remark_about_the_group_is_no_filter() -> None:
    (_, reading), *_ = _read(
        "Respondents in the Atlanta court, almost all of them detained, were ordered removed 91 percent of"
        " the time in FY 2020."
    )
    assert reading.readings[0].metric == "removed_share"
    assert reading.readings[0].where == {"court": "ATLANTA"}


def test_of_those_keeps_the_group_of_the_sentence_before() -> None:
    (_, first), (_, part) = _read(
        "The Denver court completed 9,400 cases in FY 2021. Of those, 2,100 ended with the immigrant"
        " allowed to stay."
    )
    assert first.readings[0].where == {"court": "DENVER"}
    assert part.readings[0].where.get("court") == "DENVER"


def test_an_outcome_the_share_is_taken_of_that_the_metric_cannot_filter_is_named() -> None:
    (_, reading), *_ = _read(
        "Of the cases that ended in voluntary departure in FY 2018, 12 percent were in absentia."
    )
    assert reading.status == "not checkable: outcome" and not reading.readings


@pytest.mark.parametrize(
    ("text", "as_of", "period"),
    [
        # a base written without a year is the previous period of the same kind
        ("Chicago's asylum grant rate fell to 19 percent in FY 2021, down from 27 percent.", None, "FY2020"),
        (
            "This fiscal year, through the end of March, judges completed 300,000 cases.",
            date(2024, 5, 2),
            "2023-10-01..2024-03-31",
        ),
    ],
)
def test_period_kinds(text: str, as_of: date | None, period: str) -> None:
    from immcourt.claims.evaluate import same_period

    pairs = _read(text, as_of=as_of)
    got = pairs[-1][1].readings[0].period.canonical()
    assert same_period(got, period), (text, got)


def test_the_days_of_a_span_are_not_a_wait() -> None:
    (_, reading), *_ = _read("In the first 100 days of Obama's second term, judges completed 60,000 cases.")
    assert reading.readings[0].metric == "completions"
    assert reading.readings[0].period.canonical() == "2013-01-20..2013-04-29"


def test_a_change_after_a_national_figure_is_the_place_in_the_same_period() -> None:
    *_, (claim, reading) = _read(
        "Compared with the national rate of 40 percent, Denver's asylum grant rate of 12 percent in FY 2019"
        " was 28 points lower."
    )
    assert claim.change == "points" and claim.compared_with == "national"
    assert reading.readings[0].where == {"court": "DENVER"}
    assert reading.readings[0].period.canonical() == "FY2019"


def test_whose_claims_were_denied_is_the_asylum_decision_filter() -> None:
    (_, reading), *_ = _read(
        "Applicants whose asylum claims were eventually denied waited a median of 1,200 days in FY 2021."
    )
    assert reading.readings[0].metric == "median_days_to_completion"
    assert reading.readings[0].where == {"asylum_decision": "denied"}
