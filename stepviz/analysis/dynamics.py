"""What a run does over time, measured: velocities and Nesterov's look-ahead points, each coordinate's
effective step size, measured convergence rates over sweeps of step size, momentum or condition number
(one batched run each), and the stability grid of (step size, momentum)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..engine import Trajectory, run
from ..optim.rules import (
    GD,
    Adadelta,
    Adagrad,
    Adam,
    Momentum,
    Optimizer,
    RMSprop,
    make_optimizer,
)
from ..problems.surfaces import QuadraticBowl, Surface, get_surface
from . import quadratic


def velocities(trajectory: Trajectory) -> np.ndarray:
    """(steps + 1, *batch, 2) velocities of the velocity form: v_0 = 0 and v_k = p_{k-1} - p_k."""
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be the result of stepviz.run(...); got {type(trajectory).__name__}")
    p = trajectory.points
    v = np.zeros_like(p)
    with np.errstate(invalid="ignore"):
        v[1:] = p[:-1] - p[1:]
    return v


def lookahead_points(trajectory: Trajectory, momentum=None) -> np.ndarray:
    """(steps, *batch, 2) Nesterov's look-ahead points p_k - gamma v_k, k = 0 .. steps - 1.

    For a Nesterov run these are exactly the points where the gradients of its steps were taken.
    ``momentum`` defaults to the trajectory's optimizer's momentum.
    """
    if momentum is None:
        momentum = getattr(trajectory.optimizer, "momentum", None)
        if momentum is None:
            raise ValueError("lookahead_points needs a momentum: pass momentum=... or a Momentum/Nesterov run")
    gamma = np.asarray(_validate.unit_interval("momentum", momentum), dtype=float)[..., None]
    v = velocities(trajectory)
    with np.errstate(invalid="ignore"):
        return trajectory.points[:-1] - gamma * v[:-1]


def _col(x):
    return np.asarray(x, dtype=float)[..., None]


def effective_steps(optimizer: Optimizer, surface, start=None, steps: int = 100):
    """Run ``optimizer`` and record each coordinate's effective step size at every step.

    The effective step is the factor in front of the (averaged) gradient in the update:
    alpha_t for GD, Momentum and Nesterov; alpha_t / (sqrt(s) + eps) for Adagrad and RMSprop;
    alpha_t / (sqrt(s_hat) + eps) for Adam (it multiplies m_hat); alpha_t sqrt(u + eps) / sqrt(s + eps) for
    Adadelta (u from before the step, s after it).

    Returns ``(trajectory, eff)``: the :func:`stepviz.run` trajectory and eff of shape (steps, *batch, 2);
    from the step where a run diverged on, eff is NaN.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a stepviz optimizer such as Adam(lr=0.1); got {optimizer!r}")
    surface = get_surface(surface)
    traj = run(optimizer, surface, start=start, steps=steps)
    p = traj.points[0].copy()
    state = optimizer.init(p)
    eff = np.empty(traj.lrs.shape + (2,))
    with np.errstate(all="ignore"):
        for t in range(traj.steps):
            a = _col(optimizer.alpha(t))
            p_next, new = optimizer.step(p, surface.grad, state, t)
            if isinstance(optimizer, (Adagrad, RMSprop)):
                e = a / (np.sqrt(new["s"]) + _col(optimizer.eps))
            elif isinstance(optimizer, Adam):
                s_hat = new["s"] / (1 - _col(optimizer.beta2) ** (t + 1))
                e = a / (np.sqrt(s_hat) + _col(optimizer.eps))
            elif isinstance(optimizer, Adadelta):
                eps = _col(optimizer.eps)
                e = a * np.sqrt(state["u"] + eps) / np.sqrt(new["s"] + eps)
            else:
                e = a
            eff[t] = np.broadcast_to(e, eff.shape[1:])
            p, state = p_next, new
        if traj.diverged.any():
            k = np.arange(traj.steps).reshape((-1,) + (1,) * len(traj.batch_shape))
            gone = traj.diverged & (k + 1 >= traj.diverged_at)
            eff = np.where(gone[..., None], np.nan, eff)
    return traj, eff


def scaled_surface(surface, factor) -> Surface:
    """``surface`` with its loss multiplied by ``factor`` (> 0): same minima and contours, gradients
    ``factor`` times larger. A bowl stays a QuadraticBowl (curvatures times factor)."""
    surface = get_surface(surface)
    factor = _validate.positive("factor", factor)
    if isinstance(surface, QuadraticBowl):
        out = QuadraticBowl(tuple(c * factor for c in surface.curvatures), surface.angle)
        out.name = f"{factor:g} × {surface.name}"
        return out
    out = Surface.from_function(lambda p: factor * surface.value(p), grad=lambda p: factor * surface.grad(p),
                                bounds=surface.bounds, name=f"{factor:g} × {surface.name}",
                                minima=surface.minima if len(surface.minima) else None, start=surface.start)
    out.log_levels = surface.log_levels
    return out


