"""Kernel memory when explorers are made again and again, measured in a real IPython kernel (issue 18 item 4):

1. one notebook cell that makes an explorer, re-run 50 times (same cell id, as JupyterLab sends it);
2. an ``interact`` slider whose callback displays a new explorer, moved 60 times by messages like the ones the
   browser sends (comm updates of the slider);
3. a ``sv.compare`` cell re-run 60 times.

For each: widgets alive, explorers (or comparisons) alive and the kernel's RSS after runs 1, 10, 30 and the
last. ``--source DIR`` runs the kernel on another copy of stepviz (e.g. ``git archive`` of an older commit) to
compare before and after a change. Printed, never asserted (`make bench` runs it).

    python -m benchmarks.explorer_memory [--source DIR] [--runs 60]
"""
from __future__ import annotations

import argparse
import ast
import json
import sys

PROBE = ("(gc.collect(), json.dumps([len(_instances), sum(type(o).__name__ in ('Explorer', 'Comparison') and "
         "getattr(o, 'figure', None) is not None for o in gc.get_objects()), "
         "psutil.Process(os.getpid()).memory_info().rss]))[1]")

SETUP = """
import gc, json, os, sys, psutil
{path}
import ipywidgets as widgets
from IPython.display import display
from ipywidgets.widgets.widget import _instances
import stepviz as sv
"""

INTERACT = """
slider = widgets.FloatSlider(value=0.05, min=0.01, max=0.2, step=0.001, description='lr')
box = widgets.interactive(lambda lr: display(sv.explore('bowl', 'GD', lr=lr)), lr=slider)
display(box)
"""


def execute(kc, code, cell_id=None, expr=None, timeout=300):
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {"m": expr} if expr else {},
                                             "allow_stdin": False, "stop_on_error": True})
    if cell_id:
        msg["metadata"]["cellId"] = cell_id
    kc.shell_channel.send(msg)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            break
    if reply["content"]["status"] != "ok":
        raise RuntimeError(reply["content"])
    if expr:
        value = ast.literal_eval(reply["content"]["user_expressions"]["m"]["data"]["text/plain"])
        return json.loads(value) if expr == PROBE else value


def comm_update(kc, comm_id, state, timeout=300):
    """What the browser sends when the learner moves a slider: a comm message with the new value."""
    msg = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state,
                                                                     "buffer_paths": []}})
    kc.shell_channel.send(msg)
    execute(kc, "pass", timeout=timeout)  # shell messages are handled in order: this waits for the update


def row(label, i, probe):
    widgets, alive, rss = probe
    print(f"  {label:28s} run {i:3d}: {widgets:6d} widgets, {alive:3d} alive, RSS {rss / 1e6:7.1f} MB")


def measure(source: str | None, runs: int, only: str | None = None):
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        path = f"sys.path.insert(0, {source!r})" if source else ""
        execute(kc, SETUP.format(path=path))
        print(f"stepviz from {execute(kc, 'pass', expr='sv.__file__')}")
        show = {1, 10, 30, runs}
        print(" 1. an explorer cell re-run")
        for i in range(1, runs + 1 if only in (None, "explorer") else 1):
            probe = execute(kc, "ex = sv.explore('bowl', 'GD', lr=0.05, steps=40)\nex", "explorer-cell", PROBE)
            if i in show:
                row("explorer cell", i, probe)
        print(" 2. interact: a slider whose callback makes an explorer")
        slider = execute(kc, INTERACT, "interact-cell", "slider.model_id")
        for i in range(1, runs + 1 if only in (None, "interact") else 1):
            comm_update(kc, slider, {"value": 0.05 + 0.001 * (i % 100)})
            if i in show:
                row("interact slider moved", i, execute(kc, "pass", expr=PROBE))
        print(" 3. a sv.compare cell re-run")
        for i in range(1, runs + 1 if only in (None, "compare") else 1):
            probe = execute(kc, "cmp = sv.compare('bowl', lrs=[0.05, 0.1, 0.19, 0.21], steps=2000)\ncmp",
                            "compare-cell", PROBE)
            if i in show:
                row("compare cell", i, probe)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="a folder holding the stepviz package to run instead of the installed one")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--only", choices=["explorer", "interact", "compare"], help="one of the three cases")
    args = parser.parse_args(argv)
    print("Kernel memory: explorers and comparisons made again (widgets alive, objects alive holding a figure, RSS)")
    measure(args.source, args.runs, args.only)


if __name__ == "__main__":
    main(sys.argv[1:])
