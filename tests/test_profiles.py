"""Issue 13 item 4: index tables, headline numbers, pseudo-judges and a judge beside the court and the
nation, on a mini release whose every number is worked out by hand below.

Cases (one proceeding each, an ASYL application decided G or D unless said; R = relief, X = removal):

    judge            court  nat  FY (completion)  decisions        cases
    Judge Alpha      SFR    GT   2020 (03-01)     G G D D          1-4
    Judge Alpha      SFR    HO   2021 (02-01)     G D D            5-7
    Judge Beta       SFR    GT   2020             D D D            8-10
    Judge Beta       SFR    MX   2021             G                11
    VISITING JUDGE 1 HOU    GT   2021             G G              12-13
    Judge Beta       HOU    MX   2022 (12-01)     D                14
    Judge Alpha      HOU    GT   2021 (05-01)     no application   15
"""

from __future__ import annotations

from datetime import date

import pytest

import immcourt
from immcourt.metrics.profiles import headlines, judge_comparison, profile_index, pseudo_judge
from tests.builders import MiniRelease

SHOW_ALL = {"min_n": 1, "judge_min_decisions": 1, "judge_year_min": 1}
DATES = {2020: "2020-03-01", 2021: "2021-02-01", 2022: "2021-12-01"}


def _release() -> MiniRelease:
    release = MiniRelease(extra_lookup_rows={"tblLookupJudge": [["VJ1", "VISITING JUDGE 1", "1"]]})
    plan = [
        ("AAA", "SFR", "GT", 2020, "GGDD"),
        ("AAA", "SFR", "HO", 2021, "GDD"),
        ("BBB", "SFR", "GT", 2020, "DDD"),
        ("BBB", "SFR", "MX", 2021, "G"),
        ("VJ1", "HOU", "GT", 2021, "GG"),
        ("BBB", "HOU", "MX", 2022, "D"),
    ]
    case = 0
    for judge, court, nat, year, decisions in plan:
        for decision in decisions:
            case += 1
            release.case(case, nat=nat)
            release.proceeding(
                case,
                case * 10,
                comp=DATES[year],
                dec="R" if decision == "G" else "X",
                court=court,
                judge=judge,
            )
            release.application(case, case * 10, "ASYL", decision)
    release.case(15, nat="GT").proceeding(15, 150, comp="2021-05-01", dec="X", court="HOU", judge="AAA")
    return release


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return immcourt.open(_release().store(tmp_path_factory.mktemp("profiles")))


def _by_name(index):
    return {row.name: row for row in index.rows}


def test_judge_index_counts_rates_courts_years_and_ranks_by_hand(db):
    index = profile_index(db.stats, "judge", options=SHOW_ALL)
    rows = _by_name(index)
    alpha, beta, visiting = rows["Judge Alpha"], rows["Judge Beta"], rows["VISITING JUDGE 1"]
    assert (alpha.completions, alpha.asylum_decisions, alpha.grant_rate_n) == (8, 7, 7)
    assert alpha.grant_rate == pytest.approx(3 / 7)
    assert (alpha.court, alpha.courts, alpha.first_fy, alpha.last_fy) == ("San Francisco", 2, 2020, 2021)
    assert (beta.completions, beta.asylum_decisions, beta.grant_rate) == (5, 5, pytest.approx(1 / 5))
    assert (beta.court, beta.courts, beta.first_fy, beta.last_fy) == ("San Francisco", 2, 2020, 2022)
    # The visiting-judge code has the highest rate (2 of 2) and is still kept out of the ranking.
    assert (visiting.completions, visiting.grant_rate, visiting.pseudo) == (2, 1.0, "visiting")
    assert (alpha.rank, beta.rank, visiting.rank) == (1, 2, None)
    assert [row.name for row in index.ranked] == ["Judge Alpha", "Judge Beta"]
    assert [row.name for row in index.pseudo_rows] == ["VISITING JUDGE 1"]
    assert index.exclusions["ranking"] == {
        "pseudo-judge codes kept out of the ranking (1 code; their asylum decisions)": 2
    }
    assert index.convention == "TRAC: grants / (grants + denials)"


