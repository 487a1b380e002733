"""Several runs side by side on one surface, with their loss curves: a static figure (nothing moves, so it
stays plain matplotlib), shown as a PNG with alt text. Runs differ in colour, line style and marker."""
from __future__ import annotations

import base64

import numpy as np

from .. import _format, _validate
from ..engine import run
from ..optim.rules import Optimizer, make_optimizer
from ..problems.surfaces import get_surface
from ..viz.contours import plot_surface
from ..viz.curves import plot_losses
from ..viz.figure import describe, html_image, new_figure, png_bytes
from ..viz.paths import plot_path, short_label
from ..viz.style import PATH_COLORS, run_style
from . import lifetime

CLOSED = "this comparison is closed (its cell was run again, or close() was called); run its cell to draw it again"


class Comparison:
    """Several runs on one surface, side by side with their loss curves (see :func:`compare`). Made again in
    the same cell, the earlier one is closed: its figure and runs go, its summary stays."""

    def __init__(self, trajectories, labels, surface, size_px=(760, 370)):
        self.trajectories, self.labels, self.surface = trajectories, labels, surface
        self.figure = new_figure(size_px)
        ax_path, ax_loss = self.figure.subplots(1, 2)
        plot_surface(surface, ax_path)
        for i, (tr, label) in enumerate(zip(trajectories, labels)):
            style = run_style(i)
            color = [PATH_COLORS[i % len(PATH_COLORS)]]
            drawn = plot_path(tr, ax_path, labels=[label], colors=color, legend=False)
            lines = plot_losses(tr, ax_loss, labels=[label], colors=color, legend=False)
            for d in drawn:  # a second and third cue besides the colour
                d["path"].set_linestyle(style["linestyle"])
                d["start"].set_marker(style["marker"])
            for line in lines:
                line.set_linestyle(style["linestyle"])
        for ax in (ax_path, ax_loss):
            ax.tick_params(labelsize=8)
        # one legend for both panels, under them: inside the axes it covered paths and minima
        handles, names = ax_loss.get_legend_handles_labels()
        self.figure.legend(handles, names, loc="outside lower center", ncols=min(len(names), 3), fontsize=7,
                           frameon=False)
        ax_path.set_title(f"{len(trajectories)} runs on {surface.name}")
        self.ax_path, self.ax_loss = ax_path, ax_loss
        lifetime.remember(self)

    def close(self):
        """Let go of the figure and the runs (their summary stays): what a re-run cell does to the comparison it
        made before. IPython's output history keeps the object; the runs hold the surface and its cached
        contour grid."""
        if self.figure is None:
            return
        self._closed_summary = self.summary()
        self.figure = self.ax_path = self.ax_loss = self.trajectories = self.surface = None

    def summary(self, tol=1e-6) -> str:
        if self.figure is None:
            return self._closed_summary
        return "\n".join(f"{label}: {tr.summary(tol)}" for tr, label in zip(self.trajectories, self.labels))

    @property
    def alt(self) -> str:
        """What the figure shows, in words (its alt text)."""
        if self.figure is None:
            return CLOSED
        return describe(self.figure) + ". " + "; ".join(f"{label}: {tr.summary()}" for tr, label in
                                                        zip(self.trajectories, self.labels))

    def _repr_mimebundle_(self, **kwargs):
        if self.figure is None:
            return {"text/plain": f"(Comparison: {CLOSED})"}
        png = png_bytes(self.figure)
        return {"image/png": base64.b64encode(png).decode("ascii"),
                "text/html": html_image(png, self.alt, self.figure.bbox.width),
                "text/plain": self.summary()}


def comparison_runs(surface, optimizers, lrs, optimizer, start, hyperparameters):
    """The arguments of :func:`compare` read once: (surface, optimizers, labels, start)."""
    surface = get_surface(surface)
    if (optimizers is None) == (lrs is None):
        raise ValueError("compare needs either a list of optimizers or lrs=[...] (step sizes), not both or neither")
    if start is not None and _validate.points("start", start).shape != (2,):
        raise ValueError(f"start must be one point (x, y): compare draws one path per step size or optimizer; "
                         f"got shape {np.shape(start)}")
    if lrs is not None:
        lrs = np.atleast_1d(_validate.positive("lrs", lrs))
        if lrs.ndim != 1 or lrs.size == 0:
            raise ValueError(f"lrs must be a non-empty flat list of step sizes, e.g. [0.01, 0.1]; got shape {lrs.shape}")
        optimizers = [make_optimizer(optimizer, lr=float(lr), **hyperparameters) for lr in lrs]
        labels = [f"α = {_format.num(lr)}" for lr in lrs]
    else:
        optimizers = list(optimizers) if isinstance(optimizers, (list, tuple)) else [optimizers]
        if not optimizers:
            raise ValueError("optimizers must hold at least one optimizer, e.g. [GD(lr=0.1), Momentum(lr=0.05)]")
        for o in optimizers:
            if not isinstance(o, Optimizer):
                raise TypeError(f"compare takes stepviz optimizers such as GD(lr=0.1); got {_validate.show(o)}")
            if o.batch_shape != ():
                raise ValueError(f"{o!r} is a batch of {int(np.prod(o.batch_shape))} runs; compare draws one path "
                                 f"per optimizer: give single numbers, or compare(surface, lrs=[...])")
        labels = [short_label(o) for o in optimizers]
    return surface, optimizers, labels, start


def compare(surface="bowl", optimizers=None, *, lrs=None, optimizer="GD", steps=100, start=None, noise=0.0, seed=0,
            live=False, **hyperparameters):
    """Several step sizes or optimizers on one surface, one colour, dash and marker each, with their loss curves.

    ``compare(bowl, lrs=[0.01, 0.1, 0.19, 0.21])`` runs ``optimizer`` (default: 'GD') at each step size;
    ``compare(bowl, [GD(0.1), Momentum(0.05)])`` runs the given optimizers. ``noise`` and ``seed`` are
    passed to :func:`stepviz.run` (every run sees the same seed). ``live=True``: an explorer instead of a
    picture (:func:`~stepviz.live.compare_live.compare_explorer`: the runs but the last pinned, the last one
    live, up to 5), where Play animates them together and 'pin this run' keeps the one shown.
    """
    if live:
        from .compare_live import compare_explorer

        return compare_explorer(surface, optimizers, lrs=lrs, optimizer=optimizer, steps=steps, start=start,
                                noise=noise, seed=seed, **hyperparameters)
    surface, optimizers, labels, start = comparison_runs(surface, optimizers, lrs, optimizer, start, hyperparameters)
    trajectories = [run(o, surface, start, steps, noise=noise, seed=seed) for o in optimizers]
    return Comparison(trajectories, labels, surface)
