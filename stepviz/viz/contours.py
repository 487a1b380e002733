"""Pictures over a plane: contours of a surface (minima and saddles marked), the local-limit map, a loss
slice with training paths, a classifier's decision boundary."""
from __future__ import annotations

import weakref

import numpy as np
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap, ListedColormap, LogNorm, to_hex

from .. import _validate
from ..analysis import curvature
from ..analysis.landscape import LossSlice
from ..problems.surfaces import QuadraticBowl, Surface, get_surface
from .figure import axes_for
from .style import CLASS_COLORS, CONTOUR_LINE_COLOR, INK, MINIMUM_COLOR, PAPER, PATH_COLORS, SURFACE_FILL_COLORS

_GRIDS: "weakref.WeakKeyDictionary[Surface, dict]" = weakref.WeakKeyDictionary()


def surface_grid(surface: Surface, n: int = 160):
    """(X, Y, Z) on an n x n grid over ``surface.bounds`` (n from 3 to 1,000), cached per surface."""
    n = _validate.integer("n", n, low=3, high=1000, why="grid points per side of the contour grid")
    cache = _GRIDS.setdefault(surface, {})
    if n not in cache:
        (x0, x1), (y0, y1) = surface.bounds
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        with np.errstate(all="ignore"):
            Z = surface.value(np.stack([X, Y], axis=-1))
        cache[n] = (X, Y, Z)
    return cache[n]


def contour_levels(surface: Surface, Z, count: int = 14):
    """Levels of equal area: the finite values of Z split into count + 1 bands that each cover about the same
    share of the window, so the picture shows the surface's shape everywhere (evenly spaced levels leave a
    bowl's window one colour but for its corners). Where the range is wide (``surface.log_levels``, Rosenbrock),
    log-spaced levels below the first one show the valley floor too. NaN or inf regions are left blank. A
    window where f is constant gets levels around its value; one where f is nowhere finite gets [0, 1]."""
    finite = np.asarray(Z)[np.isfinite(Z)]
    if finite.size == 0:
        return np.array([0.0, 1.0])
    zmin, zmax = float(finite.min()), float(finite.max())
    if zmax == zmin:
        d = 0.5 * max(abs(zmin), 1.0)
        return np.array([zmin - d, zmin, zmin + d])
    # 'nearest' picks values of Z itself: no arithmetic that could overflow near the largest floats
    levels = np.quantile(finite, np.linspace(0, 1, count + 2)[1:-1], method="nearest")
    if surface.log_levels and zmin >= 0:
        lo = max(zmin, (zmax - zmin) * 1e-5, 1e-3)
        if lo < levels[0]:
            levels = np.concatenate([np.geomspace(lo, levels[0], 5)[:-1], levels])
    levels = np.unique(levels)
    return levels if levels.size >= 2 else np.array([zmin, zmax])


def fill_colors(n: int) -> list:
    """``n`` colours of filled bands, lowest first, evenly along style.SURFACE_FILL_COLORS's ramp."""
    ramp = LinearSegmentedColormap.from_list("stepviz_surface", SURFACE_FILL_COLORS)
    return [to_hex(ramp(t)) for t in np.linspace(0, 1, n)]


def plot_surface(surface, ax=None, *, n: int = 160, filled: bool = True):
    """Contours of the loss over the surface's window, minima (stars) and saddle points (crosses) marked.

    Filled bands of equal area (:func:`contour_levels`) in a light colour ramp, lowest band bluest, with the
    level lines over them. Returns a dict of artists: 'contour' (and 'lines' when filled), 'minima', 'saddles'.
    """
    surface = get_surface(surface)
    ax = axes_for(ax, (5, 4.2))
    X, Y, Z = surface_grid(surface, n)
    levels = contour_levels(surface, Z)
    title = _surface_title(surface, Z)
    Z = np.ma.masked_invalid(Z)  # inf and NaN regions (a learner's function) stay blank
    scale = float(np.max(np.abs(levels)))
    if scale > 1e100 or 0 < scale < 1e-100:  # 1e300 (x^2 + y^2) or 1e-300 (...): matplotlib's contouring
        # overflows; the picture is the same scaled
        Z, levels = Z / scale, levels / scale
    artists = {}
    # Colours by band, not by value: every band its own step of the ramp, below the first level and above
    # the last included (extend='both').
    bands = fill_colors(len(levels) + 1)
    with np.errstate(all="ignore"):
        if filled:
            ramp = ListedColormap(bands[1:-1]).with_extremes(under=bands[0], over=bands[-1])
            artists["contour"] = ax.contourf(X, Y, Z, levels=levels, cmap=ramp, extend="both",
                                             norm=BoundaryNorm(levels, ramp.N))
            artists["lines"] = ax.contour(X, Y, Z, levels=levels, colors=CONTOUR_LINE_COLOR, linewidths=0.6)
        else:
            artists["contour"] = ax.contour(X, Y, Z, levels=levels, colors=[CONTOUR_LINE_COLOR])
    m, s = np.asarray(surface.minima), np.asarray(surface.saddles)
    # Labels start with '_' (hidden from legends) when there is nothing to mark.
    artists["minima"] = ax.plot(m[:, 0], m[:, 1], "*", color=MINIMUM_COLOR, mec=INK, ms=13, zorder=5,
                                label="minimum" if len(m) else "_minimum", linestyle="none")[0]
    artists["saddles"] = ax.plot(s[:, 0], s[:, 1], "X", color=PAPER, mec=INK, ms=10, zorder=5,
                                 label="saddle point" if len(s) else "_saddle", linestyle="none")[0]
    (x0, x1), (y0, y1) = surface.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(title)
    return artists


