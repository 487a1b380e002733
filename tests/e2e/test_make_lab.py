"""`make lab` starts JupyterLab with its news and update checks off (issue 16, item 8): the settings JupyterLab's
front end reads say so, and the server's own news and update endpoints answer with nothing."""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import REPO
from lab_server import free_port


def get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_make_lab_turns_news_and_update_checks_off():
    port, token = free_port(), secrets.token_hex(16)
    home = Path(tempfile.mkdtemp(prefix="stepviz-make-lab-"))
    # A learner's own Jupyter folders stay out of it: empty ones here.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    with open(home / "lab.log", "wb") as log:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "lab",
             f"LAB_ARGS=--ServerApp.port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (home / "lab.log").read_text(errors="replace")[-3000:]
            try:
                get(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert time.monotonic() < deadline, "make lab did not start JupyterLab within 90 s"
                time.sleep(0.3)
        notification = get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification", token)
        # What the front end uses: the learner's own setting, else the schema's default (where overrides.json goes)
        props = notification["schema"]["properties"]
        shown = {k: notification.get("settings", {}).get(k, props[k]["default"]) for k in ("fetchNews", "checkForUpdates")}
        assert shown == {"fetchNews": "false", "checkForUpdates": False}, shown
        news = get(f"{base}/lab/api/news", token)
        assert news.get("news", []) == [], news
        update = get(f"{base}/lab/api/update", token)
        assert not update.get("notification"), update
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group make started: make, JupyterLab
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
