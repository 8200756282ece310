"""The new-user tester's findings of 2026-12-01 (sections 3-8 and 10), each as hand-checked values.

Hand-built releases (tests/builders.py) carry the values worked out by hand in the comments; the
2,000-case sample store (conftest.small_store) carries the partition property over every dimension.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app as cli_app
from immcourt.limits import MAX_CHECK_CHARS, ServeLimits
from immcourt.metrics.catalog import METRICS, TIME_DIMENSIONS
from immcourt.metrics.options import StatsError
from immcourt.sqlsafe import CANCEL, CancelToken, QueryCancelled, QueryTimer
from immcourt.web.app import StopWhenClientLeaves, create_app
from tests.builders import MiniRelease


class SharedLabels(MiniRelease):
    """The builders' lookups plus a second Houston court (HOD) and a second 'Judge Alpha' (CCC)."""

    def lookups(self):  # noqa: ANN201 - the builders' shape
        out = super().lookups()
        header, rows = out["tblLookupBaseCity"]
        out["tblLookupBaseCity"] = (header, [*rows, ["HOD", "Houston", "TX", "1"]])
        header, rows = out["tblLookupJudge"]
        out["tblLookupJudge"] = (header, [*rows, ["CCC", "Judge Alpha", "1"]])
        return out


def findings_release() -> MiniRelease:
    # FY2020 completions, all removal orders (X):
    #   case 1: SFR, judge AAA, an ASYL application granted        -> asylum_case yes
    #   case 2: HOU, judge AAA, no application                      -> asylum_case no
    #   case 3: HOD, judge AAA, an ASYL application received 1850   -> implausible date: asylum_case unknown
    #   case 4: NYC, judge CCC (also named "Judge Alpha"), none      -> asylum_case no
    # case 5 is pending.
    return (
        SharedLabels()
        .case(1)
        .proceeding(1, 10, comp="2020-01-10", dec="X")
        .application(1, 10, "ASYL", "G")
        .case(2)
        .proceeding(2, 20, comp="2020-02-10", dec="X", court="HOU")
        .case(3)
        .proceeding(3, 30, comp="2020-03-10", dec="X", court="HOD")
        .application(3, 30, "ASYL", "D", received="1850-01-01")
        .case(4)
        .proceeding(4, 40, comp="2020-04-10", dec="X", court="NYC", judge="CCC")
        .case(5)
        .proceeding(5, 50)
    )


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return findings_release().store(tmp_path_factory.mktemp("findings"))


@pytest.fixture(scope="module")
def db(mini: Path):
    return immcourt.open(mini)


FY2020 = {"fiscal_years": (2020, 2020)}


def _cells(result, dim: str) -> dict[object, int]:
    return {row[dim]: row["value"] for row in result.to_dicts()}


# -- 3: a dimension partitions its metric ---------------------------------------------------------------


def test_a_defective_application_puts_the_case_in_unknown_not_out(db):
    assert db.stats("completions", **FY2020).to_dicts()[0]["value"] == 4
    by = db.stats("completions", by=["asylum_case"], **FY2020)
    assert _cells(by, "asylum_case") == {True: 1, False: 2, None: 1}
    assert by.exclusions == {"cases counted with asylum_case unknown: an implausible application date": 1}
    decision = db.stats("completions", by=["asylum_decision"], **FY2020)
    assert _cells(decision, "asylum_decision") == {"granted": 1, "unknown": 3}
    # a yes/no filter leaves the unknown case out; =unknown finds it
    assert db.stats("completions", where={"asylum_case": "yes"}, **FY2020).to_dicts()[0]["value"] == 1
    assert db.stats("completions", where={"asylum_case": "no"}, **FY2020).to_dicts()[0]["value"] == 2
    assert db.stats("completions", where={"asylum_case": "unknown"}, **FY2020).to_dicts()[0]["value"] == 1
    # the asylum metrics read the applications themselves: the defective one stays out
    decisions = db.stats("asylum_decisions", by=["asylum_decision"], **FY2020)
    assert _cells(decisions, "asylum_decision") == {"granted": 1}
    assert decisions.exclusions["cases left out: an implausible application date"] == 1


def _partition_cases():
    for metric in METRICS:
        if metric.kind not in ("count", "share", "pending"):
            continue
        for dimension in metric.dimensions:
            if metric.kind == "pending" and dimension in TIME_DIMENSIONS:
                continue  # a pending series is a stock at each period's end, not a partition
            yield metric.name, dimension


LOW = {"min_n": 0, "judge_min_decisions": 0, "judge_year_min": 0}


