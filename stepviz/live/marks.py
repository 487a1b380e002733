"""The moving layer's marks: builders for the explorers' usual marks, and the same marks drawn with
matplotlib (the PNG that viewers without widgets get, and a second reading of what the browser draws).

A mark is a dict the browser's canvas.js draws (see :mod:`stepviz.live.canvas`); sizes are in pixels of
the figure's picture (1 px per CSS px at the explorers' 100 dpi).
"""
from __future__ import annotations

import re

import numpy as np

from ..viz.figure import DPI

PT = DPI / 72  # pixels per point: matplotlib sizes (points) to the canvas's pixels


def path_marks(axes: int, color: str, *, data="path", diverged="diverged", dots=True, width=1.8):
    """A path drawn up to the iteration shown: the line (with a dot per iterate), the start, the current
    iterate (a white disc; a cross at its last position once the run has diverged), the status line."""
    return [
        {"kind": "line", "axes": axes, "data": data, "upto": "iteration", "color": color, "width": width * PT,
         "dots": 4 * PT if dots else 0},
        {"kind": "marker", "axes": axes, "data": data, "at": "start", "shape": "o", "size": 8 * PT,
         "fill": color, "edge": "black", "edgeWidth": 1},
        {"kind": "marker", "axes": axes, "data": data, "at": "iteration", "shape": "o", "size": 7 * PT,
         "fill": "white", "edge": color, "edgeWidth": 2 * PT, "when": "alive", "diverged": diverged},
        {"kind": "marker", "axes": axes, "data": data, "at": "last", "shape": "X", "size": 12 * PT,
         "fill": color, "edge": "black", "edgeWidth": 1, "when": "gone", "diverged": diverged, "clip": False},
        {"kind": "text", "axes": axes, "at": "status", "texts": "status", "size": 12},
    ]


def path_legend(ax, color, extra=(), **kw):
    """A legend on static axes for the path marks the browser draws (and ``extra`` handles after them)."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=color, lw=1.6, marker=".", ms=4, label="path"),
               Line2D([], [], color=color, marker="o", mec="black", ms=7, ls="none", label="start"),
               Line2D([], [], color="white", marker="o", mec=color, mew=2, ms=6, ls="none", label="iteration k")]
    kw = {"fontsize": 7, "framealpha": 0.85, **kw}
    return ax.legend(handles=handles + list(extra), **kw)


def title_mark(axes: int, texts="title", size=13):
    return {"kind": "text", "axes": axes, "at": "title", "texts": texts, "size": size, "clip": False}


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


# --- the same marks drawn by matplotlib --------------------------------------------------------------

def _row(a, s):
    a = np.asarray(a)
    return a[0] if a.shape[0] == 1 else a[min(max(s, 0), a.shape[0] - 1)]


def _fmt(v) -> str:
    """As canvas.js's fmt: three significant digits."""
    if not np.isfinite(v):
        return str(v)
    return f"{v:.3g}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def _text_at(entries, k, values=None):
    """canvas.js's textAt: the last entry with from_iteration <= k; {k} and {array} filled in."""
    if isinstance(entries, str):
        entries = [[0, entries]]
    template = ""
    for kmin, t in entries:
        if kmin <= k:
            template = t

    def fill(m):
        key = m.group(1)
        if key == "k":
            return str(k)
        v = values(key) if values is not None else None
        return m.group(0) if v is None else _fmt(float(v))

    return re.sub(r"\{(\w+)\}", fill, template)


