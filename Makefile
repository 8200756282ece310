# The two entry points: `make demo` (main job on the built-in sample) and `make test`.
# Both create .venv and install what they need, so they work on a fresh machine.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SPARK_STAMP := $(VENV)/.spark-stamp

.PHONY: demo test test-long lint browser java wrk bench fuzz crash clean

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
