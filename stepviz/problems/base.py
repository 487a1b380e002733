"""The problem protocol: what :func:`stepviz.run` needs of anything it minimises.

A problem has a value and a gradient on parameter vectors of shape (..., dim), and broadcasts over the
leading (batch) axes. Problems made of n examples (least squares, the network's loss) also give the
gradient on a minibatch, which the engine uses when it is asked for ``batch_size``.
"""
from __future__ import annotations

import functools

import numpy as np

#: The methods of a problem that compute on points; they never warn (see :class:`Problem`).
_COMPUTING = ("value", "grad", "hessian", "grad_on")


def _quiet(method):
    """``method`` under np.errstate(all='ignore'): overflow gives inf, an invalid operation NaN, silently."""
    @functools.wraps(method)
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            return method(*args, **kwargs)

    quiet._quiet = True
    return quiet


def unguarded(problem, name: str):
    """``problem``'s method ``name`` without the errstate wrapper, for a caller already inside
    ``np.errstate(all="ignore")`` (the engine's loop: entering errstate twice a step costs ~5 us)."""
    method = getattr(problem, name)
    fn = getattr(method, "__func__", None)
    return fn.__wrapped__.__get__(problem) if getattr(fn, "_quiet", False) else method


class Problem:
    """Base class of everything the engine can minimise.

    Subclasses provide ``value(p)`` (shape (...)), ``grad(p)`` (shape (..., dim)) and the attribute
    ``start`` (a default start point, shape (dim,)); optionally ``minima`` (k, dim) and, for problems made
    of examples, ``n`` and ``grad_on(p, indices)`` (the gradient on the examples ``indices``, shape
    (..., b), whose leading axes broadcast against p's batch axes).

    ``divergence_bound``: a run whose parameters leave [center - bound, center + bound] (``divergence_center``,
    0 unless a subclass says otherwise), or whose loss stops being finite, has diverged (see :func:`stepviz.run`).

    ``value``, ``grad``, ``hessian`` and ``grad_on`` of every subclass run under
    ``np.errstate(all="ignore")``: far from the minimum a value may overflow to inf, and that is a result
    (the engine calls it divergence), never a RuntimeWarning on a learner's screen.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _COMPUTING:
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_quiet", False):
                setattr(cls, name, _quiet(method))

    name = "problem"
    divergence_bound = 1e6
    divergence_center = 0.0
    minima = np.empty((0, 0))

    def value(self, p) -> np.ndarray:
        raise NotImplementedError

    def grad(self, p) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, p) -> np.ndarray:
        return self.value(p)

    @property
    def dim(self) -> int:
        """Number of parameters of one point."""
        return int(np.shape(self.start)[-1])

    @property
    def f_min(self) -> float:
        """The lowest value over ``minima`` (nan when no minimum is known)."""
        if len(self.minima) == 0:
            return float("nan")
        return float(np.min(self.value(self.minima)))

    @property
    def has_minibatches(self) -> bool:
        """True when the problem is made of examples and gives minibatch gradients (``grad_on``)."""
        return hasattr(self, "grad_on") and hasattr(self, "n")


def central_difference(fn, p, rel_step: float = 1e-6) -> np.ndarray:
    """d fn / dp by central differences at points p (..., d), step ``rel_step * max(1, |p_i|)``.

    For a scalar fn (values (...)) the result is the gradient (..., d); for a vector fn (values (..., m))
    it is the Jacobian (..., m, d), whose last axis indexes the derivative. All 2 d evaluations go to fn
    in one batched call.
    """
    p = np.asarray(p, dtype=float)
    d = p.shape[-1]
    h = rel_step * np.maximum(1.0, np.abs(p))  # (..., d)
    steps = np.eye(d) * h[..., None, :]  # (..., d, d): row i moves coordinate i
    both = np.concatenate([p[..., None, :] + steps, p[..., None, :] - steps], axis=-2)  # (..., 2d, d)
    out = np.asarray(fn(both), dtype=float)
    if out.ndim == both.ndim - 1:  # scalar function: values (..., 2d)
        return (out[..., :d] - out[..., d:]) / (2 * h)
    jac = (out[..., :d, :] - out[..., d:, :]) / (2 * h[..., :, None])  # (..., d, m)
    return np.swapaxes(jac, -1, -2)


def draw_minibatches(rng: np.random.Generator, n: int, b: int, shape=()) -> np.ndarray:
    """Indices (*shape, b) of fresh minibatches: in each, b distinct examples out of n, drawn uniformly at
    random, independently of the other minibatches."""
    shape = tuple(shape)
    m = int(np.prod(shape))
    if b == n:
        return np.broadcast_to(np.arange(n), shape + (n,))
    if b * b <= n:
        # small batches: draw with replacement and redraw the rows that hold a repeat (on average fewer
        # than 1 in 2); conditioned on distinct entries, each b-subset is equally likely
        idx = rng.integers(0, n, (m, b))
        rows = np.arange(m)  # the rows still to check; only redrawn rows are checked again
        while b > 1:
            s = np.sort(idx[rows], axis=1)
            rows = rows[(s[:, 1:] == s[:, :-1]).any(axis=1)]
            if not rows.size:
                break
            idx[rows] = rng.integers(0, n, (rows.size, b))
    else:  # the b smallest of n uniform keys per row
        idx = np.argpartition(rng.random((m, n)), b - 1, axis=-1)[:, :b]
    return idx.reshape(shape + (b,))