def draw_marks(axes, marks, arrays, texts, s: int, k: int, toggles=None) -> list:
    """Add matplotlib artists for ``marks`` at stop ``s`` and iteration ``k`` to ``axes`` (the figure's
    axes, in the order the marks index them); returns them so the caller can remove them. ``toggles``:
    name -> bool for marks shown only while a toggle is on."""
    artists = []
    stops = np.asarray(arrays["stops"]).reshape(-1) if "stops" in arrays else None

    def gone(m):
        d = arrays.get(m.get("diverged"))
        return d is not None and 0 <= _row(d, s).reshape(-1)[0] <= k

    for m in marks:
        ax = axes[m["axes"]]
        if m.get("toggle") and not (toggles or {}).get(m["toggle"]):
            continue
        if (m.get("when") == "alive" and gone(m)) or (m.get("when") == "gone" and not gone(m)):
            continue
        kw = {"clip_on": m.get("clip", True), "alpha": m.get("alpha", 1.0), "zorder": 6}
        if m["kind"] == "line":
            v = _row(arrays[m["data"]], s)
            if v.ndim == 1:
                v = np.column_stack([np.arange(v.size) * m.get("xstep", 1), v])
            v = v * np.array([1.0, m.get("sign", 1)])
            v = v[: k + 1] if m.get("upto") == "iteration" else v
            artists += ax.plot(v[:, 0], v[:, 1], color=m["color"], lw=m.get("width", 1.5) / PT,
                               marker="." if m.get("dots") else None, ms=m.get("dots", 0) / PT,
                               dashes=[d / PT for d in m["dash"]] if m.get("dash") else (None, None), **kw)
        elif m["kind"] == "above":
            limits = _row(arrays[m["data"]], s)
            with np.errstate(invalid="ignore"):
                ks = np.nonzero(stops[s] > limits)[0]
            artists += ax.plot(ks * m.get("xstep", 1), np.full(ks.size, stops[s]), m.get("shape", "v"), ls="none",
                               ms=m.get("size", 5) / PT, mfc=m.get("fill", "none"), mec=m.get("edge", "none"), **kw)
        elif m["kind"] == "links":
            p, q = _row(arrays[m["data"]], s), _row(arrays[m["to"]], s)
            n = min(k, len(p)) if m.get("upto") == "iteration" else len(p)
            seg = np.full((n, 3, 2), np.nan)
            seg[:, 0], seg[:, 1] = p[:n], q[:n]
            artists += ax.plot(seg[..., 0].ravel(), seg[..., 1].ravel(), color=m["color"],
                               lw=m.get("width", 1) / PT, **kw)
            if m.get("shape"):
                artists += ax.plot(q[:n, 0], q[:n, 1], m["shape"], ls="none", ms=m.get("size", 5) / PT,
                                   mfc=m.get("fill", "none"), mec=m.get("edge", "none"),
                                   mew=m.get("edgeWidth", 1) / PT, **kw)
        elif m["kind"] == "affine":
            v = _row(arrays[m["data"]], s)
            a, b = v[min(k, len(v) - 1)]
            xs = np.asarray(m["x"], dtype=float)
            artists += ax.plot(xs, a * xs + b, color=m["color"], lw=m.get("width", 1.5) / PT, **kw)
        elif m["kind"] in ("marker", "point"):
            if m["kind"] == "point":
                x = stops[s] if m["x"] == "stop" else k if m["x"] == "iteration" else _row(arrays[m["x"]], s)[0]
                p = (x, _row(arrays[m["y"]], s).reshape(-1)[0])
            else:
                v = _row(arrays[m["data"]], s)
                if v.ndim == 1:
                    v = np.column_stack([np.arange(v.size) * m.get("xstep", 1), v])
                v = v[: k + 1]
                finite = v[np.isfinite(v).all(axis=1)]
                if not len(finite):
                    continue
                p = v[0] if m["at"] == "start" else finite[-1]
                if m["at"] == "last":
                    p = (np.clip(p[0], *sorted(ax.get_xlim())), np.clip(p[1], *sorted(ax.get_ylim())))
            artists += ax.plot([p[0]], [p[1]], m.get("shape", "o"), ms=m.get("size", 6) / PT,
                               mfc=m.get("fill", "none"), mec=m.get("edge", "none"),
                               mew=m.get("edgeWidth", 1) / PT, **kw)
        elif m["kind"] in ("vline", "hline"):
            at = m["at"]
            v = k if at == "iteration" else stops[s] if at == "stop" else _row(arrays[at], s).reshape(-1)[0]
            line = ax.axvline if m["kind"] == "vline" else ax.axhline
            artists.append(line(v, color=m["color"], lw=m.get("width", 1) / PT,
                                ls=":" if m.get("dash") else "-", zorder=6))
        elif m["kind"] == "text":
            entries = texts[m["texts"]][min(s, len(texts[m["texts"]]) - 1)]

            def value(name):
                if name not in arrays:
                    return None
                r = _row(arrays[name], s).reshape(-1)
                return r[min(k, r.size - 1)]

            text = _text_at(entries, k, value)
            if m["at"] == "title":
                artists.append(ax.text(0.5, 1.01, text, transform=ax.transAxes, ha="center", va="bottom",
                                       fontsize=m.get("size", 12) / PT))
            else:
                artists.append(ax.text(0.02, 0.03, text, transform=ax.transAxes, fontsize=m.get("size", 12) / PT,
                                       zorder=9, bbox=dict(boxstyle="round", fc="white", alpha=0.85)))
    return artists


__all__ = ["PT", "path_marks", "path_legend", "title_mark", "status_texts", "draw_marks"]
