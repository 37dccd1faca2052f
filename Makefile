# The project's verbs. `make site` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test browser lint serve check generate golden bench lock clean

site: $(STAMP)
	$(PY) -m build_scripts build

test: lint browser
	$(PY) -m pytest

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check build_scripts tests
	$(VENV)/bin/ruff format --check build_scripts tests
	$(VENV)/bin/mypy

serve: $(STAMP)
	$(PY) -m build_scripts serve

check: $(STAMP)
	$(PY) -m build_scripts check

# Publish new permalinks: add every current one to anchors.lock (commit the result).
lock: $(STAMP)
	$(PY) -m build_scripts lock

generate: $(STAMP)
	$(PY) -m build_scripts generate

# Print speed figures (never asserted in tests); installs the plugins compared against.
bench: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	$(PY) -m build_scripts.bench

# Rewrite the golden Markdown of the test fixtures on purpose (review the diff before committing).
golden: $(STAMP)
	$(PY) -m tests.regenerate_goldens

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

clean:
	rm -rf build site $(VENV)
