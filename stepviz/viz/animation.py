"""Animations of a path growing step by step, as players that work in a static page."""
from __future__ import annotations

import re

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validate
from ..engine import Trajectory
from ..problems.surfaces import Surface
from .contours import plot_surface
from .paths import _flat, last_finite_point, plot_path


def animate(trajectory: Trajectory, surface: Surface = None, *, frames: int = 60, interval: int = 80):
    """A FuncAnimation of the path(s) growing step by step; ``.to_jshtml()`` plays it in a static page.

    ``frames`` evenly spaced iterations are shown (default: 60), ``interval`` ms apart (default: 80).
    """
    surface = surface if surface is not None else trajectory.surface
    frames = _validate.integer("frames", frames, low=1)
    fig = Figure(figsize=(5.2, 4.4), dpi=72, layout="constrained")  # rendered to PNG frames, never live
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot_surface(surface, ax)
    arts = plot_path(trajectory, ax)
    points, _, _ = _flat(trajectory)
    ks = np.unique(np.linspace(0, trajectory.steps, min(frames, trajectory.steps + 1)).astype(int))
    text = ax.text(0.02, 0.03, "", transform=ax.transAxes, fontsize=9,
                   bbox=dict(boxstyle="round", fc="white", alpha=0.8))

    def update(j):
        k = ks[j]
        for i, a in enumerate(arts):
            a["path"].set_data(points[: k + 1, i, 0], points[: k + 1, i, 1])
            a["end"].set_data([last_finite_point(points[: k + 1, i], surface)[0]],
                              [last_finite_point(points[: k + 1, i], surface)[1]])
        text.set_text(f"iteration {k}")
        return [a["path"] for a in arts] + [a["end"] for a in arts] + [text]

    return FuncAnimation(fig, update, frames=len(ks), interval=interval, blit=False)


_CDN_STYLESHEET = re.compile(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">\s*')


def animation_html(animation):
    """An animation as a self-contained player for a notebook or a static page (IPython ``HTML``).

    matplotlib's ``to_jshtml()`` links Font Awesome from a CDN for its button icons; the link is dropped
    here (JupyterLab and the course's static pages provide the icons), so showing it fetches nothing.
    """
    from IPython.display import HTML

    html = _CDN_STYLESHEET.sub("", animation.to_jshtml())
    return HTML(html)
