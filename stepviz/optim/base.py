"""The update-rule protocol: validated hyperparameters, the step size at step t, and what the course asks
of a rule.

A rule is a small class with ``init(p) -> state`` and ``update(p, grad_fn, state, alpha, t) -> (p_next,
state)``, alpha being alpha_t laid out to broadcast against p. :meth:`Optimizer.step` evaluates the step
size once and records it in the state it returns as ``state['lr']`` (the alpha_t this step used), so a
step is a pure function of its arguments: the optimizer instance holds hyperparameters only.

Besides its update, a rule answers what the course asks about it, so analysis, viz and live ask the rule
and never branch on its name:

- :meth:`~Optimizer.effective_step`: the factor in front of the gradient in each coordinate's update;
- :meth:`~Optimizer.quadratic_rate`, :meth:`~Optimizer.quadratic_limit`, :meth:`~Optimizer.quadratic_optimum`:
  with a constant step on f(x) = 1/2 sum_i lambda_i x_i^2, the rate per step, the largest stable step and
  the best hyperparameters, where theory has them, named by ``limit_label`` and ``optimum_label``;
- ``label_hyperparameters``, ``implicit_defaults`` and ``symbols``: what a short legend label names.
Each answers None where the course has no such result for the rule.
"""
from __future__ import annotations

import inspect

import numpy as np

from .. import _validate
from .._format import value as _show
from .schedules import Schedule


def col(x):
    """A hyperparameter with a trailing axis, so that it broadcasts over the batch axes of p (*batch, d)."""
    return np.asarray(x, dtype=float)[..., None]


def spectral_radius(trace, det):
    """Largest |root| of z^2 - trace z + det = 0 (inf where trace overflowed, quietly)."""
    with np.errstate(all="ignore"):
        disc = np.sqrt(np.asarray(trace * trace - 4 * det, dtype=complex))
        r = np.maximum(np.abs((trace + disc) / 2), np.abs((trace - disc) / 2))
    return np.where(np.isfinite(trace), r, np.inf)


def curvature_axis(curvatures) -> np.ndarray:
    """The eigenvalues lambda_i of a quadratic as a 1-D array of positive numbers, the last axis of a theory
    computation."""
    lam = np.atleast_1d(np.asarray(_validate.positive("curvatures", curvatures, example="(1.0, 10.0)"),
                                   dtype=float))
    if lam.ndim != 1:
        raise ValueError(f"curvatures must be a 1-D list of eigenvalues, e.g. (1.0, 10.0); got shape {lam.shape}")
    return lam


