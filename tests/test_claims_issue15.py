"""Issue 15: each paraphrase of a failure kind is a test with its right reading (readings, not verdicts,
unless the verdict is the point). The fake store is the one of test_claims_interpret.py."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from immcourt.claims import check_text, extract_claims
from immcourt.claims.interpret import interpret
from immcourt.claims.readings import catalog, is_share_metric
from immcourt.metrics.catalog import METRICS
from tests.test_claims_interpret import FakeStore, count, share

CLAIMS_DIR = Path(__file__).resolve().parents[1] / "src" / "immcourt" / "claims"


def first(text: str, *, as_of: date | None = None, index: int = 0):
    claim = extract_claims(text, as_of=as_of)[index]
    return claim, interpret(claim, as_of=as_of)


def natural(text: str, *, as_of: date | None = None, index: int = 0):
    claim, found = first(text, as_of=as_of, index=index)
    assert found.readings, found.reason
    return found.readings[0]


# --------------------------------------------------------------------------------------------- 1. qualifiers


def test_nationality_demonym_becomes_a_filter() -> None:
    reading = natural("30% of Guatemalan asylum seekers won in FY 2021.")
    assert (reading.metric, reading.where, reading.period.fiscal_years) == (
        "asylum_grant_rate",
        {"nationality": "GUATEMALA"},
        (2021, 2021),
    )


def test_representation_is_a_filter_both_ways() -> None:
    assert natural("More than half of those with a lawyer won asylum in FY 2020.").where == {
        "represented": True
    }
    reading = natural("One in five without representation won asylum in FY 2020.")
    assert reading.metric == "asylum_grant_rate" and reading.where == {"represented": False}


def test_court_base_city_is_a_filter_of_a_denial_rate() -> None:
    reading = natural("The Oakdale court's denial rate was 86 percent in FY 2019.")
    assert reading.metric == "asylum_grant_rate" and reading.complement
    assert reading.where == {"court": "OAKDALE"}


def test_a_group_the_data_cannot_isolate_is_named_and_never_checked_on_everyone() -> None:
    claim, found = first("Unaccompanied children were ordered removed in 42 percent of cases in FY 2019.")
    assert found.readings == [] and found.status == "not checkable: juvenile"
    assert "Unaccompanied" in found.reason
    store = FakeStore(lambda m, k: pytest.fail("a dropped qualifier must not reach the store"))
    result = check_text(claim.sentence, store=store).claims[0]
    assert result.verdict.category == "not_checkable"


@pytest.mark.parametrize(
    ("text", "dimension", "value"),
    [
        (
            "Migrants who don't have a criminal record had 41,000 cases closed in FY 2023.",
            "criminal_charge",
            False,
        ),
        ("Some 120,000 cases without criminal charges were dismissed in FY 2022.", "criminal_charge", False),
        (
            "Non-criminal immigrants accounted for 88,000 completed cases in FY 2021.",
            "criminal_charge",
            False,
        ),
        (
            "More than 150,000 cases were closed by prosecutorial discretion in FY 2023.",
            "prosecutorial_discretion",
            True,
        ),
    ],
)
def test_criminal_charge_and_prosecutorial_discretion_before_and_after_the_catalog_has_them(
    text: str, dimension: str, value: bool
) -> None:
    claim = extract_claims(text)[0]
    assert any(q.dimension == dimension and q.value is value for q in claim.qualifiers)
    metrics = catalog()
    if all(dimension not in m.dimensions for m in metrics.values()):
        found = interpret(claim, metrics=metrics)
        assert found.readings == [] and found.status == f"not checkable: {dimension}"
    widened = {name: replace(m, dimensions=(*m.dimensions, dimension)) for name, m in metrics.items()}
    reading = interpret(claim, metrics=widened).readings[0]
    assert reading.where[dimension] is value


def test_the_outcome_a_share_is_taken_of_is_a_qualifier() -> None:
    # in_absentia_share is taken of removal orders (its catalog population): "of the removal orders" is its
    # own group, not a filter to drop; another outcome is a group that statistic cannot isolate
    reading = natural("Of the removal orders issued in FY 2019, 62 percent were entered in absentia.")
    assert (reading.metric, reading.where) == ("in_absentia_share", {})
    for text in (
        "Of the dismissals in FY 2019, 30 percent were entered in absentia.",
        "Of the asylum denials in FY 2019, 30 percent were entered in absentia.",
    ):
        claim, found = first(text)
        assert found.readings == [] and found.status == "not checkable: outcome", text
    reading = natural(
        "Nearly 40 percent of the removal orders given to unrepresented immigrants in fiscal 2018 were "
        "issued in absentia."
    )
    assert (reading.metric, reading.where) == ("in_absentia_share", {"represented": False})


def test_the_report_shows_the_filters_of_each_reading() -> None:
    store = FakeStore(lambda m, k: share(27, 100))
    report = check_text("Judges granted 27 percent of Salvadoran asylum requests in FY 2019.", store=store)
    assert report.claims[0].readings[0].where == {"nationality": "EL SALVADOR"}
    assert "nationality = EL SALVADOR" in report.to_html()
    assert store.calls[0][1]["where"] == {"nationality": "EL SALVADOR"}


# --------------------------------------------------------------------------------------------- 2. periods


def test_each_number_takes_the_period_of_its_clause() -> None:
    text = "Asylum grants went from 5,200 in FY 2020, to 9,800 during FY 2021."
    assert [natural(text, index=i).period.fiscal_years for i in (0, 1)] == [(2020, 2020), (2021, 2021)]


def test_a_period_far_away_in_the_same_clause_is_kept() -> None:
    text = (
        "Immigration judges across the country ordered 21,000 people removed in proceedings that often "
        "lasted for years and took several hearings each in FY 2019."
    )
    assert natural(text).period.fiscal_years == (2019, 2019)


def test_so_far_in_a_fiscal_year_runs_from_its_first_day_to_the_article_date() -> None:
    reading = natural("So far in FY 2023, judges have completed 410,000 cases.", as_of=date(2023, 5, 1))
    assert (reading.period.date_from, reading.period.date_to) == (date(2022, 10, 1), date(2023, 5, 1))


def test_start_of_a_fiscal_year_is_its_first_day() -> None:
    assert natural("At the start of FY 2010, about 223,000 cases were pending.").period.at == date(
        2009, 10, 1
    )


def test_month_span_and_fiscal_quarter() -> None:
    reading = natural("Between October 2014 and September 2019, courts completed 570,000 cases.")
    assert (reading.period.date_from, reading.period.date_to) == (date(2014, 10, 1), date(2019, 9, 30))
    reading = natural("In the first quarter of FY 2022, judges completed 90,000 cases.")
    assert (reading.period.date_from, reading.period.date_to) == (date(2021, 10, 1), date(2021, 12, 31))


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Under President Clinton, courts completed 1.2 million cases.", "admin:Clinton"),
        ("During George W. Bush's presidency, courts completed 1.9 million cases.", "admin:G.W. Bush"),
        ("In Obama's second term, judges completed 950,000 cases.", "2013-01-20..2017-01-19"),
        ("During Trump's first term, judges completed 700,000 cases.", "admin:Trump I"),
    ],
)
def test_administrations_from_clinton_on_and_terms_told_apart(text: str, period: str) -> None:
    assert natural(text).period.canonical() == period


def test_since_trump_returned_is_the_second_administration() -> None:
    reading = natural(
        "Since Trump returned to office, courts ordered 160,000 people removed.", as_of=date(2025, 6, 10)
    )
    assert (reading.period.date_from, reading.period.date_to) == (date(2025, 1, 20), date(2025, 6, 10))


def test_an_explicit_fiscal_year_next_to_the_number_outranks_last_year() -> None:
    text = "Last year was busy: judges completed 620,000 cases in FY 2022."
    assert natural(text, as_of=date(2024, 3, 1)).period.fiscal_years == (2022, 2022)


# --------------------------------------------------------------------------------------------- 3. changes


def test_from_to_is_two_levels_and_a_change() -> None:
    claims = extract_claims("Asylum denials climbed from 3,100 to 7,400 between FY 2017 and FY 2019.")
    assert [(c.value, c.time.years, c.change) for c in claims] == [
        (3100, (2017,), None),
        (7400, (2019,), "from_to"),
    ]
    assert claims[1].change_from_value == 3100


def test_a_ratio_is_checked_on_both_ends() -> None:
    def answer(metric: str, kwargs: dict) -> list[dict]:
        assert metric == "new_cases"
        return count(250_000 if kwargs["fiscal_years"] == (2020, 2020) else 600_000)

    report = check_text(
        "In FY 2023 new filings were more than double the level of 2020.", store=FakeStore(answer)
    )
    result = report.claims[0]
    assert result.claim.unit == "ratio" and result.claim.change == "ratio"
    assert result.readings[0].value == pytest.approx(2.4) and result.verdict.category == "supported"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("New cases increased by 250% between FY 2015 and FY 2020.", "percent_change", 250),
        ("The backlog saw a 3x jump from FY 2012 to FY 2022.", "ratio", 3),
        ("The represented share rose 9 points from FY 2018 to FY 2021.", "points", 9),
        ("Removal orders fell by 20,000 from FY 2019 to FY 2021.", "difference", 20_000),
    ],
)
def test_changes_have_both_ends(text: str, kind: str, value: float) -> None:
    claim, found = first(text)
    assert (claim.change, claim.value) == (kind, value)
    reading = found.readings[0]
    assert reading.change == kind and reading.base_period is not None
    assert reading.metric != "pending" or "backlog" in text


def test_down_from_pairs_a_level_with_its_base() -> None:
    claims = extract_claims("The in absentia share was 40 percent in FY 2019, down from 55% the year before.")
    assert [(c.value, c.time.years) for c in claims] == [(40, (2019,)), (55, (2018,))]
    assert claims[1].change == "from_to"


# --------------------------------------------------------------------------------------------- 4. not claims


@pytest.mark.parametrize(
    "text",
    [
        "A mother, 41, and her daughter, 9, waited outside.",
        "The court sits at 606 South Olive Street, Los Angeles, CA 90014.",
        "Advocates released a 212-page report on the backlog.",
        "Call 202-555-0143 for help.",
    ],
)
def test_ages_addresses_pages_and_phones_are_not_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The regional ICE office employs more than 900 attorneys.",
        "Judge vacancies take an average of 14 months to fill.",
        "A poll found 58 percent of voters want more judges.",
        "Border agents recorded 2.2 million encounters in FY 2022.",
        "The foreign-born population of Texas is about 5 million.",
    ],
)
def test_outside_the_data_is_said_and_never_mapped_to_a_court_metric(text: str) -> None:
    claim, found = first(text)
    assert found.status == "outside the data" and found.readings == []


def test_words_that_misled_the_checker() -> None:
    assert natural("The court handled 45,000 court cases in FY 2021.").metric == "completions"
    assert natural("Case closures reached 700,000 in FY 2023.").metric == "completions"
    assert natural("Respondents filed 450,000 new cases in FY 2021.").metric == "new_cases"
    claims = extract_claims("Grant rates were 81 percent for Peru, 64 for Cuba in FY 2022.")
    assert [(c.value, c.unit) for c in claims] == [(81, "percent"), (64, "percent")]
    assert interpret(claims[1]).readings[0].where == {"nationality": "CUBA"}
    (almost,) = extract_claims("Cases took almost two years to resolve in FY 2022.")
    assert (almost.value, almost.hedge) == (2, "nearly")
    (half,) = extract_claims("Nearly half of asylum seekers won asylum in FY 2016.")
    assert (half.value, half.unit, half.hedge) == (0.5, "share", "nearly")
    (span,) = extract_claims("Eight to ten percent of cases ended in absentia in FY 2019.")
    assert (span.value, span.upper, span.unit) == (8, 10, "percent")


def test_what_a_number_counts_carries_into_the_next_sentence() -> None:
    text = (
        "In FY 2018, 38 percent of completed cases ended in removal. This climbed to 55 percent in FY 2019."
    )
    reading = natural(text, index=1)
    assert (reading.metric, reading.period.fiscal_years) == ("removed_share", (2019, 2019))


def test_a_percent_is_never_answered_with_a_count() -> None:
    for text in (
        "About 15 percent of cases were dismissed in FY 2021.",
        "Some 12% of judges' cases were new in 2020.",
    ):
        for reading in interpret(extract_claims(text)[0]).readings:
            assert is_share_metric(reading.metric) or reading.change


def test_a_wait_time_says_the_definitions_differ_and_a_bound_says_how_far() -> None:
    store = FakeStore(lambda m, k: count(1_400))
    wait = check_text("Asylum seekers waited an average of 1,400 days in FY 2023.", store=store).claims[0]
    assert "defined differently" in wait.verdict.explanation
    store = FakeStore(lambda m, k: count(18_500))
    bound = check_text("Fewer than 20,000 cases were completed in FY 2014.", store=store).claims[0]
    assert bound.verdict.category == "supported" and "-7.5% from the bound" in bound.verdict.explanation


# ------------------------------------------------------------------------------------------ 5. one definition


def test_share_ness_comes_from_the_catalog() -> None:
    for metric in METRICS:
        assert is_share_metric(metric.name) == (metric.kind == "share")


def test_the_checker_keeps_no_copy_of_an_outcome_rule() -> None:
    for path in CLAIMS_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        # The allowed-to-remain and closed-without-merits classes live in the catalog, not here.
        assert "protection_under_removal_order" not in text, path.name
        assert "REMAIN_CLASSES" not in text and "_CLOSED =" not in text, path.name
        assert '"terminated", "dismissed"' not in text, path.name


def test_claims_modules_import_no_circle() -> None:
    graph: dict[str, set[str]] = {}
    for path in CLAIMS_DIR.glob("*.py"):
        imports = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("immcourt.claims."):
                imports.add(node.module.rsplit(".", 1)[1])
        graph[path.stem] = imports

    def visit(name: str, stack: tuple[str, ...]) -> None:
        assert name not in stack, " -> ".join((*stack, name))
        for child in graph.get(name, ()):
            visit(child, (*stack, name))

    for name in graph:
        visit(name, ())


# --------------------------------------------------------------------------------------------- 6. linear


def test_adversarial_text_finishes() -> None:
    """1 MB of digits, 4 KB of "1,", 32,000 digits, a 5,000-digit number and 200 KB of mixed hostile pieces.

    Run in a child process with a generous limit: a quadratic or exponential pattern takes minutes to hours
    here (32,000 digits took 92 s before), a linear one about a second per megabyte. Not a timing assertion.
    """
    code = (
        "import random\n"
        "from immcourt.claims.extract import extract_claims\n"
        "random.seed(7)\n"
        "pieces = ['1,', '2.', ' percent', ' FY', '20', 'since ', ' million', 'one in ', '-', '$', ' to ',\n"
        "          'Judge ', '\\n\\n', '%', 'a third of', 'from 1 to ', 'Guatemalan ', ' in ']\n"
        "mix = ''.join(random.choice(pieces) for _ in range(60_000))[:200_000]\n"
        "huge = 'Judges closed ' + '7' * 5000 + ' cases.'\n"
        "for text in ('1' * 1_000_000, '1,' * 2048, '9' * 32_000, huge, mix):\n"
        "    extract_claims(text)\n"
        "print('done')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "done"


def test_names_come_from_the_release_lookups(small_store: Path) -> None:
    import immcourt
    from immcourt.claims.qualifiers import Lexicon

    db = immcourt.open(small_store)
    nationalities = db.dimension_labels("nationality")
    assert "GUATEMALA" in nationalities and "EL SALVADOR" in nationalities
    assert "OAKDALE" in db.dimension_labels("court") and db.dimension_labels("outcome") == []
    lexicon = Lexicon.from_store(db)
    assert lexicon.names["nationality"]["guatemalan"] == "GUATEMALA"
    assert lexicon.names["nationality"]["salvadoran"] == "EL SALVADOR"
    assert lexicon.names["court"]["oakdale"] == "OAKDALE"
    assert set(lexicon.names["judge"].values()) <= set(db.dimension_labels("judge"))


# Holdout-2 (tests/claims_holdout2.jsonl, written blind by someone who never saw the checker) missed two of
# issue 15's targets on its first scoring (mapping with qualifiers 0.852, 9 readings that dropped a
# qualifier). Its failure kinds were then fixed, so since 2026-12-01 it is a development set
# (evaluate.SEEN_IN_TUNING, tests/claims_holdout2.md); the targets are tested on the newest holdout not yet
# seen in tuning, or, until one lands, on holdout-2 itself (a development score).
# Holdout-3 then missed the same two targets on its one blind scoring (2026-12-01 after the qualifier guard:
# recall 0.982, precision 0.982, mapping with qualifiers 0.828, periods 0.964, 19 dropped); its failure kinds
# were fixed on branch claims15d, so it too is a development set now (tests/claims_holdout3.md).
# Holdout-4 (written blind while holdout-3 was tuned on) was scored blind on the merged code (mapping with
# qualifiers 0.771, 19 dropped); branch claims15e then fixed its place kinds (the place guard), so since
# 2026-12-01 it is a development set too and no unseen holdout is left: the target set is holdout-4 and its
# score is a development score. Branch claims15f (2026-12-01) fixed the remaining qualifier kinds (stacked and
# relative-clause groups, contrasts, unisolable groups named): holdout-4's development score now meets the
# targets (mapping with qualifiers 0.952, periods 0.933, no dropped qualifier), so the test passes, as a
# development score, until a fresh blind holdout is written (it then becomes the target set).
# Holdout-5 (tests/claims_holdout5.jsonl, 292 claims, written blind while claims15f/claims15g tuned on other
# sets) is that set. Scored blind once on the merged code (main c829f0e, 2026-12-01): recall 0.976, precision
# 0.966, mapping with qualifiers 0.779, periods 0.928, 18 readings that dropped a qualifier (0.723 and 26 on
# the code of the session's start, 90b6632). Branch claims15h (2026-12-01) then read its errors and fixed
# kinds of them, so holdout-5 is a development set too (evaluate.SEEN_IN_TUNING, claims_holdout5.md) and,
# no unseen holdout being on this branch, the target set is holdout-5 and its score a development score. It
# still misses two targets (see the reason), so the test is a strict expected failure until it passes (or a
# fresh blind holdout lands and becomes the target set).
@pytest.mark.xfail(
    strict=True,
    reason="issue 15: holdout-5 (development score since claims15h) misses mapping with qualifiers "
    "(0.818 < 0.90); 7 dropped qualifiers",
)
def test_holdout_targets() -> None:
    """Issue 15's targets on the newest holdout (``evaluate.target_set``)."""
    from immcourt.claims.evaluate import load_annotations, score, target_set

    chosen = target_set(Path(__file__).parent)
    result = score(load_annotations(chosen.path))
    assert result.expected >= 100, chosen
    assert result.recall >= 0.95 and result.precision >= 0.95, (result.misses, result.spurious)
    assert result.qualified_accuracy >= 0.90, result.qualifier_errors
    assert result.period_accuracy >= 0.90, result.period_errors
    assert result.dropped_qualifier == 0, result.dropped_errors


