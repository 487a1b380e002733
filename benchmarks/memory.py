"""Kernel memory per notebook: what one learner's kernel holds (end) and needs at most (peak).

Each notebook runs top to bottom in a fresh kernel of this environment (as nbval and JupyterLab run it).
Before every cell the kernel's peak-RSS counter is reset (``/proc/<pid>/clear_refs``, Linux), so after the
cell ``VmHWM`` is that cell's peak and ``VmRSS`` what stays; the notebook's peak is the largest cell peak.
Without a browser attached, widget front-ends never ask for renders: the figures here are the kernel-side
cost (in JupyterLab ipympl adds one PNG per draw, a few hundred kB, freed at once).

The kernel's CPU seconds (user + system, /proc/<pid>/stat) are what one learner's run of the notebook costs
the machine, whatever else runs on it.

Then one explorer cell re-run 50 times in one kernel, as a learner re-runs it in JupyterLab (same cellId,
every result kept in Out): the live widgets and the RSS after each run. Before issue 12: 42 -> 2,100
widgets, RSS +530 MB between runs 10 and 50; the bar is flat widgets and < 25 MB of growth.

    python -m benchmarks.memory [notebooks/06_*.ipynb ...] [--cells] [--reruns N]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time

import ipykernel.kernelspec
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MB = 1024 * 1024


class _CurrentEnv(KernelSpecManager):
    """The python3 kernel of *this* environment, whatever kernelspecs the user has installed."""

    def get_kernel_spec(self, kernel_name):
        return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                      **ipykernel.kernelspec.get_kernel_dict())


def _status(pid: int) -> dict:
    out = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024  # kB -> bytes
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (from /proc/<pid>/stat)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _reset_peak(pid: int) -> None:
    pathlib.Path(f"/proc/{pid}/clear_refs").write_text("5")  # 5: reset the peak RSS (Linux >= 4.0)


def measure(path: pathlib.Path, timeout: int = 600) -> dict:
    """{'start', 'end', 'peak': bytes, 'cpu': kernel CPU seconds, 'seconds': wall seconds,
    'cells': [(index, rss after, peak during, seconds, first line)]}."""
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_CurrentEnv())
    client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}})
    cells = []
    with client.setup_kernel():
        pid = km.provisioner.pid
        start, cpu0 = _status(pid)["VmRSS"], _cpu_seconds(pid)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            _reset_peak(pid)
            t = time.perf_counter()
            client.execute_cell(cell, index)
            seconds = time.perf_counter() - t
            s = _status(pid)
            first = next((ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")), "")
            cells.append((index, s["VmRSS"], s["VmHWM"], seconds, first[:60]))
        cpu = _cpu_seconds(pid) - cpu0
    return {"start": start, "end": cells[-1][1] if cells else start,
            "peak": max((c[2] for c in cells), default=start), "cells": cells, "cpu": cpu,
            "seconds": sum(c[3] for c in cells)}


RERUN_CELL = "ex = sv.live.explore('bowl', 'GD', lr=0.05, steps=40)\nex"


def reruns(runs: int = 50, timeout: int = 120) -> list:
    """[(live widgets, RSS bytes)] after each of ``runs`` executions of RERUN_CELL under one cellId."""
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_CurrentEnv())
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        kc.execute_interactive("import gc, json, os, psutil, stepviz as sv\n"
                               "from ipywidgets.widgets.widget import _instances", timeout=timeout)
        probe = "json.dumps([len(_instances), psutil.Process(os.getpid()).memory_info().rss])"
        rows = []
        for _ in range(runs):
            msg = kc.session.msg("execute_request", {"code": RERUN_CELL, "silent": False, "store_history": True,
                                                     "user_expressions": {"m": f"(gc.collect(), {probe})[1]"},
                                                     "allow_stdin": False, "stop_on_error": True})
            msg["metadata"]["cellId"] = "the-explorer-cell"
            kc.shell_channel.send(msg)
            while True:
                reply = kc.get_shell_msg(timeout=timeout)
                if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                    break
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"the re-run cell failed: {reply['content']}")
            rows.append(tuple(json.loads(reply["content"]["user_expressions"]["m"]["data"]["text/plain"].strip("'"))))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return rows


def print_reruns(rows) -> None:
    widgets, rss = [w for w, _ in rows], [r / MB for _, r in rows]
    later = min(9, len(rows) - 1)
    print(f"One explorer cell re-run {len(rows)} times in one kernel")
    print(f"  live widgets after run 2 and run {len(rows)}: {widgets[min(1, len(rows) - 1)]} and {widgets[-1]} "
          f"(bar: equal)")
    print(f"  RSS growth from run {later + 1} to run {len(rows)}: {rss[-1] - rss[later]:.0f} MB (bar: < 25 MB)")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--cells", action="store_true", help="also print every cell's RSS and peak")
    parser.add_argument("--reruns", type=int, default=50, help="re-runs of one explorer cell (0: none)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    print("Kernel memory per notebook (RSS of a fresh kernel running it top to bottom, MB)")
    print(f"  {'notebook':34s} {'start':>6s} {'end':>6s} {'peak':>6s} {'cpu s':>6s} {'wall s':>6s}   peak cell")
    results = {}
    for path in paths:
        r = results[path.stem] = measure(path)
        top = max(r["cells"], key=lambda c: c[2]) if r["cells"] else None
        where = f"[{top[0]}] {top[4]}" if top else ""
        print(f"  {path.stem:34s} {r['start'] / MB:6.0f} {r['end'] / MB:6.0f} {r['peak'] / MB:6.0f} "
              f"{r['cpu']:6.1f} {r['seconds']:6.1f}   {where}")
        if args.cells:
            for index, rss, peak, seconds, first in r["cells"]:
                print(f"      cell {index:3d}  rss {rss / MB:6.0f}  peak {peak / MB:6.0f}  {seconds:6.2f} s  {first}")
        sys.stdout.flush()
    if results:
        worst = max(results.values(), key=lambda r: r["peak"])
        print(f"  largest peak: {worst['peak'] / MB:.0f} MB (bar: < 250 MB); largest end: "
              f"{max(r['end'] for r in results.values()) / MB:.0f} MB")
    if args.reruns > 0:
        print_reruns(reruns(args.reruns))
    return results


if __name__ == "__main__":
    main()
