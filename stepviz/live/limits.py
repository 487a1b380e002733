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
    """Limits of a log axis for a loss that starts at ``first``: whole decades, ``below`` decades under its
    decade and ``above`` over it (a new start in the same decade keeps the axes, and their picture), kept
    finite (a loss of 1e306 has no room 3 decades up in float64)."""
    first = float(first) if np.isfinite(first) and first > 0 else 1.0
    decade = np.floor(np.log10(first))
    lo, hi = decade - below, decade + 1 + above
    return float(10.0 ** np.clip(lo, -300, 299)), float(10.0 ** np.clip(hi, -299, 300))


def set_labels(ax, ylabel=None, title=None, fontsize=9):
    """Set a y label or title only when it differs (for the same reason)."""
    if ylabel is not None and ax.get_ylabel() != ylabel:
        ax.set_ylabel(ylabel, fontsize=fontsize - 1)
    if title is not None and ax.get_title() != title:
        ax.set_title(title, fontsize=fontsize)


__all__ = ["set_limits", "set_labels", "log_window"]
