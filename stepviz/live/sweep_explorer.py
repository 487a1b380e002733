"""The sweep explorer (lesson 11): one precomputed sweep of step sizes on a problem with no plane to draw
(a network's loss), its loss and accuracy curves over the step-size slider. The slider's stops are the
sweep's step sizes; the runs are not computed again unless 'steps' changes."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter, NullLocator

from .. import _validate
from ..analysis import curvature
from ..engine import Trajectory, run
from ..optim.rules import make_optimizer
from ..viz.style import GHOST_COLOR, INK, ITERATION_COLOR, PAPER, PATH_COLOR
from .controls import Whole
from .figure import LiveFigure
from .limits import log_window, set_limits
from .marks import PT, diverged_readout, status_texts
from .scene import HLine, Line, Marker, Point, Scene, Text, VLine, fmt
from .sweep_controls import StepSize

MAX_STEPS = 2000


def _sweep_lrs(sweep) -> np.ndarray:
    if not isinstance(sweep, Trajectory):
        raise TypeError(f"sweep must be a stepviz Trajectory, the result of sv.run(sv.GD(lrs), problem, steps=...); "
                        f"got {type(sweep).__name__}")
    lrs = np.asarray(sweep.optimizer.lr, dtype=float) if not callable(sweep.optimizer.lr) else np.array([np.nan])
    if lrs.ndim != 1 or lrs.size < 2 or sweep.batch_shape != lrs.shape or not np.all(np.isfinite(lrs) & (lrs > 0)) \
            or np.unique(lrs).size != lrs.size:
        raise ValueError("sweep must be one run per step size: sv.run(sv.GD(lrs), problem, steps=...) with lrs a flat "
                         f"list of at least 2 distinct constant step sizes; got step sizes {sweep.optimizer.lr!r}")
    return lrs


def first_steps(tr: Trajectory, steps: int) -> Trajectory:
    """The first ``steps`` steps of the runs ``tr``: what running them for ``steps`` steps gives (each step depends
    only on the steps before it), without the update rule's final state."""
    end = tr.diverged_at
    diverged = (end >= 0) & (end <= steps)
    return Trajectory(tr.points[: steps + 1], tr.losses[: steps + 1], tr.lrs[:steps], diverged,
                      np.where(diverged, end, -1), tr.optimizer, tr.problem,
                      None if tr.undefined is None else tr.undefined & diverged, None)


