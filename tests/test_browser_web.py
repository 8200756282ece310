"""End-to-end: Debian's chromium (through Playwright) drives the dashboard served by uvicorn on 127.0.0.1.

Opens the overview, changes a filter (the chart and the URL change), reloads the permalink (same view),
downloads the CSV and compares it with `immcourt stats` for the same query, sorts a table, runs a claim
check, and saves a screenshot of every page to test-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing: apt-get install chromium"
    ),
]


@pytest.fixture(scope="module")
def server(small_store):
    """Uvicorn serving the sample store in a thread, on a free port of 127.0.0.1."""
    import uvicorn

    from immcourt.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(small_store), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    requested: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requested.append(request.url))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    # Everything (scripts, fonts, data) comes from the dashboard itself: no CDN, no third party.
    outside = [url for url in requested if not url.startswith(("http://127.0.0.1:", "data:", "about:"))]
    assert not outside, f"requests that left the server: {outside}"


def _charts_drawn(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart[data-spec]')].every(c => c.dataset.rendered === 'true')",
        timeout=30_000,
    )
    assert page.locator(".chart svg").count() == page.locator(".chart[data-spec]").count() > 0


def _shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _panel_queries(page) -> list[str]:
    return page.locator("section.panel").evaluate_all("(sections) => sections.map(s => s.dataset.query)")


def test_overview_filter_changes_chart_and_url_and_permalink_reloads(page, server):
    page.goto(server + "/")
    _charts_drawn(page)
    assert "SAMPLE DATA" in page.locator("[data-testid=sample-banner]").inner_text()
    _shot(page, "overview")
    page.screenshot(path=str(SHOTS / "overview-top.png"))  # first screen only: docs/screenshots/overview.png
    before = _panel_queries(page)

    select = page.locator("[data-testid=filter-nationality]")
    choice = select.locator("option").nth(1).get_attribute("value")
    url = page.url
    select.focus()
    select.press("ArrowDown")  # keyboard in a select: no reload, focus stays (issue 13 item 9)
    select.select_option(choice)
    page.wait_for_timeout(300)
    assert page.url == url and page.evaluate("document.activeElement.name") == "nationality"
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    _charts_drawn(page)
    assert parse_qs(urlparse(page.url).query)["nationality"] == [choice]
    after = _panel_queries(page)
    assert after != before and all("nationality=" in query for query in after)
    subtitle = page.locator("#chart-1 svg").text_content()
    assert choice.split()[0] in subtitle  # the chart's subtitle names the filter
    _shot(page, "overview-filtered")

    permalink = page.url
    page.goto(permalink)
    _charts_drawn(page)
    assert _panel_queries(page) == after
    assert page.locator("[data-testid=filter-nationality]").input_value() == choice


def test_explorer_csv_download_equals_immcourt_stats(page, server, small_store):
    page.goto(server + "/explore?metric=completions&by=fiscal_year&by=outcome&fy_from=2018")
    _charts_drawn(page)
    _shot(page, "explore")
    with page.expect_download() as download_info:
        page.locator("a[data-format=csv]").click()
    downloaded = Path(download_info.value.path()).read_text()

    from immcourt.cli import app

    cli = CliRunner().invoke(
        app,
        ["stats", "completions", "--store", str(small_store), "--by", "fiscal_year", "--by", "outcome",
         "--fy", f"2018:{_last_fiscal_year(downloaded)}", "--format", "csv"],
    )  # fmt: skip
    assert cli.exit_code == 0, cli.output
    assert _data_rows(downloaded) == _data_rows(cli.stdout)
    assert len(_data_rows(downloaded)) > 1


def _data_rows(text: str) -> list[tuple[str, str, str]]:
    rows = csv.DictReader(
        io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))
    )
    return [(row["fiscal_year"], row["outcome"], row["value"]) for row in rows]


def _last_fiscal_year(text: str) -> int:
    return max(int(year) for year, _, _ in _data_rows(text))


def test_explorer_controls_build_the_permalink_and_tables_sort(page, server):
    page.goto(server + "/explore?metric=completions&by=court")
    _charts_drawn(page)
    page.locator("[data-testid=by-1]").select_option("outcome")
    with page.expect_navigation():
        page.locator("#explore-form button[type=submit]").click()
    assert parse_qs(urlparse(page.url).query) == {"metric": ["completions"], "by": ["court", "outcome"]}
    page.locator("[data-testid=add-filter-dimension]").select_option("fiscal_year")
    page.wait_for_function("() => document.querySelectorAll('#filter-values option').length > 3")  # from /api
    with page.expect_navigation():
        page.locator("[data-testid=add-filter-value]").fill("2020")
        page.locator("[data-testid=add-filter-value]").press("Enter")
    assert parse_qs(urlparse(page.url).query)["fiscal_year"] == ["2020"]
    _charts_drawn(page)
    assert page.locator("details:has(table.sortable)").first.get_attribute("open") is not None  # table open
    header = page.locator("table.sortable th[data-column=value]")
    header.click()
    header.click()  # descending
    values = [float(v) for v in page.locator("table.sortable tbody td.num").evaluate_all(
        "(cells) => cells.filter(c => c.cellIndex === 2).map(c => c.dataset.value)")]  # fmt: skip
    assert values == sorted(values, reverse=True) and len(values) > 1


def test_claim_check_page_shows_a_report(page, server):
    page.goto(server + "/check")
    page.locator("[data-testid=check-text]").fill(
        "In fiscal year 2023 immigration judges completed 1,500 cases, and about 40 percent of asylum "
        "seekers were granted asylum."
    )
    with page.expect_navigation():
        page.locator("[data-testid=check-submit]").click()
    assert page.locator("[data-testid=check-report]").is_visible()
    report = page.locator("[data-testid=check-report] .report-body")
    text = report.inner_text()
    assert "1,500" in text and "SAMPLE" in text  # the claim is quoted back, and the report says SAMPLE
    # The report's scoped styles must not restyle the page around it.
    assert page.locator("header").first.evaluate("(h) => getComputedStyle(h).display") != "none"
    _shot(page, "check")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("api-docs", "/docs"),
        ("methodology", "/methodology"),
        ("release", "/release"),
        ("profile-court-index", "/profile/court"),
        ("profile-nationality", "/profile/nationality?value=MEXICO"),
    ],
)
def test_other_pages_render(page, server, name, path):
    page.goto(server + path)
    if path == "/docs":  # Swagger UI, from the vendored copy, reading /openapi.json
        page.get_by_text("/api/stats", exact=True).first.wait_for(timeout=30_000)
    else:
        if page.locator(".chart[data-spec]").count():
            _charts_drawn(page)
        assert "SAMPLE" in page.locator("[data-testid=data-as-of]").inner_text()
    _shot(page, name)


def test_court_and_judge_profiles(page, server):
    page.goto(server + "/profile/court")
    with page.expect_navigation():
        page.locator("#index-table tbody th a").first.click()
    _charts_drawn(page)
    assert page.locator("[data-testid=headlines] .headline").count() == 4
    _shot(page, "profile-court")
    page.goto(server + "/profile/judge")
    with page.expect_navigation():
        page.locator("#index-table tbody th a").first.click()
    _charts_drawn(page)
    assert "fewer than 100 decisions" in page.locator("[data-testid=suppressed]").first.inner_text()
    assert page.locator("[data-testid=comparison-table]").is_visible()
    _shot(page, "profile-judge")


def _index_rows(page) -> list[dict[str, str]]:
    return page.locator("#index-table tbody tr:not([hidden])").evaluate_all(
        """(rows) => rows.map(r => ({name: r.dataset.name,
            rate: r.querySelector('td[data-value]:nth-last-child(2)')?.dataset.value ?? '',
            rank: r.cells[0].dataset.value, text: r.textContent.toLowerCase()}))"""
    )


SHOW_RATES = "opt.judge_min_decisions=1&opt.min_n=1"


def test_judge_table_sorts_by_keyboard_without_script_and_keeps_pseudo_judges_out_of_the_ranking(
    browser, server
):
    # No JavaScript at all: the headings are links, so sorting works by keyboard and without scripts.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/profile/judge?{SHOW_RATES}")
    link = page.locator("[data-testid=sort-grant_rate]")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sort=grant_rate" in page.url and "order=desc" in page.url
    assert page.locator("th[data-column=grant_rate]").get_attribute("aria-sort") == "descending"
    rows = _index_rows(page)
    rates = [float(row["rate"]) for row in rows if row["rate"]]
    assert rates == sorted(rates, reverse=True) and len(rates) > 3
    # Ranks run 1, 2, 3 ... over judges only; the visiting-judge and placeholder codes are listed apart.
    from immcourt.metrics.profiles import pseudo_judge

    assert [row["name"] for row in rows if pseudo_judge(row["name"])] == []
    ranks = [int(row["rank"]) for row in rows if row["rank"]]
    assert sorted(ranks) == list(range(1, len(ranks) + 1))
    pseudo = page.locator("[data-testid=pseudo-judges]").inner_text()
    assert "VISITING JUDGE 1" in pseudo and "visiting" in pseudo
    with page.expect_navigation():
        page.locator("[data-testid=sort-grant_rate]").click()  # again: the other way round
    rates = [float(row["rate"]) for row in _index_rows(page) if row["rate"]]
    assert rates == sorted(rates) and "order=asc" in page.url
    _shot(page, "judge-index-sorted")
    context.close()


def test_search_narrows_the_index_and_filters_cascade(page, server):
    page.goto(server + "/profile/judge")
    everyone = len(_index_rows(page))
    court_choices = page.locator("[data-testid=index-filter-court] option").count()
    first = _index_rows(page)[0]["name"]
    term = first.split()[-1][:4]  # part of a surname
    search = page.locator("[data-testid=index-search]")
    search.fill(term)  # narrows while typing (script) ...
    live = _index_rows(page)
    assert 0 < len(live) < everyone and all(term.lower() in row["text"] for row in live)
    with page.expect_navigation():
        search.press("Enter")  # ... and on the server (permalink)
    assert f"q={term}" in page.url
    served = _index_rows(page)
    assert [row["name"] for row in served] == [row["name"] for row in live]
    assert f"of {everyone} judges" in page.locator("[data-testid=index-count]").inner_text()
    # Choosing a nationality limits the courts offered, each with its completed cases.
    page.goto(server + "/profile/judge")
    nationality = page.locator("[data-testid=index-filter-nationality] option").nth(5).get_attribute("value")
    page.locator("[data-testid=index-filter-nationality]").select_option(nationality)
    with page.expect_navigation():
        page.locator("[data-testid=index-form] button[type=submit]").click()
    narrowed = page.locator("[data-testid=index-filter-court] option").all_text_contents()
    assert 1 < len(narrowed) < court_choices and all(text.endswith(")") for text in narrowed)
    assert len(_index_rows(page)) < everyone
    _shot(page, "judge-index-filtered")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("overview-phone", "/"),
        ("judge-index-phone", "/profile/judge"),
        ("judge-profile-phone", "/profile/judge?value=VISITING%20JUDGE%201"),
    ],
)
def test_phone_layout_has_no_horizontal_scroll(browser, server, name, path):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(server + path)
    if page.locator(".chart[data-spec]").count():
        _charts_drawn(page)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    _shot(page, name)
    context.close()
    assert overflow <= 0


def test_misspelled_court_is_a_404_with_did_you_mean(page, server):
    page.goto(server + "/profile/court")
    court = page.locator("#index-table tbody th a").first.inner_text()
    typo = court[:-1] + ("Q" if court[-1] != "Q" else "Z")
    response = page.goto(server + "/profile/court?value=" + typo)
    assert response.status == 404
    message = page.locator("[data-testid=error]").inner_text()
    assert "did you mean" in message and court in message
    _shot(page, "court-404")


def test_partial_first_fiscal_year_at_the_data_start_is_marked(page, server):
    page.goto(server + "/explore?metric=completions&by=fiscal_year&fy_to=2010")
    _charts_drawn(page)
    start = page.locator("[data-testid=records-from]").inner_text()
    assert start.startswith("records from ")
    first_day = start.removeprefix("records from ")
    note = page.locator("[data-testid=partial-note]").inner_text()
    # fy_to alone asks for every year from 1900: the empty years before the data are left out with it
    first_fy = note.split("Fiscal year ")[1].split(" (records from")[0].split("–")[-1]
    assert f"{first_fy} (records from {first_day}) are partial and not drawn" in note
    labels = page.locator("#chart-0 svg .role-axis-label text").all_text_contents()
    assert first_fy not in labels and str(int(first_fy) + 1) in labels  # starts at the first complete year
    tagged = page.locator("td:has([data-testid=partial-row])").all_inner_texts()
    assert tagged[-1].split()[0] == first_fy  # the table tags it
    with page.expect_navigation():
        page.locator("[data-testid=partial-toggle]").click()
    _charts_drawn(page)
    assert first_fy in page.locator("#chart-0 svg .role-axis-label text").all_text_contents()
    assert f"partial (records from {first_day})" in page.locator("#chart-0 svg").text_content()
    _shot(page, "partial-first-year")


def test_partial_fiscal_year_is_marked_and_can_be_drawn(page, server):
    page.goto(server + "/explore?metric=completions&by=fiscal_year&fy_from=2010")
    _charts_drawn(page)
    through = page.locator("[data-testid=records-through]").inner_text()
    assert through.startswith("records through 20")
    note = page.locator("[data-testid=partial-note]").inner_text()
    assert "is partial" in note and "not drawn" in note
    partial_fy = note.split("Fiscal year ")[1].split()[0]
    labels = page.locator("#chart-0 svg .role-axis-label text").all_text_contents()
    assert str(int(partial_fy) - 1) in labels and partial_fy not in labels  # ends at the last complete year
    with page.expect_navigation():
        page.locator("[data-testid=partial-toggle]").click()
    _charts_drawn(page)
    assert "partial=show" in page.url
    assert partial_fy in page.locator("#chart-0 svg .role-axis-label text").all_text_contents()
    svg = page.locator("#chart-0 svg").text_content()
    assert (
        "partial (records through" in svg
        and "drawn lighter" in page.locator("[data-testid=partial-note]").inner_text()
    )
    assert "Bar chart: Completions by fiscal year" in page.locator("#chart-0").get_attribute("aria-label")
    _shot(page, "partial-year")


def test_downloaded_csv_opens_in_pandas_as_it_is(page, server):
    import pandas as pd

    page.goto(server + "/explore?metric=allowed_to_remain_share&by=fiscal_year")
    _charts_drawn(page)
    with page.expect_download() as download_info:
        page.locator("a[data-format=csv]").click()
    download = download_info.value
    assert download.suggested_filename.startswith("SAMPLE-allowed_to_remain_share-by-fiscal_year-")
    frame = pd.read_csv(download.path())
    assert list(frame.columns[:2]) == ["data", "fiscal_year"] and set(frame["data"]) == {"SAMPLE"}
    assert frame["value"].between(0, 1).all() and frame["partial_period"].dtype == bool
