"""Update rules of gradient descent, one small class each.

Every class has ``init(p) -> state`` and ``step(p, grad_fn, state, t) -> (p_next, state)`` with
``g = grad_fn(p)`` and ``alpha_t = lr(t)`` when ``lr`` is a schedule, else ``lr``. The rules work
elementwise on parameter arrays of any length (a 2-D point or a network's weights).

Hyperparameters are floats or arrays. Arrays index the *batch* axes, never the coordinate axis: for
points of shape (*batch, d), a hyperparameter of shape ``batch`` (or broadcastable to it) gives each run
its own value, so one call to :func:`stepviz.run` runs a whole sweep.
"""
from __future__ import annotations

import numpy as np

from .. import _format, _validate


def _col(x):
    """A hyperparameter with a trailing axis, so that it broadcasts over the batch axes of p."""
    return np.asarray(x, dtype=float)[..., None]


class Optimizer:
    """Base class: validated hyperparameters, the step size at step t, a readable repr."""

    name = "optimizer"
    #: The constructor's keyword arguments, in order (the repr and :func:`make_optimizer` use them).
    hyperparameter_names: tuple = ("lr",)

    def _set_lr(self, lr):
        if callable(lr):
            try:
                a0 = lr(0)
            except Exception as exc:  # a learner's schedule that fails: say so plainly
                raise TypeError(f"lr schedule {lr!r} failed when called as lr(0): {exc}") from exc
            _validate.number("lr(0)", a0, low=0.0, allowed="a finite step size >= 0 from the schedule")
            self.lr = lr
        else:
            self.lr = _validate.positive("lr", lr)

    def _hp(self, name, p):
        """Hyperparameter ``name`` laid out to broadcast against p of shape (*batch, d).

        Array hyperparameters are expanded to p's full shape once and cached: multiplying by an array
        with a trailing axis of length 1 is several times slower in numpy than by a same-shape array.
        """
        value = getattr(self, name)
        if np.ndim(value) == 0:
            return float(value)
        cache = self.__dict__.setdefault("_hp_cache", {})
        key = (name, np.shape(p))
        hit = cache.get(key)
        if hit is None or hit[0] is not value:
            full = np.broadcast_shapes(np.shape(value) + (1,), np.shape(p))
            hit = cache[key] = (value, np.ascontiguousarray(np.broadcast_to(_col(value), full)))
        return hit[1]

    def _alpha_like(self, t, p):
        """alpha_t laid out like :meth:`_hp`."""
        if callable(self.lr):
            return _col(self.alpha(t))
        return self._hp("lr", p)

    def alpha(self, t) -> np.ndarray:
        """The step size alpha_t used at step t (an array when lr is an array or an array schedule)."""
        a = self.lr(t) if callable(self.lr) else self.lr
        return np.asarray(a, dtype=float)

    @property
    def batch_shape(self) -> tuple:
        """Broadcast shape of the array hyperparameters (() when all are scalars)."""
        shapes = [np.shape(self.alpha(0)) if k == "lr" else np.shape(getattr(self, k)) for k in self.hyperparameter_names]
        return np.broadcast_shapes(*shapes)

    @property
    def hyperparameters(self) -> dict:
        return {k: getattr(self, k) for k in self.hyperparameter_names}

    def init(self, p) -> dict:
        return {}

    def step(self, p, grad_fn, state, t):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(" + ", ".join(f"{k}={_format.value(getattr(self, k))}" for k in self.hyperparameter_names) + ")"


class GD(Optimizer):
    r"""Plain gradient descent.

    .. math:: p \leftarrow p - \alpha_t g

    Args:
        lr: step size alpha > 0, an array of them, or a schedule t -> alpha_t (no default).
    """

    name = "GD"

    def __init__(self, lr):
        self._set_lr(lr)

    def step(self, p, grad_fn, state, t):
        return p - self._alpha_like(t, p) * grad_fn(p), state


