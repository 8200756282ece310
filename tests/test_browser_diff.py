"""End-to-end in Chromium: the release comparison page (its own server on the pair of test_diff.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.test_browser_web import ARGS, CHROMIUM, pytestmark  # noqa: F401 - browser marks and skip
from tests.test_diff import pair  # noqa: F401 - the fixture: a release and its next month in one store


@pytest.fixture(scope="module")
def diff_server(pair: dict[str, Path]):  # noqa: F811
    import uvicorn

    from immcourt.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    instance = uvicorn.Server(
        uvicorn.Config(create_app(pair["store"]), host="127.0.0.1", port=port, log_level="warning")
    )
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


def test_diff_page_compares_sorts_and_keeps_its_permalink(diff_server: str, pair: dict[str, Path]) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{diff_server}/release")
        page.get_by_role("link", name="Compare two releases of this store").click()
        page.wait_for_url("**/diff")
        records = page.locator("[data-testid=diff-records]")
        assert records.locator("tbody tr").count() == 8
        # the form names both releases; submitting keeps them in the URL (a permalink)
        page.get_by_role("button", name="Compare").click()
        page.wait_for_url("**/diff?a=sample-2026-11-01&b=sample-2026-12-01")
        # sorting by "added" (numbers, not text): ascending, then descending with the oracle's largest first
        header = page.locator("[data-testid=diff-records] thead th", has_text="added")
        cells = records.locator("tbody tr td:nth-child(5)")
        script = "cells => cells.map(cell => Number(cell.dataset.value))"
        header.click()
        assert cells.evaluate_all(script) == sorted(cells.evaluate_all(script))
        header.click()
        values = cells.evaluate_all(script)
        assert values == sorted(values, reverse=True) and values[0] > values[-1]
        changes = pq.read_table(pair["b"] / "changes.parquet").to_pylist()
        added = Counter(c["table"] for c in changes if c["change"] == "added")
        assert records.locator("tbody tr td:nth-child(1)").first.inner_text() == added.most_common(1)[0][0]
        assert page.locator("[data-testid=diff-vanished]").count() == 1
        browser.close()
        assert not errors, errors
