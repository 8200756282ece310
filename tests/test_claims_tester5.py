"""The fifth new-user tester's claim-checker findings (2026-12-01), fixed by kind.

Each test holds the tester's sentence kind in new words and asserts the reading worked out by hand (metric,
filters, period), or the "not checkable" that names the words the data cannot isolate. The tester's own
values on the 50,000-case demo store (`make demo`) are in the comments; the store-backed tests compare the
checker with `immcourt stats`, whose figures the tester recomputed independently with DuckDB."""

from __future__ import annotations

from datetime import date

import pytest

from immcourt.claims import extract_claims
from immcourt.claims.interpret import interpret

AS_OF = date(2026, 11, 15)


def first(text: str, *, as_of: date | None = AS_OF, index: int = 0):
    claim = extract_claims(text, as_of=as_of)[index]
    return claim, interpret(claim, as_of=as_of)


def natural(found) -> tuple[str, dict, str]:
    reading = found.readings[0]
    return (
        reading.metric,
        {k: v for k, v in reading.where.items() if k != "outcome"},
        reading.period.canonical(),
    )


# ----------------------------------------------------------------- negation and exclusion (F5, F10, F11, F12)


@pytest.mark.parametrize(
    "text",
    [
        # demo store: represented = False, FY2024 = 2,399 completions (DuckDB check: 3,766 - 1,367)
        "Judges completed 2,399 cases of people who never had a lawyer in fiscal year 2024.",
        "Judges completed 2,399 cases of immigrants who never hired an attorney in fiscal 2024.",
        "Judges completed 2,399 cases of respondents who had never been represented in fiscal 2024.",
        "Immigrants who did not have an attorney had 2,399 cases completed in fiscal 2024.",
    ],
)
def test_a_negated_lawyer_is_the_unrepresented_group(text: str) -> None:
    claim, found = first(text)
    assert natural(found)[:2] == ("completions", {"represented": False}), text
    assert not any(q.value is True for q in claim.qualifiers if q.key == "represented")


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "Asylum seekers not from Mexico had a grant rate of 34.8 percent in fiscal 2024.",
            "not from Mexico",
        ),
        ("Excluding Hondurans, the asylum grant rate was 36 percent in fiscal 2024.", "Excluding Hondurans"),
        ("Asylum seekers other than Cubans won 35 percent of decisions in fiscal 2024.", "other than Cubans"),
        ("Outside New York, judges completed 3,443 cases in fiscal year 2024.", "Outside New York"),
        (
            "Everywhere but Houston, courts completed 3,527 cases in fiscal year 2024.",
            "Everywhere but Houston",
        ),
        ("Apart from Miami, courts completed 3,500 cases in fiscal 2024.", "Apart from Miami"),
        (
            "Setting aside Guatemalans, judges completed 3,361 cases in fiscal 2024.",
            "Setting aside Guatemalans",
        ),
    ],
)
def test_everyone_but_a_group_is_not_checkable_naming_the_exclusion(text: str, words: str) -> None:
    # the catalog's filters take values, never their complement: no reading may filter on the excluded group
    _, found = first(text)
    # a nationality excluded is "all but a nationality" (claims15f's rule, read first), any other group
    # "exclusion"; both name the excluded group
    assert found.readings == [], text
    assert found.status in ("not checkable: exclusion", "not checkable: all but a nationality"), text
    assert words in found.reason or words.split()[-1] in found.reason


# ---------------------------------------------------------------------------- detention wording (F4, F6, F12)


