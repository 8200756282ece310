"""Qualifier kinds that must hold on text the checker has never seen (issue 15, branch claims15f), each on new
paraphrases (none is a sentence of an annotated set) with its right reading worked out by hand:

- a representation, custody or in absentia group written in any order or form (stacked adjectives
  "represented Salvadoran nationals", a relative clause "who were not represented", "never locked up",
  "who failed to appear"), and the outcome of the group's cases ("whose cases ended in a deportation order");
- "in removal proceedings" is the case type RMV;
- a contrast ("..., while those without a lawyer ...") keeps the partner's statistic and places;
- "these judges" are the one court the sentence names;
- groups no dimension isolates are named as the annotation conventions name them (video hearings, mental
  health, DACA, manner of entry, judge background, judge tenure), and an outside-the-data word inside such a
  group (DACA, ports of entry, parole) does not turn a court statistic into "outside the data".
The guard property is checked on each: no reading that lacks a named group reaches a verdict.
"""

from __future__ import annotations

import pytest

from immcourt.claims.extract import extract_claims
from immcourt.claims.guard import counted_group, unapplied
from immcourt.claims.interpret import interpret
from immcourt.claims.qualifiers import bundled_lexicon


def _read(text: str) -> list[tuple[str, str, str | None, dict]]:
    """(number, status, first metric, first reading's filters) per claim; the guard checks every reading."""
    out = []
    for claim in extract_claims(text, lexicon=bundled_lexicon()):
        found = interpret(claim)
        group = counted_group(claim)
        for reading in found.readings:
            assert unapplied(reading, group) == [], (text, reading.label)
        first = found.readings[0] if found.readings else None
        out.append(
            (claim.text, found.status, first.metric if first else None, dict(first.where) if first else {})
        )
    return out


@pytest.mark.parametrize(
    ("text", "metric", "where"),
    [
        (
            "In Denver, represented Salvadoran nationals were allowed to stay in 40 percent of cases in "
            "FY2019.",
            "allowed_to_remain_share",
            {"court": "DENVER", "nationality": "EL SALVADOR", "represented": True},
        ),
        (
            "Guatemalan respondents who were not represented won asylum in 6 percent of decisions in FY2020.",
            "asylum_grant_rate",
            {"nationality": "GUATEMALA", "represented": False},
        ),
        (
            "Asylum seekers who were never locked up won 35 percent of their cases in fiscal 2020.",
            "asylum_grant_rate",
            {"custody": "Never Detained"},
        ),
        (
            "Migrants locked up in Houston won asylum in 9 percent of decisions in fiscal 2018.",
            "asylum_grant_rate",
            {"custody": "Detained", "court": "HOUSTON"},
        ),
        (
            "Guatemalan respondents who failed to appear were ordered removed in 12,000 cases in FY2019.",
            "completions",
            {"nationality": "GUATEMALA", "in_absentia": True, "outcome": ("removal_order",)},
        ),
        (
            "Of the respondents whose cases ended in a deportation order in FY2018, 80 percent had no "
            "lawyer.",
            "represented_share",
            {"outcome": "removal_order"},
        ),
        (
            "Hondurans in removal proceedings had a lawyer in 54% of completed cases in FY2022.",
            "represented_share",
            {"nationality": "HONDURAS", "case_type": "RMV"},
        ),
        (
            "Immigrants released on bond or parole were allowed to remain in 48% of cases in fiscal 2018.",
            "allowed_to_remain_share",
            {"custody": "Released"},
        ),
    ],
)
def test_a_group_written_in_any_form_is_the_readings_filter(text: str, metric: str, where: dict) -> None:
    ((_, status, got_metric, got_where),) = _read(text)
    assert (status, got_metric) == ("checkable", metric)
    assert {k: v for k, v in got_where.items() if k in where} == where, got_where
    assert set(got_where) <= set(where) | {
        "outcome"
    }  # nothing the text does not name (outcome: the statistic)