# --- measured rates over sweeps (one batched run each) ---------------------------------------------------

def rate_vs_kappa(kappas=(1.5, 2, 4, 8, 16, 32, 64, 128), steps: int = 400) -> np.ndarray:
    """Measured rate of GD at the optimal step 2/(mu + L) on bowls with curvatures (1, kappa); the theory
    says (kappa - 1)/(kappa + 1)."""
    kappas = np.asarray(_validate.positive("kappas", kappas, example="4.0"), dtype=float).reshape(-1)
    out = []
    for kappa in kappas:
        bowl = QuadraticBowl(curvatures=(1.0, float(kappa)))
        out.append(float(run(GD(quadratic.optimal_lr(bowl)), bowl, steps=steps).rate()))
    return np.array(out)


def rate_vs_lr(bowl=None, lrs=None, steps: int = 300):
    """(lrs, measured rates, diverged) of GD over step sizes on ``bowl`` (default: curvatures (1, 10)), one
    batched run; ``lrs`` default: 60 log-spaced from 2/L / 100 to 1.15 x 2/L."""
    bowl = bowl if bowl is not None else QuadraticBowl()
    limit = quadratic.lr_limit(bowl)
    lrs = np.geomspace(limit / 100, limit * 1.15, 60) if lrs is None else \
        np.asarray(_validate.positive("lrs", lrs), dtype=float)
    traj = run(GD(lrs), bowl, steps=steps)
    return lrs, traj.rate(), np.asarray(traj.diverged)


@dataclass
class RateComparison:
    """Measured and predicted rates of momentum methods on a bowl, shape (momenta, lrs)."""

    lrs: np.ndarray
    momenta: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    optimizer: str


def momentum_rates(bowl: QuadraticBowl, momenta=(0.0, 0.5, 0.8), lrs=None, *, optimizer="Momentum",
                   steps: int = 400) -> RateComparison:
    """Measured rate per step (one batched run over momenta x lrs) and the predicted spectral radius, for
    heavy ball ('Momentum') or 'Nesterov' on a quadratic bowl. ``lrs`` default: 40 log-spaced up to
    1.3 x the heavy ball's limit at the largest momentum."""
    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"the predicted rate holds on a QuadraticBowl; got {bowl!r}")
    if optimizer not in ("Momentum", "Nesterov"):
        raise ValueError(f"optimizer must be 'Momentum' or 'Nesterov'; got {optimizer!r}")
    momenta = np.atleast_1d(np.asarray(_validate.unit_interval("momenta", momenta), dtype=float))
    top = quadratic.momentum_lr_limit(bowl, momenta.max()) * 1.3
    lrs = np.geomspace(top / 100, top, 40) if lrs is None else \
        np.atleast_1d(np.asarray(_validate.positive("lrs", lrs), float))
    traj = run(make_optimizer(optimizer, lr=lrs[None, :], momentum=momenta[:, None]), bowl, steps=steps)
    rate_fn = quadratic.momentum_rate if optimizer == "Momentum" else quadratic.nesterov_rate
    return RateComparison(lrs, momenta, traj.rate(), rate_fn(bowl, lrs[None, :], momenta[:, None]), optimizer)


@dataclass
class StabilityGrid:
    """Measured rate per step over a grid of (lr, momentum): ``rates`` and ``diverged`` of shape
    (momenta, lrs), from one batched run."""

    surface: Surface
    optimizer: str
    lrs: np.ndarray
    momenta: np.ndarray
    rates: np.ndarray
    diverged: np.ndarray


def stability_grid(surface, optimizer="Momentum", lrs=None, momenta=None, steps: int = 300, *,
                   start=None) -> StabilityGrid:
    """The measured convergence rate over a grid of (lr, momentum), one batched run: ``lrs`` default 120
    log-spaced in [1e-3, 1], ``momenta`` default 100 in [0, 0.98]; 'GD' ignores the momentum."""
    surface = get_surface(surface)
    lrs = np.geomspace(1e-3, 1.0, 120) if lrs is None else np.asarray(_validate.positive("lrs", lrs), float)
    momenta = np.linspace(0.0, 0.98, 100) if momenta is None else \
        np.asarray(_validate.unit_interval("momenta", momenta), float)
    name = optimizer.name if isinstance(optimizer, Optimizer) else optimizer
    if name not in ("Momentum", "Nesterov", "GD"):
        raise ValueError(f"a stability grid needs a momentum method: 'Momentum', 'Nesterov' or 'GD'; got {optimizer!r}")
    opt = make_optimizer(name, lr=lrs[None, :], momentum=momenta[:, None])
    traj = run(opt, surface, start=start, steps=steps)
    rates = np.broadcast_to(traj.rate(), (momenta.size, lrs.size))
    diverged = np.broadcast_to(traj.diverged, (momenta.size, lrs.size))
    return StabilityGrid(surface, name, lrs, momenta, rates, diverged)


@dataclass
class MeasuredRegimes:
    """Result of :func:`measured_momentum_regimes`: per run, the regime index (into
    ``quadratic.MOMENTUM_REGIMES``) read off its iterates, the theory's index, and the iterates x_k."""

    a: np.ndarray
    momenta: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    x: np.ndarray

    @property
    def agree(self) -> int:
        """How many runs behave as the theory predicts."""
        return int(np.sum(self.measured == self.predicted))

    @property
    def count(self) -> int:
        """How many runs there are."""
        return int(self.measured.size)


def measured_momentum_regimes(a, momenta, steps: int = 300) -> MeasuredRegimes:
    """Heavy ball on the 1-D parabola lambda = 1 (x_0 = 1, v_0 = 0) for each a = lr * lambda and momentum,
    one batched run, and the regime read off each run: divergent if it diverged or |x| ends above 1;
    monotone if the sign of x changes at most once; zig-zag if it flips at every step of the second half;
    ripple otherwise. Iterates below 1e-280 (exact zeros after underflow) count as no sign at all."""
    a, g = np.broadcast_arrays(np.asarray(_validate.positive("a", a), float),
                               np.asarray(_validate.unit_interval("momenta", momenta), float))
    parabola = QuadraticBowl(curvatures=(1.0, 1.0))
    start = np.broadcast_to([1.0, 0.0], a.shape + (2,))
    traj = run(make_optimizer("Momentum", lr=a, momentum=g), parabola, start=start, steps=steps)
    x = traj.points[..., 0]
    with np.errstate(all="ignore"):
        signed = np.abs(x) > 1e-280
        pair = signed[1:] & signed[:-1]
        flips = (np.sign(x[1:]) != np.sign(x[:-1])) & pair
        late = slice(steps // 2, None)
        zigzag = np.all(flips[late] | ~pair[late], axis=0) & pair[late].any(axis=0)
        measured = np.where(flips.sum(axis=0) <= 1, 0, np.where(zigzag, 2, 1))
        measured = np.where(traj.diverged | ~(np.abs(x[-1]) <= 1.0), 3, measured)
    return MeasuredRegimes(a, g, measured, quadratic.momentum_regime(a, g), x)


class _PyTorchMomentum(Momentum):
    """Heavy ball as torch.optim.SGD writes it: v <- momentum v + g, p <- p - alpha_t v (v_0 = 0).
    For a constant alpha its v is the velocity form's divided by alpha, and the points are the same."""

    name = "Momentum (PyTorch's form)"

    def step(self, p, grad_fn, state, t):
        v = self._hp("momentum", p) * state["v"] + grad_fn(p)
        return p - self._alpha_like(t, p) * v, {"v": v}


def velocity_forms(problem, lr, momentum, steps: int = 100, start=None) -> dict:
    """Heavy ball written two ways, on ``problem`` with step size (or schedule) ``lr``: {'ours': the velocity
    form v <- gamma v + alpha_t g, p <- p - v; 'pytorch': torch.optim.SGD's v <- gamma v + g,
    p <- p - alpha_t v}. The same path for a constant alpha; under a schedule PyTorch's form applies a change
    of alpha to the whole velocity at once."""
    return {"ours": run(Momentum(lr, momentum=momentum), problem, start=start, steps=steps),
            "pytorch": run(_PyTorchMomentum(lr, momentum=momentum), problem, start=start, steps=steps)}


def turned(vector, angle) -> np.ndarray:
    """``vector`` (2,) turned counter-clockwise by ``angle`` degrees."""
    c, s = np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))
    return np.array([[c, -s], [s, c]]) @ np.asarray(vector, dtype=float)


def preconditioning_runs(optimizers, curvatures=(1.0, 50.0), angles=(0.0, 45.0), start=(-1.5, 1.0),
                         steps: int = 600, tol: float = 1e-6) -> dict:
    """Each optimizer on the same bowl at each angle, the start turned with the bowl (so plain GD, which
    does not see the coordinates, follows the same path up to the turn). Returns {angle: {optimizer name or
    label: (trajectory, steps to tol or -1)}} in the order given."""
    out = {}
    for angle in angles:
        bowl = QuadraticBowl(curvatures=curvatures, angle=angle)
        p0 = turned(start, angle)
        out[angle] = {}
        for opt in optimizers:
            traj = run(opt, bowl, start=p0, steps=steps)
            out[angle][opt] = (traj, int(traj.steps_to(tol)))
    return out


def loss_spikes(losses, rise: float = 1.3, window: int = 10) -> np.ndarray:
    """Steps k where a run's loss curve (steps + 1,) has a spike: a local maximum at least ``rise`` times the
    lowest loss of the ``window`` steps before it."""
    loss = np.asarray(losses, dtype=float)
    k = np.arange(1, loss.size - 1)
    low = np.array([loss[max(0, i - window):i].min() for i in k])
    peak = (loss[k] > loss[k - 1]) & (loss[k] >= loss[k + 1]) & (loss[k] > rise * low)
    return k[peak]
