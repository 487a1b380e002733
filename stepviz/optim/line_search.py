"""Backtracking line search: gradient descent that chooses its step anew at every iteration.

Try alpha, shrink it until the Armijo sufficient-decrease condition holds. It pays for not tuning alpha in
function evaluations, counted per run.
"""
from __future__ import annotations

import numpy as np

from .. import _validate
from .base import Optimizer, col


class Backtracking(Optimizer):
    r"""Gradient descent with a backtracking (Armijo) line search: the classic automatic step size.

    .. code-block:: text

        g = grad f(p);  a = alpha_t                      (the initial trial step, lr)
        repeat at most max_backtracks + 1 times:
            if f(p - a g) <= f(p) - c a |g|^2:  accept a, stop     (Armijo sufficient decrease)
            a <- shrink a
        p <- p - a g          (a = 0 if no trial passed: the point stays, as at machine precision)

    The engine's ``step(p, grad_fn, state, t)`` hands an update rule gradients only, so the line search
    takes its function values from the ``surface`` given to the constructor: pass the same surface to
    :func:`~stepviz.run`, e.g. ``run(Backtracking(bowl), bowl)``. f(p) is remembered from the accepted
    trial of the previous step, so a step costs one gradient and (number of trials) function evaluations,
    plus one for f(p) at the first step.

    Batched: every run backtracks on its own (vectorised over the runs still searching). Everything a run
    needs or spends is in its state, (*batch) arrays, never on the optimizer:

    - ``state['lr']``: the step accepted at this step (0 where no trial passed), so the trajectory's
      ``lrs`` are the accepted steps (``alpha(t)`` is the first trial);
    - ``state['value_evals']``, ``state['grad_evals']``: function and gradient evaluations so far, per run
      (after a run: ``trajectory.state['value_evals']``).

    Args:
        surface: the :class:`~stepviz.problems.surfaces.Surface` being minimised, or any function f(p) -> values
            for points of shape (..., d) (no default).
        lr: the initial trial step alpha > 0, an array of them, or a schedule t -> alpha_t (default: 1.0).
        shrink: factor applied to a rejected step, in (0, 1), array allowed (default: 0.5).
        c: the Armijo constant in (0, 1), array allowed (default: 1e-4).
        max_backtracks: most shrinks per step, a whole number >= 0 (default: 50).
    """

    name = "Backtracking"
    evaluates_the_problem = True
    hyperparameter_names = ("lr", "shrink", "c", "max_backtracks")

    def __init__(self, surface, lr=1.0, shrink=0.5, c=1e-4, max_backtracks=50):
        f = getattr(surface, "value", surface)
        if not callable(f):
            raise TypeError(f"surface must be a stepviz Surface (or a function f(p) -> values) for the line "
                            f"search to evaluate, e.g. Backtracking(bowl); got {surface!r}")
        self.surface = surface
        self._f = f
        self._set_lr(lr)
        inside = "a number in (0, 1) (for example {})"
        self.shrink = _validate.number("shrink", shrink, low=0.0, high=1.0, low_open=True, high_open=True,
                                       allowed=inside.format(0.5))
        self.c = _validate.number("c", c, low=0.0, high=1.0, low_open=True, high_open=True,
                                  allowed=inside.format("1e-4"))
        self.max_backtracks = _validate.integer("max_backtracks", max_backtracks, low=0, high=1000,
                                                why="with shrink 0.5, 1,000 trials reach steps below 1e-300")
        self._check_shapes()

    def init(self, p):
        p = np.asarray(p, dtype=float)
        batch = p.shape[:-1]
        return {"x": np.full(p.shape, np.nan), "f": np.full(batch, np.nan), "value_evals": np.zeros(batch, dtype=int),
                "grad_evals": np.zeros(batch, dtype=int)}

    def effective_step(self, state, new_state, t):
        """The accepted step (gradient descent with the step the search chose)."""
        return col(new_state["lr"])

    def _flat(self, value, batch, n):
        return np.array(np.broadcast_to(np.asarray(value, dtype=float), batch), dtype=float).reshape(n)

    def step(self, p, grad_fn, state, t):
        p = np.asarray(p, dtype=float)
        batch, d = p.shape[:-1], p.shape[-1]
        n = int(np.prod(batch))
        g = np.broadcast_to(grad_fn(p), p.shape)
        x, gx = p.reshape(n, d), g.reshape(n, d)
        value_evals = np.array(np.broadcast_to(state["value_evals"], batch)).reshape(n)
        f = np.array(np.broadcast_to(state["f"], batch), dtype=float).reshape(n)
        with np.errstate(all="ignore"):
            need = ~np.all(np.broadcast_to(state["x"], p.shape).reshape(n, d) == x, axis=-1)  # f(p) not remembered
            f[need] = np.nan
            need &= np.isfinite(x).all(axis=-1)
            if need.any():
                f[need] = self._f(x[need])
                value_evals[need] += 1
            a = self._flat(self.alpha(t), batch, n)
            shrink, c = self._flat(self.shrink, batch, n), self._flat(self.c, batch, n)
            gg = np.einsum("ij,ij->i", gx, gx)
            accepted, f_new = np.zeros(n), f.copy()
            # the runs still searching, compacted: each trial costs a few array operations, whatever n is
            ids = np.flatnonzero(np.isfinite(f) & np.isfinite(gg))
            xs, gs, a, bound, s, cs, ggs = x[ids], gx[ids], a[ids], f[ids], shrink[ids], c[ids], gg[ids]
            for _ in range(self.max_backtracks + 1):
                if ids.size == 0:
                    break
                f_trial = self._f(xs - a[:, None] * gs)
                value_evals[ids] += 1
                ok = f_trial <= bound - cs * a * ggs
                if ok.any():
                    accepted[ids[ok]], f_new[ids[ok]] = a[ok], f_trial[ok]
                    keep = ~ok
                    ids, xs, gs, a, bound, s, cs, ggs = (v[keep] for v in (ids, xs, gs, a, bound, s, cs, ggs))
                a = a * s
            moved = accepted > 0
            x_new = np.where(moved[:, None], x - accepted[:, None] * gx, x).reshape(p.shape)
        return x_new, {"x": x_new.copy(), "f": f_new.reshape(batch), "value_evals": value_evals.reshape(batch),
                       "grad_evals": state["grad_evals"] + 1, "lr": accepted.reshape(batch)}

    def __repr__(self):
        return f"Backtracking(surface={self.surface!r}, " + super().__repr__()[len("Backtracking("):]