def test_an_affirmative_applicant_placed_in_proceedings_later_is_no_removal_case_type() -> None:
    ((_, status, metric, where),) = _read(
        "Affirmative applicants, who filed before being placed in removal proceedings, won asylum 50 percent "
        "of the time in FY2017."
    )
    assert status == "checkable" and metric == "asylum_grant_rate"
    assert where.get("asylum_type") == "affirmative" and "case_type" not in where


def test_a_contrast_keeps_the_partners_statistic_and_place() -> None:
    got = _read(
        "Respondents with lawyers in Chicago were allowed to stay in 52 percent of FY2021 completions, while "
        "those without a lawyer stayed in 11 percent."
    )
    assert [(n, m, w.get("court"), w.get("represented")) for n, _, m, w in got] == [
        ("52 percent", "allowed_to_remain_share", "CHICAGO", True),
        ("11 percent", "allowed_to_remain_share", "CHICAGO", False),
    ]


def test_a_contrast_keeps_a_place_named_only_in_the_partners_clause() -> None:
    got = _read(
        "Respondents who had lawyers were ordered removed in 30 percent of Houston cases in fiscal 2021, "
        "while "
        "unrepresented respondents were ordered removed in 85 percent."
    )
    assert [(n, w.get("court"), w.get("represented")) for n, _, _, w in got] == [
        ("30 percent", "HOUSTON", True),
        ("85 percent", "HOUSTON", False),
    ]


def test_these_judges_are_the_one_court_the_sentence_names() -> None:
    ((_, status, _, where),) = _read(
        "Eight in ten Cubans who appear before these judges are ordered removed, the lawyer said of the "
        "Miami "
        "court, in fiscal 2021."
    )
    assert status == "checkable" and where.get("court") == "MIAMI" and where.get("nationality") == "CUBA"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            "Respondents whose hearings took place over video won 20 percent of the time in FY2021.",
            "video hearings",
        ),
        (
            "Detainees with a mental illness had a lawyer in 30 percent of completed cases in FY2019.",
            "mental health",
        ),
        (
            "DACA recipients in removal proceedings were allowed to stay in 70 percent of cases in FY2020.",
            "DACA",
        ),
        (
            "Asylum seekers who crossed between ports of entry won 12% of the time in FY2022.",
            "manner of entry",
        ),
        (
            "Judges who previously worked as ICE prosecutors denied 90 percent of asylum claims in FY2020.",
            "judge background",
        ),
        (
            "Judges with two decades on the bench granted asylum in 30 percent of decisions in FY2019.",
            "judge tenure",
        ),
    ],
)
def test_a_group_no_dimension_isolates_is_named_not_outside(text: str, key: str) -> None:
    ((_, status, metric, _),) = _read(text)
    assert status == f"not checkable: {key}" and metric is None


def test_a_dash_aside_after_the_number_is_no_group() -> None:
    ((_, status, metric, where),) = _read(
        "Judges completed 410,000 cases — a figure officials tied to remote hearings and a hiring push — in "
        "fiscal 2019."
    )
    assert (status, metric, where) == ("checkable", "completions", {})


def test_removals_an_agency_carries_out_are_outside_the_data() -> None:
    ((_, status, metric, _),) = _read("ICE conducted 142,000 removals in fiscal 2023, the agency said.")
    assert status == "outside the data" and metric is None


def test_a_judges_possessive_surname_is_the_judge() -> None:
    ((_, status, metric, where),) = _read(
        "Judge Felwick's median case took 700 days to complete in fiscal 2022."
    )
    assert (status, metric, where) == (
        "checkable",
        "median_days_to_completion",
        {"judge": "REESE I. FELWICK"},
    )


def test_stacked_adjectives_before_a_demonym_each_filter() -> None:
    ((_, status, metric, where),) = _read(
        "In fiscal 2020, represented detained Hondurans in Dallas won relief in 14 percent of completions."
    )
    assert (status, metric) == ("checkable", "allowed_to_remain_share")
    assert where == {"represented": True, "custody": "Detained", "nationality": "HONDURAS", "court": "DALLAS"}