@pytest.mark.parametrize(("metric", "dimension"), list(_partition_cases()))
def test_every_dimension_adds_up_to_the_total_on_a_sample(small_store, metric, dimension):
    db = immcourt.open(small_store)
    metric_def = next(m for m in METRICS if m.name == metric)
    options = {name: value for name, value in LOW.items() if name in {o.name for o in metric_def.options}}
    period = {"at": "2024-09-30"} if metric_def.kind == "pending" else {"fiscal_years": (2019, 2024)}
    total = db.stats(metric, options=options, **period).to_dicts()[0]["n"]
    rows = db.stats(metric, by=[dimension], options=options, **period).to_dicts()
    assert total > 0
    assert sum(row["n"] for row in rows) == total
    if metric_def.kind == "share":
        whole = db.stats(metric, options=options, **period).to_dicts()[0]["numerator"]
        assert sum(row["numerator"] for row in rows) == whole


# -- 4: judge rules whenever a judge is named -----------------------------------------------------------


def test_judge_rules_apply_to_a_judge_filter(db):
    # judge AAA decided 1 ASYL application in FY2020 (case 1, granted; case 3's is defective)
    named = db.stats("asylum_grant_rate", where={"judge": "AAA"}, options={"min_n": 0}, **FY2020)
    assert named.to_dicts() == []
    assert named.suppressed == [
        {
            "n": 1,
            "reason": "judge Judge Alpha (AAA) has fewer than 100 decisions in the window",
            "option": "judge_min_decisions",
        }
    ]
    shown = db.stats(
        "asylum_grant_rate",
        where={"judge": "AAA"},
        options={"min_n": 0, "judge_min_decisions": 1},
        **FY2020,
    )
    assert shown.to_dicts()[0]["value"] == 1.0 and shown.suppressed == []
    # the judge-year rule too, by fiscal year
    yearly = db.stats(
        "asylum_grant_rate",
        by=["fiscal_year"],
        where={"judge": "AAA"},
        options={"min_n": 0, "judge_min_decisions": 1},
        **FY2020,
    )
    assert yearly.to_dicts() == [] and "judge-year has fewer than 25" in yearly.suppressed[0]["reason"]


# -- 5: groups by code -----------------------------------------------------------------------------------


def test_courts_and_judges_sharing_a_label_are_separate_rows(db):
    courts = _cells(db.stats("completions", by=["court"], **FY2020), "court")
    assert courts == {"San Francisco": 1, "Houston (HOU)": 1, "Houston (HOD)": 1, "New York": 1}
    judges = _cells(db.stats("completions", by=["judge"], **FY2020), "judge")
    assert judges == {"Judge Alpha (AAA)": 3, "Judge Alpha (CCC)": 1}


def test_an_ambiguous_label_matches_every_code_and_says_so(db):
    both = db.stats("completions", where={"court": "Houston"}, **FY2020)
    assert both.to_dicts()[0]["value"] == 2
    assert both.notes == [
        "court=Houston matches 2 codes, all counted together: Houston (HOD), Houston (HOU); filter by one "
        "code (e.g. court=HOD) to pick one"
    ]
    for value in ("HOD", "Houston (HOD)", "houston (hod)"):
        one = db.stats("completions", where={"court": value}, **FY2020)
        assert one.to_dicts()[0]["value"] == 1 and one.notes == []


# -- 6: the server's limits bind -------------------------------------------------------------------------


def test_too_many_dimensions_or_cells_are_refused_before_the_work(small_store):
    confined = immcourt.open(small_store, limits=ServeLimits(max_by=3, max_cells=50))
    with pytest.raises(StatsError, match="at most 3"):
        confined.stats("completions", by=["court", "judge", "nationality", "month"])
    # 2,000 cases over ~27 fiscal years x 10+ courts: more than 50 cells, refused from two small counts
    with pytest.raises(StatsError, match=r"periods x .* groups.*more than the 50"):
        confined.stats("completions", by=["court", "fiscal_year"])
    # no time dimension: the stream stops at the 51st row
    with pytest.raises(StatsError, match="more than 50 rows"):
        confined.stats("completions", by=["judge", "nationality"])
    # the store still answers afterwards
    assert confined.stats("completions", by=["outcome"]).table.num_rows <= 50


def test_the_web_answers_a_four_dimension_request_with_a_422(small_store):
    client = TestClient(create_app(small_store))
    for path in ("/api/stats", "/explore"):
        response = client.get(f"{path}?metric=completions&by=court&by=judge&by=nationality&by=month")
        assert response.status_code == 422
        assert "at most 3" in response.text