@pytest.mark.parametrize(
    "text, custody",
    [
        # demo store FY2024: Detained 1,884 completions, removed share 1037/1884 = 55.0%; Released 261
        (
            "In fiscal 2024, 55 percent of cases of people held in immigration jails ended in deportation.",
            "Detained",
        ),
        (
            "Judges completed 1,884 cases of migrants held in ICE detention centers in fiscal 2024.",
            "Detained",
        ),
        ("In fiscal 2024, 55 percent of cases of people in ICE custody ended in removal.", "Detained"),
        ("Judges completed 1,884 cases of incarcerated immigrants in fiscal 2024.", "Detained"),
        ("Judges completed 261 cases of people free on bond in fiscal year 2024.", "Released"),
        ("Judges completed 261 cases of migrants who were later released in fiscal 2024.", "Released"),
        (
            "Judges completed 261 cases of asylum seekers who had been released in fiscal year 2024.",
            "Released",
        ),
        (
            "Immigrants out of custody had 1,882 cases completed in fiscal 2024.",
            ("Never Detained", "Released"),
        ),
        (
            "Judges completed 1,882 cases of people not in ICE detention in fiscal 2024.",
            ("Never Detained", "Released"),
        ),
    ],
)
def test_detention_wording_is_the_custody_filter(text: str, custody: object) -> None:
    _, found = first(text)
    assert found.readings, text
    assert found.readings[0].where.get("custody") == custody, text


def test_a_city_detention_court_is_not_the_city_court() -> None:
    # one El Paso code in the lookup, no detention court: reading the city's court would drop "detention"
    for text in (
        "At the detention court in El Paso, 42.9 percent of asylum decisions in fiscal year 2024 were "
        "grants.",
        "The detention docket in Houston completed 100 cases in fiscal 2024.",
    ):
        _, found = first(text)
        assert found.readings == [] and found.status == "not checkable: detention court", text


# ----------------------------------------------------- groups and case kinds no dimension records (F28-F42)


@pytest.mark.parametrize(
    "text, key",
    [
        ("Newly arrived asylum seekers had 900 cases completed in fiscal 2024.", "arrival date"),
        (
            "Judges completed 800 cases of migrants who had lived in the United States for a decade in "
            "fiscal 2024.",
            "time in the U.S.",
        ),
        ("Judges completed 120 reopened cases in fiscal 2024.", "reopened"),
        ("Judges completed 400 cases transferred between courts in fiscal 2024.", "transferred"),
        ("Judges held 3,766 bond hearings in fiscal 2024.", "bond"),
        ("Judges completed 300 cases of people who posted bond in fiscal 2024.", "bond"),
        (
            "Migrants placed in expedited removal won 20 percent of asylum decisions in fiscal 2024.",
            "expedited removal",
        ),
        (
            "Judges completed 500 cases of people applying for cancellation of removal in fiscal 2024.",
            "relief sought",
        ),
        (
            "Venezuelans fleeing political repression won 40 percent of asylum decisions in fiscal 2024.",
            "persecution ground",
        ),
        (
            "Asylum seekers escaping cartel threats won 30 percent of decisions in fiscal 2024.",
            "persecution ground",
        ),
        ("Asylum seekers who moved to Chicago had 200 cases completed in fiscal 2024.", "residence"),
        ("Mexican farmworkers had 150 cases completed in fiscal 2024.", "occupation"),
        ("Religious minorities won asylum in 35.9 percent of decisions in fiscal 2024.", "religion"),
        (
            "Asylum seekers represented by volunteer lawyers won 50 percent of decisions in fiscal 2024.",
            "lawyer",
        ),
        ("Haitian-American attorneys handled 600 cases completed in fiscal 2024.", "lawyer"),
        (
            "Asylum seekers with Spanish-speaking lawyers won 35.9 percent of decisions in fiscal 2024.",
            "lawyer",
        ),
    ],
)
def test_a_group_the_data_does_not_record_is_named_never_dropped(text: str, key: str) -> None:
    _, found = first(text)
    assert found.readings == [], text
    assert found.status == f"not checkable: {key}", (text, found.status)


def test_the_lawyers_language_is_not_the_case_language() -> None:
    claim, _ = first(
        "Asylum seekers with Spanish-speaking lawyers won 35.9 percent of decisions in fiscal 2024."
    )
    assert not any(q.dimension == "language" for q in claim.qualifiers)


# ------------------------------------------------------------ attribution and people's names (F1, F34, F38)


