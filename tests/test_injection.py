"""No value from a release or a request is ever run as SQL (issue 12, item 1).

Injection strings go through every place a release or a request can put text: a column name in a table
header, a member (table or lookup) file name, and every filter, dimension, option, metric, date and
parameter of the Python API, the CLI and the web. Each attempt must end in a clean refusal or a correctly
quoted, harmless result, and must leave no trace: the canary files the payloads try to write never appear,
and nothing read from /etc/passwd comes back.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import immcourt
from immcourt.cli import app
from immcourt.ingest.run import IngestError, ingest_release
from immcourt.metrics.filters import UnknownFilterValue
from immcourt.metrics.options import StatsError
from immcourt.sqlsafe import GLOB_CHARACTERS, UnsafeSqlText, quote_ident, quote_literal
from immcourt.store import open_release
from tests.builders import MiniRelease

RELATIVE_CANARY = "immcourt-injection-canary.csv"  # a COPY to a relative path lands in the working folder
PASSWD_MARK = "root:x:0:0"  # what leaked /etc/passwd content would contain


def payloads(canary: Path) -> list[str]:
    """Strings that break out of a badly quoted literal or identifier and try to write or read files."""
    copy = f"COPY (SELECT 42) TO '{canary}'"
    return [
        "x'",
        'x"',
        f"x'); {copy}; --",
        f"x')) AS t; {copy}; --",
        f'x"); {copy}; --',
        f'x" AS y FROM (SELECT 1); {copy}; --',
        "' || (SELECT string_agg(content, '') FROM read_text('/etc/passwd')) || '",
        "x' OR 1=1 OR 'a'='a",
        f"x\\'; {copy}; --",  # backslash: not an escape in DuckDB strings
        f"x'; COPY (SELECT 1) TO '{RELATIVE_CANARY}'; --",
        f"ünïcødé ’‘ ＇; {copy}; --",  # typographic and full-width quotes
        "x$1 ?",  # parameter markers inside a value
    ]


CONTROL_PAYLOADS = ["a\x00b'); COPY (SELECT 1) TO '/tmp/nul-canary'; --", "a\x01b", "x'\u2028; --"]


@pytest.fixture()
def canary(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # relative COPY targets would land here
    return tmp_path / "canary.csv"


def _assert_no_trace(canary: Path, *texts: str) -> None:
    assert not canary.exists(), f"an injected COPY wrote {canary}"
    assert not (Path.cwd() / RELATIVE_CANARY).exists(), "an injected COPY wrote into the working folder"
    assert not Path("/tmp/nul-canary").exists()
    for text in texts:
        assert PASSWD_MARK not in text, "file contents leaked"


# -- the quoting helper itself ---------------------------------------------------------------------------


def test_quote_helpers_round_trip_every_payload(tmp_path):
    con = duckdb.connect()
    for text in payloads(tmp_path / "canary.csv"):
        assert con.execute(f"SELECT {quote_literal(text)}").fetchone() == (text,)
        assert con.execute(f"SELECT 1 AS {quote_ident(text)}").description[0][0] == text
    for text in CONTROL_PAYLOADS:
        with pytest.raises(UnsafeSqlText):
            quote_literal(text)
        with pytest.raises(UnsafeSqlText):
            quote_ident(text)
    _assert_no_trace(tmp_path / "canary.csv")


# -- a release: column names in headers, member file names -----------------------------------------------


def _mini() -> MiniRelease:
    release = MiniRelease()
    release.case(1, nat="HO").proceeding(1, 10, comp="2020-01-15", dec="X", court="HOU")
    release.case(2, nat="GT").proceeding(2, 20, comp="2020-02-15", dec="R", court="HOU")
    return release


def _add_column(table: Path, name: str, values: list[str]) -> None:
    """Append a column named `name` to a tab-delimited table (one value per data row)."""
    lines = table.read_bytes().decode("cp1252").split("\r\n")
    lines[0] += "\t" + name
    for i, value in enumerate(values, start=1):
        lines[i] += "\t" + value
    table.write_bytes("\r\n".join(lines).encode("cp1252", errors="replace"))  # EOIR tables are cp1252


@pytest.mark.parametrize("index", range(len(payloads(Path("x")))))
def test_column_name_in_a_header_is_only_a_name(tmp_path, canary, index):
    payload = payloads(canary)[index]
    folder = _mini().write_release(tmp_path / "release")
    cases = folder / "EOIR Case Data" / "A_TblCase.csv"
    _add_column(cases, payload, ["b6", "kept"])  # b6 (redacted) puts the name into the _issues JSON
    payload = payload.encode("cp1252", errors="replace").decode("cp1252")  # as the release holds it
    store = tmp_path / "store"
    ingest_release(folder, store=store, progress=False)
    _assert_no_trace(canary)
    release = next(store.glob("release=*"))
    table = pq.read_table(release / "A_TblCase.parquet")
    assert payload in table.column_names
    rows = table.to_pylist()
    assert [row[payload] for row in rows] == [None, "kept"]
    issues = json.loads(rows[0]["_issues"])
    assert issues == [{"column": payload, "kind": "redacted", "raw": "b6"}]
    assert rows[1]["_issues"] is None


def test_control_character_in_a_header_is_refused_in_one_line(tmp_path, canary):
    folder = _mini().write_release(tmp_path / "release")
    _add_column(folder / "EOIR Case Data" / "A_TblCase.csv", "bad\x01name", ["1", "2"])
    with pytest.raises(IngestError) as error:
        ingest_release(folder, store=tmp_path / "store", progress=False)
    message = str(error.value)
    assert "A_TblCase.csv" in message and "header field 8" in message and "\n" not in message
    assert not list((tmp_path / "store").glob("release=*"))


@pytest.mark.parametrize("index", range(len(payloads(Path("x")))))
def test_member_file_names_are_only_names(tmp_path, canary, index):
    payload = payloads(canary)[index]
    if "/" in payload:  # a file name cannot hold a slash; the same payload without it still breaks out
        payload = payload.replace("/", "_")
    folder = _mini().write_release(tmp_path / "release")
    (folder / "EOIR Case Data" / f"{payload}.csv").write_bytes(b"IDNX\tNOTE\r\n1\thello\r\n")
    # A second name (one name twice is refused as a duplicate member, docs/RELIABILITY.md).
    (folder / "Lookup" / f"{payload}_lu.csv").write_bytes(b"strCode\tstrDescription\r\nZ\tzed\r\n")
    store = tmp_path / "store"
    if GLOB_CHARACTERS.intersection(payload):  # DuckDB would read the file name as a glob: refused
        with pytest.raises(IngestError) as error:
            ingest_release(folder, store=store, progress=False)
        message = str(error.value)
        assert "member" in message and "which DuckDB reads as a pattern" in message and "\n" not in message
        assert not list(store.glob("release=*"))
        _assert_no_trace(canary)
        return
    ingest_release(folder, store=store, progress=False)  # also rebuilds catalog.duckdb's views
    _assert_no_trace(canary)
    con, _ = open_release(store)
    assert con.execute(f"SELECT IDNX, NOTE FROM {quote_ident(payload)}").fetchall() == [("1", "hello")]
    lookup = f"SELECT strCode, strDescription FROM {quote_ident(payload + '_lu')}"
    assert con.execute(lookup).fetchall() == [("Z", "zed")]
    catalog = duckdb.connect(str(store / "catalog.duckdb"), read_only=True)
    listed = catalog.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    views = {name for (name,) in listed}
    assert payload in views and f"{payload}_lu" in views
    _assert_no_trace(canary)


# -- requests: API, CLI and web ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    release = _mini()
    release.application(1, 10, "ASYL", "D")
    return release.store(tmp_path_factory.mktemp("injection-store"))


def _api_calls(payload: str):
    """Every request parameter of Store.stats, each given the payload (name: call)."""
    return {
        "metric": lambda db: db.stats(payload),
        "by": lambda db: db.stats("completions", by=[payload]),
        "filter name": lambda db: db.stats("completions", where={payload: "x"}),
        "date_from": lambda db: db.stats("completions", date_from=payload),
        "date_to": lambda db: db.stats("completions", date_to=payload),
        "at": lambda db: db.stats("pending", at=payload),
        "fiscal_years": lambda db: db.stats("completions", fiscal_years=payload),
        "administration": lambda db: db.stats("completions", administration=payload),
        "administration filter": lambda db: db.stats("completions", where={"administration": payload}),
        "year filter": lambda db: db.stats("completions", where={"fiscal_year": payload}),
        "boolean filter": lambda db: db.stats("completions", where={"detained": payload}),
        "option name": lambda db: db.stats("completions", options={payload: "x"}),
        "asylum_codes": lambda db: db.stats("asylum_grant_rate", options={"asylum_codes": payload}),
        "asylum_codes list": lambda db: db.stats(
            "asylum_grant_rate", options={"asylum_codes": f"ASYL,{payload}"}
        ),
        "withholding_as": lambda db: db.stats("completions", options={"withholding_as": payload}),
        "min_n": lambda db: db.stats("removed_share", options={"min_n": payload}),
    }


FILTER_DIMENSIONS = ("nationality", "court", "judge", "outcome", "language", "custody", "case_type")


def test_api_parameters_refuse_or_quote_every_payload(store, canary):
    db = immcourt.open(store)
    filters = [d for d in FILTER_DIMENSIONS if d in db.metric("completions").dimensions]
    assert len(filters) >= 4
    for payload in payloads(canary) + CONTROL_PAYLOADS:
        for name, call in _api_calls(payload).items():
            try:
                result = call(db)
            except (StatsError, ValueError) as error:
                assert "\n" not in str(error).strip(), name
            else:  # accepted: only the harmless reading of the value
                assert name in {"filter name"} or result.to_arrow().num_rows == 0, (name, payload)
        for dimension in filters:  # free-text filter values matching nothing: refused before any SQL
            with pytest.raises(UnknownFilterValue) as raised:  # (issue 8: not an empty table)
                db.stats("completions", by=["fiscal_year"], where={dimension: payload})
            assert "\n" not in str(raised.value).strip(), (dimension, payload)
    _assert_no_trace(canary)
    # The same filter with a real value still counts: binding changed nothing else.
    assert db.stats("completions", where={"nationality": "honduras"}).to_dicts()[0]["value"] == 1


def test_cli_parameters_refuse_or_quote_every_payload(store, canary):
    runner = CliRunner()
    chosen = payloads(canary)
    for payload in [chosen[2], chosen[4], chosen[6], chosen[8], chosen[10]]:  # each CLI run opens the store
        for args in (
            ["stats", "completions", "--where", f"nationality={payload}"],
            ["stats", "completions", "--by", payload],
            ["stats", "completions", "--option", f"asylum_codes={payload}"],
            ["stats", "asylum_grant_rate", "--option", f"asylum_codes=ASYL,{payload}"],
            ["stats", payload],
            ["stats", "completions", "--from", payload],
            ["stats", "pending", "--at", payload],
            ["stats", "completions", "--fy", payload],
            ["stats", "completions", "--administration", payload],
            ["sql", "completions", "--where", f"nationality={payload}"],
        ):
            result = runner.invoke(app, [*args, "--store", str(store)])
            assert result.exit_code in (0, 2), (args, result.output)
            assert "Traceback" not in result.output, args
            _assert_no_trace(canary, result.output)
        printed = runner.invoke(app, ["sql", "completions", "--where", f"nationality={payload}"]).output
        # The display SQL writes each value (the CLI splits a filter at commas) as one quoted literal.
        parts = [part.strip().upper() for part in payload.split(",") if part.strip()]
        assert parts and all(quote_literal(part) in printed for part in parts), printed


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    from immcourt.web.app import create_app

    return TestClient(create_app(store))


def test_web_parameters_refuse_or_quote_every_payload(client, canary):
    from urllib.parse import quote as url

    for payload in payloads(canary) + CONTROL_PAYLOADS:
        value = url(payload, safe="")
        urls = [
            f"/api/stats?metric=completions&nationality={value}",
            f"/api/stats?metric=completions&by=fiscal_year&court={value}&judge={value}",
            f"/api/stats?metric={value}",
            f"/api/stats?metric=completions&by={value}",
            f"/api/stats?metric=completions&{value}=1",
            f"/api/stats?metric=asylum_grant_rate&opt.asylum_codes={value}",
            f"/api/stats?metric=asylum_grant_rate&opt.asylum_codes=ASYL,{value}",
            f"/api/stats?metric=completions&opt.withholding_as={value}",
            f"/api/stats?metric=completions&opt.{value}=1",
            f"/api/stats?metric=completions&date_from={value}",
            f"/api/stats?metric=completions&fy_from={value}",
            f"/api/stats?metric=completions&administration={value}",
            f"/api/stats?metric=pending&at={value}",
            f"/api/chart?metric=completions&nationality={value}",
            f"/explore?metric=completions&nationality={value}",
            f"/explore?metric=asylum_grant_rate&opt.asylum_codes={value}",
            f"/download/view.csv?metric=completions&nationality={value}",
            f"/profile/{value}?value={value}",
            f"/profile/court?value={value}",
        ]
        for address in urls:
            response = client.get(address)
            assert response.status_code < 500, (address, response.status_code, response.text[:300])
            assert response.status_code in (200, 400, 404, 413, 422), address
            _assert_no_trace(canary, response.text)
        stats = client.get(f"/api/stats?metric=completions&nationality={value}")  # matches no nationality
        assert stats.status_code == 422 and "matches no nationality" in stats.json()["detail"]
        codes = client.get(f"/api/stats?metric=asylum_grant_rate&opt.asylum_codes=ASYL,{value}")
        assert codes.status_code in (400, 422) and "asylum_codes" in codes.json()["detail"]
        checked = client.post("/api/check", json={"text": f"{payload} 5 completions in 2020"})
        assert checked.status_code == 200
        _assert_no_trace(canary, checked.text)
