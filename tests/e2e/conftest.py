"""Browser-level tests: JupyterLab + Debian's chromium driven by Playwright.

How these tests stay out of `make test`
---------------------------------------
`make test` runs `pytest tests notebooks ...`, which walks into tests/e2e. The hook
`pytest_ignore_collect` below (a conftest hook applies to the paths under its own folder) tells pytest
to skip this folder unless the browser tests were asked for, either

* by naming tests/e2e (or a file in it) on the command line: `pytest tests/e2e`, as `make e2e` does, or
* by setting STEPVIZ_E2E=1 (e.g. `STEPVIZ_E2E=1 pytest tests`).

So the unit/nbval run never starts a browser or a server, and a plain `pytest tests/e2e` does run them.

Other knobs (environment variables):
* STEPVIZ_E2E_NOTEBOOKS: a folder of notebooks to test instead of notebooks/ (for trying the test on a
  scratch notebook).
* STEPVIZ_CHROMIUM: the browser binary (default /usr/bin/chromium; never `playwright install`).
* STEPVIZ_E2E_ARTIFACTS: where screenshots and the measurements (report.json) go (default build/e2e).
* STEPVIZ_E2E_DISABLE_EXTENSIONS: comma-separated JupyterLab extensions to disable, to see the test
  fail the way a broken install does (package or plugin ids, e.g. @jupyter-widgets/jupyterlab-manager,
  matplotlib-jupyter:main).
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))  # the helper modules beside this file


def _requested(config) -> bool:
    if os.environ.get("STEPVIZ_E2E", "") not in ("", "0"):
        return True
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    if not _requested(config):
        return True
    return None


# --------------------------------------------------------------------------------------------------
# Paths and the list of notebooks
# --------------------------------------------------------------------------------------------------
def notebooks_dir() -> Path:
    return Path(os.environ.get("STEPVIZ_E2E_NOTEBOOKS", REPO / "notebooks")).resolve()


def notebook_names() -> list[str]:
    return sorted(p.name for p in notebooks_dir().glob("*.ipynb"))


def pytest_generate_tests(metafunc):
    # Parametrised over whatever notebooks exist when the tests are collected.
    if "notebook" in metafunc.fixturenames:
        metafunc.parametrize("notebook", notebook_names())


CHROMIUM = os.environ.get("STEPVIZ_CHROMIUM", "/usr/bin/chromium")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("STEPVIZ_E2E_ARTIFACTS", REPO / "build" / "e2e"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------------------------------
# Measurements: collected by the tests, printed at the end and written to report.json
# --------------------------------------------------------------------------------------------------
_REPORT: dict[str, dict] = {}


@pytest.fixture(scope="session")
def e2e_report(artifacts):
    yield _REPORT
    if _REPORT:
        (artifacts / "report.json").write_text(json.dumps(_REPORT, indent=2, sort_keys=True))


def pytest_terminal_summary(terminalreporter):
    if not _REPORT:
        return
    tr = terminalreporter
    tr.section("stepviz e2e measurements")
    for key in sorted(_REPORT):
        tr.write_line(f"{key}: {json.dumps(_REPORT[key], sort_keys=True)}")


# --------------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium chromium-driver), "
            "as .ci/run does. Do not run `playwright install` (it downloads a browser)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def cdp_port():
    """The browser's DevTools port: the drag figures' mouse moves at a fixed rate through it (free_mouse.py)."""
    import free_mouse

    return free_mouse.free_port()


@pytest.fixture(scope="session")
def browser(playwright_instance, cdp_port):
    import free_mouse

    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                  args=[free_mouse.debugging_flag(cdp_port)])
    yield browser
    browser.close()


class NetworkGuard:
    """Routes every request of a browser context: loopback, data: and blob: go through, all else is
    aborted and remembered, so the test can fail on it."""

    def __init__(self, context):
        self.context = context
        self.blocked: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.http_errors: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or (parts.scheme in ("http", "https", "ws", "wss", "file")
                                                 and (parts.hostname or "") in LOOPBACK_HOSTS | {""}):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def watch(self, page):
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("response", lambda r: r.status >= 400 and self.http_errors.append(f"HTTP {r.status} {r.url}"))
        return page

    def close(self):
        try:
            self.context.unroute_all(behavior="ignoreErrors")
        except Exception:
            pass
        self.context.close()


@pytest.fixture
def new_context(browser):
    """Factory: a fresh browser context (own cookies/storage) with the network guard installed."""
    guards: list[NetworkGuard] = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 1400, "height": 1000})
        context = browser.new_context(**kwargs)
        context.set_default_timeout(30_000)
        guard = NetworkGuard(context)
        guards.append(guard)
        return guard

    yield make
    for guard in guards:
        guard.close()


# --------------------------------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def lab(artifacts):
    from lab_server import LabServer

    workdir = Path(tempfile.mkdtemp(prefix="stepviz-e2e-lab-"))
    server = LabServer(notebooks_dir(), workdir)
    atexit.register(server.stop)  # also on an interrupted run; stop() is idempotent
    previous = signal.getsignal(signal.SIGTERM)
    if previous in (signal.SIG_DFL, None):
        # A terminated pytest still runs its teardown (and so stops the server and kernels by PID).
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        server.start()
        yield server
    finally:
        # Whatever happened: kernels, then the server, by PID.
        server.stop()
        log = server.log()
        (artifacts / "jupyterlab.log").write_text(log)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def lab_cleanup(lab):
    """Shut down every kernel the test started, pass or fail."""
    yield
    lab.shutdown_kernels()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if not lab.api("GET", "/api/kernels"):
                break
        except Exception:
            break
        time.sleep(0.2)


@pytest.fixture
def watched_page(lab, lab_cleanup, new_context):
    """A new page in a fresh context on the running lab; the test fails if the page raised a JS error."""
    guard = new_context()
    page = guard.watch(guard.context.new_page())
    yield page
    assert not guard.page_errors, guard.page_errors