def test_holdout_2_does_not_slip_below_its_level() -> None:
    """Holdout-2 as scored after its failure kinds were fixed (docs/BENCHMARKS.md, 2026-12-01): recall
    0.981, precision 0.981, mapping with qualifiers 0.990, periods 0.970, no dropped qualifier (first scoring,
    blind: 0.981, 0.981, 0.852, 0.945, 9). Floors only ever rise."""
    from immcourt.claims.evaluate import load_annotations, score

    result = score(load_annotations(Path(__file__).with_name("claims_holdout2.jsonl")))
    assert result.expected == 207
    assert result.recall >= 0.98 and result.precision >= 0.98, (result.misses, result.spurious)
    assert result.qualified_accuracy >= 0.985, result.qualifier_errors
    assert result.period_accuracy >= 0.98, result.period_errors  # 0.982 after branch claims15d
    assert result.dropped_qualifier == 0, result.dropped_errors


def test_holdout_3_does_not_slip_below_its_level() -> None:
    """Holdout-3 after its failure kinds were fixed (branch claims15d, docs/BENCHMARKS.md, 2026-12-01):
    recall 0.982, precision 0.982, mapping with qualifiers 0.977, periods 1.000, no dropped qualifier
    (blind: 0.982, 0.982, 0.828, 0.964, 19). Floors only ever rise."""
    from immcourt.claims.evaluate import load_annotations, score

    result = score(load_annotations(Path(__file__).with_name("claims_holdout3.jsonl")))
    assert result.expected == 225
    assert result.recall >= 0.98 and result.precision >= 0.98, (result.misses, result.spurious)
    assert result.qualified_accuracy >= 0.975, result.qualifier_errors
    assert result.period_accuracy >= 0.995, result.period_errors
    assert result.dropped_qualifier == 0, result.dropped_errors


