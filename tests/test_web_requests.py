"""Request values the web refuses instead of ignoring (tester5 F27) and how it bounds model builds (F26)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from immcourt.web.app import create_app
from tests.builders import MiniRelease


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    release = MiniRelease()
    release.case(1).proceeding(1, 10, osc="2019-03-05", comp="2020-01-10", dec="X")
    release.case(2).proceeding(2, 20, osc="2019-04-01")
    return TestClient(create_app(release.store(tmp_path_factory.mktemp("web-requests"))))


def test_check_takes_as_of_and_uses_it(client: TestClient) -> None:
    answer = client.post(
        "/api/check", json={"text": "Judges completed 1 case in fiscal 2020.", "as_of": "2026-11-15"}
    )
    assert answer.status_code == 200
    assert answer.json()["as_of"] == "2026-11-15"


@pytest.mark.parametrize("bad", ["2024-99-99", "../../etc", "15/11/2026", ""])
def test_check_refuses_an_as_of_that_is_not_a_date(client: TestClient, bad: str) -> None:
    answer = client.post("/api/check", json={"text": "Judges completed 1 case in fiscal 2020.", "as_of": bad})
    assert answer.status_code == 400
    assert "as_of: not a date; write it as YYYY-MM-DD" in answer.text
    assert bad not in answer.text or bad == ""  # the value is not echoed


def test_check_refuses_a_misspelled_field(client: TestClient) -> None:
    answer = client.post(
        "/api/check", json={"text": "Judges completed 1 case in fiscal 2020.", "asof": "2026-11-15"}
    )
    assert answer.status_code == 422


@pytest.mark.parametrize("value", ["1e9", "-3", "2.5", "ten"])
def test_a_whole_number_option_names_what_to_write(client: TestClient, value: str) -> None:
    answer = client.get("/api/stats", params={"metric": "asylum_grant_rate", "opt.min_n": value})
    assert answer.status_code == 400
    assert f"opt.min_n={value!r}: write a whole number in digits" in answer.json()["detail"]
    assert "invalid literal" not in answer.text


def test_a_large_whole_number_option_is_taken(client: TestClient) -> None:
    answer = client.get("/api/stats", params={"metric": "asylum_grant_rate", "opt.min_n": "1000000000"})
    assert answer.status_code == 200
