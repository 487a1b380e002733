"""A mouse that moves at a fixed rate, as a real one does, for the drag figures (frames per second).

Playwright's ``mouse.move`` waits until the page has handled each move before the next can be sent: moves
paced by the page and by the driver's round trip (Python -> node -> Chromium and back), 30-50 ms each on
this 2-core machine, so a drag measured that way counted the driver's round trips, not the page's frames.
A learner's mouse reports every 8-16 ms whatever the page does, and Chromium hands the page at most one
(coalesced) move per frame. This one talks to the page's DevTools endpoint directly (the browser started
with ``--remote-debugging-port``) and sends ``Input.dispatchMouseEvent`` at the rate asked, reading the
answers only at the end.
"""
from __future__ import annotations

import json
import socket
import time
import urllib.request

import websocket  # websocket-client (jupyter_server's own dependency)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def debugging_flag(port: int) -> str:
    return f"--remote-debugging-port={port}"


class FreeRunningMouse:
    """Mouse events for the one page whose address contains ``url_part``, on the browser's DevTools ``port``."""

    def __init__(self, port: int, url_part: str):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
            targets = [t for t in json.load(r) if t.get("type") == "page" and url_part in t.get("url", "")]
        if len(targets) != 1:
            raise LookupError(f"{len(targets)} pages at {url_part!r} on DevTools port {port}, expected one")
        self._ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], suppress_origin=True, timeout=30)
        self._id = 0

    def _send(self, kind: str, x: float, y: float, buttons: int):
        self._id += 1
        params = {"type": kind, "x": x, "y": y, "button": "left" if kind != "mouseMoved" or buttons else "none",
                  "buttons": buttons}
        if kind != "mouseMoved":
            params["clickCount"] = 1
        self._ws.send(json.dumps({"id": self._id, "method": "Input.dispatchMouseEvent", "params": params}))

    def drag(self, x0: float, y0: float, dx: float, seconds: float, rate: float):
        """Press at (x0, y0), move by ``dx`` in ``seconds`` at ``rate`` moves per second, release; returns once
        the page has handled every event."""
        self._send("mouseMoved", x0, y0, 0)
        self._send("mousePressed", x0, y0, 1)
        n = int(seconds * rate)
        start = time.perf_counter()
        for i in range(1, n + 1):
            self._send("mouseMoved", x0 + dx * i / n, y0, 1)
            pause = start + i / rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        self._send("mouseReleased", x0 + dx, y0, 0)
        last = self._id
        while True:  # every answer, in order: the last one means every event was dispatched
            answer = json.loads(self._ws.recv())
            if "error" in answer:
                raise RuntimeError(f"DevTools refused a mouse event: {answer['error']}")
            if answer.get("id") == last:
                return

    def close(self):
        self._ws.close()