def test_those_who_did_turns_the_partners_negated_group_over() -> None:
    got = _read(
        "Migrants who did not have a lawyer won asylum 10% of the time in FY2018; those who did won 35%."
    )
    assert [(n, w.get("represented")) for n, _, _, w in got] == [("10%", False), ("35%", True)]


def test_a_pair_after_both_groups_are_named_takes_them_in_order() -> None:
    got = _read(
        "Afghan applicants who were represented won asylum far more often than those who were not: 70 "
        "percent "
        "versus 30 percent in FY2022."
    )
    assert [(n, w.get("represented"), w.get("nationality")) for n, _, _, w in got] == [
        ("70 percent", True, "AFGHANISTAN"),
        ("30 percent", False, "AFGHANISTAN"),
    ]


def test_a_remark_of_whom_is_no_filter() -> None:
    ((_, status, _, where),) = _read(
        "Guatemalans at the Denver court, most of whom were detained, were ordered removed in 70 percent of "
        "cases "
        "in FY2019."
    )
    assert status == "checkable" and where == {"nationality": "GUATEMALA", "court": "DENVER"}


def test_a_group_then_the_figure_continues_the_sentence_before() -> None:
    got = _read(
        "Among Eritrean asylum seekers, 60 percent won in FY2021. For those held in detention, the figure "
        "was "
        "25 percent."
    )
    assert [(n, m, w) for n, _, m, w in got] == [
        ("60 percent", "asylum_grant_rate", {"nationality": "ERITREA"}),
        ("25 percent", "asylum_grant_rate", {"nationality": "ERITREA", "custody": "Detained"}),
    ]


def test_a_ratio_against_another_group_is_never_a_change_over_time() -> None:
    ((number, status, metric, _),) = _read(
        "Represented respondents won asylum at four times the rate of unrepresented ones in FY2020."
    )
    assert (number, status, metric) == ("four times", "not checkable: comparison between groups", None)


# dev13's kinds (the blind development set tests/claims_dev13.jsonl), each on a new paraphrase.


def test_a_dash_remark_about_a_part_leaves_the_rest_of_the_clause() -> None:
    ((_, status, _, where),) = _read(
        "About 3,000 Haitians — many of them children — got removal orders in absentia in Miami in FY2021."
    )
    assert status == "checkable"
    assert where == {
        "nationality": "HAITI",
        "court": "MIAMI",
        "in_absentia": True,
        "outcome": ("removal_order",),
    }


def test_a_comma_remark_about_a_part_is_no_filter() -> None:
    ((_, status, _, where),) = _read(
        "Removal orders against Hondurans in the Dallas court numbered 5,100 in fiscal 2021, most issued in "
        "absentia."
    )
    assert status == "checkable" and where == {
        "outcome": ("removal_order",),
        "nationality": "HONDURAS",
        "court": "DALLAS",
    }


def test_a_part_of_them_keeps_the_group_of_the_number_before() -> None:
    got = _read(
        "Denver's judges completed 9,800 removal cases in fiscal 2022, about a third of them without a "
        "lawyer "
        "for the immigrant."
    )
    assert got[1][1:] == ("checkable", "represented_share", {"court": "DENVER", "case_type": "RMV"})


def test_a_group_named_in_a_sentence_with_no_number_is_the_next_pronouns() -> None:
    got = _read(
        "Take Peruvians who had a lawyer. They won asylum 33 percent of the time in fiscal 2021, versus 9 "
        "percent for those who did not."
    )
    assert [(n, w) for n, _, _, w in got] == [
        ("33 percent", {"nationality": "PERU", "represented": True}),
        ("9 percent", {"nationality": "PERU", "represented": False}),
    ]


def test_an_answer_takes_the_court_its_question_named() -> None:
    ((_, status, _, where),) = _read(
        "Q: What about the Denver court? A: In fiscal 2021 it was about 20 percent grants for Mexicans."
    )
    assert status == "checkable" and where == {"court": "DENVER", "nationality": "MEXICO"}


