"""A SparkSession for newslint's command line and tests."""
from __future__ import annotations

import os
import sys

from pyspark.sql import SparkSession


def session(master: str | None = None, conf: dict[str, str] | None = None) -> SparkSession:
    """The active session, or a new one. Launched by `spark-submit`, the
    master and settings are spark-submit's; otherwise `master` (default
    local[*], all cores of this machine). Python workers run this
    interpreter, so they import the same newslint."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("newslint")
    settings = {"spark.ui.showConsoleProgress": "false"}
    if master is not None or "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = master or "local[*]"
        builder = builder.master(master)
        if master.startswith("local"):  # one machine: a few shuffle partitions, not 200
            settings["spark.sql.shuffle.partitions"] = str(2 * _cores(master))
    for key, value in {**settings, **(conf or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _cores(master: str) -> int:
    """The cores of local[N] / local[*] / local."""
    inside = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
    return os.cpu_count() or 1 if inside.strip() in ("*", "") else max(1, int(inside.split(",")[0]))