class SweepExplorer(LiveFigure):
    """Loss curves of a sweep of step sizes (every run faint, the one at the step size shown bold and following
    the iteration), its accuracy where the problem has one, and the final loss against the step size.

    ``controls``: 'lr' (StepSizeSlider whose stops are the sweep's step sizes), 'steps' (a new number of steps
    runs the sweep again), 'iteration', 'play'. ``sweep``: the runs, ordered by step size."""

    size_px = (760, 330)
    _longest = None  # (the longest sweep run so far, its accuracy, its sharpness): shorter ones are its first steps

    def __init__(self, sweep, *, lr=None, name="the network", sharpness_every=None, iters=20):
        lrs = _sweep_lrs(sweep)
        self.every = None if sharpness_every is None else _validate.integer(
            "sharpness_every", sharpness_every, low=1, high=10_000, why="steps between two sharpness measurements")
        self.iters = _validate.integer("iters", iters, low=2, high=200, why="Lanczos iterations")
        order = np.argsort(lrs)
        self._lrs = [float(v) for v in lrs[order]]
        self._given = sweep[order] if np.any(order != np.arange(order.size)) else sweep
        self.problem, self.name = sweep.problem, str(name)
        opt = sweep.optimizer
        self._rule = (opt.name, {k: v for k, v in opt.hyperparameters.items() if k != "lr"})
        self._has_accuracy = hasattr(self.problem, "accuracy") and self.every is None
        lr = self._lrs[len(self._lrs) // 2] if lr is None else lr
        if not any(np.isclose(lr, v, rtol=1e-9, atol=0) for v in self._lrs):
            raise ValueError(f"lr must be one of the sweep's step sizes {[float(f'{v:.4g}') for v in self._lrs]}; "
                             f"got {lr!r}")
        specs = {"lr": StepSize(self._lrs[0], self._lrs[-1]), "steps": Whole(1, MAX_STEPS, "steps")}
        super().__init__(specs, {"lr": lr, "steps": sweep.steps}, [["lr"], ["steps", ["play", "iteration"]]])

    def floats_per_stop(self, values):
        # loss and accuracy (or sharpness) per iterate; final loss, diverged, 2/alpha
        return 2 * (values["steps"] + 1) + 3

    def _refit(self):
        """The stops are the sweep's step sizes; a value between them goes to the nearest."""
        lr = self.controls["lr"]
        nearest = self._lrs[int(np.argmin(np.abs(np.log(np.asarray(self._lrs) / lr.value))))]
        if list(lr.stops) != self._lrs or lr.value != nearest:
            lr.set_stops(self._lrs, nearest, {})

    def _build_figure(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, width_ratios=(1.15, 1.0), height_ratios=(1.0, 1.0))
        self.ax_loss = fig.add_subplot(gs[:, 0])
        self.ax_acc = fig.add_subplot(gs[0, 1])
        self.ax_final = fig.add_subplot(gs[1, 1])
        ax = self.ax_loss
        ax.set_yscale("log")
        ax.set_xlabel("iteration k", fontsize=9)
        ax.set_ylabel(r"training loss $J(\theta_k)$", fontsize=9)
        ax.set_title(" ", fontsize=10)
        ax.legend(handles=[Line2D([], [], color=PATH_COLOR, lw=1.8, label="the step size shown"),
                           Line2D([], [], color=GHOST_COLOR, lw=0.9, label="the sweep's other step sizes")],
                  fontsize=7, loc="lower right", framealpha=0.9)  # the status box sits lower left
        self.ax_acc.set_ylim(0.4, 1.02)
        self.ax_acc.set_ylabel("accuracy", fontsize=8)
        self.ax_acc.set_title("accuracy on the training data", fontsize=8)
        if self.every is not None:
            self.ax_acc.set_yscale("log")
            self.ax_acc.set_ylim(auto=True)
            self.ax_acc.set_ylabel(r"sharpness $\lambda_{max}$", fontsize=8)
            self.ax_acc.set_title(r"sharpness, and 2/α dashed", fontsize=8)
        self.ax_acc.set_visible(self._has_accuracy or self.every is not None)
        fa = self.ax_final
        fa.set_xscale("log")
        fa.set_yscale("log")
        fa.set_xlabel(r"step size $\alpha$", fontsize=9)
        fa.set_ylabel("final loss", fontsize=8)
        for a in (ax, self.ax_acc, fa):
            a.tick_params(labelsize=8)
            a.grid(True, alpha=0.3)
            for axis in (a.xaxis, a.yaxis):  # no minor ticks: fewer artists to lay out and draw
                axis.set_minor_locator(NullLocator())
                axis.set_minor_formatter(NullFormatter())
        self._ghosts = []

    def optimizer(self, lr=None):
        name, fixed = self._rule
        return make_optimizer(name, lr=self.controls["lr"].value if lr is None else lr, **fixed)

    def _compute(self, changed):
        steps = self.controls["steps"].value
        longest = self._longest
        if longest is None or steps > longest[0].steps:  # a longer training than any so far: run it (and keep it)
            tr = self._given if self._given is not None and steps == self._given.steps else \
                run(self.optimizer(np.asarray(self._lrs)), self.problem, steps=steps)
            with np.errstate(invalid="ignore"):
                acc = self.problem.accuracy(tr.points) if self._has_accuracy else None
            sharp = None if self.every is None else np.stack([
                curvature.sharpness_along(self.problem, tr[i], self.every, iters=self.iters)[1]
                for i in range(len(self._lrs))], 1)
            self._longest = longest = (tr, acc, sharp)
        # a shorter training is the first steps of the longest one (the same runs, step for step): no new run
        tr, acc, sharp = longest
        self.sweep = tr if steps == tr.steps else first_steps(tr, steps)
        self._show_whole_run(steps)
        losses = self.sweep.losses  # (steps + 1, stops)
        self.accuracy = acc[:steps + 1] if acc is not None else np.full(losses.shape, np.nan)
        if self.every is not None:
            self.sharpness = sharp[: steps // self.every + 1]
        for g in self._ghosts:
            g.remove()
        k = np.arange(steps + 1)
        self._ghosts = self.ax_loss.plot(k, np.where(losses > 0, losses, np.nan), color=GHOST_COLOR, lw=0.7,
                                         alpha=0.7)
        if self._has_accuracy:
            self._ghosts += self.ax_acc.plot(k, self.accuracy, color=GHOST_COLOR, lw=0.7, alpha=0.7)
        if self.every is not None:
            ks = np.arange(self.sharpness.shape[0]) * self.every
            self._ghosts += self.ax_acc.plot(ks, self.sharpness, color=GHOST_COLOR, lw=0.7, alpha=0.7)
            high = max(float(np.nanmax(self.sharpness)), 2 / self._lrs[0])
            low = min(float(np.nanmin(self.sharpness)), 2 / self._lrs[-1])
            set_limits(self.ax_acc, ylim=(low / 1.5, high * 1.5))
        final = np.where(np.isfinite(losses[-1]) & (losses[-1] > 0), losses[-1], np.nan)
        self._ghosts += self.ax_final.plot(self._lrs, final, "-o", color=INK, lw=1.0, ms=3)
        finite = losses[np.isfinite(losses) & (losses > 0)]
        top = float(finite.max()) if finite.size else 1.0
        set_limits(self.ax_loss, xlim=(0, max(steps, 1)), ylim=log_window(top, 8, 2))
        set_limits(self.ax_acc, xlim=(0, max(steps, 1)))
        set_limits(self.ax_final, xlim=(self._lrs[0] / 1.5, self._lrs[-1] * 1.5))

    def _scene(self):
        tr = self.sweep
        losses = np.where(tr.losses > 0, tr.losses, np.nan).T
        arrays = {"stops": np.asarray(self._lrs)[None], "loss": losses, "accuracy": self.accuracy.T,
                  "final": tr.losses[-1][:, None], "diverged": tr.diverged_at[:, None]}
        marks = [Line(axes=0, data="loss", upto="iteration", color=PATH_COLOR, width=1.8 * PT),
                 Marker(axes=0, data="loss", at="iteration", size=7 * PT, fill=PAPER, edge=PATH_COLOR,
                        edge_width=2 * PT),
                 Text(axes=0, at="title", texts="title", size=13, clip=False),
                 Text(axes=0, at="status", texts="status", size=12),
                 VLine(axes=2, at="stop", color=PATH_COLOR, width=1.5 * PT),
                 Point(axes=2, x="stop", y="final", size=8 * PT, fill=PATH_COLOR, edge=INK, edge_width=0.8)]
        if self.every is not None:
            arrays.update({"sharpness": self.sharpness.T, "limit": (2 / np.asarray(self._lrs))[:, None]})
            marks += [Line(axes=1, data="sharpness", color=PATH_COLOR, width=1.8 * PT, xstep=float(self.every)),
                      HLine(axes=1, at="limit", color=PATH_COLOR, width=1.2 * PT, dash=(4, 2.5)),
                      VLine(axes=1, at="iteration", color=ITERATION_COLOR, width=1, dash=(2, 3))]
        if self._has_accuracy:
            marks += [Line(axes=1, data="accuracy", upto="iteration", color=PATH_COLOR, width=1.8 * PT),
                      VLine(axes=1, at="iteration", color=ITERATION_COLOR, width=1, dash=(2, 3))]
        titles = [f"{self._rule[0]}, α = {fmt(a)}: {self.name}" for a in self._lrs]
        status = status_texts(tr.diverged_at, [" · loss {loss}"] * len(self._lrs))
        texts = {"title": titles, "status": status, "readout": self._readouts(),
                 "alt": [f"The training loss of {t.split(':')[0]} against the iteration on a log scale, bold, over the "
                         f"faint loss curves of the sweep's {len(self._lrs)} step sizes"
                         + ("; its accuracy beside it" if self._has_accuracy else "")
                         + ("; its sharpness beside it, with 2/α dashed" if self.every is not None else "")
                         + "; and the final loss against the step size." for t in titles]}
        return Scene([self.ax_loss, self.ax_acc, self.ax_final], marks, arrays, texts)

    def _readouts(self):
        tr = self.sweep
        out = []
        for i, a in enumerate(self._lrs):
            if tr.diverged[i]:
                out.append(diverged_readout(int(tr.diverged_at[i]), "the loss overflowed"))
                continue
            text = f"α = {fmt(a)}: final loss {fmt(float(tr.losses[-1, i]))}"
            if self._has_accuracy:
                text += f", accuracy {100 * float(self.accuracy[-1, i]):.1f} %"
            low = int(np.nanargmin(tr.losses[:, i]))
            text += f" after {tr.steps} steps · lowest loss {fmt(float(tr.losses[low, i]))} at step {low}"
            if self.every is not None:
                lam = self.sharpness[:, i]
                top = int(np.nanargmax(lam))
                text += (f" · sharpness from {fmt(float(lam[0]))} up to {fmt(float(lam[top]))} (step "
                         f"{top * self.every}) against 2/α = {fmt(2 / a)}")
            out.append([["", text]])
        return out


def sweep_explorer(sweep, **initial) -> SweepExplorer:
    """A :class:`SweepExplorer` of ``sweep`` (``sv.run(sv.GD(lrs), problem, steps=...)``: one run per step size).
    ``initial``: lr (one of the sweep's step sizes), name (what the title calls the problem)."""
    return SweepExplorer(sweep, **initial)


__all__ = ["SweepExplorer", "sweep_explorer"]