def test_a_source_is_not_the_counted_group() -> None:
    claim, found = first("According to the Honduran government, 3,766 cases were completed in fiscal 2024.")
    assert not claim.qualifiers and natural(found) == ("completions", {}, "FY2024")
    # "... of its citizens": the source's country is the group (demo store: MEXICO FY2024 = 889)
    _, found = first(
        "Guatemala's foreign ministry said courts completed 405 cases of its citizens in fiscal 2024."
    )
    assert natural(found) == ("completions", {"nationality": "GUATEMALA"}, "FY2024")


def test_a_judges_first_name_is_no_nationality() -> None:
    # demo store: JORDAN K. WINHURST 51/104 = 49.0% (immcourt stats asylum_grant_rate --by judge)
    claim, found = first(
        "Judge Jordan K. Winhurst granted 49 percent of the asylum requests he decided in fiscal 2024."
    )
    assert [(q.dimension, q.value) for q in claim.qualifiers] == [("judge", "JORDAN K. WINHURST")]
    assert found.readings and found.readings[0].where == {"judge": "JORDAN K. WINHURST"}


def test_a_surname_two_judges_share_reads_every_namesake() -> None:
    # the lookup has JORDAN K. WINHURST and NOEL N. WINHURST: "Judge Winhurst" does not say which
    _, found = first("Judge Winhurst granted 49 percent of the asylum requests he decided in fiscal 2024.")
    judges = {r.where.get("judge") for r in found.readings if r.natural}
    assert judges == {"JORDAN K. WINHURST", "NOEL N. WINHURST"}


# ------------------------------------------------------------------------------------- periods (F14-F17, F41)


@pytest.mark.parametrize(
    "text, period",
    [
        # a month with no year: the last such month up to the article date (2026-11-15)
        ("In March, courts completed 300 cases.", "2026-03-01..2026-03-31"),
        ("In December, courts completed 300 cases.", "2025-12-01..2025-12-31"),
        ("During October, judges completed 260 cases.", "2026-10-01..2026-10-31"),
        # demo store: Trump II to the article date = 5,740
        (
            "Since Trump returned to office in January 2025, judges have completed 5,740 cases.",
            "2025-01-20..2026-11-15",
        ),
    ],
)
def test_a_month_or_an_event_month_is_the_period_it_names(text: str, period: str) -> None:
    _, found = first(text)
    assert natural(found)[2] == period, text


def test_a_month_without_an_article_date_is_not_checkable() -> None:
    _, found = first("In September, courts completed 240 cases.", as_of=None)
    assert found.readings == [] and found.status == "not checkable: article date"


def test_the_backlog_at_the_end_of_a_month_is_read_that_day() -> None:
    _, found = first("The backlog stood at 12,121 cases at the end of October.")
    assert natural(found) == ("pending", {}, "at:2026-10-31")


def test_last_year_is_the_fiscal_year_before_the_article_dates() -> None:
    # 2026-11-15 is in FY2027: "last year" is FY2026 (demo store 3,200), calendar 2025 the alternative
    _, found = first("Last year, courts completed 3,200 cases.")
    assert [r.period.label for r in found.readings][:2] == ["FY2026", "calendar 2025"]
    # "compared with last year's": the year before the sentence's own year
    _, found = first(
        "The courts completed 3,766 cases in fiscal 2024, compared with last year's 2,700.", index=1
    )
    assert natural(found)[2] == "FY2023"


def test_here_the_city_and_that_year_point_back() -> None:
    text = (
        "HOUSTON, Dec. 3, 2026 — The picture is different.\n\nJudges here completed 239 cases in fiscal "
        "2024.\n\n"
        "The city's asylum grant rate was 30 percent in fiscal 2024.\n\nNationally, the rate was 35.9 "
        "percent."
        "\n\nAcross the country, judges completed 3,766 cases that year."
    )
    claims = extract_claims(text, as_of=AS_OF)
    found = [interpret(c, as_of=AS_OF) for c in claims]
    assert natural(found[0]) == ("completions", {"court": "HOUSTON"}, "FY2024")
    assert natural(found[1])[:2] == ("asylum_grant_rate", {"court": "HOUSTON"})
    assert natural(found[2]) == ("asylum_grant_rate", {}, "FY2024")
    assert natural(found[3]) == ("completions", {}, "FY2024")


