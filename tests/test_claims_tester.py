"""The new-user tester's claim-checker findings of 2026-12-01 (each kind with its right reading)."""

from __future__ import annotations

from datetime import date

from immcourt.claims import extract_claims
from immcourt.claims.interpret import interpret

AS_OF = date(2026, 11, 15)


def first(text: str, *, as_of: date | None = AS_OF, index: int = 0):
    claim = extract_claims(text, as_of=as_of)[index]
    return claim, interpret(claim, as_of=as_of)


def test_since_a_year_compares_like_periods_never_a_cumulative_total() -> None:
    # FY2020 against the last fiscal year complete at the article date (FY2026 ends 2026-09-30)
    _, found = first("Since fiscal 2020, completions have more than tripled.")
    reading = found.readings[0]
    assert (reading.base_period.canonical(), reading.period.canonical()) == ("FY2020", "FY2026")
    # a bare year: fiscal with fiscal, calendar with calendar (the last complete calendar year is 2025)
    _, found = first("Since 2020, completions have increased more than tenfold.")
    pairs = {(r.base_period.label, r.period.canonical()) for r in found.readings}
    assert ("FY2020", "FY2026") in pairs
    assert ("calendar 2020", "2025-01-01..2025-12-31") in pairs
    assert all(r.period.label != "whole release" for r in found.readings)
    # a stock: pending at the end of FY2020 against pending at the article date
    _, found = first("Since fiscal year 2020, the number of pending cases has doubled.")
    reading = found.readings[0]
    assert (reading.base_period.canonical(), reading.period.canonical()) == ("at:2020-09-30", "at:2026-11-15")


def test_relative_periods_without_an_article_date_are_not_checkable() -> None:
    for text in (
        "Last year, courts completed 3,538 cases.",
        "This year, courts completed 3,538 cases.",
        "Since 2020, completions have increased more than tenfold.",
    ):
        claim, found = first(text, as_of=None)
        assert found.readings == [] and found.status == "not checkable: article date", text
        assert "article's date" in found.reason
    claim, found = first("Last year, courts completed 3,538 cases.")  # with the date: checkable
    assert found.readings and claim.time.years == (2025,)


def test_a_year_never_leaks_into_the_next_paragraph() -> None:
    text = (
        "Judge Winhurst granted asylum in 49% of the cases he decided in fiscal 2024.\n\n"
        "Judge Winhurst denied 51% of the asylum claims he decided."
    )
    claims = extract_claims(text, as_of=AS_OF)
    assert claims[0].time.years == (2024,)
    assert claims[1].time.kind == "none"


def _nationalities(text: str) -> list[object]:
    return [
        q.value for c in extract_claims(text, as_of=AS_OF) for q in c.qualifiers if q.key == "nationality"
    ]


def test_every_country_of_the_lookup_has_a_demonym_or_is_listed_without_one() -> None:
    import csv
    import io
    from pathlib import Path

    from immcourt.claims.demonyms import DEMONYMS, NO_DEMONYM

    lookup = Path(__file__).resolve().parents[1] / "src/immcourt/sample/data/lookups/tblLookupNationality.csv"
    rows = csv.DictReader(io.StringIO(lookup.read_bytes().decode("cp1252")), delimiter="\t")
    labels = [row["NAT_NAME"].strip() for row in rows]
    assert len(labels) > 200
    assert [label for label in labels if label not in DEMONYMS and label not in NO_DEMONYM] == []
    assert not set(DEMONYMS) & NO_DEMONYM


def test_demonyms_name_their_nationality() -> None:
    for word, label in (
        ("Burmese", "BURMA (MYANMAR)"),
        ("Congolese", "CONGO"),
        ("Ivorian", "IVORY COAST (COTE D'IVOIRE)"),
        ("Sri Lankan", "SRI LANKA"),
        ("Tajik", "TAJIKISTAN (TADZHIK)"),
        ("Kazakh", "KAZAKHSTAN"),
        ("Kyrgyz", "KIRGHIZIA (KYRGYZSTAN)"),
        ("Argentine", "ARGENTINA"),
        ("Argentinian", "ARGENTINA"),
        ("German", "GERMANY"),
    ):
        assert _nationalities(f"{word} asylum seekers won 36% of their cases in fiscal 2024.") == [label], (
            word
        )


def test_places_and_people_are_not_nationalities() -> None:
    assert _nationalities("Judges in Atlanta, Georgia, completed 138 cases in fiscal 2024.") == []
    assert _nationalities("Attorney Israel Ramirez said 3,766 cases were completed in fiscal 2024.") == []
    assert _nationalities("Judge Jordan K. Winhurst granted asylum in 49% of cases in fiscal 2024.") == []
    # a country in a nationality frame still is one
    assert _nationalities("Asylum seekers from Jordan won 49% of their cases in fiscal 2024.") == ["JORDAN"]
    assert _nationalities("Israel nationals won 49% of their asylum cases in fiscal 2024.") == ["ISRAEL"]
    _, found = first("Immigrants in Georgia won 30% of their asylum cases in fiscal 2024.")
    assert found.readings == [] and found.status == "not checkable: state"