def test_judge_index_with_default_thresholds_withholds_every_rate_and_names_the_options(db):
    index = profile_index(db.stats, "judge")
    assert all(row.grant_rate is None for row in index.rows)
    assert (index.withheld, index.withheld_decisions) == (3, 14)
    assert index.lowering_options == ("judge_min_decisions", "min_n")
    assert _by_name(index)["Judge Alpha"].withheld == "judge has fewer than 100 decisions in the window"
    assert index.exclusions.get("asylum_grant_rate", {}) == db.stats("asylum_grant_rate").exclusions


def test_court_and_nationality_indexes_and_a_filter_by_hand(db):
    courts = _by_name(profile_index(db.stats, "court", options=SHOW_ALL))
    assert (courts["San Francisco"].completions, courts["San Francisco"].asylum_decisions) == (11, 11)
    assert courts["San Francisco"].grant_rate == pytest.approx(4 / 11)
    assert (courts["Houston"].completions, courts["Houston"].grant_rate) == (4, pytest.approx(2 / 3))
    assert (courts["Houston"].first_fy, courts["Houston"].last_fy, courts["Houston"].court) == (
        2021,
        2022,
        None,
    )
    nations = _by_name(profile_index(db.stats, "nationality", options=SHOW_ALL))
    assert [
        (n, nations[n].completions, nations[n].grant_rate) for n in ("GUATEMALA", "HONDURAS", "MEXICO")
    ] == [
        ("GUATEMALA", 10, pytest.approx(4 / 9)),
        ("HONDURAS", 3, pytest.approx(1 / 3)),
        ("MEXICO", 2, 0.5),
    ]
    in_houston = _by_name(profile_index(db.stats, "judge", where={"court": "HOU"}, options=SHOW_ALL))
    assert (in_houston["Judge Alpha"].completions, in_houston["Judge Alpha"].grant_rate) == (1, None)
    assert in_houston["Judge Alpha"].withheld is None  # no decision there, not a withheld one
    assert (in_houston["Judge Beta"].grant_rate, in_houston["Judge Beta"].rank) == (0.0, 1)
    years = _by_name(profile_index(db.stats, "judge", fiscal_years=(2021, 2021), options=SHOW_ALL))
    assert (years["Judge Alpha"].completions, years["Judge Alpha"].grant_rate) == (4, pytest.approx(1 / 3))


def test_judge_beside_court_and_nation_over_the_same_years_by_hand(db):
    comparison = judge_comparison(db.stats, "Judge Alpha", options=SHOW_ALL)
    assert (comparison.court, comparison.courts, comparison.fiscal_years) == (
        "San Francisco",
        1,
        (2020, 2021),
    )
    assert comparison.decisions_by_year == [(2020, 4), (2021, 3)]
    table = {row.period: (row.values, row.n) for row in comparison.rows}
    assert list(table) == ["2020", "2021", "all"]
    assert table["2020"] == (
        {"judge": 0.5, "court": pytest.approx(2 / 7), "nation": pytest.approx(2 / 7)},
        {"judge": 4, "court": 7, "nation": 7},
    )
    assert table["2021"] == (
        {"judge": pytest.approx(1 / 3), "court": 0.5, "nation": pytest.approx(4 / 6)},
        {"judge": 3, "court": 4, "nation": 6},
    )
    # The nation over FY2020-2021 leaves out case 14 (FY2022).
    assert table["all"] == (
        {"judge": pytest.approx(3 / 7), "court": pytest.approx(4 / 11), "nation": pytest.approx(6 / 13)},
        {"judge": 7, "court": 11, "nation": 13},
    )
    default = judge_comparison(db.stats, "Judge Alpha")
    total = default.rows[-1]
    assert total.values == {"judge": None, "court": pytest.approx(4 / 11), "nation": pytest.approx(6 / 13)}
    assert total.withheld == {"judge": "judge has fewer than 100 decisions in the window"}
    assert default.rows[0].withheld["court"] == "fewer than min_n=10 records"  # FY2020: 7 decisions
    assert default.lowering_options == ("judge_min_decisions", "min_n")


