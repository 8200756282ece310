"""Issue 13 on the dashboard: unknown names are a 404 with suggestions, hidden-everything says why,
downloads open as they are in pandas, file names carry the filters, small fixes (a11y, release page)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import immcourt


@pytest.fixture(scope="module")
def client(small_store) -> TestClient:
    from immcourt.web.app import create_app

    return TestClient(create_app(small_store))


@pytest.fixture(scope="module")
def courts(small_store) -> list[str]:
    rows = immcourt.open(small_store).stats("completions", by=["court"]).to_dicts()
    return sorted(row["court"] for row in rows)


def test_misspelled_court_profile_is_a_404_with_did_you_mean(client, courts) -> None:
    court = courts[0]
    typo = court[:-1] + ("X" if court[-1] != "X" else "Y")
    page = client.get("/profile/court", params={"value": typo})
    assert page.status_code == 404
    assert f"did you mean &#39;{court}&#39;" in page.text or f"did you mean '{court}'" in page.text
    assert client.get("/profile/court", params={"value": court}).status_code == 200


def test_unknown_nationality_and_judge_in_the_explorer_and_overview_are_404(client) -> None:
    for url in (
        "/explore?metric=completions&by=fiscal_year&nationality=ATLANTIS",
        "/?nationality=ATLANTIS",
        "/profile/judge?value=NOBODY%20AT%20ALL",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "is not in release" in response.text


def test_all_cells_hidden_says_how_many_records_and_which_option(client, small_store) -> None:
    db = immcourt.open(small_store)
    judges = db.stats("asylum_grant_rate", by=["judge"])
    assert all(row["value"] is None for row in judges.to_dicts()) or not judges.to_dicts()
    total = sum(cell["n"] for cell in judges.suppressed)
    page = client.get("/explore?metric=asylum_grant_rate&by=judge")
    assert page.status_code == 200
    assert f"{total:,} records in {len(judges.suppressed):,} hidden cells" in page.text
    assert "opt.judge_min_decisions (now 100)" in page.text and "opt.min_n (now 10)" in page.text