# -------------------------------------------------------------------------------------------- contrasts (F36)


def test_a_contrast_with_everyone_drops_the_partners_group() -> None:
    text = (
        "Detained immigrants' cases were completed faster: a median of 79 days in fiscal 2024, compared with "
        "191.5 days for all cases."
    )
    _, found = first(text, index=1)  # demo store: the all-case median FY2024 = 191.5
    assert natural(found) == ("median_days_to_completion", {}, "FY2024")
    _, found = first(
        "Represented immigrants won 40 percent of asylum decisions in fiscal 2024, compared with 20 percent "
        "for "
        "all other applicants.",
        index=1,
    )
    assert natural(found)[:2] == ("asylum_grant_rate", {"represented": False})


# ----------------------------------------------------------------------- verdicts on a store (the guard path)


def test_verdicts_on_negated_and_detained_groups_match_immcourt_stats(small_store) -> None:
    import immcourt
    from immcourt.claims import check_text

    store = immcourt.open(small_store)

    def value(metric: str, **where) -> float:
        return float(store.stats(metric, fiscal_years=(2024, 2024), where=where).to_dicts()[0]["value"])

    unrepresented = int(value("completions", represented=False))
    detained = int(value("completions", custody="Detained"))
    for text, expected in (
        (
            f"Judges completed {unrepresented:,} cases of people who never had a lawyer in fiscal 2024.",
            "supported",
        ),
        (
            f"Judges completed {detained:,} cases of people held in immigration jails in fiscal 2024.",
            "supported",
        ),
        (f"Outside New York, judges completed {unrepresented:,} cases in fiscal 2024.", "not_checkable"),
    ):
        (result,) = check_text(text, store=store, as_of=AS_OF).results
        assert result.verdict.category == expected, (text, result.verdict.explanation)


# -------------------------------------------------------------------------- matching and non-claims (F19-F39)


def _matches(text: str, computed: float, metric: str = "completions") -> bool | None:
    from immcourt.claims.readings import value_matches

    claim = extract_claims(text, as_of=AS_OF)[0]
    return value_matches(claim, metric, computed)


def test_an_unhedged_round_figure_is_capped_at_ten_percent() -> None:
    # demo store: Mexicans under Biden = 2,515; "3,000" is 19% high, "2,500" 0.6% low
    assert (
        _matches("Judges completed 3,000 cases of Mexicans during the Biden administration.", 2_515) is False
    )
    assert (
        _matches("Judges completed 2,500 cases of Mexicans during the Biden administration.", 2_515) is True
    )
    assert _matches("Judges completed 3,000 cases in fiscal 2024.", 2_730) is True  # 9% off: within the cap
    # a hedge keeps half a unit of the last digit: "about 3,000" still covers 2,515
    assert _matches("Judges completed about 3,000 cases of Mexicans during the Biden administration.", 2_515)


def test_about_half_allows_ten_percent_of_the_fraction() -> None:
    # demo store: removed share FY2024 = 46.7%
    text = "About half of all cases completed in fiscal 2024 ended in removal."
    assert _matches(text, 0.467, "removed_share") is True
    assert _matches(text, 0.44, "removed_share") is False


def test_dates_courts_and_addresses_are_no_claims() -> None:
    text = (
        "The rule took effect on 1 October, and judges completed 3,766 cases in fiscal 2024.\n\n"
        "In 2 of the 3 largest courts, the grant rate fell.\n\n"
        "She works at 401 West A Street, Suite 1100, San Diego, CA 92101.\n\n"
        "EOIR has 65 immigration courts."
    )
    assert [c.text for c in extract_claims(text, as_of=AS_OF)] == ["3,766", "65"]


