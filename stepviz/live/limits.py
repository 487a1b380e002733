"""Axes limits and labels an explorer changes between renders: set only when they differ (any set_*lim marks
the axes stale, which costs a new picture), and kept finite."""
from __future__ import annotations

import numpy as np


def set_limits(ax, xlim=None, ylim=None):
    """Set finite limits only when they differ: any set_*lim marks the axes stale (a new picture)."""
    def finite(lim):
        lo, hi = (float(np.clip(v, -1e300, 1e300)) for v in lim)
        return (lo, hi) if lo != hi else (lo, lo + 1.0)

    if xlim is not None and tuple(ax.get_xlim()) != finite(xlim):
        ax.set_xlim(*finite(xlim))
    if ylim is not None and tuple(ax.get_ylim()) != finite(ylim):
        ax.set_ylim(*finite(ylim))


def log_window(first, below: float, above: float) -> tuple[float, float]:
    """Limits of a log axis for a loss that starts at ``first``: ``below`` decades under it, ``above`` over it,
    kept finite (a loss of 1e306 has no room 3 decades up in float64)."""
    first = float(first) if np.isfinite(first) and first > 0 else 1.0
    with np.errstate(over="ignore", under="ignore"):
        lo, hi = first * 10.0 ** -below, first * 10.0 ** above
    return float(np.clip(lo, 1e-300, 1e299)), float(np.clip(hi, 1e-299, 1e300))


def set_labels(ax, ylabel=None, title=None, fontsize=9):
    """Set a y label or title only when it differs (for the same reason)."""
    if ylabel is not None and ax.get_ylabel() != ylabel:
        ax.set_ylabel(ylabel, fontsize=fontsize - 1)
    if title is not None and ax.get_title() != title:
        ax.set_title(title, fontsize=fontsize)


__all__ = ["set_limits", "set_labels", "log_window"]
