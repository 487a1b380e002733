"""Start and stop a JupyterLab server for the browser tests.

The server runs from the Python environment that runs pytest (the project's .venv under `make e2e`), on
127.0.0.1 with a random token, over a *copy* of the notebooks (so no output is ever saved into the
repository's notebooks), with every Jupyter directory (config, data, runtime, user settings, workspaces,
IPython profile) inside a temporary folder: a developer's own ~/.jupyter settings, user kernelspecs or
saved workspaces cannot change what the test sees, and the settings the test needs are written there.

Everything started here is stopped by PID: the kernels through the REST API first, then the server,
then any process the server left behind (found as its children when the server was still up).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# Settings a learner would not need but a robot does. Written as JupyterLab user settings in the
# server's private settings directory (the same effect as overrides.json, without touching the venv).
LAB_SETTINGS = {
    # JupyterLab 4 attaches only the cells in (or near) the viewport to the DOM; the test needs all.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # No news / update toast on top of the widgets, and no request to the internet for either.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    for plugin_id, values in LAB_SETTINGS.items():
        package, plugin = plugin_id.split(":")
        path = settings_dir / package / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


class LabServer:
    """A JupyterLab server on 127.0.0.1 serving a copy of `notebooks_dir`."""

    def __init__(self, notebooks_dir: Path, workdir: Path, python: str = sys.executable):
        self.python = python
        self.workdir = Path(workdir)
        self.root = self.workdir / "notebooks"
        shutil.copytree(
            notebooks_dir, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
        )
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "jupyterlab.log"
        self._children: set[int] = set()
        self._log = None

    # -- environment ---------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        home = self.workdir / "home"
        dirs = {
            "JUPYTER_CONFIG_DIR": home / "config",
            "JUPYTER_DATA_DIR": home / "data",
            "JUPYTER_RUNTIME_DIR": home / "runtime",
            "JUPYTERLAB_SETTINGS_DIR": home / "lab-user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
            "IPYTHONDIR": home / "ipython",
            "MPLCONFIGDIR": home / "matplotlib",
        }
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        _write_settings(dirs["JUPYTERLAB_SETTINGS_DIR"])
        # For checking that the test sees a broken install: STEPVIZ_E2E_DISABLE_EXTENSIONS=
        # "@jupyter-widgets/jupyterlab-manager" makes every widget fall back to its text repr.
        disabled = [x for x in os.environ.get("STEPVIZ_E2E_DISABLE_EXTENSIONS", "").split(",") if x]
        if disabled:
            labconfig = dirs["JUPYTER_CONFIG_DIR"] / "labconfig"
            labconfig.mkdir(parents=True, exist_ok=True)
            (labconfig / "page_config.json").write_text(
                json.dumps({"disabledExtensions": {name: True for name in disabled}}))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
        env.update({k: str(v) for k, v in dirs.items()})
        # The kernel is the environment's own python (jupyter_client maps the kernelspec's "python"
        # to the server's interpreter); put its bin first on PATH for anything the notebooks spawn.
        env["PATH"] = str(Path(self.python).parent) + os.pathsep + env.get("PATH", "")
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def command(self) -> list[str]:
        return [
            self.python, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            # JupyterLab refuses to start as root without this; CI and containers run as root.
            "--ServerApp.allow_root=True",
            # Expose window.jupyterapp so the test can ask the app (kernel status, run-all) directly.
            "--LabApp.expose_app_in_browser=True",
            # No server-side call to the internet for news or updates.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.terminals_enabled=False",
        ]

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> "LabServer":
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            self.command(), env=self.env(), cwd=self.root, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log()}")
            try:
                self.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log()}")
                time.sleep(0.25)
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    def api(self, method: str, path: str, body=None, timeout: float = 10.0):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path, data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def url(self, path: str, query: str = "") -> str:
        return f"{self.base_url}{path}?{query + '&' if query else ''}token={self.token}"

    def _remember_children(self) -> None:
        """Note the PIDs of the server's descendants (kernels), to end any that outlive it."""
        if self.proc is None:
            return
        try:
            import psutil  # a dependency of ipykernel, so present wherever the kernel is
        except ImportError:  # pragma: no cover
            return
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                self._children.add(child.pid)
        except psutil.Error:
            pass

    def shutdown_kernels(self) -> None:
        """Shut down every session and kernel through the server (as the Lab UI would)."""
        self._remember_children()
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)
        except Exception:  # the server may already be gone; the PID kill below still runs
            pass

    def stop(self) -> None:
        if self.proc is None:
            return
        self.shutdown_kernels()
        if self.proc.poll() is None:
            try:
                self.api("POST", "/api/shutdown", timeout=10)
            except Exception:
                pass
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        _kill_pids(self._children)
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None


def _kill_pids(pids) -> None:
    """SIGTERM, then SIGKILL, the given PIDs that are still alive (each by its own PID)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover
        return
    procs = []
    for pid in pids:
        try:
            p = psutil.Process(pid)
            p.terminate()
            procs.append(p)
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=5)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
