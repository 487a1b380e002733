"""The scene drawn with matplotlib: the moving layer of an explorer as the PNG that viewers without widgets
get (``LiveFigure.fallback_png``). It reads the same typed marks the browser draws (:mod:`stepviz.live.scene`),
mark for mark, so the two pictures show the same runs."""
from __future__ import annotations

import numpy as np

from ..viz.figure import DPI
from ..viz.style import PAPER
from .scene import Above, Affine, HLine, Line, Links, Marker, Point, Text, VLine, text_at

PT = DPI / 72  # pixels per point: matplotlib sizes (points) to the canvas's pixels


def row(a, s: int) -> np.ndarray:
    """Row ``s`` of an array whose first axis is the stop (one row: the same for every stop)."""
    a = np.asarray(a)
    return a[0] if a.shape[0] == 1 else a[min(max(s, 0), a.shape[0] - 1)]


def value_at(arrays: dict, name: str, s: int, k: int):
    """Array ``name`` at stop ``s`` and iteration ``k`` (its last value for shorter rows), None if absent."""
    if name not in arrays:
        return None
    r = row(arrays[name], s).reshape(-1)
    return r[min(k, r.size - 1)]


def _xy(v, xstep=1.0):
    return v if v.ndim == 2 else np.column_stack([np.arange(v.size) * xstep, v])


def draw(axes, marks, arrays, texts, s: int, k: int, toggles=None) -> list:
    """Add matplotlib artists for ``marks`` at stop ``s`` and iteration ``k`` to ``axes`` (in the order the
    marks index them); returns them so the caller can remove them. ``toggles``: name -> bool."""
    artists = []
    stops = np.asarray(arrays["stops"]).reshape(-1) if "stops" in arrays else None

    def gone(m):
        return m.diverged is not None and 0 <= row(arrays[m.diverged], s).reshape(-1)[0] <= k

    for m in marks:
        ax = axes[m.axes]
        if m.toggle and not (toggles or {}).get(m.toggle):
            continue
        if (m.when == "alive" and gone(m)) or (m.when == "gone" and not gone(m)):
            continue
        kw = {"clip_on": m.clip, "alpha": m.alpha, "zorder": 6}
        if isinstance(m, Line):
            v = _xy(row(arrays[m.data], s), m.xstep) * np.array([1.0, m.sign])
            v = v[: k + 1] if m.upto == "iteration" else v
            with np.errstate(invalid="ignore"):  # an overflowed (inf) value is drawn at the edge
                v = np.clip(v, -1e300, 1e300)
            artists += ax.plot(v[:, 0], v[:, 1], color=m.color, lw=m.width / PT, marker="." if m.dots else None,
                               ms=m.dots / PT, dashes=[d / PT for d in m.dash] if m.dash else (None, None), **kw)
        elif isinstance(m, Above):
            with np.errstate(invalid="ignore"):
                ks = np.nonzero(stops[s] > row(arrays[m.data], s))[0]
            artists += ax.plot(ks * m.xstep, np.full(ks.size, stops[s]), m.shape, ls="none", ms=m.size / PT,
                               mfc=m.fill, mec=m.edge, **kw)
        elif isinstance(m, Links):
            p, q = row(arrays[m.data], s), row(arrays[m.to], s)
            n = min(k if m.upto == "iteration" else len(p), len(p), len(q))
            seg = np.full((n, 3, 2), np.nan)
            seg[:, 0], seg[:, 1] = p[:n], q[:n]
            artists += ax.plot(seg[..., 0].ravel(), seg[..., 1].ravel(), color=m.color, lw=m.width / PT, **kw)
            if m.shape:
                artists += ax.plot(q[:n, 0], q[:n, 1], m.shape, ls="none", ms=m.size / PT, mfc=m.fill, mec=m.edge,
                                   mew=m.edge_width / PT, **kw)
        elif isinstance(m, Affine):
            v = row(arrays[m.data], s)
            a, b = v[min(k, len(v) - 1)]
            xs = np.asarray(m.x, dtype=float)
            artists += ax.plot(xs, a * xs + b, color=m.color, lw=m.width / PT, **kw)
        elif isinstance(m, (Marker, Point)):
            if isinstance(m, Point):
                x = stops[s] if m.x == "stop" else k if m.x == "iteration" else value_at(arrays, m.x, s, k)
                p = (x, value_at(arrays, m.y, s, k))
            else:
                v = _xy(row(arrays[m.data], s), m.xstep)[: k + 1]
                finite = v[np.isfinite(v).all(axis=1)]
                if not len(finite):
                    continue
                p = v[0] if m.at == "start" else finite[-1]
                if m.at == "last":
                    p = (np.clip(p[0], *sorted(ax.get_xlim())), np.clip(p[1], *sorted(ax.get_ylim())))
            artists += ax.plot([p[0]], [p[1]], m.shape, ms=m.size / PT, mfc=m.fill, mec=m.edge,
                               mew=m.edge_width / PT, **kw)
        elif isinstance(m, VLine):  # and HLine
            v = k if m.at == "iteration" else stops[s] if m.at == "stop" else value_at(arrays, m.at, s, k)
            if v is not None and np.isfinite(v):
                line = ax.axhline if isinstance(m, HLine) else ax.axvline
                artists.append(line(v, color=m.color, lw=m.width / PT, ls=":" if m.dash else "-", zorder=6))
        elif isinstance(m, Text):
            per_stop = texts[m.texts]
            text = text_at(per_stop[min(s, len(per_stop) - 1)], k, lambda name: value_at(arrays, name, s, k))
            if m.at == "title":
                artists.append(ax.text(0.5, 1.01, text, transform=ax.transAxes, ha="center", va="bottom",
                                       fontsize=m.size / PT))
            else:
                artists.append(ax.text(0.02, 0.03, text, transform=ax.transAxes, fontsize=m.size / PT, zorder=9,
                                       bbox=dict(boxstyle="round", fc=PAPER, alpha=0.85)))
    return artists


__all__ = ["draw", "row", "value_at", "PT"]