def test_a_thread_question_without_one_turns_the_group_over() -> None:
    got = _read("1/ In FY22, Hondurans with a lawyer won asylum 18% of the time.\n2/ Without one? 2%.")
    assert [(n, m, w) for n, _, m, w in got] == [
        ("18%", "asylum_grant_rate", {"represented": True, "nationality": "HONDURAS"}),
        ("2%", "asylum_grant_rate", {"nationality": "HONDURAS", "represented": False}),
    ]


def test_a_label_after_a_semicolon_continues_the_clause() -> None:
    got = _read("Judges ruled on asylum 5,200 times in Houston in FY2021; denials: 4,300.")
    assert got[1][1] == "checkable" and got[1][3].get("court") == "HOUSTON"


def test_an_irregular_demonym_in_a_list_is_its_nationality() -> None:
    got = _read("Grant rates, FY2021: 70 percent for Russians, 55 for Turks.")
    assert [w.get("nationality") for _, _, _, w in got] == ["RUSSIA", "TURKEY"]


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Among Hondurans ordered deported in FY2020, 81 percent had no lawyer.", "removal_order"),
        (
            "Of cases that ended with asylum granted in fiscal 2019, 90 percent involved a lawyer.",
            "asylum_granted",
        ),
        (
            "In Denver, 58 percent of respondents whose cases ended in voluntary departure had a lawyer in "
            "FY2021.",
            "voluntary_departure",
        ),
    ],
)
def test_the_outcome_a_group_was_given_is_its_filter(text: str, outcome: str) -> None:
    ((_, status, metric, where),) = _read(text)
    assert (status, metric) == ("checkable", "represented_share")
    assert where.get("outcome") in (outcome, (outcome,)), where


def test_a_state_inside_a_courts_name_is_no_state() -> None:
    ((_, status, _, where),) = _read("Kansas City's court completed 4,100 cases in FY 2019.")
    assert status == "checkable" and where == {"court": "KANSAS CITY"}


def test_a_citys_decisions_are_its_courts() -> None:
    ((_, status, _, where),) = _read("Venezuelans were granted asylum in 61% of Miami decisions in FY2022.")
    assert status == "checkable" and where == {"nationality": "VENEZUELA", "court": "MIAMI"}


def test_none_of_whom_had_been_detained_is_never_detained() -> None:
    ((_, status, _, where),) = _read(
        "Eritrean applicants, none of whom had been detained, won asylum in 70 percent of decisions in "
        "FY2019."
    )
    assert status == "checkable" and where == {"nationality": "ERITREA", "custody": "Never Detained"}


def test_a_closing_dash_remark_about_the_figure_is_no_group() -> None:
    ((_, status, _, where),) = _read(
        "Completions reached 31,000 in Denver in FY2020 — and that was with four judges."
    )
    assert status == "checkable" and where == {"court": "DENVER"}


def test_each_bullet_line_is_its_own_clause() -> None:
    got = _read("Denver court, fiscal 2021\n* New cases: 20,000\n* Completed: 14,000")
    assert [(n, m, w) for n, _, m, w in got] == [
        ("20,000", "new_cases", {"court": "DENVER"}),
        ("14,000", "completions", {"court": "DENVER"}),
    ]


def test_a_verb_says_what_court_cases_count() -> None:
    ((_, _, metric, _),) = _read("The Denver court received 12,000 court cases in fiscal 2021.")
    assert metric == "new_cases"


def test_a_short_sentence_with_no_statistic_continues_the_one_before() -> None:
    got = _read("The Denver court's asylum grant rate was 21% in FY2019. The year before: 26%.")
    assert [(n, m, w, s) for n, s, m, w in got] == [
        ("21%", "asylum_grant_rate", {"court": "DENVER"}, "checkable"),
        ("26%", "asylum_grant_rate", {"court": "DENVER"}, "checkable"),
    ]
    got = _read("In Denver the asylum grant rate was 21% in FY2019. In Omaha, about a third.")
    assert [w for _, _, _, w in got] == [{"court": "DENVER"}, {"court": "OMAHA"}]


