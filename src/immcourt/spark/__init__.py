"""The Spark engine: the model and the metric catalog on PySpark, from the SQL written once for DuckDB.

`session.py` makes (or adopts) a SparkSession; `connection.py` is `SparkConnection`, which takes the
DuckDB-dialect statements model/build.py and metrics/ already run, transpiles them with sqlglot and runs
them on Spark (temporary tables become checkpointed temporary views). `pip install 'immcourt[spark]'`.
"""

from __future__ import annotations

from immcourt.spark.connection import SparkConnection, to_spark_sql
from immcourt.spark.session import spark_session

__all__ = ["SparkConnection", "spark_session", "to_spark_sql"]