def test_headlines_by_hand(db):
    numbers = {
        h.metric: h for h in headlines(db.stats, fiscal_years=(2021, 2021), pending_on=date(2021, 9, 30))
    }
    assert (numbers["completions"].value, numbers["completions"].period) == (7, "FY2021")
    rate = numbers["asylum_grant_rate"]  # 4 grants of 6 decisions: below min_n=10
    assert (rate.value, rate.n, rate.withheld, rate.lowering_options) == (
        None,
        6,
        "fewer than min_n=10 records",
        ("min_n",),
    )
    assert (numbers["pending"].value, numbers["pending"].period) == (1, "on 2021-09-30")  # case 14
    shown = {
        h.metric: h for h in headlines(db.stats, fiscal_years=(2021, 2021), pending_on=None, options=SHOW_ALL)
    }
    assert (shown["asylum_grant_rate"].value, shown["asylum_grant_rate"].n) == (pytest.approx(4 / 6), 6)
    assert shown["allowed_to_remain_share"].value == pytest.approx(4 / 7)
    assert "pending" not in shown
    assert ("fy_from", "2021") in shown["completions"].params


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("VISITING JUDGE 3", "visiting"),
        ("Dana N. Yarvale (Visiting Judge)", "visiting"),
        ("Otero Detail Judge 2", "detail"),
        ("SAGE G. DORTHORPE (TEMP)", "temporary"),
        ("Former Immigration Judge", "former judge"),
        ("NEW IJ # 10", "placeholder"),
        ("Incoming Judge 2", "placeholder"),
        ("MASTER CALENDAR 1", "clerical"),
        ("Status Judge Docket 4", "clerical"),
        ("<ALL JUDGES>", "clerical"),
        ("Test IJ for EOIR OIT Testing", "clerical"),
        ("unknown", "unknown"),
        ("Judge Alpha", None),
        ("TATUM O. MARMERE", None),
        ("OLIVE U. GARVALE, JR.", None),
        ("WREN C. CALQUIST 2000", None),
    ],
)
def test_pseudo_judge_rule(name, kind):
    assert pseudo_judge(name) == kind


# -- the pages (a thin layer: the same numbers, sorted, searched and filtered) ----------------------------
@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from immcourt.web.app import create_app

    return TestClient(create_app(db.release.path.parent))


SHOW_ALL_URL = "opt.min_n=1&opt.judge_min_decisions=1"


def _index_names(html: str) -> list[str]:
    import re

    table = html.split('data-testid="index-table"')[1].split("</table>")[0]
    return re.findall(r'<tr data-name="([^"]+)"', table)


def test_index_page_sorts_by_links_searches_and_keeps_pseudo_judges_out(client):
    page = client.get(f"/profile/judge?{SHOW_ALL_URL}&sort=grant_rate&order=desc")
    assert page.status_code == 200
    assert _index_names(page.text) == ["Judge Alpha", "Judge Beta"]  # 3/7 above 1/5; VJ1's 2/2 not ranked
    pseudo = page.text.split('data-testid="pseudo-judges"')[1]
    assert "VISITING JUDGE 1" in pseudo and "visiting" in pseudo
    assert "42.9%" in page.text and "20.0%" in page.text
    assert 'aria-sort="descending"' in page.text
    # the heading link sorts the other way; other columns start high-to-low for numbers
    assert "sort=grant_rate&amp;order=asc" in page.text and "sort=completions&amp;order=desc" in page.text
    ascending = client.get(f"/profile/judge?{SHOW_ALL_URL}&sort=grant_rate&order=asc")
    assert _index_names(ascending.text) == ["Judge Beta", "Judge Alpha"]
    by_name = client.get(f"/profile/judge?{SHOW_ALL_URL}&sort=name&order=asc")
    assert _index_names(by_name.text) == ["Judge Alpha", "Judge Beta"]
    found = client.get(f"/profile/judge?{SHOW_ALL_URL}&q=beta")
    assert _index_names(found.text) == ["Judge Beta"] and "1</strong> of 2 judges" in found.text


