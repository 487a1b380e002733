"""Builders of the explorers' usual marks and texts: a path with its start and current iterate, a title,
the status line, the 'diverged' readout (one wording and one look for every explorer), and the static
legend that names the path marks."""
from __future__ import annotations

import numpy as np

from .render import PT
from .scene import Line, Marker, Text, fmt

Segments = list  # [[tone, text], ...]: see stepviz.live.scene


def path_marks(axes: int, color: str, *, data="path", diverged="diverged", dots=True, width=1.8) -> list:
    """A path drawn up to the iteration shown: the line (with a dot per iterate), the start, the current
    iterate (a white disc; a cross at its last position once the run has diverged), the status line."""
    return [
        Line(axes=axes, data=data, upto="iteration", color=color, width=width * PT, dots=4 * PT if dots else 0.0),
        Marker(axes=axes, data=data, at="start", shape="o", size=8 * PT, fill=color, edge="black"),
        Marker(axes=axes, data=data, at="iteration", shape="o", size=7 * PT, fill="white", edge=color,
               edge_width=2 * PT, when="alive", diverged=diverged),
        Marker(axes=axes, data=data, at="last", shape="X", size=12 * PT, fill=color, edge="black", when="gone",
               diverged=diverged, clip=False),
        Text(axes=axes, at="status", texts="status", size=12),
    ]


def path_legend(ax, color, extra=(), **kw):
    """A legend on static axes for the path marks the browser draws (and ``extra`` handles after them)."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=color, lw=1.6, marker=".", ms=4, label="path"),
               Line2D([], [], color=color, marker="o", mec="black", ms=7, ls="none", label="start"),
               Line2D([], [], color="white", marker="o", mec=color, mew=2, ms=6, ls="none", label="iteration k")]
    kw = {"fontsize": 7, "framealpha": 0.85, **kw}
    return ax.legend(handles=handles + list(extra), **kw)


def title_mark(axes: int, texts="title", size=13) -> Text:
    return Text(axes=axes, at="title", texts=texts, size=size, clip=False)


def status_texts(diverged_at, extra=None) -> list:
    """Per stop: 'iteration k', and from the step it diverged at, '... · diverged at step d'."""
    out = []
    for i, d in enumerate(np.asarray(diverged_at).reshape(-1)):
        base = "iteration {k}" + (extra[i] if extra is not None else "")
        entry = [[0, base]]
        if d >= 0:
            entry.append([int(d), f"iteration {{k}} · diverged at step {int(d)}"])
        out.append(entry)
    return out


def diverged_readout(step: int, what="the path left the plot window far behind",
                     advice="Try a smaller step size.") -> Segments:
    """The readout of a run that diverged at ``step``: the same words and the same warning look everywhere."""
    return [["warn", f"diverged at step {int(step)}"], ["", f": {what}. {advice}"]]


def settled_text(k: int, tol: float, steps: int) -> str:
    """Where a run arrives: 'within tol from step k on' (it stays there to the end), or that it is not there."""
    return f"within {fmt(tol)} from step {k} on" if k >= 0 else f"not within {fmt(tol)} at step {steps}"


__all__ = ["PT", "path_marks", "path_legend", "title_mark", "status_texts", "diverged_readout", "settled_text"]
