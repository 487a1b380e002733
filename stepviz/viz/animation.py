"""Animations of a path growing step by step, as players that work in a static page."""
from __future__ import annotations

import html
import re

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validate
from ..engine import Trajectory
from ..problems.surfaces import Surface
from .contours import plot_surface
from .figure import describe
from .paths import _flat, last_finite_point, plot_path
from .style import PAPER


def animate(trajectory: Trajectory, surface: Surface = None, *, frames: int = 60, interval: int = 80):
    """A FuncAnimation of the path(s) growing step by step; ``.to_jshtml()`` plays it in a static page.

    ``frames`` evenly spaced iterations are shown (default: 60), ``interval`` ms apart (default: 80).
    """
    surface = surface if surface is not None else trajectory.surface
    frames = _validate.integer("frames", frames, low=1, high=1000, why="each frame is rendered to a picture")
    interval = _validate.integer("interval", interval, low=1, high=10_000, why="milliseconds between frames")
    fig = Figure(figsize=(5.2, 4.4), dpi=72, layout="constrained")  # rendered to PNG frames, never live
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot_surface(surface, ax)
    arts = plot_path(trajectory, ax)
    points, _, _ = _flat(trajectory)
    ks = np.unique(np.linspace(0, trajectory.steps, min(frames, trajectory.steps + 1)).astype(int))
    text = ax.text(0.02, 0.03, "", transform=ax.transAxes, fontsize=9,
                   bbox=dict(boxstyle="round", fc=PAPER, alpha=0.8))

    def update(j):
        k = ks[j]
        for i, a in enumerate(arts):
            a["path"].set_data(points[: k + 1, i, 0], points[: k + 1, i, 1])
            a["end"].set_data([last_finite_point(points[: k + 1, i], surface)[0]],
                              [last_finite_point(points[: k + 1, i], surface)[1]])
        text.set_text(f"iteration {k}")
        return [a["path"] for a in arts] + [a["end"] for a in arts] + [text]

    return FuncAnimation(fig, update, frames=len(ks), interval=interval, blit=False)


_PLAYER_IMAGE = re.compile(r'<img id="_anim_img[0-9a-f]*">')
_PLAYER_SLIDER = re.compile(r'<input id="_anim_slider[0-9a-f]*" type="range"')
_CDN_STYLESHEET = re.compile(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">\s*')


def animation_html(animation):
    """An animation as a self-contained player for a notebook or a static page (IPython ``HTML``).

    matplotlib's ``to_jshtml()`` links Font Awesome from a CDN for its button icons; the link is dropped
    here (JupyterLab and the course's static pages provide the icons), so showing it fetches nothing.
    The player's image gets alt text that says what the animation shows, its frame slider a name.
    """
    from IPython.display import HTML

    alt = html.escape("Animation, frame by frame: " + describe(animation._fig), quote=True)
    page = _CDN_STYLESHEET.sub("", animation.to_jshtml())
    page = _PLAYER_IMAGE.sub(lambda m: f'{m.group(0)[:-1]} alt="{alt}">', page)
    page = _PLAYER_SLIDER.sub(lambda m: f'{m.group(0)} aria-label="frame"', page)
    return HTML(page)
