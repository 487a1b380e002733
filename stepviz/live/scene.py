"""The scene an explorer's canvas draws, declared once: typed marks, the axes they are drawn on, per-stop
texts and the arrays they name (what :class:`~stepviz.live.canvas.LiveCanvas` sends to the browser, where
``js/scene.js`` draws it, and what :mod:`stepviz.live.render` draws with matplotlib for the PNG fallback).

Arrays: name -> float array whose first axis is the stop of the step-size sweep (length 1: the same for
every stop); paths are (stops, points, 2), curves (stops, points) against their index. ``stops`` holds the
step sizes. Texts: name -> one entry per stop (or one for all): a string, or [[from_iteration, template],
...] where the last entry that has started applies, ``{k}`` is the iteration and ``{name}`` the value of
array ``name`` at the stop and iteration shown, written by :func:`fmt`. The ``readout`` texts are lists of
[tone, text] segments (tone: '' | 'strong' | 'warn' | 'sup' | 'br'), which the browser turns into text
nodes, never into HTML.

:meth:`Scene.check` refuses, with a ValueError that names the mark and the field, anything the browser
could not draw: an unknown kind, an axes index out of range, a missing array or text, a non-finite size,
more than :data:`SCENE_BYTES` of data. The browser checks the same again (a saved notebook can hold
anything).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import ClassVar

import numpy as np

from ..viz.figure import DPI
from ..viz.style import INK

#: The most bytes of arrays one scene may send (js/buffers.js MAX_BYTES): the sweep budget (1.2 MB) with room.
SCENE_BYTES = 4_000_000
TONES = ("", "strong", "warn", "sup", "br")


# --- numbers --------------------------------------------------------------------------------------------

def _round_half_up(v: float, digits: int) -> tuple[Decimal, int]:
    """|v| as a mantissa in [1, 10) with ``digits`` - 1 decimals, and its exponent, rounded half up on the
    exact binary value (JavaScript's toPrecision/toExponential)."""
    # Python's formatting rounds the exact binary value correctly (ties to even): the same as half up unless
    # the value is a tie. Seventeen significant digits show every possible tie as a 5 and zeros after the
    # kept digits; only those take the exact (slower) way below.
    long = f"{abs(v):.16e}"
    if not (long[digits + 1] == "5" and long[digits + 2:long.index("e")].strip("0") == ""):
        mantissa, exponent = f"{abs(v):.{digits - 1}e}".split("e")
        return Decimal(mantissa), int(exponent)
    d = Decimal(abs(v))
    e = d.adjusted()
    q = Decimal(1).scaleb(-(digits - 1))
    m = d.scaleb(-e).quantize(q, ROUND_HALF_UP)
    if m >= 10:
        m, e = (m / 10).quantize(q, ROUND_HALF_UP), e + 1
    return m, e


def fmt(v) -> str:
    """A number in an explorer's texts: three significant digits, plain from 0.001 to 9999, an exponent
    outside (1.5e-7, 1.23e4), no trailing zeros. The twin of ``js/format.js``'s fmt, digit for digit
    (tests/live/test_canvas_js.py runs both on the same numbers)."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    return _fmt(v)


@lru_cache(maxsize=8192)  # a scene formats every stop's step size again after each change: the same numbers
def _fmt(v: float) -> str:
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    m, e = _round_half_up(v, 3)
    if 1e-3 <= abs(v) < 1e4:
        text = repr(float(m.scaleb(e)))  # JavaScript's String(Number(...)): the shortest round trip
        return sign + (text[:-2] if text.endswith(".0") else text)
    mantissa = re.sub(r"\.?0+$", "", f"{m:.2f}") if "." in f"{m:.2f}" else f"{m}"
    return f"{sign}{mantissa}e{e}"


def text_at(entries, k: int, values=None) -> str:
    """js/scene.js's textAt: the entry for iteration ``k`` with {k} and {array} filled in (``values(name)``
    -> the array's value at the stop and iteration shown, or None)."""
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
        return m.group(0) if v is None else fmt(v)

    return re.sub(r"\{(\w+)\}", fill, template)


def plain(segments) -> str:
    """A readout's segments as plain text: what a screen reader reads ('br' a new line, 'sup' after '^')."""
    out = []
    for tone, text in segments:
        out.append("\n" if tone == "br" else f"^{text}" if tone == "sup" else text)
    return "".join(out)


# --- axes -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AxesBox:
    """Where an axes sits in the picture (pixels, origin top left), its limits and scales: what the browser
    needs to map data to pixels as matplotlib's ``transData`` does. ``click``: a click on it goes to the
    kernel (the contour plot: a new start point)."""

    box: tuple[float, float, float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    xscale: str = "linear"
    yscale: str = "linear"
    click: bool = False

    def check(self, i: int):
        ok = (len(self.box) == 4 and all(map(math.isfinite, self.box)) and self.box[2] > 0 and self.box[3] > 0
              and all(len(lim) == 2 and all(map(math.isfinite, lim)) and lim[0] != lim[1]
                      for lim in (self.xlim, self.ylim))
              and self.xscale in ("linear", "log") and self.yscale in ("linear", "log")
              and (self.xscale != "log" or min(self.xlim) > 0) and (self.yscale != "log" or min(self.ylim) > 0))
        if not ok:
            raise ValueError(f"axes {i} is not a box with finite limits and a linear or log scale: {self}")

    def wire(self) -> dict:
        return {"box": [float(v) for v in self.box], "xlim": [float(v) for v in self.xlim],
                "ylim": [float(v) for v in self.ylim], "xscale": self.xscale, "yscale": self.yscale,
                "click": bool(self.click)}


def axes_box(ax, click: bool = False) -> AxesBox:
    """The :class:`AxesBox` of matplotlib axes ``ax`` as it is drawn now, in CSS px (figure pixels at 100 dpi)."""
    scale = ax.figure.dpi / DPI  # the picture's pixels per CSS px (the screen's pixel ratio)
    height = ax.figure.bbox.height
    x0, y0, x1, y1 = (v / scale for v in ax.get_window_extent().extents)
    return AxesBox((float(x0), float(height / scale - y1), float(x1 - x0), float(y1 - y0)),
                   tuple(map(float, ax.get_xlim())), tuple(map(float, ax.get_ylim())),
                   ax.get_xscale(), ax.get_yscale(), click)


# --- marks ------------------------------------------------------------------------------------------------
# Sizes are pixels of the figure's picture (1 px per CSS px at the explorers' 100 dpi).

_NUMBERS = ("alpha", "width", "dots", "xstep", "sign", "size", "edge_width")


@dataclass(frozen=True, kw_only=True)
class Mark:
    """What every mark has: the axes it is drawn on (an index into the scene's axes), whether it is clipped
    to them, its opacity; ``toggle``: drawn only while that toggle control is on; ``when`` 'alive' | 'gone'
    with ``diverged`` (a per-stop array: the step the run diverged at, -1 if never): drawn only before /
    from that step."""

    kind: ClassVar[str] = ""
    arrays: ClassVar[tuple[str, ...]] = ()  # fields that name arrays
    ats: ClassVar[tuple[str, ...]] = ()     # allowed values of ``at`` (empty: not checked here)
    axes: int
    clip: bool = True
    alpha: float = 1.0
    toggle: str | None = None
    when: str | None = None
    diverged: str | None = None

    def check(self, i: int, n_axes: int, arrays: dict, texts: dict):
        what = f"mark {i} ({self.kind})"
        if isinstance(self.axes, bool) or not isinstance(self.axes, (int, np.integer)) or not 0 <= self.axes < n_axes:
            raise ValueError(f"{what}: axes {self.axes!r} is not one of the {n_axes} axes")
        for name in self.arrays + (("diverged",) if self.diverged is not None else ()):
            if getattr(self, name) not in arrays:
                raise ValueError(f"{what}: {name} names no array ({getattr(self, name)!r}); "
                                 f"the arrays are {sorted(arrays)}")
        for name in _NUMBERS:
            v = getattr(self, name, None)
            if v is not None and not (isinstance(v, (int, float, np.number)) and math.isfinite(v)):
                raise ValueError(f"{what}: {name} must be a finite number; got {v!r}")
        if self.ats and getattr(self, "at") not in self.ats:
            raise ValueError(f"{what}: at must be one of {self.ats}; got {getattr(self, 'at')!r}")
        if self.when not in (None, "alive", "gone") or (self.when is not None and self.diverged is None):
            raise ValueError(f"{what}: when must be 'alive' or 'gone' with a diverged array; got {self.when!r}")
        dash = getattr(self, "dash", ())
        if not all(isinstance(d, (int, float)) and math.isfinite(d) and d >= 0 for d in dash):
            raise ValueError(f"{what}: dash must be lengths in px; got {dash!r}")

    def wire(self) -> dict:
        """The dict the browser gets: the kind, and every field that is not at its default."""
        out = {"kind": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            if v != f.default or f.name == "axes":
                out[f.name] = list(v) if isinstance(v, tuple) else (float(v) if isinstance(v, np.floating) else v)
        return out


@dataclass(frozen=True, kw_only=True)
class Line(Mark):
    """Array ``data`` drawn as a line: a path (stops, n, 2), or a curve (stops, n) against index x ``xstep``;
    ``upto`` 'iteration': only up to the iteration shown; ``dots``: a dot of that size at each point;
    ``sign`` -1: mirrored in y."""

    kind: ClassVar[str] = "line"
    arrays: ClassVar = ("data",)
    data: str
    color: str
    width: float = 1.5
    upto: str = "all"
    dash: tuple = ()
    dots: float = 0.0
    xstep: float = 1.0
    sign: float = 1.0


@dataclass(frozen=True, kw_only=True)
class Marker(Mark):
    """One marker on the path ``data``: at its 'start', the 'iteration' shown (between two iterates while
    Play runs) or its 'last' finite point (pulled into the axes)."""

    kind: ClassVar[str] = "marker"
    arrays: ClassVar = ("data",)
    ats: ClassVar = ("start", "iteration", "last")
    data: str
    at: str
    shape: str = "o"
    size: float = 6.0
    fill: str = "none"
    edge: str = "none"
    edge_width: float = 1.0
    xstep: float = 1.0


@dataclass(frozen=True, kw_only=True)
class VLine(Mark):
    """A vertical line at ``at``: 'iteration' (x = the iteration shown), 'stop' (x = the step size shown)
    or the name of an array (its value at the stop and iteration shown)."""

    kind: ClassVar[str] = "vline"
    at: str
    color: str
    width: float = 1.0
    dash: tuple = ()

    def check(self, i, n_axes, arrays, texts):
        super().check(i, n_axes, arrays, texts)
        if self.at not in ("iteration", "stop") and self.at not in arrays:
            raise ValueError(f"mark {i} ({self.kind}): at must be 'iteration', 'stop' or an array; got {self.at!r}")


@dataclass(frozen=True, kw_only=True)
class HLine(VLine):
    """A horizontal line at ``at`` (as :class:`VLine`)."""

    kind: ClassVar[str] = "hline"


@dataclass(frozen=True, kw_only=True)
class Point(Mark):
    """A marker at (``x``, ``y``): x 'stop' (the step size shown), 'iteration' or an array; y an array."""

    kind: ClassVar[str] = "point"
    arrays: ClassVar = ("y",)
    x: str
    y: str
    shape: str = "o"
    size: float = 6.0
    fill: str = "none"
    edge: str = "none"
    edge_width: float = 1.0

    def check(self, i, n_axes, arrays, texts):
        super().check(i, n_axes, arrays, texts)
        if self.x not in ("iteration", "stop") and self.x not in arrays:
            raise ValueError(f"mark {i} (point): x must be 'iteration', 'stop' or an array; got {self.x!r}")


@dataclass(frozen=True, kw_only=True)
class Text(Mark):
    """Text ``texts`` (a key of the scene's texts) in the band above the axes: its 'title', its 'status' line
    (left) or a 'key' (right, on the status line: a legend entry of marks the canvas draws, e.g. with their toggle)."""

    kind: ClassVar[str] = "text"
    ats: ClassVar = ("title", "status", "key")
    texts: str
    at: str
    size: float = 12.0
    color: str = INK

    def check(self, i, n_axes, arrays, texts):
        super().check(i, n_axes, arrays, texts)
        if self.texts not in texts:
            raise ValueError(f"mark {i} (text): no texts {self.texts!r}; the texts are {sorted(texts)}")


@dataclass(frozen=True, kw_only=True)
class Above(Mark):
    """A marker at (k x ``xstep``, alpha) wherever the step size alpha shown exceeds curve ``data`` (a limit)."""

    kind: ClassVar[str] = "above"
    arrays: ClassVar = ("data",)
    data: str
    shape: str = "v"
    size: float = 5.0
    fill: str = "none"
    edge: str = "none"
    xstep: float = 1.0


@dataclass(frozen=True, kw_only=True)
class Links(Mark):
    """A segment from each iterate of path ``data`` to the point of path ``to`` (look-ahead points), up to
    the iteration shown with ``upto`` 'iteration'; a marker of ``shape`` at each ``to`` point."""

    kind: ClassVar[str] = "links"
    arrays: ClassVar = ("data", "to")
    data: str
    to: str
    color: str
    width: float = 1.0
    upto: str = "all"
    shape: str | None = None
    size: float = 5.0
    fill: str = "none"
    edge: str = "none"
    edge_width: float = 1.0


@dataclass(frozen=True, kw_only=True)
class Affine(Mark):
    """The line y = a x + b of the iterate (a, b) of path ``data`` shown, over x from ``x[0]`` to ``x[1]``."""

    kind: ClassVar[str] = "affine"
    arrays: ClassVar = ("data",)
    data: str
    x: tuple[float, float]
    color: str
    width: float = 1.5

    def check(self, i, n_axes, arrays, texts):
        super().check(i, n_axes, arrays, texts)
        if len(self.x) != 2 or not all(map(math.isfinite, self.x)):
            raise ValueError(f"mark {i} (affine): x must be two finite numbers; got {self.x!r}")


KINDS = {cls.kind: cls for cls in (Line, Marker, VLine, HLine, Point, Text, Above, Links, Affine)}


# --- the scene ----------------------------------------------------------------------------------------------

@dataclass
class Scene:
    """Everything the browser draws for one configuration: matplotlib ``axes`` (their boxes are sent), the
    ``marks`` in drawing order, the ``arrays`` they name, the per-stop ``texts``, the names of the arrays
    sent as int16 codes (``compact``, see :func:`~stepviz.live.canvas.pack`) and which axes take clicks."""

    axes: list
    marks: list[Mark]
    arrays: dict
    texts: dict
    compact: set = field(default_factory=set)
    clickable: tuple[int, ...] = ()

    @property
    def stops(self) -> int:
        return int(np.asarray(self.arrays["stops"]).size) if "stops" in self.arrays else 1

    def at_stop(self, i: int) -> "Scene":
        """This scene for stop ``i`` alone (every array's row ``i``, every text's entry ``i``; what is the same for
        every stop kept): what the browser draws at that stop, a small part of the whole sweep's bytes."""
        n = self.stops
        if not 0 <= i < n:
            raise ValueError(f"stop {i} is not one of this scene's {n} stops")
        arrays = {}
        for name, a in self.arrays.items():  # 'stops' is the table the browser looks the stop up in: kept whole
            a = np.asarray(a)
            arrays[name] = a[i:i + 1] if name != "stops" and a.ndim >= 1 and a.shape[0] == n and n > 1 else a
        texts = {name: per_stop[min(i, len(per_stop) - 1):][:1] for name, per_stop in self.texts.items()}
        return Scene(self.axes, self.marks, arrays, texts, set(self.compact), self.clickable)

    def check(self, boxes: list[AxesBox]):
        """Raise a ValueError naming the first mark, array or text the browser could not draw."""
        for i, box in enumerate(boxes):
            box.check(i)
        n = self.stops
        for name, a in self.arrays.items():
            a = np.asarray(a)
            if name != "stops" and (a.ndim < 1 or a.ndim > 3 or a.shape[0] not in (1, n)):
                raise ValueError(f"array {name!r} of shape {a.shape}: its first axis must be the {n} stops (or 1)")
        for name, per_stop in self.texts.items():
            if not isinstance(per_stop, list) or len(per_stop) not in (1, n):
                raise ValueError(f"texts {name!r} must be a list with one entry per stop ({n}) or one for all")
        for entry in self.texts.get("readout", []):
            if not all(len(seg) == 2 and seg[0] in TONES and isinstance(seg[1], str) for seg in entry):
                raise ValueError(f"a readout must be [tone, text] segments with a tone in {TONES}; got {entry!r}")
        for i, mark in enumerate(self.marks):
            if type(mark) not in KINDS.values():
                raise ValueError(f"mark {i} is not a scene mark (one of {sorted(KINDS)}): {mark!r}")
            mark.check(i, len(boxes), self.arrays, self.texts)


__all__ = ["AxesBox", "axes_box", "Mark", "Line", "Marker", "VLine", "HLine", "Point", "Text", "Above", "Links",
           "Affine", "KINDS", "Scene", "fmt", "text_at", "plain", "SCENE_BYTES", "TONES"]