def test_a_median_wait_in_a_story_is_a_claim() -> None:
    (claim,) = extract_claims(
        "Lopez waited 191 days for her case to be decided, the median wait for cases completed in fiscal "
        "2024.",
        as_of=AS_OF,
    )
    found = interpret(claim, as_of=AS_OF)
    assert natural(found) == ("median_days_to_completion", {}, "FY2024")


def test_an_average_is_never_contradicted_by_the_median() -> None:
    from immcourt.claims.readings import Reading
    from immcourt.claims.verdict import decide

    claim = extract_claims("The average case took 300 days to complete in fiscal 2024.", as_of=AS_OF)[0]
    found = interpret(claim, as_of=AS_OF)
    for median, category in ((191.5, "not_checkable"), (300.0, "supported_other_definition")):
        readings: list[Reading] = [r for r in found.readings]
        for reading in readings:
            reading.value, reading.error = median, None
        verdict = decide(claim, readings, as_of=AS_OF, interpretation=found)
        assert verdict.category == category, verdict.explanation


def test_api_check_takes_the_article_date_and_refuses_a_bad_one(small_store) -> None:
    # F27: a mistyped date is refused naming the field (main: a 400), as `immcourt check --as-of` does
    from fastapi.testclient import TestClient

    from immcourt.web.app import create_app

    client = TestClient(create_app(small_store))
    text = "Last year, courts completed 3,200 cases."
    for bad in ("2024-99-99", "../../etc"):
        response = client.post("/api/check", json={"text": text, "as_of": bad})
        assert response.status_code in (400, 422) and "as_of" in response.text, response.text
        assert "etc" not in response.text
    good = client.post("/api/check", json={"text": text, "as_of": "2026-11-15"})
    assert good.status_code == 200 and good.json()["as_of"] == "2026-11-15"
    (claim,) = good.json()["claims"]
    assert "FY2026" in str(claim)


def test_every_reading_carries_its_results_exclusions(small_store) -> None:
    # F22: the checker's figure says what it left out, as `immcourt stats` does for the same number
    import immcourt
    from immcourt.claims import check_text

    store = immcourt.open(small_store)
    expected = dict(store.stats("completions", fiscal_years=(2024, 2024)).exclusions)
    report = check_text("Judges completed 3,766 cases in fiscal 2024.", store=store, as_of=AS_OF)
    (result,) = report.results
    reading = result.readings[0]
    assert reading.exclusions == expected
    assert report.to_dict()["claims"][0]["readings"][0]["exclusions"] == expected
    assert any(expected.values())  # the sample release carries injected defects
    assert "left out (exclusions)" in report.to_html()


def test_the_trump_administration_after_trump_ii_began_reads_both() -> None:
    # F43: demo store Trump I = 4,418, Trump II to date = 5,740; the current one first, the other too
    _, found = first("Under the Trump administration, judges completed 4,418 cases.")
    assert [r.period.label for r in found.readings if r.natural] == [
        "Trump II administration",
        "Trump I administration",
    ]
    _, found = first("During the first Trump administration, judges completed 4,418 cases.")
    assert {r.period.label for r in found.readings} == {"Trump I administration"}
    _, found = first("Under the Trump administration, judges completed 4,418 cases.", as_of=None)
    assert {r.period.label for r in found.readings} == {"Trump I administration"}  # no date: the first


@pytest.mark.parametrize(
    "text, words",
    [
        ("Migrants traveling in caravans had 500 cases completed in fiscal 2024.", "traveling in caravans"),
        ("Immigrants that overstayed their visas had 400 cases completed in fiscal 2024.", "overstayed"),
        (
            "Asylum seekers belonging to persecuted sects won 30 percent of decisions in fiscal 2024.",
            "belonging",
        ),
    ],
)
def test_any_unknown_modifier_of_the_counted_group_is_named(text: str, words: str) -> None:
    # the structural rule: words after the group noun that no rule knows to be harmless: not checkable
    _, found = first(text)
    assert found.readings == [] and words in found.reason, (text, found.reason)