def test_the_dateline_gives_the_article_date_when_none_is_given() -> None:
    from immcourt.claims.times import dateline

    assert dateline("WASHINGTON, June 12, 2025 — Courts were busy.\n\nMore text.") == date(2025, 6, 12)
    assert dateline("Published 2024-04-16\nThe backlog grew.") == date(2024, 4, 16)
    assert dateline("The backlog grew in 2024.\nIt was large.") is None
    store = FakeStore(lambda m, k: count(160_000))
    text = (
        "WASHINGTON, June 12, 2025 — Since Trump returned to office, courts ordered 160,000 people removed."
    )
    report = check_text(text, store=store)
    reading = report.claims[0].readings[0]
    assert (reading.period.date_from, reading.period.date_to) == (date(2025, 1, 20), date(2025, 6, 12))
    assert report.as_of == date(2025, 6, 12) and "dateline" in report.to_json()


def test_no_claim_with_an_unisolable_group_in_the_annotated_sets_gets_a_verdict() -> None:
    """Zero supported/contradicted on a reading that dropped a qualifier, over every annotated sentence."""
    from immcourt.claims.evaluate import annotated_sets, expected_status, load_annotations

    dimensions = {d for m in catalog().values() for d in m.dimensions}
    store = FakeStore(lambda m, k: share(1, 2) if "share" in m or "rate" in m else count(1))
    checked = 0
    for annotated in annotated_sets(Path(__file__).parent):
        for item in load_annotations(annotated.path):
            wanted = [expected_status(c, dimensions) for c in item["claims"]]
            if not any(w.startswith("not checkable: ") for w in wanted):
                continue
            as_of = date.fromisoformat(item["as_of"]) if item.get("as_of") else None
            report = check_text(item["text"], store=store, as_of=as_of)
            for result in report.claims:
                if result.claim.qualifiers and any(q.dimension is None for q in result.claim.qualifiers):
                    assert result.verdict.category == "not_checkable", (item["text"], result.verdict)
                    checked += 1
    assert checked >= 20


