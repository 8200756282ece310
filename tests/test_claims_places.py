"""The place guard and governing places (issue 15, holdout-4's failure kinds), each on new paraphrases with
its right reading worked out by hand: a court, nationality or language named in a number's clause either
becomes the reading's filter (it names the counted group's place) or makes the claim "not checkable" naming
it; a verdict on a reading without it is never given. Pro bono counsel, Remain in Mexico and EOIR regions are
groups the data cannot isolate."""

from __future__ import annotations

import pytest

from immcourt.claims.claim import Claim, TimeRef
from immcourt.claims.extract import extract_claims
from immcourt.claims.guard import counted_group, enforce
from immcourt.claims.interpret import interpret
from immcourt.claims.qualifiers import bundled_lexicon
from immcourt.claims.readings import Period, Reading
from immcourt.claims.verdict import decide


def _read(text: str) -> list:
    claims = extract_claims(text, lexicon=bundled_lexicon())
    return [(claim, interpret(claim)) for claim in claims]


def _where(text: str) -> list[tuple[str, dict]]:
    return [(c.text, i.readings[0].where if i.readings else {"status": i.status}) for c, i in _read(text)]


def test_each_name_of_a_caption_list_is_its_numbers_court() -> None:
    got = _where("Removal orders by court, FY2021: Denver 1,200, Omaha 640, Phoenix 2,900")
    assert [(t, w.get("court")) for t, w in got] == [
        ("1,200", "DENVER"),
        ("640", "OMAHA"),
        ("2,900", "PHOENIX"),
    ]


def test_a_dateline_city_is_the_court_of_here() -> None:
    got = _where("ELOY, Ariz. (AP) — Judges here ordered 2,300 people removed in fiscal 2020.")
    assert [(t, w.get("court")) for t, w in got] == [("2,300", "ELOY")]


@pytest.mark.parametrize(
    ("text", "court"),
    [
        ("Dallas' backlog stood at 41,000 cases at the end of FY2020.", "DALLAS"),
        ("The Orlando backlog reached 60,000 cases at the end of fiscal 2022.", "ORLANDO"),
        ("Seattle judges closed 3,100 cases in fiscal 2019.", "SEATTLE"),
        ("In FY2018, Tacoma completed 2,700 cases.", "TACOMA"),
    ],
)
def test_a_place_that_is_the_clause_subject_is_the_court(text: str, court: str) -> None:
    ((claim, found),) = _read(text)
    assert found.readings and all(r.where.get("court") == court for r in found.readings), found


def test_the_figure_for_a_second_place_is_that_places_court() -> None:
    got = _where("Denver judges completed 5,000 cases in FY2018. The figure for Omaha was 2,200.")
    assert [(t, w.get("court")) for t, w in got] == [("5,000", "DENVER"), ("2,200", "OMAHA")]


def test_a_continuing_clause_keeps_the_court_of_its_sentence() -> None:
    got = _where("In FY2019, Omaha completed 3,000 cases; 1,800 were removal orders.")
    assert [(t, w.get("court")) for t, w in got] == [("3,000", "OMAHA"), ("1,800", "OMAHA")]


def test_a_label_line_continues_the_heading_place() -> None:
    got = _where("Removal orders in Memphis: 3,400 in FY2019. In absentia: 1,100.")
    assert [(t, w.get("court")) for t, w in got] == [("3,400", "MEMPHIS"), ("1,100", "MEMPHIS")]


def test_a_list_name_after_a_number_stays_with_that_number() -> None:
    got = _where("Grant rates in FY2020 were 30 percent in Denver and 12 in Omaha.")
    assert [(t, w.get("court")) for t, w in got] == [("30 percent", "DENVER"), ("12", "OMAHA")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("K'iche'-speaking respondents received 700 removal orders in fiscal 2018.", "QUICHE"),
        ("Mam-speaking respondents received 450 removal orders in fiscal 2018.", "MAM"),
    ],
)
def test_a_speaking_group_is_the_language_filter(text: str, language: str) -> None:
    ((claim, found),) = _read(text)
    assert found.readings and all(r.where.get("language") == language for r in found.readings), found


def test_spanish_speakers_are_a_language_not_spain() -> None:
    ((claim, found),) = _read("Spanish speakers received 9,000 removal orders in fiscal 2018.")
    assert all("nationality" not in r.where for r in found.readings) and found.readings


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Applicants helped by pro bono lawyers won 58 percent of their asylum cases in FY2020.", "pro bono"),
        ("Migrants sent back under Remain in Mexico got 14,000 removal orders in absentia in FY2021.", "MPP"),
        ("Respondents in MPP cases were ordered removed in 9,000 cases in fiscal 2020.", "MPP"),
        ("In the Southern region, judges granted 20 percent of asylum claims in fiscal 2019.", "region"),
    ],
)
def test_groups_the_data_cannot_isolate_are_named(text: str, named: str) -> None:
    ((claim, found),) = _read(text)
    assert found.status == f"not checkable: {named}", found


def test_the_guard_refuses_a_verdict_on_a_reading_without_a_named_place() -> None:
    """A reading that slipped past interpret (built by hand here, no court filter) never reaches a verdict
    when the number's clause names a lookup court; with the court it may."""
    claim = Claim(
        start=0,
        end=3,
        text="640",
        value=640,
        unit="count",
        hedge="exact",
        time=TimeRef("fiscal_year", (2021,)),
        subject="cases",
        sentence="Judges sitting in Portland completed 640 cases in FY2021.",
        context="cases | Judges sitting in Portland completed | "
        "Judges sitting in Portland completed 640 cases",
    )
    group = counted_group(claim)
    assert any(q.dimension == "court" and q.value == "PORTLAND" for q in group)
    period = Period("FY2021", fiscal_years=(2021, 2021))
    bare = Reading("completions", "all completions", period, where={}, matches=True)
    refusal = enforce("supported", [bare], group)
    assert refusal is not None and "Portland" in refusal
    placed = Reading(
        "completions", "completions, Portland", period, where={"court": "PORTLAND"}, matches=True
    )
    assert enforce("supported", [placed], group) is None
    verdict = decide(claim, [Reading("completions", "all", period, where={}, value=640.0)])
    assert verdict.category == "not_checkable" and "Portland" in verdict.explanation
