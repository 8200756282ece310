"""The Spark engine next to DuckDB on one store, in the same run (for information; docs/BENCHMARKS.md).

For each engine: attach the release, build the model (default options, from scratch: DuckDB's persisted copy
is not read), then every metric of the catalog in total and by fiscal year (the same compiled statements).
Spark runs in local mode on this machine (local[*]), so this measures its overhead, not a cluster.

    .venv/bin/python bench/spark.py --store STORE            # a store holding e.g. a 200,000-case sample
    .venv/bin/python bench/spark.py --cases 200000           # ingests bench/out/sample-200000 first
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import duckdb


def _timed(step):
    start = time.perf_counter()
    value = step()
    return value, time.perf_counter() - start


def measure(engine: str, release, session=None) -> dict[str, float]:
    """Seconds per phase for one engine."""
    from immcourt.metrics.catalog import METRICS
    from immcourt.metrics.compile import compile_query, make_request
    from immcourt.model.build import attach_release, build_cases

    release_dir = release.path.resolve()
    if engine == "spark":
        from immcourt.spark import SparkConnection

        con = SparkConnection(session)
    else:
        con = duckdb.connect(":memory:")
    _, attach = _timed(lambda: attach_release(con, release_dir=release_dir))
    _, build = _timed(lambda: build_cases(con, release_dir=None))
    totals = by_year = 0.0
    for metric in METRICS:
        for by, bucket in (((), "total"), (("fiscal_year",), "by_year")):
            request = make_request(metric.name, by=by)
            sql, parameters = compile_query(request, release_id=release.id, default_at=release.release_date)
            _, seconds = _timed(lambda: con.sql(sql, params=parameters).to_arrow_table())  # noqa: B023
            if bucket == "total":
                totals += seconds
            else:
                by_year += seconds
    con.close()
    return {
        "attach_s": round(attach, 2),
        "model_build_s": round(build, 2),
        "every_metric_total_s": round(totals, 2),
        "every_metric_by_fiscal_year_s": round(by_year, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store (its newest release is used)")
    parser.add_argument("--cases", type=int, default=200_000, help="sample size when no --store is given")
    parser.add_argument("--master", default="local[*]")
    args = parser.parse_args()
    from immcourt.metrics.api import open_store
    from immcourt.spark import spark_session

    if args.store is None:
        from bench.common import store_dir

        args.store = store_dir(args.cases)
    release = open_store(args.store).release
    session, start = _timed(lambda: spark_session(args.master))
    results = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
        "load_before": os.getloadavg(),
        "store": str(args.store),
        "spark_session_start_s": round(start, 2),
        "duckdb": measure("duckdb", release),
        "spark": measure("spark", release, session),
        "load_after": os.getloadavg(),
    }
    import pyspark

    results["pyspark"] = pyspark.__version__
    results["duckdb_version"] = duckdb.__version__
    print(json.dumps(results, indent=2))
    session.stop()


if __name__ == "__main__":
    main()
