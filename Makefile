# The two entry points: `make demo` (main job on the built-in sample) and `make test`.
# Both create .venv and install what they need, so they work on a fresh machine.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SPARK_STAMP := $(VENV)/.spark-stamp

.PHONY: demo test test-long lint browser java wrk bench bench-metrics bench-full bench-startup fuzz crash clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's chromium drives the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The Spark engine's parity test (tests/test_spark_parity.py) runs PySpark in local mode: Debian's Java 17
# runtime (PySpark 3.5 and 4.x both run on it) when `java` is missing, and the `spark` extra.
java:
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    openjdk-17-jre-headless >/dev/null; }

$(SPARK_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,spark]'
	touch $(SPARK_STAMP)

# wrk is the load generator of bench/web.py.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

demo: $(STAMP)
	$(VENV)/bin/immcourt demo --out demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

test: $(STAMP) $(SPARK_STAMP) browser java lint
	$(PY) -m pytest -n 2 --dist loadfile

# The SQL model against the plain-Python reference on 500 generated releases, every metric and option
# (tests/test_reference_model.py; `make test` runs 12). Each release asks every metric in total, by one
# random dimension (IMMCOURT_REFERENCE_CUTS=all: every one), a two-way cut and a filter, and pending at
# six dates and as series: ~20 min of CPU.
test-long: $(STAMP)
	IMMCOURT_REFERENCE_EXAMPLES=500 IMMCOURT_REFERENCE_CUTS=one $(PY) -m pytest -q \
	  tests/test_reference_model.py

bench: $(STAMP) wrk
	$(PY) bench/sample_generate.py && $(PY) bench/ingest.py && $(PY) bench/metrics.py \
	  && $(PY) bench/claims.py && $(PY) bench/web.py && $(PY) bench/web_mixed.py

# The full-size benchmark (docs/BENCHMARKS.md, "Full size"): a generated 200,000-case sample grown to 2M and
# 12M cases (~45M tbl_schedule rows, ~16 GB) by ../shared/tools/scaleup.py under $(BENCH_FULL_DATA), then ingest
# (folder, and zip up to 2M) beside a bare DuckDB load, the model build, every metric by one dimension and the
# pending series, each with time and peak RSS; and tbl_schedule's 45M rows ingested alone. Needs ~60 GB of
# disk and, on 2 cores, about an hour at 2M and several at 12M (BENCH_FULL_CASES=200000,2000000 for less).
BENCH_FULL_DATA ?= /work/data
BENCH_FULL_CASES ?= 200000,2000000,12000000
bench-full: $(STAMP)
	IMMCOURT_BENCH_DATA=$(BENCH_FULL_DATA) $(PY) bench/full_size.py run --cases $(BENCH_FULL_CASES)
	IMMCOURT_BENCH_DATA=$(BENCH_FULL_DATA) $(PY) bench/full_size.py table --cases 12000000 --table tbl_schedule

# Start-up of `immcourt stats METRIC --by DIMENSION` in a new process (issue 11, fast start): the stores
# bench-full ingested, beside bare DuckDB running the same statement and the immcourt of git revision
# BENCH_BASE, median of 5 runs each (bench/startup.py; a few minutes). Prefer a quiet machine (load < 2.5).
BENCH_BASE ?= main
bench-startup: $(STAMP)
	IMMCOURT_BENCH_DATA=$(BENCH_FULL_DATA) $(PY) bench/startup.py --base $(BENCH_BASE) \
	  --store 200k=$(BENCH_FULL_DATA)/bench-out/200k/store --store 2m=$(BENCH_FULL_DATA)/bench-out/2m/store

# Issue 8 and 15's timings on the 1,000,000-case sample: the model build, every metric, pending at a date
# and by month with hand-written DuckDB baselines (bench/metrics.py), and an 800-word article checked
# (bench/claims.py --timing-only). The sample and its store are made on first use in BENCH_DATA (about
# 2-6 min to generate, 1-3 min to ingest) and reused after; `make bench-metrics BENCH_DATA=/work/data`
# shares them between clones.
BENCH_DATA ?= bench/out
bench-metrics: $(STAMP)
	IMMCOURT_BENCH_DATA=$(BENCH_DATA) $(PY) bench/metrics.py \
	  && IMMCOURT_BENCH_DATA=$(BENCH_DATA) $(PY) bench/claims.py --timing-only

# Long reliability runs (docs/RELIABILITY.md): mutated releases must be refused in one line or reconciled;
# SIGKILLed release replacements must leave the release readable and nothing behind after the next run.
FUZZ_RELEASES ?= 10000
fuzz: $(STAMP)
	$(PY) -m tests.fuzz_release --releases $(FUZZ_RELEASES) --out bench/out/fuzz.json

CRASH_RUNS ?= 100
crash: $(STAMP)
	$(PY) -m tests.crash_release --runs $(CRASH_RUNS) --out bench/out/crash.json

clean:
	rm -rf demo bench/out test-artifacts .pytest_cache