def test_a_cancel_token_stops_its_own_running_query():
    con = duckdb.connect()
    token = CancelToken()
    errors: list[BaseException] = []

    def run() -> None:
        CANCEL.set(token)
        try:
            with QueryTimer(None).limit(con):
                con.execute("SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b").fetchall()
        except BaseException as error:  # noqa: BLE001 - recorded for the assertion
            errors.append(error)

    worker = threading.Thread(target=contextvars.copy_context().run, args=(run,))
    started = time.perf_counter()
    worker.start()
    time.sleep(0.3)
    token.cancel()
    worker.join(10)
    assert not worker.is_alive() and time.perf_counter() - started < 10
    assert len(errors) == 1 and isinstance(errors[0], QueryCancelled)
    # a cancelled token refuses the next statement; the connection itself still works
    CANCEL.set(token)
    with pytest.raises(QueryCancelled), QueryTimer(None).limit(con):
        pass
    CANCEL.set(None)
    assert con.execute("SELECT 1").fetchall() == [(1,)]


def test_a_client_disconnect_cancels_the_request_token():
    seen: dict[str, object] = {}

    async def app(scope, receive, send):  # noqa: ANN001 - ASGI
        token = CANCEL.get()
        seen["token"] = token
        for _ in range(100):  # the statistic "runs" until its token is cancelled
            if token.cancelled:
                seen["cancelled"] = True
                return
            await asyncio.sleep(0.01)

    messages = [{"type": "http.request", "body": b"", "more_body": False}, {"type": "http.disconnect"}]

    async def receive():  # the client sends its request, then goes away after 50 ms
        message = messages.pop(0)
        if message["type"] == "http.disconnect":
            await asyncio.sleep(0.05)
        return message

    async def send(message):  # noqa: ANN001 - ASGI
        pass

    scope = {"type": "http", "method": "GET", "path": "/api/stats", "headers": []}
    asyncio.run(StopWhenClientLeaves(app)(scope, receive, send))
    assert isinstance(seen["token"], CancelToken) and seen.get("cancelled") is True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sigterm_stops_the_server_promptly(small_store):
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "immcourt"), "serve", "--store", str(small_store)]
        + ["--port", str(port), "--no-warm"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        assert time.monotonic() - started < 8
    finally:
        if server.poll() is None:
            server.kill()


# -- 7: errors never echo the body; the text limit is in characters -------------------------------------


def test_a_422_does_not_echo_the_body_and_the_char_limit_is_the_limit(small_store):
    client = TestClient(create_app(small_store))
    wrong = client.post("/api/check", content=b"x" * 108_000, headers={"content-type": "text/plain"})
    assert wrong.status_code == 422 and len(wrong.content) < 1_000 and "xxxx" not in wrong.text
    assert wrong.json()["detail"][0]["loc"] == ["body"]
    dashes = client.post("/api/check", json={"text": "\u2014" * (MAX_CHECK_CHARS - 1)})
    assert dashes.status_code == 200, dashes.text[:200]
    faces = client.post("/api/check", json={"text": "\U0001f600" * MAX_CHECK_CHARS})  # 12 bytes each in JSON
    assert faces.status_code == 200, faces.text[:200]
    over = client.post("/api/check", json={"text": "a" * (MAX_CHECK_CHARS + 1)})
    assert over.status_code == 413 and f"{MAX_CHECK_CHARS:,}" in over.text


# -- 8: what does not apply is an error; uncovered periods are flagged -----------------------------------


@pytest.mark.parametrize(
    ("metric", "kwargs", "message"),
    [
        ("pending", {"at": "2024-09-30", "fiscal_years": (2020, 2020)}, "at and fiscal_years each name it"),
        ("pending", {"at": "2020-01-01", "date_from": "2019-01-01"}, "date_from does not apply"),
        ("pending", {"by": ["fiscal_year"], "at": "2020-01-01"}, "at does not apply to pending by period"),
        ("completions", {"date_from": "2024-06-01", "date_to": "2024-01-01"}, "ends before it starts"),
        ("completions", {"where": {"nationality": []}}, "empty value"),
        ("completions", {"where": {"nationality": " "}}, "empty value"),
        # the release is sample-2025-06-30: records through 2025-06-29
        ("completions", {"fiscal_years": (2026, 2026)}, "starts 2025-10-01, after the release's records end"),
        ("pending", {"at": "2030-01-01"}, "at=2030-01-01 is after the release's records end"),
    ],
)
def test_what_would_be_ignored_is_an_error(db, metric, kwargs, message):
    with pytest.raises(StatsError, match=message):
        db.stats(metric, **kwargs)


def test_a_partly_covered_period_is_noted(db):
    # records through 2025-06-29: FY2025 (Oct 2024 - Sep 2025) has Oct..Jun = 9 of 12 months
    result = db.stats("completions", fiscal_years=(2024, 2026))
    assert result.notes == [
        "records through 2025-06-29; FY2025 is partial: 9 of 12 months",
        "records through 2025-06-29; FY2026 begins after it: no records, not zero cases",
    ]
    assert "FY2025 is partial" in result.metadata()["notes"][0]
    assert db.stats("completions", fiscal_years=(2020, 2020)).notes == []
    assert db.stats("pending", at="2025-06-30").notes == []  # the release date itself is known


def test_an_option_of_another_metric_is_an_error_in_cli_and_web_and_a_note_in_python(db, mini):
    result = db.stats("completions", options={"grant_rate": "eoir"}, **FY2020)
    assert result.to_dicts()[0]["value"] == 4
    assert result.notes == ["option grant_rate does not apply to completions: not used"]
    out = CliRunner().invoke(
        cli_app, ["stats", "completions", "--store", str(mini), "--option", "grant_rate=eoir"]
    )
    assert out.exit_code == 2 and "grant_rate does not apply to completions" in out.output
    web = TestClient(create_app(mini)).get("/api/stats?metric=completions&opt.grant_rate=eoir")
    assert web.status_code == 400 and "does not apply to completions" in web.text


def test_an_empty_filter_is_an_error_in_the_web_and_the_cli(mini):
    client = TestClient(create_app(mini))
    assert client.get("/api/stats?metric=completions&nationality=").status_code == 400
    assert client.get("/api/stats?metric=completions&fy_from=").status_code == 200  # an empty form field
    runner = CliRunner()
    result = runner.invoke(cli_app, ["stats", "completions", "--store", str(mini), "--where", "nationality="])
    assert result.exit_code == 2


# -- 10: new-user hitches ---------------------------------------------------------------------------------


def test_check_refuses_a_binary_file_in_one_line(mini, tmp_path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    runner = CliRunner()
    result = runner.invoke(cli_app, ["check", str(picture), "--store", str(mini)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "not a text file" in lines[0] and "photo.png" in lines[0]
    assert "Traceback" not in result.output


def test_exclusions_name_only_tables_the_metric_reads_and_count_a_case_once(small_store):
    db = immcourt.open(small_store)
    completions = db.stats("completions").exclusions
    quarantined = {reason for reason in completions if reason.startswith("quarantined rows (")}
    assert quarantined <= {"quarantined rows (A_TblCase)", "quarantined rows (B_TblProceeding)"}
    asylum = db.stats("asylum_decisions").exclusions
    assert any(reason == "quarantined rows (tbl_Court_Appln)" for reason in asylum)
    # cases without any proceeding, counted from the Parquet files: those no quarantined proceeding line
    # names; the others are counted once, under 'a quarantined proceeding row'
    release = next(small_store.glob("release=*"))
    con = duckdb.connect()
    without, named = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE c.IDNCASE IN (SELECT idncase FROM read_parquet(?) "
        "WHERE \"table\" = 'B_TblProceeding')) FROM read_parquet(?) AS c "
        "WHERE c.IDNCASE NOT IN (SELECT IDNCASE FROM read_parquet(?) WHERE IDNCASE IS NOT NULL)",
        [
            str(release / "_quarantine.parquet"),
            str(release / "A_TblCase.parquet"),
            str(release / "B_TblProceeding.parquet"),
        ],
    ).fetchone()
    reason = "cases without any proceeding (A_TblCase rows not in B_TblProceeding)"
    assert completions.get(reason, 0) == without - named


def test_cli_and_api_metadata_share_their_keys(mini):
    runner = CliRunner()
    out = runner.invoke(
        cli_app, ["stats", "completions", "--store", str(mini), "--fy", "2025", "--format", "json"]
    )
    cli = json.loads(out.output)["metadata"]
    api = TestClient(create_app(mini)).get("/api/stats?metric=completions&fy_from=2025&fy_to=2025").json()
    assert set(cli) <= set(api)
    for key in ("release", "records_through", "sample_data", "where", "notes", "exclusions", "suppressed"):
        assert cli[key] == api[key], key
    assert cli["notes"] == ["records through 2025-06-29; FY2025 is partial: 9 of 12 months"]
