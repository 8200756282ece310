"""Interpretation and verdicts, against a fake store whose answers are set by hand in each test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from immcourt.claims import check_text, extract_claims
from immcourt.claims.interpret import readings_for
from immcourt.claims.readings import tolerance, value_matches

Answer = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


class FakeStore:
    """The interface of immcourt.open(...): .release, .stats(...).to_dicts(); answers come from a function."""

    def __init__(self, answer: Answer, *, is_sample: bool = True):
        self.release = SimpleNamespace(
            id="sample-2026-11-01" if is_sample else "2026-11-01", is_sample=is_sample
        )
        self.answer = answer
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def stats(self, metric: str, **kwargs: Any) -> SimpleNamespace:
        self.calls.append((metric, kwargs))
        rows = self.answer(metric, kwargs)
        if "asylum_case" in kwargs.get("by", ()):  # every fake case is an asylum case
            rows = [{**row, "asylum_case": True} for row in rows]
        return SimpleNamespace(
            to_dicts=lambda: rows, sql=f"SELECT /* {metric} */ 1", release=self.release, suppressed=[]
        )


def count(value: float) -> list[dict[str, Any]]:
    return [{"value": value, "numerator": None, "denominator": None, "n": int(value)}]


def share(numerator: int, denominator: int) -> list[dict[str, Any]]:
    return [
        {
            "value": numerator / denominator,
            "numerator": numerator,
            "denominator": denominator,
            "n": denominator,
        }
    ]


def outcomes(kwargs: dict[str, Any], **values: int) -> list[dict[str, Any]]:
    """The answer to a count filtered by ``where={"outcome": (...)}``: the sum of the chosen outcomes."""
    chosen = (kwargs.get("where") or {}).get("outcome") or tuple(values)
    if "outcome" in kwargs.get("by", ()):  # cut by outcome: one row per outcome class
        return [{**count(values[name])[0], "outcome": name} for name in chosen if name in values]
    total = sum(values.get(name, 0) for name in chosen)
    return count(total)


def one(text: str):
    (claim,) = extract_claims(text)
    return claim


# --------------------------------------------------------------------------------------------- tolerance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The backlog is 3.5 million cases.", 50_000),  # last digit written is the hundred-thousand
        ("Judges closed 350,000 cases.", 5_000),
        ("Judges closed 48,000 cases.", 500),
        ("Judges closed 4,700 cases.", 50),
        ("Judges closed 18,119 cases.", 18_119 * 0.005),  # exact-looking: 0.5% for revisions
        ("Judges removed 77 percent.", 0.5),
        ("Judges removed 77.3 percent.", 0.05),
    ],
)
def test_tolerance_follows_the_rounding_the_writer_used(text: str, expected: float) -> None:
    assert tolerance(one(text)) == pytest.approx(expected)


def test_hedges_set_the_direction_of_the_comparison() -> None:
    more = one("Judges closed more than 350,000 cases.")
    assert value_matches(more, "completions", 420_000) is True
    assert value_matches(more, "completions", 300_000) is False
    fewer = one("Fewer than 20,000 people were granted asylum.")
    assert value_matches(fewer, "completions", 19_000) is True
    assert value_matches(fewer, "completions", 23_000) is False
    nearly = one("Nearly 2 million cases are pending.")
    assert value_matches(nearly, "pending", 1_900_000) is True  # within (0.9X, X]
    assert value_matches(nearly, "pending", 1_700_000) is False
    assert value_matches(nearly, "pending", 2_300_000) is False


def test_percent_claims_compare_with_shares_as_fractions() -> None:
    claim = one("Under Biden, 77 percent were allowed to remain.")
    assert value_matches(claim, "allowed_to_remain_share", 0.772) is True
    assert value_matches(claim, "allowed_to_remain_share", 0.764) is False


# --------------------------------------------------------------------------------------------- readings


def test_terminations_read_as_closed_without_merits_both_with_and_without_admin_closures() -> None:
    claim = one(
        "Since 2022, more than 350,000 asylum cases were terminated without a decision on the merits."
    )
    readings = readings_for(claim, as_of=date(2024, 4, 1))
    assert 1 <= len(readings) <= 8
    first = readings[0]
    assert (first.metric, first.options, first.where) == (
        "closed_without_merits",
        {"include_admin_closure": "no"},
        {"asylum_case": True},
    )
    assert first.period.date_from == date(2021, 10, 1) and first.period.date_to == date(
        2024, 4, 1
    )  # FY2022 on
    options = {r.options["include_admin_closure"] for r in readings}
    assert options == {"no", "yes"}
    assert any(r.period.date_from == date(2022, 1, 1) for r in readings)  # the calendar reading too


def test_bare_year_gives_fiscal_and_calendar_readings() -> None:
    readings = readings_for(one("In 2020, 48,000 migrants were ordered removed."))
    periods = {(r.period.fiscal_years, r.period.date_from) for r in readings if r.natural}
    assert ((2020, 2020), None) in periods
    assert (None, date(2020, 1, 1)) in periods
    assert {r.where["outcome"] for r in readings} == {
        ("removal_order",),
        ("removal_order", "voluntary_departure"),
    }


def test_biden_share_reading_uses_the_administration() -> None:
    readings = readings_for(one("Under Biden, 77 percent of asylum seekers were allowed to remain."))
    assert readings[0].metric == "allowed_to_remain_share"
    assert readings[0].period.administration == "Biden"
    assert readings[0].where == {"asylum_case": True}


def test_backlog_is_read_at_the_article_date_when_given() -> None:
    readings = readings_for(one("The backlog is currently more than 3.5 million."), as_of=date(2024, 4, 1))
    assert readings[0].metric == "pending" and readings[0].period.at == date(2024, 4, 1)


def test_not_checkable_subjects_have_no_readings() -> None:
    assert readings_for(one("Agents recorded 9.5 million encounters under Biden.")) == []


# --------------------------------------------------------------------------------------------- verdicts


def _closures(no: int, yes: int) -> Answer:
    """Terminations + dismissals = no; adding administrative closures gives yes."""

    def answer(metric: str, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
        assert metric == "closed_without_merits"
        return count(yes if kwargs["options"] == {"include_admin_closure": "yes"} else no)

    return answer


TERMINATED = "In FY2023, 149,305 asylum cases were terminated without a decision on the merits."


def test_supported_when_the_natural_reading_matches() -> None:
    report = check_text(TERMINATED, store=FakeStore(_closures(149_400, 190_000)))
    assert report.claims[0].verdict.category == "supported"


def test_supported_only_under_another_definition_names_it() -> None:
    report = check_text(TERMINATED, store=FakeStore(_closures(120_000, 149_305)))
    verdict = report.claims[0].verdict
    assert verdict.category == "supported_other_definition"
    assert "administratively closed" in verdict.explanation


def test_contradicted_when_no_reading_matches() -> None:
    report = check_text(TERMINATED, store=FakeStore(_closures(90_000, 100_000)))
    assert report.claims[0].verdict.category == "contradicted"


def test_ambiguous_when_fiscal_and_calendar_readings_disagree() -> None:
    def answer(metric: str, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
        return count(18_119 if "fiscal_years" in kwargs else 25_000)

    report = check_text("In 2021, 18,119 asylum cases were dismissed.", store=FakeStore(answer))
    assert report.claims[0].verdict.category == "ambiguous"


def test_counts_of_an_outcome_sum_the_outcome_rows() -> None:
    def answer(metric: str, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
        assert metric == "completions" and "outcome" in kwargs["by"]
        return outcomes(kwargs, removal_order=47_800, voluntary_departure=6_000, asylum_granted=15_000)

    report = check_text("In FY2020, 48,000 asylum seekers were ordered removed.", store=FakeStore(answer))
    result = report.claims[0]
    assert result.readings[0].value == 47_800
    assert result.verdict.category == "supported"  # 47,800 is within 48,000 ± 500
    removal_plus_vd = next(r for r in result.readings if len(r.where["outcome"]) == 2)
    # The natural reading matched, so the other definition is not asked (and says so).
    assert removal_plus_vd.value is None and removal_plus_vd.error.startswith("not asked")
    report = check_text("In FY2020, 53,800 asylum seekers were ordered removed.", store=FakeStore(answer))
    removal_plus_vd = next(r for r in report.claims[0].readings if len(r.where["outcome"]) == 2)
    assert removal_plus_vd.value == 53_800 and removal_plus_vd.matches is True
    assert report.claims[0].verdict.category == "supported_other_definition"


def test_api_errors_become_part_of_the_report() -> None:
    def answer(metric: str, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
        raise ValueError("unknown option")

    report = check_text(TERMINATED, store=FakeStore(answer))
    assert report.claims[0].verdict.category == "not_computed"
    assert "unknown option" in report.claims[0].verdict.explanation


def test_encounters_point_to_cbp_and_say_where_the_bundled_data_stop() -> None:
    report = check_text(
        "Authorities recorded over 9.5 million encounters under the Biden administration.",
        store=FakeStore(lambda m, k: pytest.fail("must not query the store")),
    )
    verdict = report.claims[0].verdict
    assert verdict.category == "not_checkable"
    assert "CBP" in verdict.source
    # FY2021-FY2023 from the bundled CBP export: 1,956,519 + 2,766,582 + 3,201,144 (see test_reference.py)
    assert "7,924,245" in verdict.cross_checks[0] and "stop at FY2023" in verdict.cross_checks[0]


def test_identical_readings_are_asked_once() -> None:
    store = FakeStore(_closures(10, 10))
    check_text("In FY2023, 10 cases were dismissed. In FY2023, 10 cases were terminated.", store=store)
    assert len(store.calls) == len({repr(c) for c in store.calls})


def test_denial_rate_is_read_as_one_minus_the_grant_rate() -> None:
    def answer(metric: str, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
        assert metric == "asylum_grant_rate"
        granted = 285 if kwargs["options"]["grant_rate"] == "trac" else 250
        return share(granted, 1_000)

    report = check_text("Judges denied 71.5% of asylum claims in FY2019.", store=FakeStore(answer))
    result = report.claims[0]
    trac = next(r for r in result.readings if r.options == {"grant_rate": "trac"})
    assert trac.value == pytest.approx(0.715)  # 1 - 285/1000
    assert result.verdict.category == "supported"


def test_a_change_is_not_compared_with_a_level() -> None:
    store = FakeStore(lambda m, k: pytest.fail("must not query the store"))
    report = check_text("The grant rate rose 9 percentage points under Biden.", store=store)
    assert report.claims[0].verdict.category == "not_checkable"
    assert "change" in report.claims[0].verdict.explanation


def test_pending_on_a_full_date_is_read_on_that_day() -> None:
    (claim,) = extract_claims("On Sept. 30, 2023, some 2.5 million cases were pending.")
    assert readings_for(claim)[0].period.at == date(2023, 9, 30)


def test_html_fragment_for_embedding_has_no_document_wrapper() -> None:
    report = check_text(TERMINATED, store=FakeStore(_closures(149_400, 190_000)))
    page, fragment = report.to_html(), report.to_html(standalone=False)
    assert page.startswith("<!doctype html>") and "</html>" in page
    assert "<html" not in fragment and "<body" not in fragment
    assert 'class="immcourt-claims"' in fragment and "SAMPLE (synthetic)" in fragment
    assert "149,305" in fragment and "149,400" in fragment  # the claim and the computed number


def test_population_comes_from_the_paragraph_when_the_sentence_does_not_say() -> None:
    text = "This is about asylum seekers.\nUnder Biden, 77 percent were allowed to remain."
    claim = extract_claims(text)[0]
    natural = [r for r in readings_for(claim) if r.natural]
    alternative = [r for r in readings_for(claim) if not r.natural]
    assert {tuple(r.where.items()) for r in natural} == {(("asylum_case", True),)}
    assert {tuple(r.where.items()) for r in alternative} == {()}
    (elsewhere,) = extract_claims("Under Biden, 77 percent were allowed to remain.")
    assert readings_for(elsewhere)[0].where == {}
