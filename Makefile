# gcsched — everything installs from this file and pyproject.toml.
#   make demo   the main job end to end on the embedded sandbox
#   make test   lint, types, layer contracts and the test suite with coverage

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint typecheck contracts pytest chromium promtool postgresql bench clean

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

# Outside tools some tests need, from Debian, installed when missing (root only):
# chromium drives the browser tests, promtool (package prometheus) checks the
# metrics file, postgresql's server binaries run the throwaway cluster of the
# PostgreSQL state backend's tests (tests/pg_cluster.py). A policy-rc.d that exits 101 stands in place while apt runs, so
# no service (the Prometheus server, PostgreSQL's main cluster) is started; a policy-rc.d that was there is
# put back. Not installable: the tests skip locally, but under CI=true the target
# fails (and tests/required_tools.py turns the skip into an error too).
# $(call debian_tool,PACKAGE,EXECUTABLE,WHAT NEEDS IT)
define debian_tool
	@if [ ! -x $(2) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian's $(1) for $(3)"; \
	    policy=/usr/sbin/policy-rc.d; saved=; \
	    if [ -e $$policy ]; then mv $$policy $$policy.gcsched-saved; saved=1; fi; \
	    printf '#!/bin/sh\nexit 101\n' > $$policy; chmod 755 $$policy; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null); \
	    rm -f $$policy; if [ -n "$$saved" ]; then mv $$policy.gcsched-saved $$policy; fi; \
	  fi; \
	  if [ ! -x $(2) ]; then \
	    if [ "$$CI" = "true" ]; then \
	      echo "$(2) is missing and could not be installed (as root, make installs it): under CI=true that fails" >&2; \
	      exit 1; \
	    fi; \
	    echo "$(2) is missing and could not be installed: $(3) will be skipped"; \
	  fi; \
	fi
endef

chromium:
	$(call debian_tool,chromium,/usr/bin/chromium,the browser tests)

promtool:
	$(call debian_tool,prometheus,/usr/bin/promtool,the promtool check of the metrics file)

# The server binaries live under /usr/lib/postgresql/VERSION/bin (not on PATH):
# looked for again after the install, whichever version Debian has.
postgresql:
	$(call debian_tool,postgresql,"$$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n 1)",the PostgreSQL state backend tests)

pytest: install chromium promtool postgresql
	$(VENV)/bin/pytest -q -p no:cacheprovider --cov --cov-report=term

test: lint typecheck contracts pytest

bench: install
	$(PY) bench/plan_scale.py
	$(PY) bench/sandbox_throughput.py
	$(PY) bench/apply_throughput.py
	$(PY) bench/conflicts_scale.py

clean:
	rm -rf $(VENV) .gcsched .coverage .coverage.* .mypy_cache .ruff_cache .pytest_cache
