r"""A tiny neural network in numpy: two toy data sets, an MLP with backpropagation, and its loss as a
:class:`~stepviz.problems.base.Problem` that :func:`stepviz.run` trains like any surface.

The network's parameters are one flat vector theta, so every update rule of :mod:`stepviz.optim` trains it
as is. Everything broadcasts over leading batch axes of theta, shape (*batch, n_params): an optimizer with
an array of step sizes trains one network per step size in a single call::

    X, y = two_moons()
    loss = NetworkLoss(MLP((2, 16, 1)), X, y)
    traj = run(GD(lr=np.array([0.1, 1.0, 10.0])), loss, steps=300)
    traj.losses           # (301, 3): one loss curve per step size

Loss: binary cross-entropy on the output logit z (numerically stable form),

.. math:: J(\theta) = \frac1N \sum_n \big[\log(1 + e^{z_n}) - y_n z_n\big], \qquad
          \partial J / \partial z_n = (\sigma(z_n) - y_n) / N .
"""
from __future__ import annotations

import math

import numpy as np

from .. import _validate
from .base import Problem

ACTIVATIONS = ("tanh", "relu")
#: A training run has diverged once its loss is not finite or a parameter exceeds this in absolute value.
DIVERGENCE_LIMIT = 1e6
# Hidden-layer floats per block of (parameter vectors x examples): backprop holds ~6 arrays of this size, so
# 2^18 (2 MB each) keeps any evaluation's temporaries at ~16 MB, whatever the batch, the data set or the width
# (and is faster too: the arrays stay in cache).
_CHUNK = 1 << 18
#: Size limits: the course's networks have a few hundred parameters and a few hundred examples.
MAX_WIDTH, MAX_PARAMS, MAX_EXAMPLES = 4096, 1_000_000, 1_000_000
#: Most multiply-adds (parameter vectors x parameters x examples) of one evaluation, a few seconds of numpy: the
#: course's network costs 67,400 per gradient; MLP((2, 1000, 990, 1)) on 20,000 examples would cost 2e10.
MAX_WORK = 2 ** 30