def test_both_figures_are_for_dates_the_numbers_before() -> None:
    claims = extract_claims(
        "In Denver the asylum grant rate was 21%. In Omaha, about a third. Both figures are for fiscal 2019.",
        lexicon=bundled_lexicon(),
    )
    assert [interpret(c).readings[0].period.canonical() for c in claims] == ["FY2019", "FY2019"]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Judges completed 30,000 cases in FY 2021's second quarter.", "2021-01-01..2021-03-31"),
        (
            "Judges completed 30,000 cases in the last three months of calendar 2021.",
            "2021-10-01..2021-12-31",
        ),
        ("Judges completed 30,000 cases in the last two months of fiscal 2021.", "2021-08-01..2021-09-30"),
    ],
)
def test_parts_of_a_year_written_in_other_orders(text: str, period: str) -> None:
    (claim,) = extract_claims(text, lexicon=bundled_lexicon())
    assert interpret(claim).readings[0].period.canonical() == period


def test_a_share_and_a_percent_contrast_with_those_who_didnt() -> None:
    got = _read(
        "In fiscal 2018, 8 in 10 Cubans in the Houston court had an attorney; among those who didn't, just "
        "6% were allowed to stay."
    )
    assert got[1][1:] == (
        "checkable",
        "allowed_to_remain_share",
        {"nationality": "CUBA", "court": "HOUSTON", "represented": False},
    )


def test_ruled_on_asylum_n_times_counts_asylum_decisions() -> None:
    got = _read("Judges ruled on asylum 4,400 times in Denver in FY2020.")
    assert got[0][2] == "asylum_decisions" and got[0][3] == {"court": "DENVER"}


def test_ordered_out_of_the_country_is_removed() -> None:
    ((_, status, metric, where),) = _read(
        "Two of every three respondents in Omaha were ordered out of the country in FY2019."
    )
    assert (status, metric, where) == ("checkable", "removed_share", {"court": "OMAHA"})


def test_against_the_other_group_with_one() -> None:
    got = _read(
        "Only 12 percent of Haitian asylum seekers without lawyers won in Miami in fiscal 2018, against 40 "
        "percent of those with one."
    )
    assert [w.get("represented") for _, _, _, w in got] == [False, True]
    assert all(w.get("court") == "MIAMI" and w.get("nationality") == "HAITI" for _, _, _, w in got)


def test_among_those_without_turns_the_lead_group_over() -> None:
    got = _read(
        "Among asylum seekers with attorneys in Denver, 40 percent won in FY2021; among those without, 7 "
        "percent."
    )
    assert [(w.get("represented"), w.get("court")) for _, _, _, w in got] == [
        (True, "DENVER"),
        (False, "DENVER"),
    ]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Hondurans with prior deportations were ordered removed in 93 percent of cases in FY2019.", "prior"),
        (
            "In Denver, Mexicans who had been in the country over ten years won relief in 25 percent of "
            "cases in FY2019.",
            "ten years",
        ),
    ],
)
def test_an_unknown_modifier_after_a_demonym_is_named_never_dropped(text: str, named: str) -> None:
    ((_, status, metric, _),) = _read(text)
    assert status.startswith("not checkable: ") and named in status and metric is None


def test_a_change_between_two_terms_is_measured_from_the_later_named_one() -> None:
    from immcourt.claims.evaluate import reading_period

    (claim,) = extract_claims(
        "Completions rose 20 percent during Biden's term compared with Trump's first.",
        lexicon=bundled_lexicon(),
    )
    reading = interpret(claim).readings[0]
    assert reading.change == "percent_change"
    assert reading_period(reading) == "admin:Trump I->admin:Biden"


def test_a_semicolon_keeps_the_place_before_it_but_not_its_other_words() -> None:
    ((_, status, _, where),) = _read(
        "A letter from the chief judge praised staff in Denver; the court there completed 9,000 cases in "
        "fiscal 2021."
    )
    assert status == "checkable" and where == {"court": "DENVER"}


