"""Request values the web refuses instead of ignoring (tester5 F27) and how it bounds model builds (F26)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from immcourt.limits import ServeLimits
from immcourt.sqlsafe import DEADLINE, QueryTimeout, QueryTimer
from immcourt.web.app import create_app
from immcourt.web.service import Dashboard, ServiceUnavailable
from tests.builders import MiniRelease


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    release = MiniRelease()
    release.case(1).proceeding(1, 10, osc="2019-03-05", comp="2020-01-10", dec="X")
    release.case(2).proceeding(2, 20, osc="2019-04-01")
    return release.store(tmp_path_factory.mktemp("web-requests"))


@pytest.fixture(scope="module")
def client(store_dir: Path) -> TestClient:
    return TestClient(create_app(store_dir))


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


# -- F26: the store's queue --------------------------------------------------------------------------------
# Three option sets, each needing its own case model (none is the default one).
BUILDS = [
    [("metric", "completions"), ("opt.representation", "reps_table")],
    [("metric", "completions"), ("opt.deciding_proceeding", "last_completed")],
    [("metric", "completions"), ("opt.admin_closure_as", "pending")],
]


def _wait_until(condition, seconds: float = 10.0) -> None:  # noqa: ANN001 - a callable
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.01)


def test_model_builds_waiting_are_bounded(store_dir: Path) -> None:
    board = Dashboard(store_dir, limits=ServeLimits(query_seconds=30, max_queued_builds=2))
    queries = [board.parse(params) for params in BUILDS]
    assert all(board._model_of(q) is not None for q in queries)
    default = board.parse([("metric", "completions"), ("fy_from", "2020"), ("fy_to", "2020")])
    assert board._model_of(default) is None
    results: dict[str, object] = {}

    def run(name: str, query) -> None:  # noqa: ANN001 - a ViewQuery
        try:
            results[name] = board.compute(query).table.num_rows
        except ServiceUnavailable as error:
            results[name] = error

    board._store_lock.acquire()  # another request's long model build holds the store
    threads = [threading.Thread(target=run, args=(f"build{i}", q)) for i, q in enumerate(queries[:2])]
    for thread in threads:
        thread.start()
    _wait_until(lambda: board._builds_waiting == 2)
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match=r"2 queries needing a model for other options are already"):
        board.compute(queries[2])  # the third: refused at once, not queued
    assert time.monotonic() - started < 1.0
    plain = threading.Thread(target=run, args=("default", default))  # a default-option query still queues
    plain.start()
    board._store_lock.release()
    for thread in [*threads, plain]:
        thread.join(30)
    assert results == {"build0": 1, "build1": 1, "default": 1}
    assert board._builds_waiting == 0
    assert board.compute(queries[0]).table.num_rows == 1  # built now: no longer counted as a build


def test_time_waiting_for_the_store_counts_in_the_limit(store_dir: Path) -> None:
    board = Dashboard(store_dir, limits=ServeLimits(query_seconds=1.0))
    query = board.parse(BUILDS[0])
    board._store_lock.acquire()
    started = time.monotonic()
    try:
        with pytest.raises(ServiceUnavailable, match=r"busy with other queries for the whole 1 s limit"):
            board.compute(query)
    finally:
        board._store_lock.release()
    assert 0.9 < time.monotonic() - started < 3.0
    # after waiting 0.5 s, the statement gets what is left of its 5 s, not a fresh 5 s
    board = Dashboard(store_dir, limits=ServeLimits(query_seconds=5.0))
    seen: list[float] = []
    real = board.store.stats

    def recording(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - Store.stats' own
        seen.append(DEADLINE.get() - time.monotonic())
        return real(*args, **kwargs)

    board.store.stats = recording
    board._store_lock.acquire()
    holder = threading.Timer(0.5, board._store_lock.release)
    holder.start()
    board.compute(board.parse([("metric", "completions"), ("fy_from", "2020"), ("fy_to", "2020")]))
    holder.join()
    assert len(seen) == 1 and 0.0 < seen[0] < 4.6


def test_the_statement_timer_stops_at_the_request_deadline() -> None:
    con = duckdb.connect()
    timer = QueryTimer(60)
    token = DEADLINE.set(time.monotonic() + 0.3)
    started = time.monotonic()
    try:
        with pytest.raises(QueryTimeout, match=r"time waiting for the store included"):
            with timer.limit(con):
                con.execute("SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3").fetchall()
    finally:
        DEADLINE.reset(token)
    assert time.monotonic() - started < 10
    token = DEADLINE.set(time.monotonic() - 1)
    try:
        with pytest.raises(QueryTimeout, match=r"waited its whole 60 s for the store"):
            with timer.limit(con):
                con.execute("SELECT 1").fetchall()
    finally:
        DEADLINE.reset(token)


def test_a_full_queue_is_a_503_with_retry_after(store_dir: Path) -> None:
    client = TestClient(create_app(store_dir, limits=ServeLimits(max_queued_builds=0)))
    params = {"metric": "completions", "opt.representation": "reps_table"}
    answer = client.get("/api/stats", params=params)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "its limit is 0" in answer.text
    assert client.get("/api/stats", params={"metric": "completions"}).status_code == 200


def test_models_counted_as_built_follow_the_stores_bound(store_dir: Path) -> None:
    """With one model kept, the first option set's model is dropped when the second is built: asking for
    it again is a build again, counted in the queue."""
    board = Dashboard(store_dir, limits=ServeLimits(max_models=1))
    first, second = (board.parse(params) for params in BUILDS[:2])
    board.compute(first)
    board.compute(second)
    assert list(board._models_built) == [board._model_of(second)]