def test_a_contrasted_group_takes_the_partner_statistic_and_the_opposite_group() -> None:
    for text in (
        "Represented asylum seekers won 43% of their cases in fiscal 2024, compared with 30% for those "
        "without representation.",
        "In fiscal 2024, asylum seekers who had lawyers were granted asylum at 43%, while those who did not "
        "were granted at 30%.",
    ):
        (_, with_lawyer), (_, without) = (first(text, index=i) for i in (0, 1))
        assert with_lawyer.readings[0].metric == without.readings[0].metric == "asylum_grant_rate", text
        assert with_lawyer.readings[0].where == {"represented": True}
        assert without.readings[0].where == {"represented": False}, text
        assert without.readings[0].period.canonical() == "FY2024"


def test_the_checker_figure_equals_immcourt_stats(small_store) -> None:
    # the all-cases reading is asked without a cut (a cut by asylum_case need not partition the cases)
    import immcourt
    from immcourt.claims import check_text

    store = immcourt.open(small_store)
    for metric, words, kwargs in (
        ("completions", "Courts completed {n} cases in fiscal 2024.", {"fiscal_years": (2024, 2024)}),
        ("new_cases", "Courts received {n} new cases in fiscal 2024.", {"fiscal_years": (2024, 2024)}),
        ("pending", "At the end of fiscal 2024, {n} cases were pending.", {"at": date(2024, 9, 30)}),
    ):
        total = int(store.stats(metric, **kwargs).to_dicts()[0]["value"])
        report = check_text(words.format(n=f"{total:,}"), store=store, as_of=AS_OF)
        (result,) = report.results
        natural = result.readings[0]
        assert natural.where == {} and int(natural.value) == total, metric
        assert result.verdict.category == "supported", metric


def test_groups_the_data_cannot_isolate_are_named_never_dropped() -> None:
    for text, key, words in (
        (
            "At the Krome detention center in Miami, judges completed 29 cases in fiscal 2024.",
            "detention facility",  # named as the holdout conventions name it (tests/claims_holdout3.md)
            "Krome",
        ),
        (
            "The Houston detention court completed 300 cases in fiscal 2024.",
            "court",
            "Houston detention court",
        ),
        ("Courts across the Southwest completed 900 cases in fiscal 2024.", "us_region", "Southwest"),
        (
            "Migrants who entered without inspection won 20% of asylum cases in fiscal 2024.",
            "manner of entry",  # as the holdout conventions name it (tests/claims_holdout4.md)
            "inspection",
        ),
        (
            "Judges ordered 47% of respondents deported in fiscal 2024, not counting those who left "
            "voluntarily.",
            "excludes_voluntary_departure",
            "voluntarily",
        ),
        ("In Texas, judges completed 700 cases in fiscal year 2024.", "state", "Texas"),
        ("Texas immigration courts completed 700 cases in fiscal year 2024.", "state", "Texas"),
    ):
        _, found = first(text)
        assert found.readings == [] and found.status == f"not checkable: {key}", text
        assert words in found.reason, text
    # a detention center that is itself a court of the release keeps its court
    _, found = first(
        "Judges at the Adelanto detention center denied asylum in 95 of every 100 cases in FY 2020."
    )
    assert found.readings[0].where == {"court": "ADELANTO"}


def test_from_to_ends_get_their_verdicts_and_the_change_reads_in_the_order_of_time(small_store) -> None:
    import immcourt
    from immcourt.claims import check_text

    store = immcourt.open(small_store)

    def total(fy: int) -> int:
        return int(store.stats("completions", fiscal_years=(fy, fy)).to_dicts()[0]["value"])

    old, new = total(2023), total(2024)
    text = f"Completions went to {new:,} in fiscal 2024 from {old:,} in fiscal 2023."
    report = check_text(text, store=store, as_of=AS_OF)
    assert [r.verdict.category for r in report.results] == ["supported", "supported"]
    change = f"claimed {old:,} → {new:,} ({new - old:+,})"
    assert change in report.results[1].verdict.explanation
    # a percent end of a from/to pair is a level on the percent scale
    rate = store.stats("asylum_grant_rate", fiscal_years=(2024, 2024)).to_dicts()[0]["value"]
    report = check_text(
        f"The grant rate dropped from 99% in fiscal 2023 to {100 * rate:.0f}% in fiscal 2024.",
        store=store,
        as_of=AS_OF,
    )
    assert report.results[1].verdict.category == "supported"
    assert report.results[1].claim.change_from.years == (2023,)


def test_the_in_absentia_reading_says_what_its_denominator_is() -> None:
    from immcourt.metrics.catalog import METRICS_BY_NAME

    _, found = first("In fiscal 2024, 30% of cases were decided in absentia.")
    reading = found.readings[0]
    assert reading.metric == "in_absentia_share"
    assert reading.label.startswith("share of removal orders issued in absentia")
    assert METRICS_BY_NAME["in_absentia_share"].description.lower().startswith("share of removal orders")