def test_a_from_to_pair_states_the_change_beside_its_verdict() -> None:
    def answer(metric: str, kwargs: dict) -> list[dict]:
        rows = {2017: 3_000, 2019: 7_500}[kwargs["fiscal_years"][0]]
        return [{**count(rows)[0], "asylum_decision": "denied"}]

    text = "Asylum denials climbed from 3,100 to 7,400 between FY 2017 and FY 2019."
    report = check_text(text, store=FakeStore(answer))
    first, second = report.claims
    assert first.readings[0].value == 3_000 and second.readings[0].value == 7_500
    assert "claimed 3,100 → 7,400 (+4,300)" in second.verdict.explanation
    assert "computed 3,000 → 7,500 (+4,500, ×2.50)" in second.verdict.explanation


def test_a_language_named_in_the_lookup_is_a_filter() -> None:
    reading = natural("Mam speakers won asylum in 12 percent of cases in FY 2021.")
    assert reading.where == {"language": "MAM"}
    reading = natural("Spanish-speaking immigrants filed 400,000 new cases in FY 2022.")
    assert reading.where == {"language": "SPANISH"}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Immigration courts in Texas completed 160,000 cases in FY 2023.", "not checkable: state"),
        ("Salvadoran families waited nearly five years for a hearing in 2023.", "not checkable: family"),
    ],
)
def test_more_groups_the_data_cannot_isolate(text: str, status: str) -> None:
    assert first(text)[1].status == status


def test_lacking_a_lawyer_is_the_complement_of_the_represented_share() -> None:
    reading = natural("Roughly 40% of detained asylum seekers lacked a lawyer in FY2019.")
    assert (reading.metric, reading.complement) == ("represented_share", True)
    assert reading.where == {"custody": "Detained", "asylum_case": True}