def test_known_harmless_words_keep_the_reading() -> None:
    for text in (
        "Immigrants seeking asylum won 35.9 percent of decisions in fiscal 2024.",
        "Judges completed 3,766 cases in fiscal 2024.",
        "Asylum seekers from Mexico won 39.4 percent of decisions in fiscal 2024.",
    ):
        _, found = first(text)
        assert found.readings, text


def test_a_period_before_the_first_record_is_not_checkable(small_store) -> None:
    # F40: records start on the release's first case start; a count of 0 before it is no fact
    import immcourt
    from immcourt.claims import check_text

    store = immcourt.open(small_store)
    first_year = store.records_from().year
    text = (
        f"In fiscal {first_year - 5}, judges completed 0 cases.\n\n"
        f"At the end of fiscal {first_year - 8}, 0 cases were pending."
    )
    report = check_text(text, store=store, as_of=AS_OF)
    assert [r.verdict.category for r in report.results] == ["not_checkable", "not_checkable"]
    assert all(store.records_from().isoformat() in r.verdict.explanation for r in report.results)


def test_the_past_months_are_the_complete_months_before_the_article_date() -> None:
    # F17: demo store Nov 2025 - Oct 2026 = 3,146 (stats completions --from 2025-11-01 --to 2026-10-31)
    _, found = first("Over the past 12 months, courts completed 3,146 cases.")
    assert natural(found) == ("completions", {}, "2025-11-01..2026-10-31")
    _, found = first("Over the past 12 months, courts completed 3,146 cases.", as_of=None)
    assert found.readings == [] and found.status == "not checkable: article date"


def test_completed_deportation_cases_and_filing_cohorts() -> None:
    # F9: completed deportation cases are completions of removal proceedings, never removal orders
    _, found = first(
        "Judges completed 98 deportation cases involving aggravated felonies in fiscal year 2024."
    )
    assert natural(found) == ("completions", {"aggravated_felony": True, "case_type": "RMV"}, "FY2024")
    # F31: completions of a filing cohort: no statistic takes the cohort, so it is named
    for text in (
        "Of cases filed in fiscal 2023, judges completed 900 in fiscal 2024.",
        "Judges completed 2,000 cases filed after 2020 in fiscal 2024.",
    ):
        _, found = first(text)
        assert found.readings == [] and found.status == "not checkable: filing cohort", text
    # a share "of cases filed in FY2018" keeps its reading (the annotated sets' convention)
    _, found = first("Some 35 percent of cases filed in FY2018 ended in absentia.")
    assert found.readings


def test_a_sentence_naming_its_own_group_is_not_read_on_the_paragraphs_asylum_cases() -> None:
    # F3: an article about asylum; these sentences name their own group (demo store: Houston FY2024 = 239,
    # unrepresented removed share FY2024 = 1326/2399 = 55.3%, detained median FY2024 = 79 days)
    lead = (
        "Asylum seekers fared worse last year. The asylum grant rate dropped to 35.9 percent in fiscal "
        "2024.\n\n"
    )
    for text, index, want in (
        (
            "Judges completed 3,766 cases in fiscal year 2024, and the Houston court completed 239 of them.",
            1,
            {"court": "HOUSTON"},
        ),
        (
            "Cases in which the immigrant had no lawyer ended in removal 55.3 percent of the time in fiscal "
            "2024.",
            0,
            {"represented": False},
        ),
        (
            "Detained immigrants' cases were completed faster: a median of 79 days in fiscal 2024.",
            0,
            {"custody": "Detained"},
        ),
    ):
        claims = extract_claims(lead + text, as_of=AS_OF)
        found = interpret(claims[1 + index], as_of=AS_OF)
        assert natural(found)[1] == want, text


