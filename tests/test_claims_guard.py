"""The qualifier guard (claims/guard.py) and the failure kinds holdout-2 found (issue 15).

The sentences here are the project's own paraphrases of each kind, not holdout sentences. The fake store is
the one of test_claims_interpret.py: it answers whatever it is asked, so a verdict here depends only on the
readings the checker chose.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from immcourt.claims import check_text, extract_claims
from immcourt.claims.claim import Qualifier
from immcourt.claims.guard import ASYLUM_GROUP, counted_group, how_applied, measured, unapplied, universe
from immcourt.claims.interpret import interpret
from immcourt.claims.readings import Period, Reading
from immcourt.claims.verdict import decide
from immcourt.metrics.catalog import METRICS_BY_NAME
from tests.test_claims_interpret import FakeStore, count, share

DEMO = Path(__file__).resolve().parents[1] / "src" / "immcourt" / "claims" / "examples" / "demo-article.txt"


def natural(text: str, *, index: int = 0, as_of: date | None = None) -> Reading:
    claim = extract_claims(text, as_of=as_of)[index]
    found = interpret(claim, as_of=as_of)
    assert found.readings, found.reason
    return found.readings[0]


# --------------------------------------------------------------------------------------------- the guard


def test_what_a_metric_counts_by_definition_is_read_from_the_catalog() -> None:
    population = lambda name: METRICS_BY_NAME[name].population  # noqa: E731
    assert universe(population("in_absentia_share"))["outcome"] == {"removal_order"}
    assert universe(population("closed_without_merits"))["outcome"] == {"terminated", "dismissed"}
    assert universe(population("asylum_grant_rate"))["asylum_case"] == {True}
    assert "outcome" not in universe(population("completions"))
    assert measured(METRICS_BY_NAME["represented_share"].numerator) == "represented"
    assert measured(METRICS_BY_NAME["in_absentia_share"].numerator) == "in_absentia"
    assert measured(METRICS_BY_NAME["removed_share"].numerator) is None  # a condition, not a group


def test_a_qualifier_is_accounted_for_by_a_filter_the_universe_or_what_is_measured() -> None:
    guatemalan = Qualifier("nationality", "Guatemalan", "nationality", "GUATEMALA")
    of_removals = Qualifier("outcome", "of the removal orders", "outcome", ("removal_order",))
    no_lawyer = Qualifier("represented", "had no lawyer", "represented", False)
    children = Qualifier("juvenile", "children")
    reading = Reading("in_absentia_share", "x", Period("FY2019"), where={"nationality": "GUATEMALA"})
    assert how_applied(reading, guatemalan) == "filter"
    assert how_applied(reading, of_removals) == "universe"
    assert how_applied(reading, children) is None
    assert unapplied(reading, (guatemalan, of_removals, children, ASYLUM_GROUP)) == [children, ASYLUM_GROUP]
    assert how_applied(Reading("represented_share", "x", Period("FY2019")), no_lawyer) == "measured"
    # the numerator of a share is not "measured" when the reading takes that numerator as a count
    count_of = Reading("represented_share", "x", Period("FY2019"), take="numerator")
    assert how_applied(count_of, no_lawyer) is None
    # a removal-order count does not stand for "of the dismissals"
    dismissals = Qualifier("outcome", "of the dismissals", "outcome", ("dismissed",))
    removals = Reading("completions", "x", Period("FY2019"), where={"outcome": ("removal_order",)})
    assert how_applied(removals, dismissals) is None
    assert how_applied(Reading("asylum_grant_rate", "x", Period("FY2019")), ASYLUM_GROUP) == "universe"
    defensive = Reading("completions", "x", Period("FY2019"), where={"asylum_type": "defensive"})
    assert how_applied(defensive, ASYLUM_GROUP) == "filter"


def test_a_verdict_on_a_reading_that_drops_a_qualifier_becomes_not_checkable_naming_it() -> None:
    claim = extract_claims("Guatemalan asylum seekers won asylum in 30 percent of cases in FY 2021.")[0]
    found = interpret(claim)
    assert found.readings and all(not unapplied(r, found.qualifiers) for r in found.readings)
    # a reading that lost its filter (a bug anywhere upstream) must not carry a verdict
    broken = Reading("asylum_grant_rate", "grant rate, everyone", found.readings[0].period, share=True)
    broken.value = 0.30
    verdict = decide(claim, [broken], interpretation=found)
    assert verdict.category == "not_checkable"
    assert "Guatemalan" in verdict.explanation and "nationality" in verdict.explanation
    # the same reading with the filter gives the verdict
    kept = Reading(
        "asylum_grant_rate", "grant rate, Guatemala", found.readings[0].period, share=True,
        where={"nationality": "GUATEMALA"},
    )  # fmt: skip
    kept.value = 0.30
    assert decide(claim, [kept], interpretation=found).category == "supported"


def test_the_guard_also_holds_without_an_interpretation() -> None:
    claim = extract_claims("Detained immigrants were ordered removed in 70 percent of cases in FY 2019.")[0]
    everyone = Reading("removed_share", "everyone", Period("FY2019", fiscal_years=(2019, 2019)), share=True)
    everyone.value = 0.70
    assert decide(claim, [everyone]).category == "not_checkable"


def test_no_reading_of_any_annotated_sentence_leaves_out_a_qualifier_it_recognised() -> None:
    """interpret drops such readings itself; the guard in decide is a second line that never fires here."""
    from immcourt.claims.evaluate import annotated_sets, load_annotations

    readings = 0
    for annotated in annotated_sets(Path(__file__).parent):
        for item in load_annotations(annotated.path):
            as_of = date.fromisoformat(item["as_of"]) if item.get("as_of") else None
            for claim in extract_claims(item["text"], as_of=as_of):
                found = interpret(claim, as_of=as_of)
                group = counted_group(claim, found.qualifiers)
                for reading in found.readings:
                    assert unapplied(reading, group) == [], (item["text"], reading.label)
                    readings += 1
    assert readings > 1000


def test_every_verdict_of_the_annotated_sets_passes_the_guard() -> None:
    """check_text over every annotated sentence with a store that agrees with any number: whatever the
    verdict, its readings carry every qualifier of the counted group."""
    from immcourt.claims.evaluate import annotated_sets, load_annotations

    store = FakeStore(lambda m, k: share(1, 2) if "share" in m or "rate" in m else count(1))
    verdicts = 0
    for annotated in annotated_sets(Path(__file__).parent):
        for item in load_annotations(annotated.path)[:80]:
            as_of = date.fromisoformat(item["as_of"]) if item.get("as_of") else None
            for result in check_text(item["text"], store=store, as_of=as_of).claims:
                if result.verdict.category in ("supported", "contradicted", "ambiguous"):
                    verdicts += 1
                    group = counted_group(result.claim)
                    for reading in result.readings:
                        if reading.matches is not None:
                            assert unapplied(reading, group) == [], item["text"]
    assert verdicts > 200


# --------------------------------------------------------------------------------------------- the kinds


def test_the_group_a_share_is_taken_of() -> None:
    reading = natural(
        "Of the removal orders entered against detained immigrants in FY 2020, 15 percent were issued in "
        "absentia."
    )
    assert (reading.metric, reading.where) == ("in_absentia_share", {"custody": "Detained"})


def test_prosecutorial_discretion_closures_are_completions_of_every_closing_class() -> None:
    for text in (
        "Prosecutorial discretion closures numbered 30,000 in FY 2022.",
        "Some 41,000 cases were closed by prosecutorial discretion in FY 2023.",
    ):
        reading = natural(text)
        assert (reading.metric, reading.where) == ("completions", {"prosecutorial_discretion": True}), text
    # dismissals by prosecutorial discretion stay dismissals
    reading = natural("Judges dismissed 12,000 cases through prosecutorial discretion in FY 2022.")
    assert (reading.metric, reading.where) == ("closed_without_merits", {"prosecutorial_discretion": True})


def test_a_court_named_by_its_address_its_city_or_there() -> None:
    reading = natural(
        "The court at 606 South Olive Street, Los Angeles, Calif., completed 50,000 cases in FY 2021."
    )
    assert reading.where == {"court": "LOS ANGELES"}
    text = (
        "In FY 2020 the Denver court completed 8,000 cases. "
        "Judges there granted asylum in 20 percent of decisions."
    )
    assert natural(text, index=1).where == {"court": "DENVER"}
    # where a named judge sits is a description, not a second filter
    reading = natural(
        "Judge Kendall K. Sevzano, who sits in Chicago, granted asylum in 30 percent of decisions in FY 2020."
    )
    assert reading.where == {"judge": "KENDALL K. SEVZANO"}
    # a clause describing the place is not a group of the count
    reading = natural(
        "In the Adelanto court, which sits inside a detention center, judges completed 3,000 cases in "
        "FY 2019."
    )
    assert reading.where == {"court": "ADELANTO"}
    # a national figure next to a court's carries no place
    text = "The Denver court's grant rate was 10 points above the national rate of 30 percent in FY 2021."
    assert natural(text, index=1).where == {}


def test_a_comparison_with_the_national_figure_is_made_in_the_same_period() -> None:
    def answer(metric: str, kwargs: dict) -> list[dict]:
        assert kwargs["fiscal_years"] == (2021, 2021)
        return share(40, 100) if kwargs.get("where") == {"court": "DENVER"} else share(30, 100)

    report = check_text(
        "The Denver court's grant rate was 10 points above the national rate in FY 2021.",
        store=FakeStore(answer),
    )
    result = report.claims[0]
    reading = result.readings[0]
    assert (reading.where, reading.base_where) == ({"court": "DENVER"}, {})
    assert reading.value == pytest.approx(10.0) and result.verdict.category == "supported"


def test_start_of_a_fiscal_year_and_the_end_of_that_year() -> None:
    text = (
        "At the start of fiscal 2015 some 410,000 cases were pending; by the end of that year the figure "
        "was 460,000."
    )
    assert [natural(text, index=i).period.at for i in (0, 1)] == [date(2014, 10, 1), date(2015, 9, 30)]


def test_won_their_cases_is_read_both_ways_and_judged_only_when_both_agree() -> None:
    text = "Only 20 percent of Honduran asylum seekers won their cases in FY 2019."
    found = interpret(extract_claims(text)[0])
    natural_ones = [r for r in found.readings if r.natural]
    assert [r.metric for r in natural_ones] == ["asylum_grant_rate", "allowed_to_remain_share"]
    assert all(r.where.get("nationality") == "HONDURAS" for r in natural_ones)

    def disagree(metric: str, kwargs: dict) -> list[dict]:
        return share(20, 100) if metric == "asylum_grant_rate" else share(45, 100)

    verdict = check_text(text, store=FakeStore(disagree)).claims[0].verdict
    assert verdict.category == "ambiguous"
    verdict = check_text(text, store=FakeStore(lambda m, k: share(20, 100))).claims[0].verdict
    assert verdict.category == "supported"


def test_the_demo_article_backlog_is_every_pending_case() -> None:
    store = FakeStore(
        lambda m, k: count(96_000) if m == "pending" else share(1, 2) if "share" in m else count(1)
    )
    report = check_text(DEMO.read_text(encoding="utf-8"), store=store)
    backlog = next(r for r in report.claims if r.claim.text == "96,000")
    assert backlog.readings[0].where == {} and backlog.readings[0].natural
    # an elliptic share in an asylum paragraph is still about the asylum seekers named before
    text = "This is about asylum seekers.\nUnder Biden, 77 percent were allowed to remain."
    assert natural(text).where == {"asylum_case": True}


def test_custody_and_criminal_groups() -> None:
    reading = natural("Immigrants released on bond were ordered removed in 30 percent of cases in FY 2019.")
    assert reading.where == {"custody": "Released"}
    reading = natural("Immigrants who were not detained won asylum in 40 percent of decisions in FY 2019.")
    assert reading.where == {"custody": ("Never Detained", "Released")}
    reading = natural("People convicted of an aggravated felony received 5,000 removal orders in FY 2018.")
    assert reading.where == {"outcome": ("removal_order",), "aggravated_felony": True}


def test_removal_cases_relief_other_than_asylum_and_the_median_review() -> None:
    reading = natural("Judges in Houston completed 20,000 removal cases in FY 2017.")
    assert (reading.metric, reading.where) == ("completions", {"case_type": "RMV", "court": "HOUSTON"})
    reading = natural(
        "Judges at the San Antonio court granted humanitarian relief other than asylum in 2,000 cases in "
        "FY 2021."
    )
    assert (reading.metric, reading.where) == (
        "completions",
        {"outcome": ("relief_granted",), "court": "SAN ANTONIO"},
    )
    text = "Judges heard 4,000 reasonable fear reviews in FY 2020, and the typical review took 12 days."
    assert natural(text, index=1).where == {"case_type": "RFR"}


@pytest.mark.parametrize(
    "text",
    [
        "Filling a vacant judgeship took 20 months on average in 2022.",
        "Referrals of unaccompanied children to HHS topped 120,000 in FY 2021.",
        "Roughly 30 percent of people who cross the border are never given a court date, the study found.",
    ],
)
def test_staffing_hhs_and_border_figures_are_outside_the_data(text: str) -> None:
    found = interpret(extract_claims(text)[0])
    assert found.status == "outside the data" and found.readings == [], found.status


def test_asides_do_not_make_a_court_figure_outside_the_data() -> None:
    reading = natural(
        "A record 1.8 million cases, more than the population of Phoenix, were pending in FY 2022."
    )
    assert reading.metric == "pending"
    reading = natural("The Omaha court completed 3,100 cases in FY 2021 with only three judges on staff.")
    assert (reading.metric, reading.where) == ("completions", {"court": "OMAHA"})


def test_a_share_of_an_outcome_never_measures_that_outcome() -> None:
    for text, key in (
        (
            "Of the immigrants who were ordered deported in FY 2018, 70 percent were never detained.",
            "custody",
        ),
        ("Of asylum grants in FY 2020, 40 percent went to Venezuelans.", "nationality"),
    ):
        found = interpret(extract_claims(text)[0])
        assert found.readings == [] and found.status == f"not checkable: {key}", (text, found.status)
    reading = natural("Of those granted asylum in FY 2021, 85 percent had lawyers.")
    assert (reading.metric, reading.where) == ("represented_share", {"outcome": ("asylum_granted",)})


def test_more_forms_of_the_kinds() -> None:
    found = interpret(extract_claims("Some 12,000 asylum seekers won their cases in FY 2020.")[0])
    assert [(r.metric, r.natural) for r in found.readings] == [
        ("completions", True),
        ("allowed_to_remain_share", True),
    ]
    assert natural("Houston-based judges completed 30,000 cases in FY 2022.").where == {"court": "HOUSTON"}
    text = "At the beginning of fiscal 2016 the backlog was 460,000; by the close of the year it was 520,000."
    assert natural(text, index=1).period.at == date(2016, 9, 30)


def test_affirmatively_and_a_nationwide_figure() -> None:
    reading = natural("Venezuelans who applied affirmatively won asylum 60 percent of the time in FY 2022.")
    assert reading.where == {"asylum_type": "affirmative", "nationality": "VENEZUELA"}
    text = (
        "The Houston court's judges ordered 71 percent of immigrants removed in FY 2019, compared with "
        "44 percent nationwide."
    )
    assert [natural(text, index=i).where for i in (0, 1)] == [{"court": "HOUSTON"}, {}]


def test_the_day_a_president_took_or_left_office() -> None:
    reading = natural(
        "When Biden took office, about 1.29 million cases were pending in the immigration courts."
    )
    assert reading.period.at == date(2021, 1, 20)
    reading = natural("By the time George W. Bush left office, 186,000 cases were waiting to be heard.")
    assert reading.period.at == date(2009, 1, 19)
    reading = natural("When Trump took office again, 3.7 million cases were pending.", as_of=date(2025, 6, 1))
    assert reading.period.at == date(2025, 1, 20)