def test_twice_as_many_and_fivefold_are_ratios_and_half_a_year_is_a_period() -> None:
    claims = extract_claims(
        "New York's court received 250,000 new cases in FY 2024, twice as many as in FY 2022."
    )
    assert [(c.value, c.unit, c.change) for c in claims] == [(250_000, "count", None), (2, "ratio", "ratio")]
    assert interpret(claims[1]).readings[0].base_period.fiscal_years == (2022, 2022)
    reading = natural("Asylum approvals reached 35,000 in the first half of FY 2024.")
    assert (reading.period.date_from, reading.period.date_to) == (date(2023, 10, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Judges granted relief in 12% of cases involving Central Americans in FY2019.",
            "not checkable: region",
        ),
        ("In 2023, one judge in Houston denied 99.2% of asylum claims.", "not checkable: judge"),
        (
            "Under George W. Bush, the courts received an average of 280,000 new cases a year.",
            "not checkable: per_year",
        ),
    ],
)
def test_regions_unnamed_judges_and_yearly_averages_are_not_read_on_everyone(text: str, status: str) -> None:
    assert first(text)[1].status == status


def test_spans_of_months_and_years_that_name_documents() -> None:
    reading = natural("Over the first three months of 2024, judges completed 190,000 cases.")
    assert (reading.period.date_from, reading.period.date_to) == (date(2024, 1, 1), date(2024, 3, 31))
    reading = natural("In the 12 months ending in September 2023, courts received 1.2 million new cases.")
    assert (reading.period.date_from, reading.period.date_to) == (date(2022, 10, 1), date(2023, 9, 30))
    assert (
        extract_claims("In the 12 months ending in September 2023, courts received 1.2 million new cases.")[
            0
        ].value
        == 1.2e6
    )
    assert (
        natural("The 2024 report found that 64% of Hondurans were ordered deported.").period.canonical()
        == "all"
    )


def test_a_change_of_a_share_compares_shares_and_since_runs_to_the_article_date() -> None:
    claim, found = first(
        "Between 2010 and 2015, the share of cases decided in absentia doubled from 13 percent to 26 percent."
    )
    assert found.readings[0].metric == "in_absentia_share" and found.readings[0].change == "ratio"
    reading = natural("The backlog has more than doubled since 2020, to 3.5 million.", as_of=date(2024, 9, 1))
    assert (reading.base_period.at, reading.period.at) == (date(2020, 9, 30), date(2024, 9, 1))
    (third,) = extract_claims("Immigration court filings dropped by a third in fiscal 2020.")
    assert (third.change, third.unit, round(third.value, 1)) == ("percent_change", "percent", 33.3)


def test_in_absentia_removals_as_a_share_and_detainees_and_per_judge_figures() -> None:
    reading = natural(
        "By comparison, only 2% of represented detainees were ordered removed in absentia in FY 2021."
    )
    assert reading.metric == "in_absentia_share"
    assert reading.where == {"represented": True, "custody": "Detained"}
    assert (
        first("About 1,000 cases per judge were completed in FY 2022.")[1].status
        == "not checkable: per_judge"
    )
    assert natural(
        "Judges at the Adelanto court denied asylum in 95 of every 100 cases in FY 2020."
    ).complement


def test_a_million_added_to_the_backlog_is_a_change_of_the_pending_count() -> None:
    claim, found = first("More than a million cases were added to the backlog in FY 2023 alone.")
    assert (claim.value, claim.change) == (1_000_000, "difference")
    reading = found.readings[0]
    assert (reading.base_period.at, reading.period.at) == (date(2022, 9, 30), date(2023, 9, 30))


def test_holdout_4_does_not_slip_below_its_level() -> None:
    """Holdout-4 after its place kinds were fixed (branch claims15e, docs/BENCHMARKS.md, 2026-12-01): recall
    0.970, precision 0.978, mapping with qualifiers 0.833, periods 0.927, 3 dropped qualifiers, none a place
    (blind: 0.970, 0.978, 0.771, 0.927, 19); after branch claims15f: 0.970, 0.978, 0.952, 0.933, 0. Floors
    only ever rise."""
    from immcourt.claims.evaluate import load_annotations, score

    result = score(load_annotations(Path(__file__).with_name("claims_holdout4.jsonl")))
    assert result.expected == 234
    assert result.recall >= 0.97 and result.precision >= 0.975, (result.misses, result.spurious)
    assert result.qualified_accuracy >= 0.95, result.qualifier_errors
    assert result.period_accuracy >= 0.93, result.period_errors
    assert result.dropped_qualifier == 0, result.dropped_errors


def test_development_13_does_not_slip_below_its_level() -> None:
    """Development-13 (tests/claims_dev13.jsonl, written blind) after its failure kinds were fixed (branch
    claims15f, docs/BENCHMARKS.md, 2026-12-01): recall 0.988, precision 0.982, mapping with qualifiers 0.957,
    periods 1.000, no dropped qualifier (blind: 0.988, 0.970, 0.742, 0.964, 9). Floors only ever rise."""
    from immcourt.claims.evaluate import load_annotations, score

    result = score(load_annotations(Path(__file__).with_name("claims_dev13.jsonl")))
    assert result.expected == 165
    assert result.recall >= 0.98 and result.precision >= 0.98, (result.misses, result.spurious)
    assert result.qualified_accuracy >= 0.95, result.qualifier_errors
    assert result.period_accuracy >= 0.99, result.period_errors
    assert result.dropped_qualifier == 0, result.dropped_errors


