"""Unit tests of the web layer against a tiny in-memory stand-in for the Store (hand-countable cases).

These pin the web layer's own behaviour: URL parsing and canonical permalinks, what is passed to
`Store.stats`, the provenance stamp in every download format, error messages, caching. The tests in
test_web.py run the same app against a real store built from a generated sample.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

import immcourt
from immcourt.web.query import ViewError, parse_view

# Six cases, counted by hand below.
CASES = [
    {
        "fiscal_year": 2022,
        "outcome": "removal_order",
        "nationality": "GUATEMALA",
        "court": "ARL",
        "administration": "Biden",
    },
    {
        "fiscal_year": 2022,
        "outcome": "relief_granted",
        "nationality": "GUATEMALA",
        "court": "ARL",
        "administration": "Biden",
    },
    {
        "fiscal_year": 2022,
        "outcome": "removal_order",
        "nationality": "MEXICO",
        "court": "NYC",
        "administration": "Biden",
    },
    {
        "fiscal_year": 2023,
        "outcome": "terminated",
        "nationality": "GUATEMALA",
        "court": "NYC",
        "administration": "Biden",
    },
    {
        "fiscal_year": 2023,
        "outcome": "removal_order",
        "nationality": "GUATEMALA",
        "court": "NYC",
        "administration": "Biden",
    },
    {
        "fiscal_year": 2023,
        "outcome": "removal_order",
        "nationality": "HONDURAS",
        "court": "ARL",
        "administration": "Biden",
    },
]
DIMENSIONS = ("fiscal_year", "outcome", "nationality", "court", "judge", "administration")


@dataclass
class FakeMetric:
    name: str
    description: str
    unit: str
    dimensions: tuple[str, ...] = DIMENSIONS
    options: dict = field(
        default_factory=lambda: {"withholding_as": "relief", "include_admin_closure": False}
    )
    min_n: int | None = None


class FakeResult:
    def __init__(self, table: pa.Table, options: dict) -> None:
        self._table, self.options = table, options
        self.sql, self.exclusions, self.suppressed = "SELECT 1 -- fake", {"quarantined": 0}, None
        self.release = "sample-2026-01-01"

    def to_arrow(self) -> pa.Table:
        return self._table


class FakeStore:
    """Counts CASES; `calls` records every stats() call so tests can see what the web layer asked for."""

    def __init__(self) -> None:
        self.release = SimpleNamespace(
            id="sample-2026-01-01", is_sample=True, ingested_at="2026-01-02T00:00:00"
        )
        self.release_info = {
            "id": "sample-2026-01-01",
            "is_sample": True,
            "reconciliation": {"A_TblCase": {"expected": 6, "loaded": 6, "quarantined": 0}},
        }
        self.calls: list[tuple[str, dict]] = []
        self._metrics = [
            FakeMetric("completions", "Completed cases", "cases"),
            FakeMetric("removed_share", "Share of completions ending in removal", "share"),
        ]

    def metrics(self) -> list[FakeMetric]:
        return self._metrics

    def stats(self, metric: str, **kwargs) -> FakeResult:
        self.calls.append((metric, kwargs))
        rows = [
            case for case in CASES if all(case.get(k) == v for k, v in (kwargs.get("where") or {}).items())
        ]
        if "fiscal_years" in kwargs:
            low, high = kwargs["fiscal_years"]
            rows = [case for case in rows if low <= case["fiscal_year"] <= high]
        by = kwargs.get("by") or []
        groups: dict[tuple, list[dict]] = {}
        for case in rows:
            groups.setdefault(tuple(case[d] for d in by), []).append(case)
        out = []
        for key in sorted(groups):
            members = groups[key]
            value = (
                len(members)
                if metric == "completions"
                else sum(c["outcome"] == "removal_order" for c in members) / len(members)
            )
            out.append({**dict(zip(by, key, strict=True)), "value": value})
        options = {
            "withholding_as": "relief",
            "include_admin_closure": False,
            **(kwargs.get("options") or {}),
        }
        schema = [(d, pa.int64() if d == "fiscal_year" else pa.string()) for d in by]
        schema.append(("value", pa.int64() if metric == "completions" else pa.float64()))
        return FakeResult(pa.Table.from_pylist(out, schema=pa.schema(schema)), options)


@pytest.fixture()
def fake(monkeypatch, tmp_path):
    store = FakeStore()
    monkeypatch.setattr(immcourt, "open", lambda *args, **kwargs: store)
    from immcourt.web.app import create_app

    return store, TestClient(create_app(tmp_path))


def test_canonical_query_sorts_filters_and_drops_defaults():
    metrics = {m.name: m for m in FakeStore().metrics()}
    first = parse_view(
        [
            ("court", "ARL"),
            ("metric", "completions"),
            ("nationality", "MEXICO"),
            ("by", "fiscal_year"),
            ("opt.withholding_as", "relief"),
        ],
        metrics=metrics,
    )
    second = parse_view(
        [("metric", "completions"), ("by", "fiscal_year"), ("nationality", "MEXICO"), ("court", "ARL")],
        metrics=metrics,
    )
    assert first == second
    assert first.canonical == "metric=completions&by=fiscal_year&court=ARL&nationality=MEXICO"


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ([("metric", "nope")], "metric='nope'"),
        ([("by", "planet")], "by='planet'"),
        ([("planet", "mars")], "filter 'planet'"),
        ([("fy_from", "20x4")], "fy_from='20x4'"),
        ([("date_to", "2024-13-01")], "date_to='2024-13-01'"),
        ([("opt.colour", "red")], "opt.colour"),
        ([("opt.include_admin_closure", "maybe")], "opt.include_admin_closure"),
    ],
)
def test_bad_parameters_name_the_parameter(params, names):
    metrics = {m.name: m for m in FakeStore().metrics()}
    with pytest.raises(ViewError, match=names.replace("(", r"\(").replace(".", r"\.")):
        parse_view(params, metrics=metrics)


def test_api_stats_passes_the_query_to_the_store_and_returns_hand_counted_rows(fake):
    store, client = fake
    response = client.get(
        "/api/stats?metric=completions&by=fiscal_year&nationality=GUATEMALA&opt.include_admin_closure=true"
    )
    assert response.status_code == 200
    body = response.json()
    # GUATEMALA: FY2022 has 2 cases (rows 1-2), FY2023 has 2 (rows 4-5).
    assert body["rows"] == [{"fiscal_year": 2022, "value": 2}, {"fiscal_year": 2023, "value": 2}]
    assert body["release"] == "sample-2026-01-01" and body["sample_data"] is True
    assert body["ingested_at"] == "2026-01-02T00:00:00"
    assert body["notice"].startswith("SAMPLE DATA")
    metric, kwargs = store.calls[-1]
    assert metric == "completions"
    assert kwargs == {
        "by": ["fiscal_year"],
        "where": {"nationality": "GUATEMALA"},
        "options": {"include_admin_closure": True},
    }


def test_same_query_is_computed_once(fake):
    store, client = fake
    before = len(store.calls)
    for url in (
        "/api/stats?metric=completions&by=court",
        "/api/stats?by=court&metric=completions&fy_from=&by=",  # empty form fields of the page's own
    ):
        assert client.get(url).status_code == 200
    assert len(store.calls) == before + 1
    # an empty filter is an error, as in the Python API and the CLI
    assert client.get("/api/stats?by=court&metric=completions&nationality=").status_code == 400


def test_fiscal_years_become_a_range(fake):
    store, client = fake
    body = client.get("/api/stats?metric=removed_share&by=court&fy_from=2023").json()
    # The open end is the fiscal year of the release date (2026-01-01 falls in FY2026).
    assert store.calls[-1][1]["fiscal_years"] == (2023, 2026)
    # FY2023: ARL has 1 case, removed (1/1); NYC has 2 cases, one removed (1/2).
    assert body["rows"] == [{"court": "ARL", "value": 1.0}, {"court": "NYC", "value": 0.5}]


def test_api_errors_are_one_clear_line(fake):
    _, client = fake
    response = client.get("/api/stats?metric=completions&by=planet")
    assert response.status_code == 400
    assert "by='planet' is not a dimension of completions" in response.json()["detail"]
    page = client.get("/explore?metric=completions&by=planet")
    assert page.status_code == 400 and "by=&#39;planet&#39; is not a dimension" in page.text


def test_csv_download_is_stamped_and_matches_the_api(fake):
    _, client = fake
    query = "metric=completions&by=court&by=outcome&fy_to=2022"
    response = client.get(f"/download/view.csv?{query}")
    assert response.status_code == 200
    assert (
        'filename="SAMPLE-completions-by-court-outcome-fy-2022-sample-2026-01-01.csv"'
        in response.headers["content-disposition"]
    )
    assert not any(line.startswith("#") for line in response.text.splitlines())
    data = list(csv.DictReader(io.StringIO(response.text)))
    # FY2022: ARL removal 1, ARL relief 1, NYC removal 1.
    assert data == [
        {"data": "SAMPLE", "court": "ARL", "outcome": "relief_granted", "value": "1"},
        {"data": "SAMPLE", "court": "ARL", "outcome": "removal_order", "value": "1"},
        {"data": "SAMPLE", "court": "NYC", "outcome": "removal_order", "value": "1"},
    ]
    meta = client.get(f"/download/view.metadata.json?{query}").json()
    assert meta["notice"].startswith("SAMPLE DATA")
    assert "release sample-2026-01-01" in meta["notice"]
    assert "options: include_admin_closure=false, withholding_as=relief" in meta["notice"]
    named = client.get(
        "/download/view.csv?metric=completions&by=fiscal_year&court=ARL&opt.withholding_as=removal"
    )
    assert (
        'filename="SAMPLE-completions-by-fiscal_year-court=ARL-withholding_as=removal-sample-2026-01-01.csv"'
        in named.headers["content-disposition"]
    )


def test_parquet_and_xlsx_carry_the_stamp(fake):
    _, client = fake
    query = "metric=completions&by=fiscal_year"
    table = pq.read_table(io.BytesIO(client.get(f"/download/view.parquet?{query}").content))
    meta = json.loads(table.schema.metadata[b"immcourt"])
    assert meta["release"] == "sample-2026-01-01" and meta["is_sample"] == "true"
    assert [{k: row[k] for k in ("data", "fiscal_year", "value")} for row in table.to_pylist()] == [
        {"data": "SAMPLE", "fiscal_year": 2022, "value": 3},
        {"data": "SAMPLE", "fiscal_year": 2023, "value": 3},
    ]
    workbook = zipfile.ZipFile(io.BytesIO(client.get(f"/download/view.xlsx?{query}").content))
    sheets = workbook.read("xl/workbook.xml").decode()
    strings = workbook.read("xl/sharedStrings.xml").decode()
    assert 'name="data"' in sheets and 'name="metadata"' in sheets
    assert "sample-2026-01-01" in strings and "SAMPLE DATA" in strings


def test_pages_say_sample_and_release(fake):
    _, client = fake
    for path in (
        "/",
        "/explore?metric=completions&by=fiscal_year",
        "/methodology",
        "/release",
        "/profile/court",
        "/profile/court?value=ARL",
        "/check",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "SAMPLE DATA" in response.text and "sample-2026-01-01" in response.text, path
        assert 'name="viewport"' in response.text


def test_warm_start_computes_the_overview_before_the_first_visit(monkeypatch, tmp_path):
    import threading

    store = FakeStore()
    monkeypatch.setattr(immcourt, "open", lambda *args, **kwargs: store)
    from immcourt.web.app import create_app

    client = TestClient(create_app(tmp_path, warm=True))
    for thread in threading.enumerate():
        if thread.name == "immcourt-warm":
            thread.join(timeout=30)
    # The filter choices (nationality, court, fiscal year) and, of the overview's panels, the only one
    # whose metric the fake catalog has: completions by administration and outcome.
    assert store.calls == [
        ("completions", {"by": ["nationality"]}),
        ("completions", {"by": ["court"]}),
        ("completions", {"by": ["fiscal_year"]}),
        ("completions", {"by": ["administration", "outcome"]}),
    ]
    assert client.get("/").status_code == 200
    overview_calls = [call for call in store.calls if call[1].get("by") == ["administration", "outcome"]]
    assert len(overview_calls) == 1  # the visit was served from the cache


PARAM_POOL = [
    ("by", "fiscal_year"), ("by", "court"), ("nationality", "MEXICO"), ("court", "ARL"), ("fy_from", "2019"),
    ("fy_to", "2023"), ("date_from", "2020-01-31"), ("opt.withholding_as", "removal"),
    ("opt.include_admin_closure", "true"), ("administration", "Biden"),
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PARAM_POOL), unique=True), st.randoms(use_true_random=False))
def test_permalink_round_trips_and_ignores_parameter_order(params, rng):
    metrics = {m.name: m for m in FakeStore().metrics()}
    view = parse_view([("metric", "completions"), *params], metrics=metrics)
    shuffled = [("metric", "completions"), *params]
    rng.shuffle(shuffled)
    by_order = [value for key, value in params if key == "by"]
    reordered = parse_view(shuffled, metrics=metrics)
    # Filters and options may come in any order; the order of `by` is meaningful and is kept.
    assert list(reordered.by) == [value for key, value in shuffled if key == "by"]
    assert reordered.replace(by=tuple(by_order)) == view
    assert parse_view(parse_qsl(view.canonical), metrics=metrics) == view
