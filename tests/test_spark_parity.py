"""The Spark engine against DuckDB on one small sample release: the same model relations and the same
answer for every metric x dimension x option of the catalog.

One local SparkSession (local[2], UI off, 2 shuffle partitions) serves the module. Each model option set is
built once per engine; the metric statements (compile_query's DuckDB text, one per metric x dimension x
option value, options varied one at a time from the defaults) are sent in batches, as one UNION ALL per
batch, to both engines, so Spark runs a few dozen jobs rather than thousands. A second set goes through
`Store.stats` whole (filters bound as parameters, exclusions, minimum-n suppression, the printed SQL).

Skipped, saying why, only where PySpark or Java is missing; `make test` installs both (Makefile `spark`).
"""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from immcourt.metrics.catalog import METRICS
from immcourt.metrics.compile import compile_query, make_request
from immcourt.metrics.options import OPTIONS_BY_NAME, model_options
from immcourt.model.build import MODEL_RELATIONS, model_table_name

pytestmark = [
    pytest.mark.slow,
    pytest.mark.spark,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="PySpark is not installed: pip install -e '.[spark]' (make test installs it)",
    ),
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no Java runtime: apt-get install openjdk-17-jre-headless (make test installs it)",
    ),
]

# Options that change the statement (the model, a population, a numerator or a dimension's column); the
# minimum-n options only change which cells Python hides afterwards (covered through Store.stats below).
ASYLUM_CODES_VARIANT = "ASYL"
BATCH = 40
RATE_TOLERANCE = 1e-9


def _variants(metric) -> list[dict[str, str]]:
    """The defaults, then each statement-changing option of `metric` at each other value, one at a time."""
    variants: list[dict[str, str]] = [{}]
    for option in metric.options:
        if option.kind == "integer":
            continue
        if option.kind == "codes":
            variants.append({option.name: ASYLUM_CODES_VARIANT})
            continue
        variants += [{option.name: value} for value in option.choices if value != option.default]
    return variants


def _requests():
    """(metric, by, options): every metric by no dimension and by each of its dimensions under the default
    options, and under each option variant by no dimension, by fiscal year and by each dimension the option
    reads; with IMMCOURT_SPARK_PARITY=full every dimension under every variant (about 2,500 statements, tens
    of minutes of Spark planning on 2 cores)."""
    full = os.environ.get("IMMCOURT_SPARK_PARITY") == "full"
    for metric in METRICS:
        for options in _variants(metric):
            cuts = [name for name in metric.dimensions if full or not options or name in _READS.get(
                next(iter(options)), ("fiscal_year",))]
            if "fiscal_year" in metric.dimensions and "fiscal_year" not in cuts:
                cuts.append("fiscal_year")
            for by in [(), *((name,) for name in cuts)]:
                yield metric.name, by, options


# The dimensions an option changes directly (besides every number through the model).
_READS = {
    "representation": ("represented", "fiscal_year"),
    "administration_by": ("administration", "fiscal_year"),
    "criminal_charge_rule": ("criminal_charge", "fiscal_year"),
    "aggravated_felony_rule": ("aggravated_felony", "fiscal_year"),
    "asylum_codes": ("asylum_case", "fiscal_year"),
    "withholding_as": ("outcome", "fiscal_year"),
    "admin_closure_as": ("outcome", "decision", "fiscal_year"),
    "deciding_proceeding": ("court", "judge", "outcome", "fiscal_year"),
}


