# The project's verbs. `make site` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ZENSICAL_VENV := .venv-zensical
ZENSICAL_STAMP := $(ZENSICAL_VENV)/.installed
# Lighthouse for the bench only, from its own lockfile, in a folder of its own (not node_modules).
BENCH_NODE := build/bench-node
BENCH_NODE_STAMP := $(BENCH_NODE)/.installed

.PHONY: site new example offline zensical test browser java pandoc lint serve check generate golden bench lighthouse lock clean

site: $(STAMP) $(NODE_STAMP)
	$(PY) -m build_scripts build

# A new project of your own, in a folder of your choosing (make new DIR=~/my-review): an invented
# example study to replace, which builds there with `make site` and `make test`.
new: $(STAMP) $(NODE_STAMP)
	@test -n "$(DIR)" || { echo "name the new project's folder: make new DIR=path/to/folder" >&2; exit 2; }
	$(PY) -m build_scripts new "$(DIR)"

# A fictional review of three invented studies (examples/review), into examples/review/site.
example: $(STAMP) $(NODE_STAMP)
	$(PY) -m build_scripts build --root examples/review --config mkdocs.yml

# The copy that opens from the file system (file://), search included: site-offline/index.html.
offline: $(STAMP) $(NODE_STAMP)
	$(PY) -m build_scripts build --offline

# Build the same generated Markdown with Zensical (Material for MkDocs reaches end of life on
# 2027-05-05) and compare the two sites page by page; fails when they differ.
zensical: site $(ZENSICAL_STAMP)
	$(PY) -m build_scripts build --engine zensical --config mkdocs.zensical.yml --site build/site-zensical
	$(PY) -m build_scripts.tools.compare site build/site-zensical

test: lint browser java pandoc $(NODE_STAMP)
	$(PY) -m pytest

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Java from Debian for the Nu HTML Checker (npm vnu-jar), which checks every page is valid HTML.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing Debian's default-jre-headless for the HTML checker"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

# Pandoc from Debian reads the 'Cite this' BibTeX back, as a client nobody here wrote.
pandoc:
	@command -v pandoc >/dev/null 2>&1 || { \
	  echo "installing Debian's pandoc to read the BibTeX exports back"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pandoc >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check build_scripts tests
	$(VENV)/bin/ruff format --check build_scripts tests
	$(VENV)/bin/mypy

serve: $(STAMP) $(NODE_STAMP)
	$(PY) -m build_scripts serve

check: $(STAMP)
	$(PY) -m build_scripts check

# Publish new permalinks: add every current one to anchors.lock (commit the result).
lock: $(STAMP)
	$(PY) -m build_scripts lock

generate: $(STAMP) $(NODE_STAMP)
	$(PY) -m build_scripts generate

# Print speed figures (never asserted in tests); installs the plugins compared against, and
# Lighthouse, whose scores it prints last.
bench: $(STAMP) $(NODE_STAMP) $(BENCH_NODE_STAMP) browser
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	$(PY) -m build_scripts.tools.bench

# Only the Lighthouse part of the bench (a few minutes); LIGHTHOUSE_ARGS="--site DIR" measures a
# site built elsewhere, "--url URL" one already served.
lighthouse: $(STAMP) $(NODE_STAMP) $(BENCH_NODE_STAMP) browser
	$(PY) -m build_scripts.tools.bench --lighthouse-only $(LIGHTHOUSE_ARGS)

# Rewrite the golden Markdown of the test fixtures on purpose (review the diff before committing).
golden: $(STAMP) $(NODE_STAMP)
	$(PY) -m tests.regenerate_goldens

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

$(ZENSICAL_STAMP): requirements-zensical.lock
	test -x $(ZENSICAL_VENV)/bin/python || $(PYTHON) -m venv $(ZENSICAL_VENV)
	$(ZENSICAL_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.lock
	touch $(ZENSICAL_STAMP)

# Front-end files from package-lock.json: Mermaid and the iframe-worker shim are vendored into the
# site (no CDN), axe-core is injected by the accessibility tests.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's nodejs and npm for the front-end packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(BENCH_NODE_STAMP): build_scripts/tools/bench-node/package.json build_scripts/tools/bench-node/package-lock.json
	mkdir -p $(BENCH_NODE)
	cp $^ $(BENCH_NODE)/
	cd $(BENCH_NODE) && npm ci --no-audit --no-fund --loglevel=error
	touch $(BENCH_NODE_STAMP)

clean:
	rm -rf build site site-offline node_modules $(VENV) $(ZENSICAL_VENV)
