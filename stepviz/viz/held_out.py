"""Held-out data: training against validation loss along runs; searches over two hyperparameters (where each
search put its runs, and what they scored)."""
from __future__ import annotations

import numpy as np

from .figure import subplots
from .style import GHOST_COLOR, INK, PAPER, PATH_COLORS, PATH_MARKERS


def plot_train_and_validation(curves: dict, ax=None):
    """Training loss (solid) and validation loss (dashed, same colour) against the iteration, log scale, for
    ``curves`` = {label: (training losses, validation losses)}, each (steps + 1,); the lowest validation loss
    of each run marked. Returns {label: (training line, validation line, marker)}."""
    ax = ax if ax is not None else subplots(figsize=(6.5, 4), layout="constrained")[1]  # shows with alt text
    out = {}
    for i, (label, (train, val)) in enumerate(curves.items()):
        train, val = np.asarray(train, dtype=float), np.asarray(val, dtype=float)
        c = PATH_COLORS[i % len(PATH_COLORS)]
        k = np.arange(train.size)
        lt = ax.plot(k, train, "-", color=c, lw=1.5, label=f"{label}: training")[0]
        lv = ax.plot(k, val, "--", color=c, lw=1.5, label=f"{label}: validation")[0]
        b = int(np.nanargmin(val))
        mk = ax.plot([b], [val[b]], "o", color=c, mec=INK, ms=7, ls="none")[0]
        out[label] = (lt, lv, mk)
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    ax.set_ylabel("loss")
    ax.set_title("training (solid) and validation (dashed) loss; dots: lowest validation loss")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, ncols=2, loc="lower left")
    return out


def plot_search(searches: dict, axes=None):
    """Momentum searches of (alpha, gamma). ``searches``: {label: (lrs, momenta, losses)}, losses inf where a
    run diverged. Left: the settings, alpha against 1 - gamma (log-log), with dotted lines of constant
    effective step alpha / (1 - gamma); right: each setting's loss against its effective step, the best of
    each search ringed. ``axes``: a pair of axes (default: a new figure).

    Returns {'settings': {label: artist}, 'losses': {label: artist}, 'best': {label: artist}}.
    """
    if axes is None:
        axes = subplots(1, 2, figsize=(10, 4), layout="constrained")[1]
    ax_s, ax_l = axes
    out = {"settings": {}, "losses": {}, "best": {}}
    lo, hi = 7e-3, 1.4
    for e in 10.0 ** np.arange(-1, 3):       # lines of constant effective step, labelled mid-way in the window
        x0, x1 = max(lo, lo / e), min(hi, hi / e)
        ax_s.plot([x0, x1], [e * x0, e * x1], ":", color=GHOST_COLOR, lw=0.9)
        xm = np.sqrt(x0 * x1)
        ax_s.text(xm, e * xm, f"α/(1−γ) = {e:g}", fontsize=8, color=GHOST_COLOR, ha="center", va="center",
                  bbox={"fc": PAPER, "ec": "none", "pad": 0.5})
    for i, (label, (lrs, momenta, losses)) in enumerate(searches.items()):
        lrs, momenta, losses = (np.asarray(v, dtype=float) for v in (lrs, momenta, losses))
        c, m = PATH_COLORS[i % len(PATH_COLORS)], PATH_MARKERS[(i + 1) % len(PATH_MARKERS)]
        out["settings"][label] = ax_s.plot(1 - momenta, lrs, m, color=c, ms=6, ls="none", label=label)[0]
        ok = np.isfinite(losses)
        eff = lrs / (1 - momenta)
        out["losses"][label] = ax_l.plot(eff[ok], losses[ok], m, color=c, ms=6, ls="none", label=label)[0]
        b = int(np.argmin(np.where(ok, losses, np.inf)))
        out["best"][label] = ax_l.plot([eff[b]], [losses[b]], "o", mfc="none", mec=c, ms=14, mew=1.6,
                                       label=f"{label}: best {losses[b]:.2g}")[0]
    ax_s.set_xscale("log")
    ax_s.set_yscale("log")
    ax_s.set_xlim(hi, lo)
    ax_s.set_ylim(lo, hi)
    ax_s.set_xlabel("1 − γ  (γ = 0 at the left, 0.99 at the right)")
    ax_s.set_ylabel("step size α")
    ax_s.set_title("the settings tried (markers as on the right)")
    ax_l.set_xscale("log")
    ax_l.set_yscale("log")
    ax_l.set_xlabel("effective step α / (1 − γ)")
    ax_l.set_ylabel("validation loss after training")
    ax_l.set_title("what they scored")
    ax_l.grid(True, which="major", alpha=0.3)
    ax_l.legend(fontsize=8)
    return out