@pytest.fixture(scope="module")
def spark():
    from immcourt.spark import spark_session

    session = spark_session(
        "local[2]", conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"}
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 600-case sample release with realistic defects (quarantined lines, bad dates, short rows)."""
    from immcourt.ingest import ingest_release
    from immcourt.sample import generate

    base = tmp_path_factory.mktemp("spark-parity")
    generate(cases=600, seed=23, out=base / "release", fmt="zip", quiet=True)
    ingest_release(base / "release" / "EOIR Case Data.zip", store=base / "store", progress=False)
    return base / "store"


@pytest.fixture(scope="module")
def engines(store: Path, spark):
    from immcourt.metrics.api import open_store

    duck = open_store(store)
    spk = open_store(store, engine="spark", spark=spark)
    yield duck, spk
    spk.close()
    duck.close()


def _key(row: tuple) -> tuple:
    return tuple((value is None, str(value)) for value in row)


def _same_rows(duck_rows: list[tuple], spark_rows: list[tuple], what: str) -> None:
    duck_sorted, spark_sorted = sorted(duck_rows, key=_key), sorted(spark_rows, key=_key)
    assert len(duck_sorted) == len(spark_sorted), f"{what}: {len(duck_sorted)} rows vs {len(spark_sorted)}"
    for left, right in zip(duck_sorted, spark_sorted, strict=True):
        assert len(left) == len(right), what
        for a, b in zip(left, right, strict=True):
            if isinstance(a, float) or isinstance(b, float):
                assert a is not None and b is not None, f"{what}: {left} vs {right}"
                assert math.isclose(a, b, rel_tol=0, abs_tol=RATE_TOLERANCE), f"{what}: {left} vs {right}"
            else:
                assert a == b, f"{what}: {left} vs {right}"


def test_model_relations_are_identical(engines):
    """cases, case_periods and asylum_decisions, whole, for the default model and each model option."""
    duck, spk = engines
    variants = [{}]
    for name in ("deciding_proceeding", "representation", "admin_closure_as", "administration_by"):
        option = OPTIONS_BY_NAME[name]
        variants += [{name: value} for value in option.choices if value != option.default]
    variants.append({"asylum_codes": ASYLUM_CODES_VARIANT})
    compared = 0
    for options in variants:
        duck.cases_table(options)
        spk.cases_table(options)
        resolved = model_options(make_request("completions", options=options).options)
        for relation in MODEL_RELATIONS:
            table = model_table_name(relation, resolved)
            columns = [row[0] for row in duck.connection().execute(f'DESCRIBE "{table}"').fetchall()]
            spark_columns = [row[0] for row in spk.connection().execute(f'DESCRIBE "{table}"').fetchall()]
            assert sorted(columns) == sorted(spark_columns), table
            listed = ", ".join(f'"{c}"' for c in columns)
            duck_rows = duck.connection().execute(f'SELECT {listed} FROM "{table}"').fetchall()
            spark_rows = spk.connection().execute(f'SELECT {listed} FROM "{table}"').fetchall()
            assert duck_rows, f"{table} is empty: the comparison would prove nothing"
            _same_rows(duck_rows, spark_rows, f"{relation} {options}")
            compared += 1
    assert compared == len(MODEL_RELATIONS) * len(variants)  # every persisted relation


def test_every_metric_dimension_and_option(engines):
    duck, spk = engines
    release = {"release_id": duck.release.id, "default_at": duck.release.release_date}
    by_model: dict[str, list[tuple[int, str]]] = defaultdict(list)
    requests = list(_requests())
    for number, (metric, by, options) in enumerate(requests):
        request = make_request(metric, by=by, options=options)
        sql, parameters = compile_query(request, **release)
        assert not parameters  # no filters here: nothing to bind
        dimension = f"CAST({by[0]} AS VARCHAR)" if by else "CAST(NULL AS VARCHAR)"
        wrapped = (
            f"SELECT {number} AS q, {dimension} AS d, CAST(value AS DOUBLE) AS value, "
            "CAST(numerator AS BIGINT) AS numerator, CAST(denominator AS BIGINT) AS denominator, "
            f"CAST(n AS BIGINT) AS n FROM (\n{sql}\n) AS q{number}"
        )
        by_model[request.cases_table].append((number, wrapped, options))
    answered: set[int] = set()
    for queries in by_model.values():
        duck.cases_table(queries[0][2])
        spk.cases_table(queries[0][2])
        for start in range(0, len(queries), BATCH):
            batch = queries[start : start + BATCH]
            union = "\nUNION ALL\n".join(text for _, text, _ in batch)
            duck_rows = duck.connection().execute(union).fetchall()
            spark_rows = spk.connection().execute(union).fetchall()
            _same_rows(duck_rows, spark_rows, f"batch of {[requests[n] for n, _, _ in batch][:3]}...")
            answered.update(row[0] for row in duck_rows)
    # Every request was compared, and (nearly) every one had rows to compare.
    assert len(answered) >= 0.9 * len(requests)
    counts = {
        "metrics": len(METRICS),
        "requests": len(requests),
        "model option sets": len(by_model),
    }
    dimensions = {by for _, by, _ in requests}
    variants = {(metric, tuple(sorted(options.items()))) for metric, _, options in requests}
    print(f"spark parity: {counts}, {len(dimensions)} cuts, {len(variants)} metric x option variants")
    assert counts["requests"] >= 400, counts


def _stats_calls():
    for metric in METRICS:
        yield metric.name, {}
        yield metric.name, {"by": ["fiscal_year" if "fiscal_year" in metric.dimensions else "month"]}
        yield metric.name, {"by": ["nationality"], "where": {"custody": "Detained"}, "options": {"min_n": 3}}
        yield metric.name, {"by": ["court", "fiscal_year"], "fiscal_years": (2019, 2024)}
    yield "asylum_grant_rate", {"by": ["judge"], "options": {"judge_min_decisions": 5, "grant_rate": "eoir"}}
    yield "asylum_grant_rate", {"by": ["judge", "fiscal_year"], "options": {"judge_year_min": 2}}
    yield "completions", {"where": {"criminal_charge": "yes"}, "options": {"criminal_charge_rule": "charges"}}
    yield "pending", {"at": "2020-09-30", "by": ["custody"]}
    yield "pending", {"by": ["fiscal_year"], "administration": None, "date_from": "2016-01-01"}


def test_store_stats_results_are_the_same(engines):
    """Whole Results: rows (after minimum-n), exclusions, suppressed cells, options, release, SQL dialect."""
    duck, spk = engines
    calls = list(_stats_calls())
    for metric, kwargs in calls:
        left = duck.stats(metric, **kwargs)
        right = spk.stats(metric, **kwargs)
        what = f"{metric} {kwargs}"
        assert left.table.column_names == right.table.column_names, what
        _same_rows(
            [tuple(row.values()) for row in left.to_dicts()],
            [tuple(row.values()) for row in right.to_dicts()],
            what,
        )
        assert left.exclusions == right.exclusions, what
        assert sorted(map(str, left.suppressed)) == sorted(map(str, right.suppressed)), what
        assert (left.options, left.release, left.by, left.where) == (
            right.options,
            right.release,
            right.by,
            right.where,
        ), what
        assert (left.engine, right.engine) == ("duckdb", "spark")
        assert right.sql.startswith("-- dialect: Spark SQL"), right.sql[:80]
        assert right.metadata()["engine"] == "spark" and left.metadata()["engine"] == "duckdb"
    assert len(calls) == 4 * len(METRICS) + 5
