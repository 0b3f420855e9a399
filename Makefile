# Learning PyTorch with Examples: what a person does with this repository.

# The interpreter that makes .venv: one that pyproject.toml's requires-python
# accepts (e.g. PYTHON=python3.12).
PYTHON     ?= python3
# Where the environment lives; CI keeps a second one for PyPI's torch build.
VENV       ?= .venv
SUPPORTED   = $(shell sed -n 's/^requires-python = "\(.*\)"/\1/p' pyproject.toml)
# Its programs (install/environment.py's venv_python; make.bat's %VENV%\Scripts).
BIN        := $(VENV)/bin
# Which torch build .venv gets: unset (or cuda) installs torch as PyPI serves it,
# the CUDA build on Linux; cpu installs PyTorch's CPU build on Linux (elsewhere
# PyPI's is the only build).
TORCH      ?=
# Extra uv arguments for make lock, e.g. LOCK_ARGS="--upgrade-package sphinx".
LOCK_ARGS  ?=
BUILDDIR   := _build
# Extra sphinx-build options; `make html` always makes warnings errors
# (tools.site.STRICT), `make html-draft` not.
SPHINXOPTS ?=
PORT       ?= 8000
# Regex of example paths to execute (e.g. make html EXAMPLES=autograd); empty: all.
EXAMPLES   ?=
export EXAMPLES

# sphinx-build, as tools/site.py runs it for the tests and the bench too.
SPHINXBUILD := $(BIN)/python -m tools.site build $(BUILDDIR) $(SPHINXOPTS)

# ruff's formatting and lint checks, with which both tiers of tests begin.
LINT := $(BIN)/ruff format --check . && $(BIN)/ruff check .

# pytest, warning of every text read or written with no encoding (an error in
# our code: tests/encoding_gate.py).
PYTEST := $(BIN)/python -X warn_default_encoding -m pytest

# Lighthouse, pinned by audit/package-lock.json, installed by npm into audit/.
LIGHTHOUSE := audit/node_modules/.bin/lighthouse

.PHONY: html html-draft html-noplot inventories check test audit bench gpu-record clean serve check-install lock

# What gets published: any Sphinx warning fails the build (after reporting all).
html: $(VENV)/.installed
	$(SPHINXBUILD) --strict

# For writing: warnings are printed but the build still succeeds.
html-draft: $(VENV)/.installed
	$(SPHINXBUILD)

html-noplot: $(VENV)/.installed
	$(SPHINXBUILD) -D plot_gallery=0

# The inventories of the documentation that the examples' code links to (the
# standard library is enough); a build links to those it finds.
inventories:
	$(PYTHON) -m tools.inventories

# The fast tier: ruff, and the unit tests of every extension and tool; no build.
check: $(VENV)/.installed
	$(LINT)
	$(PYTEST) tests/unit

# Everything: ruff, then every test, the unit tests among those that build, run
# and open the site, on two workers (pytest-xdist), each file on one of them.
test: $(VENV)/.installed
	$(LINT)
	$(PYTEST) -n 2 --dist loadfile

# Lighthouse's mobile audit of every page of the built site (needs Chromium).
audit: html $(LIGHTHOUSE)
	$(BIN)/python -m audit.lighthouse $(BUILDDIR)/html

$(LIGHTHOUSE): audit/package.json audit/package-lock.json
	npm ci --prefix audit --no-audit --no-fund --loglevel=error
	touch $@

bench: $(VENV)/.installed
	$(BIN)/python -m bench.build_speed

# On a machine with an accelerator: add its run of the timing page to the site.
gpu-record: $(VENV)/.installed
	GPU_RECORD_COMMAND="make gpu-record" $(BIN)/python -m bench.gpu_record

# _build and what the build generated in docs/ (the standard library is enough).
clean:
	$(PYTHON) -m tools.site clean $(BUILDDIR)

# A port that cannot be used gets one line, not a traceback.
serve:
	$(BIN)/python -m tools.site serve $(BUILDDIR)/html $(PORT)

# Both resolve with uv, which only these two install (the lock group).
check-install: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --group lock
	$(BIN)/python -m install.check

lock: $(VENV)/.installed
	$(BIN)/python -m pip install --constraint constraints.txt --group lock
	$(BIN)/python -m install.lock $(LOCK_ARGS)

# The environment is made once, and remade when the pins change or another torch
# build is asked for (install/environment.py, which make.bat runs too). make
# asks it only when the stamp is older than the pins or names another build
# than TORCH does (cuda: PyPI's, "default"); unset, TORCH keeps the stamp's.
WANTED_BUILD := $(patsubst cuda,default,$(TORCH))
$(VENV)/.installed: pyproject.toml constraints.txt $(if $(WANTED_BUILD),$(if $(filter $(WANTED_BUILD),$(shell cat $(VENV)/.installed 2>/dev/null)),,FORCE))
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python $(SUPPORTED), or name one, e.g. make html PYTHON=python3.12"; exit 1; }
	@$(PYTHON) install/environment.py --venv $(VENV) --torch "$(TORCH)" --python $(PYTHON)

.PHONY: FORCE
FORCE:
