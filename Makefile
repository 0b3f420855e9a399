# Learning PyTorch with Examples: what a person does with this repository.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
BUILDDIR   := _build
# Extra sphinx-build options; `make html` always adds STRICT, `make html-draft` not.
SPHINXOPTS ?=
STRICT     := -W --keep-going
PORT       ?= 8000
# Regex of example paths to execute (e.g. make html EXAMPLES=autograd); empty: all.
EXAMPLES   ?=
export EXAMPLES

# Sphinx's cache goes beside the site, not into it: _build/html is what gets published.
SPHINXBUILD := $(BIN)/sphinx-build -b html -c . -d $(BUILDDIR)/doctrees $(SPHINXOPTS) docs $(BUILDDIR)/html

# Lighthouse, pinned by audit/package-lock.json, installed by npm into audit/.
LIGHTHOUSE := audit/node_modules/.bin/lighthouse

.PHONY: html html-draft html-noplot test audit bench gpu-record clean serve

# What gets published: any Sphinx warning fails the build (after reporting all).
html: $(VENV)/.installed
	$(SPHINXBUILD) $(STRICT)

# For writing: warnings are printed but the build still succeeds.
html-draft: $(VENV)/.installed
	$(SPHINXBUILD)

html-noplot: $(VENV)/.installed
	$(SPHINXBUILD) -D plot_gallery=0

test: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/pytest

# Lighthouse's mobile audit of every page of the built site (needs Chromium).
audit: html $(LIGHTHOUSE)
	$(BIN)/python audit/lighthouse.py $(BUILDDIR)/html

$(LIGHTHOUSE): audit/package.json audit/package-lock.json
	npm ci --prefix audit --no-audit --no-fund --loglevel=error
	touch $@

bench: $(VENV)/.installed
	$(BIN)/python bench/build_speed.py

# On a machine with an accelerator: add its run of the timing page to the site.
gpu-record: $(VENV)/.installed
	GPU_RECORD_COMMAND="make gpu-record" $(BIN)/python bench/gpu_record.py

clean:
	rm -rf $(BUILDDIR) docs/auto_examples docs/gen_modules docs/sg_execution_times.rst

serve:
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILDDIR)/html $(PORT)

# The environment is made once and remade when the pins change.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint constraints.txt pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --group test --group bench
	touch $@
