r"""A tiny neural network in numpy: data sets, an MLP with backprop, training with the stepviz optimizers,
and 2-D slices of its loss landscape.

The network's parameters are one flat vector theta, so every optimizer of :mod:`stepviz.optimizers` trains
it as is. Everything broadcasts over leading batch axes of theta, shape (*batch, n_params): an optimizer with
an array of step sizes trains one network per step size in a single call::

    X, y = two_moons()
    model = MLP((2, 16, 1))
    res = train(GD(lr=np.array([0.1, 1.0, 10.0])), model, X, y, steps=300)
    res.losses            # (301, 3): one loss curve per step size

Loss: binary cross-entropy on the output logit z (numerically stable form),

.. math:: J(\theta) = \frac1N \sum_n \big[\log(1 + e^{z_n}) - y_n z_n\big], \qquad
          \partial J / \partial z_n = (\sigma(z_n) - y_n) / N .
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import _validate
from .optimizers import Optimizer, make_optimizer
from .schedules import Schedule
from .surfaces import Surface, _check_bounds, _pts
from .tuning import blowup_index, range_test_arguments

ACTIVATIONS = ("tanh", "relu")
#: A training run has diverged once its loss is not finite or a parameter exceeds this in absolute value.
DIVERGENCE_LIMIT = 1e6
_CHUNK = 1 << 21  # hidden-layer floats per batched evaluation (bounds memory of big grids)


def _seed(seed):
    return None if seed is None else _validate.integer("seed", seed, low=0)


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
    n = _validate.integer("n", n, low=2)
    noise = _validate.non_negative("noise", noise, example="0.1")
    rng = np.random.default_rng(_seed(seed))
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
    n = _validate.integer("n", n, low=2)
    noise = _validate.non_negative("noise", noise, example="0.05")
    turns = _validate.positive("turns", turns, example="1.0")
    rng = np.random.default_rng(_seed(seed))
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
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a tuple of layer widths such as (2, 16, 1); got {sizes!r}")
        sizes = tuple(_validate.integer(f"sizes[{i}]", s, low=1) for i, s in enumerate(sizes))
        if len(sizes) < 2 or sizes[-1] != 1:
            raise ValueError(f"sizes must list at least 2 widths ending in 1 (one output logit), "
                             f"e.g. (2, 16, 1); got {sizes!r}")
        if not isinstance(activation, str):
            raise TypeError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")
        self.activation = _validate.choice("activation", activation.lower(), ACTIVATIONS)
        self.sizes = sizes
        self.seed = _seed(seed)
        self._layers = []  # (W slice, W shape, b slice)
        off = 0
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            w = slice(off, off + fan_in * fan_out)
            off += fan_in * fan_out
            self._layers.append((w, (fan_in, fan_out), slice(off, off + fan_out)))
            off += fan_out
        self.n_params = off

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, activation={self.activation!r}, n_params={self.n_params})"

    def init_params(self, seed=None) -> np.ndarray:
        """Random initial theta (n_params,): W_l ~ N(0, gain / fan_in) with gain 1 for tanh (LeCun) and 2 for
        relu (He), biases 0. Seeded by ``seed`` (default: None, the model's seed)."""
        rng = np.random.default_rng(self.seed if seed is None else _seed(seed))
        gain = 2.0 if self.activation == "relu" else 1.0
        theta = np.zeros(self.n_params)
        for w, (fan_in, fan_out), _ in self._layers:
            theta[w] = rng.standard_normal(fan_in * fan_out) * np.sqrt(gain / fan_in)
        return theta

    def unpack(self, theta) -> list:
        """[(W_0, b_0), (W_1, b_1), ...] views into theta, W_l of shape (*batch, in, out), b_l (*batch, out)."""
        theta = self._theta(theta)
        return self._unpack(theta)

    def _unpack(self, theta):
        batch = theta.shape[:-1]
        return [(theta[..., w].reshape(batch + shape), theta[..., b]) for w, shape, b in self._layers]

    # validation
    def _theta(self, theta):
        theta = _validate.as_float_array("theta", theta, f"a parameter vector of length {self.n_params}")
        if theta.ndim == 0 or theta.shape[-1] != self.n_params:
            raise ValueError(f"theta must have shape ({self.n_params},) or (..., {self.n_params}) for {self!r}; "
                             f"got shape {theta.shape}")
        return theta

    def _data(self, X, y=None):
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

    @staticmethod
    def _bce(z, y):
        # log(1 + e^z) - y z, stable for any z
        return np.mean(np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z))), axis=-1)

    def _loss_grad(self, theta, X, y, need_loss=True):
        z, acts, layers = self._forward(theta, X)
        e = np.exp(-np.abs(z))
        sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        dz = ((sig - y) / X.shape[0])[..., None]  # (*batch, N, 1)
        g = np.empty(theta.shape)
        for i in range(len(layers) - 1, -1, -1):
            W, _ = layers[i]
            w, _, b = self._layers[i]
            a = acts[i]
            g[..., w] = (np.swapaxes(a, -1, -2) @ dz).reshape(theta.shape[:-1] + (-1,))
            g[..., b] = dz.sum(axis=-2)
            if i:
                da = dz @ np.swapaxes(W, -1, -2)
                a = acts[i]
                dz = da * (1.0 - a * a) if self.activation == "tanh" else da * (a > 0)
        loss = np.mean(np.maximum(z, 0.0) - y * z + np.log1p(e), axis=-1) if need_loss else None
        return loss, g

    def _chunked(self, fn, theta, n_rows):
        """fn over theta (*batch, P), in chunks of the flattened batch so big grids fit in memory."""
        batch = theta.shape[:-1]
        m = math.prod(batch)
        c = max(1, _CHUNK // (n_rows * max(self.sizes)))
        if m <= c:
            return fn(theta)
        flat = theta.reshape(m, self.n_params)
        out = np.concatenate([fn(flat[i:i + c]) for i in range(0, m, c)])
        return out.reshape(batch + out.shape[1:])

    # public API
    def logits(self, theta, X) -> np.ndarray:
        """Output logits z, shape (*batch, N)."""
        theta, X = self._theta(theta), self._data(X)
        with np.errstate(all="ignore"):
            return self._chunked(lambda t: self._forward(t, X)[0], theta, X.shape[0])

    def loss(self, theta, X, y) -> np.ndarray:
        """Mean binary cross-entropy J(theta) on (X, y), shape (*batch)."""
        theta, (X, y) = self._theta(theta), self._data(X, y)
        with np.errstate(all="ignore"):
            return self._chunked(lambda t: self._bce(self._forward(t, X)[0], y), theta, X.shape[0])

    def grad(self, theta, X, y) -> np.ndarray:
        """dJ / dtheta by backpropagation, shape (*batch, n_params)."""
        theta, (X, y) = self._theta(theta), self._data(X, y)
        with np.errstate(all="ignore"):
            return self._chunked(lambda t: self._loss_grad(t, X, y, need_loss=False)[1], theta, X.shape[0])

    def loss_and_grad(self, theta, X, y):
        """(J, dJ / dtheta) from one forward and one backward pass."""
        theta, (X, y) = self._theta(theta), self._data(X, y)
        with np.errstate(all="ignore"):
            return self._loss_grad(theta, X, y)

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
        _, y = self._data(X, y)
        z = self.logits(theta, X)
        acc = np.mean((z > 0) == (y > 0.5), axis=-1)
        return np.where(np.isfinite(z).all(axis=-1), acc, np.nan)


# --- training ------------------------------------------------------------------------------------------
@dataclass
class TrainResult:
    """The result of :func:`train`.

    Attributes:
        losses: (steps + 1, *batch) full-data loss at every iterate, losses[0] at theta0.
        thetas: (k, *batch, n_params) the iterates at steps ``recorded`` (a thinned history).
        recorded: (k,) the step numbers of ``thetas``; always holds 0 and ``steps``.
        lrs: (steps, *batch) step size used at each step.
        accuracy: (*batch) training accuracy of the final iterate (NaN for diverged runs).
        diverged: (*batch) bool; diverged_at: (*batch) first step whose loss was not finite or whose
            parameters exceeded DIVERGENCE_LIMIT (-1 if never). From then on losses and thetas are NaN.
    """

    losses: np.ndarray
    thetas: np.ndarray
    recorded: np.ndarray
    lrs: np.ndarray
    accuracy: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    optimizer: Optimizer = field(repr=False, default=None)
    model: MLP = field(repr=False, default=None)

    @property
    def steps(self) -> int:
        return self.losses.shape[0] - 1

    @property
    def batch_shape(self) -> tuple:
        return self.losses.shape[1:]

    @property
    def final_loss(self) -> np.ndarray:
        return self.losses[-1]

    @property
    def final_theta(self) -> np.ndarray:
        return self.thetas[-1]

    def __getitem__(self, index) -> "TrainResult":
        """The runs at ``index`` of the batch axes, e.g. ``res[2]``."""
        index = index if isinstance(index, tuple) else (index,)
        full = (slice(None),) + index
        return TrainResult(self.losses[full], self.thetas[full], self.recorded, self.lrs[full],
                           self.accuracy[index], self.diverged[index], self.diverged_at[index],
                           self.optimizer, self.model)


def _check_train_args(optimizer, model, X, y):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a stepviz optimizer such as GD(lr=0.5); got {optimizer!r}")
    if not isinstance(model, MLP):
        raise TypeError(f"model must be a stepviz.nn.MLP; got {model!r}")
    return model._data(X, y)


def train(optimizer, model, X, y, steps=200, theta0=None, *, batch_size=None, seed=None,
          record_every=None) -> TrainResult:
    """Train ``model`` on (X, y) with a stepviz optimizer, via its ``init`` and ``step``.

    Args:
        optimizer: e.g. ``GD(lr=0.5)``, ``Adam(lr=0.01)``; array hyperparameters train one network each.
        model: an :class:`MLP`.
        X, y: inputs (N, sizes[0]) and labels (N,) in {0, 1}.
        steps: number of updates, >= 0 (default: 200).
        theta0: start (n_params,) or (*batch, n_params) (default: ``model.init_params()``).
        batch_size: minibatch size in [1, N] for SGD: each epoch shuffles the data and walks through it
            in batches; all runs see the same batches, so they differ by their hyperparameters alone
            (default: None, the full data set: plain gradient descent).
        seed: seed of the shuffling, int >= 0 (default: None).
        record_every: keep every k-th iterate in ``thetas`` (default: None, about 200 snapshots).

    Returns:
        A :class:`TrainResult`; ``losses`` are full-data losses even when training on minibatches.
        Divergence is flagged, not raised, and no numpy warning escapes.
    """
    X, y = _check_train_args(optimizer, model, X, y)
    steps = _validate.integer("steps", steps, low=0)
    theta0 = model.init_params() if theta0 is None else model._theta(theta0)
    if not np.isfinite(theta0).all():
        raise ValueError("theta0 must hold finite numbers")
    N = X.shape[0]
    if batch_size is not None:
        batch_size = _validate.integer("batch_size", batch_size, low=1)
        if batch_size > N:
            raise ValueError(f"batch_size must be in [1, N={N}] or None (full batch); got {batch_size}")
        if batch_size == N:
            batch_size = None
    if record_every is None:
        every = max(1, math.ceil(steps / 200))
    else:
        every = _validate.integer("record_every", record_every, low=1)
    rec = sorted(set(range(0, steps + 1, every)) | {steps})
    rng = np.random.default_rng(_seed(seed))

    batch = np.broadcast_shapes(theta0.shape[:-1], optimizer.batch_shape)
    p = np.array(np.broadcast_to(theta0, batch + (model.n_params,)), dtype=float)
    losses = np.empty((steps + 1,) + batch)
    thetas = np.empty((len(rec),) + batch + (model.n_params,))
    diverged_at = np.full(batch, -1, dtype=int)
    alphas = []
    order, pos = None, N

    def check(t, p, loss):
        bad = ~(np.isfinite(loss) & (np.abs(p).max(axis=-1) <= DIVERGENCE_LIMIT)) | (diverged_at >= 0)
        if bad.any():
            diverged_at[bad & (diverged_at < 0)] = t
            loss = np.where(bad, np.nan, loss)
            p = np.where(bad[..., None], np.nan, p)
        return p, loss

    k = 0
    with np.errstate(all="ignore"):
        state = optimizer.init(p)
        for t in range(steps):
            stash = {}
            if batch_size is None:
                def grad_fn(q, p=p, stash=stash):
                    loss, g = model._loss_grad(q, X, y, need_loss=q is p)
                    if q is p:
                        stash["loss"] = loss
                    return g
            else:
                if pos + batch_size > N:  # next epoch
                    order, pos = rng.permutation(N), 0
                idx = order[pos:pos + batch_size]
                pos += batch_size
                Xb, yb = X[idx], y[idx]

                def grad_fn(q, Xb=Xb, yb=yb):
                    return model._loss_grad(q, Xb, yb, need_loss=False)[1]
            alphas.append(optimizer.alpha(t))
            p_next, state = optimizer.step(p, grad_fn, state, t)
            loss = stash["loss"] if "loss" in stash else model._bce(model._forward(p, X)[0], y)
            p, losses[t] = check(t, p, loss)
            if rec[k] == t:
                thetas[k] = p
                k += 1
            p = np.where((diverged_at >= 0)[..., None], np.nan, p_next) if (diverged_at >= 0).any() else p_next
        p, losses[steps] = check(steps, p, model._bce(model._forward(p, X)[0], y))
        thetas[k] = p
        acc = np.mean((model._forward(p, X)[0] > 0) == (y > 0.5), axis=-1)
    acc = np.where(diverged_at >= 0, np.nan, acc)
    lr_shape = np.broadcast_shapes(*(np.shape(a) for a in alphas)) if alphas else ()
    lrs = np.array([np.broadcast_to(a, lr_shape) for a in alphas]).reshape((steps,) + lr_shape)
    # lr_shape aligns with the trailing batch axes: put theta0's extra leading axes after the step axis
    lrs = np.broadcast_to(lrs.reshape((steps,) + (1,) * (len(batch) - len(lr_shape)) + lr_shape), (steps,) + batch)
    return TrainResult(losses, thetas, np.array(rec), lrs, acc, diverged_at >= 0, diverged_at, optimizer, model)


@dataclass
class RangeTest:
    """The result of :func:`range_test` (field names as in :class:`stepviz.tuning.RangeTestResult`).

    Attributes:
        lrs: (steps,) the step size of each step, lr_min ... lr_max.
        losses: (steps,) the full-data loss *after* the step taken with ``lrs[t]``.
        min_lr: the step size with the lowest loss before the blow-up.
        suggested_lr: min_lr / divisor, the usual rule of thumb.
        blowup_lr, blowup_step: where the loss first exceeded stop_factor x its running minimum (or
            stopped being finite); nan and -1 if it never did.
        result: the underlying :class:`TrainResult`.
    """

    lrs: np.ndarray
    losses: np.ndarray
    min_lr: float
    suggested_lr: float
    blowup_lr: float
    blowup_step: int
    result: TrainResult = field(repr=False, default=None)


def range_test(model, X, y, lr_min=1e-3, lr_max=100.0, steps=100, optimizer="GD", theta0=None, *,
               batch_size=None, seed=None, divisor=10.0, stop_factor=4.0, **hyperparameters) -> RangeTest:
    """The learning-rate range test (Smith 2017) on the network: one run whose step size grows
    exponentially, alpha_t = lr_min (lr_max / lr_min)^(t / (steps - 1)); the loss falls while alpha is
    useful and shoots up once it is too large.

    Args:
        model, X, y, theta0, batch_size, seed: as for :func:`train`.
        lr_min, lr_max: first and last step size, 0 < lr_min < lr_max (default: 1e-3, 100.0).
        steps: number of steps, >= 2 (default: 100).
        optimizer: an optimizer name such as 'GD', 'Momentum', 'Adam', or an Optimizer class (default: 'GD').
        divisor: suggested_lr = min_lr / divisor, >= 1 (default: 10.0).
        stop_factor: the loss has blown up once above stop_factor x its running minimum, > 1 (default: 4.0).
        **hyperparameters: single numbers passed to the optimizer (e.g. momentum=0.9).
    """
    lr_min, lr_max, steps, divisor, stop_factor = range_test_arguments(lr_min, lr_max, steps, divisor, stop_factor)
    ratio = lr_max / lr_min
    schedule = Schedule(lambda t: lr_min * ratio ** (np.minimum(t, steps - 1) / (steps - 1)), "range_test",
                        "alpha_t = lr_min (lr_max / lr_min)^(t / (steps - 1))", lr_min=lr_min, lr_max=lr_max)
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        opt = optimizer(lr=schedule, **hyperparameters)
    else:
        opt = make_optimizer(optimizer, lr=schedule, **hyperparameters)
    if opt.batch_shape != ():
        raise ValueError(f"range_test runs one network: the hyperparameters must be single numbers; got {opt!r}")
    res = train(opt, model, X, y, steps, theta0, batch_size=batch_size, seed=seed, record_every=steps)
    if res.batch_shape:
        raise ValueError("range_test runs one network: theta0 must be a single parameter vector")
    lrs, losses = np.asarray(schedule(np.arange(steps)), dtype=float), res.losses[1:]
    stop = blowup_index(losses, res.losses[0], stop_factor)
    nan = float("nan")
    min_lr = float(lrs[int(np.argmin(losses[:stop]))]) if stop else nan
    return RangeTest(lrs, losses, min_lr, min_lr / divisor, float(lrs[stop]) if stop < steps else nan,
                     stop if stop < steps else -1, res)


# --- loss landscape slices -----------------------------------------------------------------------------
def random_directions(model, center, seed=0, filter_normalize=True):
    """Two random directions (d1, d2) in parameter space for :func:`loss_slice`.

    With ``filter_normalize`` (Li et al. 2018, "Visualizing the loss landscape of neural nets") each
    neuron's incoming weights in d are rescaled to the norm of that neuron's weights in ``center``, and the
    bias entries are 0, so the slice is comparable across networks of different scale (default: True).
    Otherwise d1, d2 are Gaussian with unit norm. ``seed`` int >= 0 (default: 0).
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be a stepviz.nn.MLP; got {model!r}")
    center = model._theta(center)
    if center.shape != (model.n_params,):
        raise ValueError(f"center must be one parameter vector ({model.n_params},); got shape {center.shape}")
    rng = np.random.default_rng(_seed(seed))
    out = []
    for _ in range(2):
        d = rng.standard_normal(model.n_params)
        if filter_normalize:
            for (W, b), (Wc, _) in zip(model._unpack(d), model._unpack(center)):
                W *= np.linalg.norm(Wc, axis=0) / np.linalg.norm(W, axis=0)  # per output neuron (column)
                b[...] = 0.0
        else:
            d /= np.linalg.norm(d)
        out.append(d)
    return out[0], out[1]


def pca_directions(path, center=None):
    """The top-2 principal directions of a training path around ``center`` (Li et al. 2018).

    Args:
        path: iterates (k, n_params), e.g. ``result.thetas`` of one run; non-finite rows are dropped.
        center: (n_params,) (default: the last finite iterate, the trained network).
    Returns:
        (d1, d2, explained): orthonormal d1, d2 (signed so the path starts at positive coordinates) and the
        fraction of the path's variance around center that each explains.
    """
    path = _validate.as_float_array("path", path, "iterates of shape (k, n_params)")
    if path.ndim != 2:
        raise ValueError(f"path must have shape (k, n_params), one run's iterates; got shape {path.shape}")
    path = path[np.isfinite(path).all(axis=1)]
    if len(path) < 2:
        raise ValueError("path must hold at least 2 finite iterates")
    center = path[-1] if center is None else _validate.as_float_array("center", center, "a parameter vector")
    if center.shape != path.shape[1:]:
        raise ValueError(f"center must have shape {path.shape[1:]}; got {center.shape}")
    M = path - center
    _, s, vt = np.linalg.svd(M, full_matrices=False)
    d = vt[:2].copy()
    if d.shape[0] < 2:
        raise ValueError("path must span at least 2 directions")
    signs = np.where(M[0] @ d.T < 0, -1.0, 1.0)
    d *= signs[:, None]
    total = np.sum(s ** 2)
    explained = s[:2] ** 2 / total if total > 0 else np.zeros(2)
    return d[0], d[1], explained


def project(path, center, d1, d2) -> np.ndarray:
    """Coordinates (..., 2) of parameter vectors ``path`` (..., n_params) in the plane center + a d1 + b d2:
    the least-squares solution of a d1 + b d2 = theta - center (exact projection even for non-orthogonal
    directions). Plot them on a :func:`loss_slice`."""
    path = _validate.as_float_array("path", path, "parameter vectors (..., n_params)")
    center, D = _plane(center, d1, d2)
    if path.ndim == 0 or path.shape[-1] != D.shape[1]:
        raise ValueError(f"path must have shape (..., {D.shape[1]}); got {path.shape}")
    with np.errstate(all="ignore"):  # NaN rows of diverged runs stay NaN
        return ((path - center) @ D.T) @ np.linalg.inv(D @ D.T)


def _plane(center, d1, d2):
    center = _validate.as_float_array("center", center, "a parameter vector")
    d1 = _validate.as_float_array("d1", d1, "a direction vector")
    d2 = _validate.as_float_array("d2", d2, "a direction vector")
    if center.ndim != 1 or d1.shape != center.shape or d2.shape != center.shape:
        raise ValueError(f"center, d1 and d2 must be vectors of the same length; got shapes "
                         f"{center.shape}, {d1.shape}, {d2.shape}")
    D = np.stack([d1, d2])
    if not (np.isfinite(center).all() and np.isfinite(D).all()):
        raise ValueError("center, d1 and d2 must hold finite numbers")
    if np.linalg.matrix_rank(D) < 2:
        raise ValueError("d1 and d2 must be linearly independent (two different directions)")
    return center, D


def _extent_bounds(extent):
    arr = _validate.as_float_array("extent", extent, "a number > 0 or ((amin, amax), (bmin, bmax))")
    if arr.ndim == 0:
        e = _validate.positive("extent", extent, example="1.0")
        return ((-e, e), (-e, e))
    return _check_bounds(arr)


class SliceSurface(Surface):
    """The network's loss on the plane theta = center + a d1 + b d2, as a stepviz Surface in (a, b).

    ``value`` = J(center + a d1 + b d2); ``grad`` = (d1 . dJ, d2 . dJ) by backprop (chain rule);
    ``hessian`` by central differences of grad. ``bounds`` from ``extent``; (0, 0) is ``center``.
    """

    log_levels = True

    def __init__(self, model, X, y, center, d1, d2, extent=1.0, name="loss slice"):
        if not isinstance(model, MLP):
            raise TypeError(f"model must be a stepviz.nn.MLP; got {model!r}")
        self.X, self.y = model._data(X, y)
        self.center, self.D = _plane(center, d1, d2)
        if self.D.shape[1] != model.n_params:
            raise ValueError(f"center, d1, d2 must have length n_params={model.n_params}; got {self.D.shape[1]}")
        self.model = model
        self.bounds = _extent_bounds(extent)
        self.name = str(name)
        self.minima = np.empty((0, 2))
        (a0, a1), (b0, b1) = self.bounds
        self.start = np.array([a0 + 0.2 * (a1 - a0), b0 + 0.8 * (b1 - b0)])

    def theta(self, p) -> np.ndarray:
        """center + a d1 + b d2 for points p (..., 2)."""
        return self.center + _pts(p) @ self.D

    def _map(self, fn, p, tail):
        # evaluate in chunks of points: theta for all points of a big grid at once would not fit
        p = _pts(p)
        flat = p.reshape(-1, 2)
        c = max(1, _CHUNK // max(self.model.n_params, self.X.shape[0] * max(self.model.sizes)))
        out = np.empty((len(flat),) + tail)
        with np.errstate(all="ignore"):
            for i in range(0, len(flat), c):
                out[i:i + c] = fn(self.center + flat[i:i + c] @ self.D)
        return out.reshape(p.shape[:-1] + tail)

    def value(self, p):
        m, X, y = self.model, self.X, self.y
        return self._map(lambda th: m._bce(m._forward(th, X)[0], y), p, ())

    def grad(self, p):
        m, X, y = self.model, self.X, self.y
        return self._map(lambda th: m._loss_grad(th, X, y, need_loss=False)[1] @ self.D.T, p, (2,))

    def hessian(self, p):
        p = _pts(p)
        h = 1e-5 * np.maximum(1.0, np.abs(p))
        cols = []
        for i in range(2):
            e = np.zeros(p.shape)
            e[..., i] = h[..., i]
            cols.append((self.grad(p + e) - self.grad(p - e)) / (2 * h[..., i:i + 1]))
        H = np.stack(cols, axis=-1)
        return (H + np.swapaxes(H, -1, -2)) / 2

    def project(self, path) -> np.ndarray:
        """Coordinates (..., 2) of parameter vectors in this plane; see :func:`project`."""
        return project(path, self.center, self.D[0], self.D[1])

    def __repr__(self):
        return f"SliceSurface({self.model!r}, bounds={self.bounds})"


@dataclass
class LossSlice:
    """The result of :func:`loss_slice`: ``losses[j, i]`` = J(center + a[i] d1 + b[j] d2) (rows b, columns a:
    ready for ``plt.contour(a, b, losses)``); ``surface`` the :class:`SliceSurface` it came from."""

    a: np.ndarray
    b: np.ndarray
    losses: np.ndarray
    surface: SliceSurface = field(repr=False)

    def project(self, path) -> np.ndarray:
        """Coordinates (..., 2) of a training path in this slice."""
        return self.surface.project(path)


def loss_slice(model, X, y, center, d1, d2, extent=1.0, n=41) -> LossSlice:
    """The loss on an n x n grid of the plane center + a d1 + b d2.

    Args:
        model, X, y: the network and its data.
        center: (n_params,) the plane's origin, e.g. the trained parameters.
        d1, d2: (n_params,) directions, from :func:`random_directions` or :func:`pca_directions`.
        extent: a > 0 for a, b in [-extent, extent], or ((amin, amax), (bmin, bmax)) (default: 1.0).
        n: grid points per axis, >= 2 (default: 41).
    """
    n = _validate.integer("n", n, low=2)
    surface = SliceSurface(model, X, y, center, d1, d2, extent)
    (a0, a1), (b0, b1) = surface.bounds
    a, b = np.linspace(a0, a1, n), np.linspace(b0, b1, n)
    grid = np.stack(np.meshgrid(a, b), axis=-1)
    return LossSlice(a, b, surface.value(grid), surface)
