# The two commands of the README: `make site` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: site test validate lint golden clean setup browser-deps

setup: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

site: $(STAMP)  ## validate, write the datasets, build the site into site/
	$(BIN)/python build_site.py build

validate: $(STAMP)
	$(BIN)/python build_site.py validate

test: $(STAMP) browser-deps  ## run every test (the browser tests drive Debian's chromium)
	$(BIN)/python -m pytest

# Debian's chromium for the browser tests; Playwright never downloads a browser of its own.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check congkhai tests build_site.py
	$(BIN)/ruff format --check congkhai tests build_site.py
	$(BIN)/mypy congkhai

golden: $(STAMP)  ## regenerate golden files after a deliberate change; review the diff
	$(BIN)/python -m tests.golden
	$(BIN)/python -m tests.test_opendata

clean:
	rm -rf site .site-* .pytest_cache