# --- data sets -----------------------------------------------------------------------------------------
def two_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (as scikit-learn's make_moons), shuffled.

    Class 0: (cos t, sin t); class 1: (1 - cos t, 1/2 - sin t); t evenly spaced in [0, pi]; plus Gaussian
    noise of standard deviation ``noise`` on both coordinates.

    Args:
        n: number of points, >= 2; class 0 gets n // 2 (default: 200).
        noise: >= 0 (default: 0.1).
        seed: int >= 0 or None (default: 0).
    Returns:
        X (n, 2) float64 and y (n,) int in {0, 1}.
    """
    n = _validate.integer("n", n, low=2, high=MAX_EXAMPLES, why="examples of the data set")
    noise = _validate.number("noise", noise, low=0.0, high=1e6, scalar=True,
                             allowed="a number from 0 to 1e6 (for example 0.1)")
    rng = np.random.default_rng(_validate.seed("seed", seed))
    n0 = n // 2
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n - n0)
    X = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], -1), np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], -1)])
    y = np.repeat([0, 1], [n0, n - n0])
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def spirals(n=200, noise=0.05, turns=1.0, seed=0):
    """Two interleaved spirals, shuffled: a harder problem that needs a wider network than two_moons.

    Class k in {0, 1}: r (cos phi, sin phi) with r = t, phi = 2 pi turns t + k pi, t evenly spaced in
    [0.1, 1], plus Gaussian noise of standard deviation ``noise``.

    Args:
        n: number of points, >= 2 (default: 200).
        noise: >= 0 (default: 0.05).
        turns: turns of each spiral, > 0 (default: 1.0).
        seed: int >= 0 or None (default: 0).
    Returns:
        X (n, 2) float64 and y (n,) int in {0, 1}.
    """
    n = _validate.integer("n", n, low=2, high=MAX_EXAMPLES, why="examples of the data set")
    noise = _validate.number("noise", noise, low=0.0, high=1e6, scalar=True,
                             allowed="a number from 0 to 1e6 (for example 0.05)")
    turns = _validate.number("turns", turns, low=0.0, low_open=True, high=1e6, scalar=True,
                             allowed="a number > 0 and <= 1e6 (for example 1.0)")
    rng = np.random.default_rng(_validate.seed("seed", seed))
    n0 = n // 2
    parts = []
    for k, m in ((0, n0), (1, n - n0)):
        t = np.linspace(0.1, 1.0, m)
        phi = 2 * np.pi * turns * t + k * np.pi
        parts.append(np.stack([t * np.cos(phi), t * np.sin(phi)], -1))
    X = np.concatenate(parts) + noise * rng.standard_normal((n, 2))
    y = np.repeat([0, 1], [n0, n - n0])
    order = rng.permutation(n)
    return X[order], y[order]


# --- the network ---------------------------------------------------------------------------------------
class MLP:
    r"""A fully connected network for binary classification with one output logit.

    .. math:: a_0 = x, \quad a_{l+1} = \phi(a_l W_l + b_l), \quad z = a_{L-1} W_{L-1} + b_{L-1}, \quad
              P(y = 1 \mid x) = \sigma(z)

    Args:
        sizes: layer widths from input to output, the last one 1 (default: (2, 16, 1)).
        activation: phi, 'tanh' or 'relu' (default: 'tanh').
        seed: seed of :meth:`init_params` (default: 0).

    theta is the flat concatenation of W_0 (row-major, shape (in, out)), b_0, W_1, b_1, ...; see
    :meth:`unpack`. All methods take theta of shape (n_params,) or (*batch, n_params).
    """

    def __init__(self, sizes=(2, 16, 1), activation="tanh", seed=0):
        try:
            flat = not isinstance(sizes, (str, bytes)) and np.ndim(sizes) == 1
        except (TypeError, ValueError):  # ragged
            flat = False
        if not flat:
            raise TypeError(f"sizes must be a tuple of layer widths such as (2, 16, 1); got {sizes!r}")
        sizes = tuple(_validate.integer(f"sizes[{i}]", s, low=1, high=MAX_WIDTH, why="units of a layer")
                      for i, s in enumerate(sizes))
        if len(sizes) < 2 or sizes[-1] != 1:
            raise ValueError(f"sizes must list at least 2 widths ending in 1 (one output logit), "
                             f"e.g. (2, 16, 1); got {sizes!r}")
        if not isinstance(activation, str):
            raise TypeError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")
        self.activation = _validate.choice("activation", activation.lower(), ACTIVATIONS)
        self.sizes = sizes
        self.seed = _validate.seed("seed", seed)
        self._layers = []  # (W slice, W shape, b slice)
        off = 0
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            w = slice(off, off + fan_in * fan_out)
            off += fan_in * fan_out
            self._layers.append((w, (fan_in, fan_out), slice(off, off + fan_out)))
            off += fan_out
        if off > MAX_PARAMS:
            raise ValueError(f"sizes={sizes} make {off:,} parameters; a network here has at most {MAX_PARAMS:,} "
                             f"(the course's networks have a few hundred)")
        self.n_params = off

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, activation={self.activation!r}, n_params={self.n_params})"

    def init_params(self, seed=None) -> np.ndarray:
        """Random initial theta (n_params,): W_l ~ N(0, gain / fan_in) with gain 1 for tanh (LeCun) and 2 for
        relu (He), biases 0. Seeded by ``seed`` (default: None, the model's seed)."""
        rng = np.random.default_rng(self.seed if seed is None else _validate.seed("seed", seed))
        gain = 2.0 if self.activation == "relu" else 1.0
        theta = np.zeros(self.n_params)
        for w, (fan_in, fan_out), _ in self._layers:
            theta[w] = rng.standard_normal(fan_in * fan_out) * np.sqrt(gain / fan_in)
        return theta

    def layer_indices(self) -> list:
        """Index arrays of each layer's parameters (W_l and b_l) in the flat theta."""
        return [np.r_[w, b] for w, _, b in self._layers]

    def unpack(self, theta) -> list:
        """[(W_0, b_0), (W_1, b_1), ...] views into theta, W_l of shape (*batch, in, out), b_l (*batch, out)."""
        theta = self.check_theta(theta)
        return self._unpack(theta)

    def _unpack(self, theta):
        batch = theta.shape[:-1]
        return [(theta[..., w].reshape(batch + shape), theta[..., b]) for w, shape, b in self._layers]

    # validation
    def check_theta(self, theta) -> np.ndarray:
        """theta as a float array of shape (n_params,) or (..., n_params), or a clear error."""
        theta = _validate.as_float_array("theta", theta, f"a parameter vector of length {self.n_params}")
        if theta.ndim == 0 or theta.shape[-1] != self.n_params:
            raise ValueError(f"theta must have shape ({self.n_params},) or (..., {self.n_params}) for {self!r}; "
                             f"got shape {theta.shape}")
        return theta

    def check_data(self, X, y=None):
        """X (N, inputs) and y (N,) labels in [0, 1] as float arrays, or a clear error; X alone if y is None."""
        X = _validate.as_float_array("X", X, f"an array of inputs of shape (N, {self.sizes[0]})")
        if X.ndim != 2 or X.shape[1] != self.sizes[0] or X.shape[0] == 0:
            raise ValueError(f"X must have shape (N, {self.sizes[0]}) with N >= 1; got shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X must hold finite numbers (no NaN or inf)")
        if y is None:
            return X
        y = _validate.as_float_array("y", y, "an array of labels in {0, 1}, one per row of X")
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape ({X.shape[0]},), one label per row of X; got shape {y.shape}")
        if not ((y >= 0) & (y <= 1)).all():
            raise ValueError("y must hold labels in {0, 1} (or probabilities in [0, 1])")
        return X, y

    # the maths
    def _forward(self, theta, X):
        """Logits z (*batch, N) and the layer inputs a_l (for backprop)."""
        acts = [X]
        a = X
        layers = self._unpack(theta)
        for i, (W, b) in enumerate(layers):
            z = a @ W + b[..., None, :]
            if i == len(layers) - 1:
                return z[..., 0], acts, layers
            a = np.tanh(z) if self.activation == "tanh" else np.maximum(z, 0.0)
            acts.append(a)

    def _loss_grad(self, theta, X, y, n_total, want_grad=True):
        """Summed loss / n_total and its gradient on the examples X (N, in) or (*batch, N, in): one block of
        :meth:`_evaluate`, whose parts add up to the mean over all n_total examples."""
        z, acts, layers = self._forward(theta, X)
        e = np.exp(-np.abs(z))
        loss = np.sum(np.maximum(z, 0.0) - y * z + np.log1p(e), axis=-1) / n_total
        if not want_grad:
            return loss, None
        sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        dz = ((sig - y) / n_total)[..., None]  # (*batch, N, 1)
        g = np.empty(theta.shape)
        for i in range(len(layers) - 1, -1, -1):
            W, _ = layers[i]
            w, _, b = self._layers[i]
            a = acts[i]
            g[..., w] = (np.swapaxes(a, -1, -2) @ dz).reshape(theta.shape[:-1] + (-1,))
            g[..., b] = dz.sum(axis=-2)
            if i:
                da = dz @ np.swapaxes(W, -1, -2)
                dz = da * (1.0 - a * a) if self.activation == "tanh" else da * (a > 0)
        return loss, g

    def _evaluate(self, theta, X, y, want, idx=None):
        """``want`` ('logits', 'loss', 'grad' or 'both') of parameter vectors theta (*batch, P) on the examples
        X (N, in) (or the rows ``idx`` (*batch', b) of X, one minibatch per run, broadcast against the batch),
        a block of parameter vectors x examples at a time: the temporaries stay at ~_CHUNK floats each,
        whatever the batch, the number of examples or the width. A ValueError before any work when the
        evaluation would cost more than MAX_WORK multiply-adds."""
        batch = theta.shape[:-1] if idx is None else np.broadcast_shapes(theta.shape[:-1], idx.shape[:-1])
        m, n = math.prod(batch), (X.shape[0] if idx is None else idx.shape[-1])
        work = m * self.n_params * n
        if work > MAX_WORK:
            raise ValueError(f"{m:,} parameter vector(s) of {self!r} on {n:,} examples would take about {work:.2g} "
                             f"multiply-adds (at most {MAX_WORK:.3g} here, a few seconds): use fewer units, fewer "
                             f"examples, a smaller batch_size or fewer runs")
        flat = np.broadcast_to(theta, batch + theta.shape[-1:]).reshape(m, self.n_params)
        if idx is not None:  # (1, b) when every run shares its minibatch, else (m, b)
            idx = idx[None] if idx.ndim == 1 else np.broadcast_to(idx, batch + idx.shape[-1:]).reshape(m, n)
        per = max(self.sizes)
        rows_e = min(n, max(1, _CHUNK // per))  # examples per block
        rows_t = max(1, _CHUNK // (rows_e * per))  # parameter vectors per block
        out = np.zeros((m, n)) if want == "logits" else np.zeros(m)
        grad = np.zeros((m, self.n_params)) if want in ("grad", "both") else None
        for t0 in range(0, m, rows_t):
            rows = slice(t0, min(m, t0 + rows_t))
            for e0 in range(0, n, rows_e):
                ex = slice(e0, min(n, e0 + rows_e))
                if idx is None:
                    Xb, yb = X[ex], (None if y is None else y[ex])
                else:
                    ib = idx[rows, ex] if idx.shape[0] > 1 else idx[0, ex]
                    Xb, yb = X[ib], y[ib]
                if want == "logits":
                    out[rows, ex] = self._forward(flat[rows], Xb)[0]
                    continue
                loss, g = self._loss_grad(flat[rows], Xb, yb, n, want_grad=grad is not None)
                out[rows] += loss
                if grad is not None:
                    grad[rows] += g
        shape = batch + ((n,) if want == "logits" else ())
        if want == "grad":
            return grad.reshape(batch + (self.n_params,))
        if want == "both":
            return out.reshape(shape), grad.reshape(batch + (self.n_params,))
        return out.reshape(shape)

    # public API
    def logits(self, theta, X) -> np.ndarray:
        """Output logits z, shape (*batch, N)."""
        theta, X = self.check_theta(theta), self.check_data(X)
        with np.errstate(all="ignore"):
            return self._evaluate(theta, X, None, "logits")

    def loss(self, theta, X, y) -> np.ndarray:
        """Mean binary cross-entropy J(theta) on (X, y), shape (*batch)."""
        theta, (X, y) = self.check_theta(theta), self.check_data(X, y)
        with np.errstate(all="ignore"):
            return self._evaluate(theta, X, y, "loss")

    def grad(self, theta, X, y) -> np.ndarray:
        """dJ / dtheta by backpropagation, shape (*batch, n_params)."""
        theta, (X, y) = self.check_theta(theta), self.check_data(X, y)
        with np.errstate(all="ignore"):
            return self._evaluate(theta, X, y, "grad")

    def loss_and_grad(self, theta, X, y):
        """(J, dJ / dtheta) from one forward and one backward pass."""
        theta, (X, y) = self.check_theta(theta), self.check_data(X, y)
        with np.errstate(all="ignore"):
            return self._evaluate(theta, X, y, "both")

    def predict_proba(self, theta, X) -> np.ndarray:
        """P(y = 1 | x) = sigmoid(z), shape (*batch, N)."""
        z = self.logits(theta, X)
        with np.errstate(all="ignore"):
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def predict(self, theta, X) -> np.ndarray:
        """Predicted labels (z > 0), int, shape (*batch, N)."""
        return (self.logits(theta, X) > 0).astype(int)

    def accuracy(self, theta, X, y) -> np.ndarray:
        """Fraction of correct labels, shape (*batch); NaN where theta is not finite."""
        _, y = self.check_data(X, y)
        z = self.logits(theta, X)
        acc = np.mean((z > 0) == (y > 0.5), axis=-1)
        return np.where(np.isfinite(z).all(axis=-1), acc, np.nan)


class NetworkLoss(Problem):
    """The mean cross-entropy of ``model`` on the data (X, y), as a problem on the flat parameters theta.

    ``run(GD(lr=0.5), NetworkLoss(model, X, y), steps=500)`` trains the network; with ``batch_size`` the
    engine draws minibatches of the N examples (``grad_on``). A run has diverged once its loss stops being
    finite or a parameter exceeds ``divergence_bound`` = 1e6 in absolute value.

    Args:
        model: an :class:`MLP`.
        X, y: inputs (N, sizes[0]) and labels (N,) in {0, 1}.
        start: the initial parameters (n_params,) (default: ``model.init_params()``).
    """

    divergence_bound = DIVERGENCE_LIMIT

    def __init__(self, model, X, y, *, start=None):
        if not isinstance(model, MLP):
            raise TypeError(f"model must be a stepviz MLP, e.g. MLP((2, 16, 1)); got {model!r}")
        self.model = model
        self.X, self.y = model.check_data(X, y)
        self.n = int(self.X.shape[0])
        start = model.init_params() if start is None else _validate.points("start", start, dim=model.n_params)
        if start.shape != (model.n_params,):
            raise ValueError(f"start must be one parameter vector ({model.n_params},); got shape {start.shape}")
        self.start = start
        self.minima = np.empty((0, model.n_params))
        self.name = f"network loss ({self.n} examples)"

    def value(self, theta):
        return self.model.loss(theta, self.X, self.y)

    def grad(self, theta):
        return self.model.grad(theta, self.X, self.y)

    def grad_on(self, theta, indices):
        """The gradient on the examples ``indices`` only, shape (b,) or (..., b) (one batch per run)."""
        idx = _validate.indices("indices", indices, self.n)
        theta = self.model.check_theta(theta)
        with np.errstate(all="ignore"):
            return self.model._evaluate(theta, self.X, self.y, "grad", idx=idx)

    def accuracy(self, theta) -> np.ndarray:
        """Fraction of correctly classified examples at theta, shape (*batch); NaN where theta is not finite."""
        return self.model.accuracy(theta, self.X, self.y)

    def __repr__(self):
        return f"NetworkLoss({self.model!r}, N={self.n})"
