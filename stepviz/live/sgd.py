"""The SGD explorer (lesson 10): minibatch SGD on a least-squares bowl, several runs at once, the predicted
noise ball, the mean loss with its predicted floor, and the data with the line of the current iterate.

``explore_sgd(data)`` -> :class:`SGDExplorer`. Sliders: step size alpha, batch size, decay (alpha_t =
alpha / (1 + decay t)), steps, runs.
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .. import _validate
from ..analysis.stochastic import noise_ellipse, sgd_stationary
from ..engine import run
from ..optim.rules import GD
from ..optim.schedules import inverse_time
from ..problems.least_squares import LeastSquares
from ..viz.contours import plot_surface
from ..viz.style import PATH_COLORS
from .controls import Choice, Number, Whole
from .sweep_controls import StepSize
from .figure import LiveFigure
from .limits import set_limits
from .marks import PT, diverged_readout, title_mark
from .scene import Affine, HLine, Line, Marker, Scene, Text, VLine, fmt

LR_RANGE = (1e-3, 1.0)
BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200)
MAX_RUNS = 8
MAX_STEPS = 2000
ELLIPSE = 60  # points of the noise ellipse


class SGDExplorer(LiveFigure):
    """Minibatch SGD on a least-squares bowl. ``controls``: 'lr' (StepSizeSlider), 'batch_size', 'decay',
    'steps', 'runs', 'iteration', 'play'. ``trajectory`` holds the runs shown (points (steps + 1, runs, 2)),
    ``reference`` the full-batch GD run with the same step sizes."""

    def __init__(self, data, *, lr=0.1, batch_size=10, decay=0.0, steps=300, runs=5, seed=0):
        if not isinstance(data, LeastSquares):
            raise TypeError(f"data must be a stepviz LeastSquares surface, e.g. LeastSquares.synthetic(); got {data!r}")
        self.data, self.seed = data, _validate.seed("seed", seed)
        self._stationary, self._stationary_stops = {}, None  # batch size -> (floors, ellipses) at these stops
        self._reference_key = None  # what the full-batch references were run for
        sizes = tuple(b for b in BATCH_SIZES if b < data.n) + (data.n,)
        specs = {"lr": StepSize(*LR_RANGE),
                 "batch_size": Choice(sizes, "batch size", slider=True),
                 "decay": Number(0.0, 0.2, 0.005, "decay", ".3f"),
                 "steps": Whole(10, MAX_STEPS, "steps", step=10),
                 "runs": Whole(1, MAX_RUNS, "runs")}
        values = {"lr": lr, "batch_size": batch_size, "decay": decay, "steps": steps, "runs": runs}
        super().__init__(specs, values, [["lr", "batch_size", "decay"], ["steps", "runs", ["play", "iteration"]]])

    def floats_per_stop(self, values):
        """Float32-equivalents per stop: the SGD paths travel as int16 codes (half a float each, plus a base
        and a step per path), which fits about twice the stops of float32 into the budget."""
        steps, runs = values["steps"], values["runs"]
        return 4 * (steps + 1) + 2 * ELLIPSE + runs + 2 + runs * (steps + 1) + 2 * runs

    def step_marks(self):
        return {"2/L": 2 / self.data.L}

    def _build_figure(self):
        fig, data = self.figure, self.data
        gs = fig.add_gridspec(2, 2, width_ratios=(1.1, 1.0), height_ratios=(1.0, 1.0))
        self.ax_path = fig.add_subplot(gs[:, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_data = fig.add_subplot(gs[1, 1])
        plot_surface(data, self.ax_path)
        self.ax_path.set_xlabel("slope a", fontsize=9)
        self.ax_path.set_ylabel("intercept b", fontsize=9)
        self.ax_path.set_title(" ", fontsize=10)
        a = self.ax_loss
        a.set_yscale("log")
        a.set_xlabel("iteration k", fontsize=9)
        a.set_ylabel(r"$J(\theta_k) - J^*$", fontsize=8)
        a.grid(True, alpha=0.3)
        gap0 = max(float(data.value(data.start) - data.f_min), 1e-3)
        a.set_ylim(gap0 * 1e-6, gap0 * 10)
        a.set_xlim(0, self.controls["steps"].value)
        a.set_title("loss", fontsize=9)
        d = self.ax_data
        d.scatter(data.x, data.y, s=6, color="gray", alpha=0.5)
        xs = np.array([data.x.min(), data.x.max()])
        self._xs = xs
        d.plot(xs, data.p_star[0] * xs + data.p_star[1], "k--", lw=1)
        d.set_xlabel("x", fontsize=9)
        d.set_ylabel("y", fontsize=9)
        d.set_title("the data and the fitted line", fontsize=9)
        c0 = PATH_COLORS[0]
        self.ax_path.legend(handles=[Line2D([], [], color=c0, lw=1, label="SGD runs"),
                                     Line2D([], [], color="black", lw=1.4, alpha=0.6, label="full-batch GD"),
                                     Line2D([], [], color="black", ls="--", lw=1.6, label="noise ball (2σ)")],
                            loc="upper right", fontsize=7, framealpha=0.85)
        a.legend(handles=[Line2D([], [], color=c0, lw=1.6, label="SGD (mean of runs)"),
                          Line2D([], [], color="black", lw=1.2, alpha=0.6, label="full-batch GD"),
                          Line2D([], [], color="gray", ls="--", lw=1, label="predicted floor")],
                 loc="upper right", fontsize=7, framealpha=0.85)
        d.legend(handles=[Line2D([], [], color="gray", marker="o", ms=3, ls="none", label="data"),
                          Line2D([], [], color="black", ls="--", lw=1, label="best fit θ*"),
                          Line2D([], [], color=c0, lw=1.6, label="run 1 at iteration k")],
                 loc="upper left", fontsize=7, framealpha=0.85)
        for ax in (self.ax_path, a, d):
            ax.tick_params(labelsize=8)

    def schedule(self, lr=None):
        """The step size the controls describe: alpha, or alpha / (1 + decay t)."""
        c = self.controls
        lr = c["lr"].value if lr is None else lr
        return lr if c["decay"].value == 0 else inverse_time(lr, c["decay"].value)

    def _compute(self, changed):
        c, data = self.controls, self.data
        steps, runs = c["steps"].value, c["runs"].value
        lrs = self.stops[:, None]
        start = np.broadcast_to(data.start, (runs, 2))  # every step size sees the same minibatches
        self.sweep = run(GD(self.schedule(lrs)), data, start=start, steps=steps, batch_size=c["batch_size"].value,
                         seed=self.seed)
        ref_key = (c["decay"].value, steps, tuple(self.stops))
        if ref_key != self._reference_key:  # full-batch GD: the batch size and runs do not matter
            self._reference_key = ref_key
            self.references = run(GD(self.schedule(self.stops)), data, steps=steps)
        self._show_whole_run(steps)
        set_limits(self.ax_loss, xlim=(0, steps))
        if tuple(self.stops) != self._stationary_stops:  # the noise ball depends on alpha and b only
            self._stationary, self._stationary_stops = {}, tuple(self.stops)
        b = c["batch_size"].value
        if b not in self._stationary:  # kept per batch size
            stationary = [sgd_stationary(data, a, b) for a in self.stops]
            self._stationary[b] = (np.array([f for _, f in stationary]),
                                   np.stack([noise_ellipse(C, data.p_star, n=ELLIPSE) for C, _ in stationary]))
        self.floors, self.ellipses = self._stationary[b]

    def _select(self):
        i = self.controls["lr"].index
        self.trajectory = self.sweep[i]
        self.reference = self.references[i]

    def _scene(self):
        tr, ref = self.sweep, self.references
        runs = tr.points.shape[2]
        with np.errstate(all="ignore"):
            gaps = tr.gap()  # (T, stops, runs)
            mean = np.where(tr.diverged.any(axis=1)[None], np.nan, gaps.mean(axis=2)).T
            gd = ref.gap().T
        arrays = {"stops": self.stops[None], "mean": np.where(mean > 0, mean, np.nan), "gd": np.where(gd > 0, gd, np.nan),
                  "gd_path": np.moveaxis(ref.points, 0, 1), "ellipse": self.ellipses,
                  "floor": np.where(np.isfinite(self.floors), self.floors, np.nan)[:, None]}
        marks = [Line(axes=0, data="gd_path", color="black", width=1.4 * PT, alpha=0.6)]
        for r in range(runs):
            arrays[f"path{r}"] = np.moveaxis(tr.points[:, :, r], 0, 1)
            arrays[f"diverged{r}"] = tr.diverged_at[:, r, None]
            color = PATH_COLORS[r % len(PATH_COLORS)]
            marks += [
                Line(axes=0, data=f"path{r}", upto="iteration", color=color, width=1.0 * PT, alpha=0.85),
                Marker(axes=0, data=f"path{r}", at="iteration", size=5 * PT, fill="white", edge="black", when="alive",
                       diverged=f"diverged{r}"),
                Marker(axes=0, data=f"path{r}", at="last", shape="X", size=11 * PT, fill=color, edge="black",
                       when="gone", diverged=f"diverged{r}", clip=False),
            ]
        marks += [
            Line(axes=0, data="ellipse", color="black", width=1.6 * PT, dash=(5, 3)),
            Marker(axes=0, data="path0", at="start", size=8 * PT, fill="white", edge="black"),
            Text(axes=0, at="status", texts="status", size=12),
            title_mark(0, size=12),
            Line(axes=1, data="gd", color="black", width=1.2 * PT, alpha=0.6),
            Line(axes=1, data="mean", color=PATH_COLORS[0], width=1.6 * PT),
            HLine(axes=1, at="floor", color="gray", width=1, dash=(4, 3)),
            VLine(axes=1, at="iteration", color="#555555", width=1, dash=(2, 3)),
            Affine(axes=2, data="path0", x=tuple(float(v) for v in self._xs), color=PATH_COLORS[0], width=1.6 * PT),
        ]
        c = self.controls
        decay = c["decay"].value
        titles = [f"SGD, α = {fmt(a)}" + (f"/(1 + {fmt(decay)} t)" if decay else "") +
                  f", batch {c['batch_size'].value}" for a in self.stops]
        texts = {"title": titles, "status": self._status(), "readout": self._readouts(),
                 "alt": [f"Contour plot of the least-squares loss with {runs} runs of {t}, the full-batch GD path and "
                         "the predicted noise ball; beside it the mean loss of the runs against the iteration on a "
                         "log scale with the predicted floor, and the data with the line of run 1." for t in titles]}
        compact = {name for name in arrays if name.startswith("path")}
        return Scene([self.ax_path, self.ax_loss, self.ax_data], marks, arrays, texts, compact=compact)

    def _status(self):
        out = []
        for d in self.sweep.diverged_at:  # (runs,) per stop
            entry = [[0, "iteration {k}"]]
            gone = np.sort(d[d >= 0])
            for n, step in enumerate(gone, start=1):
                entry.append([int(step), f"iteration {{k}} · {n} run(s) diverged, first at step {int(gone[0])}"])
            out.append(entry)
        return out

    def _readouts(self):
        tr, ref, c = self.sweep, self.references, self.controls
        half = tr.steps // 2
        with np.errstate(all="ignore"):
            gaps, ref_gaps = tr.gap(), ref.gap()  # (T, stops, runs) and (T, stops), once for every stop
        out = []
        for i, lr in enumerate(self.stops):
            div = tr.diverged[i]
            if div.any():
                first = int(tr.diverged_at[i][div].min())
                out.append(diverged_readout(first, f"{int(div.sum())} of {div.size} runs left the window",
                                            "Try a smaller α or a bigger batch."))
                continue
            mean = gaps[half:, i].mean()
            parts = [f"mean J − J* over the second half: {fmt(float(mean))}"]
            floor, decay = self.floors[i], c["decay"].value
            if np.isfinite(floor):
                parts.append(f"predicted floor for constant α = {fmt(lr)}: {fmt(float(floor))}")
                still = float(ref_gaps[half, i])
                if not decay and still > floor:  # the walk to the minimum is not over at half time
                    parts.append(f"not settled: full-batch GD is still at {fmt(still)} at step {half}, above the "
                                 "floor (more steps, or a larger α)")
            if decay:
                parts.append(f"α at the last step: {fmt(float(tr.lrs[-1, i, 0]))} (decaying, so the runs can sink "
                             "below the constant-α floor)")
            out.append([["", " · ".join(parts)]])
        return out


def explore_sgd(data, **initial) -> SGDExplorer:
    """Minibatch SGD on a least-squares bowl, live; see :class:`SGDExplorer`. ``data``: a LeastSquares problem
    (lesson 10's: ``sv.lessons.stochastic_gradients.sgd_data()``); ``initial``: lr, batch_size, decay, steps,
    runs, seed."""
    return SGDExplorer(data, **initial)


__all__ = ["SGDExplorer", "explore_sgd", "BATCH_SIZES"]
