"""A SparkSession for immcourt: the caller's, the one `spark-submit` or `SPARK_REMOTE` points at, or a
small local one.

Where Spark runs is Spark's own configuration: under `spark-submit --master URL` (or with `spark.master`
in `spark-defaults.conf`) the session joins that cluster; with `SPARK_REMOTE=sc://host:15002` it connects
to a Spark Connect server (pyspark's `connect` extra); `IMMCOURT_SPARK_MASTER=spark://host:7077` names a
master for a plain `immcourt` command. Otherwise immcourt starts `local[*]` with the web UI off and few
shuffle partitions (the tables of one release fit one machine; more partitions only add overhead).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import Any

from immcourt.engine import EngineError

LOCAL_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
# Every session: dates as written (no time zone shifts), ANSI SQL semantics (errors, not silent NULLs,
# for a bad CAST or an overflow, as in DuckDB; Spark 4's default, not Spark 3.5's).
COMMON_CONF: dict[str, str] = {"spark.sql.session.timeZone": "UTC", "spark.sql.ansi.enabled": "true"}


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """The active SparkSession, else a new one (see the module docstring). `master` (e.g. 'local[2]',
    'spark://host:7077') and `conf` override Spark's own configuration. Raises EngineError naming what to
    install when pyspark or Java is missing."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError(
            "engine spark needs PySpark: pip install 'immcourt[spark]' (and a Java 17+ runtime)"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not conf:
        return active
    builder = SparkSession.builder.appName("immcourt")
    remote = os.environ.get("SPARK_REMOTE")
    if remote and master is None:
        builder = builder.remote(remote)
    elif "PYSPARK_GATEWAY_PORT" in os.environ and master is None:
        pass  # started by spark-submit: its --master and --conf already configure the session
    else:
        if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise EngineError(
                "engine spark needs a Java runtime (17 or newer), e.g. "
                "apt-get install openjdk-17-jre-headless"
            )
        chosen = master or os.environ.get("IMMCOURT_SPARK_MASTER") or "local[*]"
        builder = builder.master(chosen)
        if chosen.startswith("local"):
            for key, value in LOCAL_CONF.items():
                builder = builder.config(key, value)
    for key, value in {**COMMON_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()