class Optimizer:
    """Base class: validated hyperparameters, the step size at step t, a readable repr, and the course's
    questions about a rule (answered None here: a rule declares what it knows)."""

    name = "optimizer"
    #: The constructor's keyword arguments, in order (the repr and :func:`make_optimizer` use them).
    hyperparameter_names: tuple = ("lr",)
    #: The hyperparameters a short legend label names ('Momentum, α = 0.02, γ = 0.9'); the repr names all.
    label_hyperparameters: tuple = ("lr",)
    #: Of those, the ones a label leaves out while they have their default value (Adadelta's scale 1).
    implicit_defaults: tuple = ()
    #: How labels write each hyperparameter.
    symbols = {"lr": "α", "momentum": "γ", "rho": "ρ", "beta1": "β1", "beta2": "β2", "eps": "ε"}
    #: Names of the formulas of :meth:`quadratic_limit` and :meth:`quadratic_optimum` for legends.
    limit_label: str | None = None
    optimum_label: str | None = None
    #: Does the rule evaluate the function itself (a line search)? Then its constructor takes the problem
    #: first, and its state counts those evaluations as ``value_evals``.
    evaluates_the_problem = False
    #: What the explorers say where the rule has no closed-form rate at all.
    no_theory_note = "no closed-form rate for {name}"

    # --- hyperparameters -------------------------------------------------------------------------------
    def _set_lr(self, lr):
        self.lr, self._alpha0 = lr, None
        if callable(lr):
            # checks the schedule at once, as every later step; alpha_0 is then the step size of step 0, so a
            # learner's schedule is called once per step, construction included
            self._alpha0 = self.alpha(0)
        else:
            self.lr = _validate.positive("lr", lr)

    def _check_shapes(self):
        """Array hyperparameters must broadcast together: one batch, refused at construction if not."""
        _validate.broadcast(self.hyperparameter_shapes())

    def hyperparameter_shapes(self) -> dict:
        """{name: shape} of every hyperparameter (a schedule's: the shape of alpha_0)."""
        return {k: np.shape(self.alpha(0)) if k == "lr" else np.shape(getattr(self, k))
                for k in self.hyperparameter_names}

    @property
    def batch_shape(self) -> tuple:
        """Broadcast shape of the array hyperparameters (() when all are scalars)."""
        return _validate.broadcast(self.hyperparameter_shapes())

    @property
    def hyperparameters(self) -> dict:
        return {k: getattr(self, k) for k in self.hyperparameter_names}

    @classmethod
    def defaults(cls) -> dict:
        """{name: default value} of the hyperparameters that have one."""
        params = inspect.signature(cls.__init__).parameters
        return {k: params[k].default for k in cls.hyperparameter_names
                if k in params and params[k].default is not inspect.Parameter.empty}

    def _hp(self, name, p):
        """Hyperparameter ``name`` laid out to broadcast against p of shape (*batch, d).

        Array hyperparameters are expanded to p's full shape once and memoised per shape: multiplying by
        an array with a trailing axis of length 1 is several times slower in numpy than by a same-shape
        array. The memo is invisible: the same hyperparameter and shape always give the same array.
        """
        value = getattr(self, name)
        if type(value) is float:  # the common case, a step's hot path: np.ndim costs a microsecond
            return value
        if np.ndim(value) == 0:
            return float(value)
        memo = self.__dict__.setdefault("_hp_memo", {})
        key = (name, p.shape if isinstance(p, np.ndarray) else np.shape(p))
        hit = memo.get(key)
        if hit is None or hit[0] is not value:
            full = np.broadcast_shapes(np.shape(value) + (1,), np.shape(p))
            hit = memo[key] = (value, np.ascontiguousarray(np.broadcast_to(col(value), full)))
        return hit[1]

    # --- the step size -----------------------------------------------------------------------------------
    def alpha(self, t) -> np.ndarray:
        """The step size alpha_t at step t (an array when lr is an array or an array schedule).

        A learner's schedule is checked at every call: an exception, a value that is not a finite number
        >= 0, or a shape other than at step 0 is an error that names the schedule and the step.
        """
        lr = self.lr
        if not callable(lr):
            return np.asarray(lr, dtype=float)
        if self._alpha0 is not None and isinstance(t, (int, np.integer)) and t == 0:
            return self._alpha0
        if isinstance(lr, Schedule):  # the built-in schedules are valid by construction
            return np.asarray(lr(t), dtype=float)
        name = getattr(lr, "__name__", "")
        label = f"the lr schedule {name}()" if name and name != "<lambda>" else "the lr schedule"
        try:
            value = lr(t)
        except Exception as exc:  # a learner's schedule: name it as the cause, with the step
            raise ValueError(f"{label} failed at step {t} (called as lr({t})): {type(exc).__name__}: {exc}") from exc
        return _validate.step_size(value, t, label, None if self._alpha0 is None else self._alpha0.shape)

    def _laid_out(self, alpha, p):
        """alpha_t laid out like :meth:`_hp` (a constant lr comes from the memo)."""
        return col(alpha) if callable(self.lr) else self._hp("lr", p)

    # --- the update ----------------------------------------------------------------------------------------
    def init(self, p) -> dict:
        return {}

    def step(self, p, grad_fn, state, t):
        """One step from p: ``(p_next, state_next)``. The schedule is called once; ``state_next['lr']`` is
        the alpha_t this step used (what :func:`stepviz.run` records as ``Trajectory.lrs``). Neither p,
        the state nor the optimizer is modified."""
        alpha = self.alpha(t)
        p_next, new = self.update(p, grad_fn, state, self._laid_out(alpha, p), t)
        return p_next, {**new, "lr": alpha}

    def update(self, p, grad_fn, state, alpha, t):
        """The rule itself: ``(p_next, state_next)`` from p, the gradient function, the state, alpha_t laid
        out to broadcast against p, and the step count t (0 at the first step)."""
        raise NotImplementedError(f"{type(self).__name__} must define update(p, grad_fn, state, alpha, t)")

    # --- what the course asks of a rule ---------------------------------------------------------------
    def effective_step(self, state, new_state, t):
        """Each coordinate's effective step at step t, from the state before and after it: the factor in
        front of the (averaged) gradient in the update, broadcastable to p. None when the rule's update is
        not a per-coordinate multiple of a gradient average (the course then draws no effective step)."""
        return None

    def quadratic_rate(self, curvatures):
        """With a constant step on f(x) = 1/2 sum_i lambda_i x_i^2 (``curvatures`` = the lambda_i), the factor
        by which the distance to the minimum shrinks per step, in the worst direction: an array of the
        hyperparameters' batch shape. None where theory has no closed form for the rule."""
        return None

    def quadratic_limit(self, curvatures):
        """The largest stable constant step on that quadratic at the rule's other hyperparameters (the
        rule converges iff 0 < lr < this); None where theory has no closed form."""
        return None

    def quadratic_optimum(self, curvatures):
        """The hyperparameters with the fastest worst-case rate on that quadratic, {'lr': ..., ...}; None
        where theory has no closed form."""
        return None

    def named_steps(self, curvatures) -> dict:
        """The step sizes theory names on that quadratic, {label: alpha} (the explorers' slider ticks): the
        limit and the optimal step where the rule declares them, at its other hyperparameters."""
        limit, optimum = self.quadratic_limit(curvatures), self.quadratic_optimum(curvatures)
        named = {"limit": limit, "optimal": None if optimum is None else optimum["lr"]}
        return {k: float(np.ravel(v)[0]) for k, v in named.items() if v is not None}

    @property
    def has_effective_step(self) -> bool:
        """Does the rule define :meth:`effective_step`?"""
        return type(self).effective_step is not Optimizer.effective_step

    @property
    def has_quadratic_theory(self) -> bool:
        """Does the rule have a closed-form rate on a quadratic (:meth:`quadratic_rate`)?"""
        return type(self).quadratic_rate is not Optimizer.quadratic_rate

    def _constant_lr(self):
        if callable(self.lr):
            raise ValueError(f"the rate on a quadratic holds for a constant step size; {self!r} has a schedule")
        return col(self.lr)

    def __repr__(self):
        return f"{type(self).__name__}(" + ", ".join(f"{k}={_show(getattr(self, k))}" for k in self.hyperparameter_names) + ")"


__all__ = ["Optimizer", "col", "curvature_axis", "spectral_radius"]
