"""`make bench`: speed figures of stepviz, each a ratio against a baseline measured in the same run.

1. A 200 x 200 grid of (lr, momentum) x 500 steps of Momentum on a bowl: one batched run vs a
   per-configuration Python loop (a random sample of configurations, scaled up to the grid).
2. Slider latency: the explorer's in-place update + figure.canvas.draw() vs re-creating the same figure
   per change, as ipywidgets.interact with %matplotlib inline does (new figure, contours, path, PNG).
3. Play: one animation frame (iteration change + draw).
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
    explorer = live.explore("bowl", "GD", lr=0.02, steps=100)
    canvas = explorer.figure.canvas
    canvas.draw()
    values = np.geomspace(0.01, 0.19, changes)

    def one(v):
        explorer.controls["lr"].value = float(v)
        canvas.draw()

    it = iter(values)
    in_place = timed(lambda: one(next(it)), changes)
    it = iter(values)
    base = timed(lambda: recreate_figure(float(next(it))), changes)

    explorer.controls["steps"].value = 200
    canvas.draw()
    ks = iter(np.arange(changes) % 200)

    def frame():
        explorer.controls["iteration"].value = int(next(ks))
        canvas.draw()

    play = timed(frame, changes)
    lm, bm, pm = np.median(in_place) * 1e3, np.median(base) * 1e3, np.median(play) * 1e3
    print(f"Slider: step-size slider -> redrawn frame, median of {changes} changes (Agg, in the kernel)")
    print(f"  explorer in-place update + draw:       {lm:8.1f} ms  (bar: <= 30 ms)")
    print(f"  re-create figure + PNG (interact):     {bm:8.1f} ms")
    print(f"  speed-up:                              {bm / lm:8.1f} x   (bar: >= 3 x)")
    print(f"  Play frame (iteration change + draw):  {pm:8.1f} ms  (bar: <= 50 ms, {1e3 / pm:.0f} frames/s)")
    return lm, bm, pm


def main():
    print(f"stepviz {sv.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}, {os.cpu_count()} cores")
    bench_grid()
    bench_slider()


if __name__ == "__main__":
    main()
