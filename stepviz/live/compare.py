"""Several runs side by side on one surface, with their loss curves: a static figure (nothing moves)."""
from __future__ import annotations

import base64

import ipywidgets as widgets
import numpy as np

from .. import _format
from ..engine import run
from ..optim.rules import Optimizer, make_optimizer
from ..problems.surfaces import get_surface
from ..viz.contours import plot_surface
from ..viz.curves import plot_losses
from ..viz.figure import new_figure, png_bytes
from ..viz.paths import plot_path
from ..viz.style import PATH_COLORS


class Comparison:
    """Several runs on one surface, side by side with their loss curves (see :func:`compare`)."""

    def __init__(self, trajectories, labels, surface, figsize=(10, 4.2)):
        self.trajectories, self.labels, self.surface = trajectories, labels, surface
        self.figure = new_figure(figsize)
        ax_path, ax_loss = self.figure.subplots(1, 2)
        plot_surface(surface, ax_path)
        for i, (tr, label) in enumerate(zip(trajectories, labels)):
            color = [PATH_COLORS[i % len(PATH_COLORS)]]
            plot_path(tr, ax_path, labels=[label], colors=color, legend=False)
            plot_losses(tr, ax_loss, labels=[label], colors=color, legend=False)
        ax_path.legend(loc="upper right", fontsize=8, framealpha=0.85)
        ax_loss.legend(fontsize=8)
        ax_path.set_title(f"{len(trajectories)} runs on {surface.name}")
        self.ax_path, self.ax_loss = ax_path, ax_loss

    def summary(self, tol=1e-6) -> str:
        return "\n".join(f"{label}: {tr.summary(tol)}" for tr, label in zip(self.trajectories, self.labels))

    def _repr_mimebundle_(self, **kwargs):
        canvas = self.figure.canvas
        if isinstance(canvas, widgets.DOMWidget):
            data = canvas._repr_mimebundle_(**kwargs)
        else:
            data = {"image/png": base64.b64encode(png_bytes(self.figure, dpi=80)).decode("ascii")}
        data["text/plain"] = self.summary()
        return data


def compare(surface="bowl", optimizers=None, *, lrs=None, optimizer="GD", steps=100, start=None, noise=0.0, seed=0,
            **hyperparameters) -> Comparison:
    """Several step sizes or optimizers on one surface, one colour each, with their loss curves.

    ``compare(bowl, lrs=[0.01, 0.1, 0.19, 0.21])`` runs ``optimizer`` (default: 'GD') at each step size;
    ``compare(bowl, [GD(0.1), Momentum(0.05)])`` runs the given optimizers. ``noise`` and ``seed`` are
    passed to :func:`stepviz.run` (every run sees the same seed).
    """
    surface = get_surface(surface)
    if (optimizers is None) == (lrs is None):
        raise ValueError("compare needs either a list of optimizers or lrs=[...] (step sizes), not both or neither")
    if lrs is not None:
        lrs = list(np.atleast_1d(lrs))
        optimizers = [make_optimizer(optimizer, lr=lr, **hyperparameters) for lr in lrs]
        labels = [f"α = {_format.num(lr)}" for lr in lrs]
    else:
        optimizers = list(optimizers)
        for o in optimizers:
            if not isinstance(o, Optimizer):
                raise TypeError(f"compare takes stepviz optimizers such as GD(lr=0.1); got {o!r}")
        labels = [repr(o) for o in optimizers]
    trajectories = [run(o, surface, start, steps, noise=noise, seed=seed) for o in optimizers]
    return Comparison(trajectories, labels, surface)