def test_removal_named_as_a_group_never_turns_won_into_the_removal_share() -> None:
    # F13/F42 kind: "won N percent of decisions" is the grant rate whatever removal word names the group
    _, found = first("Asylum seekers facing removal won 35.9 percent of decisions in fiscal 2024.")
    assert natural(found) == ("asylum_grant_rate", {"case_type": "RMV"}, "FY2024")
    _, found = first(
        "Defensive asylum applicants, those already in removal proceedings, won 37.6 percent of decisions in "
        "fiscal 2024."
    )
    assert natural(found)[0] == "asylum_grant_rate"
    _, found = first("Judges ordered removal in 46.7 percent of cases in fiscal 2024.")
    assert natural(found)[0] == "removed_share"


def test_an_appositive_about_the_court_names_no_state() -> None:
    # F34: "one of the busiest in Texas" describes the Houston court (demo store FY2024 = 239)
    _, found = first("The Houston court, one of the busiest in Texas, completed 239 cases in fiscal 2024.")
    assert natural(found) == ("completions", {"court": "HOUSTON"}, "FY2024")
    _, found = first("In Texas, judges completed 700 cases in fiscal year 2024.")
    assert found.readings == [] and found.status == "not checkable: state"


def test_a_near_miss_on_a_figure_that_left_defective_cases_out_says_so() -> None:
    # F2: 269/486 = 55.35% (one defective case left out) against a claimed 55.4% (270/487 counting it)
    from immcourt.claims.verdict import decide

    claim = extract_claims("The asylum grant rate was 55.4 percent in fiscal 2023.", as_of=AS_OF)[0]
    found = interpret(claim, as_of=AS_OF)
    for reading in found.readings:
        reading.value, reading.error = 269 / 486, None
        reading.exclusions = {"cases left out: an application row that ends early": 1}
    verdict = decide(claim, found.readings, as_of=AS_OF, interpretation=found)
    assert verdict.category == "contradicted" and "defective_cases=include" in verdict.explanation
    for reading in found.readings:
        reading.value = 0.40  # far off: no hint
    assert (
        "defective_cases" not in decide(claim, found.readings, as_of=AS_OF, interpretation=found).explanation
    )


def test_a_judge_named_in_apposition_is_the_judge() -> None:
    # F38: demo store JORDAN K. WINHURST 51/104 = 49.0%; "in Miami" only says where the judge sits
    claim, found = first(
        "Jordan K. Winhurst, an immigration judge in Miami, granted 49 percent of the asylum requests he "
        "decided."
    )
    assert [(q.dimension, q.value) for q in claim.qualifiers] == [("judge", "JORDAN K. WINHURST")]
    assert found.readings[0].where == {"judge": "JORDAN K. WINHURST"}


def test_won_with_nothing_said_of_what_reads_both_grant_and_remain() -> None:
    # F37: "won" alone is the grant rate or allowed to remain, both natural (as "won their cases")
    _, found = first("In fiscal 2024, 35.9 percent of asylum seekers won.")
    assert {r.metric for r in found.readings if r.natural} == {"asylum_grant_rate", "allowed_to_remain_share"}
    _, found = first("Asylum seekers won 35.9 percent of decisions in fiscal 2024.")
    assert {r.metric for r in found.readings if r.natural} == {"asylum_grant_rate"}


def test_a_share_of_people_still_waiting_is_not_a_share_of_completed_cases() -> None:
    # F21: represented_share is taken of completed cases; "those waiting" are pending ones
    text = (
        "ICE held 39,000 people in detention on an average day in fiscal 2024.\n\n"
        "Among those waiting, 3 in 10 had no lawyer."
    )
    claims = extract_claims(text, as_of=AS_OF)
    found = interpret(claims[-1], as_of=AS_OF)
    assert found.readings == [] and found.status == "not checkable: pending cases"
    assert not any(q.dimension == "custody" for q in claims[-1].qualifiers)  # ICE's group stays with ICE
    _, found = first("Some 12,907 people were waiting for a hearing at the end of fiscal 2025.")
    assert natural(found) == ("pending", {}, "at:2025-09-30")
