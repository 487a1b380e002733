"""What the browser does to a widget, done through the widget's comm as a front end's message arrives:
``update`` (a value a control sends), ``custom`` (the canvas's hello and clicks). The kernel's handling is the
real one (``comm.handle_msg`` -> ``Widget._handle_msg`` -> ``set_state`` and the observers), with no kernel
running. ipywidgets logs, instead of raising, an exception in that handling: :func:`update` and
:func:`custom` turn such a log record into a test failure. :func:`sent` records what the kernel sends back."""
from __future__ import annotations

import logging


class _Catch(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _deliver(widget, data):
    catch = _Catch()
    root = logging.getLogger()
    root.addHandler(catch)
    try:
        widget.comm.handle_msg({"content": {"comm_id": widget.model_id, "data": data}, "buffers": [],
                                "metadata": {}, "header": {"msg_type": "comm_msg"}})
    finally:
        root.removeHandler(catch)
    problems = [r for r in catch.records if "Exception in widget" in r.getMessage() or r.exc_info]
    if problems:
        raise AssertionError(f"the kernel failed on a browser message: {problems[0].getMessage()}") from (
            problems[0].exc_info[1] if problems[0].exc_info else None)


def update(widget, **state):
    """The browser sets ``state`` (trait name -> JSON value) on ``widget``."""
    _deliver(widget, {"method": "update", "state": state, "buffer_paths": []})


def custom(widget, content: dict):
    """The browser sends ``content`` with ``model.send`` (anywidget)."""
    _deliver(widget, {"method": "custom", "content": content})


class Sent:
    """Messages the kernel sends to the browser for ``widgets`` (each: (widget, data))."""

    def __init__(self, *widgets):
        self.messages = []
        for w in widgets:
            def publish(msg_type, data=None, metadata=None, buffers=None, _w=w, **keys):
                self.messages.append((_w, data))
            w.comm.publish_msg = publish

    def states(self, widget) -> list[dict]:
        """The state updates sent for ``widget`` (echoes of what the browser sent excluded)."""
        return [d["state"] for w, d in self.messages if w is widget and d.get("method") == "update"]

    def custom(self, widget) -> list:
        return [d["content"] for w, d in self.messages if w is widget and d.get("method") == "custom"]