class Momentum(Optimizer):
    r"""Heavy-ball momentum in the velocity form (Polyak 1964; the seed article's form).

    .. math:: v \leftarrow \gamma v + \alpha_t g, \qquad p \leftarrow p - v, \qquad v_0 = 0

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        momentum: gamma in [0, 1) (default: 0.9). momentum = 0 is plain gradient descent.
    """

    name = "Momentum"
    hyperparameter_names = ("lr", "momentum")

    def __init__(self, lr, momentum=0.9):
        self._set_lr(lr)
        self.momentum = _validate.unit_interval("momentum", momentum)

    def init(self, p):
        return {"v": np.zeros_like(np.asarray(p, dtype=float))}

    def step(self, p, grad_fn, state, t):
        v = self._hp("momentum", p) * state["v"] + self._alpha_like(t, p) * grad_fn(p)
        return p - v, {"v": v}


class Nesterov(Momentum):
    r"""Nesterov accelerated gradient in the velocity form (Sutskever et al. 2013).

    .. math:: v \leftarrow \gamma v + \alpha_t \nabla J(p - \gamma v), \qquad p \leftarrow p - v

    The gradient is taken at the look-ahead point p - gamma v.

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        momentum: gamma in [0, 1) (default: 0.9).
    """

    name = "Nesterov"

    def step(self, p, grad_fn, state, t):
        gamma = self._hp("momentum", p)
        v = gamma * state["v"] + self._alpha_like(t, p) * grad_fn(p - gamma * state["v"])
        return p - v, {"v": v}


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al. 2011): each coordinate's step shrinks with its summed squared gradients.

    .. math:: s \leftarrow s + g^2, \qquad p \leftarrow p - \alpha_t g / (\sqrt{s} + \epsilon)

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        eps: > 0, keeps the division finite (default: 1e-10).
    """

    name = "Adagrad"
    hyperparameter_names = ("lr", "eps")

    def __init__(self, lr, eps=1e-10):
        self._set_lr(lr)
        self.eps = _validate.positive("eps", eps, example="1e-10")

    def init(self, p):
        return {"s": np.zeros_like(np.asarray(p, dtype=float))}

    def step(self, p, grad_fn, state, t):
        g = grad_fn(p)
        s = state["s"] + g * g
        return p - self._alpha_like(t, p) * g / (np.sqrt(s) + self._hp("eps", p)), {"s": s}


class RMSprop(Optimizer):
    r"""RMSprop (Tieleman & Hinton 2012): a moving average of squared gradients scales each coordinate.

    .. math:: s \leftarrow \rho s + (1 - \rho) g^2, \qquad p \leftarrow p - \alpha_t g / (\sqrt{s} + \epsilon)

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        rho: decay of the average in [0, 1) (default: 0.99).
        eps: > 0 (default: 1e-8).
    """

    name = "RMSprop"
    hyperparameter_names = ("lr", "rho", "eps")

    def __init__(self, lr, rho=0.99, eps=1e-8):
        self._set_lr(lr)
        self.rho = _validate.unit_interval("rho", rho, example="0.99")
        self.eps = _validate.positive("eps", eps, example="1e-8")

    def init(self, p):
        return {"s": np.zeros_like(np.asarray(p, dtype=float))}

    def step(self, p, grad_fn, state, t):
        g = grad_fn(p)
        rho = self._hp("rho", p)
        s = rho * state["s"] + (1 - rho) * g * g
        return p - self._alpha_like(t, p) * g / (np.sqrt(s) + self._hp("eps", p)), {"s": s}


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler 2012): the step's units come from a running average of past updates.

    .. math::
        s \leftarrow \rho s + (1 - \rho) g^2, \qquad
        d = \frac{\sqrt{u + \epsilon}}{\sqrt{s + \epsilon}} g, \qquad
        u \leftarrow \rho u + (1 - \rho) d^2, \qquad p \leftarrow p - \alpha_t d

    Args:
        lr: scale of the step, > 0, array or schedule (default: 1.0, Zeiler's unit-free method).
        rho: decay of both averages in [0, 1) (default: 0.9).
        eps: > 0, also sets the size of the first steps (default: 1e-6).
    """

    name = "Adadelta"
    hyperparameter_names = ("lr", "rho", "eps")

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self._set_lr(lr)
        self.rho = _validate.unit_interval("rho", rho)
        self.eps = _validate.positive("eps", eps, example="1e-6")

    def init(self, p):
        z = np.zeros_like(np.asarray(p, dtype=float))
        return {"s": z, "u": z.copy()}

    def step(self, p, grad_fn, state, t):
        g = grad_fn(p)
        rho, eps = self._hp("rho", p), self._hp("eps", p)
        s = rho * state["s"] + (1 - rho) * g * g
        d = np.sqrt(state["u"] + eps) / np.sqrt(s + eps) * g
        u = rho * state["u"] + (1 - rho) * d * d
        return p - self._alpha_like(t, p) * d, {"s": s, "u": u}


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2014): momentum on the gradient, RMSprop on its square, both bias-corrected.

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g, \qquad s \leftarrow \beta_2 s + (1 - \beta_2) g^2, \\
        p \leftarrow p - \alpha_t \hat m / (\sqrt{\hat s} + \epsilon), \quad
        \hat m = m / (1 - \beta_1^k), \quad \hat s = s / (1 - \beta_2^k), \quad k = t + 1

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        beta1: decay of the gradient average in [0, 1) (default: 0.9).
        beta2: decay of the squared-gradient average in [0, 1) (default: 0.999).
        eps: > 0 (default: 1e-8).
    """

    name = "Adam"
    hyperparameter_names = ("lr", "beta1", "beta2", "eps")

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self._set_lr(lr)
        self.beta1 = _validate.unit_interval("beta1", beta1)
        self.beta2 = _validate.unit_interval("beta2", beta2, example="0.999")
        self.eps = _validate.positive("eps", eps, example="1e-8")

    def init(self, p):
        z = np.zeros_like(np.asarray(p, dtype=float))
        return {"m": z, "s": z.copy()}

    def step(self, p, grad_fn, state, t):
        g = grad_fn(p)
        b1, b2 = self._hp("beta1", p), self._hp("beta2", p)
        k = t + 1
        m = b1 * state["m"] + (1 - b1) * g
        s = b2 * state["s"] + (1 - b2) * g * g
        m_hat = m / (1 - b1 ** k)
        s_hat = s / (1 - b2 ** k)
        return p - self._alpha_like(t, p) * m_hat / (np.sqrt(s_hat) + self._hp("eps", p)), {"m": m, "s": s}


OPTIMIZERS = {"GD": GD, "Momentum": Momentum, "Nesterov": Nesterov, "Adagrad": Adagrad,
              "RMSprop": RMSprop, "Adadelta": Adadelta, "Adam": Adam}


def optimizer_class(name: str) -> type:
    """The update rule's class from its name, case-insensitive: 'gd', 'Momentum', 'adam', ..."""
    if not isinstance(name, str):
        raise TypeError(f"optimizer name must be a string, one of {tuple(OPTIMIZERS)}; got {name!r}")
    cls = {k.lower(): v for k, v in OPTIMIZERS.items()}.get(name.lower())
    if cls is None:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    return cls


def make_optimizer(name: str, **hyperparameters) -> Optimizer:
    """An optimizer from its name (case-insensitive), e.g. ``make_optimizer('adam', lr=0.1)``.

    Hyperparameters the chosen rule does not take are ignored, so one set of slider values fits all.
    """
    cls = optimizer_class(name)
    return cls(**{k: v for k, v in hyperparameters.items() if k in cls.hyperparameter_names})