def test_waiting_on_the_docket_is_pending() -> None:
    ((_, status, metric, _),) = _read(
        "More than 300,000 respondents were waiting on the docket at the end of FY2012."
    )
    assert (status, metric) == ("checkable", "pending")


def test_a_semicolon_part_naming_only_a_yes_no_group_is_a_contrast() -> None:
    got = _read(
        "Represented Cubans in Miami won asylum in 35 percent of cases in FY2021; unrepresented ones, 6 "
        "percent."
    )
    assert [(m, w.get("represented")) for _, _, m, w in got] == [
        ("asylum_grant_rate", True),
        ("asylum_grant_rate", False),
    ]
    assert all(w.get("court") == "MIAMI" and w.get("nationality") == "CUBA" for _, _, _, w in got)


def test_everyone_but_a_nationality_is_not_that_nationality() -> None:
    ((_, status, metric, _),) = _read(
        "Respondents other than Guatemalans won relief 30 percent of the time in FY2019."
    )
    assert status == "not checkable: all but a nationality" and metric is None


def test_a_named_center_people_are_held_at_is_a_detention_facility() -> None:
    ((_, status, _, _),) = _read(
        "Detainees at the Otero center in El Paso won 4 percent of the time in FY2020."
    )
    assert status == "not checkable: detention facility"


def test_a_place_after_the_partners_number_is_the_partners() -> None:
    got = _read(
        "In FY2021, 55 percent of asylum seekers in Denver had representation, versus 80 percent in Chicago."
    )
    assert [w.get("court") for _, _, _, w in got] == ["DENVER", "CHICAGO"]


def test_a_docket_in_a_place_the_lookups_do_not_name_is_not_checkable() -> None:
    ((_, status, _, _),) = _read("The detained docket in Port Isabel finished 4,000 cases in fiscal 2021.")
    assert status == "not checkable: court"


def test_applications_filed_by_a_group_are_counted_by_the_verb_before() -> None:
    ((_, status, metric, where),) = _read(
        "In FY2021 the Omaha court's judges granted 300 asylum applications filed by Guatemalans."
    )
    assert (status, metric) == ("checkable", "asylum_decisions")
    assert where == {"asylum_decision": "granted", "nationality": "GUATEMALA", "court": "OMAHA"}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "Affirmative asylum claims did better: Denver judges approved 40% of them in FY 2020.",
            {"asylum_type": "affirmative", "court": "DENVER"},
        ),
        ("The year ended with Omaha judges granting 15% of asylum claims in FY2019.", {"court": "OMAHA"}),
        (
            "Of the Hondurans that Judge Felwick ruled on in FY2021, 8 percent got asylum.",
            {"nationality": "HONDURAS", "judge": "REESE I. FELWICK"},
        ),
    ],
)
def test_a_grant_verb_written_bare_is_the_grant_rate(text: str, where: dict) -> None:
    ((_, status, metric, got),) = _read(text)
    assert (status, metric, got) == ("checkable", "asylum_grant_rate", where)


def test_new_reviews_of_a_case_type_are_new_cases() -> None:
    ((_, status, metric, where),) = _read("New reasonable fear reviews reached 9,000 in fiscal 2022.")
    assert (status, metric, where) == ("checkable", "new_cases", {"case_type": "RFR"})


def test_a_count_is_what_its_verb_counts_not_its_groups_words() -> None:
    ((_, status, metric, where),) = _read(
        "Houston judges denied 2,500 asylum claims from Guatemalans who lacked lawyers in fiscal 2019."
    )
    assert (status, metric) == ("checkable", "asylum_decisions")
    assert where == {
        "asylum_decision": "denied",
        "represented": False,
        "nationality": "GUATEMALA",
        "court": "HOUSTON",
    }


def test_a_shares_group_word_is_still_what_it_measures() -> None:
    ((_, status, metric, where),) = _read(
        "Detained Hondurans had a lawyer in 25 percent of completed cases in FY2020."
    )
    assert (status, metric, where) == (
        "checkable",
        "represented_share",
        {"custody": "Detained", "nationality": "HONDURAS"},
    )