def test_a_new_holdout_file_is_all_it_takes_to_be_the_target(tmp_path: Path) -> None:
    from immcourt.claims.evaluate import annotated_sets, target_set

    for name in ("claims_sentences.jsonl", "claims_holdout.jsonl", "claims_dev2.jsonl", "claims_other.jsonl"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert target_set(tmp_path).name == "holdout-1 (seen during tuning)"
    assert target_set(tmp_path).role == "development"
    (tmp_path / "claims_holdout2.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "claims_holdout10.jsonl").write_text("", encoding="utf-8")
    assert [s.name for s in annotated_sets(tmp_path)] == [
        "development",
        "holdout-1 (seen during tuning)",
        "development-2",
        "holdout-2 (seen during tuning)",
        "holdout-10",
    ]
    assert target_set(tmp_path).path.name == "claims_holdout10.jsonl"
    (tmp_path / "claims_holdout10.jsonl").unlink()
    # with no unseen holdout left, the newest seen one (a development score) is the target
    assert target_set(tmp_path).name == "holdout-2 (seen during tuning)"


def test_a_span_of_whole_fiscal_years_is_the_same_period_as_those_years() -> None:
    from immcourt.claims.evaluate import same_period

    assert same_period("2021-10-01..2022-09-30", "FY2022")
    assert same_period("2014-10-01..2017-09-30->2017-10-01..2018-09-30", "FY2015-FY2017->FY2018")
    assert not same_period("2021-10-01..2022-09-29", "FY2022")
    assert not same_period("2022-01-01..2022-12-31", "FY2022")


# ------------------------------------------------------------- generalisation (kinds found on fresh sets)


@pytest.mark.parametrize(
    "text",
    [
        "He was 16 when he crossed the river in 2014 and is now 26.",
        "Their son, now 7, was born in a shelter.",
        "She turned 18 three weeks before her hearing.",
        "She spent 18 months in a shelter before crossing.",
        "After 90 days in detention, he was released on bond.",
        "A person must show 10 years of continuous presence.",
        "Under 8 U.S.C. 1229a, judges decide removability.",
        "Listen to episode 212 of the podcast.",
        "The hearing was postponed 3 times.",
        "Their 14-page motion cited 31 prior decisions.",
        "The courthouse has 12 floors of offices.",
        "Write to 5107 Leesburg Pike, Falls Church.",
    ],
)
def test_ages_personal_durations_citations_and_tallies_of_one_thing_are_not_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The visa wait at the embassy reached 600 days in 2023.",
        "The backlog at USCIS passed 8.9 million pending applications in FY 2023.",
        "Inflation ran at 8 percent in 2022 as the backlog grew.",
        "Nearly 40 percent of Americans told Gallup immigration should be decreased.",
        "Shelters in New York housed more than 65,000 migrants at the peak.",
        "The Department of Homeland Security removed 271,000 noncitizens in FY 2024.",
        "The average immigration detainee is held for 47 days.",
        "Agents recorded 10,000 crossings a day in December 2023.",
        "Congress approved 100 new judges in 2023.",
        "The DOJ awarded 40 grants to legal aid groups.",
    ],
)
def test_more_subjects_outside_the_data(text: str) -> None:
    claim, found = first(text)
    assert found.status == "outside the data" and found.readings == [], found.status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # named as the annotation conventions name it (tests/claims_holdout3.md, claims_holdout4.md); "court"
        # until branch claims15f
        (
            "Asylum seekers held at the Krome facility won just 3 percent of decisions in FY 2020.",
            "detention facility",
        ),
        ("Texas immigration courts denied 85 percent of asylum claims in FY 2020.", "state"),
        ("A Houston judge said she denied 95 percent of claims in FY 2021.", "judge"),
        ("Two immigration judges in Atlanta denied 95 percent of asylum claims in FY 2018.", "judge"),
        (
            "Judges in Georgia's Stewart detention center denied 98 percent of asylum claims in FY 2019.",
            "state",
        ),
    ],
)
def test_places_and_judges_the_data_cannot_isolate_are_never_read_on_everyone(text: str, status: str) -> None:
    claim, found = first(text)
    assert found.readings == [] and found.status == f"not checkable: {status}", found.status


def test_what_a_share_counts_comes_after_its_denominator_and_names_are_read_once() -> None:
    reading = natural("Under President George W. Bush, about 35 percent of asylum decisions were grants.")
    assert (reading.metric, reading.period.canonical()) == ("asylum_grant_rate", "admin:G.W. Bush")
    reading = natural(
        "In the Chicago immigration court, 58 percent of cases closed in FY 2022 ended with the immigrant "
        "allowed to stay."
    )
    assert (reading.metric, reading.where) == ("allowed_to_remain_share", {"court": "CHICAGO"})
    assert natural("Spanish speakers accounted for 410,000 completions in FY 2022.").where == {
        "language": "SPANISH"
    }
    reading = natural("Pending cases topped 2 million for the first time in fiscal 2022.")
    assert (reading.metric, reading.period.canonical()) == ("pending", "at:2022-09-30")
    assert natural("Removal orders, which numbered 65,000 in FY 2016, rose.").where == {
        "outcome": ("removal_order",)
    }


@pytest.mark.parametrize(
    ("text", "as_of", "period"),
    [
        (
            "During the first quarter of calendar 2023, courts received 320,000 new cases.",
            None,
            "2023-01-01..2023-03-31",
        ),
        (
            "Through the first eight months of fiscal 2024, courts took in 1.1 million new cases.",
            None,
            "2023-10-01..2024-05-31",
        ),
        (
            "The grant rate was 34 percent in the twelve months that ended June 30, 2023.",
            None,
            "2022-07-01..2023-06-30",
        ),
        ("Under the first Bush administration, judges closed 300,000 cases.", None, "admin:G.H.W. Bush"),
        (
            "Since the Biden administration took office, asylum grants have totaled 120,000.",
            date(2023, 1, 15),
            "2021-01-20..2023-01-15",
        ),
        ("In Trump's first two years, courts completed 355,000 cases.", None, "2017-01-20..2019-01-19"),
        (
            "In the first 100 days of Trump's second term, judges ordered 58,000 people removed.",
            date(2025, 6, 1),
            "2025-01-20..2025-04-29",
        ),
        (
            "Over the last three fiscal years, judges completed 1.9 million cases.",
            date(2024, 12, 1),
            "FY2022-FY2024",
        ),
        (
            "From the start of FY 2015 to the end of FY 2017, judges completed 560,000 cases.",
            None,
            "FY2015-FY2017",
        ),
        ("Asylum denials dropped to 28,000 in FY 2021, down from 47,000 two years earlier.", None, "FY2021"),
        (
            "Since the start of 2023, judges have granted asylum in 60,000 cases.",
            date(2024, 2, 15),
            "2023-01-01..2024-02-15",
        ),
        (
            "In Obama's final year in office, the courts completed 270,000 cases.",
            None,
            "2016-01-20..2017-01-19",
        ),
    ],
)
def test_periods_libraries_do_not_know(text: str, as_of: date | None, period: str) -> None:
    assert natural(text, as_of=as_of).period.canonical() == period
    if "two years earlier" in text:
        assert natural(text, index=1).period.canonical() == "FY2019"