def test_index_filters_narrow_each_other_with_counts(client):
    page = client.get("/profile/judge")
    # completed cases: San Francisco 11, Houston 4; Guatemala 10, Honduras 3, Mexico 2
    assert ">San Francisco (11)</option>" in page.text and ">Houston (4)</option>" in page.text
    assert ">GUATEMALA (10)</option>" in page.text
    narrowed = client.get("/profile/judge?nationality=GUATEMALA")
    assert ">San Francisco (7)</option>" in narrowed.text and ">Houston (3)</option>" in narrowed.text
    in_houston = client.get("/profile/judge?court=Houston")
    assert ">GUATEMALA (3)</option>" in in_houston.text and ">MEXICO (1)</option>" in in_houston.text
    assert "HONDURAS" not in in_houston.text.split('name="nationality"')[1].split("</select>")[0]
    assert _index_names(in_houston.text) == ["Judge Alpha", "Judge Beta"]


def test_index_says_how_many_decisions_are_withheld_and_which_options_lower_the_threshold(client):
    page = client.get("/profile/judge")
    assert (
        "Every asylum grant rate is withheld by the minimum-n rule: 14 decisions in 3 rows. Lowering "
        "opt.judge_min_decisions (now 100) or opt.min_n (now 10) shows them."
    ) in page.text


def test_judge_page_shows_the_judge_beside_court_and_nation_and_headlines(client):
    page = client.get(f"/profile/judge?value=Judge%20Alpha&{SHOW_ALL_URL}&opt.judge_year_min=1")
    assert page.status_code == 200
    table = page.text.split('data-testid="comparison-table"')[1].split("</table>")[0]
    total = table.split('data-period="all"')[1]
    assert "42.9% (7)" in total and "36.4% (11)" in total and "46.2% (13)" in total
    assert "FY2020–FY2021" in page.text and "San Francisco" in page.text
    assert 'data-testid="headline-asylum_grant_rate"' in page.text
    visiting = client.get("/profile/judge?value=VISITING%20JUDGE%201")
    assert 'data-testid="pseudo-banner"' in visiting.text and "kept out of judge rankings" in visiting.text


@pytest.mark.parametrize(
    "url",
    [
        "/profile/court?value=San%20Francisko",
        "/profile/nationality?value=GUATEMALLA",
        "/profile/judge?value=Judge%20Alfa",
        "/profile/judge?court=Huston",
        "/profile/court?nationality=MEXICOO",
        "/profile/nationality?judge=Judge%20Betta",
        "/explore?metric=completions&court=Huston",
        "/explore?metric=asylum_grant_rate&by=fiscal_year&judge=Judge%20Alfa",
        "/explore?metric=pending&nationality=HONDURA",
        "/?court=Huston",
        "/?nationality=GUATEMALLA",
    ],
)
def test_every_unknown_court_nationality_or_judge_is_a_404_with_did_you_mean(client, url):
    response = client.get(url)
    assert response.status_code == 404, url
    assert "did you mean" in response.text and "is not in release" in response.text


def test_explorer_tables_tag_pseudo_judges(client):
    page = client.get("/explore?metric=completions&by=judge")
    assert page.status_code == 200
    assert page.text.count('data-testid="pseudo-row"') == 1
    row = page.text.split('data-testid="pseudo-row"')[0].rsplit("<tr>", 1)[1]
    assert "VISITING JUDGE 1" in row


def test_explorer_charts_name_pseudo_judges(db):
    from immcourt.web.charts import chart_spec
    from immcourt.web.service import Dashboard

    board = Dashboard(db.release.path.parent)
    spec = chart_spec(board.view([("metric", "completions"), ("by", "judge")]))
    assert sorted(row["judge"] for row in spec["data"]["values"]) == [
        "Judge Alpha",
        "Judge Beta",
        "VISITING JUDGE 1 (visiting: not one judge)",
    ]
