"""Browser figures of the explorers (`make bench`): what a learner's drag costs, in real JupyterLab + Debian
chromium (headless), on this machine.

One scratch notebook per explorer kind (one explorer on the page, as in its lesson), in the configuration its
lesson uses. For each:
input event -> first changed canvas pixels for three arrow keys on the step-size slider (median), distinct
frames per second during a continuous 1.5 s mouse drag of it (the mouse moving at 60 Hz, as a real one), five key
steps there and back on every control the kernel recomputes for (each dropdown, slider and checkbox: the surface
and optimizer switches included; median per control), and Play (frames per second, and the messages the page sent the kernel meanwhile). The
measuring code is the browser tests' (tests/e2e/explorer_checks.py), so `make e2e` and `make bench` report the
same quantities. Bars (issue 15): key <= 50 ms, drag >= 30 frames/s, every other control <= 150 ms,
Play >= 30 frames/s with no kernel message per frame. On a loaded machine the figures are slower: say so.
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
E2E = REPO / "tests" / "e2e"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]

EXPLORERS = {
    "explore (00, 02, 04, 13)": "sv.live.explore('bowl', 'GD', lr=0.05)",
    "explore, momentum (06, 07)": "sv.live.momentum_explorer(sv.lessons.momentum.bowl(), 'Momentum', lr=0.02, "
                                  "momentum=0.5, steps=150)",
    "update rule (01)": "sv.live.explore_update_rule(lam=1.0, lr=0.3, theta0=1.5, steps=20)",
    "local limit (03)": "sv.live.local_limit_explorer(sv.Rosenbrock(), lr=1e-3, steps=1000)",
    "saddle (03)": "sv.live.saddle_explorer(lr=0.1, offset=1e-3, steps=150)",
    "schedule (05)": "sv.live.schedule_explorer('bowl', 'inverse_time', lr=0.1, decay=0.05, steps=200)",
    "Rosenbrock, adaptive (08)": "sv.live.explore('rosenbrock', 'Adam', lr=0.05, steps=400)",
    "SGD (10)": "sv.live.explore_sgd(sv.lessons.stochastic_gradients.sgd_data(), lr=0.1, batch_size=10, "
                "steps=300, runs=5)",
    "compare, live (02)": "sv.compare(sv.QuadraticBowl((1.0, 10.0)), lrs=[f * 0.2 for f in (1.05, 0.99, 0.9, 0.5)], "
                          "steps=100, live=True)",
    "compare, optimizers (09)": "sv.compare('rosenbrock', sv.lessons.adam_and_adadelta.rosenbrock_methods(), "
                                "steps=500, live=True)",
    "effective step (09)": "sv.live.effective_step_explorer(sv.lessons.adam_and_adadelta.bowl(), 'Adam', lr=0.05, "
                           "steps=300)",
    "network sweep (11)": "loss = sv.lessons.neural_networks.network_loss()\n"
                          "sv.live.sweep_explorer(sv.run(sv.GD(np.array([0.1, 0.3, 1.0, 3.0, 10.0, 30.0])), loss, "
                          "steps=500), name='GD on the spirals')",
    "sharpness sweep (12)": "loss = sv.lessons.neural_networks.network_loss()\n"
                            "sv.live.sweep_explorer(sv.run(sv.GD(np.array([0.1, 0.3, 1.0, 3.0])), loss, "
                            "steps=sv.lessons.curvature_in_training.SHARPNESS_STEPS), lr=1.0, sharpness_every=5, "
                            "name='GD on the spirals')",
}


def _notebook(folder: Path, name: str, code: str) -> str:
    """A notebook holding one explorer (as a lesson page does), named after it."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nimport stepviz as sv\nimport stepviz.lessons"),
                nbformat.v4.new_code_cell(code)]
    path = "bench-" + "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") + ".ipynb"
    nbformat.write(nb, folder / path)
    return path


def measure(explorers: dict = EXPLORERS) -> dict:
    sys.path.insert(0, str(E2E))
    import explorer_checks as ec
    import free_mouse
    import labjs
    from lab_server import LabServer
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="stepviz-bench-"))
    notebooks = work / "notebooks-src"
    notebooks.mkdir()
    paths = {name: _notebook(notebooks, name, code) for name, code in explorers.items()}
    server = LabServer(notebooks, work / "lab")
    results = {}
    try:
        server.start()
        with sync_playwright() as p:
            port = free_mouse.free_port()  # the drag's mouse moves at a fixed rate through DevTools
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=FLAGS + [free_mouse.debugging_flag(port)])
            for name, path in paths.items():  # each explorer on its own page, as in its lesson
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(server.url(f"/lab/tree/{path}", query="reset"))
                page.wait_for_function(labjs.KERNEL_READY, arg=path, timeout=90_000)
                page.evaluate(labjs.RUN_ALL, [path, 300_000])
                page.wait_for_function(labjs.ALL_EXECUTED, arg=path, timeout=300_000)
                ex = page.locator(".jp-OutputArea-output .stepviz-explorer").first
                ex.wait_for(timeout=30_000)
                page.wait_for_timeout(1000)
                ex.scroll_into_view_if_needed()
                problems: list[str] = []
                keys = ec.key_steps(page, path, ex, ex.locator(".stepviz-lr"), ["ArrowLeft", "ArrowLeft", "ArrowRight"],
                                    problems, name)
                drag = ec.continuous_drag(page, path, ex.locator(ec.LR_HANDLE), ex, cdp_port=port)
                controls = ec.control_steps(page, path, ex, problems, name)
                played = ec.play(page, path, ex)
                results[name] = {"key_ms": statistics.median(keys) if keys else None, "drag_fps": drag,
                                 "other_ms": max(v[0] for v in controls.values()) if controls else None,
                                 "controls": controls,
                                 "play_fps": played["play_fps"], "play_msgs": played["play_kernel_messages"],
                                 "problems": problems}
                page.close()
                server.shutdown_kernels()  # the next page measures with one kernel running, as a learner has
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return results


def main(only: str = ""):
    """``only``: measure the explorers whose name contains this text (all by default)."""
    print("Browser: real JupyterLab + chromium (headless); input event -> changed canvas pixels")
    if not Path(CHROMIUM).exists():
        print(f"  skipped: {CHROMIUM} not found (apt-get install chromium)")
        return {}
    results = measure({k: v for k, v in EXPLORERS.items() if only in k})
    print(f"  {'explorer':26s} {'key step':>9s} {'drag':>9s} {'slowest':>9s} {'Play':>9s} {'msgs/Play':>9s}")
    for name, r in results.items():
        fmt = lambda v, unit: "   -     " if v is None else f"{v:6.1f} {unit}"  # noqa: E731
        print(f"  {name:26s} {fmt(r['key_ms'], 'ms')} {fmt(r['drag_fps'], 'f/s')} {fmt(r['other_ms'], 'ms')} "
              f"{fmt(r['play_fps'], 'f/s')} {r['play_msgs']:9d}" + (f"  {r['problems']}" if r["problems"] else ""))
        print("      " + ", ".join(f"{label} {a:.0f}/{b:.0f} ms" for label, (a, b) in r["controls"].items()))
    print("  bars: key step <= 50 ms, drag >= 30 frames/s, every other control (slowest shown; per control: first "
          "new pixels / new picture complete) <= 150 ms, Play >= 30 frames/s, 0 messages")
    return results


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