def test_more_change_forms() -> None:
    claim = extract_claims("Dismissals nearly halved between FY 2023 and FY 2025.")[0]
    assert (claim.value, claim.unit, claim.hedge, claim.change) == (0.5, "ratio", "nearly", "ratio")
    claim = extract_claims("In FY 2024, completions were nearly twice what they had been in FY 2021.")[0]
    assert (claim.value, claim.unit, claim.change) == (2.0, "ratio", "ratio")
    claim = extract_claims("The courts received 700,000-750,000 new cases in FY 2022.")[0]
    assert (claim.value, claim.upper) == (700_000, 750_000)
    text = "Last year the backlog grew by 700,000 cases, but in FY 2022 it grew by just 400,000."
    assert [natural(text, as_of=date(2024, 2, 1), index=i).base_period.canonical() for i in (0, 1)] == [
        "at:2022-09-30",
        "at:2021-09-30",
    ]
    reading = natural("Asylum grants dipped by 2,500 in fiscal 2020 compared with the prior year.")
    assert (reading.change, reading.base_period.canonical(), reading.period.canonical()) == (
        "difference",
        "FY2019",
        "FY2020",
    )
    assert natural(
        "The backlog has tripled since fiscal 2017.", as_of=date(2023, 6, 1)
    ).base_period.at == date(2017, 9, 30)


def test_words_that_name_the_data_in_other_contexts() -> None:
    assert (
        natural("Guatemalans earned asylum in 18 percent of cases in FY 2020.").metric == "asylum_grant_rate"
    )
    assert natural("Judges on the detained docket completed 40,000 cases in FY 2022.").metric == "completions"


def test_the_group_of_a_leading_of_clause_and_remarks_about_a_part() -> None:
    text = "Of the roughly 8,000 Afghans whose asylum cases were decided in FY 2023, 92 percent won."
    assert natural(text, index=1).where == {"nationality": "AFGHANISTAN"}
    text = "The Eloy court ordered 4,800 detained migrants removed in FY 2019, many of them in absentia."
    assert "in_absentia" not in natural(text).where
    reading = natural("Fully 85 percent of the people judges ordered deported in FY 2019 had no attorney.")
    assert (reading.metric, reading.where, reading.complement) == (
        "represented_share",
        {"outcome": ("removal_order",)},
        True,
    )
    claim, found = first("In each of the last two fiscal years, judges completed more than 500,000 cases.")
    assert found.readings == [] and found.status == "not checkable: per_year"


def test_quarters_spans_in_years_and_appositive_years() -> None:
    text = "In the first three quarters of FY 2024, judges completed 560,000 cases."
    assert [c.text for c in extract_claims(text)] == ["560,000"]
    assert natural(text).period.canonical() == "2023-10-01..2024-06-30"
    text = "New cases filed against Venezuelans rose fourfold in two years, reaching 200,000 in FY 2023."
    assert natural(text).base_period.canonical() == "FY2021"
    text = "In fiscal 2009, the first year of the Obama administration, judges completed 230,000 cases."
    assert natural(text).period.canonical() == "FY2009"
    reading = natural("The backlog has grown 60% since the end of FY 2021.", as_of=date(2023, 3, 1))
    assert (reading.metric, reading.change, reading.base_period.at) == (
        "pending",
        "percent_change",
        date(2021, 9, 30),
    )


def test_conjoined_verbs_relative_asides_and_terms_of_one_person() -> None:
    text = "The courts took in 370,000 new cases and completed 230,000 in FY 2020."
    assert [natural(text, index=i).metric for i in (0, 1)] == ["new_cases", "completions"]
    text = "Removal orders, which numbered 65,000 in FY 2016, reached 212,000 by FY 2019."
    assert natural(text, index=1).where == {"outcome": ("removal_order",)}
    text = "Since Obama took office in 2009, the courts have completed more than 3 million cases."
    assert natural(text, as_of=date(2016, 6, 1)).period.canonical() == "2009-01-20..2016-06-01"
    text = "In the last year of Trump's first term, 29 percent of completions were in absentia."
    assert natural(text).period.canonical() == "2020-01-20..2021-01-19"
    text = (
        "Some 2 million cases were pending at the end of FY 2022. "
        "By the close of FY 2023 that number had reached 2.8 million."
    )
    assert natural(text, index=1).metric == "pending"


def test_survivors_another_change_fiscal_year_that_began_and_citations() -> None:
    claim, found = first("Gang-violence survivors from Honduras won asylum 9 percent of the time in FY 2019.")
    assert found.readings == [] and found.status == "not checkable: persecution"
    text = "Asylum denials rose 18 percent from FY 2017 to FY 2018 and another 20 percent the next year."
    assert [c.change for c in extract_claims(text)] == ["percent_change", "percent_change"]
    text = "In the fiscal year that began Oct. 1, 2022, the courts received 1.2 million new cases."
    assert natural(text).period.canonical() == "FY2023"
    text = "During the first term of George W. Bush, judges completed 800,000 cases."
    assert natural(text).period.canonical() == "2001-01-20..2005-01-19"
    assert extract_claims("The rule was published at 88 Fed. Reg. 31314.") == []
    assert extract_claims("Call 311 for shelter information.") == []
    assert natural("Judges wound up 590,000 cases in FY 2023.").change is None


def test_holdout_5_does_not_slip_below_its_level() -> None:
    """Holdout-5 (tests/claims_holdout5.jsonl) after branch claims15h fixed kinds of its errors
    (docs/BENCHMARKS.md, 2026-12-01; a development score): recall 0.976, precision 0.966, mapping with
    qualifiers 0.818, periods 0.928, 7 readings that dropped a qualifier (blind once on main c829f0e: 0.976,
    0.966, 0.779, 0.928 (192/207), 18). Floors only ever rise; the dropped count only falls."""
    from immcourt.claims.evaluate import load_annotations, score

    result = score(load_annotations(Path(__file__).with_name("claims_holdout5.jsonl")))
    assert result.expected == 292
    assert result.recall >= 0.975 and result.precision >= 0.965, (result.misses, result.spurious)
    assert result.qualified_accuracy >= 0.81, result.qualifier_errors
    assert result.period_accuracy >= 0.925, result.period_errors
    assert result.dropped_qualifier <= 7, result.dropped_errors


# Holdout-5's dropped-qualifier kinds (branch claims15h), in new words: a word on the counted group that no
# dimension isolates makes the claim not checkable, naming it, instead of a reading on everyone.
@pytest.mark.parametrize(
    ("text", "status"),
    [
        # a state by its nickname: no catalog dimension groups courts by state
        ("Courts across the Pelican State closed 23,000 cases in FY 2021.", "not checkable: U.S. state"),
        # judges named by who appointed them, as "appointees"
        (
            "Obama appointees on the bench denied 58 percent of asylum requests in fiscal 2016.",
            "not checkable: appointing_administration",
        ),
        # courts grouped by a border region
        ("Northern border courts received 8,200 new cases in FY2022.", "not checkable: us_region"),
        # a per-judge figure with "each" after the judges
        (
            "The Denver judges each handled 3,700 pending cases on average at the end of FY 2022.",
            "not checkable: per_judge",
        ),
        # and the same sentences without the group stay checkable
        ("Judges in Denver completed 9,000 cases in FY 2022.", "checkable"),
        ("Judges in Denver decided 9,000 asylum claims in FY 2022.", "checkable"),
    ],
)
def test_holdout_5_groups_the_data_cannot_isolate(text: str, status: str) -> None:
    assert first(text)[1].status == status


def _groups(text: str) -> list[tuple[float, dict, list[str]]]:
    """Each claim's value, its filters and the keys of the groups no dimension isolates."""
    return [
        (
            claim.value,
            {q.dimension: q.value for q in claim.qualifiers if q.dimension},
            [q.key for q in claim.qualifiers if not q.dimension],
        )
        for claim in extract_claims(text)
    ]


def test_an_elliptic_without_turns_the_group_before_over() -> None:
    """Holdout-5's contrast kinds in new words: "Without one? 6%." (its own sentence), "w/o: 9%." (the
    abbreviation, as a label), "who hired counsel" (representation), each read by hand."""
    assert _groups(
        "Cuban applicants in Miami who hired counsel were granted asylum in 44% of FY2020 decisions."
        " Without it: 12%."
    ) == [
        (44.0, {"represented": True, "nationality": "CUBA", "court": "MIAMI"}, []),
        (12.0, {"nationality": "CUBA", "court": "MIAMI", "represented": False}, []),
    ]
    assert _groups("Asylum seekers in Denver w/ a lawyer: granted 33% (FY21). w/o: 9%.") == [
        (33.0, {"represented": True, "court": "DENVER"}, []),
        (9.0, {"court": "DENVER", "represented": False}, []),
    ]
    assert _groups(
        "Respondents w/o counsel in Atlanta were ordered removed in 81 percent of FY2022 completions."
    ) == [(81.0, {"represented": False, "court": "ATLANTA"}, [])]
    # no yes/no group before to turn over ("one" is not said): a contrast the checker cannot tell, named
    assert _groups("Detained Haitians in Miami won asylum 15% of the time in FY 2020. Without one? 4%.") == [
        (15.0, {"custody": "Detained", "nationality": "HAITI", "court": "MIAMI"}, []),
        (4.0, {"custody": "Detained", "nationality": "HAITI", "court": "MIAMI"}, ["contrast"]),
    ]


def test_released_before_a_nationality_is_the_custody_label_released() -> None:
    """Holdout-5's "Released <nationals>" kind in new words, read by hand: the first number's group is the
    released Hondurans in Dallas, the contrast's ("those still locked up") the detained ones; a verb
    "released" with its object keeps the same label."""
    assert _groups(
        "Released Hondurans in Dallas were ordered removed in 31 percent of FY2020 completions;"
        " those still locked up, 88 percent."
    ) == [
        (31.0, {"custody": "Released", "nationality": "HONDURAS", "court": "DALLAS"}, []),
        (88.0, {"nationality": "HONDURAS", "court": "DALLAS", "custody": "Detained"}, []),
    ]


def test_a_closing_remark_that_says_whom_the_figure_is_for_names_its_group() -> None:
    """Holdout-5's kind in new words, read by hand: "— that was the figure for <group>" gives the group;
    a closing remark about something else ("— and that was with six judges short") still adds none."""
    assert _groups(
        "A removal rate of 62 percent in fiscal 2018 — that was the figure for detained Guatemalans"
        " in Houston."
    ) == [(62.0, {"custody": "Detained", "nationality": "GUATEMALA", "court": "HOUSTON"}, [])]
    assert _groups("Closures hit 29,000 in Houston in FY 2021 — and that was with six judges short.") == [
        (29000.0, {"court": "HOUSTON"}, [])
    ]


def test_a_named_detention_annex_or_complex_the_lookups_lack_is_named() -> None:
    """Holdout-5's facility kind in new words, read by hand: "<Name> Detention Complex" is a detention
    facility the lookups do not name (not checkable, never every detained Cuban); one whose name is a court of
    the lookup (Adelanto) stays that court."""
    assert _groups("Dorrance Detention Complex: 71% removal rate for detained Cubans, FY2019") == [
        (71.0, {"custody": "Detained", "nationality": "CUBA"}, ["detention facility"])
    ]
    assert _groups("Judges at the Adelanto Detention Annex ordered 3,000 people removed in FY2020.") == [
        (3000.0, {"court": "ADELANTO"}, [])
    ]


def test_a_leading_court_label_is_the_place_of_the_group_after_it() -> None:
    """Holdout-5's headline-label kind in new words, read by hand: "Dallas:" before a stacked group is the
    court of the reading, never dropped; a label that is no court of the lookup adds nothing."""
    assert _groups(
        "Dallas: detained Hondurans with a lawyer, ordered removed in 62% of FY2021 completions."
    ) == [
        (62.0, {"represented": True, "custody": "Detained", "nationality": "HONDURAS", "court": "DALLAS"}, [])
    ]
    assert _groups("Update: detained Hondurans were ordered removed in 62% of FY2021 completions.") == [
        (62.0, {"custody": "Detained", "nationality": "HONDURAS"}, [])
    ]