def _surface_title(surface, Z=None):
    if isinstance(surface, QuadraticBowl):
        return f"bowl (condition number {surface.condition_number:g})"
    finite = np.empty(0) if Z is None else Z[np.isfinite(Z)]
    if Z is not None and finite.size == 0:
        return f"{surface.name} (not finite anywhere in this window)"
    if finite.size and finite.min() == finite.max():
        return f"{surface.name} (constant on this window: f = {float(finite.min()):.3g})"
    return surface.name


def plot_local_limit_map(surface, ax=None, *, n: int = 120, vmin=None, vmax=None):
    """A map of the local limit 2 / lambda_max(H(theta)) over the surface's window (log colour scale),
    with the minima marked. Returns {'image': QuadMesh, 'colorbar': Colorbar, 'values': (n, n) array}."""
    surface = get_surface(surface)
    ax = axes_for(ax, (5.2, 4.2))
    X, Y, lim = curvature.local_limit_grid(surface, n)
    (x0, x1), (y0, y1) = surface.bounds
    shown = np.where(np.isfinite(lim), lim, np.nan)
    vmin = np.nanmin(shown) if vmin is None else vmin
    vmax = np.nanmax(shown) if vmax is None else vmax
    image = ax.pcolormesh(X, Y, shown, norm=LogNorm(vmin, vmax), cmap="magma", shading="auto")
    cbar = ax.figure.colorbar(image, ax=ax, label=r"local limit $2/\lambda_{max}$")
    m = np.asarray(surface.minima)
    if len(m):
        ax.plot(m[:, 0], m[:, 1], "*", color=MINIMUM_COLOR, mec=INK, ms=13, ls="none", label="minimum")
        ax.legend(loc="upper right", fontsize=8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(f"{surface.name}: largest stable step at each point")
    return {"image": image, "colorbar": cbar, "values": lim}


def plot_loss_slice(sl, paths=(), labels=(), ax=None):
    """Contours (log levels) of a :func:`~stepviz.analysis.landscape.loss_slice` with training paths (each
    (k, n_params)) projected on its plane; the plane's centre is a star. Returns {'contour', 'paths'}."""
    if not isinstance(sl, LossSlice):
        raise TypeError(f"sl must be the result of stepviz.analysis.loss_slice(...); got {type(sl).__name__}")
    ax = axes_for(ax, (5.2, 4.4))
    Z = sl.losses
    finite = Z[np.isfinite(Z) & (Z > 0)]
    levels = np.geomspace(max(finite.min(), 1e-4), finite.max(), 18)
    with np.errstate(all="ignore"):
        cf = ax.contourf(sl.a, sl.b, Z, levels=levels, norm=LogNorm(levels[0], levels[-1]), cmap="Blues_r", extend="both")
        ax.contour(sl.a, sl.b, Z, levels=levels, colors=PAPER, linewidths=0.4, alpha=0.6)
    cbar = ax.figure.colorbar(cf, ax=ax, label="loss J (log scale)")
    ticks = levels[::4]
    cbar.set_ticks(ticks, labels=[f"{v:.2g}" for v in ticks])
    cbar.minorticks_off()
    lines = []
    for i, (path, label) in enumerate(zip(paths, labels)):
        xy = sl.project(path)
        c = PATH_COLORS[i % len(PATH_COLORS)]
        lines.append(ax.plot(xy[:, 0], xy[:, 1], "-", color=c, lw=1.6, marker=".", ms=3, label=label)[0])
        ax.plot(*xy[0], "o", color=c, mec=INK, ms=7)
    ax.plot(0, 0, "*", color=MINIMUM_COLOR, mec=INK, ms=13, label="centre (trained network)")
    (a0, a1), (b0, b1) = sl.surface.bounds
    ax.set_xlim(a0, a1)
    ax.set_ylim(b0, b1)
    ax.set_xlabel("direction 1")
    ax.set_ylabel("direction 2")
    ax.set_title("a 2-D slice of the loss landscape")
    ax.legend(fontsize=8, loc="upper right", framealpha=0.85)
    return {"contour": cf, "paths": lines}


def plot_decision_boundary(problem, theta, ax=None, title=None, n: int = 120):
    """P(y = 1 | x) of the network of ``problem`` (a NetworkLoss) at ``theta`` as a colour map with the 0.5
    contour, and the data points.
    Returns the dict 'image', 'boundary', 'points'."""
    ax = axes_for(ax, (4.2, 4))
    model, X, y = problem.model, problem.X, problem.y
    lo, hi = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    prob = model.predict_proba(theta, np.stack([gx.ravel(), gy.ravel()], -1)).reshape(gx.shape)
    image = ax.pcolormesh(gx, gy, prob, cmap="RdBu_r", vmin=0, vmax=1, shading="auto", alpha=0.6)
    boundary = ax.contour(gx, gy, prob, levels=[0.5], colors=INK, linewidths=1.2) if np.isfinite(prob).all() \
        and prob.min() < 0.5 < prob.max() else None
    points = [ax.scatter(*X[y == k].T, s=12, color=c, edgecolor=PAPER, lw=0.4, label=f"class {k}")
              for k, c in enumerate(CLASS_COLORS)]
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    acc = float(model.accuracy(theta, X, y))
    ax.set_title(title or f"decision boundary (accuracy {acc:.0%})")
    ax.legend(fontsize=8, loc="upper right")
    return {"image": image, "boundary": boundary, "points": points}
