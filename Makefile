# gcsched — everything installs from this file and pyproject.toml.
#   make demo   the main job end to end on the embedded sandbox
#   make test   lint, types, layer contracts and the test suite with coverage

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint typecheck contracts pytest chromium bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/gcsched demo

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: install
	$(VENV)/bin/mypy

contracts: install
	$(VENV)/bin/lint-imports

# Browser tests drive Debian's chromium; install it when missing (root only).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi

pytest: install chromium
	$(VENV)/bin/pytest -q -p no:cacheprovider --cov --cov-report=term

test: lint typecheck contracts pytest

bench: install
	$(PY) bench/plan_scale.py
	$(PY) bench/sandbox_throughput.py
	$(PY) bench/apply_throughput.py

clean:
	rm -rf $(VENV) .gcsched .coverage .coverage.* .mypy_cache .ruff_cache .pytest_cache
