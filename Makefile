# stepviz: `make lab` serves the course, `make test` runs every test and notebook.
# Both create .venv on first use and install the project with its dev extras into it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told; containers and CI machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install lab test unit notebooks bench e2e html js clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

lab: install
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks --no-browser $(ROOT_FLAG)

# Unit tests and every notebook under nbval, in one pytest run.
test: install
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env

unit: install
	$(PY) -m pytest tests

notebooks: install
	$(PY) -m pytest --nbval-lax --nbval-current-env notebooks/

bench: install
	$(PY) -m benchmarks

# Browser tests (tests/e2e): JupyterLab from this environment on 127.0.0.1 + Debian's chromium
# (/usr/bin/chromium; .ci/run installs it), every notebook run, looked at, dragged; then the static
# export opened without a kernel. Screenshots and measurements go to build/e2e/.
e2e: install html
	$(PY) -m pytest tests/e2e

# The explorers' browser bundles (stepviz/live/static/, committed) from the ES modules in stepviz/live/js/, with
# the esbuild that package-lock.json pins. Only after editing those modules; the course itself needs no node.
js:
	npm ci --no-audit --no-fund && npm run build

# Static course export: every notebook executed with its widget state stored -> build/html/.
html: install
	$(PY) tools/build_html.py --out build/html

clean:
	rm -rf $(VENV) build .pytest_cache
