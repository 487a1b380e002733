"""How forgiving is each method of its step size: the final loss over a log grid of step sizes, one batched
run per method, and the unbroken range of good step sizes around each method's best."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..engine import run
from ..optim.rules import Optimizer, make_optimizer
from .tuning import as_problem


DEFAULT_METHODS = ("GD", "Momentum", "Adagrad", "RMSprop", "Adadelta", "Adam")


@dataclass
class Sensitivity:
    """Result of :func:`lr_sensitivity`: per method, final loss - f* over ``lrs`` (NaN where it diverged)
    and the good range: the unbroken run of step sizes around the best one whose final gap is <= ``good``
    (good step sizes beyond a failing one do not count)."""

    lrs: np.ndarray
    final: dict
    diverged: dict
    good: float

    def _run(self, method):
        """(first, last) index of the unbroken good run around the best step size, or None."""
        final = np.asarray(self.final[method], dtype=float)
        ok = final <= self.good
        if not ok.any():
            return None
        best = int(np.nanargmin(np.where(np.isfinite(final), final, np.inf)))
        lo = hi = best
        while lo > 0 and ok[lo - 1]:
            lo -= 1
        while hi < ok.size - 1 and ok[hi + 1]:
            hi += 1
        return lo, hi

    def good_range(self, method):
        """(lowest, highest) step size of the unbroken good run around ``method``'s best step size (None if
        no step size is good)."""
        r = self._run(method)
        return None if r is None else (float(self.lrs[r[0]]), float(self.lrs[r[1]]))

    def at_edge(self, method):
        """(the good range starts at the grid's first step size, it ends at the grid's last): the method
        may well be good beyond that end too."""
        r = self._run(method)
        return (False, False) if r is None else (r[0] == 0, r[1] == self.lrs.size - 1)

    def decades(self, method) -> float:
        """Width of the good range in decades (log10 of highest / lowest), 0 if none."""
        r = self.good_range(method)
        return 0.0 if r is None else float(np.log10(r[1] / r[0]))

    def describe(self, method) -> str:
        """One line: the good range, its width, and whether it runs into the grid's edge."""
        r = self.good_range(method)
        if r is None:
            return "no good α"
        if r[0] == r[1]:
            return f"good only at α = {r[0]:.2g}"
        edge = any(self.at_edge(method))
        width = f"{'≥ ' if edge else ''}{self.decades(method):.1f} decades"
        return f"good for α in [{r[0]:.2g}, {r[1]:.2g}] ({width}{': the grid ends there' if edge else ''})"


def lr_sensitivity(surface, methods=DEFAULT_METHODS, lrs=None, *, steps: int = 300, start=None, good=1e-3,
                   **hyperparameters) -> Sensitivity:
    """Final loss - f* after ``steps`` steps for each method over a log grid of step sizes, one batched run
    per method. ``hyperparameters`` (e.g. momentum=0.9) go to every method that takes them."""
    surface = as_problem(surface)
    lrs = np.geomspace(1e-4, 10.0, 51) if lrs is None else np.asarray(_validate.positive("lrs", lrs), dtype=float)
    good = _validate.positive("good", good)
    final, diverged = {}, {}
    for m in methods:
        opt = m if isinstance(m, Optimizer) else make_optimizer(m, lr=lrs, **hyperparameters)
        name = opt.name
        traj = run(opt, surface, start=start, steps=steps)
        final[name] = np.where(traj.diverged, np.nan, traj.gap()[-1])
        diverged[name] = np.asarray(traj.diverged)
    return Sensitivity(lrs, final, diverged, good)
