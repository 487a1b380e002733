"""`make bench`: speed figures of stepviz, each a ratio against a baseline measured in the same run.

1. A 200 x 200 grid of (lr, momentum) x 500 steps of Momentum on a bowl: one batched run vs a
   per-configuration Python loop (a random sample of configurations, scaled up to the grid).
2. The kernel's share of a control change (a step size picks a stored run; another control reruns the
   sweep) vs re-creating the figure per change, as ipywidgets.interact with %matplotlib inline does.
3. Memory: each notebook run in a fresh kernel, its RSS at the end and at its peak (benchmarks/memory.py);
   the peak of the largest calls stepviz allows (benchmarks/peaks.py).
4. The browser figures of every explorer kind (benchmarks/browser.py).
"""
import io
import os
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import stepviz as sv  # noqa: E402
from stepviz import live, viz  # noqa: E402

from . import memory, peaks  # noqa: E402


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return np.array(times)


def bench_grid():
    bowl = sv.QuadraticBowl((1.0, 10.0), angle=30.0)
    lrs = np.geomspace(1e-3, 0.5, 200)
    momenta = np.linspace(0.0, 0.99, 200)
    opt = sv.Momentum(lr=lrs[:, None], momentum=momenta[None, :])
    batched = timed(lambda: sv.run(opt, bowl, steps=500), 3)

    rng = np.random.default_rng(0)
    sample = 100
    picks = rng.integers(0, 200, size=(sample, 2))

    def loop():
        for i, j in picks:
            sv.run(sv.Momentum(lr=float(lrs[i]), momentum=float(momenta[j])), bowl, steps=500)

    per_config = np.median(timed(loop, 3)) / sample
    full_loop = per_config * lrs.size * momenta.size
    b = np.median(batched)
    print("Grid: 200 x 200 (lr, momentum) x 500 steps of Momentum on a bowl")
    print(f"  batched run (median of 3):             {b:8.3f} s   (bar: <= 2 s)")
    print(f"  per-configuration loop, scaled up:     {full_loop:8.1f} s   ({per_config * 1e3:.2f} ms per configuration, "
          f"{sample} sampled)")
    print(f"  speed-up:                              {full_loop / b:8.0f} x   (bar: >= 50 x)")
    return b, full_loop


def recreate_figure(lr):
    """The interact + inline baseline: a new figure with the same three panels, rendered to PNG, per change."""
    surface = sv.QuadraticBowl()
    traj = sv.run(sv.GD(lr), surface, steps=100)
    fig = plt.figure(figsize=(9.6, 4.6), layout="constrained")
    gs = fig.add_gridspec(2, 2, width_ratios=(1.1, 1.0), height_ratios=(1.9, 1.0))
    ax_path, ax_loss, ax_lr = fig.add_subplot(gs[:, 0]), fig.add_subplot(gs[0, 1]), fig.add_subplot(gs[1, 1])
    viz.plot_surface(surface, ax_path)
    viz.plot_path(traj, ax_path)
    viz.plot_losses(traj, ax_loss)
    grid = np.geomspace(1e-4, 2, 200)
    ax_lr.semilogx(grid, np.minimum(sv.theory.gd_rate(surface, grid), 1.6))
    ax_lr.axvline(lr)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)


def bench_slider(changes=40):
    """The kernel's share of a control change: the step size only picks a stored run; another control
    (steps) reruns the whole sweep, redraws the axes that changed and packs the buffer."""
    explorer = live.explore("bowl", "GD", lr=0.02, steps=100)
    stops = iter(np.resize(np.arange(len(explorer.stops)), changes))
    pick = timed(lambda: setattr(explorer.controls["lr"], "value", explorer.stops[next(stops)]), changes)
    steps = iter(100 + np.arange(changes) % 2)
    sweep = timed(lambda: setattr(explorer.controls["steps"], "value", int(next(steps))), changes)
    values = iter(np.geomspace(0.01, 0.19, changes))
    base = timed(lambda: recreate_figure(float(next(values))), changes)
    pm, sm, bm = np.median(pick) * 1e3, np.median(sweep) * 1e3, np.median(base) * 1e3
    print(f"Kernel: one control change, median of {changes} (the browser draws the moving layer)")
    print(f"  step size (pick a stored run):         {pm:8.2f} ms")
    print(f"  steps (sweep of {len(explorer.stops)} runs + picture):  {sm:8.1f} ms")
    print(f"  re-create figure + PNG (interact):     {bm:8.1f} ms")
    return pm, sm, bm


def main():
    print(f"stepviz {sv.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}, {os.cpu_count()} cores")
    bench_grid()
    bench_slider()
    memory.main([])  # 3. each notebook's kernel RSS, end and peak (benchmarks/memory.py)
    peaks.main([])   # 3b. the peak memory of the largest calls stepviz allows (benchmarks/peaks.py)
    from . import browser

    browser.main()  # 4. the browser figures of every explorer kind


if __name__ == "__main__":
    main()
