# stepviz: `make lab` serves the course, `make test` runs every test and notebook.
# Both create .venv on first use and install the project with its dev extras into it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NBGRADER_SERVER_EXTENSIONS := $(addprefix nbgrader.server_extensions.,formgrader assignment_list course_list validate_assignment)
# JupyterLab refuses to run as root unless told; containers and CI machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install lab test unit notebooks bench e2e html js assignments grade-demo mutate clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# nbgrader (dev extra: tests/grading runs the graders) adds its JupyterLab menus, toolbar button and server
	@# extensions; this lab is the learners' view, so they stay off here (INSTRUCTORS.md: turning them on).
	$(VENV)/bin/jupyter server extension disable --sys-prefix $(NBGRADER_SERVER_EXTENSIONS) >/dev/null 2>&1
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader >/dev/null 2>&1
	@touch $@

# JupyterLab without its news pop-up (at 1280x720 it covered an explorer's iteration slider) or update checks,
# the ways JupyterLab's "Announcements" page documents: the server options, and the Notification settings as
# defaults of this environment's JupyterLab (overrides.json in .venv; a learner can still turn them on).
# LAB_ARGS: more options, e.g. LAB_ARGS=--ServerApp.port=8890.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
lab: install
	@mkdir -p $(dir $(LAB_OVERRIDES))
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $(LAB_OVERRIDES)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks --no-browser $(ROOT_FLAG) \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(LAB_ARGS)

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
e2e: install html node_modules/axe-core/axe.min.js
	$(PY) -m pytest tests/e2e

# axe-core (tests/e2e/test_axe.py) and esbuild, at the versions package-lock.json pins.
node_modules/axe-core/axe.min.js: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The explorers' browser bundles (stepviz/live/static/, committed) from the ES modules in stepviz/live/js/, with
# the esbuild that package-lock.json pins. Only after editing those modules; the course itself needs no node.
js:
	npm ci --no-audit --no-fund && npm run build

# Static course export: every notebook executed with its widget state stored -> build/html/.
html: install
	$(PY) tools/build_html.py --out build/html

# Graded problem sets (assignments/, nbgrader): the student versions -> build/release/<set>/<set>.ipynb.
assignments: install
	$(PY) -m assignments.course release --root build

# The whole grading loop on sample submissions generated from the sources: autograde, feedback HTML
# (build/feedback/<sample>/<set>/), grades (build/grades.csv), validate; the table: build/grade-demo.md.
grade-demo: install
	$(PY) -m assignments.course demo --root build

# Prose mutation (issue 21): every number of every notebook's markdown changed in turn, the lesson tests that
# read it rerun in one persistent worker per notebook (the cores at once); report in build/mutate/report.md.
# MUTATE_ARGS e.g. "--notebooks 01 09", "--sample 5", "--seed 3", "--verify 0" (python -m tools.mutate_prose -h).
mutate: install
	$(PY) -m tools.mutate_prose $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache
